/**
 * Pure builders of the SageMaker requests `ops train`, `ops tune` and `ops endpoints
 * to-serverless` send: everything derived from the environment config and names, validated,
 * tested without AWS.
 */
import type {
  CreateEndpointConfigInput,
  CreateHyperParameterTuningJobRequest,
  CreateTrainingJobRequest,
  DescribeEndpointConfigOutput,
} from "@aws-sdk/client-sagemaker";
import type { EnvironmentConfig } from "../../config/types";
import { names } from "../../config/naming";
import { jobName, validateJobName, validateSpotTimes } from "./plan";

export interface TrainingOptions {
  readonly jobName?: string;
  /** @default ml.m5.xlarge */
  readonly instanceType?: string;
  /** @default 1 */
  readonly instanceCount?: number;
  /** @default 3600 */
  readonly maxRuntimeSec?: number;
  /** @default 2 x maxRuntimeSec */
  readonly maxWaitSec?: number;
  /** @default cfg.sagemaker.trainingImage */
  readonly image?: string;
  /** @default arn:aws:iam::<account>:role/<names.sagemakerRole> */
  readonly roleArn?: string;
  /** @default s3://<data bucket>/<first backup prefix> */
  readonly inputS3Uri?: string;
  /** @default s3://<models bucket>/training/ */
  readonly outputS3Uri?: string;
  readonly hyperParameters?: Readonly<Record<string, string>>;
  /** @default 30 */
  readonly volumeSizeGb?: number;
  readonly now?: Date;
}

export const DEFAULT_TRAINING_INSTANCE = "ml.m5.xlarge";

/** Cost-allocation tags for what the CLI creates outside Terraform (ManagedBy says who). */
export function opsTags(cfg: EnvironmentConfig, extra: Record<string, string> = {}) {
  return Object.entries({
    Project: cfg.project,
    Environment: cfg.name,
    CostCenter: cfg.costCenter,
    Owner: cfg.owner,
    ManagedBy: "ops-cli",
    Stack: `${cfg.name}-ops-cli`,
    ...extra,
  }).map(([Key, Value]) => ({ Key, Value }));
}

/** The S3 and IAM pieces every training job of the environment shares. */
function trainingParts(cfg: EnvironmentConfig, o: TrainingOptions, name: string) {
  const n = names(cfg);
  const maxRuntimeSec = o.maxRuntimeSec ?? 3600;
  const maxWaitSec = o.maxWaitSec ?? maxRuntimeSec * 2;
  validateSpotTimes(maxRuntimeSec, maxWaitSec);
  return {
    AlgorithmSpecification: { TrainingImage: o.image ?? cfg.sagemaker.trainingImage, TrainingInputMode: "File" as const },
    RoleArn: o.roleArn ?? `arn:aws:iam::${cfg.accountId}:role/${n.sagemakerRole}`,
    InputDataConfig: [
      {
        ChannelName: "train",
        DataSource: {
          S3DataSource: {
            S3DataType: "S3Prefix" as const,
            S3Uri: o.inputS3Uri ?? `s3://${n.dataBucket}/${cfg.backupPrefixes[0] ?? ""}`,
            S3DataDistributionType: "FullyReplicated" as const,
          },
        },
      },
    ],
    OutputDataConfig: { S3OutputPath: o.outputS3Uri ?? `s3://${n.modelsBucket}/training/` },
    ResourceConfig: { InstanceType: (o.instanceType ?? DEFAULT_TRAINING_INSTANCE) as never, InstanceCount: o.instanceCount ?? 1, VolumeSizeInGB: o.volumeSizeGb ?? 30 },
    // Managed spot: up to ~70-90 % cheaper; checkpoints let an interrupted job resume instead of restarting.
    EnableManagedSpotTraining: true,
    StoppingCondition: { MaxRuntimeInSeconds: maxRuntimeSec, MaxWaitTimeInSeconds: maxWaitSec },
    CheckpointConfig: { S3Uri: `s3://${n.artifactsBucket}/checkpoints/${name}/`, LocalPath: "/opt/ml/checkpoints" },
  };
}

/**
 * Every check of the training flags that needs no config: the CLI runs it before it builds a
 * context (which needs credentials, an emulator for sandbox), so bad input is named first.
 */
export function validateTrainingFlags(o: Pick<TuningOptions, "jobName" | "maxRuntimeSec" | "maxWaitSec" | "maxJobs" | "maxParallel"> & { readonly tuning?: boolean }): void {
  const maxRuntimeSec = o.maxRuntimeSec ?? 3600;
  validateSpotTimes(maxRuntimeSec, o.maxWaitSec ?? maxRuntimeSec * 2);
  if (o.jobName !== undefined) validateJobName(o.jobName, o.tuning ? 32 : 63);
  if (o.tuning && (o.maxParallel ?? 2) > (o.maxJobs ?? 10)) throw new Error(`--max-parallel (${o.maxParallel ?? 2}) cannot exceed --max-jobs (${o.maxJobs ?? 10})`);
}

