import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { compare } from "../../cost/format";
import { charts, toHtml } from "../../cost/html";
import { estimateEnvironment } from "../../cost/run";
import { editedCopy, FIXTURE_OUT, FIXTURE_USAGE, removeCopies, runCostCli } from "./helpers";

const USAGE = path.join(FIXTURE_USAGE, "dev.json");
const AS_OF = new Date("2026-06-01T00:00:00Z");

const run = runCostCli;

describe("the HTML page of an estimate", () => {
  let base: string;
  let html: string;
  beforeAll(() => {
    // the base branch: the data bucket's lifecycle rules are gone and the node group is on-demand
    base = editedCopy((stack, j) => {
      if (stack === "dev-data") delete j.resource.aws_s3_bucket_lifecycle_configuration;
      if (stack === "dev-compute") for (const ng of Object.values<any>(j.resource.aws_eks_node_group)) ng.capacity_type = "ON_DEMAND";
    });
    const e = estimateEnvironment({ env: "dev", outdir: FIXTURE_OUT, usageFile: USAGE, asOf: AS_OF });
    const other = estimateEnvironment({ env: "dev", outdir: base, usageFile: USAGE, asOf: AS_OF, allowEmpty: true, lenient: true });
    html = toHtml(e, compare(e, other, "base/cdktf.out"));
  }, 60_000);
  afterAll(removeCopies);

  const figures = () => [...html.matchAll(/<figure data-chart="([a-z]+)" data-points="(\d+)">([\s\S]*?)<\/figure>/g)].map((m) => ({ name: m[1], points: Number(m[2]), body: m[3] }));

  test("has every chart, each an inline SVG with data", () => {
    const f = figures();
    expect(f.map((x) => x.name)).toEqual(["waterfall", "components", "week", "storage", "storage", "storage"]);
    for (const x of f) {
      expect(x.points).toBeGreaterThan(0);
      expect(x.body).toMatch(/<svg [^>]*class="marks"/);
      expect(x.body).toMatch(/role="graphics-symbol"/);
    }
  });

  test("loads nothing: no script, no external stylesheet, image or font; a CSP that forbids fetching", () => {
    expect(html).not.toMatch(/<script|<link|<img|@import|url\((?!#)/i);
    const urls = [...html.matchAll(/(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(urls).toEqual([]);
    expect(html).toContain(`content="default-src 'none'`);
  });

  test("each bar's hover text carries its line items and their reasons", () => {
    const components = figures().find((x) => x.name === "components")!.body;
    const titles = [...components.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles.length).toBeGreaterThanOrEqual(2 * 12);
    expect(titles.some((t) => /EKS node group .*optimised.*node hours: .*SPOT over/s.test(t))).toBe(true);
  });

  test("the waterfall walks from the base total to this one through the lines that changed", () => {
    const w = charts(
      estimateEnvironment({ env: "dev", outdir: FIXTURE_OUT, usageFile: USAGE, asOf: AS_OF }),
      compare(
        estimateEnvironment({ env: "dev", outdir: FIXTURE_OUT, usageFile: USAGE, asOf: AS_OF }),
        estimateEnvironment({ env: "dev", outdir: base, usageFile: USAGE, asOf: AS_OF, allowEmpty: true, lenient: true }),
        "base",
      ),
    ).find((c) => c.name === "waterfall")!;
    const values = (w.spec as any).data.values as { step: string; start: number; end: number; kind: string }[];
    expect(values[0].step).toBe("base branch");
    expect(values[values.length - 1].step).toBe("this branch");
    const steps = values.slice(1, -1);
    expect(steps.length).toBeGreaterThan(1);
    expect(steps.some((s) => /EKS node group .*: node hours/.test(s.step) && s.kind === "less")).toBe(true);
    // consecutive: each step starts where the last ended, and the last ends at this branch's total
    steps.forEach((s, i) => expect(s.start).toBeCloseTo(i === 0 ? values[0].end : steps[i - 1].end, 6));
    expect(steps[steps.length - 1].end).toBeCloseTo(values[values.length - 1].end, 6);
  });

  test("the storage series of a bucket averages to its storage lines (the chart shows what is priced)", () => {
    const e = estimateEnvironment({ env: "dev", outdir: FIXTURE_OUT, usageFile: USAGE, asOf: AS_OF });
    const data = e.components.find((c) => c.id === "s3:retail-forecast-dev-data-111111111111")!;
    const series = data.storageByMonth!;
    expect(series).toHaveLength(e.horizonMonths);
    const avg = series.reduce((s, m) => s + Object.values(m.gbByClass).reduce((a, b) => a + b, 0), 0) / series.length;
    const priced = data.lines.optimized.filter((l) => l.unit === "GB-month" && !/early deletion/.test(l.name)).reduce((s, l) => s + l.quantity, 0);
    expect(avg).toBeCloseTo(priced, 6);
    expect(Object.keys(series[series.length - 1].gbByClass).length).toBeGreaterThan(1);
  });
});

describe("npm run cost -- estimate --format html: bad input", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-html-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterAll(removeCopies);

  const base = ["estimate", "--env", "dev", "--synth", FIXTURE_OUT, "--usage", USAGE, "--as-of", "2026-06-01"];

  test("writes the page through a temporary file; nothing else is left in the directory", async () => {
    const out = path.join(dir, "cost.html");
    const r = await run([...base, "--format", "html", "--out", out]);
    expect(r.err).toMatch(/wrote .*cost.html/);
    expect(r.code).toBe(0);
    expect(fs.readdirSync(dir)).toEqual(["cost.html"]);
    expect(fs.readFileSync(out, "utf8")).toMatch(/^<!DOCTYPE html>[\s\S]*<\/html>\n$/);
  }, 30_000);

  test("fails when --format html has no --out, naming both flags", async () => {
    const r = await run([...base, "--format", "html"]);
    expect(r.code).toBe(1);
    expect(r.err).toBe("cost: error: --format html: needs --out <file.html>, the page to write (it is not printed to the terminal)\n");
    expect(r.out).toBe("");
  });

  test("fails when --out is in a directory that does not exist; nothing is created", async () => {
    const out = path.join(dir, "missing", "cost.html");
    const r = await run([...base, "--format", "html", "--out", out]);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`cost: error: --out: directory ${path.join(dir, "missing")} does not exist; expected a file path in an existing directory\n`);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test("fails when --out is a directory (the old meaning of --out), pointing at --synth", async () => {
    const r = await run([...base, "--format", "json", "--out", dir]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^cost: error: --out: .* is a directory; expected the file to write \(the synthesis to price is --synth <dir>, default cdktf.out\)\n$/);
  });

  test("fails when --compare names a directory with no stacks; an existing page is left as it was", async () => {
    const out = path.join(dir, "cost.html");
    fs.writeFileSync(out, "previous page");
    const empty = fs.mkdtempSync(path.join(dir, "base-"));
    const r = await run([...base, "--format", "html", "--out", out, "--compare", empty]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^cost: error: --compare: .*base-\w+ has no synthesized stacks \(no .*stacks\); expected a cdktf output directory/);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(fs.readFileSync(out, "utf8")).toBe("previous page");
    expect(fs.readdirSync(dir).sort()).toEqual(["cost.html", path.basename(empty)].sort());
  });
});
