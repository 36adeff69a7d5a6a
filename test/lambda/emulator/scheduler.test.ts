/**
 * The scheduler against the local emulator (moto + sandbox/emulator/patches). Each test uses
 * its own schedule name and record prefix, so tests share one emulator without seeing each
 * other's resources.
 */
import { DeleteNodegroupCommand, UpdateNodegroupConfigCommand } from "@aws-sdk/client-eks";
import { CreateEndpointCommand } from "@aws-sdk/client-sagemaker";
import { PutParameterCommand } from "@aws-sdk/client-ssm";
import { PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { Emulator, emulatorEnv, startEmulator } from "../../../sandbox/emulator";
import { SchedulerClients } from "../../../lambda/scheduler/aws";
import { runScheduler, SchedulerDeps, SchedulerFailedError, SchedulerSettings } from "../../../lambda/scheduler/core";
import { endpointRecordName, nodegroupRecordName } from "../../../lambda/scheduler/records";
import type { Summary, TargetResult } from "../../../lambda/scheduler/types";
import * as fx from "./fixtures";

// generous: 2 shared cores, several emulators may be starting at once
jest.setTimeout(120_000);

let emu: Emulator;
let c: SchedulerClients;
const savedEnv = { ...process.env };

beforeAll(async () => {
  emu = await startEmulator({ startTimeoutMs: 90_000 });
  // the handler's metrics take their service dimension from the function's name
  Object.assign(process.env, emulatorEnv(emu.endpoint, fx.REGION), { AWS_LAMBDA_FUNCTION_NAME: "retail-forecast-test-scheduler" });
  c = fx.emulatorClients(emu.endpoint);
});

afterAll(async () => {
  process.env = savedEnv;
  await emu?.stop();
});

let seq = 0;
/** A fresh schedule: its own tag value, record prefix and resource names. */
function schedule(extra: Partial<SchedulerSettings> = {}): SchedulerSettings & { p: (n: string) => string } {
  const n = `t${++seq}-${Date.now().toString(36)}`;
  return {
    scheduleName: `sched-${n}`,
    region: fx.REGION,
    recordPrefix: `/retail-forecast/test/${n}`,
    idleWindowHours: 2,
    idleInvocationsThreshold: 5,
    ...extra,
    p: (name: string) => `${n}-${name}`,
  };
}

const fastRetry = { attempts: 3, baseDelayMs: 1, sleep: async () => undefined };
const run = (action: "stop" | "start" | "stop-idle", s: SchedulerSettings, deps: Partial<SchedulerDeps> = {}, dryRun = false) =>
  runScheduler({ action, dryRun }, s, { clients: c, retry: fastRetry, ...deps });
const byId = (summary: Summary, id: string): TargetResult => {
  const r = summary.results.find((x) => x.id === id);
  if (!r) throw new Error(`no result for ${id} in ${JSON.stringify(summary.results.map((x) => x.id))}`);
  return r;
};

describe("stop then start", () => {
  test("restores every node group's exact min/desired/max, recreates the endpoint with its config and tags, re-enables the rule", async () => {
    // GIVEN two clusters with tagged node groups of unusual sizes, a tagged endpoint and rule
    const s = schedule();
    const tags = { Schedule: s.scheduleName, Environment: "test", CostCenter: "cc-42" };
    await fx.createCluster(c.eks, s.p("a"));
    await fx.createCluster(c.eks, s.p("b"));
    await fx.createNodegroup(c.eks, s.p("a"), "spot", { minSize: 1, desiredSize: 3, maxSize: 7 }, tags);
    await fx.createNodegroup(c.eks, s.p("b"), "gpu", { minSize: 0, desiredSize: 2, maxSize: 2 }, tags);
    await fx.createNodegroup(c.eks, s.p("b"), "untagged", { minSize: 2, desiredSize: 2, maxSize: 4 }, { Schedule: "other" });
    await fx.createEndpoint(c.sagemaker, s.p("ep"), tags);
    await fx.createRule(c.events, s.p("train"), tags);

    // WHEN stopped
    const stop = await run("stop", s);

    // THEN scaled to 0/0 with max kept, the endpoint is gone, the rule disabled, records written
    expect(stop.totals).toMatchObject({ stopped: 4, failed: 0, targets: 4 });
    expect(await fx.scalingOf(c.eks, s.p("a"), "spot")).toEqual({ minSize: 0, desiredSize: 0, maxSize: 7 });
    expect(await fx.scalingOf(c.eks, s.p("b"), "gpu")).toEqual({ minSize: 0, desiredSize: 0, maxSize: 2 });
    expect(await fx.scalingOf(c.eks, s.p("b"), "untagged")).toEqual({ minSize: 2, desiredSize: 2, maxSize: 4 });
    expect(await fx.endpointStatus(c.sagemaker, s.p("ep"))).toBeUndefined();
    expect(await fx.ruleState(c.events, s.p("train"))).toBe("DISABLED");
    const ngRecord = JSON.parse((await fx.readParam(c.ssm, nodegroupRecordName(s.recordPrefix, s.p("a"), "spot")))!);
    expect(ngRecord.scaling).toEqual({ minSize: 1, desiredSize: 3, maxSize: 7 });
    const epRecord = JSON.parse((await fx.readParam(c.ssm, endpointRecordName(s.recordPrefix, s.p("ep"))))!);
    expect(epRecord).toMatchObject({ endpointConfigName: `${s.p("ep")}-config`, tags, stoppedBy: "stop" });

    // WHEN started
    const start = await run("start", s);

    // THEN exactly the recorded sizes are back and the records are gone
    expect(start.totals).toMatchObject({ started: 4, failed: 0 });
    expect(await fx.scalingOf(c.eks, s.p("a"), "spot")).toEqual({ minSize: 1, desiredSize: 3, maxSize: 7 });
    expect(await fx.scalingOf(c.eks, s.p("b"), "gpu")).toEqual({ minSize: 0, desiredSize: 2, maxSize: 2 });
    expect(await fx.endpointStatus(c.sagemaker, s.p("ep"))).toEqual({ status: "InService", config: `${s.p("ep")}-config` });
    const epArn = `arn:aws:sagemaker:${fx.REGION}:123456789012:endpoint/${s.p("ep")}`;
    const { ListTagsCommand } = await import("@aws-sdk/client-sagemaker");
    const recreatedTags = (await c.sagemaker.send(new ListTagsCommand({ ResourceArn: epArn }))).Tags;
    expect(recreatedTags).toEqual(expect.arrayContaining(Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))));
    expect(await fx.ruleState(c.events, s.p("train"))).toBe("ENABLED");
    expect(await fx.readParam(c.ssm, nodegroupRecordName(s.recordPrefix, s.p("a"), "spot"))).toBeUndefined();
    expect(await fx.readParam(c.ssm, endpointRecordName(s.recordPrefix, s.p("ep")))).toBeUndefined();

    // AND a second start (duplicate delivery) changes nothing
    const again = await run("start", s);
    expect(again.totals).toMatchObject({ started: 0, failed: 0 });
    expect(await fx.scalingOf(c.eks, s.p("a"), "spot")).toEqual({ minSize: 1, desiredSize: 3, maxSize: 7 });
  });

  test("a second stop keeps the first record (no zeros recorded) and start still restores the original sizes", async () => {
    const s = schedule();
    await fx.createCluster(c.eks, s.p("c"));
    await fx.createNodegroup(c.eks, s.p("c"), "ng", { minSize: 2, desiredSize: 4, maxSize: 6 }, { Schedule: s.scheduleName });
    const recordName = nodegroupRecordName(s.recordPrefix, s.p("c"), "ng");

    await run("stop", s);
    const first = await fx.readParam(c.ssm, recordName);
    const second = await run("stop", s);

    expect(byId(second, `${s.p("c")}/ng`)).toMatchObject({ outcome: "skipped", reason: expect.stringContaining("already stopped") });
    expect(await fx.readParam(c.ssm, recordName)).toBe(first);
    expect(JSON.parse(first!).scaling).toEqual({ minSize: 2, desiredSize: 4, maxSize: 6 });
    await run("start", s);
    expect(await fx.scalingOf(c.eks, s.p("c"), "ng")).toEqual({ minSize: 2, desiredSize: 4, maxSize: 6 });
  });

  test("start keeps a max raised by hand while the group was stopped (and says so) instead of reverting it", async () => {
    const s = schedule();
    await fx.createCluster(c.eks, s.p("m"));
    await fx.createNodegroup(c.eks, s.p("m"), "ng", { minSize: 2, desiredSize: 3, maxSize: 5 }, { Schedule: s.scheduleName });
    await run("stop", s);
    await c.eks.send(new UpdateNodegroupConfigCommand({ clusterName: s.p("m"), nodegroupName: "ng", scalingConfig: { minSize: 0, desiredSize: 0, maxSize: 8 } }));

    const start = await run("start", s);

    expect(await fx.scalingOf(c.eks, s.p("m"), "ng")).toEqual({ minSize: 2, desiredSize: 3, maxSize: 8 });
    expect(byId(start, `${s.p("m")}/ng`)).toMatchObject({ outcome: "started", reason: expect.stringContaining("kept max 8, raised while stopped (recorded max 5)") });
  });

  test("start without a record leaves the node group alone and says so", async () => {
    const s = schedule();
    await fx.createCluster(c.eks, s.p("d"));
    await fx.createNodegroup(c.eks, s.p("d"), "ng", { minSize: 0, desiredSize: 0, maxSize: 3 }, { Schedule: s.scheduleName });
    const counted = fx.emulatorClients(emu.endpoint);
    const counter = fx.countCalls(counted);

    const start = await run("start", s, { clients: counted });

    expect(byId(start, `${s.p("d")}/ng`)).toMatchObject({ outcome: "skipped", reason: expect.stringContaining("no stop record") });
    expect(await fx.scalingOf(c.eks, s.p("d"), "ng")).toEqual({ minSize: 0, desiredSize: 0, maxSize: 3 });
    expect(counter.writes()).toEqual([]);
  });

  test("start of an endpoint that a deploy already recreated removes the record and reports already running", async () => {
    const s = schedule();
    await fx.createEndpoint(c.sagemaker, s.p("ep"), { Schedule: s.scheduleName });
    await run("stop", s);
    await c.sagemaker.send(new CreateEndpointCommand({ EndpointName: s.p("ep"), EndpointConfigName: `${s.p("ep")}-config`, Tags: [{ Key: "Schedule", Value: s.scheduleName }] }));

    const start = await run("start", s);

    expect(byId(start, s.p("ep"))).toMatchObject({ outcome: "skipped", reason: expect.stringContaining("already running") });
    expect(await fx.readParam(c.ssm, endpointRecordName(s.recordPrefix, s.p("ep")))).toBeUndefined();
  });
});

