/**
 * A Lambda function run by EventBridge Scheduler cron schedules in an IANA timezone, with
 * everything a production function needs: log group with retention, a dead-letter queue on the
 * function and on each schedule's target, reserved concurrency (1: no two runs race), X-Ray,
 * arm64 (20 % cheaper per GB-second), alarms on errors and on DLQ depth to the alert topic.
 *
 *   new ScheduledFunction(this, "Scheduler", {
 *     functionName: "retail-forecast-dev-scheduler", bundlePath: "dist/lambda/scheduler.zip",
 *     environment: { SCHEDULE_NAME: "office-hours" }, statements: [...],
 *     schedules: [{ name: "stop", cron: "cron(0 19 ? * MON-FRI *)", timezone: "Europe/London",
 *                   input: { action: "stop" } }],
 *     alertTopicArn, logRetentionInDays: 7 });
 */
import * as path from "path";
import { Construct } from "constructs";
import { AssetType, TerraformAsset } from "cdktf";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { LogGroup } from "./log-group";
import { PolicyStatement, Role, serviceTrust } from "./iam";
import { parseCron, isValidTimeZone } from "../config/cron";

/** One EventBridge Scheduler schedule at a fixed cron, in its time zone, on one target, dead letters to a queue. */
export interface TargetScheduleProps {
  readonly name: string;
  readonly description: string;
  readonly cron: string;
  readonly timezone: string;
  /** @default true */
  readonly enabled?: boolean;
  readonly targetArn: string;
  readonly roleArn: string;
  /** the target's input, serialised as JSON */
  readonly input: unknown;
  readonly deadLetterArn: string;
  readonly retryPolicy: { readonly maximumRetryAttempts: number; readonly maximumEventAgeInSeconds: number };
}

export function targetSchedule(scope: Construct, id: string, p: TargetScheduleProps): SchedulerSchedule {
  return new SchedulerSchedule(scope, id, {
    name: p.name,
    description: p.description,
    scheduleExpression: p.cron,
    scheduleExpressionTimezone: p.timezone,
    state: p.enabled === false ? "DISABLED" : "ENABLED",
    flexibleTimeWindow: { mode: "OFF" },
    target: {
      arn: p.targetArn,
      roleArn: p.roleArn,
      input: JSON.stringify(p.input),
      deadLetterConfig: { arn: p.deadLetterArn },
      retryPolicy: { ...p.retryPolicy },
    },
  });
}

export interface FunctionSchedule {
  /** Short name, part of the schedule's name: keep stable. */
  readonly name: string;
  /** AWS cron expression, evaluated in `timezone`. */
  readonly cron: string;
  readonly timezone: string;
  /** The event the function receives. */
  readonly input: Readonly<Record<string, unknown>>;
  /** @default true */
  readonly enabled?: boolean;
}

export interface ScheduledFunctionProps {
  readonly functionName: string;
  /**
   * The deployment package: a zip (dist/lambda/<fn>.zip, built deterministically by
   * `npm run build:lambda`), or a directory holding index.js that cdktf zips at synth.
   */
  readonly bundlePath: string;
  readonly environment?: Readonly<Record<string, string>>;
  /** Permissions beyond logging, tracing and the DLQ. */
  readonly statements: readonly PolicyStatement[];
  readonly schedules: readonly FunctionSchedule[];
  readonly alertTopicArn: string;
  readonly logRetentionInDays: number;
  /** @default 1 */
  readonly reservedConcurrency?: number;
  /** @default 300 */
  readonly timeoutSec?: number;
  /** @default 256 */
  readonly memoryMb?: number;
  readonly region: string;
  readonly accountId: string;
  /** Resource tags the schedules cannot carry (EventBridge Scheduler schedules are untaggable). */
  readonly tags?: Readonly<Record<string, string>>;
}

/** The dead-letter queue's name (one definition: the ops dashboard graphs its depth). */
export const deadLetterQueueName = (functionName: string) => `${functionName}-dlq`;

export class ScheduledFunction extends Construct {
  readonly function: LambdaFunction;
  readonly deadLetterQueue: SqsQueue;
  readonly schedules: SchedulerSchedule[];

