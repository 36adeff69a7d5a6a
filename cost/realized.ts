/**
 * Realized against estimated: the last full month's Cost Explorer figures of an environment
 * (cost allocation tag Environment=<env>), per service, beside what the estimate says that
 * month should cost. A service more than 20 % over its estimate is flagged with what to look
 * at; a service Cost Explorer bills that the estimate does not price is flagged too.
 *
 * The estimate's lines map to Cost Explorer's SERVICE names through SERVICE_RULES, written out
 * (Cost Explorer's names are not derivable: a NAT gateway bills under "EC2 - Other", a node's
 * root volume too, the nodes under "Amazon Elastic Compute Cloud - Compute"). A line no rule
 * maps is reported as unmapped, never silently dropped.
 */
import { ComponentCost, Estimate, LineItem } from "./estimate";

export const SERVICES = {
  eks: "Amazon Elastic Container Service for Kubernetes",
  ec2Compute: "Amazon Elastic Compute Cloud - Compute",
  ec2Other: "EC2 - Other",
  s3: "Amazon Simple Storage Service",
  cloudwatch: "AmazonCloudWatch",
  elb: "Amazon Elastic Load Balancing",
  ecr: "Amazon EC2 Container Registry (ECR)",
  sagemaker: "Amazon SageMaker",
  vpc: "Amazon Virtual Private Cloud",
  lambda: "AWS Lambda",
  eventbridge: "Amazon EventBridge",
  kms: "AWS Key Management Service",
  sqs: "Amazon Simple Queue Service",
  codebuild: "AWS CodeBuild",
} as const;

export interface ServiceRule {
  readonly category: string;
  /** the line's name */
  readonly line?: RegExp;
  /** the line's resource, `<stack>:<address>` */
  readonly resource?: RegExp;
  readonly service: string;
}

/** First match wins. */
export const SERVICE_RULES: readonly ServiceRule[] = [
  { category: "eks-control-plane", service: SERVICES.eks },
  // EBS volumes bill under EC2 - Other, the instances under EC2 - Compute
  { category: "eks-node-group", line: /^root volumes$/, service: SERVICES.ec2Other },
  { category: "eks-node-group", service: SERVICES.ec2Compute },
  { category: "s3", service: SERVICES.s3 },
  { category: "logs", service: SERVICES.cloudwatch },
  { category: "load-balancer", service: SERVICES.elb },
  { category: "ecr", service: SERVICES.ecr },
  { category: "sagemaker-training", service: SERVICES.sagemaker },
  { category: "sagemaker-endpoint", service: SERVICES.sagemaker },
  // interface endpoints bill under VPC; NAT gateway hours and data processing under EC2 - Other;
  // a NAT instance is an instance (EC2 - Compute) with a root volume (EC2 - Other)
  { category: "nat", resource: /:aws_vpc_endpoint\./, service: SERVICES.vpc },
  { category: "nat", line: /^instance hours$/, service: SERVICES.ec2Compute },
  { category: "nat", service: SERVICES.ec2Other },
  // public IPv4 addresses (in use or idle) bill under Amazon VPC, whatever holds them
  { category: "public-ipv4", service: SERVICES.vpc },
  { category: "codebuild", service: SERVICES.codebuild },
  { category: "platform", line: /^CloudWatch alarms$/, service: SERVICES.cloudwatch },
  { category: "platform", line: /^EventBridge Scheduler /, service: SERVICES.eventbridge },
  { category: "platform", line: /^KMS keys$/, service: SERVICES.kms },
  { category: "platform", line: /^SQS queues$/, service: SERVICES.sqs },
  { category: "platform", line: / (requests|compute)$/, resource: /:aws_lambda_function\./, service: SERVICES.lambda },
];

export function serviceOf(c: Pick<ComponentCost, "category">, l: Pick<LineItem, "name" | "resource">): string | undefined {
  return SERVICE_RULES.find((r) => r.category === c.category && (!r.line || r.line.test(l.name)) && (!r.resource || r.resource.test(l.resource ?? "")))?.service;
}

