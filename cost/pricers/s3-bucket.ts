/**
 * S3 bucket, one component each: per prefix of the profile, the initial stock plus monthly
 * growth, aged day by day through the lifecycle rules that apply to it (filter prefix, `and`
 * tags, status) and Intelligent-Tiering (archive tiers from the bucket's
 * aws_s3_bucket_intelligent_tiering_configuration); noncurrent versions and abandoned
 * multipart uploads expire per the rules. Storage by class, transition requests, IT
 * monitoring and early-deletion charges, averaged over the horizon. Baseline: STANDARD,
 * nothing expires.
 */
import { z } from "zod";
import { Attrs, block, blocks, TfResource } from "../../terraform";
import { averageMonthly, ItTiering, isStorageClass, LifecyclePolicy, MonthCost, simulateStream, StorageClass, StreamInput } from "../lifecycle";
import { component, line, LineItem, Pricer, PricingContext, usd } from "../pricer";
import { strictObject } from "../usage";

const PrefixUsage = strictObject({
  storedGb: z.number().min(0),
  monthlyGrowthGb: z.number().min(0),
  avgObjectMb: z.number().positive(),
  /** frequent: read all the time; infrequent: every few weeks; rare: written once, seldom read */
  accessPattern: z.enum(["frequent", "infrequent", "rare"]),
  /** Age of the initial stock when the horizon starts. */
  initialAgeDays: z.number().min(0).default(0),
  /** Object tags, matched against lifecycle rules that filter on tags. */
  tags: z.record(z.string(), z.string()).default({}),
});

export const BucketUsage = strictObject({
  /** Key prefix -> what is stored under it. */
  prefixes: z.record(z.string(), PrefixUsage).default({}),
  /** GB of object versions replaced per month (kept as noncurrent versions). */
  noncurrentGbPerMonth: z.number().min(0).default(0),
  /** GB of multipart uploads abandoned per month. */
  incompleteMultipartGbPerMonth: z.number().min(0).default(0),
});

// ---------------------------------------------------------------------------------------------
// lifecycle rules

function ruleFilter(rule: Attrs): { prefix: string; tags: Record<string, string> } {
  const f = block(rule.filter);
  if (!f) return { prefix: typeof rule.prefix === "string" ? rule.prefix : "", tags: {} };
  const and = block(f.and);
  if (and) return { prefix: and.prefix ?? "", tags: { ...(and.tags ?? {}) } };
  const tag = block(f.tag);
  return { prefix: f.prefix ?? "", tags: tag ? { [tag.key]: tag.value } : {} };
}

/** Whether a lifecycle rule applies to objects under `prefix` carrying `tags`. */
export function ruleApplies(rule: Attrs, prefix: string, tags: Readonly<Record<string, string>>): boolean {
  const f = ruleFilter(rule);
  if (!prefix.startsWith(f.prefix)) return false;
  return Object.entries(f.tags).every(([k, v]) => tags[k] === v);
}

/** The rules that apply, merged: every transition (sorted), the earliest expiry. */
export function mergeRules(rules: readonly Attrs[]): LifecyclePolicy {
  const transitions: { days: number; storageClass: StorageClass }[] = [];
  let expirationDays: number | undefined;
  for (const r of rules) {
    for (const t of blocks(r.transition)) {
      const sc = String(t.storage_class);
      if (!isStorageClass(sc)) throw new Error(`lifecycle rule ${r.id}: unknown storage_class ${sc}`);
      transitions.push({ days: Number(t.days ?? 0), storageClass: sc });
    }
    const e = block(r.expiration);
    if (e?.days !== undefined) expirationDays = Math.min(expirationDays ?? Infinity, Number(e.days));
  }
  transitions.sort((a, b) => a.days - b.days);
  return { transitions, expirationDays };
}

