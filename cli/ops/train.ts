/**
 * `ops train` / `ops tune`: SageMaker training (or hyperparameter tuning) on managed spot, with
 * checkpoints and cost tags, from the environment's config. --dry-run prints the request and
 * sends nothing; --wait polls with backoff and prints billable vs training seconds.
 */
import {
  CreateHyperParameterTuningJobCommand,
  CreateTrainingJobCommand,
  DescribeHyperParameterTuningJobCommand,
  DescribeTrainingJobCommand,
} from "@aws-sdk/client-sagemaker";
import { assertAccount, OpsContext, OpsError } from "./context";
import { backoffDelayMs, spotSaving, SpotSaving, TERMINAL_TRAINING } from "./plan";
import { buildTrainingJobRequest, buildTuningJobRequest, TrainingOptions, TuningOptions } from "./requests";

export interface TrainCommandOptions extends TuningOptions {
  readonly dryRun?: boolean;
  readonly wait?: boolean;
  readonly tuning?: boolean;
  /** Poll delay for --wait. @default backoffDelayMs (5 s doubling to 60 s) */
  readonly delayMs?: (attempt: number) => number;
  /** Give up waiting after this long. @default max-wait + 10 min */
  readonly waitTimeoutMs?: number;
}

export interface TrainResult {
  readonly name: string;
  readonly request: object;
  readonly sent: boolean;
  readonly status?: string;
  readonly saving?: SpotSaving;
}

function build(ctx: OpsContext, o: TrainCommandOptions) {
  try {
    return o.tuning ? buildTuningJobRequest(ctx.cfg, o) : buildTrainingJobRequest(ctx.cfg, o as TrainingOptions);
  } catch (err) {
    throw new OpsError((err as Error).message);
  }
}

export async function train(ctx: OpsContext, o: TrainCommandOptions = {}): Promise<TrainResult> {
  const request = build(ctx, o);
  const name = "TrainingJobName" in request ? request.TrainingJobName! : request.HyperParameterTuningJobName!;
  if (o.dryRun) {
    ctx.log(JSON.stringify(request, null, 2));
    ctx.log(`dry run: ${o.tuning ? "CreateHyperParameterTuningJob" : "CreateTrainingJob"} ${name} not sent`);
    return { name, request, sent: false };
  }
  await assertAccount(ctx);
  const sm = ctx.clients.sagemaker;
  if (o.tuning) await sm.send(new CreateHyperParameterTuningJobCommand(request as never));
  else await sm.send(new CreateTrainingJobCommand(request as never));
  ctx.log(`${o.tuning ? "tuning" : "training"} job ${name} created (managed spot, checkpoints to ${(o.tuning ? (request as { TrainingJobDefinition: { CheckpointConfig: { S3Uri: string } } }).TrainingJobDefinition.CheckpointConfig : (request as { CheckpointConfig: { S3Uri: string } }).CheckpointConfig).S3Uri})`);
  if (!o.wait) return { name, request, sent: true };

  const delay = o.delayMs ?? ((a: number) => backoffDelayMs(a));
  const maxWaitSec = o.maxWaitSec ?? (o.maxRuntimeSec ?? 3600) * 2;
  const deadline = Date.now() + (o.waitTimeoutMs ?? (maxWaitSec + 600) * 1000);
  for (let attempt = 0; ; attempt++) {
    if (o.tuning) {
      const d = await sm.send(new DescribeHyperParameterTuningJobCommand({ HyperParameterTuningJobName: name }));
      const status = d.HyperParameterTuningJobStatus ?? "Unknown";
      if (TERMINAL_TRAINING.has(status)) {
        const c = d.TrainingJobStatusCounters;
        ctx.log(`tuning job ${name}: ${status} (${c?.Completed ?? 0} completed, ${c?.NonRetryableError ?? 0} failed training jobs); best: ${d.BestTrainingJob?.TrainingJobName ?? "n/a"}`);
        return { name, request, sent: true, status };
      }
      ctx.log(`  ${status} ...`);
    } else {
      const d = await sm.send(new DescribeTrainingJobCommand({ TrainingJobName: name }));
      const status = d.TrainingJobStatus ?? "Unknown";
      if (TERMINAL_TRAINING.has(status)) {
        const saving = spotSaving(d.TrainingTimeInSeconds, d.BillableTimeInSeconds);
        ctx.log(
          `training job ${name}: ${status}${d.FailureReason ? ` (${d.FailureReason})` : ""}; training ${saving.trainingSec} s, billable ${saving.billableSec} s, ` +
            `spot saving ${saving.savingPct === undefined ? "n/a (SageMaker reported no times)" : `${saving.savingPct} %`}`,
        );
        if (status !== "Completed") throw new OpsError(`training job ${name} ended ${status}${d.FailureReason ? `: ${d.FailureReason}` : ""}`);
        return { name, request, sent: true, status, saving };
      }
      ctx.log(`  ${status}${d.SecondaryStatus ? ` / ${d.SecondaryStatus}` : ""} ...`);
    }
    if (Date.now() > deadline) throw new OpsError(`gave up waiting for ${name}: still running (it keeps running; check it in the console)`);
    await new Promise((r) => setTimeout(r, delay(attempt)));
  }
}
