/**
 * Stack operations through the real cdktf CLI (`cdktf destroy|deploy <stack> --auto-approve`),
 * each run from a synth in a directory of its own (so two runs never share one, and a fresh
 * checkout without cdktf.out works), with Terraform's environment from tools/terraform-cli.ts
 * (the provider mirror when TF_PROVIDER_MIRROR is set); what a stack's Terraform state says
 * about it; and the wrapper every changing run goes through (run lock, runner, signals).
 */
import * as fs from "fs";
import * as path from "path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { spawn } from "child_process";
import { assertTerraform, ensureMirrorEnv, terraformEnv } from "../../tools/terraform-cli";
import { CdktfError, CdktfInterruptedError, runCdktf as runProjectCdktf } from "../../tools/cdktf";
import { OpsContext, OpsError } from "./context";
import { errorName } from "../../lambda/shared/errors";
import { acquireRunLock } from "./locks";
import { Interrupts } from "./signals";
import type { StackKind, StackState } from "./plan";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** deployed: state lists resources; empty: destroyed before; absent: never deployed. */
export async function stackState(ctx: OpsContext, kind: StackKind): Promise<StackState> {
  return (await stackFacts(ctx, kind)).state;
}

/** The state and how many managed resources it holds (a destroy that did nothing leaves the count as it was). */
export async function stackFacts(ctx: OpsContext, kind: StackKind): Promise<{ state: StackState; resources: number }> {
  try {
    const out = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: ctx.names.stateBucket, Key: ctx.names.stateKey(kind) }));
    const state = JSON.parse(await out.Body!.transformToString()) as { resources?: { mode?: string; instances?: unknown[] }[] };
    const managed = (state.resources ?? []).filter((r) => r.mode !== "data");
    const resources = managed.reduce((n, r) => n + Math.max(1, r.instances?.length ?? 1), 0);
    return { state: managed.length ? "deployed" : "empty", resources };
  } catch (err) {
    if (["NoSuchKey", "NoSuchBucket", "NotFound"].includes(errorName(err))) return { state: "absent", resources: 0 };
    throw new OpsError(`cannot read the state of ${ctx.cfg.name}-${kind} at s3://${ctx.names.stateBucket}/${ctx.names.stateKey(kind)}: ${errorName(err) || (err as Error).message}`);
  }
}

/** The old test seam: a function that does `cdktf <verb> <stack>` (tests fake it). */
export interface CdktfRunner {
  (verb: "deploy" | "destroy", stack: string, ctx: OpsContext, signal?: AbortSignal): Promise<void>;
}

/** Stack operations of one run, in a directory of its own. */
export interface StackRunner {
  /**
   * Everything that can fail locally, checked before the run changes anything: the app
   * synthesizes into this run's own directory, Terraform and the provider are there, and each
   * stack's backend initializes (which also proves the state bucket and the credentials).
   */
  prepare(ctx: OpsContext, stacks: readonly string[]): Promise<string>;
  run(verb: "deploy" | "destroy", stack: string, ctx: OpsContext, signal?: AbortSignal): Promise<void>;
  /** Removes the run's directory (state lives in the backend, nothing is lost). */
  dispose(): void;
}

export function fromCdktfRunner(fn: CdktfRunner): StackRunner {
  return { prepare: async () => "cdktf faked", run: fn, dispose: () => undefined };
}

export interface RunSeams {
  /** @default cdktfStackRunner() */
  readonly runner?: StackRunner;
  /** Test seam: a function in place of cdktf (no synth, no init). */
  readonly cdktf?: CdktfRunner;
  /** @default - installed for the run: SIGINT, SIGTERM, SIGHUP */
  readonly interrupts?: Interrupts;
}

/**
 * One teardown or restore that changes things: the environment's run lock, a stack runner with
 * its own directory, the signal handlers; all released at the end, whatever happened.
 */
export async function withRun<T>(ctx: OpsContext, command: string, seams: RunSeams, body: (runner: StackRunner, interrupts: Interrupts) => Promise<T>): Promise<T> {
  const lock = await acquireRunLock(ctx, command);
  const runner = seams.runner ?? (seams.cdktf ? fromCdktfRunner(seams.cdktf) : cdktfStackRunner());
  const interrupts = seams.interrupts ?? new Interrupts();
  const uninstall = seams.interrupts ? () => undefined : interrupts.install(ctx.log);
  try {
    return await body(runner, interrupts);
  } finally {
    uninstall();
    runner.dispose();
    await lock.release();
  }
}

/** Where ops runs synthesize: apart from the user's cdktf.out/<stack>, one directory per run. */
export const OPS_WORK_ROOT = path.join(REPO_ROOT, "cdktf.out", "ops");

