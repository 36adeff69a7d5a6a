/**
 * SageMaker training, one component for the environment: jobs a month x hours a job x
 * instances at the training rate; with managed spot, the spot discount and an overhead factor
 * for interruptions and checkpoint restarts. Baseline: on-demand.
 *
 * Jobs a month come from the trigger that starts them, found structurally, never by name:
 *   1. the profile names it: sagemakerTraining.trigger = "<address>" (a scheduled
 *      aws_cloudwatch_event_rule or aws_scheduler_schedule: today's rule has no target in
 *      these stacks, the ML team's pipeline attaches one, so only the profile can say);
 *   2. else a Scheduler schedule whose target is SageMaker (the universal target
 *      arn:aws:scheduler:::aws-sdk:sagemaker:<action>, or a SageMaker pipeline ARN), or whose
 *      input asks the scheduler function to {"action":"train"};
 *   3. else an EventBridge rule with a target that is a SageMaker pipeline
 *      (sagemaker_pipeline_target, or a SageMaker ARN);
 * and count its firings over the year (a rule tagged Schedule=T only while T leaves it
 * enabled). A rule that has no target in the stacks starts nothing: named or not, it schedules
 * no job, and training is priced as not scheduled (0 jobs; today's ScheduledTraining rule, which
 * the ML team's pipeline would give a target, or a Scheduler schedule with the SageMaker target).
 * Without any trigger in the stacks, the profile's jobsPerMonth.
 */
import { z } from "zod";
import { parseArn, TfResource } from "../../terraform";
import { component, line, pct, Pricer, PricingContext, usdh } from "../pricer";
import { sagemakerHourly } from "../prices";
import { strictObject } from "../usage";

export const SagemakerTraining = strictObject({
  /** Jobs a month when no trigger is found in the stacks. */
  jobsPerMonth: z.number().min(0).optional(),
  hoursPerJob: z.number().positive(),
  instanceType: z.string().regex(/^ml\.[a-z0-9]+\.[a-z0-9]+$/, "an ml.<family>.<size> instance type"),
  instanceCount: z.int().min(1).default(1),
  /** Managed spot training. */
  managedSpot: z.boolean().default(true),
  /** Extra billable time from spot interruptions and checkpoint restarts. */
  spotOverheadFactor: z.number().min(1).default(1.1),
  /** Fraction off on-demand. @default the price table's managed spot training discount */
  spotDiscount: z.number().min(0).lt(1).optional(),
  /** Address of the rule or schedule that starts the jobs (see the header). */
  trigger: z.string().optional(),
});

const TRIGGER_TYPES = ["aws_cloudwatch_event_rule", "aws_scheduler_schedule"];

const isSagemakerTarget = (arn: unknown) => typeof arn === "string" && (arn.startsWith("arn:aws:scheduler:::aws-sdk:sagemaker:") || parseArn(arn)?.service === "sagemaker");

/** The resource that starts training jobs, and how it was recognised. */
export function trainingTrigger(ctx: PricingContext, address: string | undefined): { resource: TfResource; how: string; untargeted?: boolean } | undefined {
  const { model } = ctx;
  if (address !== undefined) {
    const r = ctx.resource(address, "sagemakerTraining.trigger");
    if (!r) return undefined;
    if (!TRIGGER_TYPES.includes(r.type) || typeof r.attrs.schedule_expression !== "string") {
      throw ctx.usageError(["sagemakerTraining", "trigger"], `${address} is a ${r.type}${r.attrs.schedule_expression === undefined ? " without a schedule" : ""}; allowed: a scheduled ${TRIGGER_TYPES.join(" or ")}`);
    }
    if (r.type === "aws_cloudwatch_event_rule" && !model.ofType("aws_cloudwatch_event_target").some((t) => model.resolve(t.attrs.rule, t, ["aws_cloudwatch_event_rule"]) === r)) {
      return { resource: r, how: "named by the usage profile", untargeted: true };
    }
    return { resource: r, how: "named by the usage profile" };
  }
  const schedule = model.ofType("aws_scheduler_schedule").find((s) => isSagemakerTarget(s.block("target")?.arn) || ctx.schedules.schedules.some((d) => d.resource === s && d.action === "train"));
  if (schedule) return { resource: schedule, how: "its target starts SageMaker training" };
  for (const t of model.ofType("aws_cloudwatch_event_target")) {
    if (!t.block("sagemaker_pipeline_target") && !isSagemakerTarget(t.attrs.arn)) continue;
    const rule = model.resolve(t.attrs.rule, t, ["aws_cloudwatch_event_rule"]);
    if (rule && typeof rule.attrs.schedule_expression === "string") return { resource: rule, how: "its target is a SageMaker pipeline" };
  }
  return undefined;
}

