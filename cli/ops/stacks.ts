/**
 * Stack operations through the real cdktf CLI (`npx cdktf destroy|deploy <stack>
 * --auto-approve`), with Terraform's environment from tools/terraform-cli.ts (the provider
 * mirror when TF_PROVIDER_MIRROR is set), and what a stack's Terraform state says about it.
 */
import * as fs from "fs";
import * as path from "path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { ensureMirrorEnv } from "../../tools/terraform-cli";
import { CdktfError, runCdktf as runProjectCdktf } from "../../tools/cdktf";
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
  const bundle = process.env.SCHEDULER_BUNDLE ?? path.join(REPO_ROOT, "dist", "lambda", "scheduler.zip");
  if (!fs.existsSync(bundle)) {
    throw new OpsError(`the scheduler bundle ${path.relative(REPO_ROOT, bundle)} is missing (synth needs it): run npm run build:lambda`);
  }
  ctx.log(`      synthesizing ${ctx.cfg.name} into ${path.relative(REPO_ROOT, outdir)}`);
  const { buildApp } = await import("../../app");
  buildApp({ outdir, environments: [ctx.cfg.name], emulatorEndpoint: ctx.cfg.emulatorEndpoint, schedulerBundle: bundle }).synth();
  synthesized.add(outdir);
  return outdir;
}

/** `cdktf <verb> <stack>` through the project's runner (tools/cdktf.ts), its output forwarded indented. */
export const runCdktf: CdktfRunner = async (verb, stack, ctx) => {
  const outdir = await synthOnce(ctx);
  // TF_PROVIDER_MIRROR as set, else a mirror found on disk when the registry is unreachable.
  ensureMirrorEnv(ctx.childEnv);
  try {
    await runProjectCdktf(verb, [stack], { env: ctx.childEnv, outdir, skipSynth: true, onLine: (line) => ctx.log(`      | ${line}`) });
  } catch (err) {
    throw new OpsError(err instanceof CdktfError ? err.message : `could not run cdktf: ${(err as Error).message}`);
  }
};