describe("metrics (embedded metric format)", () => {
  /** Runs the handler and returns the EMF documents it printed. */
  async function handlerEmf(action: "stop" | "start") {
    const { handler } = await import("../../../lambda/scheduler/handler");
    let out = "";
    const spy = jest.spyOn(process.stdout, "write").mockImplementation((s: any) => ((out += String(s)), true));
    try {
      await handler({ action });
    } finally {
      spy.mockRestore();
    }
    return out
      .split("\n")
      .filter((l) => l.startsWith("{") && l.includes('"_aws"'))
      .map((l) => JSON.parse(l));
  }

  test("a stop then a start 12 hours later: outcomes per run, node- and endpoint-hours and dollars avoided at the estimate's prices", async () => {
    // GIVEN a spot node group of 2 nodes over two instance types and a one-instance endpoint
    const s = schedule();
    const tags = { Schedule: s.scheduleName };
    await fx.createCluster(c.eks, s.p("m"));
    await fx.createNodegroup(c.eks, s.p("m"), "ng", { minSize: 1, desiredSize: 2, maxSize: 3 }, tags, { instanceTypes: ["t3.medium", "t3a.medium"], capacityType: "SPOT" });
    await fx.createEndpoint(c.sagemaker, s.p("ep"), tags);
    Object.assign(process.env, { SCHEDULE_NAME: s.scheduleName, RECORD_PREFIX: s.recordPrefix, POWERTOOLS_LOG_LEVEL: "SILENT" });

    // WHEN the handler stops them
    const [stop] = await handlerEmf("stop");

    // THEN one EMF document: namespace, the function's name as dimension, the outcomes, nothing avoided yet
    expect(stop._aws.CloudWatchMetrics).toEqual([
      expect.objectContaining({ Namespace: "RetailForecast/Scheduler", Dimensions: [["service"]] }),
    ]);
    const names = stop._aws.CloudWatchMetrics[0].Metrics.map((m: { Name: string }) => m.Name).sort();
    expect(names).toEqual(["DollarsAvoided", "EndpointHoursAvoided", "NodeHoursAvoided", "TargetsFailed", "TargetsSkipped", "TargetsStarted", "TargetsStopped"]);
    expect(stop).toMatchObject({ service: "retail-forecast-test-scheduler", action: "stop", TargetsStopped: 2, TargetsStarted: 0, TargetsSkipped: 0, TargetsFailed: 0, NodeHoursAvoided: 0, DollarsAvoided: 0 });

    // GIVEN the records say they stopped 12 h ago
    for (const name of [nodegroupRecordName(s.recordPrefix, s.p("m"), "ng"), endpointRecordName(s.recordPrefix, s.p("ep"))]) {
      const rec = JSON.parse((await fx.readParam(c.ssm, name))!);
      rec.stoppedAt = new Date(Date.now() - 12 * 3600_000).toISOString();
      await c.ssm.send(new PutParameterCommand({ Name: name, Value: JSON.stringify(rec), Type: "String", Overwrite: true }));
    }

    // WHEN the handler starts them
    const [start] = await handlerEmf("start");

    // THEN 2 nodes x 12 h and 12 endpoint-hours, priced from the dated table the estimate reads
    const table = JSON.parse(require("fs").readFileSync(require("path").join(__dirname, "../../../cost/prices/us-east-1.json"), "utf8"));
    const spot = (t: string) => table.ec2.onDemandHourly[t] * (1 - table.ec2.spotDiscountByFamily[t.split(".")[0]]);
    const nodeHourly = (spot("t3.medium") + spot("t3a.medium")) / 2;
    const usd = 24 * nodeHourly + 12 * table.sagemaker.hostingHourly["ml.t2.medium"];
    expect(start).toMatchObject({ action: "start", TargetsStarted: 2, TargetsStopped: 0, TargetsFailed: 0 });
    expect(start.NodeHoursAvoided).toBeCloseTo(24, 1);
    expect(start.EndpointHoursAvoided).toBeCloseTo(12, 1);
    expect(start.DollarsAvoided).toBeCloseTo(usd, 2);
    expect(start.DollarsAvoided).toBeGreaterThan(0.5);
  });
});

