/**
 * The compute lifetime's engine, in the ops stack: EventBridge Scheduler schedules (in the
 * environment's IANA timezone, the templated CodeBuild StartBuild target) start an AWS CodeBuild project that runs this repository's own
 * `npm run ops -- teardown <env> --yes --scheduled` or `npm run ops -- restore <env> --scheduled`
 * from a pinned source: the zip of the commit the deploy workflow last deployed, in the state
 * bucket. A build that fails (or times out, or is stopped) is also reported by an EventBridge
 * rule to the alert topic; the command itself records every run in SSM and alerts with the state
 * it left (cli/ops/lifetime.ts).
 *
 *   new ComputeLifetime(this, "ComputeLifetime", {
 *     projectName: "retail-forecast-dev-compute-lifetime", roleName: ..., statements: computeLifetimePolicyStatements(cfg),
 *     source: { bucket: stateBucket, key: "retail-forecast/dev/lifetime/source.zip" }, environmentName: "dev",
 *     computeStack: "dev-compute", timezone: "Europe/London",
 *     schedules: [{ name: "teardown", action: "teardown", cron: "cron(0 19 ? * MON-FRI *)" }, ...], ... });
 *
 * Props with defaults: `computeType` BUILD_GENERAL1_SMALL (2 vCPUs, 3 GB: Terraform and cdktf
 * fit, $0.005/min), `buildTimeoutMinutes` 60 (an EKS create takes about 15), `enabled` true.
 */
import { Construct } from "constructs";
import { CodebuildProject } from "@cdktf/provider-aws/lib/codebuild-project";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { LogGroup } from "./log-group";
import { Role, serviceTrust } from "./iam";
import { targetSchedule } from "./scheduled-function";
import { parseCron, isValidTimeZone } from "../config/cron";
import { LIFETIME_ACTION_VARIABLE, LifetimeAction, lifetimeCommand, startBuildInput } from "./lifetime-build";

export { LifetimeAction, lifetimeCommand, startBuildInput };

export interface LifetimeSchedule {
  /** Part of the schedule's name: keep stable. */
  readonly name: string;
  readonly action: LifetimeAction;
  /** AWS cron, evaluated in `timezone`. */
  readonly cron: string;
}

export interface ComputeLifetimeProps {
  readonly projectName: string;
  readonly roleName: string;
  readonly scheduleRoleName: string;
  /** Schedule names are `<schedulePrefix>-<schedule name>`. */
  readonly schedulePrefix: string;
  readonly logGroupName: string;
  readonly logRetentionInDays: number;
  readonly failureRuleName: string;
  /** What the build may do (cli/ops/iam.ts); split into managed policies of at most 6,144 characters. */
  readonly policyDocuments: readonly string[];
  /** The source zip: s3://bucket/key (the deploy workflow uploads the deployed commit there). */
  readonly source: { readonly bucket: string; readonly key: string };
  /** The environment the build tears down and restores (PLATFORM_ENV). */
  readonly environmentName: string;
  /** The stack it destroys and deploys (LIFETIME_STACK; the cost estimate reads it). */
  readonly computeStack: string;
  readonly schedules: readonly LifetimeSchedule[];
  readonly timezone: string;
  /** Dates the restore skips (LIFETIME_SKIP_DATES, YYYY-MM-DD): the command reads the config, the cost estimate this. */
  readonly skipDates: readonly string[];
  readonly alertTopicArn: string;
  /** Where a StartBuild that keeps failing lands (the ops stack's scheduler DLQ, which alarms). */
  readonly deadLetterQueueArn: string;
  /** The SSM parameter every run writes its outcome to (named in the failure alert). */
  readonly lastRunParameter: string;
  /** Minutes before a window the restore fires (LIFETIME_RESTORE_LEAD_MINUTES: the cost estimate dates skip dates by the window). */
  readonly restoreLeadMinutes: number;
  /** Kubernetes minor version: the kubectl the restore installs to apply the manifests. */
  readonly kubernetesVersion: string;
  readonly terraformVersion: string;
  readonly region: string;
  readonly accountId: string;
  /** @default true */
  readonly enabled?: boolean;
  /** @default "BUILD_GENERAL1_SMALL" */
  readonly computeType?: string;
  /** @default 60 */
  readonly buildTimeoutMinutes?: number;
}

