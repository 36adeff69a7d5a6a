/**
 * A CloudWatch log group with retention (never "keep forever") and a log class.
 *
 *   new LogGroup(this, "AppLogs", { name: "/retail-forecast/dev/app", retentionInDays: 7, logGroupClass: "INFREQUENT_ACCESS" });
 */
import { Construct } from "constructs";
import { Token } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LOG_RETENTION_DAYS } from "./log-retention";

/**
 * STANDARD: every CloudWatch Logs feature. INFREQUENT_ACCESS: half the ingestion price, without
 * metric filters, subscription filters, Live Tail or embedded-metric extraction, and Logs
 * Insights without pattern, diff, filterIndex and unmask. A group's class cannot change after it
 * is created: changing it replaces the group (its logs are lost).
 */
export const LOG_GROUP_CLASSES = ["STANDARD", "INFREQUENT_ACCESS"] as const;
export type LogGroupClass = (typeof LOG_GROUP_CLASSES)[number];

export interface LogGroupProps {
  readonly name: string;
  /** One of the values CloudWatch accepts (1, 3, 5, 7, 14, 30, ...). */
  readonly retentionInDays: number;
  /** @default "STANDARD" */
  readonly logGroupClass?: LogGroupClass;
}

export class LogGroup extends Construct {
  readonly resource: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: LogGroupProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.retentionInDays) && !(LOG_RETENTION_DAYS as readonly number[]).includes(props.retentionInDays)) {
      throw new Error(`retentionInDays must be one of ${LOG_RETENTION_DAYS.join(", ")}, got ${props.retentionInDays}`);
    }
    if (props.logGroupClass !== undefined && !(LOG_GROUP_CLASSES as readonly string[]).includes(props.logGroupClass)) {
      throw new Error(`logGroupClass must be one of ${LOG_GROUP_CLASSES.join(", ")}, got ${props.logGroupClass}`);
    }
    this.resource = new CloudwatchLogGroup(this, "Resource", {
      name: props.name,
      retentionInDays: props.retentionInDays,
      // STANDARD is the API's default: left unset so existing groups see no change
      logGroupClass: props.logGroupClass === "INFREQUENT_ACCESS" ? props.logGroupClass : undefined,
    });
  }
}