describe("protection and dry run", () => {
  test("AutoStop=false protects node groups, endpoints and rules", async () => {
    const s = schedule();
    const tags = { Schedule: s.scheduleName, AutoStop: "false" };
    await fx.createCluster(c.eks, s.p("e"));
    await fx.createNodegroup(c.eks, s.p("e"), "keep", { minSize: 1, desiredSize: 1, maxSize: 2 }, tags);
    await fx.createEndpoint(c.sagemaker, s.p("keep"), tags);
    await fx.createRule(c.events, s.p("keep"), tags);

    const stop = await run("stop", s);

    expect(stop.results).toHaveLength(3);
    for (const r of stop.results) expect(r).toMatchObject({ outcome: "skipped", reason: expect.stringContaining("AutoStop=false") });
    expect(await fx.scalingOf(c.eks, s.p("e"), "keep")).toEqual({ minSize: 1, desiredSize: 1, maxSize: 2 });
    expect(await fx.endpointStatus(c.sagemaker, s.p("keep"))).toMatchObject({ status: "InService" });
    expect(await fx.ruleState(c.events, s.p("keep"))).toBe("ENABLED");
  });

  test("dry run makes no write call and changes nothing, but reports what it would do", async () => {
    const s = schedule();
    const tags = { Schedule: s.scheduleName };
    await fx.createCluster(c.eks, s.p("f"));
    await fx.createNodegroup(c.eks, s.p("f"), "ng", { minSize: 1, desiredSize: 2, maxSize: 3 }, tags);
    await fx.createEndpoint(c.sagemaker, s.p("ep"), tags);
    await fx.createRule(c.events, s.p("r"), tags);
    const counted = fx.emulatorClients(emu.endpoint);
    const counter = fx.countCalls(counted);

    const dry = await runScheduler({ action: "stop", dryRun: true }, s, { clients: counted, retry: fastRetry });

    expect(counter.calls.length).toBeGreaterThan(0);
    expect(counter.writes()).toEqual([]);
    expect(dry.results.map((r) => r.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/^dry run, nothing changed; planned: scaled to zero/), expect.stringMatching(/^dry run, nothing changed; planned: deleted/), expect.stringMatching(/^dry run, nothing changed; planned: disabled/)]));
    expect(await fx.scalingOf(c.eks, s.p("f"), "ng")).toEqual({ minSize: 1, desiredSize: 2, maxSize: 3 });
    expect(await fx.endpointStatus(c.sagemaker, s.p("ep"))).toMatchObject({ status: "InService" });
    expect(await fx.ruleState(c.events, s.p("r"))).toBe("ENABLED");
  });
});

