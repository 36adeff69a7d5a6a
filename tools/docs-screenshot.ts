/**
 * npm run docs:screenshot [-- --env dev] [--as-of 2026-06-01] [--out docs/cost-estimate.png]
 *
 * Regenerates the README's picture of the HTML cost page: synthesizes the environment into a
 * temporary directory, writes its page (`cost estimate --format html`), opens it in headless
 * Chromium (tools/chromium.ts) at 1280 x 1600 and saves the screenshot, after checking that it
 * is not blank. The date is fixed so that the picture only changes when the estimate does.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildApp } from "../app";
import { toHtml } from "../cost/html";
import { checkEnv, estimateEnvironment } from "../cost/run";
import { launchChromium, openFile, pixelStats } from "./chromium";
import { writeAtomic } from "./write-atomic";

const ROOT = path.resolve(__dirname, "..");
const VIEWPORT = { width: 1280, height: 1600 };

function flag(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  if (i < 0) return dflt;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith("--")) throw new Error(`${name}: expected a value`);
  return v;
}

async function main(): Promise<void> {
  const env = checkEnv(flag("--env", "dev"));
  const asOf = flag("--as-of", "2026-06-01");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new Error(`--as-of: expected YYYY-MM-DD, got '${asOf}'`);
  const out = path.resolve(flag("--out", path.join(ROOT, "docs", "cost-estimate.png")));
  if (!fs.existsSync(path.dirname(out))) throw new Error(`--out: directory ${path.dirname(out)} does not exist`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "docs-screenshot-"));
  try {
    const dist = path.join(ROOT, "dist", "lambda", "scheduler.zip");
    const bundle = fs.existsSync(dist) ? dist : path.join(ROOT, "test", "fixtures", "scheduler.zip");
    process.stderr.write(`docs:screenshot: synthesizing ${env}\n`);
    buildApp({ outdir: tmp, environments: [env], schedulerBundle: bundle, emulatorEndpoint: "http://127.0.0.1:4566" }).synth();
    const e = estimateEnvironment({ env, outdir: tmp, asOf: new Date(`${asOf}T00:00:00Z`) });
    const page = path.join(tmp, `cost-${env}.html`);
    fs.writeFileSync(page, toHtml(e, undefined, { command: `npm run cost -- estimate --env ${env} --format html --out cost-${env}.html` }));
    process.stderr.write(`docs:screenshot: opening the page in headless Chromium\n`);
    const browser = await launchChromium();
    try {
      const opened = await openFile(browser, page, VIEWPORT);
      if (opened.errors.length || opened.requests.length) throw new Error(`the page did not load cleanly: ${[...opened.errors, ...opened.requests].join("; ")}`);
      const png = await opened.page.screenshot({ fullPage: false });
      const s = await pixelStats(browser, png);
      if (s.inkShare < 0.1 || s.colours < 20) throw new Error(`the screenshot looks blank (${(s.inkShare * 100).toFixed(1)} % drawn, ${s.colours} colours); not written`);
      writeAtomic(out, png);
      process.stdout.write(`${path.relative(process.cwd(), out)}: ${VIEWPORT.width} x ${VIEWPORT.height}, ${(png.length / 1024).toFixed(0)} KB (${env}, as of ${asOf})\n`);
    } finally {
      await browser.close();
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`docs:screenshot: error: ${err instanceof Error ? err.message : err}\n`);
  process.exit(1);
});
