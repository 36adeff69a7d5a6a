/**
 * Monthly cost budget for the environment, filtered by the Project cost-allocation tag, with
 * alerts at 80 % and 100 % of actual spend and at 100 % of forecast spend.
 *
 *   new Budget(this, "Budget", { name: "retail-forecast-dev", monthlyLimitUsd: 500,
 *     project: "retail-forecast", emails: [...], topicArn: alerts.topic.arn });
 */
import { Construct } from "constructs";
import { Token } from "cdktf";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";

export interface BudgetProps {
  readonly name: string;
  readonly monthlyLimitUsd: number;
  /** Value of the Project tag the budget follows. */
  readonly project: string;
  readonly emails: readonly string[];
  readonly topicArn: string;
  /** @default - [80 % actual, 100 % actual, 100 % forecasted] */
  readonly thresholds?: readonly { readonly percent: number; readonly type: "ACTUAL" | "FORECASTED" }[];
}

export const DEFAULT_BUDGET_THRESHOLDS = [
  { percent: 80, type: "ACTUAL" },
  { percent: 100, type: "ACTUAL" },
  { percent: 100, type: "FORECASTED" },
] as const;

export class Budget extends Construct {
  readonly resource: BudgetsBudget;

  constructor(scope: Construct, id: string, props: BudgetProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.monthlyLimitUsd) && !(props.monthlyLimitUsd > 0)) {
      throw new Error(`monthlyLimitUsd must be > 0, got ${props.monthlyLimitUsd}`);
    }
    if (props.emails.length === 0) throw new Error("emails must name at least one subscriber");
    this.resource = new BudgetsBudget(this, "Resource", {
      name: props.name,
      budgetType: "COST",
      limitAmount: props.monthlyLimitUsd.toFixed(2),
      limitUnit: "USD",
      timeUnit: "MONTHLY",
      costFilter: [{ name: "TagKeyValue", values: [`user:Project$${props.project}`] }],
      notification: (props.thresholds ?? DEFAULT_BUDGET_THRESHOLDS).map((t) => ({
        comparisonOperator: "GREATER_THAN",
        threshold: t.percent,
        thresholdType: "PERCENTAGE",
        notificationType: t.type,
        subscriberEmailAddresses: [...props.emails],
        subscriberSnsTopicArns: [props.topicArn],
      })),
    });
  }
}
