/**
 * The compute lifetime's builds (modules/compute-lifetime.ts): per CodeBuild project, the build
 * minutes of the schedules that start it, at the per-minute price of its compute type. Each
 * firing is a build: a teardown or restore of the usage profile's minutes, or, on a skip date
 * (the restore does nothing, and the teardown then finds compute gone), a short one. Baseline:
 * none (the baseline runs 24/7 and needs no cycle).
 */
import { z } from "zod";
import { TfResource } from "../../terraform";
import { buildVariables } from "../hours";
import { Calendar, firings, wallClock } from "../schedule";
import { component, line, LineItem, Pricer, usdh } from "../pricer";
import { strictObject } from "../usage";

export const BuildUsage = strictObject({
  /**
   * Minutes a build takes, by LIFETIME_ACTION. Restore: npm ci and terraform init (about 3),
   * the EKS control plane (15 on average, aws/containers-roadmap#1227), the node group and the
   * endpoint (about 4). Teardown: node groups, cluster and VPC deletes (about 15).
   */
  minutesPerBuild: z.record(z.string(), z.number().min(0)).default({ restore: 22, teardown: 15 }),
  /** A build that finds nothing to do (a skip date): install, npm ci, the checks. */
  minutesPerSkippedBuild: z.number().min(0).default(3),
});

const dateOf = (ms: number, tz: string, cal: Calendar) => {
  const w = wallClock(ms, tz, cal);
  return `${w.year}-${String(w.month).padStart(2, "0")}-${String(w.day).padStart(2, "0")}`;
};

export const codebuild: Pricer = {
  name: "codebuild",
  types: ["aws_codebuild_project"],
  usage: { aws_codebuild_project: BuildUsage },
  price(ctx) {
    const out = [];
    for (const p of ctx.model.ofType("aws_codebuild_project")) out.push(priceProject(p));
    return out.filter((c): c is NonNullable<typeof c> => c !== undefined);

    function priceProject(p: TfResource) {
      const name = ctx.model.label(p, "name");
      const env = p.block("environment") ?? {};
      const computeType = String(env.compute_type ?? "BUILD_GENERAL1_SMALL");
      const rate = ctx.prices.codebuild.perMinute[computeType];
      if (rate === undefined) throw new Error(`no CodeBuild price for ${computeType} in cost/prices/${ctx.prices.region}.json (known: ${Object.keys(ctx.prices.codebuild.perMinute).join(", ")}); add it`);
      const u = ctx.usage(BuildUsage, p).value;
      const vars = buildVariables(p);
      const skip = new Set((vars.LIFETIME_SKIP_DATES ?? "").split(",").filter(Boolean));
      const lead = Number(vars.LIFETIME_RESTORE_LEAD_MINUTES ?? 0) || 0;
      const from = Date.UTC(ctx.year, 0, 1);
      const to = Date.UTC(ctx.year + 1, 0, 1);
      const optimized: LineItem[] = [];
      const a: string[] = [`${computeType} at ${usdh(rate)}/build-minute`];
      for (const d of ctx.schedules.schedules.filter((x) => x.project === p && x.enabled && x.expression.startsWith("cron("))) {
        const all = firings(d.expression, d.timezone, from, to, ctx.calendar);
        const shift = d.action === "restore" ? lead * 60_000 : 0;
        const skipped = all.filter((t) => skip.has(dateOf(t + shift, d.timezone, ctx.calendar))).length;
        const perBuild = u.minutesPerBuild[d.action] ?? 0;
        const full = (all.length - skipped) / 12;
        const short = skipped / 12;
        const minutes = full * perBuild + short * u.minutesPerSkippedBuild;
        optimized.push(
          line(`${d.action} builds (${d.name})`, minutes, "min", rate, `${full.toFixed(2)} builds/month x ${perBuild} min (usage profile) + ${short.toFixed(2)} on skip dates x ${u.minutesPerSkippedBuild} min: every firing of ${d.expression} ${d.timezone} in ${ctx.year}`, { resource: p }),
        );
        a.push(`${d.action}: ${(all.length / 12).toFixed(2)} builds/month (${d.expression} ${d.timezone}), ${(skipped / 12).toFixed(2)} of them on skip dates`);
      }
      if (!optimized.length) return undefined;
      a.push("baseline: none (compute runs 24/7, no nightly cycle)");
      return component(`codebuild:${name}`, `Compute lifetime builds (CodeBuild ${name})`, "codebuild", { baseline: [], optimized }, a);
    }
  },
};
