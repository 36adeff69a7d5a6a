/**
 * `npm run ops -- <command>`: the platform's operations from a laptop or CI.
 *
 *   npm run ops -- teardown dev                 # dry run: the plan, nothing changed
 *   npm run ops -- teardown dev --yes           # pause, clean up, destroy compute, verify (ops and data kept)
 *   npm run ops -- restore dev                  # deploy compute, resume what the teardown paused
 *   npm run ops -- teardown dev --yes --scheduled   # the compute lifetime's build: keep-alive, skip dates, record, alert
 *   npm run ops -- keep-alive dev --until 22:00  # the scheduled teardown and stop wait until then
 *   npm run ops -- lifetime dev                 # hours, wanted state, keep-alive, last run, next firings
 *   npm run ops -- unlock dev compute           # release a lock a dead run left behind
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
import { InvalidArgumentError } from "commander";
import { assertEnvironmentName } from "../config";
import { assertAccount, ContextOptions, opsContext, OpsError } from "./ops/context";
import { defaultPrompt, teardown, teardownDecision, TeardownFlags } from "./ops/teardown";
import { restore, restoreFlagError, RestoreFlags } from "./ops/restore";
import { BuildInfo, formatStatus, keepAlive, keepAliveFlags, lifetimeOf, lifetimeStatus, lifetimeVerdict, scheduledRestore, scheduledTeardown } from "./ops/lifetime";
import * as fs from "fs";
import * as path from "path";
import { train } from "./ops/train";
import { formatEndpointRows, listEndpointRows, stopIdle, toServerless } from "./ops/endpoints";
import { backupIdFlag, instanceTypeFlag, intFlag, keyValueFlag, parseDuration, STACK_LIFETIMES, StepReport } from "./ops/plan";
import { validateTrainingFlags } from "./ops/requests";
import { lockToRelease, releaseLock, UnlockTarget } from "./ops/locks";
import { InterruptedError, StopSignal } from "./ops/signals";
import type { CdktfRunner, StackRunner } from "./ops/stacks";

export interface OpsDeps extends ContextOptions {
  /** Test seam: replaces `npx cdktf` with a function (no synth, no init). */
  readonly cdktf?: CdktfRunner;
  /** Test seam: the stack runner (e.g. the real one with a fake cdktf binary). */
  readonly runner?: StackRunner;
  readonly isTty?: boolean;
  readonly prompt?: (question: string) => Promise<string>;
  /** Test seam: the alert of a failed scheduled run. @default - SNS Publish */
  readonly publish?: (subject: string, message: string) => Promise<void>;
  /** Test seam: aws and kubectl of the restore's manifests step. */
  readonly kubectl?: import("./ops/kubernetes").CommandRunner;
}

/** The build a scheduled run is part of: CodeBuild's variables and the commit the deploy workflow put in the source zip. */
function buildInfo(): BuildInfo {
  let commit: string | undefined;
  try {
    commit = fs.readFileSync(path.join(__dirname, "..", "SOURCE_COMMIT"), "utf8").trim() || undefined;
  } catch {
    // not a build from the source zip
  }
  return { buildId: process.env.CODEBUILD_BUILD_ID || undefined, sourceVersion: process.env.CODEBUILD_RESOLVED_SOURCE_VERSION || undefined, commit };
}

/** --scheduled runs act on compute only: the flags that would reach data or ops are refused. */
function scheduledFlagError(o: object): string | undefined {
  const bad = ["includeOps", "includeData", "acceptDataLoss", "backup", "skipDeploy", "skipCompute"].filter((k) => (o as Record<string, unknown>)[k]);
  return bad.length
    ? `--scheduled is the compute lifetime's run, on compute only: it does not go with ${bad.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(", ")}`
    : undefined;
}

/** An environment name given as an argument or --env: checked before anything else. */
function assertEnvironmentFlag(env: string): void {
  try {
    assertEnvironmentName(env);
  } catch (err) {
    throw new OpsError((err as Error).message.replace(/\s*\n\s*/g, " "));
  }
}

