/** Hand-built Terraform JSON priced by one pricer (or all): a few lines per test, no synth. */
import { estimate, Estimate } from "../../../cost/estimate";
import { ComponentCost, LineItem, Pricer } from "../../../cost/pricer";
import { loadPriceTable } from "../../../cost/prices";
import { modelOf } from "../../../terraform";

export const prices = loadPriceTable("us-east-1");
export const AS_OF = new Date("2026-06-01T00:00:00Z");

export type Resources = Record<string, Record<string, Record<string, unknown>>>;

/** Stacks by name, each a `resource` block ({type: {name: attrs}}). */
export function priceStacks(stacks: Record<string, Resources>, profile: Record<string, unknown> = {}, o: { pricers?: readonly Pricer[]; lenient?: boolean; file?: string } = {}): Estimate {
  return estimate({
    env: "dev",
    model: modelOf(Object.entries(stacks).map(([name, resource]) => ({ name, doc: { resource } }))),
    usage: { file: o.file ?? "test-usage.json", doc: { env: "dev", ...profile } },
    prices,
    asOf: AS_OF,
    pricers: o.pricers,
    lenient: o.lenient,
  });
}

/** One stack named dev-x. */
export const price = (resource: Resources, profile: Record<string, unknown> = {}, o: { pricers?: readonly Pricer[]; lenient?: boolean; file?: string } = {}) =>
  priceStacks({ "dev-x": resource }, profile, o);

export const lineNamed = (lines: readonly LineItem[], name: string): LineItem => {
  const l = lines.find((x) => x.name === name);
  if (!l) throw new Error(`no line ${name}; have: ${lines.map((x) => x.name).join(", ")}`);
  return l;
};

/** Every component's figures are the sums of its lines, and every line says why. */
export function expectConsistent(c: ComponentCost): void {
  const sum = (ls: readonly LineItem[]) => ls.reduce((s, l) => s + l.monthlyUsd, 0);
  expect(c.baselineMonthlyUsd).toBeCloseTo(sum(c.lines.baseline), 9);
  expect(c.optimizedMonthlyUsd).toBeCloseTo(sum(c.lines.optimized), 9);
  for (const l of [...c.lines.baseline, ...c.lines.optimized]) {
    expect(l.monthlyUsd).toBeCloseTo(l.quantity * l.unitPriceUsd, 9);
    expect(l.reason.length).toBeGreaterThan(5);
  }
}

/** Office hours in London: the scheduler function and its stop/start schedules. */
export const officeHours = (tag = "office-hours"): Resources => ({
  aws_lambda_function: { Fn: { function_name: "sched", memory_size: 256, environment: { variables: { SCHEDULE_NAME: tag } } } },
  aws_scheduler_schedule: {
    Stop: { name: "stop", schedule_expression: "cron(0 19 ? * MON-FRI *)", schedule_expression_timezone: "Europe/London", target: { arn: "${aws_lambda_function.Fn.arn}", input: '{"action":"stop"}' } },
    Start: { name: "start", schedule_expression: "cron(0 7 ? * MON-FRI *)", schedule_expression_timezone: "Europe/London", target: { arn: "${aws_lambda_function.Fn.arn}", input: '{"action":"start"}' } },
  },
});

/** A compute lifetime of stack `stack` (modules/compute-lifetime.ts as synthesized): the project and its two schedules. */
export const lifetime = (stack = "dev-x", o: { restore?: string; teardown?: string; skipDates?: string[]; lead?: number } = {}): Resources => ({
  aws_codebuild_project: {
    Project: {
      name: "life",
      environment: {
        compute_type: "BUILD_GENERAL1_SMALL",
        environment_variable: [
          { name: "LIFETIME_STACK", value: stack },
          { name: "LIFETIME_SKIP_DATES", value: (o.skipDates ?? []).join(",") },
          { name: "LIFETIME_RESTORE_LEAD_MINUTES", value: String(o.lead ?? 30) },
        ],
      },
    },
  },
  aws_scheduler_schedule: {
    Restore: {
      name: "life-restore",
      schedule_expression: o.restore ?? "cron(30 6 ? * MON-FRI *)",
      schedule_expression_timezone: "Europe/London",
      target: { arn: "${aws_codebuild_project.Project.arn}", input: JSON.stringify({ environmentVariablesOverride: [{ name: "LIFETIME_ACTION", value: "restore", type: "PLAINTEXT" }] }) },
    },
    Teardown: {
      name: "life-teardown",
      schedule_expression: o.teardown ?? "cron(0 19 ? * MON-FRI *)",
      schedule_expression_timezone: "Europe/London",
      target: { arn: "${aws_codebuild_project.Project.arn}", input: JSON.stringify({ environmentVariablesOverride: [{ name: "LIFETIME_ACTION", value: "teardown", type: "PLAINTEXT" }] }) },
    },
  },
});

/** 2026 has 261 weekdays; 06:30-19:00 is 12.5 h: the compute lifetime's hours per month. */
export const OFFICE_LIFETIME_HOURS = (261 * 12.5 * 730) / 8760;
