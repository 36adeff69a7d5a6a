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

test.each(["preflight", "emulator", "synth", "deploy", "second plan is empty", "verify", "seed sample data", "schedule", "cost estimate", "least privilege", "teardown", "restore"])(
  "phase '%s' passes",
  (name) => {
    const p = phase(name);
    expect(p).toBeDefined();
    expect(p?.error ?? "").toBe("");
    expect(p?.ok).toBe(true);
  },
);

test("the scheduler and the cost report ran as the roles the stacks deployed, with IAM enforced and every call allowed", () => {
  const d = phase("least privilege")!.details.join("\n");
  expect(d).toMatch(/retail-forecast-sandbox-scheduler \(trusts lambda\.amazonaws\.com\): s3:ListAllMyBuckets, which it is not granted, is denied/);
  expect(d).toMatch(/stop: .*nodegroup retail-forecast-sandbox-api.* stopped/);
  expect(d).toMatch(/start: .*endpoint retail-forecast-sandbox-forecast.* started/);
  expect(d).toMatch(/scheduler as retail-forecast-sandbox-scheduler: \d+ calls, \d+ actions, all allowed/);
  expect(d).toMatch(/cost report as retail-forecast-sandbox-cost-reader: .* no errors/);
  expect(d).toMatch(/cost report as retail-forecast-sandbox-cost-reader: \d+ calls, \d+ actions, all allowed/);
});

test("every verification passed, after deploy and again after restore", () => {
  const checks = [...phase("verify")!.details, ...phase("restore")!.details].filter((d) => /^(ok|FAIL) /.test(d));
  expect(checks.filter((d) => d.startsWith("FAIL"))).toEqual([]);
  // 12 checks each time; issue 14 added the dashboard, issue 12 the support tier and egress, and the compute lifetime
  expect(checks.filter((d) => d.startsWith("ok")).length).toBe(24);
  for (const name of ["EKS pins its support tier; the egress is what the config says", "compute lifetime: CodeBuild project, its schedules (timezone, target, role), log retention, failure alert"]) {
    expect(checks.filter((d) => /^ok\s/.test(d) && d.replace(/^ok\s+/, "").startsWith(`${name}: `))).toHaveLength(2);
  }
});

test("the scheduler took node groups to zero and back exactly, and recreated the endpoint", () => {
  const d = phase("schedule")!.details.join("\n");
  expect(d).toMatch(/retail-forecast-sandbox-api at zero/);
  expect(d).toMatch(/retail-forecast-sandbox-api back to min 2 \/ desired 2 \/ max 5/);
  expect(d).toMatch(/retail-forecast-sandbox-forecast deleted/);
  expect(d).toMatch(/retail-forecast-sandbox-forecast recreated/);
});

test("--include-data backed up every object of the data stack (raw/ and the artifacts bucket too) and the restore brought all of it back, byte for byte", () => {
  expect(phase("teardown")!.details.join("\n")).toMatch(/sandbox-data destroyed after backup [0-9TZ-]+: all 5 seeded objects in it, raw\/ and the artifacts bucket included/);
  expect(phase("restore")!.details.join("\n")).toMatch(/5 seeded objects match byte for byte \(restored from backup [0-9TZ-]+\); schedules resumed/);
});

test("the teardown dry run changed nothing and a rerun after the teardown is idempotent", () => {
  const d = phase("teardown")!.details.join("\n");
  expect(d).toMatch(/dry run printed the plan and changed nothing \(cluster still ACTIVE\)/);
  expect(d).toMatch(/rerun: prepare done, backup done, pause skipped, cleanup (done|skipped), destroy sandbox-compute skipped, empty sandbox-data done, destroy sandbox-data done, verify done/);
});