const UNLOCK_TARGETS = ["data", "compute", "ops", "run"] as const;
function unlockTargetArg(value: string): UnlockTarget {
  const v = value.replace(/^(dev|staging|prod|sandbox)-/, "");
  if (!(UNLOCK_TARGETS as readonly string[]).includes(v)) throw new InvalidArgumentError(`<stack> must be one of ${UNLOCK_TARGETS.join(", ")}, got '${value}'`);
  return v as UnlockTarget;
}

/** A teardown's or restore's result as the exit: interrupted (130/143), failed (1) or fine. */
function endOfRun(what: string, r: { readonly ok: boolean; readonly interrupted?: StopSignal; readonly steps: readonly StepReport[]; readonly left: string }): void {
  if (r.interrupted) throw new InterruptedError(r.interrupted, `${what} interrupted by ${r.interrupted}: ${r.left}`);
  const failed = r.steps.filter((s) => s.status === "failed").map((s) => `${s.step} failed (${s.detail})`);
  if (!r.ok) throw new OpsError(`${what} did not complete: ${failed.join("; ")}. ${r.left}`);
}

const ENV_HELP = "environment: dev, staging, prod or sandbox";
const memoryFlag = (v: string): number => {
  const n = intFlag("--memory-mb", 1024, 6144)(v);
  if (n % 1024) throw new InvalidArgumentError(`--memory-mb must be one of 1024, 2048, 3072, 4096, 5120, 6144, got ${n}`);
  return n;
};
const durationLabel = (sec: number) => (sec % 86400 === 0 ? `${sec / 86400}d` : sec % 3600 === 0 ? `${sec / 3600}h` : sec % 60 === 0 ? `${sec / 60}m` : `${sec}s`);

