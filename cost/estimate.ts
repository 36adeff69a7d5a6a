/**
 * The cost estimate of one environment: the synthesized stacks (what is deployed, and how)
 * priced with the dated price table and the environment's usage profile, per component, as a
 * baseline (on-demand, 24/7, STANDARD storage, nothing expires) against what the stacks
 * actually configure (spot across the instance mix, hours from the real schedules, lifecycle
 * month by month, retention, image expiry, serverless, gateway endpoint).
 */
import { parseCron } from "../config/cron";
import { averageMonthly, DAYS_PER_MONTH, isStorageClass, ItTiering, LifecyclePolicy, simulateStream, StorageClass, StreamInput } from "./lifecycle";
import { ec2OnDemandHourly, PriceTable, sagemakerHourly, spotDiscount } from "./prices";
import { activeFirings, monthlyRunningHours, ScheduleEvent } from "./schedule";
import { label, many, one, ResourceIndex, SynthEnvironment, SynthResource, tagsOf } from "./synth";
import { matchKey, UsageProfile } from "./usage";

export type Category =
  | "eks-control-plane"
  | "eks-node-group"
  | "s3"
  | "logs"
  | "load-balancer"
  | "ecr"
  | "sagemaker-training"
  | "sagemaker-endpoint"
  | "nat"
  | "platform";

export interface ComponentCost {
  readonly id: string;
  readonly name: string;
  readonly category: Category;
  readonly baselineMonthlyUsd: number;
  readonly optimizedMonthlyUsd: number;
  readonly savingsPercent: number;
  readonly assumptions: string[];
}

export interface Estimate {
  readonly env: string;
  readonly region: string;
  readonly asOf: string;
  readonly priceTable: { readonly region: string; readonly date: string; readonly source: string };
  readonly horizonMonths: number;
  readonly stacks: readonly string[];
  readonly missingStacks: readonly string[];
  readonly baselineMonthlyUsd: number;
  readonly optimizedMonthlyUsd: number;
  readonly savingsPercent: number;
  readonly components: ComponentCost[];
  readonly warnings: string[];
}

export interface EstimateInput {
  readonly synth: SynthEnvironment;
  readonly usage: UsageProfile;
  readonly prices: PriceTable;
  /** Date of the estimate (EKS support windows, default schedule year). @default now */
  readonly asOf?: Date;
}

export function savingsPercent(baseline: number, optimized: number): number {
  return baseline > 0 ? ((baseline - optimized) / baseline) * 100 : 0;
}

const usd = (n: number) => `$${n.toFixed(2)}`;
/** hourly rates need more digits than monthly sums */
const usdh = (n: number) => `$${n.toFixed(4)}`;
const pct = (n: number) => `${(n * 100).toFixed(0)}%`;

function component(id: string, name: string, category: Category, baseline: number, optimized: number, assumptions: string[]): ComponentCost {
  return { id, name, category, baselineMonthlyUsd: baseline, optimizedMonthlyUsd: optimized, savingsPercent: savingsPercent(baseline, optimized), assumptions };
}

// ---------------------------------------------------------------------------------------------
// schedules

interface ScheduleDef {
  readonly id: string;
  readonly name: string;
  readonly action: string;
  readonly enabled: boolean;
  readonly expression: string;
  readonly timezone: string;
  /** SCHEDULE_NAME of the target function; undefined when it cannot be resolved */
  readonly scheduleTag?: string;
}

function parseInput(input: unknown): Record<string, any> | undefined {
  if (typeof input !== "string") return typeof input === "object" && input ? (input as Record<string, any>) : undefined;
  try {
    return JSON.parse(input);
  } catch {
    return undefined;
  }
}

function scheduleTagOfFunction(idx: ResourceIndex, arn: unknown, stack: string): string | undefined {
  const fn = idx.target(arn, stack);
  if (!fn || fn.type !== "aws_lambda_function") return undefined;
  const v = one(fn.attrs.environment)?.variables?.SCHEDULE_NAME;
  return typeof v === "string" && !v.includes("${") ? v : undefined;
}

export function schedulesOf(idx: ResourceIndex): ScheduleDef[] {
  const out: ScheduleDef[] = [];
  for (const r of idx.ofType("aws_scheduler_schedule")) {
    const target = one(r.attrs.target) ?? {};
    const input = parseInput(target.input);
    out.push({
      id: r.id,
      name: label(r, "name"),
      action: String(input?.action ?? "unknown"),
      enabled: (r.attrs.state ?? "ENABLED") === "ENABLED",
      expression: String(r.attrs.schedule_expression ?? ""),
      timezone: r.attrs.schedule_expression_timezone ?? "UTC",
      scheduleTag: scheduleTagOfFunction(idx, target.arn, r.stack),
    });
  }
  // EventBridge rules with a schedule and a target carrying the same {action} input
  for (const t of idx.ofType("aws_cloudwatch_event_target")) {
    const rule = idx.target(t.attrs.rule, t.stack);
    const input = parseInput(t.attrs.input);
    if (!rule || rule.type !== "aws_cloudwatch_event_rule" || !input?.action) continue;
    const enabled = rule.attrs.state ? rule.attrs.state === "ENABLED" : rule.attrs.is_enabled !== false;
    out.push({
      id: rule.id,
      name: label(rule, "name"),
      action: String(input.action),
      enabled,
      expression: String(rule.attrs.schedule_expression ?? ""),
      timezone: "UTC",
      scheduleTag: scheduleTagOfFunction(idx, t.attrs.arn, t.stack),
    });
  }
  return out;
}