describe("failures", () => {
  test("fails when a node group is deleted between listing and update, after every other target was handled", async () => {
    const s = schedule();
    const tags = { Schedule: s.scheduleName };
    await fx.createCluster(c.eks, s.p("g"));
    for (const ng of ["a", "doomed", "c"]) await fx.createNodegroup(c.eks, s.p("g"), ng, { minSize: 1, desiredSize: 1, maxSize: 2 }, tags);
    await fx.createRule(c.events, s.p("r"), tags);

    const summary = await run("stop", s, {
      beforeTarget: async (_kind, id) => {
        if (id === `${s.p("g")}/doomed`) await c.eks.send(new DeleteNodegroupCommand({ clusterName: s.p("g"), nodegroupName: "doomed" }));
      },
    });

    expect(byId(summary, `${s.p("g")}/doomed`)).toMatchObject({ outcome: "failed", reason: expect.stringContaining("no longer exists") });
    expect(byId(summary, `${s.p("g")}/a`).outcome).toBe("stopped");
    expect(byId(summary, `${s.p("g")}/c`).outcome).toBe("stopped");
    expect(byId(summary, s.p("r")).outcome).toBe("stopped");
    expect(summary.totals).toMatchObject({ failed: 1, stopped: 3 });
    expect(() => {
      throw new SchedulerFailedError(summary);
    }).toThrow(/failed for 1 of 4 targets: nodegroup .*doomed/);
  });

  test("the handler fails after trying every target when one start fails (record names a missing endpoint config)", async () => {
    const s = schedule();
    const tags = { Schedule: s.scheduleName };
    await fx.createCluster(c.eks, s.p("h"));
    await fx.createNodegroup(c.eks, s.p("h"), "ng", { minSize: 1, desiredSize: 2, maxSize: 3 }, tags);
    await run("stop", s);
    const bogus = { version: 1, kind: "endpoint", scheduleName: s.scheduleName, endpointName: s.p("ghost"), endpointConfigName: "no-such-config", tags, stoppedAt: "2026-01-01T00:00:00Z", stoppedBy: "stop" };
    await c.ssm.send(new PutParameterCommand({ Name: endpointRecordName(s.recordPrefix, s.p("ghost")), Value: JSON.stringify(bogus), Type: "String" }));
    Object.assign(process.env, { SCHEDULE_NAME: s.scheduleName, RECORD_PREFIX: s.recordPrefix, POWERTOOLS_LOG_LEVEL: "SILENT" });
    const { handler } = await import("../../../lambda/scheduler/handler");

    const err: SchedulerFailedError = await handler({ action: "start" }).then(
      () => {
        throw new Error("handler should have failed");
      },
      (e: SchedulerFailedError) => e,
    );

    expect(err).toBeInstanceOf(SchedulerFailedError);
    expect(err.message).toMatch(/endpoint .*ghost/);
    expect(byId(err.summary, `${s.p("h")}/ng`).outcome).toBe("started");
    expect(await fx.scalingOf(c.eks, s.p("h"), "ng")).toEqual({ minSize: 1, desiredSize: 2, maxSize: 3 });
    expect(await fx.readParam(c.ssm, endpointRecordName(s.recordPrefix, s.p("ghost")))).toBeDefined(); // kept for a retry
  });
});