export function opsProgram(deps: OpsDeps = {}): Command {
  const ctx = (env: string) => opsContext(env, deps);
  const program = new Command("ops")
    .description("retail-forecast platform operations: teardown, restore, keep-alive, lifetime, unlock, train, endpoints, schedule")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command("teardown")
    .description(
      `back up (with --include-data), pause the schedules, clean up what Terraform does not own, cdktf destroy, verify; dry run unless --yes. ` +
        `Destroys <env>-compute (${STACK_LIFETIMES.compute}); <env>-ops is ${STACK_LIFETIMES.ops}; <env>-data is ${STACK_LIFETIMES.data}`,
    )
    .argument("<env>", ENV_HELP)
    .option("--yes", "act without the typed confirmation", false)
    .option("--dry-run", "only print the plan (the default without --yes)", false)
    .option("--include-ops", "also destroy <env>-ops (persistent: the scheduler and its schedules)", false)
    .option("--include-data", "also destroy <env>-data, after a checked backup of every object of its buckets", false)
    .option("--accept-data-loss", "with --include-data: destroy even what no backup covers (archived or > 5 GiB objects, ECR images)", false)
    .option("--i-understand-prod", "required to tear down prod", false)
    .option("--scheduled", "as the compute lifetime's scheduled build: compute only, honours keep-alive and the working hours, records the run in SSM, alerts on failure", false)
    .action(async (env: string, o: TeardownFlags & { scheduled: boolean }) => {
      const decision = teardownDecision(env, o, deps.isTty ?? !!process.stdin.isTTY);
      if (decision.mode === "refuse") throw new OpsError(decision.reason);
      if (o.scheduled) {
        assertEnvironmentFlag(env);
        const bad = scheduledFlagError(o);
        if (bad) throw new OpsError(bad);
        if (decision.mode === "dry-run") {
          const c = ctx(env);
          lifetimeOf(c);
          const v = await lifetimeVerdict(c, "teardown", c.now());
          c.log(`scheduled teardown of ${env} now: ${v.run ? "would run" : "would do nothing"} (${v.reason})`);
          endOfRun(`teardown ${env}`, await teardown(c, { ...o, scheduled: true, runner: deps.runner, cdktf: deps.cdktf, isTty: false }));
          return;
        }
        if (decision.mode !== "go") throw new OpsError("--scheduled acts without a prompt: add --yes");
        const run = await scheduledTeardown(ctx(env), { runner: deps.runner, cdktf: deps.cdktf, build: buildInfo(), publish: deps.publish });
        if (run.result === "failed") throw new OpsError(`scheduled teardown of ${env} failed, environment ${run.state}: ${run.reason}`);
        return;
      }
      endOfRun(`teardown ${env}`, await teardown(ctx(env), { ...o, runner: deps.runner, cdktf: deps.cdktf, isTty: deps.isTty, prompt: deps.prompt }));
    });

  program
    .command("restore")
    .description("cdktf deploy what a teardown removed (compute always), restore data when the data stack was removed or --backup is given (backup checked first), resume what the teardown paused")
    .argument("<env>", ENV_HELP)
    .option("--backup <id>", "restore this backup (folder under s3://<backup bucket>/<env>/); default: the latest, and only when the data stack was removed or --include-data", backupIdFlag)
    .option("--include-data", "also deploy <env>-data (done anyway when it is gone) and restore its data from the latest backup", false)
    .option("--include-ops", "also deploy <env>-ops (done anyway when it is gone)", false)
    .option("--skip-deploy", "no deploys: only restore data (with --backup) and resume the schedules", false)
    .option("--skip-compute", "deploy and restore data and ops (when gone or asked) but not compute, e.g. outside the compute lifetime", false)
    .option("--dry-run", "only print what would be done", false)
    .option("--i-understand-prod", "required to restore prod", false)
    .option("--scheduled", "as the compute lifetime's scheduled build: compute only, honours skip dates and the working hours, never leaves compute half up, records the run in SSM, alerts on failure", false)
    .action(async (env: string, o: RestoreFlags & { scheduled: boolean }) => {
      assertEnvironmentFlag(env);
      const bad = restoreFlagError(env, o) ?? (o.scheduled ? scheduledFlagError(o) : undefined);
      if (bad) throw new OpsError(bad);
      if (o.scheduled && o.dryRun) {
        const c = ctx(env);
        lifetimeOf(c);
        const v = await lifetimeVerdict(c, "restore", c.now());
        c.log(`scheduled restore of ${env} now: ${v.run ? "would run" : "would do nothing"} (${v.reason})`);
        endOfRun(`restore ${env}`, await restore(c, { ...o, scheduled: true, runner: deps.runner, cdktf: deps.cdktf }));
        return;
      }
      if (o.scheduled) {
        const run = await scheduledRestore(ctx(env), { runner: deps.runner, cdktf: deps.cdktf, build: buildInfo(), publish: deps.publish, kubectl: deps.kubectl });
        if (run.result === "failed") throw new OpsError(`scheduled restore of ${env} failed, environment ${run.state}: ${run.reason}`);
        return;
      }
      endOfRun(`restore ${env}`, await restore(ctx(env), { ...o, runner: deps.runner, cdktf: deps.cdktf, kubectl: deps.kubectl }));
    });

  program
    .command("keep-alive")
    .description("keep the environment up past its hours: the scheduled teardown and the scheduler's stop and stop-idle do nothing until --until; expires by itself")
    .argument("<env>", ENV_HELP)
    .option("--until <time>", "HH:MM today, YYYY-MM-DDTHH:MM (both in the environment's timezone) or ISO 8601 with an offset; at most 7 days ahead")
    .option("--reason <text>", "one line, recorded with the keep-alive")
    .option("--clear", "remove the keep-alive (and the one-time schedules it left)", false)
    .option("--dry-run", "only print what would be set", false)
    .action(async (env: string, o: { until?: string; reason?: string; clear: boolean; dryRun: boolean }) => {
      assertEnvironmentFlag(env);
      const c = ctx(env);
      keepAliveFlags(c, o); // flags before any AWS call
      await keepAlive(c, o);
    });

  program
    .command("lifetime")
    .description("the compute lifetime of an environment: its hours, the state they want now, the compute stack's state, keep-alive, the last scheduled run, the next firings")
    .argument("<env>", ENV_HELP)
    .option("--json", "print as JSON", false)
    .action(async (env: string, o: { json: boolean }) => {
      assertEnvironmentFlag(env);
      const c = ctx(env);
      await assertAccount(c);
      const st = await lifetimeStatus(c);
      if (o.json) console.log(JSON.stringify(st, null, 2));
      else c.log(formatStatus(st));
    });

  program
    .command("unlock")
    .description("release a lock left behind by a run that died: a stack's Terraform state lock (data, compute, ops) or the environment's run lock (run); asks for the lock id")
    .argument("<env>", ENV_HELP)
    .argument("<stack>", "data | compute | ops | run", unlockTargetArg)
    .option("--lock-id <id>", "the lock id, as the confirmation (without a terminal, the only way)")
    .action(async (env: string, target: UnlockTarget, o: { lockId?: string }) => {
      assertEnvironmentFlag(env);
      const c = ctx(env);
      await assertAccount(c);
      const held = await lockToRelease(c, target);
      if (!held) throw new OpsError(`no lock is held on ${target === "run" ? `environment '${env}' (run lock)` : `${env}-${target}`}: nothing to release`);
      c.log(`lock: ${held.description}\nobject: s3://${c.names.stateBucket}/${held.key}`);
      let answer = o.lockId;
      if (answer === undefined) {
        if (!(deps.isTty ?? !!process.stdin.isTTY)) throw new OpsError(`no terminal to confirm at: pass --lock-id ${held.id} to release it`);
        answer = (await (deps.prompt ?? defaultPrompt)(`Type the lock id (${held.id}) to release it: `)).trim();
      }
      if (answer !== held.id) throw new OpsError(`'${answer}' is not the lock id ${held.id}: nothing released`);
      const released = await releaseLock(c, target, answer);
      c.log(`released: ${released.description}`);
    });

  const trainAction = (forceTuning: boolean) => async (o: Record<string, unknown>) => {
    assertEnvironmentFlag(o.env as string);
    try {
      validateTrainingFlags({ ...o, jobName: o.jobName as string | undefined, tuning: forceTuning || (o.tuning as boolean) });
    } catch (err) {
      throw new OpsError((err as Error).message);
    }
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
      assertEnvironmentFlag(o.env);
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
      assertEnvironmentFlag(o.env);
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
    .option("--memory-mb <mb>", "1024..6144 in steps of 1024 (default 2048)", memoryFlag)
    .option("--max-concurrency <n>", "1..200 (default 5)", intFlag("--max-concurrency", 1, 200))
    .option("--yes", "act", false)
    .action(async (endpoint: string, o: { env: string; memoryMb?: number; maxConcurrency?: number; yes: boolean }) => {
      assertEnvironmentFlag(o.env);
      await toServerless(ctx(o.env), endpoint, { memorySizeInMb: o.memoryMb, maxConcurrency: o.maxConcurrency, yes: o.yes });
    });

  program.addCommand(scheduleProgram().exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s) }));
  return program;
}