  constructor(scope: Construct, id: string, props: ScheduledFunctionProps) {
    super(scope, id);
    for (const s of props.schedules) {
      parseCron(s.cron); // throws naming the bad field
      if (!isValidTimeZone(s.timezone)) throw new Error(`schedule '${s.name}': timezone '${s.timezone}' is not an IANA timezone`);
    }
    const fnArn = `arn:aws:lambda:${props.region}:${props.accountId}:function:${props.functionName}`;
    const logs = new LogGroup(this, "Logs", { name: `/aws/lambda/${props.functionName}`, retentionInDays: props.logRetentionInDays });
    this.deadLetterQueue = new SqsQueue(this, "DeadLetterQueue", {
      name: deadLetterQueueName(props.functionName),
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 14 * 24 * 3600,
    });

    const role = new Role(this, "Role", {
      name: props.functionName,
      assumedBy: "lambda.amazonaws.com",
      statements: [
        { Sid: "WriteOwnLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logs.resource.arn}:*` },
        { Sid: "Tracing", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: "*" },
        { Sid: "DeadLetter", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: this.deadLetterQueue.arn },
        ...props.statements,
      ],
    });

    const asset = new TerraformAsset(this, "Bundle", {
      path: path.resolve(props.bundlePath),
      type: props.bundlePath.endsWith(".zip") ? AssetType.FILE : AssetType.ARCHIVE,
    });
    this.function = new LambdaFunction(this, "Function", {
      functionName: props.functionName,
      role: role.role.arn,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      filename: asset.path,
      sourceCodeHash: asset.assetHash,
      memorySize: props.memoryMb ?? 256,
      timeout: props.timeoutSec ?? 300,
      reservedConcurrentExecutions: props.reservedConcurrency ?? 1,
      tracingConfig: { mode: "Active" },
      deadLetterConfig: { targetArn: this.deadLetterQueue.arn },
      loggingConfig: { logFormat: "JSON", logGroup: logs.resource.name },
      environment: props.environment ? { variables: { ...props.environment } } : undefined,
      tags: props.tags ? { ...props.tags } : undefined,
    });

    const schedulerRole = new Role(this, "ScheduleRole", {
      name: `${props.functionName}-schedules`,
      assumedBy: serviceTrust("scheduler.amazonaws.com", props.accountId),
      statements: [
        { Sid: "InvokeFunction", Effect: "Allow", Action: ["lambda:InvokeFunction"], Resource: [fnArn, `${fnArn}:*`] },
        { Sid: "DeadLetter", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: this.deadLetterQueue.arn },
      ],
    });

    this.schedules = props.schedules.map(
      (s) =>
        targetSchedule(this, `Schedule-${s.name}`, {
          name: `${props.functionName}-${s.name}`,
          description: `${s.cron} ${s.timezone}: ${JSON.stringify(s.input)}`,
          cron: s.cron,
          timezone: s.timezone,
          enabled: s.enabled,
          targetArn: this.function.arn,
          roleArn: schedulerRole.role.arn,
          input: s.input,
          deadLetterArn: this.deadLetterQueue.arn,
          retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
        }),
    );

    const alarm = (id: string, name: string, description: string, metric: { namespace: string; metricName: string; dimensions: Record<string, string>; statistic: string }) =>
      new CloudwatchMetricAlarm(this, id, {
        alarmName: `${props.functionName}-${name}`,
        alarmDescription: description,
        ...metric,
        period: 300,
        evaluationPeriods: 1,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [props.alertTopicArn],
      });
    alarm("ErrorsAlarm", "errors", `${props.functionName} failed on at least one target; see its logs and the DLQ`, {
      namespace: "AWS/Lambda",
      metricName: "Errors",
      dimensions: { FunctionName: this.function.functionName },
      statistic: "Sum",
    });
    alarm("DeadLetterAlarm", "dlq-depth", `events for ${props.functionName} were dead-lettered`, {
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: this.deadLetterQueue.name },
      statistic: "Maximum",
    });
  }
}
