/**
 * The ops CLI as a real process (test/fixtures/ops/ops-driver.ts: the real stack runner, with
 * test/fixtures/ops/fake-cdktf.js in place of cdktf) against the emulator: a teardown from a
 * fresh checkout, and SIGTERM in the middle of a destroy, then the rerun.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { HeadObjectCommand } from "@aws-sdk/client-s3";
import { Emulator, emulatorEnv, startEmulator } from "../../../sandbox/emulator";
import { opsContext, OpsContext } from "../../../cli/ops/context";
import { stackFacts } from "../../../cli/ops/stacks";
import { stateLockKey } from "../../../cli/ops/locks";
import { opsFixtures } from "./helpers";

jest.setTimeout(180_000);

const REPO = path.resolve(__dirname, "..", "..", "..");
let emu: Emulator;
let ctx: OpsContext;
let tmp: string;
const f = opsFixtures(() => ctx);

beforeAll(async () => {
  emu = await startEmulator();
  ctx = opsContext("sandbox", { emulatorEndpoint: emu.endpoint, log: () => undefined });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rf-ops-process-"));
  if (!fs.existsSync(path.join(REPO, "dist", "lambda", "scheduler.zip"))) execFileSync(process.execPath, [path.join(REPO, "node_modules", "tsx", "dist", "cli.mjs"), path.join(REPO, "lambda", "build.ts")], { cwd: REPO });
});
afterAll(async () => {
  await emu?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function environment() {
  await f.bucket(ctx.names.stateBucket, "sandbox-bootstrap");
  await f.bucket(ctx.names.backupBucket, "sandbox-bootstrap");
  for (const b of f.dataBuckets()) await f.bucket(b, "sandbox-data");
  await f.deployedState("data", 3);
  await f.deployedState("compute", 4);
  await f.deleteSchedules();
  await f.deployOps();
}

interface Run {
  readonly child: ChildProcess;
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** `ops <argv>` as its own process, in `root` (a checkout), with the fake cdktf. */
function ops(root: string, argv: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "test", "fixtures", "ops", "ops-driver.ts"), ...argv], {
    cwd: root,
    env: { ...process.env, ...emulatorEnv(emu.endpoint), SANDBOX_ENDPOINT: emu.endpoint, NODE_NO_WARNINGS: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return { child, done: new Promise((resolve) => child.on("exit", (code) => resolve({ code, stdout, stderr }))) };
}

const lockHeld = () => ctx.clients.s3.send(new HeadObjectCommand({ Bucket: ctx.names.stateBucket, Key: stateLockKey(ctx, "compute") })).then(() => true, () => false);
async function until(what: string, check: () => Promise<boolean>, ms = 60_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const events = (log: string) => (fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").map((l) => JSON.parse(l)) : []);

test("a teardown from a fresh checkout (no cdktf.out, as the teardown workflow runs it) synthesizes into its own directory and finishes", async () => {
  // GIVEN a checkout of the repository's files with no cdktf.out (node_modules linked, the scheduler bundle built)
  const checkout = path.join(tmp, "checkout");
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], { cwd: REPO, encoding: "utf8" }).split("\0").filter(Boolean);
  for (const file of files) {
    if (!fs.existsSync(path.join(REPO, file))) continue;
    fs.mkdirSync(path.dirname(path.join(checkout, file)), { recursive: true });
    fs.copyFileSync(path.join(REPO, file), path.join(checkout, file));
  }
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(checkout, "node_modules"));
  fs.mkdirSync(path.join(checkout, "dist", "lambda"), { recursive: true });
  for (const f of ["scheduler.zip", "scheduler.build.json"]) fs.copyFileSync(path.join(REPO, "dist", "lambda", f), path.join(checkout, "dist", "lambda", f));
  expect(fs.existsSync(path.join(checkout, "cdktf.out"))).toBe(false);
  await environment();
  const log = path.join(tmp, "fresh.log");

  // WHEN
  const r = await ops(checkout, ["teardown", "sandbox", "--yes"], { FAKE_CDKTF_LOG: log }).done;

  // THEN it completed, the fake cdktf ran from this run's own synth, and the run's directory is gone again
  expect(r.stderr.replace(/\(node:\d+\)[^\n]*\n/g, "")).toBe("");
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/\[1\/\d+\] prepare \.\.\.\n\s+done: synthesized sandbox into cdktf\.out\/ops\/sandbox-/);
  const locked = events(log).find((e) => e.event === "locked");
  expect(locked.outdir).toContain(path.join(checkout, "cdktf.out", "ops", "sandbox-"));
  expect(fs.existsSync(locked.outdir)).toBe(false);
  expect((await stackFacts(ctx, "compute")).state).toBe("empty");
});

test("SIGTERM during the destroy: cdktf gets it once, saves its state and releases the lock; the CLI says what was interrupted and how to finish (exit 143); the rerun finishes", async () => {
  await environment();
  const log = path.join(tmp, "sigterm.log");
  const run = ops(REPO, ["teardown", "sandbox", "--yes"], { FAKE_CDKTF_LOG: log, FAKE_CDKTF_DELAY_MS: "60000", OPS_WORK_ROOT: path.join(tmp, "work") });
  await until("the destroy to hold its lock", lockHeld);

  run.child.kill("SIGTERM");
  const r = await run.done;

  expect(r.code).toBe(143);
  const fake = events(log);
  expect(fake.filter((e) => e.event === "signal").map((e) => e.signal)).toEqual(["SIGTERM"]);
  expect(fake.map((e) => e.event)).toContain("saved state and released the lock");
  expect(await lockHeld()).toBe(false);
  expect(r.stdout).toMatch(/SIGTERM received: the step in flight finishes safely/);
  expect(r.stdout).toMatch(/destroy sandbox-compute \.\.\.\n[\s\S]*failed: cdktf destroy sandbox-compute was interrupted/);
  expect(r.stderr).toMatch(
    /ops: teardown sandbox interrupted by SIGTERM: Teardown stopped \(interrupted by SIGTERM\) half way: sandbox-compute partly destroyed \(2 of 4 resources left\)\. The schedules and rules it paused stay paused .* Terraform saved its state and released its lock\. To finish: npm run ops -- teardown sandbox --yes; to bring it back instead: npm run ops -- restore sandbox/,
  );
  expect(await f.scheduleStates()).toEqual({ start: "DISABLED", stop: "DISABLED", "stop-idle": "DISABLED" });
  expect(fs.readdirSync(path.join(tmp, "work"))).toEqual([]); // the run's directory went with it

  // the rerun finishes the job
  const again = await ops(REPO, ["teardown", "sandbox", "--yes"], { FAKE_CDKTF_LOG: log, OPS_WORK_ROOT: path.join(tmp, "work") }).done;
  expect(again.code).toBe(0);
  expect((await stackFacts(ctx, "compute")).state).toBe("empty");
});

test("a closed output pipe (`| head`, a log shipper gone) does not stop the run half way: it finishes", async () => {
  await environment();
  const run = ops(REPO, ["teardown", "sandbox", "--yes"], { FAKE_CDKTF_DELAY_MS: "2000", OPS_WORK_ROOT: path.join(tmp, "work") });
  await until("the destroy to hold its lock", lockHeld);
  run.child.stdout!.destroy(); // the reader goes away: every later write of the run fails with EPIPE
  const r = await run.done;
  expect(r.stderr.replace(/\(node:\d+\)[^\n]*\n/g, "")).toBe("");
  expect(r.code).toBe(0);
  expect((await stackFacts(ctx, "compute")).state).toBe("empty");
  expect(await lockHeld()).toBe(false);
});