export function buildTrainingJobRequest(cfg: EnvironmentConfig, o: TrainingOptions = {}): CreateTrainingJobRequest {
  const name = o.jobName ? validateJobName(o.jobName, 63) : jobName(`${names(cfg).prefix}-train`, o.now ?? new Date(), 63);
  return {
    TrainingJobName: name,
    ...trainingParts(cfg, o, name),
    HyperParameters: o.hyperParameters ? { ...o.hyperParameters } : undefined,
    Tags: opsTags(cfg, { TrainingJob: name }),
  };
}

export interface TuningOptions extends TrainingOptions {
  /** @default 10 */
  readonly maxJobs?: number;
  /** @default 2 */
  readonly maxParallel?: number;
  /** @default validation:rmse */
  readonly objectiveMetric?: string;
}

/** Hyperparameter tuning: every training job it launches runs on managed spot with checkpoints. */
export function buildTuningJobRequest(cfg: EnvironmentConfig, o: TuningOptions = {}): CreateHyperParameterTuningJobRequest {
  // Tuning job names are limited to 32 characters.
  const name = o.jobName ? validateJobName(o.jobName, 32) : jobName(`${cfg.name}-tune`, o.now ?? new Date(), 32);
  const maxJobs = o.maxJobs ?? 10;
  const maxParallel = o.maxParallel ?? 2;
  if (maxParallel > maxJobs) throw new Error(`--max-parallel (${maxParallel}) cannot exceed --max-jobs (${maxJobs})`);
  const parts = trainingParts(cfg, o, name);
  return {
    HyperParameterTuningJobName: name,
    HyperParameterTuningJobConfig: {
      Strategy: "Bayesian",
      HyperParameterTuningJobObjective: { Type: "Minimize", MetricName: o.objectiveMetric ?? "validation:rmse" },
      ResourceLimits: { MaxNumberOfTrainingJobs: maxJobs, MaxParallelTrainingJobs: maxParallel },
      ParameterRanges: {
        ContinuousParameterRanges: [{ Name: "eta", MinValue: "0.05", MaxValue: "0.5", ScalingType: "Auto" }],
        IntegerParameterRanges: [{ Name: "max_depth", MinValue: "3", MaxValue: "10", ScalingType: "Auto" }],
      },
      TrainingJobEarlyStoppingType: "Auto",
    },
    TrainingJobDefinition: {
      AlgorithmSpecification: parts.AlgorithmSpecification,
      RoleArn: parts.RoleArn,
      InputDataConfig: parts.InputDataConfig,
      OutputDataConfig: parts.OutputDataConfig,
      ResourceConfig: parts.ResourceConfig,
      EnableManagedSpotTraining: true,
      StoppingCondition: parts.StoppingCondition,
      CheckpointConfig: parts.CheckpointConfig,
      StaticHyperParameters: o.hyperParameters ? { ...o.hyperParameters } : undefined,
    },
    Tags: opsTags(cfg, { TuningJob: name }),
  };
}

export interface ServerlessOptions {
  /** @default 2048 */
  readonly memorySizeInMb?: number;
  /** @default 5 */
  readonly maxConcurrency?: number;
  readonly now?: Date;
}

const SERVERLESS_MEMORY = [1024, 2048, 3072, 4096, 5120, 6144];

/** A serverless copy of an endpoint config: same models and variants, no instances. */
export function buildServerlessConfig(endpointName: string, current: Pick<DescribeEndpointConfigOutput, "ProductionVariants" | "EndpointConfigName">, o: ServerlessOptions = {}): CreateEndpointConfigInput {
  const memory = o.memorySizeInMb ?? 2048;
  if (!SERVERLESS_MEMORY.includes(memory)) throw new Error(`--memory-mb must be one of ${SERVERLESS_MEMORY.join(", ")}, got ${memory}`);
  const concurrency = o.maxConcurrency ?? 5;
  if (!(concurrency >= 1 && concurrency <= 200)) throw new Error(`--max-concurrency must be between 1 and 200, got ${concurrency}`);
  const variants = current.ProductionVariants ?? [];
  if (!variants.length) throw new Error(`endpoint config ${current.EndpointConfigName} has no production variants`);
  if (variants.every((v) => v.ServerlessConfig)) throw new Error(`endpoint ${endpointName} is already serverless (config ${current.EndpointConfigName})`);
  return {
    EndpointConfigName: jobName(`${endpointName}-serverless`, o.now ?? new Date(), 63),
    ProductionVariants: variants.map((v) => ({
      VariantName: v.VariantName!,
      ModelName: v.ModelName!,
      ServerlessConfig: { MemorySizeInMB: memory, MaxConcurrency: concurrency },
    })),
  };
}
