/**
 * `<env>-ops`: the out-of-hours scheduler (stop at the end of the working hours, start at their
 * start, idle-endpoint sweep), the scheduled-training rule it pauses at night, and, where the
 * compute lifetime is not `always`, the compute lifetime (modules/compute-lifetime.ts): the
 * CodeBuild project and schedules that tear compute down outside the working hours and restore it.
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { PlatformStack, PlatformStackProps } from "./platform-stack";
import { deadLetterQueueName, ScheduledFunction } from "../modules/scheduled-function";
import { CostDashboard } from "../modules/cost-dashboard";
import { scheduleTags } from "../modules/tags";
import { PolicyStatement, schedulerPolicyStatements } from "../lambda/scheduler/iam";
import { EnvironmentConfig } from "../config/types";
import { names } from "../config/naming";
import { CostReaderRole } from "../modules/cost-reader-role";
import { costReportPolicyStatements } from "../cost/iam";
import { numbered, switchCrons } from "../lambda/shared/office-hours";
import { ComputeLifetime, LifetimeSchedule } from "../modules/compute-lifetime";
import { computeLifetimePolicyStatements, policyDocuments } from "../cli/ops/iam";
import { PINNED_TERRAFORM_VERSION } from "../tools/terraform-cli";

export interface OpsStackProps extends PlatformStackProps {
  /** The scheduler's deployment package (dist/lambda/scheduler.zip). */
  readonly schedulerBundle: string;
}

/** The scheduler role's policy for an environment: what the stack deploys, and what the tests run under. */
export function schedulerStatementsFor(cfg: EnvironmentConfig): PolicyStatement[] {
  const n = names(cfg);
  return schedulerPolicyStatements({
    region: cfg.region,
    accountId: cfg.accountId,
    scheduleName: cfg.schedule.name,
    recordPrefix: n.schedulerRecordPrefix,
    keepAliveParameter: n.keepAliveParameter,
    // A real-time endpoint config names the compute key: recreating the endpoint each
    // morning needs kms:CreateGrant on it (RF_KMS_ENDPOINT_GRANT).
    endpointKmsKeyAliases: cfg.sagemaker.endpoint.mode === "realtime" ? [n.computeKeyAlias] : [],
  });
}

export class OpsStack extends PlatformStack {
  readonly scheduler: ScheduledFunction;
  readonly lifetime?: ComputeLifetime;

  constructor(scope: Construct, props: OpsStackProps) {
    super(scope, "ops", props);
    const cfg = this.config;
    const n = this.names;
    const s = cfg.schedule;
    const crons = switchCrons(s.hours);

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
        // the override and the skip dates every scheduled action honours
        TIMEZONE: s.timezone,
        SKIP_DATES: s.skipDates.join(","),
        KEEP_ALIVE_PARAMETER: n.keepAliveParameter,
      },
      statements: schedulerStatementsFor(cfg),
      schedules: [
        ...numbered("stop", crons.stop).map((x) => ({ ...x, timezone: s.timezone, input: { action: "stop" }, enabled: s.enabled })),
        ...numbered("start", crons.start).map((x) => ({ ...x, timezone: s.timezone, input: { action: "start" }, enabled: s.enabled })),
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
    const life = cfg.computeLifetime;
    if (life !== "always") {
      const lifetimeCrons = switchCrons(life.hours, life.restoreLeadMinutes);
      const schedules: LifetimeSchedule[] = [
        ...numbered("teardown", lifetimeCrons.stop).map((x) => ({ ...x, action: "teardown" as const })),
        ...numbered("restore", lifetimeCrons.start).map((x) => ({ ...x, action: "restore" as const })),
      ];
      this.lifetime = new ComputeLifetime(this, "ComputeLifetime", {
        projectName: n.lifetimeProject,
        roleName: n.lifetimeRole,
        scheduleRoleName: n.lifetimeScheduleRole,
        schedulePrefix: n.lifetimeSchedule("").slice(0, -1),
        logGroupName: n.lifetimeLogGroup,
        logRetentionInDays: cfg.logs.retentionInDays,
        failureRuleName: n.lifetimeFailureRule,
        policyDocuments: policyDocuments(computeLifetimePolicyStatements(cfg)),
        source: { bucket: n.stateBucket, key: n.lifetimeSourceKey },
        environmentName: cfg.name,
        computeStack: n.stackName("compute"),
        schedules,
        timezone: s.timezone,
        skipDates: s.skipDates,
        restoreLeadMinutes: life.restoreLeadMinutes,
        alertTopicArn: n.alertTopicArn,
        deadLetterQueueArn: this.scheduler.deadLetterQueue.arn,
        lastRunParameter: n.lastRunParameter,
        kubernetesVersion: cfg.eks.version,
        terraformVersion: PINNED_TERRAFORM_VERSION,
        region: cfg.region,
        accountId: cfg.accountId,
      });
      new TerraformOutput(this, "lifetime_project_name", { value: this.lifetime.project.name });
    }

    new TerraformOutput(this, "scheduler_function_name", { value: this.scheduler.function.functionName });
    new TerraformOutput(this, "cost_dashboard_name", { value: dashboard.resource.dashboardName });
    new TerraformOutput(this, "cost_reader_role_arn", { value: costReader.role.role.arn });
    new TerraformOutput(this, "scheduler_dlq_url", { value: this.scheduler.deadLetterQueue.url });
    new TerraformOutput(this, "training_rule_name", { value: training.name });
  }
}
