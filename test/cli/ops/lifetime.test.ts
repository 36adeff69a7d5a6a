/**
 * The compute lifetime's scheduled runs, keep-alive and status against the emulator, with cdktf
 * faked (helpers.ts), on chosen days: the clock is the context's seam, the argv the build's own.
 */
import { CreateScheduleCommand, GetScheduleCommand } from "@aws-sdk/client-scheduler";
import { DeleteClusterCommand, DeleteNodegroupCommand } from "@aws-sdk/client-eks";
import { main } from "../../../cli/ops";
import { opsContext, OpsContext } from "../../../cli/ops/context";
import { alertFor, LastRun, readLastRun, restoreOutcome, scheduledRestore, scheduledTeardown } from "../../../cli/ops/lifetime";
import { waitForNodegroupUpdates } from "../../../cli/ops/cleanup";
import { runScheduler } from "../../../lambda/scheduler/core";
import { nodegroupRecordName } from "../../../lambda/scheduler/records";
import { lifetimeCommand, startBuildInput } from "../../../modules/lifetime-build";
import * as fx from "../../lambda/emulator/fixtures";
import { opsFixtures, opsSuite } from "./helpers";

jest.setTimeout(120_000);

const s = opsSuite();
const f = opsFixtures(() => s.ctx);

// Europe/London, British Summer Time: UTC+1
const MON_0635 = new Date("2026-06-01T05:35:00Z");
const MON_1700 = new Date("2026-06-01T16:00:00Z");
const MON_1900 = new Date("2026-06-01T18:00:00Z");
const MON_2200 = new Date("2026-06-01T21:00:00Z");
const BANK_HOLIDAY_0631 = new Date("2026-12-28T06:31:00Z"); // GMT, a skip date of the sandbox (dev's)

const at = (now: Date): OpsContext => opsContext("sandbox", { emulatorEndpoint: s.emu.endpoint, log: s.log, now: () => now });

async function cli(argv: string[], now: Date, deps: Parameters<typeof main>[1] = {}) {
  const err = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    const code = await main(argv, { emulatorEndpoint: s.emu.endpoint, log: s.log, now: () => now, ...deps });
    return { code, stderr: err.mock.calls.map((c) => String(c[0])).filter((x) => !/Warning|node >=22|a\.co\/|trace-warnings|^\s*$|versions published|To continue|security updates|More information/.test(x)).join("") };
  } finally {
    err.mockRestore();
  }
}

/** The ops stack's lifetime schedule as Terraform deploys it (keep-alive copies its target). */
async function lifetimeSchedule(ctx: OpsContext, action: "teardown" | "restore") {
  await ctx.clients.scheduler
    .send(
      new CreateScheduleCommand({
        Name: ctx.names.lifetimeSchedule(action),
        ScheduleExpression: action === "teardown" ? "cron(0 19 ? * MON-FRI *)" : "cron(30 6 ? * MON-FRI *)",
        ScheduleExpressionTimezone: "Europe/London",
        FlexibleTimeWindow: { Mode: "OFF" },
        Target: { Arn: `arn:aws:codebuild:us-east-1:123456789012:project/${ctx.names.lifetimeProject}`, RoleArn: fx.ROLE, Input: JSON.stringify(startBuildInput(action)) },
      }),
    )
    .catch(() => undefined);
}

beforeAll(async () => {
  s.ctx = at(MON_1900);
  await f.bucket(s.ctx.names.stateBucket, "sandbox-bootstrap");
  await lifetimeSchedule(s.ctx, "teardown");
  await lifetimeSchedule(s.ctx, "restore");
});

async function upEnvironment() {
  await f.deployedState("data", 3);
  await f.deployedState("compute", 4);
  await f.deleteSchedules();
  await f.deployOps();
  await cli(["keep-alive", "sandbox", "--clear"], MON_1700);
}

