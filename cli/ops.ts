/**
 * `npm run ops -- <command>`: the platform's operations from a laptop or CI.
 *
 *   npm run ops -- teardown dev                 # dry run: the plan, nothing changed
 *   npm run ops -- teardown dev --yes           # backup, pause, clean up, destroy ops + compute, verify
 *   npm run ops -- restore dev                  # deploy compute + ops, data back from the latest backup
 *   npm run ops -- train --env dev --wait       # SageMaker training on managed spot
 *   npm run ops -- endpoints list --env dev
 *   npm run ops -- schedule stop --env dev --dry-run
 *
 * For the sandbox, SANDBOX_ENDPOINT=http://127.0.0.1:<port> names the local emulator. Errors
 * are one line on stderr and a non-zero exit.
 */
import { Command, CommanderError } from "commander";
import { scheduleProgram } from "./schedule";
import { SchedulerFailedError } from "../lambda/scheduler/core";
import { assertAccount, ContextOptions, opsContext, OpsError } from "./ops/context";
import { teardown } from "./ops/teardown";
import { restore } from "./ops/restore";
import { train } from "./ops/train";
import { formatEndpointRows, listEndpointRows, stopIdle, toServerless } from "./ops/endpoints";
import { instanceTypeFlag, intFlag, keyValueFlag, parseDuration } from "./ops/plan";
import type { CdktfRunner } from "./ops/stacks";

export interface OpsDeps extends ContextOptions {
  /** Test seam: replaces `npx cdktf`. */
  readonly cdktf?: CdktfRunner;
  readonly isTty?: boolean;
  readonly prompt?: (question: string) => Promise<string>;
}

const ENV_HELP = "environment: dev, staging, prod or sandbox";
const durationLabel = (sec: number) => (sec % 86400 === 0 ? `${sec / 86400}d` : sec % 3600 === 0 ? `${sec / 3600}h` : sec % 60 === 0 ? `${sec / 60}m` : `${sec}s`);

