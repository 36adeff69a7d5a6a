/**
 * `cost report`: live figures of the account an environment runs in. Cost Explorer
 * GetCostAndUsage over the last N days by SERVICE and by the Project tag (daily trend and top
 * drivers from the same answers), plus recommendations found by looking at the account: buckets
 * without lifecycle, log groups without retention, idle SageMaker endpoints, on-demand node
 * groups, repositories without lifecycle policy and old images. Every section is independent:
 * a denied call becomes an entry in `errors`, not a failed report.
 *
 * Clients are configured like every client of the project (lambda/shared/aws-client.ts): the
 * credential chain and AWS_ENDPOINT_URL, or the sandbox emulator; tests may inject their own.
 */
import { CloudWatchClient, GetMetricStatisticsCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CostExplorerClient, GetCostAndUsageCommand, GetCostAndUsageCommandInput, GetCostAndUsageCommandOutput } from "@aws-sdk/client-cost-explorer";
import { DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, GetLifecyclePolicyCommand } from "@aws-sdk/client-ecr";
import { DescribeNodegroupCommand, EKSClient, ListClustersCommand, ListNodegroupsCommand } from "@aws-sdk/client-eks";
import { GetBucketLifecycleConfigurationCommand, ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { DescribeEndpointCommand, DescribeEndpointConfigCommand, ListEndpointsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { ENVIRONMENTS, EnvironmentName } from "../config";
import { loadPriceTable, PriceTable, spotDiscount } from "./prices";
import { pages } from "../lambda/shared/pages";
import { AwsCredentials, AwsTarget, awsClientConfig } from "../lambda/shared/aws-client";
import type { Estimate } from "./estimate";
import { compareRealized, lastFullMonth, RealizedComparison, realizedToMarkdown, realizedToTable } from "./realized";

/** The one method every client has; lets tests pass a small fake. */
export interface Sender {
  send(command: any): Promise<any>;
}

export interface ReportClients {
  readonly ce: Sender;
  readonly s3: Sender;
  readonly logs: Sender;
  readonly sagemaker: Sender;
  readonly cloudwatch: Sender;
  readonly eks: Sender;
  readonly ecr: Sender;
}

export interface CostReportOptions {
  readonly env: EnvironmentName;
  /** @default 30 */
  readonly days?: number;
  /** @default now */
  readonly now?: Date;
  /** @default the environment's region */
  readonly region?: string;
  readonly clients?: Partial<ReportClients>;
  /** Sandbox only: the local emulator. @default - the SDK's standard resolution (AWS_ENDPOINT_URL, then AWS) */
  readonly emulatorEndpoint?: string;
  /** Act as this identity (a session of the cost reader role). @default - the default credential chain, or the emulator's */
  readonly credentials?: AwsCredentials;
  /** ECR images pushed longer ago than this are reported. @default 90 */
  readonly oldImageDays?: number;
  /** An endpoint with no invocations over this window is idle. @default the environment's idleWindowHours */
  readonly idleWindowHours?: number;
  /** Cost allocation tag to group by. @default "Project" */
  readonly projectTag?: string;
  /** The environment's estimate: the last full month's figures are set beside it, per service. */
  readonly estimate?: Estimate;
  /** Why there is no estimate (reported among the errors). */
  readonly estimateError?: string;
  /** Flag a service this many percent over its estimate. @default 20 */
  readonly thresholdPercent?: number;
  /** Cost allocation tag that names the environment. @default "Environment" */
  readonly environmentTag?: string;
}

export type RecommendationKind =
  | "bucket-without-lifecycle"
  | "log-group-without-retention"
  | "idle-endpoint"
  | "on-demand-node-group"
  | "repository-without-lifecycle"
  | "old-images";

export interface Recommendation {
  readonly kind: RecommendationKind;
  readonly resource: string;
  readonly detail: string;
  /** rough monthly saving when it can be told from the account alone */
  readonly estMonthlySavingsUsd?: number;
}

export interface CostReport {
  readonly env: string;
  readonly region: string;
  readonly period: { readonly start: string; readonly end: string; readonly days: number };
  readonly currency: string;
  readonly totalUsd: number;
  readonly byService: { service: string; usd: number; sharePercent: number }[];
  readonly byProject: { project: string; usd: number; sharePercent: number }[];
  readonly daily: { date: string; usd: number }[];
  /** biggest services with the change between the first and second half of the window */
  readonly topDrivers: { service: string; usd: number; sharePercent: number; trendPercent: number }[];
  readonly recommendations: Recommendation[];
  /** the last full month per service beside the estimate (when an estimate was given) */
  readonly realized?: RealizedComparison;
  readonly errors: string[];
}

const DAY = 86_400_000;
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export function defaultClients(target: AwsTarget): ReportClients {
  const c = awsClientConfig(target);
  return {
    // Cost Explorer answers in us-east-1 only
    ce: new CostExplorerClient(awsClientConfig({ ...target, region: "us-east-1" })),
    s3: new S3Client(c),
    logs: new CloudWatchLogsClient(c),
    sagemaker: new SageMakerClient(c),
    cloudwatch: new CloudWatchClient(c),
    eks: new EKSClient(c),
    ecr: new ECRClient(c),
  };
}

async function costAndUsage(ce: Sender, input: GetCostAndUsageCommandInput) {
  const results: NonNullable<GetCostAndUsageCommandOutput["ResultsByTime"]> = [];
  const fetch = (t: string | undefined): Promise<GetCostAndUsageCommandOutput> => ce.send(new GetCostAndUsageCommand({ ...input, NextPageToken: t }));
  for await (const out of pages(fetch, (p) => p.NextPageToken)) results.push(...(out.ResultsByTime ?? []));
  return results;
}

const amount = (m: any) => Number(m?.UnblendedCost?.Amount ?? 0);

export async function costReport(o: CostReportOptions): Promise<CostReport> {
  const cfg = ENVIRONMENTS[o.env];
  const region = o.region ?? cfg.region;
  const c: ReportClients = { ...defaultClients({ region, emulatorEndpoint: o.emulatorEndpoint, credentials: o.credentials }), ...(o.clients ?? {}) };
  const days = o.days ?? 30;
  const now = o.now ?? new Date();
  const end = isoDay(now);
  const start = isoDay(new Date(Date.parse(end) - days * DAY));
  const errors: string[] = [];
  let prices: PriceTable | undefined;
  try {
    prices = loadPriceTable(region);
  } catch {
    prices = undefined;
  }

  // --- Cost Explorer ------------------------------------------------------------------------
  const serviceTotals = new Map<string, number>();
  const serviceDaily = new Map<string, Map<string, number>>();
  const dailyTotals = new Map<string, number>();
  const projectTotals = new Map<string, number>();
  let currency = "USD";
  try {
    const byService = await costAndUsage(c.ce, {
      TimePeriod: { Start: start, End: end },
      Granularity: "DAILY",
      Metrics: ["UnblendedCost"],
      GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }],
    });
    for (const r of byService) {
      const day = r.TimePeriod?.Start ?? "";
      const groups = r.Groups ?? [];
      let dayTotal = groups.length ? 0 : amount(r.Total);
      for (const g of groups) {
        const svc = g.Keys?.[0] ?? "(unknown)";
        const usd = amount(g.Metrics);
        currency = g.Metrics?.UnblendedCost?.Unit ?? currency;
        dayTotal += usd;
        serviceTotals.set(svc, (serviceTotals.get(svc) ?? 0) + usd);
        const perDay = serviceDaily.get(svc) ?? new Map<string, number>();
        perDay.set(day, (perDay.get(day) ?? 0) + usd);
        serviceDaily.set(svc, perDay);
      }
      dailyTotals.set(day, (dailyTotals.get(day) ?? 0) + dayTotal);
    }
  } catch (e: any) {
    errors.push(`Cost Explorer by service: ${e.name ?? "Error"}: ${e.message}`);
  }
  const tag = o.projectTag ?? "Project";
  try {
    const byTag = await costAndUsage(c.ce, {
      TimePeriod: { Start: start, End: end },
      Granularity: "MONTHLY",
      Metrics: ["UnblendedCost"],
      GroupBy: [{ Type: "TAG", Key: tag }],
    });
    for (const r of byTag) {
      for (const g of r.Groups ?? []) {
        const raw = g.Keys?.[0] ?? "";
        const value = raw.includes("$") ? raw.slice(raw.indexOf("$") + 1) : raw;
        const key = value || `(no ${tag} tag)`;
        projectTotals.set(key, (projectTotals.get(key) ?? 0) + amount(g.Metrics));
      }
    }
  } catch (e: any) {
    errors.push(`Cost Explorer by ${tag} tag: ${e.name ?? "Error"}: ${e.message}`);
  }
  const totalUsd = [...serviceTotals.values()].reduce((s, v) => s + v, 0) || [...dailyTotals.values()].reduce((s, v) => s + v, 0);
  const share = (v: number) => (totalUsd > 0 ? (v / totalUsd) * 100 : 0);
  const byService = [...serviceTotals].map(([service, usd]) => ({ service, usd, sharePercent: share(usd) })).sort((a, b) => b.usd - a.usd);
  const projectSum = [...projectTotals.values()].reduce((s, v) => s + v, 0);
  const byProject = [...projectTotals]
    .map(([project, usd]) => ({ project, usd, sharePercent: projectSum > 0 ? (usd / projectSum) * 100 : 0 }))
    .sort((a, b) => b.usd - a.usd);
  const daily = [...dailyTotals].map(([date, usd]) => ({ date, usd })).sort((a, b) => a.date.localeCompare(b.date));
  // trend: second half of the days Cost Explorer answered for against the first half
  const halfAt = Math.floor(daily.length / 2);
  const topDrivers = byService.slice(0, 5).map((s) => {
    const perDay = serviceDaily.get(s.service) ?? new Map<string, number>();
    let first = 0;
    let second = 0;
    daily.forEach((d, i) => {
      if (i < halfAt) first += perDay.get(d.date) ?? 0;
      else second += perDay.get(d.date) ?? 0;
    });
    return { ...s, trendPercent: first > 0 ? ((second - first) / first) * 100 : second > 0 ? 100 : 0 };
  });

  // --- realized against estimated: the last full month, this environment's tag ----------------
  let realized: RealizedComparison | undefined;
  if (o.estimateError) errors.push(`estimate: ${o.estimateError}`);
  if (o.estimate) {
    const envTag = o.environmentTag ?? "Environment";
    const month = lastFullMonth(now);
    try {
      const rows = await costAndUsage(c.ce, {
        TimePeriod: { Start: month.start, End: month.end },
        Granularity: "MONTHLY",
        Metrics: ["UnblendedCost"],
        GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }],
        Filter: { Tags: { Key: envTag, Values: [o.env], MatchOptions: ["EQUALS"] } },
      });
      const bySvc = new Map<string, number>();
      for (const r of rows) for (const g of r.Groups ?? []) bySvc.set(g.Keys?.[0] ?? "(unknown)", (bySvc.get(g.Keys?.[0] ?? "(unknown)") ?? 0) + amount(g.Metrics));
      realized = compareRealized(o.estimate, bySvc, month, { filter: `${envTag}=${o.env}`, thresholdPercent: o.thresholdPercent, hoursPerMonth: prices?.hoursPerMonth });
    } catch (e: any) {
      errors.push(`Cost Explorer, last full month by service (${envTag}=${o.env}): ${e.name ?? "Error"}: ${e.message}`);
    }
  }

  // --- recommendations ------------------------------------------------------------------------
  const recs: Recommendation[] = [];
  const section = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e: any) {
      errors.push(`${name}: ${e.name ?? "Error"}: ${e.message}`);
    }
  };

  await section("S3", async () => {
    for await (const out of pages((t) => c.s3.send(new ListBucketsCommand({ ContinuationToken: t })), (p: any) => p.ContinuationToken)) {
      for (const b of out.Buckets ?? []) {
        try {
          await c.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: b.Name }));
        } catch (e: any) {
          if (e.name !== "NoSuchLifecycleConfiguration") throw e;
          recs.push({
            kind: "bucket-without-lifecycle",
            resource: `s3://${b.Name}`,
            detail: "no lifecycle configuration: objects never tier down or expire; noncurrent versions and incomplete multipart uploads are kept forever",
          });
        }
      }
    }
  });

  await section("CloudWatch Logs", async () => {
    for await (const out of pages((t) => c.logs.send(new DescribeLogGroupsCommand({ nextToken: t })), (p: any) => p.nextToken)) {
      for (const g of out.logGroups ?? []) {
        if (g.retentionInDays) continue;
        const gb = (g.storedBytes ?? 0) / 1024 ** 3;
        recs.push({
          kind: "log-group-without-retention",
          resource: g.logGroupName ?? "?",
          detail: `never expires; ${gb.toFixed(2)} GB stored and growing. Set retention (e.g. ${cfg.logs.retentionInDays} days, the ${o.env} policy)`,
          estMonthlySavingsUsd: prices ? gb * prices.logs.storageGbMonth : undefined,
        });
      }
    }
  });

  await section("SageMaker", async () => {
    const windowH = o.idleWindowHours ?? cfg.schedule.idleWindowHours;
    for await (const out of pages((t) => c.sagemaker.send(new ListEndpointsCommand({ NextToken: t, StatusEquals: "InService" })), (p: any) => p.NextToken)) {
      for (const ep of out.Endpoints ?? []) {
        const d = await c.sagemaker.send(new DescribeEndpointCommand({ EndpointName: ep.EndpointName }));
        let invocations = 0;
        for (const v of d.ProductionVariants ?? []) {
          const m = await c.cloudwatch.send(
            new GetMetricStatisticsCommand({
              Namespace: "AWS/SageMaker",
              MetricName: "Invocations",
              Dimensions: [
                { Name: "EndpointName", Value: ep.EndpointName },
                { Name: "VariantName", Value: v.VariantName },
              ],
              StartTime: new Date(now.getTime() - windowH * 3600_000),
              EndTime: now,
              Period: 3600,
              Statistics: ["Sum"],
            }),
          );
          invocations += (m.Datapoints ?? []).reduce((s: number, p: any) => s + (p.Sum ?? 0), 0);
        }
        if (invocations > 0) continue;
        let monthly: number | undefined;
        let what = "";
        try {
          const conf = await c.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: d.EndpointConfigName }));
          for (const pv of conf.ProductionVariants ?? []) {
            if (pv.ServerlessConfig) {
              what = "serverless (costs nothing idle)";
              continue;
            }
            const rate = prices?.sagemaker.hostingHourly[pv.InstanceType ?? ""];
            what = `${pv.InitialInstanceCount ?? 1} x ${pv.InstanceType}`;
            if (rate !== undefined) monthly = (monthly ?? 0) + rate * (pv.InitialInstanceCount ?? 1) * (prices?.hoursPerMonth ?? 730);
          }
        } catch {
          // the config may be gone; the endpoint is still idle
        }
        if (what.startsWith("serverless")) continue;
        recs.push({
          kind: "idle-endpoint",
          resource: ep.EndpointName ?? "?",
          detail: `no invocations in the last ${windowH} h${what ? ` (${what})` : ""}: delete it, tag it Schedule=${cfg.schedule.name}, or move it to serverless`,
          estMonthlySavingsUsd: monthly,
        });
      }
    }
  });

  await section("EKS", async () => {
    for await (const out of pages((t) => c.eks.send(new ListClustersCommand({ nextToken: t })), (p: any) => p.nextToken)) {
      for (const cluster of out.clusters ?? []) {
        for await (const ngs of pages((t) => c.eks.send(new ListNodegroupsCommand({ clusterName: cluster, nextToken: t })), (p: any) => p.nextToken)) {
          for (const name of ngs.nodegroups ?? []) {
            const ng = (await c.eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: name }))).nodegroup;
            if ((ng?.capacityType ?? "ON_DEMAND") !== "ON_DEMAND") continue;
            const types: string[] = ng?.instanceTypes?.length ? ng.instanceTypes : ["t3.medium"];
            const desired = ng?.scalingConfig?.desiredSize ?? 0;
            let saving: number | undefined;
            if (prices && types.every((t) => prices!.ec2.onDemandHourly[t] !== undefined)) {
              const avg = types.reduce((s, t) => s + prices!.ec2.onDemandHourly[t] * spotDiscount(prices!, t), 0) / types.length;
              saving = avg * desired * prices.hoursPerMonth;
            }
            recs.push({
              kind: "on-demand-node-group",
              resource: `${cluster}/${name}`,
              detail: `ON_DEMAND ${types.join(", ")} x ${desired}: ${o.env === "prod" ? "keep an on-demand floor only; move burst capacity to SPOT" : "use SPOT across several instance types"}`,
              estMonthlySavingsUsd: saving,
            });
          }
        }
      }
    }
  });

  await section("ECR", async () => {
    const oldDays = o.oldImageDays ?? 90;
    const cutoff = now.getTime() - oldDays * DAY;
    for await (const out of pages((t) => c.ecr.send(new DescribeRepositoriesCommand({ nextToken: t })), (p: any) => p.nextToken)) {
      for (const repo of out.repositories ?? []) {
        try {
          await c.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: repo.repositoryName }));
        } catch (e: any) {
          if (e.name !== "LifecyclePolicyNotFoundException") throw e;
          recs.push({ kind: "repository-without-lifecycle", resource: repo.repositoryName ?? "?", detail: "no lifecycle policy: every image pushed is kept" });
        }
        let count = 0;
        let bytes = 0;
        for await (const imgs of pages((t) => c.ecr.send(new DescribeImagesCommand({ repositoryName: repo.repositoryName, nextToken: t })), (p: any) => p.nextToken)) {
          for (const img of imgs.imageDetails ?? []) {
            const pushed = img.imagePushedAt ? new Date(img.imagePushedAt).getTime() : now.getTime();
            if (pushed < cutoff) {
              count++;
              bytes += img.imageSizeInBytes ?? 0;
            }
          }
        }
        if (count > 0) {
          const gb = bytes / 1024 ** 3;
          recs.push({
            kind: "old-images",
            resource: repo.repositoryName ?? "?",
            detail: `${count} image(s) pushed more than ${oldDays} days ago, ${gb.toFixed(2)} GB`,
            estMonthlySavingsUsd: prices ? gb * prices.ecr.storageGbMonth : undefined,
          });
        }
      }
    }
  });

  return {
    env: o.env,
    region,
    period: { start, end, days },
    currency,
    totalUsd,
    byService,
    byProject,
    daily,
    topDrivers,
    recommendations: recs,
    ...(realized ? { realized } : {}),
    errors,
  };
}