describe("the scheduled cycle", () => {
  test("the build's argv: teardown at 19:00 destroys compute and records it; restore at 06:30 deploys it; no alert", async () => {
    await upEnvironment();
    const calls: string[] = [];
    const alerts: string[] = [];
    const deps = { cdktf: f.fakeCdktf(calls), publish: async (subject: string) => void alerts.push(subject) };

    const down = await cli(lifetimeCommand("teardown", "sandbox"), MON_1900, deps);
    expect(down).toEqual({ code: 0, stderr: "" });
    expect(calls).toEqual(["destroy sandbox-compute"]);
    expect(await readLastRun(s.ctx)).toMatchObject({ action: "teardown", result: "succeeded", state: "fully down", startedAt: MON_1900.toISOString() });

    const up = await cli(lifetimeCommand("restore", "sandbox"), MON_0635, deps);
    expect(up).toEqual({ code: 0, stderr: "" });
    expect(calls).toEqual(["destroy sandbox-compute", "deploy sandbox-compute"]);
    expect(s.output()).toMatch(/kubernetes manifests: skipped|skipped: the sandbox's EKS is the emulator's and has no Kubernetes API server/);
    expect(await readLastRun(s.ctx)).toMatchObject({ action: "restore", result: "succeeded", state: "fully up" });
    expect(await f.scheduleStates()).toEqual({ start: "ENABLED", stop: "ENABLED", "stop-idle": "ENABLED" });
    expect(alerts).toEqual([]);
  });

  test("a keep-alive holds the 19:00 teardown, leaves a one-time teardown at its expiry, and expires by itself", async () => {
    await upEnvironment();
    const calls: string[] = [];
    const set = await cli(["keep-alive", "sandbox", "--until", "22:00", "--reason", "release demo"], MON_1700);
    expect(set).toEqual({ code: 0, stderr: "" });
    expect(s.output()).toMatch(/sandbox kept alive until 2026-06-01T21:00:00.000Z \(2026-06-01 22:00:00 Europe\/London\)/);
    const oneTime = await s.ctx.clients.scheduler.send(new GetScheduleCommand({ Name: s.ctx.names.keepAliveSchedule("teardown") }));
    expect(oneTime).toMatchObject({ ScheduleExpression: "at(2026-06-01T22:00:00)", ScheduleExpressionTimezone: "Europe/London", ActionAfterCompletion: "DELETE" });
    expect(oneTime.Target!.Arn).toBe(`arn:aws:codebuild:us-east-1:123456789012:project/${s.ctx.names.lifetimeProject}`);
    expect(JSON.parse(oneTime.Target!.Input!)).toEqual(startBuildInput("teardown"));

    const held = await scheduledTeardown(at(MON_1900), { cdktf: f.fakeCdktf(calls) });
    expect(held).toMatchObject({ result: "skipped", state: "fully up", reason: expect.stringMatching(/^keep-alive until 2026-06-01T21:00:00.000Z \(set by .*: release demo\)/) });
    expect(calls).toEqual([]);

    const expired = await scheduledTeardown(at(MON_2200), { cdktf: f.fakeCdktf(calls) });
    expect(expired).toMatchObject({ result: "succeeded", state: "fully down" });
    expect(calls).toEqual(["destroy sandbox-compute"]);
  });

  test("on a skip date the restore does nothing and says why; a late teardown in working hours does nothing either", async () => {
    await upEnvironment();
    await f.emptyState("compute");
    const calls: string[] = [];
    const skipped = await scheduledRestore(at(BANK_HOLIDAY_0631), { cdktf: f.fakeCdktf(calls) });
    expect(skipped).toMatchObject({ result: "skipped", state: "fully down", reason: "2026-12-28 is a skip date (Europe/London): the environment stays down all day" });
    await f.deployedState("compute", 4);
    const late = await scheduledTeardown(at(new Date("2026-06-02T08:00:00Z")), { cdktf: f.fakeCdktf(calls) });
    expect(late).toMatchObject({ result: "skipped", state: "fully up", reason: expect.stringContaining("a late teardown would cut into working hours") });
    expect(calls).toEqual([]);
  });

  test("a restore whose deploy fails twice half way tears compute down again: fully down, and the alert says so", async () => {
    await upEnvironment();
    await f.emptyState("compute");
    const calls: string[] = [];
    const alerts: { subject: string; message: string }[] = [];
    const cdktf = f.fakeCdktf(calls, {
      before: async (verb, kind) => {
        if (verb !== "deploy" || kind !== "compute") return;
        await f.deployedState("compute", 2); // half of it created, then EKS fails
        throw new Error("creating EKS Cluster (retail-forecast-sandbox): UnsupportedAvailabilityZoneException");
      },
    });
    const run = await scheduledRestore(at(MON_0635), { cdktf, publish: async (subject, message) => void alerts.push({ subject, message }) });
    expect(calls).toEqual(["deploy sandbox-compute", "deploy sandbox-compute", "destroy sandbox-compute"]);
    expect(run).toMatchObject({ result: "failed", state: "fully down", next: "npm run ops -- restore sandbox" });
    expect(run.reason).toMatch(/UnsupportedAvailabilityZoneException.*compute was torn down again \(no half environment\)/);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].subject).toBe("[retail-forecast-sandbox] scheduled restore FAILED: environment fully down");
    expect(alerts[0].message).toMatch(/State it left: fully down\.\nWhat failed: deploy sandbox-compute: .*\nTo finish: npm run ops -- restore sandbox\nRecord: SSM parameter \/retail-forecast\/sandbox\/lifetime\/last-run/);
    expect(await readLastRun(s.ctx)).toMatchObject({ result: "failed", state: "fully down" });
  });

  test("fails when the data stack is gone: the scheduled restore (compute only) changes nothing and alerts", async () => {
    await upEnvironment();
    await f.emptyState("compute");
    await f.emptyState("data");
    const calls: string[] = [];
    const alerts: string[] = [];
    const run = await scheduledRestore(at(MON_0635), { cdktf: f.fakeCdktf(calls), publish: async (subject) => void alerts.push(subject) });
    expect(calls).toEqual([]);
    expect(run).toMatchObject({ result: "failed", state: "fully down", reason: expect.stringMatching(/^sandbox-data is empty: the scheduled restore brings back compute only/) });
    expect(alerts).toEqual(["[retail-forecast-sandbox] scheduled restore FAILED: environment fully down"]);
    const cliRun = await cli(lifetimeCommand("restore", "sandbox"), MON_0635, { cdktf: f.fakeCdktf(calls), publish: async () => undefined });
    expect(cliRun.code).toBe(1);
    expect(cliRun.stderr).toMatch(/^ops: scheduled restore of sandbox failed, environment fully down: sandbox-data is empty/);
  });

  test("the 19:00 race: the scheduler's stop goes first; the teardown waits for its node group updates and removes its records, so the restored groups start at their configured sizes", async () => {
    await upEnvironment();
    const c = s.ctx;
    await fx.createCluster(c.clients.eks, c.names.cluster);
    await fx.createNodegroup(c.clients.eks, c.names.cluster, c.names.nodeGroup("api"), { minSize: 2, desiredSize: 2, maxSize: 5 }, { Schedule: "office-hours" });
    const settings = { scheduleName: "office-hours", region: c.cfg.region, recordPrefix: c.names.schedulerRecordPrefix, idleWindowHours: 24, idleInvocationsThreshold: 1 };
    const stop = await runScheduler({ action: "stop", dryRun: false }, settings, { clients: c.clients, now: () => MON_1900 });
    expect(stop.results.find((r) => r.kind === "nodegroup")?.outcome).toBe("stopped");
    const record = nodegroupRecordName(c.names.schedulerRecordPrefix, c.names.cluster, c.names.nodeGroup("api"));
    expect(await fx.readParam(c.clients.ssm, record)).toBeDefined();

    // the destroy removes what Terraform made (here: what the fixtures made)
    const destroyCluster = async (verb: string, kind: string) => {
      if (verb !== "destroy" || kind !== "compute") return;
      await c.clients.eks.send(new DeleteNodegroupCommand({ clusterName: c.names.cluster, nodegroupName: c.names.nodeGroup("api") }));
      await c.clients.eks.send(new DeleteClusterCommand({ name: c.names.cluster }));
    };
    const run = await scheduledTeardown(at(MON_1900), { cdktf: f.fakeCdktf([], { before: destroyCluster }) });
    expect(run).toMatchObject({ result: "succeeded" });
    expect(s.output()).toMatch(/no node group update in progress|waited \d+ s for \d+ node group update/);
    expect(await fx.readParam(c.clients.ssm, record)).toBeUndefined();
    // the morning's restore creates the group at its configured sizes; the 07:00 start leaves it so
    await fx.createCluster(c.clients.eks, c.names.cluster);
    await fx.createNodegroup(c.clients.eks, c.names.cluster, c.names.nodeGroup("api"), { minSize: 2, desiredSize: 2, maxSize: 5 }, { Schedule: "office-hours" });
    const start = await runScheduler({ action: "start", dryRun: false }, settings, { clients: c.clients, now: () => MON_0635 });
    expect(start.results.find((r) => r.kind === "nodegroup")).toMatchObject({ outcome: "skipped", reason: "no stop record: left as is" });
    expect(await fx.scalingOf(c.clients.eks, c.names.cluster, c.names.nodeGroup("api"))).toEqual({ minSize: 2, desiredSize: 2, maxSize: 5 });
  });
});