/** Runs the CLI; returns the exit code (0 ok, 1 failure, 2 usage). */
export async function main(argv: string[], deps: OpsDeps = {}): Promise<number> {
  ignoreClosedPipes();
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
    if (err instanceof InterruptedError) {
      process.stderr.write(`ops: ${err.message.replace(/\s*\n\s*/g, " ")}\n`);
      return err.signal === "SIGINT" ? 130 : err.signal === "SIGHUP" ? 129 : 143;
    }
    const msg =
      err instanceof SchedulerFailedError
        ? `${err.summary.totals.failed} target(s) failed: ${err.summary.results.filter((r) => r.outcome === "failed").map((r) => `${r.kind} ${r.id}: ${r.reason}`).join("; ")}`
        : (err as Error).message;
    process.stderr.write(`ops: ${msg.replace(/\s*\n\s*/g, " ")}\n`);
    return 1;
  }
}

/**
 * A closed pipe (`ops teardown ... | head`, a log shipper that went away) must not kill the run
 * half way: output to it is dropped, the run goes on (Node ignores SIGPIPE already; this is the
 * EPIPE error that would otherwise be thrown on the next write).
 */
const ignoringPipes = new WeakSet<NodeJS.WriteStream>();
function ignoreClosedPipes(): void {
  for (const stream of [process.stdout, process.stderr]) {
    if (ignoringPipes.has(stream)) continue;
    ignoringPipes.add(stream);
    stream.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code !== "EPIPE") throw err;
    });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
