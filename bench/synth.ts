/**
 * `npm run bench:synth`: wall time and peak memory of synthesizing every stack of every
 * environment, against a one-resource cdktf app in the same run (same process start-up, same
 * loader), and the ratio. Each measurement is a fresh process; median of RUNS.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const RUNS = Number(process.env.RUNS ?? 5);
// The same loader cdktf.json uses for the app: esbuild bundle, then plain node.
const RUNNER = [path.join(ROOT, "tools", "run-ts.js")];

const FULL = `
import { buildApp } from ${JSON.stringify(path.join(ROOT, "app"))};
const app = buildApp({ outdir: process.argv[2], schedulerBundle: ${JSON.stringify(path.join(ROOT, "test", "fixtures", "scheduler.zip"))} });
app.synth();
process.stdout.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
`;

const ONE = `
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
const app = new App({ outdir: process.argv[2] });
const stack = new TerraformStack(app, "one");
new AwsProvider(stack, "aws", { region: "us-east-1" });
new S3Bucket(stack, "b", { bucket: "one" });
app.synth();
process.stdout.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS }));
`;

interface Sample {
  readonly ms: number;
  readonly maxRssMb: number;
}

function measure(code: string): Sample {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "rf-bench-"));
  const file = path.join(ROOT, `.bench-${process.pid}.ts`);
  fs.writeFileSync(file, code);
  try {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [...RUNNER, file, out], { cwd: ROOT, encoding: "utf8" });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(r.stderr);
    return { ms, maxRssMb: JSON.parse(r.stdout).maxRssKb / 1024 };
  } finally {
    fs.rmSync(file, { force: true });
    fs.rmSync(out, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function series(code: string): { ms: number; maxRssMb: number } {
  const samples = Array.from({ length: RUNS }, () => measure(code));
  return { ms: median(samples.map((s) => s.ms)), maxRssMb: median(samples.map((s) => s.maxRssMb)) };
}

/** What main.ts adds before synth when the bundle is up to date: hashing the inputs the last build read. */
function bundleCheckMs(): number | undefined {
  const { ensureLambdaBundle, staleReason } = require("../lambda/build") as typeof import("../lambda/build");
  if (staleReason("scheduler") !== undefined) return undefined; // not built yet: nothing to measure
  const samples = Array.from({ length: RUNS }, () => {
    const t0 = process.hrtime.bigint();
    void ensureLambdaBundle("scheduler");
    return Number(process.hrtime.bigint() - t0) / 1e6;
  });
  return median(samples);
}

const one = series(ONE);
const full = series(FULL);
const stacks = 16;
console.log(`synth benchmark (${RUNS} runs each, median, fresh process, node ${process.version}, ${os.cpus().length} cpus)`);
console.log(`  one-resource app        ${one.ms.toFixed(0).padStart(6)} ms  ${one.maxRssMb.toFixed(0).padStart(5)} MB peak RSS`);
console.log(`  platform, ${stacks} stacks     ${full.ms.toFixed(0).padStart(6)} ms  ${full.maxRssMb.toFixed(0).padStart(5)} MB peak RSS`);
console.log(`  ratio                   ${(full.ms / one.ms).toFixed(2).padStart(6)} x  ${(full.maxRssMb / one.maxRssMb).toFixed(2).padStart(5)} x   (aim <= 1.5 x)`);
const check = bundleCheckMs();
console.log(`  bundle up-to-date check ${check === undefined ? "  (not built: npx cdktf synth builds it)" : `${check.toFixed(1).padStart(6)} ms  (main.ts, before synth)`}`);
