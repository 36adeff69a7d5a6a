/**
 * A CloudWatch log group with retention (never "keep forever").
 *
 *   new LogGroup(this, "AppLogs", { name: "/retail-forecast/dev/app", retentionInDays: 7 });
 */
import { Construct } from "constructs";
import { Token } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LOG_RETENTION_DAYS } from "./log-retention";

export interface LogGroupProps {
  readonly name: string;
  /** One of the values CloudWatch accepts (1, 3, 5, 7, 14, 30, ...). */
  readonly retentionInDays: number;
}

export class LogGroup extends Construct {
  readonly resource: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: LogGroupProps) {
    super(scope, id);
    if (!Token.isUnresolved(props.retentionInDays) && !(LOG_RETENTION_DAYS as readonly number[]).includes(props.retentionInDays)) {
      throw new Error(`retentionInDays must be one of ${LOG_RETENTION_DAYS.join(", ")}, got ${props.retentionInDays}`);
    }
    this.resource = new CloudwatchLogGroup(this, "Resource", { name: props.name, retentionInDays: props.retentionInDays });
  }
}
