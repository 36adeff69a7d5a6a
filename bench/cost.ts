/**
 * npm run bench:cost [-- --out cdktf.out]
 *
 * Time to estimate every environment from an existing synthesis (target < 2 s for all):
 * cold (first estimate in the process: module loading and JIT warm-up) and warm (the same
 * again; nothing is cached between estimates, so every run reads the stacks, the profile and
 * the prices and simulates the schedules anew), per environment, plus one CLI run end to end
 * (tsx start-up included).
 * Environments missing from --out are synthesized first into a temporary directory with
 * buildApp (not timed as estimate; the synthesis time is printed apart).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as os from "os";
import { buildApp } from "../app";
import { ENVIRONMENT_NAMES, PLATFORM_STACK_KINDS } from "../config";
import { estimateEnvironment } from "../cost/run";

const args = process.argv.slice(2);
const outIdx = args.indexOf("--out");
const out = outIdx >= 0 ? args[outIdx + 1] : "cdktf.out";
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

const has = (env: string) => PLATFORM_STACK_KINDS.every((k) => fs.existsSync(path.join(out, "stacks", `${env}-${k}`, "cdk.tf.json")));
const missing = ENVIRONMENT_NAMES.filter((env) => !has(env));
let synthDir: string | undefined;
let synthMs = 0;
if (missing.length) {
  synthDir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-cost-"));
  const dist = path.join(__dirname, "..", "dist", "lambda", "scheduler.zip");
  const bundle = fs.existsSync(dist) ? dist : path.join(__dirname, "..", "test", "fixtures", "scheduler.zip");
  const t = process.hrtime.bigint();
  buildApp({ outdir: synthDir, environments: missing, schedulerBundle: bundle, emulatorEndpoint: "http://127.0.0.1:4566" }).synth();
  synthMs = ms(t);
}
const targets = ENVIRONMENT_NAMES.map((env) => ({ env, dir: missing.includes(env) ? synthDir! : out }));

function runAll(): { total: number; per: Record<string, number>; resources: Record<string, number> } {
  const per: Record<string, number> = {};
  const resources: Record<string, number> = {};
  const t0 = process.hrtime.bigint();
  for (const t of targets) {
    const t1 = process.hrtime.bigint();
    const e = estimateEnvironment({ env: t.env, outdir: t.dir });
    per[t.env] = ms(t1);
    resources[t.env] = e.components.length;
  }
  return { total: ms(t0), per, resources };
}

const cold = runAll();
const warm: number[] = [];
for (let i = 0; i < 5; i++) warm.push(runAll().total);
warm.sort((a, b) => a - b);

const cliT0 = process.hrtime.bigint();
const dev = targets.find((t) => t.env === "dev");
const cli = dev ? spawnSync(process.execPath, [require.resolve("tsx/cli"), path.join(__dirname, "..", "cli", "cost.ts"), "estimate", "--env", "dev", "--synth", dev.dir, "--format", "json"], { encoding: "utf8" }) : undefined;
const cliMs = ms(cliT0);

console.log(`cost estimate bench (${targets.map((t) => `${t.env}: ${t.dir === synthDir ? "synthesized here" : t.dir}`).join(", ")})`);
if (synthDir) console.log(`  synth of ${missing.join(", ")} (not part of the estimate): ${synthMs.toFixed(0)} ms`);
console.log(`  cold, all environments : ${cold.total.toFixed(1)} ms  (${Object.entries(cold.per).map(([e, v]) => `${e} ${v.toFixed(1)} ms / ${cold.resources[e]} components`).join(", ")})`);
console.log(`  warm, all environments : median ${warm[2].toFixed(1)} ms, min ${warm[0].toFixed(1)} ms over 5 runs`);
if (cli) console.log(`  CLI end to end (dev)   : ${cliMs.toFixed(0)} ms incl. tsx start-up, exit ${cli.status}`);
const ok = cold.total < 2000;
console.log(`  target < 2000 ms cold  : ${ok ? "met" : "MISSED"}`);
if (!ok) process.exitCode = 1;
if (synthDir) fs.rmSync(synthDir, { recursive: true, force: true });
