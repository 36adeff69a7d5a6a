/** `schedule` CLI: input errors, and the same core against the emulator with the sandbox config. */
import { Emulator, startEmulator } from "../../sandbox/emulator";
import { formatSummary, main, scheduleCommand } from "../../cli/schedule";
import { SchedulerFailedError } from "../../lambda/scheduler/core";
import { nodegroupRecordName, schedulerRecordPrefix } from "../../lambda/scheduler/records";
import { ENVIRONMENT_NAMES, loadEnvironment } from "../../config";
import { names } from "../../config/naming";
import * as fx from "../lambda/emulator/fixtures";

// generous: 2 shared cores, several emulators may be starting at once
jest.setTimeout(120_000);

test.each(ENVIRONMENT_NAMES)("the CLI, the ops stack (names) and the scheduler agree on the %s record prefix", (env) => {
  const cfg = loadEnvironment(env);
  expect(names(cfg).schedulerRecordPrefix).toBe(schedulerRecordPrefix(cfg));
});

describe("input errors", () => {
  test.each([
    ["fails when the action is unknown", { action: "reboot", env: "dev" }, /unknown action 'reboot' \(allowed: stop, start, stop-idle\)/],
    ["fails when the environment is unknown", { action: "stop", env: "moon" }, /'moon' is not known/],
    ["fails when sandbox has no emulator endpoint", { action: "stop", env: "sandbox", emulatorEndpoint: "" }, /SANDBOX_ENDPOINT/],
  ])("%s", async (_n, opts, msg) => {
    const saved = process.env.SANDBOX_ENDPOINT;
    delete process.env.SANDBOX_ENDPOINT;
    try {
      await expect(scheduleCommand(opts)).rejects.toThrow(msg);
    } finally {
      if (saved !== undefined) process.env.SANDBOX_ENDPOINT = saved;
    }
  });

  test("fails when run with a bad action: one line on stderr and a non-zero exit", async () => {
    const err = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      expect(await main(["reboot", "--env", "dev"])).toBe(1);
      const written = err.mock.calls.map((c) => String(c[0])).join("");
      expect(written).toBe("schedule: unknown action 'reboot' (allowed: stop, start, stop-idle)\n");
    } finally {
      err.mockRestore();
    }
  });
});

describe("against the emulator (sandbox config)", () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ startTimeoutMs: 90_000 });
  });
  afterAll(async () => {
    await emu?.stop();
  });

  test("stop then start through the CLI function restores the sandbox node group exactly", async () => {
    // GIVEN a node group tagged with the sandbox schedule name (office-hours) in its region
    const c = fx.emulatorClients(emu.endpoint);
    await fx.createCluster(c.eks, "cli-cluster");
    await fx.createNodegroup(c.eks, "cli-cluster", "api", { minSize: 1, desiredSize: 2, maxSize: 3 }, { Schedule: "office-hours" });

    const dry = await scheduleCommand({ action: "stop", env: "sandbox", dryRun: true, emulatorEndpoint: emu.endpoint });
    expect(await fx.scalingOf(c.eks, "cli-cluster", "api")).toEqual({ minSize: 1, desiredSize: 2, maxSize: 3 });
    expect(formatSummary(dry)).toMatch(/stop \(dry run\) Schedule=office-hours in us-east-1: 1 targets/);

    const stop = await scheduleCommand({ action: "stop", env: "sandbox", emulatorEndpoint: emu.endpoint });
    expect(stop.totals.stopped).toBe(1);
    expect(await fx.scalingOf(c.eks, "cli-cluster", "api")).toEqual({ minSize: 0, desiredSize: 0, maxSize: 3 });
    // the record lives where the sandbox's deployed function would look for it
    expect(await fx.readParam(c.ssm, nodegroupRecordName("/retail-forecast/sandbox/scheduler", "cli-cluster", "api"))).toBeDefined();

    await scheduleCommand({ action: "start", env: "sandbox", emulatorEndpoint: emu.endpoint });
    expect(await fx.scalingOf(c.eks, "cli-cluster", "api")).toEqual({ minSize: 1, desiredSize: 2, maxSize: 3 });
  });

  test("fails with the summary attached when a target fails", async () => {
    const c = fx.emulatorClients(emu.endpoint);
    const { PutParameterCommand } = await import("@aws-sdk/client-ssm");
    const bogus = { version: 1, kind: "endpoint", scheduleName: "office-hours", endpointName: "gone", endpointConfigName: "missing", tags: {}, stoppedAt: "t", stoppedBy: "stop" };
    await c.ssm.send(new PutParameterCommand({ Name: "/retail-forecast/sandbox/scheduler/endpoints/gone", Value: JSON.stringify(bogus), Type: "String" }));

    const err = await scheduleCommand({ action: "start", env: "sandbox", emulatorEndpoint: emu.endpoint }).catch((e) => e);

    expect(err).toBeInstanceOf(SchedulerFailedError);
    expect((err as SchedulerFailedError).summary.results).toEqual(expect.arrayContaining([expect.objectContaining({ id: "gone", outcome: "failed" })]));
  });
});
