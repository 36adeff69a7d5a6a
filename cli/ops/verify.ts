/**
 * What is still there after a teardown: everything the Resource Groups Tagging API lists with
 * Environment=<env>, plus per-service listings that catch what carries no tag (or what the
 * tagging API is slow to show): EKS clusters, SageMaker endpoints, load balancers, NAT
 * gateways, EC2 instances, log groups without retention. The tagging API keeps showing
 * just-deleted resources for a while, so each unexpected one is confirmed with its own
 * service before it is reported.
 */
import { paginateGetResources } from "@aws-sdk/client-resource-groups-tagging-api";
import { DescribeClusterCommand, paginateListClusters } from "@aws-sdk/client-eks";
import { DescribeEndpointCommand, paginateListEndpoints, paginateListTags } from "@aws-sdk/client-sagemaker";
import { DescribeLoadBalancersCommand, DescribeTagsCommand, DescribeTargetGroupsCommand, paginateDescribeLoadBalancers } from "@aws-sdk/client-elastic-load-balancing-v2";
import { DescribeInstancesCommand, DescribeNatGatewaysCommand, DescribeTagsCommand as Ec2DescribeTagsCommand } from "@aws-sdk/client-ec2";
import { DescribeLogGroupsCommand, paginateDescribeLogGroups } from "@aws-sdk/client-cloudwatch-logs";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import { GetFunctionCommand } from "@aws-sdk/client-lambda";
import { DescribeRuleCommand } from "@aws-sdk/client-eventbridge";
import { OpsContext } from "./context";
import { deniedHead, errorLine, errorName, isAccessDenied } from "../../lambda/shared/errors";
import { isClusterOwned } from "./cleanup";
import { arnKind, classifyLeftovers, Leftover, VerdictRow } from "./plan";
import { formatTable } from "../table";

type Tags = Record<string, string>;
const tagMap = (tags?: readonly { Key?: string; Value?: string }[]): Tags => Object.fromEntries((tags ?? []).map((t) => [t.Key!, t.Value ?? ""]));

/** The name part of an ARN (bucket, log group, function, cluster, endpoint, ...). */
export function arnId(arn: string): string {
  const parts = arn.split(":");
  const service = parts[2];
  if (service === "s3") return parts[5];
  if (service === "logs" || service === "lambda") return parts[6];
  const resource = parts.slice(5).join(":");
  return resource.includes("/") ? resource.slice(resource.indexOf("/") + 1) : resource;
}

/** Resource types asked one at a time when the unfiltered query fails (the emulator cannot answer "sagemaker" as a whole). */
const TAGGING_TYPES = [
  "s3", "ec2", "eks", "elasticloadbalancing", "logs", "lambda", "events", "sns", "sqs", "ecr", "ssm", "kms", "iam", "budgets", "ce",
  "sagemaker:endpoint", "sagemaker:endpoint-config", "sagemaker:model", "sagemaker:training-job", "sagemaker:hyper-parameter-tuning-job",
];

async function taggedPages(ctx: OpsContext, types?: string[]) {
  const out: (Leftover & { arn: string })[] = [];
  const input = { TagFilters: [{ Key: "Environment", Values: [ctx.cfg.name] }], ResourcesPerPage: 100, ...(types ? { ResourceTypeFilters: types } : {}) };
  for await (const page of paginateGetResources({ client: ctx.clients.tagging }, input)) {
    for (const r of page.ResourceTagMappingList ?? []) {
      const tags = tagMap(r.Tags);
      out.push({ kind: arnKind(r.ResourceARN!), id: r.ResourceARN!, arn: r.ResourceARN!, stack: tags.Stack ?? "-", source: "tagging" });
    }
  }
  return out;
}

async function fromTaggingApi(ctx: OpsContext): Promise<(Leftover & { arn: string })[]> {
  try {
    return await taggedPages(ctx);
  } catch (err) {
    // a denial is not a service gap to work around: verifying with less than asked would pass quietly
    if (isAccessDenied(err)) throw err;
    ctx.log(`      tagging API failed unfiltered (${errorName(err) || errorLine(err)}): asking per resource type`);
  }
  const out: (Leftover & { arn: string })[] = [];
  for (const t of TAGGING_TYPES) {
    try {
      out.push(...(await taggedPages(ctx, [t])));
    } catch (err) {
      if (isAccessDenied(err)) throw err;
      ctx.log(`      tagging API failed for ${t} (${errorName(err) || errorLine(err)}): relying on the per-service listings`);
    }
  }
  return out;
}

