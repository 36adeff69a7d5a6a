/**
 * cost report's realized-against-estimated section against the emulator's Cost Explorer
 * (sandbox/emulator/patches/ce.py: fixed daily figures per service, shared out by tag value),
 * with the fixture synthesis's dev estimate.
 */
import * as fs from "fs";
import * as path from "path";
import { costReport, reportToJson, reportToMarkdown, reportToTable } from "../../cost/report";
import { estimateEnvironment } from "../../cost/run";
import { serviceOf } from "../../cost/realized";
import { Emulator, startEmulator } from "../../sandbox/emulator";
import { FIXTURE_OUT, FIXTURE_USAGE } from "./helpers";

jest.setTimeout(90_000);

/** The emulator's figures, read from the patch itself. */
function cePatchFigures(): { daily: Map<string, number>; envShare: Record<string, number> } {
  const src = fs.readFileSync(path.join(__dirname, "..", "..", "sandbox", "emulator", "patches", "ce.py"), "utf8");
  const block = src.slice(src.indexOf("DAILY_COST_BY_SERVICE = {"), src.indexOf("}", src.indexOf("DAILY_COST_BY_SERVICE = {")));
  const daily = new Map([...block.matchAll(/"([^"]+)": ([\d.]+),/g)].map((m) => [m[1], Number(m[2])]));
  const env = src.match(/"Environment": \[([^\]]+)\]/)![1];
  const envShare = Object.fromEntries([...env.matchAll(/\("([^"]*)", ([\d.]+)\)/g)].map((m) => [m[1], Number(m[2])]));
  return { daily, envShare };
}

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.stop();
});

test("the last full month per service, filtered by Environment=dev, beside the estimate; services over by more than 20 % flagged", async () => {
  const estimate = estimateEnvironment({ env: "dev", outdir: FIXTURE_OUT, usageFile: path.join(FIXTURE_USAGE, "dev.json"), asOf: new Date("2026-06-01T00:00:00Z") });
  const now = new Date("2026-03-15T12:00:00Z"); // February: 28 days
  const r = await costReport({ env: "dev", days: 7, now, emulatorEndpoint: emu.endpoint, estimate });
  expect(r.errors.filter((e) => /last full month|estimate/.test(e))).toEqual([]);
  const c = r.realized!;
  expect(c).toMatchObject({ start: "2026-02-01", end: "2026-03-01", days: 28, filter: "Environment=dev", thresholdPercent: 20, unmapped: [] });

  // realized: the patch's daily figure x 28 days x dev's share of the Environment tag
  const { daily, envShare } = cePatchFigures();
  expect(daily.size).toBeGreaterThanOrEqual(8);
  for (const [service, perDay] of daily) {
    expect([service, c.rows.find((x) => x.service === service)?.realizedUsd]).toEqual([service, expect.closeTo(perDay * 28 * envShare.dev, 6)]);
  }
  // estimated: every optimised line, by its service, scaled to 28 days of a 730-hour month
  const scale = (28 * 24) / 730;
  expect(c.estimatedUsd).toBeCloseTo(estimate.optimizedMonthlyUsd * scale, 6);
  for (const row of c.rows) {
    const est = estimate.components.flatMap((k) => k.lines.optimized.filter((l) => serviceOf(k, l) === row.service).map((l) => l.monthlyUsd)).reduce((s, v) => s + v, 0) * scale;
    expect([row.service, row.estimatedUsd]).toEqual([row.service, expect.closeTo(est, 6)]);
    const over = est > 0.005 ? row.realizedUsd > est * 1.2 : row.realizedUsd >= 0.01;
    expect([row.service, row.flagged]).toEqual([row.service, over]);
  }
  // the nodes run far more than the office-hours estimate; the control plane (extended support in the fixture) does not
  expect(c.rows.find((x) => x.service === "Amazon Elastic Compute Cloud - Compute")).toMatchObject({ flagged: true, note: expect.stringMatching(/node groups up outside the schedule/) });
  expect(c.rows.find((x) => x.service === "Amazon Elastic Container Service for Kubernetes")!.flagged).toBe(false);

  expect(reportToTable(r)).toMatch(/realized against estimated, 2026-02-01 \.\. 2026-03-01 \(28 days, Cost Explorer filtered by Environment=dev[\s\S]*! Amazon Elastic Compute Cloud - Compute: \d+ % over the estimate; look at node groups/);
  expect(reportToMarkdown(r)).toContain("#### Realized against estimated, 2026-02-01 .. 2026-03-01");
  expect((reportToJson(r) as any).realized.rows.length).toBe(c.rows.length);
});

test("without an estimate the report still runs and says why the comparison is missing", async () => {
  const r = await costReport({ env: "dev", days: 3, now: new Date("2026-03-15T12:00:00Z"), emulatorEndpoint: emu.endpoint, estimateError: "no synthesized stacks in /x (run `npx cdktf synth`)" });
  expect(r.realized).toBeUndefined();
  expect(r.errors).toContain("estimate: no synthesized stacks in /x (run `npx cdktf synth`)");
  expect(r.byService.length).toBeGreaterThan(0);
});
