/**
 * CloudWatch Logs, one component for every group: ingestion, plus the stored (compressed)
 * bytes growing from empty to ingestion x retention_in_days, averaged over the horizon.
 * Groups the stacks do not create (a Lambda's own group when Terraform does not manage it)
 * come from the profile's logGroupsOutsideTerraform, kept forever in both figures.
 * Baseline: every group kept forever.
 */
import { z } from "zod";
import { DAYS_PER_MONTH } from "../lifecycle";
import { component, line, LineItem, Pricer, usd } from "../pricer";
import { strictObject } from "../usage";

export const LogGroupUsage = strictObject({
  ingestGbPerDay: z.number().min(0).default(0),
  /** Stored (compressed) bytes per ingested byte. */
  storedPerIngestedRatio: z.number().positive().max(1).default(0.15),
});

const Outside = z.record(z.string(), LogGroupUsage);

export const logGroup: Pricer = {
  name: "log-group",
  types: ["aws_cloudwatch_log_group"],
  usage: { aws_cloudwatch_log_group: LogGroupUsage },
  section: { key: "logGroupsOutsideTerraform", schema: Outside },
  price(ctx) {
    const { model, prices } = ctx;
    const months = ctx.horizonMonths;
    const days = Math.round(months * DAYS_PER_MONTH);
    const groups = model.ofType("aws_cloudwatch_log_group");
    // only beside stacks that exist: an empty synthesis (the base of a --compare) costs nothing
    const outside = model.resources.length ? (ctx.section("logGroupsOutsideTerraform", Outside) ?? {}) : {};
    for (const name of Object.keys(outside)) {
      const managed = groups.find((g) => model.label(g, "name", "name_prefix") === name);
      if (managed) throw ctx.usageError(["logGroupsOutsideTerraform", name], `the stacks create this group (${managed.address}): give its usage under resources."${managed.address}"`);
    }
    if (!groups.length && !Object.keys(outside).length) return [];
    const ratios = new Set([...groups.map((g) => ctx.usage(LogGroupUsage, g).value.storedPerIngestedRatio), ...Object.values(outside).map((o) => o.storedPerIngestedRatio)]);
    const ratioText = ratios.size === 1 ? `${[...ratios][0]}` : `${[...ratios].join(" / ")} (per group)`;
    const a: string[] = [
      `ingestion ${usd(prices.logs.ingestPerGb)}/GB, storage ${usd(prices.logs.storageGbMonth)}/GB-month on ${ratioText} stored byte per ingested byte, averaged over ${months} months from empty`,
    ];
    /** Average GB stored over the horizon: each day's ingestion kept `retention` days (0: forever). */
    const avgStored = (gbPerDay: number, ratio: number, retention: number) => {
      let sum = 0;
      for (let d = 0; d < days; d++) sum += gbPerDay * ratio * (retention > 0 ? Math.min(d + 1, retention) : d + 1);
      return sum / days;
    };
    const baseline: LineItem[] = [];
    const optimized: LineItem[] = [];
    const lines = (out: LineItem[], name: string, u: { ingestGbPerDay: number; storedPerIngestedRatio: number }, retention: number, extra: Parameters<typeof line>[5]) => {
      const kept = retention > 0 ? `${retention} d retention` : "kept forever";
      out.push(
        line(`${name} ingestion`, u.ingestGbPerDay * DAYS_PER_MONTH, "GB", prices.logs.ingestPerGb, `${u.ingestGbPerDay} GB/day`, extra),
        line(`${name} storage`, avgStored(u.ingestGbPerDay, u.storedPerIngestedRatio, retention), "GB-month", prices.logs.storageGbMonth, `${kept}, ${u.storedPerIngestedRatio} stored per ingested byte, average of ${months} months from empty`, extra),
      );
      return out.slice(-2).reduce((s, l) => s + l.monthlyUsd, 0);
    };
    for (const g of groups) {
      const name = model.label(g, "name", "name_prefix");
      const { value: u, given } = ctx.usage(LogGroupUsage, g);
      if (!given && u.ingestGbPerDay === 0) {
        a.push(`${name}: no ingestion in the usage profile: 0`);
        continue;
      }
      const retention = Number(g.attrs.retention_in_days ?? 0);
      const b = lines(baseline, name, u, 0, { resource: g });
      const o = lines(optimized, name, u, retention, { resource: g });
      a.push(`${name}: ${u.ingestGbPerDay} GB/day, retention ${retention || "never expires"}${retention ? " d" : ""}: ${usd(b)} -> ${usd(o)}`);
    }
    for (const [name, u] of Object.entries(outside)) {
      const b = lines(baseline, name, u, 0, {});
      lines(optimized, name, u, 0, {});
      a.push(`${name}: ${u.ingestGbPerDay} GB/day to a log group not created by the stacks (no retention set): ${usd(b)} in both`);
    }
    a.push("baseline: every group kept forever");
    return [component("logs", "CloudWatch Logs", "logs", { baseline, optimized }, a)];
  },
};
