import {
  endpointsToStop,
  isScheduled,
  planEndpointStart,
  planEndpointStop,
  planNodegroupStart,
  planNodegroupStop,
  planRule,
  protectionReason,
  scalingToRestore,
  stoppedScaling,
  tagsForRecreate,
  totals,
} from "../../lambda/scheduler/plan";
import type { EndpointRecord, NodegroupRecord } from "../../lambda/scheduler/types";

const ARN = "arn:aws:eks:us-east-1:123456789012:nodegroup/c/ng/uuid-1";
const ng = (minSize: number, desiredSize: number, maxSize: number, extra: { status?: string; arn?: string; tags?: Record<string, string> } = {}) => ({
  status: extra.status ?? "ACTIVE",
  arn: extra.arn ?? ARN,
  scaling: { minSize, desiredSize, maxSize },
  tags: extra.tags ?? { Schedule: "office-hours" },
});
const record = (minSize: number, desiredSize: number, maxSize: number, arn = ARN): NodegroupRecord => ({
  version: 1,
  kind: "nodegroup",
  scheduleName: "office-hours",
  cluster: "c",
  nodegroup: "ng",
  nodegroupArn: arn,
  scaling: { minSize, desiredSize, maxSize },
  stoppedAt: "2026-11-24T19:00:00.000Z",
});

describe("tags", () => {
  test("Schedule must match exactly", () => {
    expect(isScheduled({ Schedule: "office-hours" }, "office-hours")).toBe(true);
    expect(isScheduled({ Schedule: "Office-Hours" }, "office-hours")).toBe(false);
    expect(isScheduled({}, "office-hours")).toBe(false);
  });
  test("AutoStop=false protects in any case; other values do not", () => {
    expect(protectionReason({ AutoStop: "False" })).toMatch(/AutoStop=False/);
    expect(protectionReason({ AutoStop: "true" })).toBeUndefined();
    expect(protectionReason({})).toBeUndefined();
  });
  test("aws:* tags are not given back to a recreated endpoint", () => {
    expect(tagsForRecreate({ Schedule: "s", "aws:cloudformation:stack-name": "x", Environment: "dev" })).toEqual({ Schedule: "s", Environment: "dev" });
  });
});

describe("node group stop", () => {
  test("scales to min 0 / desired 0 and keeps max (at least 1)", () => {
    expect(stoppedScaling({ minSize: 2, desiredSize: 3, maxSize: 5 })).toEqual({ minSize: 0, desiredSize: 0, maxSize: 5 });
    expect(planNodegroupStop(ng(2, 3, 5), undefined)).toMatchObject({ do: "stop", record: "write", target: { minSize: 0, desiredSize: 0, maxSize: 5 } });
  });
  test("a second stop of a stopped group keeps the first record and does nothing", () => {
    expect(planNodegroupStop(ng(0, 0, 5), record(2, 3, 5))).toMatchObject({ do: "skip", reason: expect.stringContaining("already stopped") });
  });
  test("a group scaled up again (e.g. by the autoscaler) is stopped again without replacing the first record", () => {
    expect(planNodegroupStop(ng(0, 2, 5), record(2, 3, 5))).toMatchObject({ do: "stop", record: "keep" });
  });
  test("a record of an earlier group with the same name (other ARN) is replaced", () => {
    expect(planNodegroupStop(ng(1, 1, 2), record(2, 3, 5, "arn:old"))).toMatchObject({ do: "stop", record: "replace" });
  });
  test("a group already at zero with no record is left alone: zeros are never recorded", () => {
    expect(planNodegroupStop(ng(0, 0, 3), undefined)).toMatchObject({ do: "skip", reason: expect.stringContaining("nothing to stop") });
  });
  test("waits while the group is not ACTIVE, skips one being deleted, honours AutoStop=false", () => {
    expect(planNodegroupStop(ng(1, 1, 2, { status: "UPDATING" }), undefined)).toMatchObject({ do: "wait" });
    expect(planNodegroupStop(ng(1, 1, 2, { status: "DELETING" }), undefined)).toMatchObject({ do: "skip" });
    expect(planNodegroupStop(ng(1, 1, 2, { tags: { Schedule: "s", AutoStop: "false" } }), undefined)).toMatchObject({ do: "skip", reason: expect.stringContaining("AutoStop") });
  });
});

