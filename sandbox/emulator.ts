/**
 * Starts and stops the local AWS emulator (moto server plus the patches in
 * sandbox/emulator/patches) on a free loopback port. Used by tests, the sandbox flow and
 * benchmarks; never points anything at real AWS.
 *
 *   const emu = await startEmulator();
 *   process.env.AWS_ENDPOINT_URL = emu.endpoint;
 *   ...
 *   await emu.stop();
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { emulatorProcessEnv } from "../lambda/shared/aws-client";

export interface Emulator {
  readonly endpoint: string;
  readonly port: number;
  /** With keep: the server's log file. */
  readonly logFile?: string;
  /** Process id of the server (to prove it is gone after stop). */
  readonly pid?: number;
  /** Patches applied on top of moto, by module name. */
  readonly patches: readonly string[];
  /** Stops the server; safe to call twice. */
  stop(): Promise<void>;
}

export interface StartEmulatorOptions {
  /** @default - 30 000 ms to wait for the server to say it is ready */
  readonly startTimeoutMs?: number;
  /** @default - python3 on PATH (or $PYTHON) */
  readonly python?: string;
  /**
   * Outlive this process (`npm start -- --keep`): the server gets its own process group, writes
   * to `logFile` instead of pipes (a pipe would break when this process exits), and is not
   * killed on exit. stop() still stops it. @default false
   */
  readonly keep?: boolean;
  /** With keep: where the server logs. @default - a file in the OS temp directory */
  readonly logFile?: string;
  /**
   * Check every call of a role session or IAM user against its identity policies
   * (sandbox/emulator/patches/iam_enforcement.py). The emulator credentials stay the account's
   * administrator, so Terraform and the tests deploy as before. @default false
   */
  readonly enforceIam?: boolean;
}

const SERVER = path.join(__dirname, "emulator", "server.py");
const running = new Set<ChildProcess>();
let exitHookInstalled = false;

export function checkEmulatorInstalled(python = process.env.PYTHON ?? "python3"): void {
  const probe = spawnSync(python, ["-c", "import moto, werkzeug; print(moto.__version__)"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `the local AWS emulator is missing: '${python} -c "import moto"' failed. ` +
        `Install it with: pip install "moto[server]==5.2.1" (the patches in sandbox/emulator/patches target it)` +
        (probe.stderr ? ` (${probe.stderr.trim().split("\n").pop()})` : ""),
    );
  }
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const python = options.python ?? process.env.PYTHON ?? "python3";
  checkEmulatorInstalled(python);
  if (options.keep) return startKept(python, options);
  const child = spawn(python, [SERVER, "--host", "127.0.0.1", "--port", "0"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: serverEnv(options),
  });
  running.add(child);
  installExitHook();

  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => {
    // keep only the tail: moto logs every request
    stderr = (stderr + d.toString()).slice(-8000);
  });

  const ready = await new Promise<{ port: number; patches: string[] }>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`emulator did not start within ${options.startTimeoutMs ?? 30000} ms:\n${stderr}`));
    }, options.startTimeoutMs ?? 30000);
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /EMULATOR_READY (\d+) patches=(\S*)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), patches: m[2] ? m[2].split(",") : [] });
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with code ${code} before it was ready:\n${stderr}`));
    });
  }).catch(async (err) => {
    await killChild(child);
    throw err;
  });

  const endpoint = `http://127.0.0.1:${ready.port}`;
  return {
    endpoint,
    port: ready.port,
    pid: child.pid!,
    patches: ready.patches,
    stop: () => killChild(child),
  };
}

function serverEnv(options: StartEmulatorOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONUNBUFFERED: "1" };
  // Never inherited: whether a test's emulator enforces IAM is that test's choice.
  delete env.RF_EMULATOR_IAM;
  if (options.enforceIam) env.RF_EMULATOR_IAM = "enforce";
  return env;
}

/** The --keep server: detached, logging to a file, found ready by reading that file. */
async function startKept(python: string, options: StartEmulatorOptions): Promise<Emulator> {
  const logFile = options.logFile ?? path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rf-emulator-")), "emulator.log");
  const fd = fs.openSync(logFile, "a");
  const child = spawn(python, ["-u", SERVER, "--host", "127.0.0.1", "--port", "0"], { stdio: ["ignore", fd, fd], detached: true, env: serverEnv(options) });
  fs.closeSync(fd);
  child.unref();
  const deadline = Date.now() + (options.startTimeoutMs ?? 30000);
  for (;;) {
    const m = /EMULATOR_READY (\d+) patches=(\S*)/.exec(fs.readFileSync(logFile, "utf8"));
    if (m) {
      const port = Number(m[1]);
      const stop = () => killPid(child.pid!);
      return { endpoint: `http://127.0.0.1:${port}`, port, pid: child.pid!, patches: m[2] ? m[2].split(",") : [], logFile, stop };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await killPid(child.pid!);
      throw new Error(`emulator did not start within ${options.startTimeoutMs ?? 30000} ms: see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function killPid(pid: number): Promise<void> {
  const alive = () => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  if (!alive()) return;
  process.kill(pid, "SIGTERM");
  for (let i = 0; i < 30 && alive(); i++) await new Promise((r) => setTimeout(r, 100));
  if (alive()) process.kill(pid, "SIGKILL");
}

function killChild(child: ChildProcess): Promise<void> {
  running.delete(child);
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** A crash or Ctrl-C in the parent must not leave an emulator process behind. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const c of running) c.kill("SIGKILL");
    running.clear();
  };
  process.once("exit", killAll);
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.once(sig, () => {
      killAll();
      process.exit(130);
    });
  }
}

/** Environment for SDK clients, the AWS CLI and Terraform to talk to the emulator (lambda/shared/aws-client.ts). */
export function emulatorEnv(endpoint: string, region = "us-east-1"): Record<string, string> {
  return emulatorProcessEnv(endpoint, region);
}
