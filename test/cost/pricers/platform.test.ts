import { platform } from "../../../cost/pricers/platform";
import { expectConsistent, lineNamed, price } from "./helpers";
import { lifetime, OFFICE_LIFETIME_HOURS, priceStacks as priceAll } from "./helpers";

const only = { pricers: [platform] };
const daily = (target: string) => ({ schedule_expression: "cron(0 6 * * ? *)", schedule_expression_timezone: "UTC", target: { arn: target, input: '{"action":"start"}' } });

describe("platform pricer", () => {
  test("a function's invocations are the firings of what targets it; memory from memory_size", () => {
    const e = price(
      {
        aws_lambda_function: { F: { function_name: "fn", memory_size: 512 }, G: { function_name: "other" } },
        aws_scheduler_schedule: { S1: daily("${aws_lambda_function.F.arn}"), S2: daily("arn:aws:lambda:us-east-1:111111111111:function:fn") },
        aws_cloudwatch_metric_alarm: { A: { alarm_name: "a" } },
        aws_kms_key: { K: {} },
        aws_sqs_queue: { Q: {} },
      },
      { resources: { "aws_lambda_function.F": { avgDurationMs: 1000 } } },
      only,
    );
    const [c] = e.components;
    const n = (2 * 365) / 12;
    expect(lineNamed(c.lines.optimized, "fn compute").quantity).toBeCloseTo(n * 1 * 0.5, 9);
    expect(lineNamed(c.lines.optimized, "other requests").quantity).toBe(0);
    expect(lineNamed(c.lines.optimized, "EventBridge Scheduler invocations").quantity).toBeCloseTo(n / 1e6, 12);
    expect(lineNamed(c.lines.optimized, "KMS keys").monthlyUsd).toBe(1);
    expect(lineNamed(c.lines.optimized, "SQS queues").monthlyUsd).toBe(0);
    expect(c.optimizedMonthlyUsd).toBe(c.baselineMonthlyUsd);
    expectConsistent(c);
  });

  test("a schedule that targets something else is a Scheduler invocation, not a Lambda one", () => {
    const e = price(
      { aws_lambda_function: { F: { function_name: "fn" } }, aws_scheduler_schedule: { S: daily("arn:aws:scheduler:::aws-sdk:codebuild:startBuild") } },
      {},
      only,
    );
    const [c] = e.components;
    expect(lineNamed(c.lines.optimized, "fn requests").quantity).toBe(0);
    expect(lineNamed(c.lines.optimized, "EventBridge Scheduler invocations").quantity).toBeGreaterThan(0);
  });

  test("a KMS key in a stack with a compute lifetime is billed for the hours it exists (KMS bills hourly, not while pending deletion); the baseline keeps it all month", () => {
    const e = priceAll({ "dev-compute": { aws_kms_key: { K: {} } }, "dev-data": { aws_kms_key: { T: {} } }, "dev-ops": lifetime("dev-compute") }, {}, { pricers: [platform] });
    const [c] = e.components;
    expect(lineNamed(c.lines.optimized, "KMS keys").quantity).toBeCloseTo(1 + OFFICE_LIFETIME_HOURS / 730, 9);
    expect(lineNamed(c.lines.optimized, "KMS keys").reason).toMatch(/2 customer managed key\(s\); K 271\.9 h\/month: exists only in the compute lifetime .*not while a key is pending deletion/);
    expect(lineNamed(c.lines.baseline, "KMS keys").quantity).toBe(2);
    expectConsistent(c);
  });
});
