/**
 * `<env>-ops`: the out-of-hours scheduler (stop 19:00, start 07:00 on weekdays, idle-endpoint
 * sweep) and the scheduled-training rule it pauses at night.
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { PlatformStack, PlatformStackProps } from "./platform-stack";
import { deadLetterQueueName, ScheduledFunction } from "../modules/scheduled-function";
import { CostDashboard } from "../modules/cost-dashboard";
import { scheduleTags } from "../modules/tags";
import { schedulerPolicyStatements } from "../lambda/scheduler/iam";
import { CostReaderRole } from "../modules/cost-reader-role";
import { costReportPolicyStatements } from "../cost/iam";

export interface OpsStackProps extends PlatformStackProps {
  /** The scheduler's deployment package (dist/lambda/scheduler.zip). */
  readonly schedulerBundle: string;
}

export class OpsStack extends PlatformStack {
  readonly scheduler: ScheduledFunction;

  constructor(scope: Construct, props: OpsStackProps) {
    super(scope, "ops", props);
    const cfg = this.config;
    const n = this.names;
    const s = cfg.schedule;

    this.scheduler = new ScheduledFunction(this, "Scheduler", {
      functionName: n.schedulerFunction,
      bundlePath: props.schedulerBundle,
      region: cfg.region,
      accountId: cfg.accountId,
      environment: {
        SCHEDULE_NAME: s.name,
        RECORD_PREFIX: n.schedulerRecordPrefix,
        IDLE_WINDOW_HOURS: String(s.idleWindowHours),
        IDLE_INVOCATIONS_THRESHOLD: String(s.idleInvocationsThreshold),
      },
      statements: schedulerPolicyStatements({
        region: cfg.region,
        accountId: cfg.accountId,
        scheduleName: s.name,
        recordPrefix: n.schedulerRecordPrefix,
        // A real-time endpoint config names the compute key: recreating the endpoint each
        // morning needs kms:CreateGrant on it (RF_KMS_ENDPOINT_GRANT).
        endpointKmsKeyAliases: cfg.sagemaker.endpoint.mode === "realtime" ? [n.computeKeyAlias] : [],
      }),
      schedules: [
        { name: "stop", cron: s.stopCron, timezone: s.timezone, input: { action: "stop" }, enabled: s.enabled },
        { name: "start", cron: s.startCron, timezone: s.timezone, input: { action: "start" }, enabled: s.enabled },
        { name: "stop-idle", cron: s.idleCron, timezone: s.timezone, input: { action: "stop-idle" }, enabled: s.enabled },
      ],
      alertTopicArn: n.alertTopicArn,
      logRetentionInDays: cfg.logs.retentionInDays,
    });

    // Scheduled retraining: the scheduler disables it at night with everything it depends on.
    // Its target (the training pipeline) is attached by the ML team's pipeline stack.
    const training = new CloudwatchEventRule(this, "ScheduledTraining", {
      name: n.trainingRule,
      description: "Weekday retraining trigger; paused out of hours by the scheduler",
      scheduleExpression: "cron(0 12 ? * MON-FRI *)",
      state: "ENABLED",
      tags: scheduleTags(s.name, true),
      // The scheduler owns the rule's state out of hours; a deploy at night must not resume training.
      lifecycle: { ignoreChanges: ["state"] },
    });

    // What the scheduler saves and what the account spends (issue 14)
    const dashboard = new CostDashboard(this, "CostDashboard", {
      dashboardName: `${n.prefix}-cost`,
      region: cfg.region,
      schedulerFunctionName: n.schedulerFunction,
      deadLetterQueueName: deadLetterQueueName(n.schedulerFunction),
      budgetName: n.prefix,
      monthlyBudgetUsd: cfg.budget.monthlyLimitUsd,
    });

    // `cost report` runs as this read-only role (sandbox/least-privilege.ts proves it needs no more).
    const costReader = new CostReaderRole(this, "CostReader", {
      roleName: n.costReaderRole,
      trustedPrincipalArns: cfg.costReaders,
      statements: costReportPolicyStatements({ region: cfg.region, accountId: cfg.accountId }),
    });

    new TerraformOutput(this, "scheduler_function_name", { value: this.scheduler.function.functionName });
    new TerraformOutput(this, "cost_dashboard_name", { value: dashboard.resource.dashboardName });
    new TerraformOutput(this, "cost_reader_role_arn", { value: costReader.role.role.arn });
    new TerraformOutput(this, "scheduler_dlq_url", { value: this.scheduler.deadLetterQueue.url });
    new TerraformOutput(this, "training_rule_name", { value: training.name });
  }
}
