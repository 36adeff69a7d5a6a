/**
 * Runs the real cdktf CLI (`cdktf deploy|destroy|synth|diff`) with Terraform's environment from
 * terraform-cli.ts, streaming progress lines. With the offline provider mirror, cdktf's
 * `terraform providers lock` (which always asks the registry) is skipped.
 */
import { spawn } from "child_process";
import * as path from "path";
import { MIRROR_ENV, terraformEnv } from "./terraform-cli";

export const REPO_ROOT = path.resolve(__dirname, "..");
const CDKTF_BIN = path.join(REPO_ROOT, "node_modules", ".bin", "cdktf");

export interface CdktfOptions {
  /** Environment for cdktf, the app and Terraform (SANDBOX_ENDPOINT, PLATFORM_ENVS, credentials). */
  readonly env?: NodeJS.ProcessEnv;
  /** Synth output directory (`--output`). @default - cdktf.out */
  readonly outdir?: string;
  /** Called with each meaningful output line (ANSI and spinners stripped). */
  readonly onLine?: (line: string) => void;
  /** Reuse the synthesized output instead of synthesizing again. @default false */
  readonly skipSynth?: boolean;
}

export class CdktfError extends Error {
  constructor(message: string, readonly tail: string) {
    super(message);
    this.name = "CdktfError";
  }
}

/** The flags every stack operation of this project passes. */
export function cdktfArgs(verb: "deploy" | "destroy" | "diff" | "synth", stacks: readonly string[], opts: CdktfOptions = {}): string[] {
  const env = opts.env ?? process.env;
  const args = [verb, ...stacks];
  if (opts.outdir) args.push("--output", opts.outdir);
  if (verb === "deploy" || verb === "destroy") args.push("--auto-approve", "--ignore-missing-stack-dependencies");
  if (opts.skipSynth && verb !== "synth") args.push("--skip-synth");
  if (env[MIRROR_ENV] && verb !== "synth") args.push("--skip-provider-lock");
  return args;
}

const SPINNER = /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]/;
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

export function runCdktf(verb: "deploy" | "destroy" | "diff" | "synth", stacks: readonly string[], opts: CdktfOptions = {}): Promise<string> {
  const env = terraformEnv({ ...(opts.env ?? process.env), CI: "1", FORCE_COLOR: "0", CHECKPOINT_DISABLE: "1" });
  // Every emulator listens on a new port, so the sandbox backend's endpoint changes between runs:
  // re-initialise rather than fail with "Backend configuration changed" (state lives in the backend).
  if (env.SANDBOX_ENDPOINT) env.TF_CLI_ARGS_init = `${env.TF_CLI_ARGS_init ?? ""} -reconfigure`.trim();
  const args = cdktfArgs(verb, stacks, { ...opts, env });
  return new Promise((resolve, reject) => {
    const child = spawn(CDKTF_BIN, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let all = "";
    let partial = "";
    const onData = (d: Buffer) => {
      const text = partial + d.toString().replace(ANSI, "");
      const lines = text.split(/\r?\n/);
      partial = lines.pop() ?? "";
      for (const raw of lines) {
        const line = raw.trimEnd();
        all += line + "\n";
        if (line.trim() && !SPINNER.test(line.trim())) opts.onLine?.(line);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (err) => reject(new CdktfError(`could not run ${CDKTF_BIN}: ${err.message} (run npm ci)`, "")));
    child.on("exit", (code) => {
      all += partial;
      if (code === 0) return resolve(all);
      const tail = all.split("\n").slice(-60).join("\n");
      const firstError = all.split("\n").find((l) => /Error:/.test(l))?.trim();
      reject(new CdktfError(`cdktf ${verb} ${stacks.join(" ")} exited with ${code}${firstError ? `: ${firstError.slice(0, 400)}` : ""}`, tail));
    });
  });
}
