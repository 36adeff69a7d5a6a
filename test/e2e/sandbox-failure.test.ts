import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runSandbox } from "../../sandbox/run";

jest.setTimeout(120_000);

const REPO = path.resolve(__dirname, "..", "..");
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test("a failure half way names the failed phase, stops there and leaves no emulator behind", async () => {
  const lines: string[] = [];
  // An output directory that cannot be created (below a plain file): the flow fails in
  // 'synth', after the emulator started.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rf-fail-")), "not-a-directory");
  fs.writeFileSync(file, "");
  const report = await runSandbox({ outdir: path.join(file, "out"), log: (l) => lines.push(l) });
  expect(report.ok).toBe(false);
  expect(report.failedPhase).toBe("synth");
  expect(report.phases.map((p) => p.phase)).toEqual(["preflight", "emulator", "synth"]);
  expect(lines.join("\n")).toMatch(/FAILED in phase 'synth'/);
  expect(lines.join("\n")).toMatch(/FAILED at 'synth'/);
  expect(report.emulatorPid).toBeGreaterThan(0);
  expect(() => process.kill(report.emulatorPid!, 0)).toThrow(/ESRCH/);
});

test("two runs at once are independent: each its own directory and emulator", async () => {
  const [a, b] = await Promise.all([0, 1].map(() => runSandbox({ stopAfter: "synth", log: () => undefined })));
  expect([a.ok, b.ok]).toEqual([true, true]);
  expect(a.outdir).not.toBe(b.outdir);
  expect(a.endpoint).not.toBe(b.endpoint);
  // each run removed its own directory at the end, and stopped its own emulator
  for (const r of [a, b]) {
    expect(fs.existsSync(r.outdir)).toBe(false);
    expect(alive(r.emulatorPid!)).toBe(false);
  }
});

test("each run synthesizes its stacks against its own emulator", async () => {
  const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), "rf-indep-")));
  const reports = await Promise.all(dirs.map((outdir) => runSandbox({ outdir, stopAfter: "synth", log: () => undefined })));
  reports.forEach((r, i) => {
    const backend = JSON.parse(fs.readFileSync(path.join(dirs[i], "stacks", "sandbox-data", "cdk.tf.json"), "utf8")).terraform.backend.s3;
    expect(backend.endpoints.s3).toBe(r.endpoint);
  });
  dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

test("`npm start -- --keep` leaves the emulator running after the process exits, and says where and how to stop it", async () => {
  // the entry point as npm start runs it, stopped after the emulator phase
  const script = `require(${JSON.stringify(path.join(REPO, "sandbox", "run.ts"))}).main(["--keep"], { stopAfter: "emulator" }).then((c) => process.exit(c))`;
  const child = spawn(process.execPath, ["--import", "tsx", "-e", script], { cwd: REPO, env: { ...process.env, NODE_NO_WARNINGS: "1" }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  const code = await new Promise((resolve) => child.on("exit", resolve));
  expect(code).toBe(0);
  const m = /emulator left running at (http:\/\/127\.0\.0\.1:\d+) \(pid (\d+), log ([^)]+)\)/.exec(out);
  expect(m).not.toBeNull();
  const pid = Number(m![2]);
  try {
    expect(alive(pid)).toBe(true);
    // it still answers
    const res = await fetch(`${m![1]}/`, { method: "GET" }).catch((e) => e);
    expect(res).not.toBeInstanceOf(Error);
    expect(out).toMatch(new RegExp(`stop it: kill ${pid}`));
  } finally {
    if (alive(pid)) process.kill(pid, "SIGTERM");
    const dir = /this run's directory (\S+) is kept/.exec(out)?.[1];
    if (dir) fs.rmSync(path.join(REPO, dir), { recursive: true, force: true });
  }
});