export const sagemakerTraining: Pricer = {
  name: "sagemaker-training",
  types: ["aws_cloudwatch_event_rule", "aws_scheduler_schedule"],
  section: { key: "sagemakerTraining", schema: SagemakerTraining },
  price(ctx) {
    const tr = ctx.section("sagemakerTraining", SagemakerTraining);
    // only beside stacks that exist: an empty synthesis (the base of a --compare) costs nothing
    if (!tr || !ctx.model.resources.length) return [];
    const a: string[] = [];
    const trigger = trainingTrigger(ctx, tr.trigger);
    const profileJobs = tr.jobsPerMonth !== undefined ? ` (profile's ${tr.jobsPerMonth}/month not used)` : "";
    let jobs: number;
    let jobsReason: string;
    if (trigger?.untargeted) {
      jobs = 0;
      jobsReason = `rule ${ctx.model.label(trigger.resource, "name")} has no target in the stacks: it starts nothing (priced as not scheduled)${profileJobs}`;
      a.push(`rule ${ctx.model.label(trigger.resource, "name")} has no target: no scheduled training; attach one (a target on the rule, or a Scheduler schedule with the SageMaker target) and the estimate counts its firings`);
    } else if (trigger && String(trigger.resource.attrs.schedule_expression).startsWith("cron(")) {
      const f = ctx.schedules.firings(trigger.resource);
      const isRule = trigger.resource.type === "aws_cloudwatch_event_rule";
      jobs = f.perMonth;
      jobsReason = `one job per firing of ${f.name} (${trigger.how}): ${f.reason}`;
      if (!f.enabled) a.push(`training ${isRule ? "rule" : "schedule"} ${f.name} is DISABLED: no scheduled jobs`);
      else if (isRule) a.push(`${jobs.toFixed(2)} jobs/month: one per firing of rule ${f.name} ${f.expression} (UTC)` + (f.pausedBy ? ` while Schedule=${f.pausedBy} leaves it enabled` : "") + ` over ${ctx.year}${profileJobs}`);
      else a.push(`${jobs.toFixed(2)} jobs/month from training schedule ${f.name} ${f.expression} ${f.timezone}`);
    } else {
      if (tr.jobsPerMonth === undefined) {
        throw ctx.usageError(["sagemakerTraining", "jobsPerMonth"], trigger ? `the trigger ${trigger.resource.address} has no cron schedule: give jobsPerMonth` : "no training trigger in the stacks (see trigger): give jobsPerMonth");
      }
      jobs = tr.jobsPerMonth;
      jobsReason = "usage profile (no training trigger in the stacks)";
      a.push(`${jobs} jobs/month (usage profile; no training schedule in the stacks)`);
    }
    const count = tr.instanceCount;
    const rate = sagemakerHourly(ctx.prices, tr.instanceType, "training");
    const hours = jobs * tr.hoursPerJob * count;
    const disc = tr.spotDiscount ?? ctx.prices.sagemaker.managedSpotTrainingDiscount;
    const overhead = tr.spotOverheadFactor;
    const what = `${jobs.toFixed(2)} jobs/month x ${tr.hoursPerJob} h x ${count} ${tr.instanceType}`;
    const base = line("training instance hours", hours, "h", rate, `${what}, on-demand; jobs: ${jobsReason}`, { resource: trigger?.resource });
    const opt = tr.managedSpot
      ? line("training instance hours", hours * overhead, "h", rate * (1 - disc), `${what} x${overhead} for interruptions/checkpoint restarts, managed spot -${pct(disc)}; jobs: ${jobsReason}`, { resource: trigger?.resource })
      : base;
    a.push(`${tr.hoursPerJob} h x ${count} ${tr.instanceType} (${usdh(rate)}/h) per job`);
    a.push(tr.managedSpot ? `managed spot training: -${pct(disc)}, x${overhead} billable time for interruptions/checkpoint restarts` : "on-demand training");
    a.push("baseline: on-demand training");
    return [component("sagemaker-training", "SageMaker training", "sagemaker-training", { baseline: [base], optimized: [opt] }, a)];
  },
};