// --- rendering --------------------------------------------------------------------------------

const r2 = (n: number) => Math.round(n * 100) / 100;
const money = (n: number) => "$" + n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function reportToJson(r: CostReport): object {
  return {
    ...r,
    totalUsd: r2(r.totalUsd),
    byService: r.byService.map((s) => ({ ...s, usd: r2(s.usd), sharePercent: r2(s.sharePercent) })),
    byProject: r.byProject.map((s) => ({ ...s, usd: r2(s.usd), sharePercent: r2(s.sharePercent) })),
    daily: r.daily.map((d) => ({ ...d, usd: r2(d.usd) })),
    topDrivers: r.topDrivers.map((s) => ({ ...s, usd: r2(s.usd), sharePercent: r2(s.sharePercent), trendPercent: r2(s.trendPercent) })),
    recommendations: r.recommendations.map((x) => (x.estMonthlySavingsUsd !== undefined ? { ...x, estMonthlySavingsUsd: r2(x.estMonthlySavingsUsd) } : x)),
    ...(r.realized
      ? {
          realized: {
            ...r.realized,
            estimatedUsd: r2(r.realized.estimatedUsd),
            realizedUsd: r2(r.realized.realizedUsd),
            rows: r.realized.rows.map((x) => ({ ...x, estimatedUsd: r2(x.estimatedUsd), realizedUsd: r2(x.realizedUsd), ...(x.overPercent !== undefined ? { overPercent: r2(x.overPercent) } : {}) })),
          },
        }
      : {}),
  };
}

