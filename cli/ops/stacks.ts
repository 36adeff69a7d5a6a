/**
 * Stack operations through the real cdktf CLI (`npx cdktf destroy|deploy <stack>
 * --auto-approve`), with Terraform's environment from tools/terraform-cli.ts (the provider
 * mirror when TF_PROVIDER_MIRROR is set), and what a stack's Terraform state says about it.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { terraformEnv } from "../../tools/terraform-cli";
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
    if (["NoSuchKey", "NoSuchBucket", "NotFound", "AccessDenied"].includes(errName(err))) return "absent";
    throw err;
  }
}

export interface CdktfRunner {
  (verb: "deploy" | "destroy", stack: string, ctx: OpsContext): Promise<void>;
}

/** Spawns `npx cdktf <verb> <stack> --auto-approve` in the repo root, forwarding its output indented. */
export const runCdktf: CdktfRunner = async (verb, stack, ctx) => {
  const bundle = path.join(REPO_ROOT, "dist", "lambda", "scheduler", "index.js");
  if (!process.env.SCHEDULER_BUNDLE && !fs.existsSync(bundle)) {
    throw new OpsError(`the scheduler bundle ${path.relative(REPO_ROOT, bundle)} is missing (synth needs it): run npm run build:lambda`);
  }
  const env = terraformEnv(ctx.childEnv);
  await new Promise<void>((resolve, reject) => {
    const child = spawn("npx", ["cdktf", verb, stack, "--auto-approve", "--ignore-missing-stack-dependencies"], {
      cwd: REPO_ROOT,
      env: { ...env, CI: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let tail = "";
    const forward = (d: Buffer) => {
      const text = d.toString().replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
      tail = (tail + text).slice(-4000);
      for (const line of text.split(/\r?\n/)) if (line.trim() && !/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/.test(line.trim())) ctx.log(`      | ${line}`);
    };
    child.stdout.on("data", forward);
    child.stderr.on("data", forward);
    child.on("error", (err) => reject(new OpsError(`could not run cdktf: ${err.message}`)));
    child.on("exit", (code) => {
      if (code === 0) resolve();
      else {
        const lastError = tail.split("\n").reverse().find((l) => /error/i.test(l))?.trim();
        reject(new OpsError(`cdktf ${verb} ${stack} exited with ${code}${lastError ? `: ${lastError.slice(0, 300)}` : ""}`));
      }
    });
  });
};
