/**
 * Platform overhead, one component: each Lambda function's requests and GB-seconds (its
 * invocations are the firings of the schedules and rules that target it; memory from
 * memory_size, duration from the profile), EventBridge Scheduler invocations, CloudWatch
 * alarms, KMS keys (prorated by the hours each exists: the compute stack's key lives with its
 * lifetime), and SQS queues (within the free tier). The same in the baseline, keys 24/7.
 */
import { z } from "zod";
import { isExpression, parseArn } from "../../terraform";
import { ScheduleDef } from "../hours";
import { component, line, LineItem, Pricer, usd } from "../pricer";
import { strictObject } from "../usage";

export const FunctionUsage = strictObject({
  avgDurationMs: z.number().min(0).default(3000),
});

/** Lambda's memory when memory_size is not set. */
const DEFAULT_MEMORY_MB = 128;

export const platform: Pricer = {
  name: "platform",
  types: ["aws_lambda_function", "aws_scheduler_schedule", "aws_cloudwatch_metric_alarm", "aws_kms_key", "aws_sqs_queue"],
  usage: { aws_lambda_function: FunctionUsage },
  price(ctx) {
    const { model, prices } = ctx;
    const fns = model.ofType("aws_lambda_function");
    const alarms = model.ofType("aws_cloudwatch_metric_alarm");
    const keys = model.ofType("aws_kms_key");
    const queues = model.ofType("aws_sqs_queue");
    if (!fns.length && !alarms.length && !keys.length && !queues.length) return [];
    const lines: LineItem[] = [];
    // what fires on a schedule: Scheduler schedules, and rules that invoke a target
    const timers = ctx.schedules.schedules.filter((s) => s.enabled && s.expression.startsWith("cron("));
    // a Lambda target the model cannot resolve (an expression, a Lambda ARN) is the only function's
    const unresolvedLambda = (s: ScheduleDef) => !s.target && (isExpression(s.targetArn) || (typeof s.targetArn === "string" && parseArn(s.targetArn)?.service === "lambda"));
    const invokes = (fn: (typeof fns)[number], s: ScheduleDef) => s.target === fn || (unresolvedLambda(s) && fns.length === 1);
    for (const s of timers) if (unresolvedLambda(s) && fns.length > 1) ctx.warn(`schedule ${s.name}: the Lambda it invokes cannot be told from the Terraform; its invocations are not priced`);
    let invocations = 0;
    let lambdaUsd = 0;
    for (const fn of fns) {
      const n = timers.filter((s) => invokes(fn, s)).reduce((sum, s) => sum + ctx.schedules.firings(s.resource).perMonth, 0);
      const duration = ctx.usage(FunctionUsage, fn).value.avgDurationMs;
      const memoryMb = fn.num("memory_size") ?? DEFAULT_MEMORY_MB;
      const name = model.label(fn, "function_name");
      const req = line(`${name} requests`, n / 1e6, "1M requests", prices.lambda.perMillionRequests, `${n.toFixed(0)} scheduled invocations/month`, { resource: fn });
      const compute = line(`${name} compute`, n * (duration / 1000) * (memoryMb / 1024), "GB-s", prices.lambda.perGbSecond, `${n.toFixed(0)} invocations x ${duration} ms (usage profile) x ${memoryMb} MB`, { resource: fn });
      lines.push(req, compute);
      invocations += n;
      lambdaUsd += req.monthlyUsd + compute.monthlyUsd;
    }
    const fired = timers.filter((s) => s.resource.type === "aws_scheduler_schedule").reduce((sum, s) => sum + ctx.schedules.firings(s.resource).perMonth, 0);
    lines.push(line("EventBridge Scheduler invocations", fired / 1e6, "1M invocations", prices.scheduler.perMillionInvocations, `${fired.toFixed(0)} firings/month of the enabled schedules`));
    lines.push(line("CloudWatch alarms", alarms.length, "alarm-month", prices.cloudwatch.alarmMonthly, `${alarms.length} metric alarm(s)`));
    // $1/month per key, prorated hourly; a key pending deletion costs nothing (a compute key lives with its stack's lifetime)
    const keyMonths = keys.reduce((sum, k) => sum + ctx.hours(k).value / ctx.hoursPerMonth, 0);
    const partKeys = keys.filter((k) => ctx.hours(k).value < ctx.hoursPerMonth);
    const keysLine = line(
      "KMS keys",
      keyMonths,
      "key-month",
      prices.kms.keyMonthly,
      `${keys.length} customer managed key(s)` + (partKeys.length ? `; ${partKeys.map((k) => `${k.name} ${ctx.hours(k).reason}`).join("; ")} (KMS bills per hour and not while a key is pending deletion)` : ""),
    );
    const keysBaseline = line("KMS keys", keys.length, "key-month", prices.kms.keyMonthly, `${keys.length} customer managed key(s), 24/7`);
    const queuesLine = line("SQS queues", queues.length, "queue-month", 0, `${queues.length} queue(s), within the free tier`);
    const baseline = [...lines, keysBaseline, queuesLine];
    lines.push(keysLine, queuesLine);
    return [
      component("platform", "Platform overhead (Lambda, schedules, alarms, KMS, SQS)", "platform", { baseline, optimized: lines }, [
        `${fns.length} function(s), ${invocations.toFixed(0)} scheduled invocations/month: ${usd(lambdaUsd)}`,
        `${alarms.length} alarm(s) x ${usd(prices.cloudwatch.alarmMonthly)}, ${keys.length} KMS key(s) x ${usd(prices.kms.keyMonthly)}, ${queues.length} SQS queue(s) (within the free tier)`,
      ]),
    ];
  },
};