function itTieringFor(configs: readonly TfResource[], prefix: string): ItTiering | undefined {
  for (const c of configs) {
    const p = c.block("filter")?.prefix ?? "";
    if (!prefix.startsWith(p)) continue;
    const out: { archiveAccessDays?: number; deepArchiveAccessDays?: number } = {};
    for (const t of c.blocks("tiering")) {
      if (t.access_tier === "ARCHIVE_ACCESS") out.archiveAccessDays = Number(t.days);
      if (t.access_tier === "DEEP_ARCHIVE_ACCESS") out.deepArchiveAccessDays = Number(t.days);
    }
    return out;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// lines of a simulated stream

/** Lines of a month-by-month series, averaged: storage per class, then the fees. */
function seriesLines(ctx: PricingContext, bucket: TfResource, label: string, series: readonly MonthCost[], policy: string): LineItem[] {
  const p = ctx.prices.s3;
  const n = Math.max(1, series.length);
  const avg = (pick: (m: MonthCost) => Readonly<Record<string, number>>) => {
    const out = new Map<string, number>();
    for (const m of series) for (const [k, v] of Object.entries(pick(m))) out.set(k, (out.get(k) ?? 0) + v / n);
    return out;
  };
  const opts = { resource: bucket };
  const over = `average of ${series.length} months`;
  const out: LineItem[] = [];
  for (const [cls, gb] of avg((m) => m.gbByClass)) {
    if (gb > 0) out.push(line(`${label} ${cls}`, gb, "GB-month", p.storageGbMonth[cls], `${label} stored in ${cls}, ${over} (${policy})`, opts));
  }
  for (const [cls, k] of avg((m) => m.transitionsK)) {
    if (k > 0) out.push(line(`${label} transitions to ${cls}`, k, "1k requests", p.transitionPer1000[cls] ?? 0, `lifecycle transition requests, one per object, ${over}`, opts));
  }
  const monitored = series.reduce((s, m) => s + m.monitoredK / n, 0);
  if (monitored > 0) out.push(line(`${label} IT monitoring`, monitored, "1k objects", p.itMonitoringPer1000Objects, `objects Intelligent-Tiering monitors, ${over}`, opts));
  for (const [cls, gbm] of avg((m) => m.earlyDeleteGbMonths)) {
    if (gbm > 0) out.push(line(`${label} early deletion ${cls}`, gbm, "GB-month", p.storageGbMonth[cls], `minimum storage duration of ${cls} charged for objects that left it early, ${over}`, opts));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

interface Stream {
  readonly label: string;
  readonly input: Omit<StreamInput, "policy" | "itTiering">;
  readonly policy: LifecyclePolicy;
  readonly it?: ItTiering;
}

export const s3Bucket: Pricer = {
  name: "s3-bucket",
  types: ["aws_s3_bucket", "aws_s3_bucket_lifecycle_configuration", "aws_s3_bucket_intelligent_tiering_configuration"],
  usage: { aws_s3_bucket: BucketUsage },
  price(ctx) {
    const { model, prices } = ctx;
    const months = ctx.horizonMonths;
    return model.ofType("aws_s3_bucket").map((b) => {
      const name = model.label(b, "bucket", "bucket_prefix");
      const { value: bu, given } = ctx.usage(BucketUsage, b);
      const lc = model.referencing("aws_s3_bucket_lifecycle_configuration", "bucket", b);
      const rules = lc.flatMap((l) => l.blocks("rule")).filter((r) => (r.status ?? "Enabled") === "Enabled");
      const its = model.referencing("aws_s3_bucket_intelligent_tiering_configuration", "bucket", b).filter((c) => (c.attrs.status ?? "Enabled") === "Enabled");
      const streams: Stream[] = Object.entries(bu.prefixes).map(([prefix, pu]) => ({
        label: prefix,
        input: { initialGb: pu.storedGb, initialAgeDays: pu.initialAgeDays, monthlyGrowthGb: pu.monthlyGrowthGb, avgObjectMb: pu.avgObjectMb, accessPattern: pu.accessPattern },
        policy: mergeRules(rules.filter((r) => ruleApplies(r, prefix, pu.tags))),
        it: itTieringFor(its, prefix),
      }));
      // Bytes no prefix holds: they grow by a rate and only an expiry of the rules removes them.
      const expiring = (label: string, gbPerMonth: number, days: (r: Attrs) => unknown) => {
        if (!gbPerMonth) return;
        const found = rules.map(days).filter((d) => d !== undefined).map(Number);
        streams.push({
          label,
          input: { initialGb: 0, monthlyGrowthGb: gbPerMonth, avgObjectMb: 8, accessPattern: "rare" },
          policy: { transitions: [], expirationDays: found.length ? Math.min(...found) : undefined },
        });
      };
      expiring("(noncurrent versions)", bu.noncurrentGbPerMonth, (r) => block(r.noncurrent_version_expiration)?.noncurrent_days);
      expiring("(incomplete multipart uploads)", bu.incompleteMultipartGbPerMonth, (r) => block(r.abort_incomplete_multipart_upload)?.days_after_initiation);
      if (!given && streams.length === 0) {
        return component(`s3:${name}`, `S3 ${name}`, "s3", { baseline: [], optimized: [] }, ["no usage for this bucket in the profile: priced at 0"]);
      }
      const a = [lc.length ? `${rules.length} enabled lifecycle rule(s)` : "no lifecycle configuration"];
      const baseline: LineItem[] = [];
      const optimized: LineItem[] = [];
      let opt12 = 0;
      // GB per class per month, every stream of the bucket added up (the page's stacked area)
      const byMonth = Array.from({ length: months }, () => new Map<string, number>());
      for (const s of streams) {
        const bSeries = simulateStream({ ...s.input, policy: { transitions: [] } }, prices, months);
        const oSeries = simulateStream({ ...s.input, policy: s.policy, itTiering: s.it }, prices, months);
        oSeries.forEach((m, i) => {
          for (const [cls, gb] of Object.entries(m.gbByClass)) byMonth[i].set(cls, (byMonth[i].get(cls) ?? 0) + gb);
        });
        const last = oSeries[oSeries.length - 1];
        opt12 += last.totalUsd;
        const pol =
          (s.policy.transitions.length ? s.policy.transitions.map((t) => `${t.storageClass}@${t.days}d`).join(" -> ") : "STANDARD") +
          (s.policy.expirationDays !== undefined ? `, expire@${s.policy.expirationDays}d` : "") +
          (s.it && (s.it.archiveAccessDays || s.it.deepArchiveAccessDays) ? `, IT archive@${s.it.archiveAccessDays ?? "-"}d deep@${s.it.deepArchiveAccessDays ?? "-"}d` : "");
        baseline.push(...seriesLines(ctx, b, s.label, bSeries, "baseline: STANDARD, kept"));
        optimized.push(...seriesLines(ctx, b, s.label, oSeries, pol));
        const small = s.input.avgObjectMb * 1024 < prices.s3.lifecycleMinTransitionObjectKb && s.policy.transitions.length ? " (objects < 128 KB: lifecycle does not transition them)" : "";
        const classes = Object.entries(last.gbByClass).filter(([, g]) => g > 0.5).map(([k, g]) => `${k} ${g.toFixed(0)}`).join(", ");
        a.push(
          `${s.label}: ${s.input.initialGb} GB + ${s.input.monthlyGrowthGb} GB/month, ${s.input.avgObjectMb} MB objects, ${s.input.accessPattern}; ${pol}${small}; ` +
            `${usd(averageMonthly(bSeries))} -> ${usd(averageMonthly(oSeries))}/month avg; month ${months}: ${last.storedGb.toFixed(0)} GB ${classes}` +
            `, fees ${usd(last.transitionUsd + last.monitoringUsd + last.earlyDeleteUsd)}`,
        );
      }
      a.push(`averaged over ${months} months (month ${months}: ${usd(opt12)}); requests and retrievals not priced (same in both)`);
      const storageByMonth = byMonth.map((m, i) => ({ month: i + 1, gbByClass: Object.fromEntries(m) }));
      return component(`s3:${name}`, `S3 ${name}`, "s3", { baseline, optimized }, a, { storageByMonth });
    });
  },
};
