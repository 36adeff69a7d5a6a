import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildApp } from "../../app";
import { Estimate } from "../../cost/estimate";
import { compare, toJson, toMarkdown, toTable } from "../../cost/format";
import { estimateEnvironment } from "../../cost/run";
import { editedCopy, FIXTURE_OUT, FIXTURE_USAGE, removeCopies } from "./helpers";

const AS_OF = new Date("2026-06-01T00:00:00Z");
const golden = (env: string, ext: "json" | "txt") => path.join(__dirname, "golden", `${env}-estimate.${ext}`);
const BUNDLE = path.join(__dirname, "..", "fixtures", "scheduler.zip");
const GOLDEN_ENVS = ["dev", "staging", "prod"] as const;

/**
 * The golden figures come from the real synthesis of dev, staging and prod (app.ts, every
 * stack), so a stack change that moves the bill shows up here; after reviewing the change,
 * UPDATE_GOLDEN=1 rewrites them.
 */
describe("cost estimate of the real syntheses (golden)", () => {
  const estimates = new Map<string, Estimate>();
  let outdir: string;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-golden-"));
    buildApp({ outdir, environments: [...GOLDEN_ENVS, "sandbox"], schedulerBundle: BUNDLE, emulatorEndpoint: "http://127.0.0.1:4566" }).synth();
    for (const env of [...GOLDEN_ENVS, "sandbox"]) estimates.set(env, estimateEnvironment({ env, outdir, asOf: AS_OF }));
  }, 120_000);
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test.each(GOLDEN_ENVS)("%s matches the golden estimate (UPDATE_GOLDEN=1 rewrites it after a reviewed change)", (env) => {
    const e = estimates.get(env)!;
    const json = toJson(e) as any;
    if (process.env.UPDATE_GOLDEN === "1") {
      fs.writeFileSync(golden(env, "json"), JSON.stringify(json, null, 2) + "\n");
      fs.writeFileSync(golden(env, "txt"), toTable(e, undefined, true));
    }
    expect(json).toEqual(JSON.parse(fs.readFileSync(golden(env, "json"), "utf8")));
    expect(toTable(e, undefined, true)).toBe(fs.readFileSync(golden(env, "txt"), "utf8"));
  });

  test("every usage profile (cost/usage/*.json) fits its environment's synthesis, sandbox included", () => {
    for (const env of [...GOLDEN_ENVS, "sandbox"]) expect([env, estimates.get(env)!.warnings]).toEqual([env, []]);
  });

  test("prices every stack of the environment and every component kind", () => {
    const e = estimates.get("dev")!;
    expect(e.stacks).toEqual(["dev-data", "dev-compute", "dev-ops"]);
    const cats = new Set(e.components.map((c) => c.category));
    for (const c of ["eks-control-plane", "eks-node-group", "s3", "logs", "load-balancer", "ecr", "sagemaker-training", "sagemaker-endpoint", "nat", "platform"]) expect(cats).toContain(c);
    expect(e.optimizedMonthlyUsd).toBeLessThan(e.baselineMonthlyUsd);
  });

  test("the real node group runs 263.5 h a month on spot: dev's compute lifetime (06:30-19:00 on weekdays but the 8 bank holidays) and the scheduler", () => {
    const ng = estimates.get("dev")!.components.find((c) => c.category === "eks-node-group")!;
    expect(ng.assumptions.join("\n")).toMatch(/SPOT/);
    expect(ng.assumptions.join("\n")).toMatch(/-> 263\.5 h\/month/);
    expect(ng.savingsPercent).toBeGreaterThan(80);
  });

  test("issue 12, done means: dev at most $75/month optimised at today's usage and prices; every line says where its quantity came from", () => {
    const dev = estimates.get("dev")!;
    expect(dev.optimizedMonthlyUsd).toBeLessThanOrEqual(75);
    for (const c of dev.components) for (const l of [...c.lines.baseline, ...c.lines.optimized]) expect([c.name, l.name, l.reason.length > 10]).toEqual([c.name, l.name, true]);
    const hourly = dev.components.flatMap((c) => c.lines.optimized).filter((l) => l.unit === "h" || l.unit === "node-h" || l.unit === "IP-h");
    for (const l of hourly) expect([l.name, l.hours?.reason ?? l.reason]).toEqual([l.name, expect.stringMatching(/h\/month|24\/7|lifetime|hours|jobs/)]);
  });
});