export function opsProgram(deps: OpsDeps = {}): Command {
  const ctx = (env: string) => opsContext(env, deps);
  const program = new Command("ops")
    .description("retail-forecast platform operations: teardown, restore, train, endpoints, schedule")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command("teardown")
    .description("back up, pause schedules, clean up what Terraform does not own, cdktf destroy ops then compute, verify (dry run unless --yes)")
    .argument("<env>", ENV_HELP)
    .option("--yes", "act without the typed confirmation", false)
    .option("--dry-run", "only print the plan (the default without --yes)", false)
    .option("--include-data", "also destroy <env>-data, after the backup this run takes", false)
    .option("--i-understand-prod", "required to tear down prod", false)
    .action(async (env: string, o: { yes: boolean; dryRun: boolean; includeData: boolean; iUnderstandProd: boolean }) => {
      const r = await teardown(ctx(env), { ...o, cdktf: deps.cdktf, isTty: deps.isTty, prompt: deps.prompt });
      if (!r.ok) throw new OpsError(`teardown ${env} did not complete: ${r.steps.filter((s) => s.status === "failed").map((s) => s.step).join(", ")} failed (rerun to finish)`);
    });

  program
    .command("restore")
    .description("cdktf deploy compute then ops, restore data from the latest backup (checksums verified), resume schedules")
    .argument("<env>", ENV_HELP)
    .option("--backup <id>", "backup id (folder under s3://<backup bucket>/<env>/); default: the latest")
    .option("--include-data", "also deploy <env>-data first", false)
    .option("--data-only", "no deploys: only restore data and resume", false)
    .option("--dry-run", "only print what would be done", false)
    .option("--i-understand-prod", "required to restore prod", false)
    .action(async (env: string, o: { backup?: string; includeData: boolean; dataOnly: boolean; dryRun: boolean; iUnderstandProd: boolean }) => {
      const r = await restore(ctx(env), { ...o, cdktf: deps.cdktf });
      if (!r.ok) throw new OpsError(`restore ${env} did not complete: ${r.steps.filter((s) => s.status === "failed").map((s) => s.step).join(", ")} failed (rerun to finish)`);
    });

  const trainAction = (forceTuning: boolean) => async (o: Record<string, unknown>) => {
    await train(ctx(o.env as string), {
      jobName: o.jobName as string | undefined,
      instanceType: o.instanceType as string | undefined,
      instanceCount: o.instanceCount as number | undefined,
      maxRuntimeSec: o.maxRuntimeSec as number | undefined,
      maxWaitSec: o.maxWaitSec as number | undefined,
      image: o.image as string | undefined,
      roleArn: o.roleArn as string | undefined,
      inputS3Uri: o.input as string | undefined,
      outputS3Uri: o.output as string | undefined,
      hyperParameters: o.hyperparameter as Record<string, string> | undefined,
      dryRun: o.dryRun as boolean,
      wait: o.wait as boolean,
      tuning: forceTuning || (o.tuning as boolean),
      maxJobs: o.maxJobs as number | undefined,
      maxParallel: o.maxParallel as number | undefined,
    });
  };
  for (const [name, tuning] of [["train", false], ["tune", true]] as const) {
    const cmd = program
      .command(name)
      .description(tuning ? "a hyperparameter tuning job whose training jobs run on managed spot" : "a SageMaker training job on managed spot with checkpoints and cost tags")
      .requiredOption("--env <env>", ENV_HELP)
      .option("--job-name <name>", "default: <project>-<env>-train-<timestamp>")
      .option("--instance-type <type>", "e.g. ml.m5.xlarge", instanceTypeFlag)
      .option("--instance-count <n>", "instances", intFlag("--instance-count", 1, 100))
      .option("--max-runtime-sec <sec>", "MaxRuntimeInSeconds (default 3600)", intFlag("--max-runtime-sec", 1, 28 * 86400))
      .option("--max-wait-sec <sec>", "MaxWaitTimeInSeconds, > max runtime (default 2 x runtime)", intFlag("--max-wait-sec", 1, 28 * 86400))
      .option("--image <uri>", "training image (default: config sagemaker.trainingImage)")
      .option("--role-arn <arn>", "execution role (default: the platform's SageMaker role)")
      .option("--input <s3uri>", "training channel (default: data bucket, first backup prefix)")
      .option("--output <s3uri>", "model output (default: s3://<models bucket>/training/)")
      .option("--hyperparameter <key=value>", "repeatable", keyValueFlag)
      .option("--wait", "poll until the job ends; print billable vs training seconds and the spot saving", false)
      .option("--dry-run", "print the request JSON and send nothing", false)
      .option("--max-jobs <n>", "tuning: training jobs in total (default 10)", intFlag("--max-jobs", 1, 500))
      .option("--max-parallel <n>", "tuning: training jobs at once (default 2)", intFlag("--max-parallel", 1, 100));
    if (!tuning) cmd.option("--tuning", "a hyperparameter tuning job instead (same as `ops tune`)", false);
    cmd.action(trainAction(tuning));
  }

  const endpoints = program.command("endpoints").description("SageMaker endpoints: list, stop the idle ones, move one to serverless");
  endpoints
    .command("list")
    .description("status, instance type or serverless, invocations over a window (CloudWatch), schedule")
    .requiredOption("--env <env>", ENV_HELP)
    .option("--window <duration>", "invocations look-back: 90m, 24h, 7d", parseDuration, 86400)
    .action(async (o: { env: string; window: number }) => {
      const c = ctx(o.env);
      await assertAccount(c);
      c.log(formatEndpointRows(await listEndpointRows(c, o.window), durationLabel(o.window)));
    });
  endpoints
    .command("stop-idle")
    .description("stop (delete, recording the config) endpoints tagged Schedule=<schedule> with fewer invocations than the threshold; dry run unless --yes")
    .requiredOption("--env <env>", ENV_HELP)
    .option("--threshold <invocations>", "idle below this many invocations in the window (default: config)", intFlag("--threshold", 1))
    .option("--window <duration>", "look-back: 90m, 24h, 7d (default: config)", parseDuration)
    .option("--yes", "act", false)
    .action(async (o: { env: string; threshold?: number; window?: number; yes: boolean }) => {
      const c = ctx(o.env);
      const summary = await stopIdle(c, {
        thresholdInvocations: o.threshold ?? c.cfg.schedule.idleInvocationsThreshold,
        windowSec: o.window ?? c.cfg.schedule.idleWindowHours * 3600,
        yes: o.yes,
      });
      if (summary.totals.failed) throw new SchedulerFailedError(summary);
    });
  endpoints
    .command("to-serverless")
    .description("create a serverless endpoint config for the endpoint's models and UpdateEndpoint to it; dry run unless --yes")
    .argument("<endpoint>", "endpoint name")
    .requiredOption("--env <env>", ENV_HELP)
    .option("--memory-mb <mb>", "1024..6144 in steps of 1024 (default 2048)", intFlag("--memory-mb", 1024, 6144))
    .option("--max-concurrency <n>", "1..200 (default 5)", intFlag("--max-concurrency", 1, 200))
    .option("--yes", "act", false)
    .action(async (endpoint: string, o: { env: string; memoryMb?: number; maxConcurrency?: number; yes: boolean }) => {
      await toServerless(ctx(o.env), endpoint, { memorySizeInMb: o.memoryMb, maxConcurrency: o.maxConcurrency, yes: o.yes });
    });

  program.addCommand(scheduleProgram().exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s) }));
  return program;
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage). */
export async function main(argv: string[], deps: OpsDeps = {}): Promise<number> {
  const program = opsProgram(deps);
  if (!argv.length) {
    program.outputHelp();
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander printed it already; --help and --version are not failures
      return err.exitCode === 0 || err.code === "commander.helpDisplayed" || err.code === "commander.help" ? 0 : 2;
    }
    const msg =
      err instanceof SchedulerFailedError
        ? `${err.summary.totals.failed} target(s) failed: ${err.summary.results.filter((r) => r.outcome === "failed").map((r) => `${r.kind} ${r.id}: ${r.reason}`).join("; ")}`
        : (err as Error).message;
    process.stderr.write(`ops: ${msg.replace(/\s*\n\s*/g, " ")}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
