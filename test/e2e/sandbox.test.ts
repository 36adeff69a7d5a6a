/**
 * The project's end-to-end test: the same flow as `npm start`, non-interactively. Deploys every
 * sandbox stack against the local emulator with the real cdktf CLI and Terraform, checks a
 * second plan is empty, verifies, runs the scheduler, tears down and restores.
 */
import * as os from "os";
import * as path from "path";
import * as fs from "fs";
import { runSandbox, SandboxReport } from "../../sandbox/run";

jest.setTimeout(20 * 60_000);

let report: SandboxReport;
const lines: string[] = [];
let outdir: string;

beforeAll(async () => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), "rf-sandbox-"));
  report = await runSandbox({
    outdir,
    log: (l) => {
      lines.push(l);
      if (process.env.SANDBOX_VERBOSE) process.stdout.write(`${l}\n`);
    },
  });
  if (!report.ok) process.stderr.write(lines.slice(-120).join("\n") + "\n");
});

afterAll(() => {
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

const phase = (name: string) => report.phases.find((p) => p.phase === name);

test.each(["preflight", "emulator", "deploy", "second plan is empty", "verify", "seed sample data", "schedule", "cost estimate", "teardown", "restore"])(
  "phase '%s' passes",
  (name) => {
    const p = phase(name);
    expect(p).toBeDefined();
    expect(p?.error ?? "").toBe("");
    expect(p?.ok).toBe(true);
  },
);

test("every verification passed, after deploy and again after restore", () => {
  const checks = [...phase("verify")!.details, ...phase("restore")!.details].filter((d) => /^(ok|FAIL) /.test(d));
  expect(checks.filter((d) => d.startsWith("FAIL"))).toEqual([]);
  expect(checks.filter((d) => d.startsWith("ok")).length).toBe(20);
});

test("the scheduler took node groups to zero and back exactly, and recreated the endpoint", () => {
  const d = phase("schedule")!.details.join("\n");
  expect(d).toMatch(/retail-forecast-sandbox-api at zero/);
  expect(d).toMatch(/retail-forecast-sandbox-api back to min 2 \/ desired 2 \/ max 5/);
  expect(d).toMatch(/retail-forecast-sandbox-forecast deleted/);
  expect(d).toMatch(/retail-forecast-sandbox-forecast recreated/);
});

test("the restore brought back a file lost after the teardown, byte for byte", () => {
  expect(phase("teardown")!.details.join("\n")).toMatch(/deleted s3:\/\/retail-forecast-sandbox-data-123456789012\/silver\/sales/);
  expect(phase("restore")!.details.join("\n")).toMatch(/3 seeded objects match byte for byte/);
});

test("the teardown dry run changed nothing and a rerun after the teardown is idempotent", () => {
  const d = phase("teardown")!.details.join("\n");
  expect(d).toMatch(/dry run printed the plan and changed nothing \(cluster still ACTIVE\)/);
  expect(d).toMatch(/rerun: .*destroy sandbox-compute skipped/);
});

test("the teardown paused the deployed scheduler schedules and training rule before destroying ops", () => {
  const paused = lines.filter((l) => /^\s+disable: (schedule|rule) /.test(l)).map((l) => l.trim());
  expect(paused.sort()).toEqual([
    "disable: rule retail-forecast-sandbox-scheduled-training",
    "disable: schedule retail-forecast-sandbox-scheduler-start",
    "disable: schedule retail-forecast-sandbox-scheduler-stop",
    "disable: schedule retail-forecast-sandbox-scheduler-stop-idle",
  ]);
  expect(lines.filter((l) => /FAILED to/.test(l))).toEqual([]);
});

test("teardown left only the persistent data and bootstrap stacks", () => {
  expect(phase("teardown")!.details.join("\n")).toMatch(/only sandbox-data and sandbox-bootstrap resources remain/);
});

test("no emulator process is left behind", () => {
  expect(report.emulatorPid).toBeGreaterThan(0);
  expect(() => process.kill(report.emulatorPid!, 0)).toThrow(/ESRCH/);
});