describe("cost estimate of the dev fixture", () => {
  const e = estimateEnvironment({ env: "dev", outdir: FIXTURE_OUT, asOf: AS_OF, usageDir: FIXTURE_USAGE });
  const json = toJson(e) as any;

  test("has one component per priced part, with the JSON fields machines read", () => {
    expect(json).toEqual(expect.objectContaining({ baselineMonthlyUsd: expect.any(Number), optimizedMonthlyUsd: expect.any(Number), savingsPercent: expect.any(Number) }));
    const cats = new Set(e.components.map((c) => c.category));
    for (const c of ["eks-control-plane", "eks-node-group", "s3", "logs", "load-balancer", "ecr", "sagemaker-training", "sagemaker-endpoint", "nat", "platform"]) expect(cats).toContain(c);
    for (const c of json.components) {
      expect(c).toEqual(expect.objectContaining({ baselineMonthlyUsd: expect.any(Number), optimizedMonthlyUsd: expect.any(Number), savingsPercent: expect.any(Number) }));
      expect(c.assumptions.length).toBeGreaterThan(0);
    }
    const sum = e.components.reduce((s, c) => s + c.optimizedMonthlyUsd, 0);
    expect(e.optimizedMonthlyUsd).toBeCloseTo(sum, 6);
  });

  test("node group: 2 spot nodes over the t3/t3a/t2 mix, 261 h a month from the London office-hours crons", () => {
    const ng = e.components.find((c) => c.category === "eks-node-group")!;
    const spotAvg = (0.0416 * 0.32 + 0.0376 * 0.32 + 0.0464 * 0.35) / 3;
    const odAvg = (0.0416 + 0.0376 + 0.0464) / 3;
    const ebs = 2 * 20 * 0.08;
    expect(ng.optimizedMonthlyUsd).toBeCloseTo(2 * spotAvg * 261 + ebs * (261 / 730), 6);
    expect(ng.baselineMonthlyUsd).toBeCloseTo(2 * odAvg * 730 + ebs, 6);
    expect(ng.assumptions.join("\n")).toMatch(/261\.0 h\/month/);
  });

  test("serverless endpoint priced per GB-second against a 24/7 real-time baseline", () => {
    const ep = e.components.find((c) => c.category === "sagemaker-endpoint")!;
    const gbSec = 5000 * (365 / 12) * 0.12 * 2;
    const data = (5000 * (365 / 12) * 4) / (1024 * 1024);
    expect(ep.optimizedMonthlyUsd).toBeCloseTo(gbSec * 0.00002 + data * 0.016, 6);
    expect(ep.baselineMonthlyUsd).toBeCloseTo(0.115 * 730, 6);
  });

  test("NAT: one gateway and free S3 traffic through the gateway endpoint, against one NAT per AZ carrying S3", () => {
    const nat = e.components.find((c) => c.category === "nat")!;
    expect(nat.optimizedMonthlyUsd).toBeCloseTo(0.045 * 730 + 50 * 0.045, 6);
    expect(nat.baselineMonthlyUsd).toBeCloseTo(2 * 0.045 * 730 + 350 * 0.045, 6);
  });

  test("tmp/ expiry and log retention show as savings", () => {
    const data = e.components.find((c) => c.id.startsWith("s3:") && c.id.includes("-data-"))!;
    expect(data.assumptions.join("\n")).toMatch(/tmp\/: .*expire@7d/);
    expect(data.savingsPercent).toBeGreaterThan(50);
    const logs = e.components.find((c) => c.category === "logs")!;
    expect(logs.optimizedMonthlyUsd).toBeLessThan(logs.baselineMonthlyUsd);
  });

  test("renders as a table and as Markdown with the totals", () => {
    const t = toTable(e);
    expect(t).toMatch(/^TOTAL\s+\$[\d,.]+\s+\$[\d,.]+\s+[\d.]+%$/m);
    const md = toMarkdown(e);
    expect(md).toContain("| **Total** |");
    expect(md).toContain("<details><summary>Assumptions</summary>");
  });
});

