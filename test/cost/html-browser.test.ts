/**
 * The HTML cost page in headless Chromium (Debian's package; .ci/run installs it): it loads with
 * no console error and no request beyond itself, every chart is drawn with data, and a
 * screenshot of a fixed size is not blank. The page and the screenshot are kept under
 * test-artifacts/ (gitignored) for a person to look at.
 */
import * as fs from "fs";
import * as path from "path";
import type { Browser } from "playwright-core";
import { compare } from "../../cost/format";
import { toHtml } from "../../cost/html";
import { estimateEnvironment } from "../../cost/run";
import { writeAtomic } from "../../tools/write-atomic";
import { launchChromium, openFile, pixelStats } from "../../tools/chromium";
import { editedCopy, FIXTURE_OUT, FIXTURE_USAGE, removeCopies } from "./helpers";

jest.setTimeout(90_000);

const ARTIFACTS = path.join(__dirname, "..", "..", "test-artifacts");
const PAGE = path.join(ARTIFACTS, "cost-dev.html");
const SHOT = path.join(ARTIFACTS, "cost-dev.png");
const VIEWPORT = { width: 1280, height: 1800 };
const USAGE = path.join(FIXTURE_USAGE, "dev.json");
const AS_OF = new Date("2026-06-01T00:00:00Z");

let browser: Browser;
beforeAll(async () => {
  // a base branch whose node group was on demand: the waterfall has lines to show
  const base = editedCopy((stack, j) => {
    if (stack === "dev-compute") for (const ng of Object.values<any>(j.resource.aws_eks_node_group)) ng.capacity_type = "ON_DEMAND";
  });
  const e = estimateEnvironment({ env: "dev", outdir: FIXTURE_OUT, usageFile: USAGE, asOf: AS_OF });
  const other = estimateEnvironment({ env: "dev", outdir: base, usageFile: USAGE, asOf: AS_OF, allowEmpty: true, lenient: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  writeAtomic(PAGE, toHtml(e, compare(e, other, "base/cdktf.out")));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  removeCopies();
});

test("opens with no console error and no request beyond the page itself", async () => {
  const { page, errors, requests } = await openFile(browser, PAGE, VIEWPORT);
  expect(await page.title()).toBe("Cost estimate: dev");
  expect(errors).toEqual([]);
  expect(requests).toEqual([]);
  await page.context().close();
});

test("every chart is there, drawn, with data", async () => {
  const { page } = await openFile(browser, PAGE, VIEWPORT);
  const charts = await page.$$eval("figure[data-chart]", (figs) =>
    figs.map((f) => {
      const svg = f.querySelector("svg");
      const box = svg?.getBoundingClientRect();
      return {
        name: f.getAttribute("data-chart"),
        points: Number(f.getAttribute("data-points")),
        marks: f.querySelectorAll('svg [role="graphics-symbol"]').length,
        hover: f.querySelectorAll("svg [role='graphics-symbol'] > title").length,
        width: box?.width ?? 0,
        height: box?.height ?? 0,
      };
    }),
  );
  expect(charts.map((c) => c.name).sort()).toEqual(["components", "storage", "storage", "storage", "waterfall", "week"]);
  for (const c of charts) {
    expect([c.name, c.points > 0, c.marks > 0, c.hover > 0]).toEqual([c.name, true, true, true]);
    expect([c.name, c.width > 200, c.height > 50]).toEqual([c.name, true, true]);
  }
  await page.context().close();
});

test("a screenshot of a fixed size is not blank (kept in test-artifacts/)", async () => {
  const { page } = await openFile(browser, PAGE, VIEWPORT);
  const png = await page.screenshot({ fullPage: false });
  await page.context().close();
  writeAtomic(SHOT, png);
  const s = await pixelStats(browser, png);
  expect({ width: s.width, height: s.height }).toEqual(VIEWPORT);
  expect(s.inkShare).toBeGreaterThan(0.1);
  expect(s.colours).toBeGreaterThan(20);
});