interface Hours {
  readonly monthlyHours: number;
  readonly note: string;
}

const hoursCache = new Map<string, ReturnType<typeof monthlyRunningHours>>();

/** Enabled cron stop/start events of the schedules that act on tag value `tag`. */
function switchEvents(tag: string, schedules: readonly ScheduleDef[]): ScheduleEvent[] {
  return schedules
    .filter((s) => (s.action === "stop" || s.action === "start") && (s.scheduleTag === undefined || s.scheduleTag === tag) && s.enabled && s.expression.startsWith("cron("))
    .map((s) => ({ action: s.action as "stop" | "start", cron: parseCron(s.expression), timezone: s.timezone }));
}

/** Running hours per month of a resource carrying `tags`, under the stack's schedules. */
function scheduledHours(tags: Record<string, string>, schedules: readonly ScheduleDef[], year: number, hpm: number, warnings: string[]): Hours {
  const tag = tags.Schedule;
  if (!tag) return { monthlyHours: hpm, note: "no Schedule tag: runs 24/7" };
  if (String(tags.AutoStop).toLowerCase() === "false") return { monthlyHours: hpm, note: `tagged Schedule=${tag} but AutoStop=false: runs 24/7` };
  const mine = schedules.filter((s) => (s.action === "stop" || s.action === "start") && (s.scheduleTag === undefined || s.scheduleTag === tag));
  if (mine.length === 0) return { monthlyHours: hpm, note: `tagged Schedule=${tag} but no stop/start schedule acts on it: runs 24/7` };
  const enabled = mine.filter((s) => s.enabled);
  const disabled = mine.filter((s) => !s.enabled).map((s) => s.name);
  const events: ScheduleEvent[] = [];
  for (const s of enabled) {
    if (!s.expression.startsWith("cron(")) {
      warnings.push(`schedule ${s.name}: ${s.expression} is not a cron expression; ignored for running hours`);
      continue;
    }
    events.push({ action: s.action as "stop" | "start", cron: parseCron(s.expression), timezone: s.timezone });
  }
  if (!events.some((e) => e.action === "stop")) {
    return { monthlyHours: hpm, note: `Schedule=${tag}: stop schedule ${disabled.join(", ") || "missing"} DISABLED: runs 24/7` };
  }
  const key = `${year}|${hpm}|` + events.map((e) => `${e.action}:${e.cron.expression}@${e.timezone}`).sort().join(";");
  let r = hoursCache.get(key);
  if (!r) {
    r = monthlyRunningHours(events, year, hpm);
    hoursCache.set(key, r);
  }
  const desc = enabled.map((s) => `${s.action} ${s.expression} ${s.timezone}`).join("; ");
  let note = `Schedule=${tag}: ${desc} -> ${r.monthlyHours.toFixed(1)} h/month (${pct(r.fraction)} of ${year}: every firing over the year in the schedule timezone, DST included)`;
  if (!events.some((e) => e.action === "start")) note += "; no enabled start schedule: stays stopped after the first stop";
  return { monthlyHours: r.monthlyHours, note };
}

// ---------------------------------------------------------------------------------------------