test("teardown ran from the ops CLI's own synth in a directory that did not exist (a fresh checkout), after terraform init of what it destroys", () => {
  expect(lines.join("\n")).toMatch(/done: synthesized sandbox into .*ops-runs\/sandbox-[^;]+; terraform 1\.\d+\.\d+ initialized sandbox-compute \(provider/);
});

test("the teardown paused the deployed scheduler schedules and training rule; they stayed paused while compute was gone (ops persists)", () => {
  const paused = lines.filter((l) => /^\s+(\|\s+)?disable: (schedule|rule) /.test(l)).map((l) => l.replace(/^\s+(\|\s+)?/, ""));
  expect(paused.sort()).toEqual([
    "disable: rule retail-forecast-sandbox-scheduled-training",
    "disable: schedule retail-forecast-sandbox-scheduler-start",
    "disable: schedule retail-forecast-sandbox-scheduler-stop",
    "disable: schedule retail-forecast-sandbox-scheduler-stop-idle",
  ]);
  expect(lines.filter((l) => /FAILED to/.test(l))).toEqual([]);
});

test("teardown left only the persistent ops, data and bootstrap stacks", () => {
  expect(phase("teardown")!.details.join("\n")).toMatch(/compute destroyed; sandbox-ops kept with its schedules paused \(DISABLED, DISABLED, DISABLED\); only sandbox-ops, sandbox-data and sandbox-bootstrap resources remain/);
});

test("issue 12: the compute lifetime's evening, through the build's own command: a keep-alive holds the 19:00 teardown and stop, cleared the teardown runs and is recorded", () => {
  const d = phase("teardown")!.details.join("\n");
  expect(d).toMatch(/keep-alive until 21:00 Europe\/London set at 17:00; one-time retail-forecast-sandbox-keep-alive-teardown at at\(2026-06-01T21:00:00\)/);
  expect(d).toMatch(/19:00 scheduler stop: nothing done \(keep-alive until/);
  expect(d).toMatch(/retail-forecast-sandbox-lifetime-teardown \(cron\(0 19 \? \* MON-FRI \*\) Europe\/London\) -> StartBuild retail-forecast-sandbox-compute-lifetime, LIFETIME_ACTION=teardown: build /);
  expect(d).toMatch(/19:00 teardown under the keep-alive: recorded teardown skipped, environment fully up, build retail-forecast-sandbox-compute-lifetime:/);
  expect(d).toMatch(/19:00 teardown, keep-alive cleared: recorded teardown succeeded, environment fully down, build /);
});

test("issue 12: the morning: a bank holiday holds the restore, a restore that cannot run alerts the topic saying fully down, the 06:30 restore brings compute back (manifests skipped, saying why)", () => {
  const d = phase("restore")!.details.join("\n");
  expect(d).toMatch(/restore --skip-compute: sandbox-data deployed, data copied back from [0-9TZ-]+; sandbox-compute left down/);
  expect(d).toMatch(/06:30 restore on 2026-12-28 \(a skip date\): recorded restore skipped, environment fully down/);
  expect(d).toMatch(/06:30 restore while another run holds the environment: recorded restore failed, environment fully down/);
  expect(d).toMatch(/alert on retail-forecast-sandbox-alerts: "\[retail-forecast-sandbox\] scheduled restore FAILED: environment fully down"/);
  expect(d).toMatch(/06:30 restore: recorded restore succeeded, environment fully up/);
  expect(lines.join("\n")).toMatch(/kubernetes manifests\s+skipped\s+[\d.]+\s+the sandbox's EKS is the emulator's and has no Kubernetes API server/);
});

// The 7-minute target holds alone on this machine (387 s, README "Measured"); under `npm test` the
// other suites share the 2 cores (418 s for this suite in one run), so the guard against a
// regression is looser than the target, not a timing flake.
test("every phase's time is reported and the whole flow stays under 10 minutes", () => {
  expect(report.phases.every((p) => Number.isFinite(p.seconds) && p.seconds >= 0)).toBe(true);
  expect(report.phases.reduce((s, p) => s + p.seconds, 0)).toBeLessThan(10 * 60);
});

test("no emulator process is left behind", () => {
  expect(report.emulatorPid).toBeGreaterThan(0);
  expect(() => process.kill(report.emulatorPid!, 0)).toThrow(/ESRCH/);
});
