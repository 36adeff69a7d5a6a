/**
 * Scheduler benchmark (prints numbers; not a test). `npm run bench:scheduler`
 *
 *   1. bundle size of dist/lambda/scheduler/index.js (built here)      aim <= 400 KB
 *   2. cold module load: require() of the bundle in a fresh node, median aim <= 60 ms
 *   3. the bundle's handler runs against the emulator (dry-run stop)   smoke check
 *   4. scale in the emulator: N clusters x M node groups + E endpoints, stop then start,
 *      wall time and API calls per target (SDK middleware), at two sizes to show linearity
 *                                                                      aim < 60 s each
 *
 *   BENCH_SCALE=0.1 npm run bench:scheduler   # a quick run at a tenth of the size
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import { CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand } from "@aws-sdk/client-sagemaker";
import { buildLambda, FUNCTIONS } from "../lambda/build";
import { mapPool } from "../lambda/shared/concurrency";
import { runScheduler } from "../lambda/scheduler/core";
import type { Summary } from "../lambda/scheduler/types";
import { emulatorEnv, startEmulator } from "../sandbox/emulator";

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
import * as fx from "../test/lambda/emulator/fixtures";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function bundleNumbers() {
  const built = await buildLambda(FUNCTIONS.find((f) => f.name === "scheduler")!);
  const loads: number[] = [];
  for (let i = 0; i < 9; i++) {
    const out = execFileSync(
      process.execPath,
      ["-e", `const t=process.hrtime.bigint();require(${JSON.stringify(built.outfile)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`],
      { encoding: "utf8", env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" } },
    );
    loads.push(Number(out));
  }
  return { file: built.outfile, kb: built.bytes / 1024, loadMs: median(loads), loads };
}

function bundleSmoke(file: string, endpoint: string): string {
  const script = `require(${JSON.stringify(file)}).handler({action:"stop",dryRun:true}).then(s=>process.stdout.write(JSON.stringify(s.totals)),e=>{process.stdout.write("ERR "+e.message);process.exit(1)})`;
  return execFileSync(process.execPath, ["-e", script], {
    encoding: "utf8",
    env: { ...process.env, ...emulatorEnv(endpoint), SCHEDULE_NAME: "bench-smoke", RECORD_PREFIX: "/bench/smoke", POWERTOOLS_LOG_LEVEL: "SILENT", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
  });
}

interface Run {
  label: string;
  targets: number;
  ms: number;
  calls: number;
  byCommand: Record<string, number>;
  totals: Summary["totals"];
}

async function scaleRun(endpoint: string, label: string, clusters: number, perCluster: number, endpoints: number): Promise<Run[]> {
  const schedule = `bench-${label}`;
  const tags = { Schedule: schedule, Environment: "bench" };
  const setup = fx.emulatorClients(endpoint);
  const t0 = Date.now();
  const clusterNames = Array.from({ length: clusters }, (_, i) => `${label}-c${i}`);
  await mapPool(clusterNames, 8, (c) => fx.createCluster(setup.eks, c));
  await mapPool(
    clusterNames.flatMap((c) => Array.from({ length: perCluster }, (_, j) => ({ c, ng: `ng${j}` }))),
    8,
    ({ c, ng }) => fx.createNodegroup(setup.eks, c, ng, { minSize: 1, desiredSize: 2, maxSize: 4 }, tags),
  );
  // Endpoints share one model and config: the scheduler never looks inside them.
  await setup.sagemaker.send(new CreateModelCommand({ ModelName: `${label}-model`, ExecutionRoleArn: fx.ROLE, PrimaryContainer: { Image: "img" } }));
  await setup.sagemaker.send(
    new CreateEndpointConfigCommand({ EndpointConfigName: `${label}-config`, ProductionVariants: [{ VariantName: "AllTraffic", ModelName: `${label}-model`, InitialInstanceCount: 1, InstanceType: "ml.t2.medium" }] }),
  );
  await mapPool(Array.from({ length: endpoints }, (_, i) => `${label}-ep${i}`), 8, (name) =>
    setup.sagemaker.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: `${label}-config`, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) })),
  );
  console.error(`  setup ${label}: ${clusters * perCluster} node groups, ${endpoints} endpoints in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const settings = { scheduleName: schedule, region: fx.REGION, recordPrefix: `/bench/${label}`, idleWindowHours: 24, idleInvocationsThreshold: 1 };
  const runs: Run[] = [];
  for (const action of ["stop", "start"] as const) {
    const clients = fx.emulatorClients(endpoint);
    const counter = fx.countCalls(clients);
    const t = Date.now();
    const summary = await runScheduler({ action, dryRun: false }, settings, { clients });
    const ms = Date.now() - t;
    const byCommand: Record<string, number> = {};
    for (const c of counter.calls) byCommand[c] = (byCommand[c] ?? 0) + 1;
    runs.push({ label: `${label} ${action}`, targets: summary.totals.targets, ms, calls: counter.calls.length, byCommand, totals: summary.totals });
    if (summary.totals.failed) throw new Error(`${label} ${action}: ${summary.totals.failed} failed: ${summary.results.find((r) => r.outcome === "failed")?.reason}`);
  }
  return runs;
}

async function main() {
  const scale = Number(process.env.BENCH_SCALE ?? "1");
  const b = await bundleNumbers();
  console.log(`bundle      ${b.kb.toFixed(1)} KB minified (aim <= 400)  ${b.file}`);
  console.log(`cold load   median ${b.loadMs.toFixed(1)} ms of ${b.loads.length} fresh processes (aim <= 60); all: ${b.loads.map((x) => x.toFixed(0)).join(" ")}`);

  const smokeEmu = await startEmulator();
  try {
    console.log(`bundle run  handler dry-run stop in the emulator: ${bundleSmoke(b.file, smokeEmu.endpoint)}`);
  } finally {
    await smokeEmu.stop();
  }
  const full = { clusters: Math.max(1, Math.round(10 * scale)), per: 10, endpoints: Math.max(1, Math.round(300 * scale)) };
  const small = { clusters: Math.max(1, Math.round(full.clusters / 4)), per: 10, endpoints: Math.max(1, Math.round(full.endpoints / 4)) };
  const runs: Run[] = [];
  // A fresh emulator per size, so the bigger run does not also list the smaller run's resources.
  for (const [label, size] of [["small", small], ["full", full]] as const) {
    const emu = await startEmulator();
    try {
      runs.push(...(await scaleRun(emu.endpoint, label, size.clusters, size.per, size.endpoints)));
    } finally {
      await emu.stop();
    }
  }
  console.log("\nrun          targets   wall s   ms/target   API calls   calls/target   outcomes");
  for (const r of runs) {
    console.log(
      `${r.label.padEnd(12)} ${String(r.targets).padStart(7)} ${(r.ms / 1000).toFixed(2).padStart(8)} ${(r.ms / r.targets).toFixed(1).padStart(11)} ${String(r.calls).padStart(11)} ${(r.calls / r.targets).toFixed(2).padStart(14)}   ` +
        `stopped ${r.totals.stopped} started ${r.totals.started} skipped ${r.totals.skipped} failed ${r.totals.failed}`,
    );
  }
  for (const r of runs.filter((x) => x.label.startsWith("full"))) console.log(`\n${r.label} calls by command: ${JSON.stringify(r.byCommand)}`);
  if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify({ bundle: b, runs }, null, 2));
}

main().catch((err) => {
  console.error(`bench:scheduler failed: ${(err as Error).message}`);
  process.exit(1);
});
