import * as fs from "fs";
import * as path from "path";
import { availablePriceRegions, ec2OnDemandHourly, loadPriceTable, sagemakerHourly, spotDiscount } from "../../cost/prices";
import { endpointAvoided, nodegroupAvoided } from "../../lambda/scheduler/avoided";
import { avoidedTotals, MetricsSink, publishRunMetrics, SCHEDULER_METRICS } from "../../lambda/scheduler/metrics";
import { BUNDLED_PRICE_TABLES } from "../../lambda/scheduler/prices";
import type { EndpointRecord, NodegroupRecord, Summary } from "../../lambda/scheduler/types";

const NOW = new Date("2026-06-02T07:00:00Z");
const ng: NodegroupRecord = { version: 1, kind: "nodegroup", scheduleName: "office-hours", cluster: "c", nodegroup: "api", nodegroupArn: "arn:x", scaling: { minSize: 1, desiredSize: 3, maxSize: 4 }, stoppedAt: "2026-06-01T19:00:00Z" };
const ep: EndpointRecord = { version: 1, kind: "endpoint", scheduleName: "office-hours", endpointName: "forecast", endpointConfigName: "forecast-config", tags: {}, stoppedAt: "2026-06-01T19:00:00Z", stoppedBy: "stop" };

describe("the price tables bundled into the scheduler", () => {
  test("every table in cost/prices/ is bundled", () => {
    expect(Object.keys(BUNDLED_PRICE_TABLES).sort()).toEqual(availablePriceRegions());
  });

  test.each(availablePriceRegions())("%s: the bundled subset prices every EC2 and SageMaker hosting type as the estimate's table does", (region) => {
    const full = loadPriceTable(region);
    const sub = BUNDLED_PRICE_TABLES[region];
    expect(sub.date).toBe(full.date);
    for (const t of Object.keys(full.ec2.onDemandHourly)) {
      expect(ec2OnDemandHourly(sub, t)).toBe(ec2OnDemandHourly(full, t));
      expect(spotDiscount(sub, t)).toBe(spotDiscount(full, t));
    }
    for (const t of Object.keys(full.sagemaker.hostingHourly)) expect(sagemakerHourly(sub, t, "hosting")).toBe(sagemakerHourly(full, t, "hosting"));
    // the subset is what keeps the function under 400 KB: it is much smaller than the file
    expect(JSON.stringify(sub).length).toBeLessThan(fs.statSync(path.join(__dirname, "../../cost/prices", `${region}.json`)).size / 2);
  });
});

describe("hours and dollars avoided", () => {
  const prices = BUNDLED_PRICE_TABLES["eu-west-1"];

  test("a node group: recorded desired size x hours since the stop, at the spot price of its mix", () => {
    const a = nodegroupAvoided(ng, { capacityType: "SPOT", instanceTypes: ["t3.medium"] }, NOW, prices);
    expect(a.nodeHours).toBe(36);
    expect(a.usd).toBeCloseTo(36 * 0.0456 * (1 - 0.68), 10);
    expect(a.pricing).toMatch(/SPOT t3.medium at \$0.0146\/node-h \(prices of 2025-06-01\)/);
  });

  test("on-demand and EKS's default instance type when the group names none", () => {
    expect(nodegroupAvoided(ng, {}, NOW, prices).usd).toBeCloseTo(36 * 0.0456, 10);
  });

  test("an instance type the table lacks: hours count, dollars are not claimed, and it says why", () => {
    const a = nodegroupAvoided(ng, { instanceTypes: ["z9.huge"] }, NOW, prices);
    expect(a.nodeHours).toBe(36);
    expect(a.usd).toBeUndefined();
    expect(a.pricing).toMatch(/^not priced: no EC2 on-demand price for z9.huge/);
  });

  test("an endpoint: hours since the stop; real-time instances priced, serverless free while idle", () => {
    const a = endpointAvoided(ep, [{ instanceType: "ml.m5.large", instanceCount: 2 }, { instanceCount: 0 }], NOW, prices);
    expect(a.endpointHours).toBe(12);
    expect(a.usd).toBeCloseTo(12 * 2 * prices.sagemaker.hostingHourly["ml.m5.large"], 10);
    expect(endpointAvoided(ep, [{ instanceCount: 0 }], NOW, prices).usd).toBe(0);
    expect(endpointAvoided(ep, undefined, NOW, prices)).toMatchObject({ endpointHours: 12, pricing: "not priced: endpoint config forecast-config could not be read" });
  });

  test("no table for the region, a stop time in the future or unreadable: nothing negative, nothing invented", () => {
    expect(nodegroupAvoided(ng, {}, NOW, undefined)).toMatchObject({ nodeHours: 36, pricing: "not priced: no price table bundled for this region" });
    expect(nodegroupAvoided(ng, {}, NOW, undefined).usd).toBeUndefined();
    expect(nodegroupAvoided({ ...ng, stoppedAt: "2026-06-03T00:00:00Z" }, {}, NOW, prices).nodeHours).toBe(0);
    expect(nodegroupAvoided({ ...ng, stoppedAt: "yesterday" }, {}, NOW, prices).nodeHours).toBe(0);
  });
});

describe("publishRunMetrics", () => {
  const summary = (dryRun: boolean): Summary => ({
    action: "start",
    dryRun,
    scheduleName: "office-hours",
    region: "eu-west-1",
    startedAt: NOW.toISOString(),
    durationMs: 10,
    totals: { stopped: 0, started: 2, skipped: 1, failed: 1, targets: 4 },
    results: [
      { kind: "nodegroup", id: "c/api", outcome: "started", before: null, after: null, reason: "", avoided: { nodeHours: 36, endpointHours: 0, usd: 1.5, since: ng.stoppedAt, pricing: "" } },
      { kind: "endpoint", id: "forecast", outcome: "started", before: null, after: null, reason: "", avoided: { nodeHours: 0, endpointHours: 12, since: ep.stoppedAt, pricing: "not priced: x" } },
      { kind: "rule", id: "train", outcome: "skipped", before: null, after: null, reason: "" },
      { kind: "endpoint", id: "other", outcome: "failed", before: null, after: null, reason: "boom" },
    ],
  });
  const sink = () => {
    const added: Record<string, number> = {};
    let published = 0;
    const s: MetricsSink = { addMetric: (n, _u, v) => (added[n] = v), addMetadata: () => undefined, publishStoredMetrics: () => published++ };
    return { s, added, published: () => published };
  };

  test("adds every metric once and publishes one document per run; an unpriced target is named", () => {
    const k = sink();
    const t = publishRunMetrics(k.s, summary(false))!;
    expect(k.added).toEqual({ TargetsStopped: 0, TargetsStarted: 2, TargetsSkipped: 1, TargetsFailed: 1, NodeHoursAvoided: 36, EndpointHoursAvoided: 12, DollarsAvoided: 1.5 });
    expect(Object.keys(k.added).sort()).toEqual(Object.values(SCHEDULER_METRICS).sort());
    expect(k.published()).toBe(1);
    expect(t.unpriced).toEqual(["endpoint forecast: not priced: x"]);
    expect(avoidedTotals(summary(false)).dollarsAvoided).toBe(1.5);
  });

  test("a dry run publishes nothing", () => {
    const k = sink();
    expect(publishRunMetrics(k.s, summary(true))).toBeUndefined();
    expect(k.added).toEqual({});
    expect(k.published()).toBe(0);
  });
});