describe("stop-idle", () => {
  test("deletes only the endpoint whose Invocations over the window are below the threshold, and start brings it back", async () => {
    const s = schedule({ idleWindowHours: 2, idleInvocationsThreshold: 5 });
    const tags = { Schedule: s.scheduleName };
    await fx.createEndpoint(c.sagemaker, s.p("busy"), tags, ["a", "b"]);
    await fx.createEndpoint(c.sagemaker, s.p("idle"), tags, ["a", "b"]);
    // "now" is 3 h after creation, so neither endpoint is younger than the 2 h window
    const now = new Date(Date.now() + 3 * 3_600_000);
    const at = new Date(now.getTime() - 30 * 60_000);
    const datum = (ep: string, variant: string, n: number) => ({
      MetricName: "Invocations",
      Dimensions: [
        { Name: "EndpointName", Value: s.p(ep) },
        { Name: "VariantName", Value: variant },
      ],
      Timestamp: at,
      Value: n,
      Unit: "None" as const,
    });
    // busy: 3 + 4 = 7 over its two variants (>= 5, though each variant alone is < 5); idle: 2
    await c.cloudwatch.send(new PutMetricDataCommand({ Namespace: "AWS/SageMaker", MetricData: [datum("busy", "a", 3), datum("busy", "b", 4), datum("idle", "a", 2)] }));

    const dry = await run("stop-idle", s, { now: () => now }, true);
    expect(await fx.endpointStatus(c.sagemaker, s.p("idle"))).toMatchObject({ status: "InService" });
    expect(byId(dry, s.p("idle")).reason).toMatch(/^dry run, nothing changed; planned: idle: 2 invocations/);

    const summary = await run("stop-idle", s, { now: () => now });

    expect(byId(summary, s.p("busy"))).toMatchObject({ outcome: "skipped", reason: expect.stringContaining("busy: 7 invocations") });
    expect(byId(summary, s.p("idle"))).toMatchObject({ outcome: "stopped", reason: expect.stringContaining("idle: 2 invocations") });
    expect(await fx.endpointStatus(c.sagemaker, s.p("busy"))).toMatchObject({ status: "InService" });
    expect(await fx.endpointStatus(c.sagemaker, s.p("idle"))).toBeUndefined();
    expect(JSON.parse((await fx.readParam(c.ssm, endpointRecordName(s.recordPrefix, s.p("idle"))))!).stoppedBy).toBe("stop-idle");

    await run("start", s);
    expect(await fx.endpointStatus(c.sagemaker, s.p("idle"))).toEqual({ status: "InService", config: `${s.p("idle")}-config` });
  });

  test("never calls an endpoint younger than the window idle", async () => {
    const s = schedule({ idleWindowHours: 2, idleInvocationsThreshold: 5 });
    await fx.createEndpoint(c.sagemaker, s.p("new"), { Schedule: s.scheduleName });

    const summary = await run("stop-idle", s);

    expect(byId(summary, s.p("new"))).toMatchObject({ outcome: "skipped", reason: expect.stringContaining("younger than") });
    expect(await fx.endpointStatus(c.sagemaker, s.p("new"))).toMatchObject({ status: "InService" });
  });
});