export function estimate(input: EstimateInput): Estimate {
  const { synth, usage, prices } = input;
  const asOf = input.asOf ?? new Date();
  const hpm = prices.hoursPerMonth;
  const year = usage.scheduleYear ?? asOf.getUTCFullYear();
  const months = usage.horizonMonths ?? 12;
  const idx = new ResourceIndex(synth.resources);
  const warnings: string[] = [];
  const schedules = schedulesOf(idx);
  const components: ComponentCost[] = [];
  const anyStack = synth.resources.length > 0;
  if (synth.missingStacks.length) warnings.push(`stacks not synthesized: ${synth.missingStacks.join(", ")} (their resources are not priced)`);

  // EKS control plane ----------------------------------------------------------------------
  for (const c of idx.ofType("aws_eks_cluster")) {
    const name = label(c, "name");
    const version = typeof c.attrs.version === "string" ? c.attrs.version : undefined;
    const end = version ? prices.eks.standardSupportEnd[version] : undefined;
    const extended = end !== undefined && asOf.toISOString().slice(0, 10) > end;
    const rate = extended ? prices.eks.extendedSupportHourly : prices.eks.controlPlaneHourly;
    const cost = rate * hpm;
    const a = [`${usdh(rate)}/h x ${hpm} h; runs 24/7 (a teardown of the compute stack is the only off switch)`];
    if (extended) {
      a.push(`Kubernetes ${version} left standard support on ${end}: billed at the extended-support rate; upgrading saves ${usd((prices.eks.extendedSupportHourly - prices.eks.controlPlaneHourly) * hpm)}/month`);
      warnings.push(`EKS ${name}: version ${version} is in extended support since ${end} (${usdh(rate)}/h instead of ${usdh(prices.eks.controlPlaneHourly)}/h)`);
    }
    components.push(component(`eks-control-plane:${name}`, `EKS control plane ${name}`, "eks-control-plane", cost, cost, a));
  }

  // EKS node groups -------------------------------------------------------------------------
  for (const ng of idx.ofType("aws_eks_node_group")) {
    const name = label(ng, "node_group_name");
    const types: string[] = many<string>(ng.attrs.instance_types).filter((t) => typeof t === "string");
    if (types.length === 0) types.push("t3.medium"); // EKS default when none is given
    const capacity = ng.attrs.capacity_type ?? "ON_DEMAND";
    const sc = one(ng.attrs.scaling_config) ?? {};
    const u = matchKey(usage.eks?.nodeGroups, name)?.[1];
    const nodes = u?.averageNodes ?? Number(sc.desired_size ?? sc.min_size ?? 1);
    const weights = types.map((t) => u?.instanceWeights?.[t] ?? 1);
    const wsum = weights.reduce((s, w) => s + w, 0);
    const od = types.map((t) => ec2OnDemandHourly(prices, t));
    const disc = types.map((t) => spotDiscount(prices, t, usage.spotDiscount));
    const odAvg = od.reduce((s, p, i) => s + p * weights[i], 0) / wsum;
    const spotAvg = od.reduce((s, p, i) => s + p * (1 - disc[i]) * weights[i], 0) / wsum;
    const hourly = capacity === "SPOT" ? spotAvg : odAvg;
    const h = scheduledHours(tagsOf(ng), schedules, year, hpm, warnings);
    let diskGb = Number(ng.attrs.disk_size ?? 0);
    if (!diskGb) {
      const lt = idx.target(one(ng.attrs.launch_template)?.id, ng.stack) ?? idx.target(one(ng.attrs.launch_template)?.name, ng.stack);
      const bdm = many(lt?.attrs.block_device_mappings).map((b) => one(b.ebs)?.volume_size).find((v) => v);
      diskGb = Number(bdm ?? 20);
    }
    const ebsBase = nodes * diskGb * prices.ebs.gp3GbMonth;
    const baseline = nodes * odAvg * hpm + ebsBase;
    const optimized = nodes * hourly * h.monthlyHours + ebsBase * (h.monthlyHours / hpm);
    const mix = types.map((t, i) => `${t} ${usdh(od[i])}` + (capacity === "SPOT" ? ` -${pct(disc[i])}` : "")).join(", ");
    components.push(
      component(`eks-node-group:${name}`, `EKS node group ${name}`, "eks-node-group", baseline, optimized, [
        `${nodes} node(s) (${u?.averageNodes !== undefined ? "usage profile average" : "desired_size"}), ${capacity}`,
        `instance mix (${wsum === types.length ? "equal weights" : "weighted"}): ${mix}; average on-demand ${usdh(odAvg)}/h` +
          (capacity === "SPOT" ? `, spot ${usdh(spotAvg)}/h` : ""),
        h.note,
        `${diskGb} GB gp3 root volume per node, deleted while scaled to 0`,
        `baseline: on-demand, 24/7 (${hpm} h)`,
      ]),
    );
  }

  // S3 --------------------------------------------------------------------------------------
  const lifecycles = idx.ofType("aws_s3_bucket_lifecycle_configuration");
  const itConfigs = idx.ofType("aws_s3_bucket_intelligent_tiering_configuration");
  const matchedBucketKeys = new Set<string>();
  for (const b of idx.ofType("aws_s3_bucket")) {
    const name = label(b, "bucket", "bucket_prefix");
    const hit = matchKey(usage.s3.buckets, name);
    const lc = lifecycles.filter((l) => idx.refersTo(l.attrs.bucket, b, "bucket", l.stack));
    const rules = lc.flatMap((l) => many(l.attrs.rule)).filter((r) => (r.status ?? "Enabled") === "Enabled");
    const its = itConfigs.filter((c) => idx.refersTo(c.attrs.bucket, b, "bucket", c.stack) && (c.attrs.status ?? "Enabled") === "Enabled");
    const a: string[] = [];
    if (!hit) {
      a.push("no usage for this bucket in the profile: priced at 0");
      components.push(component(`s3:${name}`, `S3 ${name}`, "s3", 0, 0, a));
      continue;
    }
    matchedBucketKeys.add(hit[0]);
    const bu = hit[1];
    a.push(lc.length ? `${rules.length} enabled lifecycle rule(s)` : "no lifecycle configuration");
    let base = 0;
    let opt = 0;
    let opt12 = 0;
    const streams: { label: string; input: Omit<StreamInput, "policy" | "itTiering">; policy: LifecyclePolicy; it?: ItTiering }[] = [];
    for (const [prefix, pu] of Object.entries(bu.prefixes)) {
      const applicable = rules.filter((r) => ruleApplies(r, prefix, pu.tags ?? {}));
      const policy = mergeRules(applicable);
      const it = itTieringFor(its, prefix);
      streams.push({
        label: prefix,
        input: { initialGb: pu.storedGb, initialAgeDays: pu.initialAgeDays, monthlyGrowthGb: pu.monthlyGrowthGb, avgObjectMb: pu.avgObjectMb, accessPattern: pu.accessPattern },
        policy,
        it,
      });
    }
    // Bytes no prefix holds: they grow by a rate and only an expiry of the rules removes them.
    const expiring = (label: string, gbPerMonth: number | undefined, days: (r: Record<string, any>) => unknown) => {
      if (!gbPerMonth) return;
      const found = rules.map(days).filter((d) => d !== undefined).map(Number);
      streams.push({
        label,
        input: { initialGb: 0, monthlyGrowthGb: gbPerMonth, avgObjectMb: 8, accessPattern: "rare" },
        policy: { transitions: [], expirationDays: found.length ? Math.min(...found) : undefined },
      });
    };
    expiring("(noncurrent versions)", bu.noncurrentGbPerMonth, (r) => one(r.noncurrent_version_expiration)?.noncurrent_days);
    expiring("(incomplete multipart uploads)", bu.incompleteMultipartGbPerMonth, (r) => one(r.abort_incomplete_multipart_upload)?.days_after_initiation);
    for (const s of streams) {
      const bSeries = simulateStream({ ...s.input, policy: { transitions: [] } }, prices, months);
      const oSeries = simulateStream({ ...s.input, policy: s.policy, itTiering: s.it }, prices, months);
      const bAvg = averageMonthly(bSeries);
      const oAvg = averageMonthly(oSeries);
      base += bAvg;
      opt += oAvg;
      opt12 += oSeries[oSeries.length - 1].totalUsd;
      const last = oSeries[oSeries.length - 1];
      const pol =
        (s.policy.transitions.length ? s.policy.transitions.map((t) => `${t.storageClass}@${t.days}d`).join(" -> ") : "STANDARD") +
        (s.policy.expirationDays !== undefined ? `, expire@${s.policy.expirationDays}d` : "") +
        (s.it && (s.it.archiveAccessDays || s.it.deepArchiveAccessDays)
          ? `, IT archive@${s.it.archiveAccessDays ?? "-"}d deep@${s.it.deepArchiveAccessDays ?? "-"}d`
          : "");
      const small = s.input.avgObjectMb * 1024 < prices.s3.lifecycleMinTransitionObjectKb && s.policy.transitions.length ? " (objects < 128 KB: lifecycle does not transition them)" : "";
      a.push(
        `${s.label}: ${s.input.initialGb} GB + ${s.input.monthlyGrowthGb} GB/month, ${s.input.avgObjectMb} MB objects, ${s.input.accessPattern}; ${pol}${small}; ` +
          `${usd(bAvg)} -> ${usd(oAvg)}/month avg; month ${months}: ${last.storedGb.toFixed(0)} GB ${Object.entries(last.gbByClass).filter(([, g]) => g > 0.5).map(([k, g]) => `${k} ${g.toFixed(0)}`).join(", ")}` +
          `, fees ${usd(last.transitionUsd + last.monitoringUsd + last.earlyDeleteUsd)}`,
      );
    }
    a.push(`averaged over ${months} months (month ${months}: ${usd(opt12)}); requests and retrievals not priced (same in both)`);
    components.push(component(`s3:${name}`, `S3 ${name}`, "s3", base, opt, a));
  }
  for (const k of Object.keys(usage.s3.buckets)) {
    if (!matchedBucketKeys.has(k)) warnings.push(`usage profile bucket "${k}" matches no aws_s3_bucket in the stacks`);
  }

  // CloudWatch Logs -------------------------------------------------------------------------
  {
    const ratio = usage.logs.storedPerIngestedRatio ?? 0.15;
    const days = Math.round(months * DAYS_PER_MONTH);
    const groups = idx.ofType("aws_cloudwatch_log_group").map((g) => ({ name: label(g, "name", "name_prefix"), retention: Number(g.attrs.retention_in_days ?? 0), tf: true }));
    const seen = new Set<string>();
    const a: string[] = [`ingestion ${usd(prices.logs.ingestPerGb)}/GB, storage ${usd(prices.logs.storageGbMonth)}/GB-month on ${ratio} stored byte per ingested byte, averaged over ${months} months from empty`];
    let base = 0;
    let opt = 0;
    const avgStored = (gbPerDay: number, retention: number) => {
      let sum = 0;
      for (let d = 0; d < days; d++) sum += gbPerDay * ratio * (retention > 0 ? Math.min(d + 1, retention) : d + 1);
      return sum / days;
    };
    const price = (gbPerDay: number, retention: number) => gbPerDay * DAYS_PER_MONTH * prices.logs.ingestPerGb + avgStored(gbPerDay, retention) * prices.logs.storageGbMonth;
    for (const g of groups) {
      const hit = matchKey(usage.logs.groups, g.name);
      if (!hit) {
        a.push(`${g.name}: no ingestion in the usage profile: 0`);
        continue;
      }
      seen.add(hit[0]);
      const b = price(hit[1].ingestGbPerDay, 0);
      const o = price(hit[1].ingestGbPerDay, g.retention);
      base += b;
      opt += o;
      a.push(`${g.name}: ${hit[1].ingestGbPerDay} GB/day, retention ${g.retention || "never expires"}${g.retention ? " d" : ""}: ${usd(b)} -> ${usd(o)}`);
    }
    for (const [k, v] of Object.entries(usage.logs.groups)) {
      if (seen.has(k) || !anyStack) continue;
      const b = price(v.ingestGbPerDay, 0);
      base += b;
      opt += b;
      a.push(`${k}: ${v.ingestGbPerDay} GB/day to a log group not created by the stacks (no retention set): ${usd(b)} in both`);
    }
    a.push("baseline: every group kept forever");
    if (groups.length || Object.keys(usage.logs.groups).length) components.push(component("logs", "CloudWatch Logs", "logs", base, opt, a));
  }

  // Load balancer (created by Kubernetes) ----------------------------------------------------
  // only with a cluster whose ingress would create it
  if (usage.loadBalancer && usage.loadBalancer.count > 0 && idx.ofType("aws_eks_cluster").length > 0) {
    const lb = usage.loadBalancer;
    const hours = lb.hoursPerMonth ?? hpm;
    const cost = lb.count * hours * (prices.elb.albHourly + lb.averageLcu * prices.elb.albLcuHourly);
    components.push(
      component("load-balancer", "Application Load Balancer (Kubernetes ingress)", "load-balancer", lb.count * hpm * (prices.elb.albHourly + lb.averageLcu * prices.elb.albLcuHourly), cost, [
        `${lb.count} ALB(s) created by the AWS Load Balancer Controller (not in Terraform), ${hours} h/month, ${lb.averageLcu} LCU average`,
        "the ALB stays up while nodes are stopped (the Ingress object persists)",
      ]),
    );
  }

  // ECR --------------------------------------------------------------------------------------
  {
    const policies = idx.ofType("aws_ecr_lifecycle_policy");
    const a: string[] = [`${usd(prices.ecr.storageGbMonth)}/GB-month, averaged over ${months} months`];
    let base = 0;
    let opt = 0;
    const repos = idx.ofType("aws_ecr_repository");
    for (const r of repos) {
      const name = label(r, "name");
      const hit = matchKey(usage.ecr.repositories, name);
      if (!hit) {
        a.push(`${name}: no pushes in the usage profile: 0`);
        continue;
      }
      const pol = policies.find((p) => idx.refersTo(p.attrs.repository, r, "name", p.stack));
      const rules = pol ? parseEcrPolicy(pol.attrs.policy) : [];
      const sim = simulateEcr(hit[1], rules, months);
      const b = sim.baselineAvgImages * hit[1].imageSizeGb * prices.ecr.storageGbMonth;
      const o = sim.keptAvgImages * hit[1].imageSizeGb * prices.ecr.storageGbMonth;
      base += b;
      opt += o;
      a.push(
        `${name}: ${hit[1].pushesPerWeek} pushes/week x ${hit[1].imageSizeGb} GB; ${rules.length ? `lifecycle keeps ${sim.keptFinal} image(s) at steady state` : "no lifecycle policy: keeps every image"}; ` +
          `avg images ${sim.baselineAvgImages.toFixed(0)} -> ${sim.keptAvgImages.toFixed(0)}: ${usd(b)} -> ${usd(o)}`,
      );
    }
    a.push("baseline: every image kept; layers shared between images not deduplicated");
    if (repos.length) components.push(component("ecr", "ECR repositories", "ecr", base, opt, a));
  }

  // SageMaker training ---------------------------------------------------------------------------
  const tr = usage.sagemaker.training;
  if (tr && anyStack) {
    let jobs = tr.jobsPerMonth;
    const a: string[] = [];
    const rule = idx.ofType("aws_cloudwatch_event_rule").find((r) => /train/i.test(label(r, "name")) && typeof r.attrs.schedule_expression === "string");
    const sched = schedules.find((s) => /train/i.test(s.name) || s.action === "train");
    if (rule && String(rule.attrs.schedule_expression).startsWith("cron(")) {
      const name = label(rule, "name");
      const enabled = rule.attrs.state ? rule.attrs.state === "ENABLED" : rule.attrs.is_enabled !== false;
      if (!enabled) {
        jobs = 0;
        a.push(`training rule ${name} is DISABLED: no scheduled jobs`);
      } else {
        // the scheduler disables a rule tagged Schedule=<name> out of hours
        const tags = tagsOf(rule);
        const switches = tags.Schedule && String(tags.AutoStop).toLowerCase() !== "false" ? switchEvents(tags.Schedule, schedules) : [];
        const fire: ScheduleEvent = { action: "start", cron: parseCron(String(rule.attrs.schedule_expression)), timezone: "UTC" };
        const key = `${rule.attrs.schedule_expression}|${year}|` + switches.map((e) => `${e.action}:${e.cron.expression}@${e.timezone}`).join(";");
        let n = firingsCache.get(key);
        if (n === undefined) {
          n = activeFirings(fire, switches, Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1));
          firingsCache.set(key, n);
        }
        jobs = n / 12;
        a.push(
          `${jobs.toFixed(2)} jobs/month: one per firing of rule ${name} ${rule.attrs.schedule_expression} (UTC)` +
            (switches.length ? ` while Schedule=${tags.Schedule} leaves it enabled` : "") +
            ` over ${year} (profile's ${tr.jobsPerMonth}/month not used)`,
        );
      }
    } else if (sched && sched.expression.startsWith("cron(")) {
      jobs = sched.enabled ? countFirings(sched.expression, sched.timezone, year) / 12 : 0;
      a.push(sched.enabled ? `${jobs.toFixed(2)} jobs/month from training schedule ${sched.name} ${sched.expression} ${sched.timezone}` : `training schedule ${sched.name} is DISABLED: no scheduled jobs`);
    } else {
      a.push(`${jobs} jobs/month (usage profile; no training schedule in the stacks)`);
    }
    const count = tr.instanceCount ?? 1;
    const rate = sagemakerHourly(prices, tr.instanceType, "training");
    const hours = jobs * tr.hoursPerJob * count;
    const spot = tr.managedSpot ?? true;
    const disc = usage.spotDiscount?.[`sagemaker-training`] ?? prices.sagemaker.managedSpotTrainingDiscount;
    const overhead = tr.spotOverheadFactor ?? 1.1;
    const base = hours * rate;
    const opt = spot ? hours * overhead * rate * (1 - disc) : base;
    a.push(`${tr.hoursPerJob} h x ${count} ${tr.instanceType} (${usdh(rate)}/h) per job`);
    a.push(spot ? `managed spot training: -${pct(disc)}, x${overhead} billable time for interruptions/checkpoint restarts` : "on-demand training");
    a.push("baseline: on-demand training");
    components.push(component("sagemaker-training", "SageMaker training", "sagemaker-training", base, opt, a));
  }

  // SageMaker endpoints ---------------------------------------------------------------------------
  for (const ep of idx.ofType("aws_sagemaker_endpoint")) {
    const name = label(ep, "name");
    const cfg = idx.target(ep.attrs.endpoint_config_name, ep.stack) ?? idx.ofType("aws_sagemaker_endpoint_configuration").find((c) => c.attrs.name === ep.attrs.endpoint_config_name);
    const variants = many(cfg?.attrs.production_variants);
    const eu = usage.sagemaker.endpoint;
    const a: string[] = [];
    let base = 0;
    let opt = 0;
    const baseType = eu?.baselineInstanceType ?? "ml.m5.large";
    const baseCount = eu?.baselineInstanceCount ?? 1;
    for (const v of variants) {
      const sl = one(v.serverless_config);
      if (sl) {
        const memGb = Number(sl.memory_size_in_mb) / 1024;
        const inv = (eu?.invocationsPerDay ?? 0) * DAYS_PER_MONTH;
        const gbSec = inv * ((eu?.avgDurationMs ?? 0) / 1000) * memGb;
        const dataGb = (inv * (eu?.payloadKb ?? 2)) / (1024 * 1024);
        const o = gbSec * prices.sagemaker.serverlessPerGbSecond + dataGb * prices.sagemaker.serverlessDataPerGb;
        const b = baseCount * sagemakerHourly(prices, baseType, "hosting") * hpm;
        opt += o;
        base += b;
        a.push(
          `variant ${v.variant_name ?? "?"}: serverless ${sl.memory_size_in_mb} MB, max concurrency ${sl.max_concurrency}; ${eu?.invocationsPerDay ?? 0} invocations/day x ${eu?.avgDurationMs ?? 0} ms = ${gbSec.toFixed(0)} GB-s/month: ${usd(o)}`,
          `baseline: ${baseCount} x ${baseType} real-time 24/7: ${usd(b)}`,
        );
      } else {
        const type = String(v.instance_type);
        const rate = sagemakerHourly(prices, type, "hosting");
        const target = idx
          .ofType("aws_appautoscaling_target")
          .filter((t) => t.attrs.service_namespace === "sagemaker")
          .find((t) => typeof t.attrs.resource_id === "string" && (t.attrs.resource_id.includes(`aws_sagemaker_endpoint.${ep.id}.`) || t.attrs.resource_id.includes(`endpoint/${name}/`)));
        const initial = Number(v.initial_instance_count ?? 1);
        const count = Math.max(initial, Number(target?.attrs.min_capacity ?? 0));
        const h = scheduledHours(tagsOf(ep), schedules, year, hpm, warnings);
        const b = count * rate * hpm;
        const o = count * rate * h.monthlyHours;
        base += b;
        opt += o;
        a.push(
          `variant ${v.variant_name ?? "?"}: ${count} x ${type} real-time (${usdh(rate)}/h)` + (target ? `, autoscaling ${target.attrs.min_capacity}-${target.attrs.max_capacity} (priced at the floor)` : ""),
          h.note,
          `baseline: ${count} x ${type} 24/7`,
        );
      }
    }
    components.push(component(`sagemaker-endpoint:${name}`, `SageMaker endpoint ${name}`, "sagemaker-endpoint", base, opt, a));
  }

  // NAT and VPC endpoints ------------------------------------------------------------------------
  {
    const nats = idx.ofType("aws_nat_gateway").length;
    const vpces = idx.ofType("aws_vpc_endpoint");
    const s3Gateway = vpces.some((e) => /\.s3$/.test(String(e.attrs.service_name ?? "")) && (e.attrs.vpc_endpoint_type ?? "Gateway") === "Gateway");
    const iface = vpces.filter((e) => e.attrs.vpc_endpoint_type === "Interface");
    const azs = new Set(idx.ofType("aws_subnet").map((s) => s.attrs.availability_zone ?? s.attrs.availability_zone_id).filter((z) => typeof z === "string"));
    const azCount = Math.max(azs.size, nats, idx.ofType("aws_vpc").length ? 2 : 0);
    if (nats || idx.ofType("aws_vpc").length) {
      const n = usage.network;
      const natH = prices.vpc.natGatewayHourly * hpm;
      const ifaceCost = iface.reduce((s, e) => s + Math.max(1, many(e.attrs.subnet_ids).length) * prices.vpc.interfaceEndpointHourlyPerAz * hpm, 0);
      const base = azCount * natH + (n.natProcessedGbPerMonth + n.s3TrafficGbPerMonth) * prices.vpc.natGatewayPerGb + ifaceCost;
      const opt = nats * natH + (n.natProcessedGbPerMonth + (s3Gateway ? 0 : n.s3TrafficGbPerMonth)) * prices.vpc.natGatewayPerGb + ifaceCost;
      components.push(
        component("nat", "NAT gateways and VPC endpoints", "nat", base, opt, [
          `${nats} NAT gateway(s) x ${usd(natH)}/month; ${n.natProcessedGbPerMonth} GB/month internet egress at ${usdh(prices.vpc.natGatewayPerGb)}/GB`,
          s3Gateway ? `S3 gateway endpoint: ${n.s3TrafficGbPerMonth} GB/month of S3 traffic bypasses the NAT (free)` : `no S3 gateway endpoint: ${n.s3TrafficGbPerMonth} GB/month of S3 traffic pays NAT processing`,
          ...(iface.length ? [`${iface.length} interface endpoint(s): ${usd(ifaceCost)}/month`] : []),
          `baseline: one NAT per AZ (${azCount}), S3 traffic through the NAT`,
        ]),
      );
    }
  }

  // Platform overhead ------------------------------------------------------------------------------
  {
    const fns = idx.ofType("aws_lambda_function");
    const alarms = idx.ofType("aws_cloudwatch_metric_alarm").length;
    const keys = idx.ofType("aws_kms_key").length;
    const queues = idx.ofType("aws_sqs_queue").length;
    let invocations = 0;
    for (const s of schedules.filter((x) => x.enabled && x.expression.startsWith("cron("))) invocations += countFirings(s.expression, s.timezone, year) / 12;
    const lam = usage.lambda ?? {};
    const lambdaUsd = (invocations / 1e6) * prices.lambda.perMillionRequests + invocations * ((lam.avgDurationMs ?? 3000) / 1000) * ((lam.memoryMb ?? 256) / 1024) * prices.lambda.perGbSecond;
    const cost = lambdaUsd + alarms * prices.cloudwatch.alarmMonthly + keys * prices.kms.keyMonthly + (invocations / 1e6) * prices.scheduler.perMillionInvocations;
    if (fns.length || alarms || keys || queues) {
      components.push(
        component("platform", "Platform overhead (Lambda, schedules, alarms, KMS, SQS)", "platform", cost, cost, [
          `${fns.length} function(s), ${invocations.toFixed(0)} scheduled invocations/month: ${usd(lambdaUsd)}`,
          `${alarms} alarm(s) x ${usd(prices.cloudwatch.alarmMonthly)}, ${keys} KMS key(s) x ${usd(prices.kms.keyMonthly)}, ${queues} SQS queue(s) (within the free tier)`,
        ]),
      );
    }
  }

  const baselineMonthlyUsd = components.reduce((s, c) => s + c.baselineMonthlyUsd, 0);
  const optimizedMonthlyUsd = components.reduce((s, c) => s + c.optimizedMonthlyUsd, 0);
  return {
    env: synth.env,
    region: prices.region,
    asOf: asOf.toISOString().slice(0, 10),
    priceTable: { region: prices.region, date: prices.date, source: prices.source },
    horizonMonths: months,
    stacks: synth.stacks,
    missingStacks: synth.missingStacks,
    baselineMonthlyUsd,
    optimizedMonthlyUsd,
    savingsPercent: savingsPercent(baselineMonthlyUsd, optimizedMonthlyUsd),
    components,
    warnings,
  };
}