/** Per-service listings: the environment's resources whether or not the tagging API shows them. */
async function fromServices(ctx: OpsContext): Promise<(Leftover & { arn: string })[]> {
  const env = ctx.cfg.name;
  const c = ctx.clients;
  const out: (Leftover & { arn: string })[] = [];
  const add = (kind: string, arn: string, tags: Tags) => out.push({ kind, id: arn, arn, stack: tags.Stack ?? "-", source: "service" });

  for await (const page of paginateListClusters({ client: c.eks }, {})) {
    for (const name of page.clusters ?? []) {
      const cl = (await c.eks.send(new DescribeClusterCommand({ name }))).cluster;
      if (name === ctx.names.cluster || cl?.tags?.Environment === env) add("eks:cluster", cl?.arn ?? name, cl?.tags ?? {});
    }
  }
  for await (const page of paginateListEndpoints({ client: c.sagemaker, pageSize: 100 }, {})) {
    for (const e of page.Endpoints ?? []) {
      const tags: Tags = {};
      for await (const t of paginateListTags({ client: c.sagemaker }, { ResourceArn: e.EndpointArn! })) Object.assign(tags, tagMap(t.Tags));
      if (tags.Environment === env || e.EndpointName!.startsWith(`${ctx.names.prefix}-`)) add("sagemaker:endpoint", e.EndpointArn!, tags);
    }
  }
  const lbs: string[] = [];
  for await (const page of paginateDescribeLoadBalancers({ client: c.elbv2 }, {})) lbs.push(...(page.LoadBalancers ?? []).map((l) => l.LoadBalancerArn!));
  for (let i = 0; i < lbs.length; i += 20) {
    const res = await c.elbv2.send(new DescribeTagsCommand({ ResourceArns: lbs.slice(i, i + 20) }));
    for (const d of res.TagDescriptions ?? []) {
      const tags = tagMap(d.Tags);
      if (tags.Environment === env || isClusterOwned(tags, ctx.names.cluster)) add("elasticloadbalancing:loadbalancer", d.ResourceArn!, tags);
    }
  }
  const nats = await c.ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: "tag:Environment", Values: [env] }, { Name: "state", Values: ["pending", "available", "deleting", "failed"] }] }));
  const ec2Arn = (type: string, id: string) => `arn:aws:ec2:${ctx.cfg.region}:${ctx.cfg.accountId}:${type}/${id}`;
  for (const n of nats.NatGateways ?? []) add("ec2:natgateway", ec2Arn("natgateway", n.NatGatewayId!), tagMap(n.Tags));
  for (const filter of [{ Name: "tag:Environment", Values: [env] }, { Name: "tag-key", Values: [`kubernetes.io/cluster/${ctx.names.cluster}`] }]) {
    const res = await c.ec2.send(new DescribeInstancesCommand({ Filters: [filter, { Name: "instance-state-name", Values: ["pending", "running", "stopping", "stopped"] }] }));
    for (const r of res.Reservations ?? []) for (const i of r.Instances ?? []) add("ec2:instance", ec2Arn("instance", i.InstanceId!), tagMap(i.Tags));
  }
  const prefixes = [`/aws/eks/${ctx.names.cluster}/`, `/${ctx.cfg.project}/${env}/`, `/aws/sagemaker/Endpoints/${ctx.names.prefix}`, `/aws/lambda/${ctx.names.prefix}`];
  for (const logGroupNamePrefix of prefixes) {
    for await (const page of paginateDescribeLogGroups({ client: c.logs }, { logGroupNamePrefix })) {
      for (const g of page.logGroups ?? []) {
        if (g.retentionInDays === undefined) out.push({ kind: "logs:log-group (no retention)", id: g.arn ?? g.logGroupName!, arn: g.arn ?? g.logGroupName!, stack: "-", source: "service" });
      }
    }
  }
  return out;
}

