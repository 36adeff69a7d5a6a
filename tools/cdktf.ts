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
  /**
   * Interruption: when it aborts, cdktf gets one SIGTERM (it passes it on to Terraform, which
   * stops, saves its state and releases its lock) and is waited for up to `graceMs`. With a
   * signal, cdktf runs in its own process group, so a Ctrl-C in the terminal reaches it once,
   * through here, and never twice (Terraform's second interrupt abandons the state).
   */
  readonly signal?: AbortSignal;
  /** How long an interrupted cdktf gets to exit before its process group is killed. @default 300 000 ms */
  readonly graceMs?: number;
  /** @default node_modules/.bin/cdktf (test seam: a fake cdktf) */
  readonly bin?: string;
}

/** cdktf was interrupted (opts.signal aborted); `exitCode` is what it exited with once it stopped. */
export class CdktfInterruptedError extends Error {
  constructor(message: string, readonly exitCode: number | null, readonly killed: boolean) {
    super(message);
    this.name = "CdktfInterruptedError";
  }
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

/** Switches that keep cdktf and Terraform offline: no telemetry, no version check (cdktf runs `npm view` for it). */
export const OFFLINE_ENV = { CHECKPOINT_DISABLE: "1", DISABLE_VERSION_CHECK: "1" } as const;

export function runCdktf(verb: "deploy" | "destroy" | "diff" | "synth", stacks: readonly string[], opts: CdktfOptions = {}): Promise<string> {
  const env = terraformEnv({ ...(opts.env ?? process.env), CI: "1", FORCE_COLOR: "0", ...OFFLINE_ENV });
  // Every emulator listens on a new port, so the sandbox backend's endpoint changes between runs:
  // re-initialise rather than fail with "Backend configuration changed" (state lives in the backend).
  if (env.SANDBOX_ENDPOINT) env.TF_CLI_ARGS_init = `${env.TF_CLI_ARGS_init ?? ""} -reconfigure`.trim();
  const args = cdktfArgs(verb, stacks, { ...opts, env });
  const bin = opts.bin ?? CDKTF_BIN;
  const what = `cdktf ${verb} ${stacks.join(" ")}`;
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(new CdktfInterruptedError(`${what} not started: interrupted`, null, false));
    const child = spawn(bin, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"], detached: !!opts.signal });
    let killed = false;
    let forceKill: NodeJS.Timeout | undefined;
    const onAbort = () => {
      child.kill("SIGTERM");
      forceKill = setTimeout(() => {
        killed = true;
        try {
          process.kill(-child.pid!, "SIGKILL");
        } catch {
          // already gone
        }
      }, opts.graceMs ?? 300_000);
    };
    opts.signal?.addEventListener("abort", onAbort, { once: true });
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
    child.on("error", (err) => reject(new CdktfError(`could not run ${bin}: ${err.message} (run npm ci)`, "")));
    child.on("exit", (code) => {
      all += partial;
      opts.signal?.removeEventListener("abort", onAbort);
      if (forceKill) clearTimeout(forceKill);
      // cdktf exits 0 after an interrupt: what counts is that it was interrupted.
      if (opts.signal?.aborted) return reject(new CdktfInterruptedError(`${what} was interrupted${killed ? " and killed after the grace period (Terraform may not have saved its state)" : ` (cdktf exited with ${code})`}`, code, killed));
      if (code === 0) return resolve(all);
      const tail = all.split("\n").slice(-60).join("\n");
      const firstError = all.split("\n").find((l) => /Error:/.test(l))?.trim();
      reject(new CdktfError(`${what} exited with ${code}${firstError ? `: ${firstError.slice(0, 400)}` : ""}`, tail));
    });
  });
}
