/**
 * Stack operations through the real cdktf CLI (`npx cdktf destroy|deploy <stack>
 * --auto-approve`), with Terraform's environment from tools/terraform-cli.ts (the provider
 * mirror when TF_PROVIDER_MIRROR is set), and what a stack's Terraform state says about it.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { ensureMirrorEnv, MIRROR_ENV, terraformEnv } from "../../tools/terraform-cli";
import { errName, OpsContext, OpsError } from "./context";
import type { StackKind, StackState } from "./plan";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** deployed: state lists resources; empty: destroyed before; absent: never deployed. */
export async function stackState(ctx: OpsContext, kind: StackKind): Promise<StackState> {
  try {
    const out = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: ctx.names.stateBucket, Key: ctx.names.stateKey(kind) }));
    const state = JSON.parse(await out.Body!.transformToString()) as { resources?: { mode?: string }[] };
    return (state.resources ?? []).some((r) => r.mode !== "data") ? "deployed" : "empty";
  } catch (err) {
    if (["NoSuchKey", "NoSuchBucket", "NotFound"].includes(errName(err))) return "absent";
    throw new OpsError(`cannot read the state of ${ctx.cfg.name}-${kind} at s3://${ctx.names.stateBucket}/${ctx.names.stateKey(kind)}: ${errName(err) || (err as Error).message}`);
  }
}

export interface CdktfRunner {
  (verb: "deploy" | "destroy", stack: string, ctx: OpsContext): Promise<void>;
}

/** Where the ops CLI synthesizes an environment: apart from the user's cdktf.out, so it never clobbers it. */
export const opsOutdir = (env: string) => path.join(REPO_ROOT, "cdktf.out", `ops-${env}`);

const synthesized = new Set<string>();

/** Synthesizes the environment's stacks once per process (the app is the same buildApp main.ts uses). */
async function synthOnce(ctx: OpsContext): Promise<string> {
  const outdir = opsOutdir(ctx.cfg.name);
  if (synthesized.has(outdir)) return outdir;
  const bundleDir = process.env.SCHEDULER_BUNDLE ?? path.join(REPO_ROOT, "dist", "lambda", "scheduler");
  if (!fs.existsSync(path.join(bundleDir, "index.js"))) {
    throw new OpsError(`the scheduler bundle ${path.relative(REPO_ROOT, path.join(bundleDir, "index.js"))} is missing (synth needs it): run npm run build:lambda`);
  }
  ctx.log(`      synthesizing ${ctx.cfg.name} into ${path.relative(REPO_ROOT, outdir)}`);
  const { buildApp } = await import("../../app");
  buildApp({ outdir, environments: [ctx.cfg.name], emulatorEndpoint: ctx.cfg.emulatorEndpoint, schedulerBundle: bundleDir }).synth();
  synthesized.add(outdir);
  return outdir;
}

/** The flags of every stack operation: the synthesized output, no prompt, and no registry lookups with a mirror. */
export function cdktfArgs(verb: "deploy" | "destroy", stack: string, outdir: string, env: NodeJS.ProcessEnv): string[] {
  return [
    "cdktf", verb, stack, "--output", outdir, "--skip-synth", "--auto-approve", "--ignore-missing-stack-dependencies",
    // cdktf's `terraform providers lock` always asks the registry, which a mirror exists to avoid.
    ...(env[MIRROR_ENV] ? ["--skip-provider-lock"] : []),
  ];
}

/** `npx cdktf <verb> <stack> --auto-approve` in the repo root, its output forwarded indented. */
export const runCdktf: CdktfRunner = async (verb, stack, ctx) => {
  const outdir = await synthOnce(ctx);
  // TF_PROVIDER_MIRROR as set, else a mirror found on disk when the registry is unreachable.
  ensureMirrorEnv(ctx.childEnv);
  const env: NodeJS.ProcessEnv = { ...terraformEnv(ctx.childEnv), CI: "1", FORCE_COLOR: "0", CHECKPOINT_DISABLE: "1" };
  // Each emulator listens on a new port, so the sandbox backend's endpoint changes between runs:
  // re-initialise instead of failing "Backend configuration changed" (the state lives in the backend).
  if (ctx.cfg.emulatorEndpoint) env.TF_CLI_ARGS_init = `${env.TF_CLI_ARGS_init ?? ""} -reconfigure`.trim();
  await new Promise<void>((resolve, reject) => {
    const child = spawn("npx", cdktfArgs(verb, stack, outdir, env), { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let tail = "";
    let partial = "";
    const forward = (d: Buffer) => {
      const text = partial + d.toString().replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
      const lines = text.split(/\r?\n/);
      partial = lines.pop() ?? "";
      for (const line of lines) {
        tail = (tail + line + "\n").slice(-6000);
        if (line.trim() && !/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/.test(line.trim())) ctx.log(`      | ${line.trimEnd()}`);
      }
    };
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.on("error", (err) => reject(new OpsError(`could not run npx cdktf: ${err.message}`)));
    child.on("exit", (code) => {
      if (code === 0) return resolve();
      const firstError = tail.split("\n").find((l) => /Error:/.test(l))?.trim();
      reject(new OpsError(`cdktf ${verb} ${stack} exited with ${code}${firstError ? `: ${firstError.slice(0, 300)}` : ""}`));
    });
  });
};