/** What to look at when a service costs more than estimated. */
export const LOOK_AT: Readonly<Record<string, string>> = {
  [SERVICES.ec2Compute]:
    "node groups up outside the schedule (scheduler TargetsFailed and DLQ on the cost dashboard, AutoStop=false tags), the autoscaler keeping more nodes than desired_size, ON_DEMAND capacity where SPOT was meant",
  [SERVICES.ec2Other]: "NAT data processing (S3 traffic not going through the gateway endpoint), EBS volumes and snapshots left behind, public IPv4 addresses",
  [SERVICES.eks]: "a Kubernetes version past its standard support (extended support is 6x), clusters that outlived a teardown",
  [SERVICES.s3]: "lifecycle rules whose prefixes do not match where data is written, noncurrent versions, requests and retrievals (not estimated)",
  [SERVICES.cloudwatch]: "log ingestion above the profile's ingestGbPerDay, log groups without retention, custom metrics and alarms",
  [SERVICES.elb]: "load balancers created by Kubernetes Services and Ingresses beyond the profile's kubernetesLoadBalancers",
  [SERVICES.ecr]: "repositories whose lifecycle policy does not expire images, image sizes above the profile",
  [SERVICES.sagemaker]: "endpoints the scheduler did not stop (AutoStop=false, Creating at the stop), training jobs on demand instead of managed spot, more jobs than scheduled",
  [SERVICES.vpc]: "interface endpoints in more AZs than needed; public IPv4 addresses (idle Elastic IPs, public node IPs, load balancers left after a teardown)",
  [SERVICES.codebuild]: "compute lifetime builds retried or run by hand (the last-run record, ops lifetime <env>), builds slower than the profile's minutes",
  [SERVICES.lambda]: "invocations beyond the schedules (a retry loop), longer durations",
};
const LOOK_AT_DEFAULT = "the service's usage types in Cost Explorer (group by USAGE_TYPE) against the usage profile";

export interface RealizedRow {
  readonly service: string;
  /** the estimate's optimised figure, scaled to the month's days */
  readonly estimatedUsd: number;
  readonly realizedUsd: number;
  /** (realized - estimated) / estimated x 100; undefined when nothing was estimated */
  readonly overPercent?: number;
  readonly flagged: boolean;
  /** why it is flagged and what to look at */
  readonly note?: string;
  /** the estimate's components priced under this service */
  readonly components: readonly string[];
}

export interface RealizedComparison {
  /** first day of the month, YYYY-MM-DD, and the day after its last */
  readonly start: string;
  readonly end: string;
  readonly days: number;
  /** the cost allocation tag the figures are filtered by */
  readonly filter: string;
  readonly thresholdPercent: number;
  readonly estimatedUsd: number;
  readonly realizedUsd: number;
  readonly rows: readonly RealizedRow[];
  /** estimate lines no rule maps to a service */
  readonly unmapped: readonly string[];
}

/** The month before the one `now` falls in (UTC): [start, end) as Cost Explorer takes them. */
export function lastFullMonth(now: Date): { start: string; end: string; days: number } {
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1);
  const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { start: iso(start), end: iso(end), days: Math.round((end - start) / 86_400_000) };
}

export const DEFAULT_THRESHOLD_PERCENT = 20;

/**
 * Compares per service. The estimate is an average month of `hoursPerMonth` hours (730): it is
 * scaled to the month's days, so a 31-day month is not flagged for having 31 days.
 */