/**
 * The build: Node 20 from the image, Terraform and kubectl from their signed package
 * repositories (pinned versions), npm ci from the lock file, then the one command.
 */
export function lifetimeBuildspec(p: Pick<ComputeLifetimeProps, "kubernetesVersion" | "terraformVersion">): string {
  const kube = `v${p.kubernetesVersion}`;
  const spec = {
    version: 0.2,
    env: { shell: "bash" },
    phases: {
      install: {
        "runtime-versions": { nodejs: 20 },
        commands: [
          "dnf install -y -q dnf-plugins-core",
          "dnf config-manager --add-repo https://rpm.releases.hashicorp.com/AmazonLinux/hashicorp.repo",
          `dnf install -y -q terraform-${p.terraformVersion}`,
          `if [ "$LIFETIME_ACTION" = restore ]; then printf '[kubernetes]\\nname=Kubernetes\\nbaseurl=https://pkgs.k8s.io/core:/stable:/${kube}/rpm/\\nenabled=1\\ngpgcheck=1\\ngpgkey=https://pkgs.k8s.io/core:/stable:/${kube}/rpm/repodata/repomd.xml.key\\n' > /etc/yum.repos.d/kubernetes.repo && dnf install -y -q kubectl; fi`,
          "npm ci --no-audit --no-fund",
        ],
      },
      build: {
        commands: [
          'echo "source: commit $(cat SOURCE_COMMIT 2>/dev/null || echo unknown), S3 version $CODEBUILD_RESOLVED_SOURCE_VERSION"',
          'case "$LIFETIME_ACTION" in ' +
            `teardown) npm run ops -- ${lifetimeCommand("teardown", '"$PLATFORM_ENV"').join(" ")} ;; ` +
            `restore) npm run ops -- ${lifetimeCommand("restore", '"$PLATFORM_ENV"').join(" ")} ;; ` +
            `*) echo "LIFETIME_ACTION must be teardown or restore, got '$LIFETIME_ACTION'"; exit 2 ;; esac`,
        ],
      },
    },
  };
  // JSON is YAML: the buildspec needs no YAML library at synth
  return JSON.stringify(spec, null, 2);
}

export class ComputeLifetime extends Construct {
  readonly project: CodebuildProject;
  readonly role: Role;
  readonly schedules: SchedulerSchedule[];

