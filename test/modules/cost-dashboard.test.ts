/**
 * The ops stack's cost dashboard: every widget graphs a metric that something in the platform
 * emits. A metric of the scheduler's namespace must be emitted by the scheduler's code (found in
 * its source, passed to addMetric, and seen in the EMF it writes); an AWS metric must name a
 * resource of the same synthesized stack (the function, its queue) or be the account's billing
 * metric in the one region AWS publishes it.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Testing, TerraformStack } from "cdktf";
import { buildApp } from "../../app";
import { BILLING_METRICS_REGION, CostDashboard } from "../../modules/cost-dashboard";
import { MetricsSink, publishRunMetrics } from "../../lambda/scheduler/metrics";
import type { Summary } from "../../lambda/scheduler/types";

const BUNDLE = path.join(__dirname, "..", "fixtures", "scheduler.zip");
const SCHEDULER_SOURCES = path.join(__dirname, "..", "..", "lambda", "scheduler");

/** AWS's own metrics the dashboard may use, by namespace, with the dimension that names our resource and its Terraform type. */
const AWS_METRICS: Record<string, { names: string[]; dimension: string; type: string; attr: string }> = {
  "AWS/Lambda": { names: ["Errors", "Invocations", "Throttles", "Duration"], dimension: "FunctionName", type: "aws_lambda_function", attr: "function_name" },
  "AWS/SQS": { names: ["ApproximateNumberOfMessagesVisible", "NumberOfMessagesSent"], dimension: "QueueName", type: "aws_sqs_queue", attr: "name" },
};

interface Used {
  widget: string;
  region: string;
  namespace: string;
  name: string;
  dims: Record<string, string>;
}

function metricsOf(body: { widgets: { type: string; properties: any }[] }): Used[] {
  return body.widgets
    .filter((w) => w.type === "metric")
    .flatMap((w) =>
      (w.properties.metrics as unknown[][]).map((row) => {
        const [namespace, name, ...rest] = row.filter((x) => typeof x === "string") as string[];
        const dims: Record<string, string> = {};
        for (let i = 0; i + 1 < rest.length; i += 2) dims[rest[i]] = rest[i + 1];
        return { widget: w.properties.title, region: w.properties.region, namespace, name, dims };
      }),
    );
}

/** The metric names the scheduler's code passes to addMetric, read from its source. */
function emittedInSource(): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of fs.readdirSync(SCHEDULER_SOURCES).filter((f) => f.endsWith(".ts"))) {
    const src = fs.readFileSync(path.join(SCHEDULER_SOURCES, f), "utf8");
    const keys = new Map([...src.matchAll(/^\s+(\w+): "([A-Za-z]+)",$/gm)].map((m) => [m[1], m[2]]));
    for (const call of src.matchAll(/addMetric\(\s*(?:m|SCHEDULER_METRICS)\.(\w+)\s*,/g)) {
      const name = keys.get(call[1]);
      if (name) out.set(name, f);
    }
  }
  return out;
}

/** The names and namespace the scheduler writes in EMF for one run. */
function emittedAtRun(): Set<string> {
  const names = new Set<string>();
  const sink: MetricsSink = { addMetric: (n) => names.add(n), addMetadata: () => undefined, publishStoredMetrics: () => undefined };
  const summary: Summary = { action: "start", dryRun: false, scheduleName: "s", region: "eu-west-1", startedAt: "", durationMs: 0, totals: { stopped: 0, started: 0, skipped: 0, failed: 0, targets: 0 }, results: [] };
  publishRunMetrics(sink, summary);
  return names;
}

describe("the cost dashboard in the ops stack", () => {
  let outdir: string;
  let ops: any;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "rf-dashboard-"));
    buildApp({ outdir, environments: ["dev", "prod"], schedulerBundle: BUNDLE, emulatorEndpoint: "http://127.0.0.1:4566" }).synth();
    ops = (env: string) => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", `${env}-ops`, "cdk.tf.json"), "utf8"));
  }, 120_000);
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test.each(["dev", "prod"])("%s: every widget's metric is emitted by something the platform runs", (env) => {
    const stack = ops(env);
    const dashboards = Object.values<any>(stack.resource.aws_cloudwatch_dashboard);
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0].dashboard_name).toBe(`retail-forecast-${env}-cost`);
    const used = metricsOf(JSON.parse(dashboards[0].dashboard_body));
    expect(used.length).toBeGreaterThanOrEqual(9);
    const inSource = emittedInSource();
    const atRun = emittedAtRun();
    const fn = Object.values<any>(stack.resource.aws_lambda_function)[0];
    for (const u of used) {
      const where = `${env} widget "${u.widget}": ${u.namespace} ${u.name}`;
      if (u.namespace === "RetailForecast/Scheduler") {
        expect([where, inSource.has(u.name)]).toEqual([where, true]);
        expect([where, atRun.has(u.name)]).toEqual([where, true]);
        // the handler names its dimension after the function (AWS_LAMBDA_FUNCTION_NAME), in the function's region
        expect([where, u.dims]).toEqual([where, { service: fn.function_name }]);
        expect(u.region).toBe(stack.provider.aws[0].region);
      } else if (u.namespace === "AWS/Billing") {
        expect([where, u.name, u.region, u.dims]).toEqual([where, "EstimatedCharges", BILLING_METRICS_REGION, { Currency: "USD" }]);
      } else {
        const known = AWS_METRICS[u.namespace];
        expect([where, known !== undefined && known.names.includes(u.name)]).toEqual([where, true]);
        const names = Object.values<any>(stack.resource[known.type] ?? {}).map((r) => r[known.attr]);
        expect([where, names]).toEqual([where, expect.arrayContaining([u.dims[known.dimension]])]);
        expect(u.region).toBe(stack.provider.aws[0].region);
      }
    }
    expect(emittedInSource().size).toBe(7);
  });

  test("the spend widget draws the environment's budget limit", () => {
    const body = JSON.parse(Object.values<any>(ops("prod").resource.aws_cloudwatch_dashboard)[0].dashboard_body);
    const spend = body.widgets.find((w: any) => w.properties.metrics?.[0]?.[0] === "AWS/Billing");
    expect(spend.properties.annotations.horizontal[0]).toMatchObject({ value: 5000 });
  });
});

describe("CostDashboard props", () => {
  const make = (over: object) => () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    new CostDashboard(stack, "D", { dashboardName: "x-cost", region: "eu-west-1", schedulerFunctionName: "f", deadLetterQueueName: "f-dlq", budgetName: "x", monthlyBudgetUsd: 10, ...over });
  };
  test("fails when the name has characters CloudWatch refuses", () => {
    expect(make({ dashboardName: "dev cost!" })).toThrow(`dashboardName must be 1-255 letters, digits, '-' or '_' (CloudWatch's rule), got "dev cost!"`);
  });
  test("fails when the budget is not a positive number", () => {
    expect(make({ monthlyBudgetUsd: 0 })).toThrow("monthlyBudgetUsd must be a finite number > 0, got 0");
  });
  test("billingWidget false leaves the account-wide spend out", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "s");
    const d = new CostDashboard(stack, "D", { dashboardName: "x-cost", region: "eu-west-1", schedulerFunctionName: "f", deadLetterQueueName: "f-dlq", budgetName: "x", monthlyBudgetUsd: 10, billingWidget: false });
    expect(metricsOf(d.body as any).some((u) => u.namespace === "AWS/Billing")).toBe(false);
  });
});