export function compareRealized(
  e: Estimate,
  realizedByService: ReadonlyMap<string, number>,
  month: { start: string; end: string; days: number },
  opts: { filter: string; thresholdPercent?: number; hoursPerMonth?: number },
): RealizedComparison {
  const threshold = opts.thresholdPercent ?? DEFAULT_THRESHOLD_PERCENT;
  const scale = (month.days * 24) / (opts.hoursPerMonth ?? 730);
  const estimated = new Map<string, number>();
  const components = new Map<string, Set<string>>();
  const unmapped: string[] = [];
  for (const c of e.components) {
    for (const l of c.lines.optimized) {
      const svc = serviceOf(c, l);
      if (!svc) {
        unmapped.push(`${c.name}: ${l.name} (category ${c.category})`);
        continue;
      }
      estimated.set(svc, (estimated.get(svc) ?? 0) + l.monthlyUsd * scale);
      if (!components.has(svc)) components.set(svc, new Set());
      components.get(svc)!.add(c.name);
    }
  }
  const services = [...new Set([...estimated.keys(), ...realizedByService.keys()])];
  const rows = services
    .map((service): RealizedRow => {
      const est = estimated.get(service) ?? 0;
      const real = realizedByService.get(service) ?? 0;
      const comps = [...(components.get(service) ?? [])];
      if (est < 0.005) {
        const flagged = real >= 0.01;
        return { service, estimatedUsd: est, realizedUsd: real, flagged, components: comps, note: flagged ? `billed but not in the estimate: ${LOOK_AT[service] ?? LOOK_AT_DEFAULT}; price it (a pricer) or explain it` : undefined };
      }
      const overPercent = ((real - est) / est) * 100;
      const flagged = overPercent > threshold;
      return {
        service,
        estimatedUsd: est,
        realizedUsd: real,
        overPercent,
        flagged,
        components: comps,
        note: flagged ? `${overPercent.toFixed(0)} % over the estimate; look at ${LOOK_AT[service] ?? LOOK_AT_DEFAULT}; then correct cost/usage/${e.env}.json if the usage itself grew` : undefined,
      };
    })
    .sort((a, b) => b.realizedUsd - a.realizedUsd || b.estimatedUsd - a.estimatedUsd);
  const sum = (f: (r: RealizedRow) => number) => rows.reduce((s, r) => s + f(r), 0);
  return { ...month, filter: opts.filter, thresholdPercent: threshold, estimatedUsd: sum((r) => r.estimatedUsd), realizedUsd: sum((r) => r.realizedUsd), rows, unmapped };
}

const money = (n: number) => "$" + n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const over = (r: RealizedRow) => (r.overPercent === undefined ? (r.flagged ? "not estimated" : "") : `${r.overPercent >= 0 ? "+" : ""}${r.overPercent.toFixed(0)}%`);

export function realizedToTable(c: RealizedComparison): string {
  const w = Math.max(10, ...c.rows.map((r) => r.service.length));
  const out = [
    `realized against estimated, ${c.start} .. ${c.end} (${c.days} days, Cost Explorer filtered by ${c.filter}; the estimate scaled to ${c.days} days):`,
    `  ${"service".padEnd(w)}  ${"estimated".padStart(11)}  ${"realized".padStart(11)}  ${"".padStart(13)}`,
  ];
  for (const r of c.rows) out.push(`  ${r.service.padEnd(w)}  ${money(r.estimatedUsd).padStart(11)}  ${money(r.realizedUsd).padStart(11)}  ${over(r).padStart(13)}${r.flagged ? "  !" : ""}`);
  out.push(`  ${"TOTAL".padEnd(w)}  ${money(c.estimatedUsd).padStart(11)}  ${money(c.realizedUsd).padStart(11)}`);
  const flagged = c.rows.filter((r) => r.flagged);
  if (flagged.length) out.push("", `over the estimate by more than ${c.thresholdPercent} % (${flagged.length}):`, ...flagged.map((r) => `  ! ${r.service}: ${r.note}`));
  if (c.unmapped.length) out.push("", "estimate lines with no Cost Explorer service (add a rule to cost/realized.ts SERVICE_RULES):", ...c.unmapped.map((u) => `  ? ${u}`));
  return out.join("\n");
}

export function realizedToMarkdown(c: RealizedComparison): string {
  const out = [
    `#### Realized against estimated, ${c.start} .. ${c.end}`,
    "",
    `Cost Explorer filtered by \`${c.filter}\`; the estimate scaled to ${c.days} days. Flagged: more than ${c.thresholdPercent} % over.`,
    "",
    "| Service | Estimated | Realized | Over |",
    "|---|---:|---:|---:|",
    ...c.rows.map((r) => `| ${r.flagged ? "**" + r.service + "**" : r.service} | ${money(r.estimatedUsd)} | ${money(r.realizedUsd)} | ${over(r)}${r.flagged ? " :warning:" : ""} |`),
    `| **Total** | **${money(c.estimatedUsd)}** | **${money(c.realizedUsd)}** | |`,
    "",
    ...c.rows.filter((r) => r.flagged).map((r) => `- :warning: **${r.service}**: ${r.note}`),
    ...c.unmapped.map((u) => `- unmapped estimate line: ${u}`),
  ];
  return out.join("\n") + "\n";
}