export interface CdktfStackRunnerOptions {
  /** @default cdktf.out/ops */
  readonly workRoot?: string;
  /** @default the project's cdktf (test seam: a fake one) */
  readonly bin?: string;
  /** `terraform init` each stack in prepare. @default true */
  readonly init?: boolean;
  /** @default 300 000 ms */
  readonly graceMs?: number;
}

/** The real runner: `cdktf <verb> <stack> --skip-synth` over this run's own synth. */
export function cdktfStackRunner(o: CdktfStackRunnerOptions = {}): StackRunner {
  let outdir: string | undefined;
  return {
    async prepare(ctx, stacks) {
      // a fresh checkout has no bundle: build it (the same check `cdktf synth` makes), else reuse it
      let bundle = process.env.SCHEDULER_BUNDLE;
      if (!bundle) {
        try {
          const { ensureLambdaBundle } = await import("../../lambda/build");
          bundle = await ensureLambdaBundle("scheduler", (l) => ctx.log(`      ${l}`));
        } catch (err) {
          throw new OpsError(`the scheduler bundle cannot be built, so the app cannot synthesize: ${(err as Error).message.split("\n")[0]}`);
        }
      } else if (!fs.existsSync(bundle)) {
        throw new OpsError(`SCHEDULER_BUNDLE=${bundle} does not exist (synth needs the scheduler's zip); unset it to build the bundle from source`);
      }
      const root = o.workRoot ?? OPS_WORK_ROOT;
      try {
        fs.mkdirSync(root, { recursive: true });
        outdir = fs.mkdtempSync(path.join(root, `${ctx.cfg.name}-${new Date().toISOString().replace(/[:.]/g, "-")}-`));
      } catch (err) {
        throw new OpsError(`cannot create this run's directory under ${root}: ${(err as Error).message}`);
      }
      const { buildApp } = await import("../../app");
      try {
        buildApp({ outdir, environments: [ctx.cfg.name], emulatorEndpoint: ctx.cfg.emulatorEndpoint, schedulerBundle: bundle }).synth();
      } catch (err) {
        throw new OpsError(`the app does not synthesize: ${(err as Error).message.split("\n")[0]}`);
      }
      // TF_PROVIDER_MIRROR as set, else a mirror found on disk when the registry is unreachable.
      const mirror = ensureMirrorEnv(ctx.childEnv);
      const notes = [`synthesized ${ctx.cfg.name} into ${path.relative(REPO_ROOT, outdir)}`];
      if (o.init === false || !stacks.length) return notes.join("; ");
      let version: string;
      try {
        version = assertTerraform();
      } catch (err) {
        throw new OpsError((err as Error).message);
      }
      for (const stack of stacks) {
        await terraformInit(path.join(outdir, "stacks", stack), ctx.childEnv, stack);
      }
      notes.push(`terraform ${version} initialized ${stacks.join(", ")} (provider ${mirror ? `from the mirror ${mirror}` : "from the registry"}, backend s3://${ctx.names.stateBucket})`);
      return notes.join("; ");
    },
    async run(verb, stack, ctx, signal) {
      if (!outdir) throw new Error("StackRunner.run before prepare");
      ensureMirrorEnv(ctx.childEnv);
      try {
        await runProjectCdktf(verb, [stack], { env: ctx.childEnv, outdir, skipSynth: true, signal, bin: o.bin, graceMs: o.graceMs, onLine: (line) => ctx.log(`      | ${line}`) });
      } catch (err) {
        if (err instanceof CdktfInterruptedError) throw err;
        throw new OpsError(err instanceof CdktfError ? err.message : `could not run cdktf: ${(err as Error).message}`);
      }
    },
    dispose() {
      if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
    },
  };
}

/** `terraform init` in a synthesized stack: provider installed, backend configured and reachable. */
function terraformInit(dir: string, env: NodeJS.ProcessEnv, stack: string): Promise<void> {
  const tfEnv = terraformEnv(env);
  const args = ["init", "-input=false", "-no-color", ...(env.SANDBOX_ENDPOINT ? ["-reconfigure"] : [])];
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", args, { cwd: dir, env: tfEnv, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", (err) => reject(new OpsError(`could not run terraform: ${err.message}`)));
    child.on("exit", (code) => {
      if (code === 0) return resolve();
      const error = out.split("\n").find((l) => /Error:/.test(l))?.trim() ?? out.trim().split("\n").slice(-3).join(" ");
      reject(new OpsError(`terraform init of ${stack} failed (nothing changed yet): ${error.slice(0, 400)}`));
    });
  });
}
