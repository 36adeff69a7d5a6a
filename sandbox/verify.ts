/**
 * What the mission's verification steps check, asked of the deployed platform through the AWS
 * SDK (against the emulator in the sandbox, against an account otherwise). Each check returns
 * a one-line finding or throws saying what differs from the config.
 */
import { DescribeNodegroupCommand, EKSClient, ListNodegroupsCommand } from "@aws-sdk/client-eks";
import { GetBucketIntelligentTieringConfigurationCommand, GetBucketLifecycleConfigurationCommand, S3Client } from "@aws-sdk/client-s3";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { ECRClient, GetLifecyclePolicyCommand } from "@aws-sdk/client-ecr";
import { BudgetsClient, DescribeBudgetCommand, DescribeNotificationsForBudgetCommand } from "@aws-sdk/client-budgets";
import { CostExplorerClient, GetAnomalyMonitorsCommand, GetAnomalySubscriptionsCommand } from "@aws-sdk/client-cost-explorer";
import { GetFunctionCommand, GetFunctionConcurrencyCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { GetScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { GetRolePolicyCommand, IAMClient } from "@aws-sdk/client-iam";
import { CloudWatchClient, GetDashboardCommand } from "@aws-sdk/client-cloudwatch";
import { deadLetterQueueName } from "../modules/scheduled-function";
import { GetResourcesCommand, ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { BatchGetProjectsCommand, CodeBuildClient } from "@aws-sdk/client-codebuild";
import { DescribeClusterCommand } from "@aws-sdk/client-eks";
import { DescribeNetworkInterfacesCommand, DescribeRouteTablesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { EventBridgeClient, ListTargetsByRuleCommand, DescribeRuleCommand } from "@aws-sdk/client-eventbridge";
import { lifetimeActionOf } from "../modules/lifetime-build";
import { EnvironmentConfig } from "../config/types";
import { names } from "../config/naming";
import { MISSION_LIFECYCLE_RULES } from "../stacks/data";
import { REQUIRED_TAG_KEYS } from "../modules/tags";
import { pages } from "../lambda/shared/pages";
import { numbered, switchCrons } from "../lambda/shared/office-hours";
import type { AwsClientConfig } from "../lambda/shared/aws-client";

export interface Check {
  readonly name: string;
  run(): Promise<string>;
}

/** Client settings from lambda/shared/aws-client.ts (awsClientConfig). */
export type ClientSettings = AwsClientConfig;

function expectEqual(what: string, actual: unknown, expected: unknown): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Tagging API: every ARN tagged Environment=<env>, with its tags. */
export async function taggedResources(cfg: EnvironmentConfig, c: ClientSettings): Promise<Map<string, Record<string, string>>> {
  const api = new ResourceGroupsTaggingAPIClient(c);
  const out = new Map<string, Record<string, string>>();
  const fetch = (PaginationToken: string | undefined) => api.send(new GetResourcesCommand({ TagFilters: [{ Key: "Environment", Values: [cfg.name] }], PaginationToken }));
  for await (const page of pages(fetch, (p) => p.PaginationToken)) {
    for (const r of page.ResourceTagMappingList ?? []) {
      out.set(r.ResourceARN!, Object.fromEntries((r.Tags ?? []).map((t) => [t.Key!, t.Value!])));
    }
  }
  return out;
}

export function deploymentChecks(cfg: EnvironmentConfig, c: ClientSettings): Check[] {
  const n = names(cfg);
  const eks = new EKSClient(c);
  const s3 = new S3Client(c);
  const logs = new CloudWatchLogsClient(c);
  const ecr = new ECRClient(c);
  const budgets = new BudgetsClient(c);
  const ce = new CostExplorerClient(c);
  const lambda = new LambdaClient(c);
  const scheduler = new SchedulerClient(c);
  const iam = new IAMClient(c);
  const cloudwatch = new CloudWatchClient(c);

  return [
    {
      name: "node groups run on SPOT with the configured instance types and sizes",
      async run() {
        const listed = (await eks.send(new ListNodegroupsCommand({ clusterName: n.cluster }))).nodegroups ?? [];
        const found: string[] = [];
        for (const [key, g] of Object.entries(cfg.eks.nodeGroups)) {
          if (!listed.includes(n.nodeGroup(key))) throw new Error(`node group ${n.nodeGroup(key)} not found in ${n.cluster} (found ${listed.join(", ")})`);
          const ng = (await eks.send(new DescribeNodegroupCommand({ clusterName: n.cluster, nodegroupName: n.nodeGroup(key) }))).nodegroup!;
          expectEqual(`${ng.nodegroupName} capacityType`, ng.capacityType, g.capacityType);
          expectEqual(`${ng.nodegroupName} instanceTypes`, ng.instanceTypes, g.instanceTypes);
          expectEqual(`${ng.nodegroupName} maxSize`, ng.scalingConfig?.maxSize, g.maxSize);
          expectEqual(`${ng.nodegroupName} labels`, ng.labels, g.labels);
          if (g.scheduled) expectEqual(`${ng.nodegroupName} Schedule tag`, ng.tags?.Schedule, cfg.schedule.name);
          found.push(`${ng.nodegroupName} ${ng.capacityType} ${ng.instanceTypes!.join("/")} ${ng.scalingConfig!.minSize}..${ng.scalingConfig!.maxSize}`);
        }
        return found.join("; ");
      },
    },
    {
      name: "buckets have the per-prefix lifecycle rules and Intelligent-Tiering archive tiers",
      async run() {
        for (const bucket of [n.dataBucket, n.modelsBucket, n.artifactsBucket]) {
          const rules = (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }))).Rules ?? [];
          const ids = rules.map((r) => r.ID).sort();
          expectEqual(`${bucket} lifecycle rule ids`, ids, ["housekeeping", ...MISSION_LIFECYCLE_RULES.map((r) => r.id)].sort());
          const tmp = rules.find((r) => r.ID === "tmp-expire")!;
          expectEqual(`${bucket} tmp/ expiry days`, tmp.Expiration?.Days, 7);
          expectEqual(`${bucket} tmp/ filter tag`, tmp.Filter?.And?.Tags, [{ Key: "temporary", Value: "true" }]);
        }
        let tiers: string[] = [];
        for (const prefix of ["raw", "silver"]) {
          const it = await s3.send(new GetBucketIntelligentTieringConfigurationCommand({ Bucket: n.dataBucket, Id: `archive-${prefix}` }));
          expectEqual(`archive-${prefix} filter`, it.IntelligentTieringConfiguration?.Filter?.Prefix, `${prefix}/`);
          tiers = (it.IntelligentTieringConfiguration?.Tierings ?? []).map((t) => `${t.AccessTier}@${t.Days}`).sort();
          expectEqual(`archive-${prefix} tiers`, tiers, ["ARCHIVE_ACCESS@90", "DEEP_ARCHIVE_ACCESS@180"]);
        }
        return `3 buckets x ${MISSION_LIFECYCLE_RULES.length + 1} rules; ${n.dataBucket} raw/ and silver/ archive tiers ${tiers.join(", ")}`;
      },
    },
    {
      name: "log groups keep logs for the configured retention, in the configured class",
      async run() {
        const classes: Record<string, string> = Object.fromEntries(Object.entries(n.logGroups).map(([k, name]) => [name, cfg.logs.classes[k as keyof typeof cfg.logs.classes]]));
        const expected = [...Object.values(n.logGroups), `/aws/lambda/${n.schedulerFunction}`, ...(cfg.computeLifetime !== "always" ? [n.lifetimeLogGroup] : [])];
        const found: string[] = [];
        for (const name of expected) {
          const g = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }))).logGroups?.find((x) => x.logGroupName === name);
          if (!g) throw new Error(`log group ${name} not found`);
          expectEqual(`${name} retentionInDays`, g.retentionInDays, cfg.logs.retentionInDays);
          expectEqual(`${name} class`, g.logGroupClass, classes[name] ?? "STANDARD");
          found.push(`${name}${g.logGroupClass === "INFREQUENT_ACCESS" ? " (IA)" : ""}`);
        }
        return `${found.length} groups, ${cfg.logs.retentionInDays} days each: ${found.join(", ")}`;
      },
    },
    {
      name: "ECR repositories expire images beyond the budgeted counts",
      async run() {
        const out: string[] = [];
        for (const kind of ["training", "inference"] as const) {
          const policy = JSON.parse((await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: n.ecrRepository(kind) }))).lifecyclePolicyText!);
          const total = policy.rules.reduce((s: number, r: any) => s + r.selection.countNumber * (r.selection.tagPrefixList?.length ?? 1), 0);
          expectEqual(`${kind} repository total images kept`, total, cfg.ecr.keepTotal);
          out.push(`${n.ecrRepository(kind)}: ${policy.rules.length} rules, ${total} images max`);
        }
        return out.join("; ");
      },
    },
    {
      name: "budget alerts at 80 % and 100 % actual and 100 % forecast",
      async run() {
        const b = (await budgets.send(new DescribeBudgetCommand({ AccountId: cfg.accountId, BudgetName: n.prefix }))).Budget!;
        expectEqual("budget limit", Number(b.BudgetLimit?.Amount), cfg.budget.monthlyLimitUsd);
        const notes = (await budgets.send(new DescribeNotificationsForBudgetCommand({ AccountId: cfg.accountId, BudgetName: n.prefix }))).Notifications ?? [];
        const got = notes.map((x) => `${x.NotificationType}@${x.Threshold}`).sort();
        expectEqual("budget notifications", got, ["ACTUAL@100", "ACTUAL@80", "FORECASTED@100"]);
        return `${b.BudgetName}: ${b.BudgetLimit?.Amount} USD/month, ${got.join(", ")}`;
      },
    },
    {
      name: "cost anomaly monitor and subscription",
      async run() {
        const monitors = (await ce.send(new GetAnomalyMonitorsCommand({}))).AnomalyMonitors ?? [];
        const m = monitors.find((x) => x.MonitorName === n.prefix);
        if (!m) throw new Error(`anomaly monitor ${n.prefix} not found (found ${monitors.map((x) => x.MonitorName).join(", ") || "none"})`);
        const subs = (await ce.send(new GetAnomalySubscriptionsCommand({ MonitorArn: m.MonitorArn }))).AnomalySubscriptions ?? [];
        if (subs.length === 0) throw new Error(`no anomaly subscription on ${m.MonitorArn}`);
        return `${m.MonitorName} (${m.MonitorType}) -> ${subs.map((s) => `${s.SubscriptionName} ${s.Frequency}`).join(", ")}`;
      },
    },
    {
      name: "scheduler function: runtime, schedule tag, reserved concurrency 1, tracing, DLQ, least-privilege role",
      async run() {
        const fn = (await lambda.send(new GetFunctionCommand({ FunctionName: n.schedulerFunction }))).Configuration!;
        expectEqual("runtime", fn.Runtime, "nodejs22.x");
        expectEqual("SCHEDULE_NAME", fn.Environment?.Variables?.SCHEDULE_NAME, cfg.schedule.name);
        expectEqual("tracing", fn.TracingConfig?.Mode, "Active");
        if (!fn.DeadLetterConfig?.TargetArn) throw new Error("function has no dead-letter queue");
        const conc = await lambda.send(new GetFunctionConcurrencyCommand({ FunctionName: n.schedulerFunction }));
        expectEqual("reserved concurrency", conc.ReservedConcurrentExecutions, 1);
        const roleName = fn.Role!.split("/").pop()!;
        const policy = decodeURIComponent((await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: `${roleName}-policy` }))).PolicyDocument!);
        if (!policy.includes("eks:UpdateNodegroupConfig") || policy.includes('"Action":"*"')) throw new Error(`unexpected scheduler policy: ${policy.slice(0, 200)}`);
        return `${fn.FunctionName} ${fn.Runtime} concurrency 1, DLQ ${fn.DeadLetterConfig.TargetArn.split(":").pop()}`;
      },
    },
    {
      name: "cost dashboard: its metrics name the deployed scheduler function and its dead-letter queue",
      async run() {
        const name = `${n.prefix}-cost`;
        const body = JSON.parse((await cloudwatch.send(new GetDashboardCommand({ DashboardName: name }))).DashboardBody ?? "{}");
        const rows: string[][] = (body.widgets ?? []).flatMap((w: any) => (w.properties?.metrics ?? []).map((m: unknown[]) => m.filter((x) => typeof x === "string")));
        const dims = new Set(rows.flatMap((r) => r.slice(2)));
        for (const want of [n.schedulerFunction, deadLetterQueueName(n.schedulerFunction)]) if (!dims.has(want)) throw new Error(`dashboard ${name} does not graph ${want}`);
        await lambda.send(new GetFunctionCommand({ FunctionName: n.schedulerFunction })); // the function it graphs exists
        return `${name}: ${body.widgets.length} widgets, ${rows.length} metrics`;
      },
    },
    {
      name: "schedules: stop and start on weekdays in the configured timezone, targeting the function",
      async run() {
        const out: string[] = [];
        const crons = switchCrons(cfg.schedule.hours);
        const expected = [...numbered("stop", crons.stop), ...numbered("start", crons.start), { name: "stop-idle", cron: cfg.schedule.idleCron }];
        for (const { name: action, cron } of expected) {
          const s = await scheduler.send(new GetScheduleCommand({ Name: `${n.schedulerFunction}-${action}` }));
          expectEqual(`${action} expression`, s.ScheduleExpression, cron);
          expectEqual(`${action} timezone`, s.ScheduleExpressionTimezone, cfg.schedule.timezone);
          expectEqual(`${action} input`, JSON.parse(s.Target?.Input ?? "{}").action, action.replace(/-\d+$/, ""));
          expectEqual(`${action} state`, s.State, cfg.schedule.enabled ? "ENABLED" : "DISABLED");
          if (!s.Target?.Arn?.endsWith(`:function:${n.schedulerFunction}`)) throw new Error(`${action} targets ${s.Target?.Arn}`);
          if (!s.Target?.DeadLetterConfig?.Arn) throw new Error(`${action} schedule target has no dead-letter queue`);
          out.push(`${action} ${cron} ${s.ScheduleExpressionTimezone} ${s.State}`);
        }
        return out.join("; ");
      },
    },
    {
      name: "EKS pins its support tier; the egress is what the config says",
      async run() {
        const cluster = (await eks.send(new DescribeClusterCommand({ name: n.cluster }))).cluster!;
        expectEqual("upgradePolicy.supportType", cluster.upgradePolicy?.supportType, cfg.eks.supportType);
        const egress = cfg.network.egress;
        if (egress.mode !== "nat-instance") return `${n.cluster} ${cluster.upgradePolicy?.supportType}; egress ${egress.mode}`;
        const ec2 = new EC2Client(c);
        const eni = (await ec2.send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "tag:Name", Values: [n.natInstance] }] }))).NetworkInterfaces?.[0];
        if (!eni) throw new Error(`the NAT instance's interface (tag Name=${n.natInstance}) not found`);
        expectEqual("NAT interface source/destination check", eni.SourceDestCheck, false);
        const tables = (await ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "tag:Name", Values: [`${n.prefix}-private-*`] }] }))).RouteTables ?? [];
        const viaEni = tables.filter((t) => t.Routes?.some((r) => r.DestinationCidrBlock === "0.0.0.0/0" && r.NetworkInterfaceId === eni.NetworkInterfaceId)).length;
        if (viaEni !== 2) throw new Error(`expected both private route tables to send 0.0.0.0/0 to the NAT instance's interface ${eni.NetworkInterfaceId}, ${viaEni} do`);
        return `${n.cluster} upgrade policy ${cluster.upgradePolicy?.supportType}; both private routes to the NAT instance's fixed interface ${eni.NetworkInterfaceId} (source/destination check off)`;
      },
    },
    {
      name: "compute lifetime: CodeBuild project, its schedules (timezone, target, role), log retention, failure alert",
      async run() {
        const life = cfg.computeLifetime;
        if (life === "always") return "computeLifetime always: no project, no schedules";
        const cb = new CodeBuildClient(c);
        const p = (await cb.send(new BatchGetProjectsCommand({ names: [n.lifetimeProject] }))).projects?.[0];
        if (!p) throw new Error(`CodeBuild project ${n.lifetimeProject} not found`);
        expectEqual("project source", [p.source?.type, p.source?.location], ["S3", `${n.stateBucket}/${n.lifetimeSourceKey}`]);
        expectEqual("project role", p.serviceRole?.split("/").pop(), n.lifetimeRole);
        expectEqual("project log group", p.logsConfig?.cloudWatchLogs?.groupName, n.lifetimeLogGroup);
        expectEqual("one build at a time", p.concurrentBuildLimit, 1);
        const vars = Object.fromEntries((p.environment?.environmentVariables ?? []).map((v) => [v.name, v.value]));
        expectEqual("PLATFORM_ENV / LIFETIME_STACK", [vars.PLATFORM_ENV, vars.LIFETIME_STACK], [cfg.name, n.stackName("compute")]);
        const out: string[] = [];
        for (const action of ["teardown", "restore"] as const) {
          const s = await scheduler.send(new GetScheduleCommand({ Name: n.lifetimeSchedule(action) }));
          expectEqual(`${action} timezone`, s.ScheduleExpressionTimezone, cfg.schedule.timezone);
          expectEqual(`${action} target`, s.Target?.Arn, p.arn);
          expectEqual(`${action} input`, lifetimeActionOf(JSON.parse(s.Target?.Input ?? "{}")), action);
          expectEqual(`${action} role`, s.Target?.RoleArn?.split("/").pop(), n.lifetimeScheduleRole);
          if (!s.Target?.DeadLetterConfig?.Arn) throw new Error(`${action} schedule has no dead-letter queue`);
          out.push(`${action} ${s.ScheduleExpression} ${s.ScheduleExpressionTimezone}`);
        }
        const events = new EventBridgeClient(c);
        const rule = await events.send(new DescribeRuleCommand({ Name: n.lifetimeFailureRule }));
        const pattern = JSON.parse(rule.EventPattern ?? "{}");
        expectEqual("failure rule project", pattern.detail?.["project-name"], [n.lifetimeProject]);
        const targets = (await events.send(new ListTargetsByRuleCommand({ Rule: n.lifetimeFailureRule }))).Targets ?? [];
        expectEqual("failure rule target", targets.map((t) => t.Arn), [n.alertTopicArn]);
        return `${n.lifetimeProject} (role ${n.lifetimeRole}, source s3://${n.stateBucket}/${n.lifetimeSourceKey}); ${out.join("; ")}; failed builds alert ${n.alertTopic}`;
      },
    },
    {
      name: "resources carry every cost-allocation tag",
      async run() {
        const tagged = await taggedResources(cfg, c);
        if (tagged.size === 0) throw new Error(`nothing is tagged Environment=${cfg.name}`);
        const missing = [...tagged].filter(([, t]) => REQUIRED_TAG_KEYS.some((k) => !t[k]));
        if (missing.length) throw new Error(`${missing.length} resources miss required tags, e.g. ${missing[0][0]}: ${JSON.stringify(missing[0][1])}`);
        for (const must of [`:bucket`, `:cluster/${n.cluster}`, `:function:${n.schedulerFunction}`]) {
          if (![...tagged.keys()].some((arn) => arn.includes(must) || (must === ":bucket" && arn.startsWith("arn:aws:s3:::")))) {
            throw new Error(`no tagged resource matching ${must}`);
          }
        }
        return `${tagged.size} resources tagged ${REQUIRED_TAG_KEYS.join(", ")}`;
      },
    },
  ];
}
