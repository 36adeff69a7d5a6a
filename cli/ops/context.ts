/**
 * What every ops command starts from: the environment's validated config, its names, SDK
 * clients (pointed at the emulator for sandbox only), the account guard and a progress logger.
 * Commands take an `OpsContext`, so tests hand in one built against the emulator (or a config
 * with another account id to prove the guard refuses).
 */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { S3Client } from "@aws-sdk/client-s3";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { EKSClient } from "@aws-sdk/client-eks";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ResourceGroupsTaggingAPIClient } from "@aws-sdk/client-resource-groups-tagging-api";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { ECRClient } from "@aws-sdk/client-ecr";
import { SSMClient } from "@aws-sdk/client-ssm";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SchedulerClient } from "@aws-sdk/client-scheduler";
import { SNSClient } from "@aws-sdk/client-sns";
import { loadEnvironment } from "../../config";
import type { EnvironmentConfig } from "../../config/types";
import { names, Names } from "../../config/naming";
import { AwsCredentials, awsClientConfig, credentialsEnv, emulatorProcessEnv } from "../../lambda/shared/aws-client";
import type { SchedulerClients } from "../../lambda/scheduler/aws";

/** A user-facing failure: printed as one line, exit code 1, nothing else said. */
export class OpsError extends Error {
  name = "OpsError";
}

export interface OpsClients extends SchedulerClients {
  readonly sts: STSClient;
  readonly s3: S3Client;
  readonly ec2: EC2Client;
  readonly elbv2: ElasticLoadBalancingV2Client;
  readonly tagging: ResourceGroupsTaggingAPIClient;
  readonly logs: CloudWatchLogsClient;
  readonly ecr: ECRClient;
  readonly lambda: LambdaClient;
  /** EventBridge Scheduler: teardown pauses the scheduler's own schedules. */
  readonly scheduler: SchedulerClient;
  /** The alert of a failed scheduled run. */
  readonly sns: SNSClient;
}

export type Log = (line: string) => void;

export interface OpsContext {
  readonly cfg: EnvironmentConfig;
  readonly names: Names;
  readonly clients: OpsClients;
  readonly log: Log;
  /** Environment for child processes (cdktf): emulator endpoint and fake credentials for sandbox. */
  readonly childEnv: NodeJS.ProcessEnv;
  /** The clock of skip dates, keep-alive expiry and the compute lifetime's hours. */
  readonly now: () => Date;
}

export interface ContextOptions {
  /** Sandbox only. @default - $SANDBOX_ENDPOINT */
  readonly emulatorEndpoint?: string;
  /** @default console.log */
  readonly log?: Log;
  /** Test seam: adjust the loaded config (e.g. another accountId to prove the guard). */
  readonly configure?: (cfg: EnvironmentConfig) => EnvironmentConfig;
  /**
   * Act as this identity, for the SDK calls and for cdktf / Terraform (a session of the role the
   * scheduled teardown and restore run as: sandbox/least-privilege.ts opsContextAsRole).
   * @default - the default credential chain, or the emulator's administrator
   */
  readonly credentials?: AwsCredentials;
  /** Test seam (and the sandbox's scheduled cycle on a chosen day): the clock. @default - the system clock */
  readonly now?: () => Date;
}

/** Loads and validates the environment; one-line errors for unknown names and a sandbox without emulator. */
export function loadOpsEnvironment(env: string, opts: ContextOptions = {}): EnvironmentConfig {
  const emulatorEndpoint = env === "sandbox" ? opts.emulatorEndpoint ?? process.env.SANDBOX_ENDPOINT ?? undefined : undefined;
  let cfg: EnvironmentConfig;
  try {
    cfg = loadEnvironment(env, { emulatorEndpoint: emulatorEndpoint || undefined });
  } catch (err) {
    throw new OpsError((err as Error).message.replace(/\s*\n\s*/g, " "));
  }
  if (opts.configure) cfg = opts.configure(cfg);
  if (cfg.name === "sandbox" && !cfg.emulatorEndpoint) {
    throw new OpsError("the sandbox environment runs against the local emulator: set SANDBOX_ENDPOINT=http://127.0.0.1:<port>");
  }
  return cfg;
}

export function createOpsClients(cfg: EnvironmentConfig, credentials?: AwsCredentials): OpsClients {
  const base = awsClientConfig({ region: cfg.region, emulatorEndpoint: cfg.emulatorEndpoint, credentials });
  return {
    sts: new STSClient(base),
    s3: new S3Client(base),
    sagemaker: new SageMakerClient(base),
    eks: new EKSClient(base),
    ec2: new EC2Client(base),
    elbv2: new ElasticLoadBalancingV2Client(base),
    tagging: new ResourceGroupsTaggingAPIClient(base),
    cloudwatch: new CloudWatchClient(base),
    logs: new CloudWatchLogsClient(base),
    events: new EventBridgeClient(base),
    ecr: new ECRClient(base),
    ssm: new SSMClient(base),
    lambda: new LambdaClient(base),
    scheduler: new SchedulerClient(base),
    sns: new SNSClient(base),
  };
}

export function opsContext(env: string, opts: ContextOptions = {}): OpsContext {
  const cfg = loadOpsEnvironment(env, opts);
  const childEnv: NodeJS.ProcessEnv = { ...process.env, PLATFORM_ENVS: cfg.name };
  if (cfg.emulatorEndpoint) {
    // the same environment npm start gives cdktf and Terraform
    Object.assign(childEnv, emulatorProcessEnv(cfg.emulatorEndpoint, cfg.region, opts.credentials), { SANDBOX_ENDPOINT: cfg.emulatorEndpoint });
  } else if (opts.credentials) {
    Object.assign(childEnv, credentialsEnv(opts.credentials));
  }
  return { cfg, names: names(cfg), clients: createOpsClients(cfg, opts.credentials), log: opts.log ?? ((l) => console.log(l)), childEnv, now: opts.now ?? (() => new Date()) };
}

/**
 * Like the stacks' allowed_account_ids: the caller's account must be the environment's.
 * Missing or expired credentials become one line saying so.
 */
export async function assertAccount(ctx: OpsContext): Promise<string> {
  let account: string | undefined;
  try {
    account = (await ctx.clients.sts.send(new GetCallerIdentityCommand({}))).Account;
  } catch (err) {
    const e = err as Error;
    if (e.name === "CredentialsProviderError" || /credential/i.test(e.message)) {
      throw new OpsError(`no usable AWS credentials for environment '${ctx.cfg.name}': ${e.message.split("\n")[0]} (set AWS_PROFILE or run aws sso login)`);
    }
    throw new OpsError(`could not verify the account (sts:GetCallerIdentity): ${e.message.split("\n")[0]}`);
  }
  if (account !== ctx.cfg.accountId) {
    throw new OpsError(`credentials are for account ${account}, but environment '${ctx.cfg.name}' is account ${ctx.cfg.accountId}: refusing to act`);
  }
  return account;
}

// The project's one set of error helpers (lambda/shared/errors.ts), under the names the ops modules use.