describe("keep-alive flags and status", () => {
  test.each([
    ["in the past", ["--until", "16:30"], /^ops: --until: "16:30" is not allowed \(it is in the past/],
    ["more than 7 days ahead", ["--until", "2026-06-09T12:00"], /--until: "2026-06-09T12:00" is not allowed \(it is more than 7 days ahead/],
    ["with --clear", ["--until", "22:00", "--clear"], /--clear removes the keep-alive: it does not go with --until/],
  ])("fails when --until is %s, before any AWS call", async (_n, flags, message) => {
    const r = await cli(["keep-alive", "sandbox", ...flags], MON_1700);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
  });

  test("lifetime <env> --json: hours, wanted state, compute, keep-alive, last run, next firings", async () => {
    await upEnvironment();
    const log = jest.spyOn(console, "log").mockImplementation(() => undefined);
    try {
      expect((await cli(["lifetime", "sandbox", "--json"], MON_1700)).code).toBe(0);
      const st = JSON.parse(String(log.mock.calls[0][0]));
      expect(st).toMatchObject({
        env: "sandbox",
        lifetime: "MON-FRI 07:00-19:00, restored 30 min early",
        wanted: "up",
        computeDeployed: true,
        next: [
          { action: "teardown", at: "2026-06-01T18:00:00.000Z" },
          { action: "restore", at: "2026-06-02T05:30:00.000Z" },
        ],
        sourceLocation: "s3://retail-forecast-sandbox-tfstate-123456789012/retail-forecast/sandbox/lifetime/source.zip",
      });
    } finally {
      log.mockRestore();
    }
  });
});

describe("decisions", () => {
  const step = (name: string, status: "done" | "failed" | "skipped") => ({ step: name, status, detail: "", durationMs: 0 });
  test("a restore whose deploys all finished is up, even when a later step failed; a deploy that did not finish is not", () => {
    expect(restoreOutcome({ ok: true, steps: [] })).toBe("succeeded");
    expect(restoreOutcome({ ok: false, steps: [step("deploy dev-compute", "done"), step("kubernetes manifests", "failed")] })).toBe("up-but-failed");
    expect(restoreOutcome({ ok: false, steps: [step("deploy dev-compute", "failed")] })).toBe("deploy-failed");
    expect(restoreOutcome({ ok: false, steps: [step("deploy dev-compute", "done")], interrupted: "SIGTERM" })).toBe("deploy-failed");
  });

  test("the alert subject fits SNS's 100 characters and names the state", () => {
    const run: LastRun = { version: 1, env: "dev", action: "teardown", result: "failed", state: "partly up", reason: "x".repeat(500), startedAt: "t", finishedAt: "t", durationSec: 1 };
    const a = alertFor(run, { prefix: "retail-forecast-dev", lastRunParameter: "/p", logGroup: "/g" });
    expect(a.subject).toBe("[retail-forecast-dev] scheduled teardown FAILED: environment partly up");
    expect(a.subject.length).toBeLessThanOrEqual(100);
  });

  test("the teardown waits for a node group update in progress (the scheduler's stop), bounded", async () => {
    let polls = 0;
    const eks = {
      send: async (cmd: { constructor: { name: string } }) => {
        switch (cmd.constructor.name) {
          case "ListClustersCommand":
            return { clusters: ["retail-forecast-dev"] };
          case "ListNodegroupsCommand":
            return { nodegroups: ["retail-forecast-dev-api"] };
          case "ListUpdatesCommand":
            return { updateIds: ["u1"] };
          default:
            return { update: { status: ++polls < 3 ? "InProgress" : "Successful", type: "ConfigUpdate" } };
        }
      },
    };
    const ctx = { names: { cluster: "retail-forecast-dev" }, clients: { eks } } as unknown as OpsContext;
    await expect(waitForNodegroupUpdates(ctx, { pollMs: 1, sleep: async () => undefined })).resolves.toMatch(/^waited \d+ s for 1 node group update\(s\) in progress/);
    polls = -1000;
    await expect(waitForNodegroupUpdates(ctx, { pollMs: 1, timeoutMs: 0, sleep: async () => undefined })).rejects.toThrow(/still in progress after \d+ s: retail-forecast-dev-api \(ConfigUpdate u1\); EKS cannot delete them mid-update/);
  });
});
