import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runSandbox } from "../../sandbox/run";

jest.setTimeout(120_000);

test("a failure half way names the failed phase, stops there and leaves no emulator behind", async () => {
  const lines: string[] = [];
  // An output directory that cannot be created (below a plain file): the flow fails in
  // 'deploy', after the emulator started.
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "rf-fail-")), "not-a-directory");
  fs.writeFileSync(file, "");
  const report = await runSandbox({ outdir: path.join(file, "out"), log: (l) => lines.push(l) });
  expect(report.ok).toBe(false);
  expect(report.failedPhase).toBe("deploy");
  expect(report.phases.map((p) => p.phase)).toEqual(["preflight", "emulator", "deploy"]);
  expect(lines.join("\n")).toMatch(/FAILED in phase 'deploy'/);
  expect(lines.join("\n")).toMatch(/FAILED at 'deploy'/);
  expect(report.emulatorPid).toBeGreaterThan(0);
  expect(() => process.kill(report.emulatorPid!, 0)).toThrow(/ESRCH/);
});