function sparkline(values: number[]): string {
  const bars = "▁▂▃▄▅▆▇█";
  const max = Math.max(...values, 0);
  const min = Math.min(...values, max);
  return values.map((v) => bars[max > min ? Math.round(((v - min) / (max - min)) * 7) : 3]).join("");
}

export function reportToTable(r: CostReport): string {
  const out: string[] = [];
  out.push(`Cost report: ${r.env} (${r.region}), ${r.period.start} .. ${r.period.end} (${r.period.days} days): ${money(r.totalUsd)} ${r.currency}`);
  const w = Math.max(10, ...r.byService.map((s) => s.service.length));
  out.push("", "by service:");
  for (const s of r.byService) out.push(`  ${s.service.padEnd(w)}  ${money(s.usd).padStart(12)}  ${s.sharePercent.toFixed(1).padStart(5)}%`);
  out.push("", "by Project tag:");
  for (const p of r.byProject) out.push(`  ${p.project.padEnd(w)}  ${money(p.usd).padStart(12)}  ${p.sharePercent.toFixed(1).padStart(5)}%`);
  if (r.daily.length) {
    out.push("", `daily: ${sparkline(r.daily.map((d) => d.usd))}  (min ${money(Math.min(...r.daily.map((d) => d.usd)))}, max ${money(Math.max(...r.daily.map((d) => d.usd)))})`);
  }
  out.push("", "top drivers:");
  for (const d of r.topDrivers) out.push(`  ${d.service.padEnd(w)}  ${money(d.usd).padStart(12)}  ${d.sharePercent.toFixed(1).padStart(5)}%  trend ${d.trendPercent >= 0 ? "+" : ""}${d.trendPercent.toFixed(1)}%`);
  if (r.realized) out.push("", realizedToTable(r.realized));
  out.push("", `recommendations (${r.recommendations.length}):`);
  for (const x of r.recommendations) {
    out.push(`  [${x.kind}] ${x.resource}: ${x.detail}${x.estMonthlySavingsUsd !== undefined ? ` (~${money(x.estMonthlySavingsUsd)}/month)` : ""}`);
  }
  if (r.errors.length) out.push("", "errors:", ...r.errors.map((e) => `  ! ${e}`));
  return out.join("\n") + "\n";
}