/** true: still there; false: gone; undefined: no own API to ask (reported as unconfirmed). */
export async function stillExists(ctx: OpsContext, arn: string): Promise<boolean | undefined> {
  const c = ctx.clients;
  const kind = arnKind(arn);
  const id = arnId(arn);
  try {
    switch (kind) {
      case "sagemaker:endpoint":
        return (await c.sagemaker.send(new DescribeEndpointCommand({ EndpointName: id }))).EndpointStatus !== undefined;
      case "eks:cluster":
        return !!(await c.eks.send(new DescribeClusterCommand({ name: id }))).cluster;
      case "elasticloadbalancing:loadbalancer":
        return !!(await c.elbv2.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [arn] }))).LoadBalancers?.length;
      case "elasticloadbalancing:targetgroup":
        return !!(await c.elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: [arn] }))).TargetGroups?.length;
      case "logs:log-group":
        return ((await c.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: id.replace(/:\*$/, "") }))).logGroups ?? []).some((g) => g.logGroupName === id.replace(/:\*$/, ""));
      case "s3:bucket":
        await c.s3.send(new HeadBucketCommand({ Bucket: id })).catch((err) => {
          throw isAccessDenied(err) ? deniedHead("s3:ListBucket", `arn:aws:s3:::${id}`) : err;
        });
        return true;
      case "lambda:function":
        await c.lambda.send(new GetFunctionCommand({ FunctionName: id }));
        return true;
      case "events:rule":
        await c.events.send(new DescribeRuleCommand({ Name: id }));
        return true;
      case "ec2:natgateway": {
        const n = (await c.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [id] }))).NatGateways?.[0];
        return !!n && n.State !== "deleted";
      }
      case "ec2:instance": {
        const i = (await c.ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))).Reservations?.[0]?.Instances?.[0];
        return !!i && i.State?.Name !== "terminated";
      }
      default:
        if (kind.startsWith("ec2:")) {
          // EC2 drops a resource's tags with the resource: tags still there means it is.
          return !!(await c.ec2.send(new Ec2DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [id] }] }))).Tags?.length;
        }
        return undefined;
    }
  } catch (err) {
    const n = errorName(err);
    if (/NotFound|NoSuch|ResourceNotFoundException/.test(n) || n === "NotFound" || /could not find|does not exist|not found/i.test(errorLine(err))) return false;
    throw err;
  }
}

export interface VerifyResult {
  readonly rows: readonly (VerdictRow & { confirmed: string })[];
  readonly unexpected: number;
  readonly table: string;
}

/** Lists what remains, keeps only what its own service confirms, and judges it against the stacks kept. */
export async function verifyEnvironment(ctx: OpsContext, keptStacks: readonly string[]): Promise<VerifyResult> {
  const [tagged, listed] = await Promise.all([fromTaggingApi(ctx), fromServices(ctx)]);
  const byArn = new Map<string, Leftover & { arn: string }>();
  for (const l of [...listed, ...tagged]) if (!byArn.has(l.arn)) byArn.set(l.arn, l);
  const classified = classifyLeftovers([...byArn.values()], keptStacks, [ctx.names.backupBucket, `arn:aws:s3:::${ctx.names.backupBucket}`]);
  const rows: (VerdictRow & { confirmed: string })[] = [];
  for (const row of classified) {
    if (row.expected || row.source === "service") {
      rows.push({ ...row, confirmed: row.source === "service" ? "listed by service" : "tagging API" });
      continue;
    }
    const exists = await stillExists(ctx, row.id);
    if (exists === false) continue; // the tagging API lags behind a delete
    rows.push({ ...row, confirmed: exists ? "confirmed by service" : "unconfirmed (no service check)" });
  }
  rows.sort((a, b) => Number(a.expected) - Number(b.expected) || a.kind.localeCompare(b.kind) || a.id.localeCompare(b.id));
  const unexpected = rows.filter((r) => !r.expected).length;
  const table = rows.length
    ? formatTable(
        ["VERDICT", "KIND", "RESOURCE", "STACK", "WHY", "CHECK"],
        rows.map((r) => [r.expected ? "expected" : "UNEXPECTED", r.kind, arnId(r.id) || r.id, r.stack, r.why, r.confirmed]),
      )
    : "(nothing tagged Environment=" + ctx.cfg.name + " remains)";
  return { rows, unexpected, table };
}
