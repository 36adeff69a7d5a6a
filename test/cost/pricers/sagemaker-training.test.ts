import { sagemakerTraining } from "../../../cost/pricers/sagemaker-training";
import { expectConsistent, officeHours, price, priceStacks } from "./helpers";

const only = { pricers: [sagemakerTraining] };
const job = { hoursPerJob: 2, instanceType: "ml.m5.xlarge", jobsPerMonth: 40 };
const weekdayNoon = { name: "nightly-build", schedule_expression: "cron(0 12 ? * MON-FRI *)" };
/** A target on rule R (what the ML team's pipeline attaches): without one a rule starts nothing. */
const targetOfR = { aws_cloudwatch_event_target: { T: { rule: "${aws_cloudwatch_event_rule.R.name}", arn: "arn:aws:states:us-east-1:111111111111:stateMachine:train" } } };

describe("sagemaker-training pricer: the trigger is found by structure, never by name", () => {
  test("the profile names the trigger by address: one job per firing (261 weekdays of 2026)", () => {
    const e = price({ aws_cloudwatch_event_rule: { R: weekdayNoon }, ...targetOfR }, { sagemakerTraining: { ...job, trigger: "aws_cloudwatch_event_rule.R" } }, only);
    const [c] = e.components;
    const jobs = 261 / 12;
    expect(c.lines.baseline[0]).toMatchObject({ unit: "h", unitPriceUsd: 0.23, resource: "dev-x:aws_cloudwatch_event_rule.R" });
    expect(c.lines.baseline[0].quantity).toBeCloseTo(jobs * 2, 9);
    expect(c.optimizedMonthlyUsd).toBeCloseTo(jobs * 2 * 1.1 * 0.23 * 0.3, 9);
    expect(c.assumptions[0]).toBe("21.75 jobs/month: one per firing of rule nightly-build cron(0 12 ? * MON-FRI *) (UTC) over 2026 (profile's 40/month not used)");
    expectConsistent(c);
  });

  test("a rule the scheduler pauses out of hours fires only while it is enabled", () => {
    const e = priceStacks(
      { "dev-ops": { ...officeHours(), aws_cloudwatch_event_rule: { R: { ...weekdayNoon, schedule_expression: "cron(0 2 ? * * *)", tags: { Schedule: "office-hours" } } }, ...targetOfR } },
      { sagemakerTraining: { ...job, trigger: "aws_cloudwatch_event_rule.R" } },
      only,
    );
    expect(e.components[0].optimizedMonthlyUsd).toBe(0);
    expect(e.components[0].assumptions[0]).toMatch(/^0.00 jobs\/month: .* while Schedule=office-hours leaves it enabled/);
  });

  test("a Scheduler schedule whose target is SageMaker's universal target is the trigger without being named", () => {
    const e = price(
      { aws_scheduler_schedule: { T: { name: "retrain", schedule_expression: "cron(0 3 * * ? *)", schedule_expression_timezone: "UTC", target: { arn: "arn:aws:scheduler:::aws-sdk:sagemaker:createTrainingJob", input: "{}" } } } },
      { sagemakerTraining: job },
      only,
    );
    expect(e.components[0].lines.baseline[0].quantity).toBeCloseTo((365 / 12) * 2, 9);
    expect(e.components[0].lines.baseline[0].reason).toMatch(/its target starts SageMaker training/);
  });

  test("a rule whose target is a SageMaker pipeline is the trigger", () => {
    const e = price(
      {
        aws_cloudwatch_event_rule: { R: { name: "weekly", schedule_expression: "cron(0 3 ? * MON *)" } },
        aws_cloudwatch_event_target: { T: { rule: "${aws_cloudwatch_event_rule.R.name}", arn: "arn:aws:sagemaker:us-east-1:111111111111:pipeline/train", sagemaker_pipeline_target: {} } },
      },
      { sagemakerTraining: job },
      only,
    );
    expect(e.components[0].lines.baseline[0].reason).toMatch(/its target is a SageMaker pipeline/);
    expect(e.components[0].lines.baseline[0].quantity).toBeCloseTo((52 / 12) * 2, 9);
  });

  test("a named rule without a target starts nothing: training priced as not scheduled (issue 12), the profile's jobsPerMonth not used", () => {
    const e = price({ aws_cloudwatch_event_rule: { R: weekdayNoon } }, { sagemakerTraining: { ...job, trigger: "aws_cloudwatch_event_rule.R" } }, only);
    const [c] = e.components;
    expect(c.optimizedMonthlyUsd).toBe(0);
    expect(c.baselineMonthlyUsd).toBe(0);
    expect(c.lines.optimized[0].reason).toMatch(/jobs: rule nightly-build has no target in the stacks: it starts nothing \(priced as not scheduled\) \(profile's 40\/month not used\)/);
    expect(c.assumptions[0]).toMatch(/^rule nightly-build has no target: no scheduled training; attach one/);
  });

  test("a rule merely named like training is not taken: the profile's jobsPerMonth", () => {
    const e = price({ aws_cloudwatch_event_rule: { R: { name: "scheduled-training", schedule_expression: "cron(0 12 ? * MON-FRI *)" } } }, { sagemakerTraining: job }, only);
    expect(e.components[0].lines.baseline[0].quantity).toBeCloseTo(40 * 2, 9);
    expect(e.components[0].assumptions[0]).toBe("40 jobs/month (usage profile; no training schedule in the stacks)");
  });

  test("a disabled trigger runs no jobs", () => {
    const e = price({ aws_cloudwatch_event_rule: { R: { ...weekdayNoon, state: "DISABLED" } }, ...targetOfR }, { sagemakerTraining: { ...job, trigger: "aws_cloudwatch_event_rule.R" } }, only);
    expect(e.components[0].optimizedMonthlyUsd).toBe(0);
    expect(e.components[0].assumptions[0]).toBe("training rule nightly-build is DISABLED: no scheduled jobs");
  });

  test("fails when the trigger is not in the stacks, or is not a scheduled rule or schedule", () => {
    expect(() => price({ aws_cloudwatch_event_rule: { R: weekdayNoon } }, { sagemakerTraining: { ...job, trigger: "aws_cloudwatch_event_rule.Nope" } }, only)).toThrow(
      /test-usage.json: sagemakerTraining.trigger: "aws_cloudwatch_event_rule.Nope": no such resource in dev-x; aws_cloudwatch_event_rule resources: aws_cloudwatch_event_rule.R/,
    );
    expect(() => price({ aws_sqs_queue: { Q: { name: "q" } } }, { sagemakerTraining: { ...job, trigger: "aws_sqs_queue.Q" } }, only)).toThrow(
      "test-usage.json: sagemakerTraining.trigger: aws_sqs_queue.Q is a aws_sqs_queue without a schedule; allowed: a scheduled aws_cloudwatch_event_rule or aws_scheduler_schedule",
    );
  });

  test("fails without a trigger and without jobsPerMonth", () => {
    expect(() => price({ aws_sqs_queue: { Q: {} } }, { sagemakerTraining: { hoursPerJob: 1, instanceType: "ml.m5.xlarge" } }, only)).toThrow(
      "test-usage.json: sagemakerTraining.jobsPerMonth: no training trigger in the stacks (see trigger): give jobsPerMonth",
    );
  });
});
