/**
 * Cost Anomaly Detection for the project's spend: a CUSTOM monitor on the Project tag (the
 * DIMENSIONAL SERVICE monitor is one per account and would clash between stacks), and an
 * IMMEDIATE subscription to the alert topic above an absolute impact threshold.
 */
import { Construct } from "constructs";
import { CeAnomalyMonitor } from "@cdktf/provider-aws/lib/ce-anomaly-monitor";
import { CeAnomalySubscription } from "@cdktf/provider-aws/lib/ce-anomaly-subscription";

export interface AnomalyMonitorProps {
  readonly name: string;
  readonly project: string;
  readonly topicArn: string;
  /** Alert when an anomaly's total impact reaches this many USD. */
  readonly thresholdUsd: number;
}

export class AnomalyMonitor extends Construct {
  readonly monitor: CeAnomalyMonitor;
  readonly subscription: CeAnomalySubscription;

  constructor(scope: Construct, id: string, props: AnomalyMonitorProps) {
    super(scope, id);
    if (!(props.thresholdUsd > 0)) throw new Error(`thresholdUsd must be > 0, got ${props.thresholdUsd}`);
    this.monitor = new CeAnomalyMonitor(this, "Resource", {
      name: props.name,
      monitorType: "CUSTOM",
      monitorSpecification: JSON.stringify({
        And: null,
        CostCategories: null,
        Dimensions: null,
        Not: null,
        Or: null,
        Tags: { Key: "Project", MatchOptions: ["EQUALS"], Values: [props.project] },
      }),
    });
    this.subscription = new CeAnomalySubscription(this, "Subscription", {
      name: `${props.name}-immediate`,
      frequency: "IMMEDIATE",
      monitorArnList: [this.monitor.arn],
      subscriber: [{ type: "SNS", address: props.topicArn }],
      thresholdExpression: {
        dimension: { key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", matchOptions: ["GREATER_THAN_OR_EQUAL"], values: [String(props.thresholdUsd)] },
      },
    });
  }
}