  constructor(scope: Construct, id: string, props: ComputeLifetimeProps) {
    super(scope, id);
    if (!isValidTimeZone(props.timezone)) throw new Error(`timezone '${props.timezone}' is not an IANA timezone`);
    if (props.schedules.length === 0) throw new Error("schedules must hold at least one teardown and one restore");
    for (const action of ["teardown", "restore"] as const) {
      if (!props.schedules.some((s) => s.action === action)) throw new Error(`schedules has no ${action}: a lifetime needs both`);
    }
    for (const s of props.schedules) parseCron(s.cron); // throws naming the bad field
    if (props.policyDocuments.length === 0 || props.policyDocuments.length > 10) throw new Error(`policyDocuments must hold 1 to 10 documents (IAM's managed-policy quota per role), got ${props.policyDocuments.length}`);

    const projectArn = `arn:aws:codebuild:${props.region}:${props.accountId}:project/${props.projectName}`;
    const logs = new LogGroup(this, "Logs", { name: props.logGroupName, retentionInDays: props.logRetentionInDays });

    this.role = new Role(this, "Role", {
      name: props.roleName,
      assumedBy: serviceTrust("codebuild.amazonaws.com", props.accountId),
    });
    props.policyDocuments.forEach((doc, i) => {
      const policy = new IamPolicy(this, `Policy-${i + 1}`, { name: `${props.roleName}-${i + 1}`, description: `${props.projectName}: scheduled teardown and restore (${i + 1}/${props.policyDocuments.length})`, policy: doc });
      new IamRolePolicyAttachment(this, `PolicyAttachment-${i + 1}`, { role: this.role.role.name, policyArn: policy.arn });
    });

    this.project = new CodebuildProject(this, "Project", {
      name: props.projectName,
      description: `${props.environmentName}: scheduled teardown and restore of ${props.computeStack} (the compute lifetime)`,
      serviceRole: this.role.role.arn,
      buildTimeout: props.buildTimeoutMinutes ?? 60,
      // a build that waited this long in the queue would act too late; the next schedule acts instead
      queuedTimeout: 30,
      // a second build of the project waits for the first: teardown and restore never run at once
      concurrentBuildLimit: 1,
      source: { type: "S3", location: `${props.source.bucket}/${props.source.key}`, buildspec: lifetimeBuildspec(props) },
      artifacts: { type: "NO_ARTIFACTS" },
      environment: {
        computeType: props.computeType ?? "BUILD_GENERAL1_SMALL",
        image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
        type: "LINUX_CONTAINER",
        imagePullCredentialsType: "CODEBUILD",
        environmentVariable: [
          { name: "PLATFORM_ENV", value: props.environmentName, type: "PLAINTEXT" },
          { name: "LIFETIME_STACK", value: props.computeStack, type: "PLAINTEXT" },
          { name: LIFETIME_ACTION_VARIABLE, value: "none", type: "PLAINTEXT" },
          { name: "LIFETIME_TIMEZONE", value: props.timezone, type: "PLAINTEXT" },
          { name: "LIFETIME_SKIP_DATES", value: props.skipDates.join(","), type: "PLAINTEXT" },
          { name: "LIFETIME_RESTORE_LEAD_MINUTES", value: String(props.restoreLeadMinutes), type: "PLAINTEXT" },
          { name: "CHECKPOINT_DISABLE", value: "1", type: "PLAINTEXT" },
          { name: "DISABLE_VERSION_CHECK", value: "1", type: "PLAINTEXT" },
        ],
      },
      logsConfig: { cloudwatchLogs: { groupName: logs.resource.name, status: "ENABLED" } },
      dependsOn: [logs.resource],
    });

    const scheduleRole = new Role(this, "ScheduleRole", {
      name: props.scheduleRoleName,
      assumedBy: serviceTrust("scheduler.amazonaws.com", props.accountId),
      statements: [
        { Sid: "StartBuild", Effect: "Allow", Action: ["codebuild:StartBuild"], Resource: [projectArn] },
        { Sid: "DeadLetter", Effect: "Allow", Action: ["sqs:SendMessage"], Resource: props.deadLetterQueueArn },
      ],
    });

    this.schedules = props.schedules.map(
      (s) =>
        targetSchedule(this, `Schedule-${s.name}`, {
          name: `${props.schedulePrefix}-${s.name}`,
          description: `${s.cron} ${props.timezone}: ${s.action} ${props.computeStack}`,
          cron: s.cron,
          timezone: props.timezone,
          enabled: props.enabled,
          targetArn: this.project.arn,
          roleArn: scheduleRole.role.arn,
          input: startBuildInput(s.action),
          deadLetterArn: props.deadLetterQueueArn,
          // StartBuild is quick; retry throttling for up to 30 minutes, then the DLQ (which alarms)
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 1800 },
        }),
    );

    const failed = new CloudwatchEventRule(this, "FailureRule", {
      name: props.failureRuleName,
      description: `${props.projectName}: a build that did not succeed (failed, timed out, stopped)`,
      eventPattern: JSON.stringify({
        source: ["aws.codebuild"],
        "detail-type": ["CodeBuild Build State Change"],
        detail: { "project-name": [props.projectName], "build-status": ["FAILED", "STOPPED", "TIMED_OUT"] },
      }),
    });
    new CloudwatchEventTarget(this, "FailureAlert", {
      rule: failed.name,
      arn: props.alertTopicArn,
      inputTransformer: {
        inputPaths: { build: "$.detail.build-id", status: "$.detail.build-status", phase: "$.detail.current-phase" },
        inputTemplate:
          `"Compute lifetime of ${props.environmentName}: build <build> ended <status> in phase <phase>. ` +
          `If the command got that far it sent its own alert saying whether ${props.computeStack} is up or down; ` +
          `every run is recorded in SSM ${props.lastRunParameter}; the build log is in ${props.logGroupName}."`,
      },
    });
  }
}