export function reportToMarkdown(r: CostReport): string {
  const out: string[] = [];
  out.push(`### Cost report: \`${r.env}\` ${r.period.start} .. ${r.period.end}`, "", `**${money(r.totalUsd)}** ${r.currency} over ${r.period.days} days.`, "");
  out.push("| Service | Cost | Share | Trend |", "|---|---:|---:|---:|");
  for (const s of r.byService) {
    const t = r.topDrivers.find((d) => d.service === s.service);
    out.push(`| ${s.service} | ${money(s.usd)} | ${s.sharePercent.toFixed(1)}% | ${t ? `${t.trendPercent >= 0 ? "+" : ""}${t.trendPercent.toFixed(1)}%` : ""} |`);
  }
  out.push("", "| Project | Cost | Share |", "|---|---:|---:|");
  for (const p of r.byProject) out.push(`| ${p.project} | ${money(p.usd)} | ${p.sharePercent.toFixed(1)}% |`);
  if (r.realized) out.push("", realizedToMarkdown(r.realized));
  out.push("", "#### Recommendations", "");
  for (const x of r.recommendations) out.push(`- **${x.kind}** \`${x.resource}\`: ${x.detail}${x.estMonthlySavingsUsd !== undefined ? ` (~${money(x.estMonthlySavingsUsd)}/month)` : ""}`);
  if (r.errors.length) out.push("", ...r.errors.map((e) => `> :warning: ${e}`));
  return out.join("\n") + "\n";
}
