/**
 * A CloudWatch dashboard of what the platform saves and what it costs, per environment:
 *
 *   new CostDashboard(this, "CostDashboard", {
 *     dashboardName: "retail-forecast-dev-cost", region: "eu-west-1",
 *     schedulerFunctionName: "retail-forecast-dev-scheduler",
 *     deadLetterQueueName: "retail-forecast-dev-scheduler-dlq",
 *     budgetName: "retail-forecast-dev", monthlyBudgetUsd: 500 });
 *
 * Widgets, and the metric each one reads (every one is emitted by something the platform runs):
 *   - scheduler outcomes per day: RetailForecast/Scheduler TargetsStopped / Started / Skipped /
 *     Failed (EMF lines of the scheduler, lambda/scheduler/metrics.ts; dimension service = the
 *     function's name)
 *   - hours and dollars avoided over the last month: NodeHoursAvoided, EndpointHoursAvoided,
 *     DollarsAvoided (same source). CloudWatch has no calendar "month to date" range: the widgets
 *     sum the last month (-P1M) up to now.
 *   - scheduler errors: AWS/Lambda Errors and Invocations (FunctionName); DLQ depth:
 *     AWS/SQS ApproximateNumberOfMessagesVisible (QueueName)
 *   - spend: AWS/Billing EstimatedCharges (Currency=USD), month to date, against the budget's
 *     limit as a line. Its limits: AWS publishes it only in us-east-1 (the widget reads that
 *     region whatever the environment's), only once "Receive Billing Alerts" is turned on in the
 *     account's billing preferences, a few times a day, and for the whole account (or per
 *     service): never per budget, tag or environment. AWS Budgets publishes no CloudWatch
 *     metric, so the budget's own actual and forecast figures are not graphable; the forecast
 *     reaches people through the budget's 100 %-forecast alert on the SNS topic.
 *
 * Props:
 *   - billingWidget @default true: leave it out where billing alerts cannot be enabled (a member
 *     account whose payer keeps them off), rather than show an empty graph.
 */
import { Construct } from "constructs";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { METRICS_NAMESPACE, SCHEDULER_METRICS } from "../lambda/scheduler/metrics";

export interface CostDashboardProps {
  readonly dashboardName: string;
  /** The environment's region (the scheduler's metrics live there). */
  readonly region: string;
  readonly schedulerFunctionName: string;
  readonly deadLetterQueueName: string;
  /** Name of the AWS Budgets budget, shown with its limit. */
  readonly budgetName: string;
  readonly monthlyBudgetUsd: number;
  /** @default true */
  readonly billingWidget?: boolean;
}

/** Where AWS publishes AWS/Billing metrics, whatever the account's other regions. */
export const BILLING_METRICS_REGION = "us-east-1";

type Metric = (string | Record<string, unknown>)[];
interface Widget {
  readonly type: "metric" | "text";
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Record<string, unknown>;
}

const NAME_RE = /^[A-Za-z0-9_-]{1,255}$/;

export class CostDashboard extends Construct {
  readonly resource: CloudwatchDashboard;
  /** The dashboard body, as written (tests read every widget's metrics from it). */
  readonly body: { readonly widgets: readonly Widget[] };