describe("node group start", () => {
  test("restores exactly the recorded three sizes", () => {
    expect(scalingToRestore({ minSize: 0, desiredSize: 0, maxSize: 5 }, record(2, 3, 5))).toEqual({ minSize: 2, desiredSize: 3, maxSize: 5 });
    expect(planNodegroupStart(ng(0, 0, 3), record(1, 2, 4))).toMatchObject({ do: "start", target: { minSize: 1, desiredSize: 2, maxSize: 4 } });
  });
  test("keeps a max raised by hand while the group was stopped, and says so", () => {
    expect(planNodegroupStart(ng(0, 0, 9), record(1, 2, 4))).toEqual({
      do: "start",
      target: { minSize: 1, desiredSize: 2, maxSize: 9 },
      reason: "restored min 1/desired 2/max 9 recorded at 2026-11-24T19:00:00.000Z; kept max 9, raised while stopped (recorded max 4)",
    });
    // running at the record's min and desired with the raised max: nothing to do
    expect(planNodegroupStart(ng(1, 2, 9), record(1, 2, 4))).toMatchObject({ do: "skip", dropRecord: true });
  });
  test("no record: left alone, and the reason says so", () => {
    expect(planNodegroupStart(ng(0, 0, 3), undefined)).toEqual({ do: "skip", reason: "no stop record: left as is" });
  });
  test("already at the recorded sizes: record dropped, nothing changed", () => {
    expect(planNodegroupStart(ng(2, 3, 5), record(2, 3, 5))).toMatchObject({ do: "skip", dropRecord: true });
  });
  test("a record of a recreated group is dropped, the new group left alone", () => {
    expect(planNodegroupStart(ng(0, 0, 3), record(2, 3, 5, "arn:old"))).toMatchObject({ do: "skip", dropRecord: true, reason: expect.stringContaining("earlier node group") });
  });
  test("waits while the group is not ACTIVE", () => {
    expect(planNodegroupStart(ng(0, 0, 5, { status: "UPDATING" }), record(2, 3, 5))).toMatchObject({ do: "wait" });
  });
});

describe("endpoints", () => {
  const rec: EndpointRecord = { version: 1, kind: "endpoint", scheduleName: "s", endpointName: "e", endpointConfigName: "e-config", tags: { Schedule: "s" }, stoppedAt: "t", stoppedBy: "stop" };
  test("stop deletes InService and OutOfService endpoints only", () => {
    expect(planEndpointStop("InService", {}, false).do).toBe("stop");
    expect(planEndpointStop("OutOfService", {}, false).do).toBe("stop");
    for (const st of ["Creating", "Updating", "Deleting", "SystemUpdating", "RollingBack", "Failed"]) {
      expect(planEndpointStop(st, {}, false)).toEqual({ do: "skip", reason: `endpoint is ${st}: not touched` });
    }
  });
  test("an endpoint already gone counts as stopped when a record exists", () => {
    expect(planEndpointStop(undefined, {}, true)).toMatchObject({ do: "skip", reason: expect.stringContaining("already stopped") });
  });
  test("start creates a missing endpoint, waits while it is still Deleting, and leaves a running one alone (dropping the record)", () => {
    expect(planEndpointStart(undefined, rec).do).toBe("create");
    expect(planEndpointStart("Deleting", rec).do).toBe("wait");
    expect(planEndpointStart("InService", rec)).toMatchObject({ do: "skip", dropRecord: true, reason: expect.stringContaining("already running") });
  });
});

describe("stop-idle", () => {
  const now = new Date("2026-11-24T20:00:00Z");
  const old = new Date("2026-11-20T00:00:00Z");
  const opts = { thresholdInvocations: 10, windowHours: 24, now };
  test("only endpoints below the threshold are idle", () => {
    const v = endpointsToStop(
      [
        { name: "quiet", status: "InService", createdAt: old, invocations: 9, tags: {} },
        { name: "edge", status: "InService", createdAt: old, invocations: 10, tags: {} },
        { name: "busy", status: "InService", createdAt: old, invocations: 500, tags: {} },
      ],
      opts,
    );
    expect(v.filter((x) => x.idle).map((x) => x.name)).toEqual(["quiet"]);
  });
  test("an endpoint younger than the window or protected is never idle", () => {
    const v = endpointsToStop(
      [
        { name: "young", status: "InService", createdAt: new Date("2026-11-24T10:00:00Z"), invocations: 0, tags: {} },
        { name: "kept", status: "InService", createdAt: old, invocations: 0, tags: { AutoStop: "false" } },
      ],
      opts,
    );
    expect(v.map((x) => x.idle)).toEqual([false, false]);
  });
});

describe("rules", () => {
  test("stop disables an enabled rule, start enables a disabled one, repeats are skipped", () => {
    expect(planRule("stop", { state: "ENABLED", tags: {} }).do).toBe("disable");
    expect(planRule("stop", { state: "DISABLED", tags: {} })).toEqual({ do: "skip", reason: "already disabled" });
    expect(planRule("start", { state: "DISABLED", tags: {} }).do).toBe("enable");
    expect(planRule("start", { state: "ENABLED", tags: {} })).toEqual({ do: "skip", reason: "already enabled" });
  });
  test("rules managed by another service or in another state are left alone", () => {
    expect(planRule("stop", { state: "ENABLED", managedBy: "sagemaker.amazonaws.com", tags: {} }).do).toBe("skip");
    expect(planRule("stop", { state: "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS", tags: {} }).do).toBe("skip");
  });
});

test("totals count each outcome", () => {
  const r = (outcome: "stopped" | "failed") => ({ kind: "rule" as const, id: "x", outcome, before: null, after: null, reason: "" });
  expect(totals([r("stopped"), r("stopped"), r("failed")])).toEqual({ stopped: 2, started: 0, skipped: 0, failed: 1, targets: 3 });
});