const firingsCache = new Map<string, number>();
function countFirings(expression: string, tz: string, year: number): number {
  const key = `${expression}@${tz}@${year}`;
  let n = firingsCache.get(key);
  if (n === undefined) {
    const cron = parseCron(expression);
    // a stop-only schedule's stop count is its firing count
    n = monthlyRunningHours([{ action: "stop", cron, timezone: tz }], year).stops;
    firingsCache.set(key, n);
  }
  return n;
}

// ---------------------------------------------------------------------------------------------
// S3 rule helpers

function ruleFilter(rule: any): { prefix: string; tags: Record<string, string> } {
  const f = one(rule.filter);
  if (!f) return { prefix: typeof rule.prefix === "string" ? rule.prefix : "", tags: {} };
  const and = one(f.and);
  if (and) return { prefix: and.prefix ?? "", tags: { ...(and.tags ?? {}) } };
  const tag = one(f.tag);
  return { prefix: f.prefix ?? "", tags: tag ? { [tag.key]: tag.value } : {} };
}

export function ruleApplies(rule: any, prefix: string, tags: Readonly<Record<string, string>>): boolean {
  const f = ruleFilter(rule);
  if (!prefix.startsWith(f.prefix)) return false;
  return Object.entries(f.tags).every(([k, v]) => tags[k] === v);
}

