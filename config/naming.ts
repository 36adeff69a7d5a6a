/**
 * Names derived from the environment config. Stacks find each other's resources by these
 * names (not by remote state), so a consumer never breaks because a producer is gone, and the
 * scheduler, the ops CLI and the cost report agree with the stacks by construction.
 */
import { EnvironmentConfig } from "./types";
import type { StackKind } from "./stacks";
import { schedulerRecordPrefix } from "../lambda/scheduler/records";

export function names(cfg: Pick<EnvironmentConfig, "project" | "name" | "accountId" | "region">) {
  const prefix = `${cfg.project}-${cfg.name}`;
  const cluster = prefix;
  const endpoint = `${prefix}-forecast`;
  return {
    prefix,
    stateBucket: `${cfg.project}-${cfg.name}-tfstate-${cfg.accountId}`,
    stateKey: (stack: string) => `${cfg.project}/${cfg.name}/${stack}.tfstate`,
    stackName: (kind: StackKind) => `${cfg.name}-${kind}`,
    dataBucket: `${prefix}-data-${cfg.accountId}`,
    modelsBucket: `${prefix}-models-${cfg.accountId}`,
    artifactsBucket: `${prefix}-artifacts-${cfg.accountId}`,
    backupBucket: `${prefix}-backup-${cfg.accountId}`,
    ecrRepository: (kind: "training" | "inference") => `${prefix}/${kind}`,
    alertTopic: `${prefix}-alerts`,
    alertTopicArn: `arn:aws:sns:${cfg.region}:${cfg.accountId}:${prefix}-alerts`,
    cluster,
    nodeGroup: (key: string) => `${prefix}-${key}`,
    endpoint,
    endpointConfig: `${endpoint}-config`,
    model: `${prefix}-model`,
    /** Alias of the compute stack's KMS key: the key is recreated with every restore, its alias name is not. */
    computeKeyAlias: `alias/${prefix}-compute`,
    sagemakerRole: `${prefix}-sagemaker`,
    /**
     * The permissions boundary of every compute-stack role (cli/ops/compute-boundary.ts). The data
     * stack owns it: deployed before compute, never by the compute lifetime's build, and kept
     * while compute comes and goes.
     */
    computeBoundaryPolicy: `${prefix}-compute-boundary`,
    computeBoundaryArn: `arn:aws:iam::${cfg.accountId}:policy/${prefix}-compute-boundary`,
    logGroups: {
      eks: `/aws/eks/${cluster}/cluster`,
      app: `/${cfg.project}/${cfg.name}/app`,
      training: "/aws/sagemaker/TrainingJobs",
      endpoint: `/aws/sagemaker/Endpoints/${endpoint}`,
    },
    schedulerFunction: `${prefix}-scheduler`,
    /** The read-only role `cost report` runs as (ops stack). */
    costReaderRole: `${prefix}-cost-reader`,
    /** The scheduler's EventBridge Scheduler schedules and the role they run as (modules/scheduled-function.ts). */
    schedulerSchedule: (action: string) => `${prefix}-scheduler-${action}`,
    schedulerScheduleRole: `${prefix}-scheduler-schedules`,
    trainingRule: `${prefix}-scheduled-training`,
    natInstance: `${prefix}-nat`,
    /**
     * The compute lifetime (modules/compute-lifetime.ts): the CodeBuild project that runs the
     * scheduled teardown and restore, the role it runs as (its policy: cli/ops/iam.ts), the
     * schedules that start it and their role, its log group, the rule that alerts on a failed
     * build, and its source: a zip of the deployed commit in the state bucket.
     */
    lifetimeProject: `${prefix}-compute-lifetime`,
    lifetimeRole: `${prefix}-compute-lifetime`,
    lifetimeScheduleRole: `${prefix}-compute-lifetime-schedules`,
    lifetimeSchedule: (action: string) => `${prefix}-lifetime-${action}`,
    lifetimeLogGroup: `/aws/codebuild/${prefix}-compute-lifetime`,
    lifetimeFailureRule: `${prefix}-compute-lifetime-failed`,
    lifetimeSourceKey: `${cfg.project}/${cfg.name}/lifetime/source.zip`,
    /** SSM parameters: `<prefix>/last-run` (every scheduled run's outcome), `<prefix>/keep-alive` (the override). */
    lifetimeParameterPrefix: `/${cfg.project}/${cfg.name}/lifetime`,
    lastRunParameter: `/${cfg.project}/${cfg.name}/lifetime/last-run`,
    keepAliveParameter: `/${cfg.project}/${cfg.name}/lifetime/keep-alive`,
    /** One-time schedules `ops keep-alive` creates to run what the override held back once it expires. */
    keepAliveSchedule: (action: "teardown" | "stop") => `${prefix}-keep-alive-${action}`,
    /** SSM path where the scheduler records what it stopped (the function's RECORD_PREFIX). */
    schedulerRecordPrefix: schedulerRecordPrefix(cfg),
  };
}

export type Names = ReturnType<typeof names>;
