/**
 * CloudWatch Logs, one component for every group: ingestion at its log class's price (the
 * Infrequent Access class halves it), plus the stored (compressed) bytes growing from empty to
 * ingestion x retention_in_days, averaged over the horizon. A group whose writer only runs part
 * of the time (the EKS control plane, pods, an endpoint: what goes with the compute lifetime)
 * ingests over its writer's hours: `ingestGbPerDay` is a day the writer runs through, and the
 * writer is the usage's `ingestFollows` (an address), else found by name (the cluster of
 * /aws/eks/<cluster>/cluster, the endpoint of /aws/sagemaker/Endpoints/<endpoint>). Groups the
 * stacks do not create come from the profile's logGroupsOutsideTerraform, kept forever in both
 * figures. Baseline: every group Standard, kept forever, written 24/7.
 */
import { z } from "zod";
import { DAYS_PER_MONTH } from "../lifecycle";
import { component, line, LineItem, Pricer, usd } from "../pricer";
import { TfResource } from "../../terraform";
import { strictObject } from "../usage";

export const LogGroupUsage = strictObject({
  ingestGbPerDay: z.number().min(0).default(0),
  /** Stored (compressed) bytes per ingested byte. */
  storedPerIngestedRatio: z.number().positive().max(1).default(0.15),
  /** Address of the resource whose running hours the ingestion follows (e.g. the cluster, for its pods' logs). @default - found by name, else 24/7 */
  ingestFollows: z.string().optional(),
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
      `ingestion ${usd(prices.logs.ingestPerGb)}/GB (Infrequent Access ${usd(prices.logs.ingestPerGbInfrequentAccess)}/GB), storage ${usd(prices.logs.storageGbMonth)}/GB-month on ${ratioText} stored byte per ingested byte, averaged over ${months} months from empty`,
    ];
    /** Average GB stored over the horizon: each day's ingestion kept `retention` days (0: forever). */
    const avgStored = (gbPerDay: number, ratio: number, retention: number) => {
      let sum = 0;
      for (let d = 0; d < days; d++) sum += gbPerDay * ratio * (retention > 0 ? Math.min(d + 1, retention) : d + 1);
      return sum / days;
    };
    const baseline: LineItem[] = [];
    const optimized: LineItem[] = [];
    type Writer = { fraction: number; reason: string; hours?: { value: number; reason: string } };
    const always: Writer = { fraction: 1, reason: "" };
    const lines = (out: LineItem[], name: string, u: { ingestGbPerDay: number; storedPerIngestedRatio: number }, retention: number, extra: Parameters<typeof line>[5], ia = false, w: Writer = always) => {
      const kept = retention > 0 ? `${retention} d retention` : "kept forever";
      const perDay = u.ingestGbPerDay * w.fraction;
      const price = ia ? prices.logs.ingestPerGbInfrequentAccess : prices.logs.ingestPerGb;
      out.push(
        line(`${name} ingestion`, perDay * DAYS_PER_MONTH, "GB", price, `${u.ingestGbPerDay} GB/day${w.reason}; ${ia ? "Infrequent Access class" : "Standard class"}`, { ...extra, ...(w.hours ? { hours: w.hours } : {}) }),
        line(`${name} storage`, avgStored(perDay, u.storedPerIngestedRatio, retention), "GB-month", prices.logs.storageGbMonth, `${kept}, ${u.storedPerIngestedRatio} stored per ingested byte, average of ${months} months from empty`, extra),
      );
      return out.slice(-2).reduce((s, l) => s + l.monthlyUsd, 0);
    };
    /** Whose hours a group's ingestion follows: the profile's address, else the writer found by name, else none (24/7). */
    const writerOf = (name: string, u: { ingestFollows?: string }, address: string): Writer => {
      let r: TfResource | undefined;
      if (u.ingestFollows !== undefined) {
        r = ctx.resource(u.ingestFollows, ["resources", address, "ingestFollows"]);
        if (!r) return always;
      } else {
        r =
          model.ofType("aws_eks_cluster").find((c) => name === `/aws/eks/${model.label(c, "name")}/cluster`) ??
          model.ofType("aws_sagemaker_endpoint").find((e) => name === `/aws/sagemaker/Endpoints/${model.label(e, "name")}`);
      }
      if (!r) return always;
      const h = ctx.hours(r);
      if (h.value >= ctx.hoursPerMonth) return always;
      return { fraction: h.value / ctx.hoursPerMonth, reason: ` while ${model.label(r, "name")} runs (${h.value.toFixed(1)} of ${ctx.hoursPerMonth} h: ${h.reason})`, hours: h };
    };
    for (const g of groups) {
      const name = model.label(g, "name", "name_prefix");
      const { value: u, given } = ctx.usage(LogGroupUsage, g);
      if (!given && u.ingestGbPerDay === 0) {
        a.push(`${name}: no ingestion in the usage profile: 0`);
        continue;
      }
      const retention = Number(g.attrs.retention_in_days ?? 0);
      const ia = g.attrs.log_group_class === "INFREQUENT_ACCESS";
      const w = writerOf(name, u, g.address);
      const b = lines(baseline, name, u, 0, { resource: g });
      const o = lines(optimized, name, u, retention, { resource: g }, ia, w);
      a.push(`${name}: ${u.ingestGbPerDay} GB/day${w.fraction < 1 ? ` while its writer runs (${(w.fraction * 100).toFixed(0)}% of the time)` : ""}, ${ia ? "Infrequent Access" : "Standard"}, retention ${retention || "never expires"}${retention ? " d" : ""}: ${usd(b)} -> ${usd(o)}`);
    }
    for (const [name, u] of Object.entries(outside)) {
      const b = lines(baseline, name, u, 0, {});
      lines(optimized, name, u, 0, {});
      a.push(`${name}: ${u.ingestGbPerDay} GB/day to a log group not created by the stacks (no retention set): ${usd(b)} in both`);
    }
    a.push("baseline: every group Standard, kept forever, written 24/7");
    return [component("logs", "CloudWatch Logs", "logs", { baseline, optimized }, a)];
  },
};