export function mergeRules(rules: readonly any[]): LifecyclePolicy {
  const transitions: { days: number; storageClass: StorageClass }[] = [];
  let expirationDays: number | undefined;
  for (const r of rules) {
    for (const t of many(r.transition)) {
      const sc = String(t.storage_class);
      if (!isStorageClass(sc)) throw new Error(`lifecycle rule ${r.id}: unknown storage_class ${sc}`);
      transitions.push({ days: Number(t.days ?? 0), storageClass: sc });
    }
    const e = one(r.expiration);
    if (e?.days !== undefined) expirationDays = Math.min(expirationDays ?? Infinity, Number(e.days));
  }
  transitions.sort((a, b) => a.days - b.days);
  return { transitions, expirationDays };
}

function itTieringFor(configs: readonly SynthResource[], prefix: string): ItTiering | undefined {
  for (const c of configs) {
    const f = one(c.attrs.filter);
    const p = f?.prefix ?? "";
    if (!prefix.startsWith(p)) continue;
    const out: { archiveAccessDays?: number; deepArchiveAccessDays?: number } = {};
    for (const t of many(c.attrs.tiering)) {
      if (t.access_tier === "ARCHIVE_ACCESS") out.archiveAccessDays = Number(t.days);
      if (t.access_tier === "DEEP_ARCHIVE_ACCESS") out.deepArchiveAccessDays = Number(t.days);
    }
    return out;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// ECR

export interface EcrRule {
  readonly priority: number;
  readonly tagStatus: "tagged" | "untagged" | "any";
  readonly tagPrefixList: readonly string[];
  readonly countType: "imageCountMoreThan" | "sinceImagePushed";
  readonly countNumber: number;
}

export function parseEcrPolicy(policy: unknown): EcrRule[] {
  const doc = typeof policy === "string" ? JSON.parse(policy) : policy;
  return many<any>(doc?.rules)
    .map((r) => ({
      priority: Number(r.rulePriority),
      tagStatus: r.selection?.tagStatus ?? "any",
      tagPrefixList: r.selection?.tagPrefixList ?? [],
      countType: r.selection?.countType ?? "imageCountMoreThan",
      countNumber: Number(r.selection?.countNumber ?? 0),
    }))
    .sort((a, b) => a.priority - b.priority);
}

interface Image {
  readonly seq: number;
  readonly pushedWeek: number;
  readonly tag?: string;
}

/**
 * Weekly pushes over the horizon with the profile's tag mix; after each week the lifecycle
 * policy runs: every image belongs to the first rule (by priority) that selects it, and each
 * rule keeps its newest countNumber images (or those younger than countNumber days).
 */
export function simulateEcr(u: { pushesPerWeek: number; initialImages?: number; tagMix: Readonly<Record<string, number>> }, rules: readonly EcrRule[], months: number) {
  const weeks = Math.round((months * DAYS_PER_MONTH) / 7);
  const mix = Object.entries(u.tagMix);
  const total = mix.reduce((s, [, w]) => s + w, 0) || 1;
  let images: Image[] = [];
  let pushed = 0;
  const kind = (i: number) => {
    // deterministic low-discrepancy draw over the mix
    const x = (i * 0.6180339887) % 1;
    let accw = 0;
    for (const [k, w] of mix) {
      accw += w / total;
      if (x < accw) return k;
    }
    return mix[mix.length - 1]?.[0] ?? "untagged";
  };
  const push = (week: number) => {
    const k = kind(pushed);
    pushed++;
    images.push({ seq: pushed, pushedWeek: week, tag: k === "untagged" ? undefined : `${k}-${pushed}` });
  };
  for (let i = 0; i < (u.initialImages ?? 0); i++) push(-1);
  let baseSum = 0;
  let keptSum = 0;
  let carry = 0;
  for (let w = 0; w < weeks; w++) {
    carry += u.pushesPerWeek;
    while (carry >= 1) {
      push(w);
      carry -= 1;
    }
    if (rules.length) images = applyEcrRules(images, rules, w);
    baseSum += pushed;
    keptSum += images.length;
  }
  return { baselineAvgImages: baseSum / weeks, keptAvgImages: keptSum / weeks, keptFinal: images.length };
}

function applyEcrRules(images: Image[], rules: readonly EcrRule[], week: number): Image[] {
  const byRule = new Map<EcrRule, Image[]>();
  const unmatched: Image[] = [];
  for (const img of images) {
    const r = rules.find((x) =>
      x.tagStatus === "any" ? true : x.tagStatus === "untagged" ? !img.tag : !!img.tag && (x.tagPrefixList.length === 0 || x.tagPrefixList.some((p) => img.tag!.startsWith(p))),
    );
    if (!r) unmatched.push(img);
    else byRule.set(r, [...(byRule.get(r) ?? []), img]);
  }
  const kept = [...unmatched];
  for (const [r, imgs] of byRule) {
    if (r.countType === "sinceImagePushed") kept.push(...imgs.filter((i) => (week - i.pushedWeek) * 7 <= r.countNumber));
    else kept.push(...imgs.slice(-r.countNumber));
  }
  return kept.sort((a, b) => a.seq - b.seq);
}