describe("comparison with another synthesis", () => {
  afterAll(removeCopies);
  const base = estimateEnvironment({ env: "dev", outdir: FIXTURE_OUT, asOf: AS_OF, usageDir: FIXTURE_USAGE });
  const delta = (out: string) => compare(estimateEnvironment({ env: "dev", outdir: out, asOf: AS_OF, usageDir: FIXTURE_USAGE }), base, "base");

  test("identical syntheses differ by zero", () => {
    const c = delta(FIXTURE_OUT);
    expect(c.deltaMonthlyUsd).toBeCloseTo(0, 9);
    for (const d of c.components) expect(d.deltaMonthlyUsd).toBeCloseTo(0, 9);
  });

  test("spot -> on-demand shows as a cost increase on the node group", () => {
    const out = editedCopy((s, j) => {
      if (s === "dev-compute") for (const ng of Object.values<any>(j.resource.aws_eks_node_group)) ng.capacity_type = "ON_DEMAND";
    });
    const c = delta(out);
    const ng = c.components.find((d) => d.id.startsWith("eks-node-group:"))!;
    expect(ng.deltaMonthlyUsd).toBeGreaterThan(10);
    expect(c.deltaMonthlyUsd).toBeCloseTo(ng.deltaMonthlyUsd, 6);
  });

  test("a removed lifecycle rule (tmp/ expiry) shows as an S3 cost increase", () => {
    const out = editedCopy((s, j) => {
      if (s !== "dev-data") return;
      for (const lc of Object.values<any>(j.resource.aws_s3_bucket_lifecycle_configuration)) lc.rule = lc.rule.filter((r: any) => r.id !== "tmp-expire");
    });
    const c = delta(out);
    const data = c.components.find((d) => d.id.includes("-data-"))!;
    expect(data.deltaMonthlyUsd).toBeGreaterThan(5);
    expect(c.deltaMonthlyUsd).toBeGreaterThan(5);
  });

  test("a disabled or removed stop schedule shows as a node group cost increase", () => {
    const disabled = editedCopy((s, j) => {
      if (s === "dev-ops") j.resource.aws_scheduler_schedule.Schedule_Stop_1.state = "DISABLED";
    });
    const removed = editedCopy((s, j) => {
      if (s === "dev-ops") delete j.resource.aws_scheduler_schedule.Schedule_Stop_1;
    });
    for (const out of [disabled, removed]) {
      const ng = delta(out).components.find((d) => d.id.startsWith("eks-node-group:"))!;
      expect(ng.deltaMonthlyUsd).toBeGreaterThan(5);
    }
  });

  test("JSON carries deltaMonthlyUsd in total and per component; a missing base counts as empty", () => {
    const e = estimateEnvironment({ env: "dev", outdir: FIXTURE_OUT, asOf: AS_OF, usageDir: FIXTURE_USAGE });
    const empty = estimateEnvironment({ env: "dev", outdir: "/nonexistent-cost-base", asOf: AS_OF, allowEmpty: true, usageDir: FIXTURE_USAGE, lenient: true });
    const j = toJson(e, compare(e, empty, "empty")) as any;
    expect(j.deltaMonthlyUsd).toBeCloseTo(e.optimizedMonthlyUsd, 1);
    expect(j.components.every((c: any) => typeof c.deltaMonthlyUsd === "number")).toBe(true);
  });
});