describe("keep-alive and skip dates (issue 12: honoured by every scheduled action)", () => {
  const keepAlive = (until: string) => JSON.stringify({ version: 1, until, setAt: "2026-06-01T16:00:00Z", setBy: "alice", reason: "demo tonight" });

  test("a keep-alive in force holds stop (nothing changes); once it has expired the same stop acts", async () => {
    const s = schedule();
    const param = `${s.recordPrefix}/keep-alive`;
    const honour = { timezone: "Europe/London", skipDates: [], keepAliveParameter: param };
    const tags = { Schedule: s.scheduleName };
    await fx.createCluster(c.eks, s.p("a"));
    await fx.createNodegroup(c.eks, s.p("a"), "ng", { minSize: 1, desiredSize: 2, maxSize: 3 }, tags);
    await c.ssm.send(new PutParameterCommand({ Name: param, Type: "String", Value: keepAlive("2026-06-01T21:00:00Z") }));

    const held = await run("stop", { ...s, honour }, { now: () => new Date("2026-06-01T18:00:00Z") });
    expect(held.skipped).toMatch(/^keep-alive until 2026-06-01T21:00:00Z \(set by alice at 2026-06-01T16:00:00Z: demo tonight\)/);
    expect(held.totals.targets).toBe(0);
    expect(await fx.scalingOf(c.eks, s.p("a"), "ng")).toEqual({ minSize: 1, desiredSize: 2, maxSize: 3 });

    const after = await run("stop", { ...s, honour }, { now: () => new Date("2026-06-01T21:00:00Z") });
    expect(after.skipped).toBeUndefined();
    expect(byId(after, `${s.p("a")}/ng`).outcome).toBe("stopped");
  });

  test("a skip date holds start; a malformed keep-alive fails the run before anything is touched", async () => {
    const s = schedule();
    const param = `${s.recordPrefix}/keep-alive`;
    const honour = { timezone: "Europe/London", skipDates: ["2026-12-28"], keepAliveParameter: param };
    const start = await run("start", { ...s, honour }, { now: () => new Date("2026-12-28T07:00:00Z") });
    expect(start).toMatchObject({ skipped: "2026-12-28 is a skip date (Europe/London): the environment stays down all day", results: [] });

    await c.ssm.send(new PutParameterCommand({ Name: param, Type: "String", Value: "until ten" }));
    await expect(run("stop", { ...s, honour })).rejects.toThrow(new RegExp(`keep-alive parameter ${param} is not a keep-alive record`));
  });
});