  constructor(scope: Construct, id: string, props: CostDashboardProps) {
    super(scope, id);
    if (!NAME_RE.test(props.dashboardName)) {
      throw new Error(`dashboardName must be 1-255 letters, digits, '-' or '_' (CloudWatch's rule), got "${props.dashboardName}"`);
    }
    if (!(props.monthlyBudgetUsd > 0) || !Number.isFinite(props.monthlyBudgetUsd)) throw new Error(`monthlyBudgetUsd must be a finite number > 0, got ${props.monthlyBudgetUsd}`);
    const m = SCHEDULER_METRICS;
    const svc = (name: string, label: string, extra: Record<string, unknown> = {}): Metric => [METRICS_NAMESPACE, name, "service", props.schedulerFunctionName, { label, ...extra }];
    const region = props.region;
    const widgets: Widget[] = [
      {
        type: "text",
        x: 0,
        y: 0,
        width: 24,
        height: 2,
        properties: {
          markdown:
            `## ${props.dashboardName}: what the scheduler saves, and what the account spends\n` +
            `Scheduler figures come from its EMF log lines (namespace ${METRICS_NAMESPACE}); hours and dollars are counted when a start finds the stop record, priced at the cost estimate's dated prices. ` +
            `Spend is AWS/Billing EstimatedCharges: us-east-1 only, needs billing alerts enabled, account-wide (not per budget). The budget's forecast has no metric: its alert goes to the SNS topic.`,
        },
      },
      {
        type: "metric",
        x: 0,
        y: 2,
        width: 12,
        height: 6,
        properties: {
          title: "Scheduler outcomes per day",
          region,
          view: "timeSeries",
          stacked: true,
          stat: "Sum",
          period: 86400,
          metrics: [svc(m.stopped, "stopped"), svc(m.started, "started"), svc(m.skipped, "skipped"), svc(m.failed, "failed", { color: "#d62728" })],
        },
      },
      {
        type: "metric",
        x: 12,
        y: 2,
        width: 6,
        height: 6,
        properties: {
          title: "Hours avoided, last month",
          region,
          view: "singleValue",
          stat: "Sum",
          setPeriodToTimeRange: true,
          start: "-P1M",
          metrics: [svc(m.nodeHoursAvoided, "node-hours"), svc(m.endpointHoursAvoided, "endpoint-hours")],
        },
      },
      {
        type: "metric",
        x: 18,
        y: 2,
        width: 6,
        height: 6,
        properties: {
          title: "Dollars avoided, last month (USD)",
          region,
          view: "singleValue",
          stat: "Sum",
          setPeriodToTimeRange: true,
          start: "-P1M",
          metrics: [svc(m.dollarsAvoided, "USD avoided")],
        },
      },
      {
        type: "metric",
        x: 0,
        y: 8,
        width: 12,
        height: 6,
        properties: {
          title: "Scheduler errors and invocations",
          region,
          view: "timeSeries",
          stat: "Sum",
          period: 3600,
          metrics: [
            ["AWS/Lambda", "Errors", "FunctionName", props.schedulerFunctionName, { label: "errors", color: "#d62728" }],
            ["AWS/Lambda", "Invocations", "FunctionName", props.schedulerFunctionName, { label: "invocations" }],
          ],
        },
      },
      {
        type: "metric",
        x: 12,
        y: 8,
        width: 12,
        height: 6,
        properties: {
          title: "Scheduler dead-letter queue depth",
          region,
          view: "timeSeries",
          stat: "Maximum",
          period: 300,
          metrics: [["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", props.deadLetterQueueName, { label: "messages waiting" }]],
          annotations: { horizontal: [{ label: "anything here failed every retry", value: 1 }] },
        },
      },
    ];
    if (props.billingWidget !== false) {
      widgets.push({
        type: "metric",
        x: 0,
        y: 14,
        width: 24,
        height: 6,
        properties: {
          title: `Account spend this month (AWS/Billing EstimatedCharges, ${BILLING_METRICS_REGION}, whole account) against budget ${props.budgetName}`,
          region: BILLING_METRICS_REGION,
          view: "timeSeries",
          stat: "Maximum",
          period: 21600,
          metrics: [["AWS/Billing", "EstimatedCharges", "Currency", "USD", { label: "estimated charges, month to date" }]],
          annotations: { horizontal: [{ label: `budget ${props.budgetName}: $${props.monthlyBudgetUsd}/month`, value: props.monthlyBudgetUsd, color: "#ff7f0e" }] },
          yAxis: { left: { min: 0 } },
        },
      });
    }
    this.body = { widgets };
    this.resource = new CloudwatchDashboard(this, "Resource", { dashboardName: props.dashboardName, dashboardBody: JSON.stringify(this.body) });
  }
}
