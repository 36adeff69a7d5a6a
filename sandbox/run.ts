/**
 * `npm start`: the whole platform on this machine, no AWS account. Starts the local AWS emulator,
 * deploys every sandbox stack with the real cdktf CLI and Terraform (state in the emulator's S3
 * through the S3 backend, as in an account), proves a second plan is empty, verifies what the
 * mission checks, runs the scheduler (stop, then start), prints the cost estimate, runs the
 * scheduler and the cost report again as their own roles with IAM enforced (least-privilege.ts), tears down
 * compute and ops with the ops command, verifies nothing but the data stack remains, restores
 * and verifies again. Ends with a summary and the time of each phase.
 *
 * Each run works in a directory of its own (.sandbox/run-<time>-<random>) against an emulator of
 * its own on a free port, so two runs at once are fully independent.
 *
 *   npm start                      # everything, emulator stopped at the end
 *   npm start -- --keep            # leave the emulator (and the deployed sandbox) running
 *   SANDBOX_ENDPOINT=http://127.0.0.1:5000 npm start   # use an emulator that is already up
 */
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import { DescribeClusterCommand, DescribeNodegroupCommand, EKSClient } from "@aws-sdk/client-eks";
import { DescribeEndpointCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { GetObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { createHash } from "crypto";
import { buildApp } from "../app";
import { ensureLambdaBundle } from "../lambda/build";
import { STACK_KINDS, StackKind } from "../config/stacks";
import { loadEnvironment } from "../config";
import { names } from "../config/naming";
import { EnvironmentConfig } from "../config/types";
import { checkEmulatorInstalled, Emulator, emulatorEnv, startEmulator } from "./emulator";
import { sandboxShellExports } from "../config/sandbox-shell";
import { awsClientConfig } from "../lambda/shared/aws-client";
import { deploymentChecks } from "./verify";
import { assertTerraform, ensureMirrorEnv, MIRROR_ENV, terraformEnv } from "../tools/terraform-cli";
import { runCdktf, REPO_ROOT } from "../tools/cdktf";
import { scheduleCommand } from "../cli/schedule";
import { opsContext } from "../cli/ops/context";
import { cdktfStackRunner } from "../cli/ops/stacks";
import { GetScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { teardown } from "../cli/ops/teardown";
import { restore } from "../cli/ops/restore";
import { leastPrivilegePhase } from "./least-privilege";
import { scheduledEvening, scheduledMorning } from "./lifetime";

const run = promisify(execFile);

export interface SandboxOptions {
  /** Use this emulator instead of starting one. @default - $SANDBOX_ENDPOINT, else start one */
  readonly endpoint?: string;
  /** Leave the emulator running at the end. @default false */
  readonly keepEmulator?: boolean;
  /** @default console.log */
  readonly log?: (line: string) => void;
  /** Where synthesized stacks and local bootstrap state go. @default - .sandbox/run-<time>-<random>, removed at the end unless kept */
  readonly outdir?: string;
  /** Stop after this phase as if the rest had passed (tests of the first phases). @default - run every phase */
  readonly stopAfter?: string;
}

export interface PhaseReport {
  readonly phase: string;
  readonly ok: boolean;
  readonly seconds: number;
  readonly details: string[];
  readonly error?: string;
}

export interface SandboxReport {
  readonly ok: boolean;
  readonly phases: PhaseReport[];
  readonly endpoint?: string;
  /** The emulator this run started (undefined when it used one already running). */
  readonly emulatorPid?: number;
  readonly failedPhase?: string;
  /** This run's directory. */
  readonly outdir: string;
}

const STACKS = Object.fromEntries(STACK_KINDS.map((k) => [k, `sandbox-${k}`])) as { readonly [K in StackKind]: `sandbox-${K}` };

/** Everything that must be on the machine, each with what to install when it is not. */
export function preflight(): string[] {
  const problems: string[] = [];
  try {
    assertTerraform();
  } catch (e) {
    problems.push((e as Error).message);
  }
  try {
    checkEmulatorInstalled();
  } catch (e) {
    problems.push((e as Error).message);
  }
  if (!fs.existsSync(path.join(REPO_ROOT, "node_modules", ".bin", "cdktf"))) problems.push("cdktf-cli is not installed: run npm ci");
  if (!ensureMirrorEnv()) {
    const probe = spawnSync("getent", ["hosts", "registry.terraform.io"], { encoding: "utf8" });
    if (probe.status !== 0) {
      problems.push(
        `the Terraform registry is unreachable, ${MIRROR_ENV} is not set and no mirror was found under /opt, /usr/share or ~/.terraform.d: point it at a provider mirror holding hashicorp/aws 5.100.0 ` +
          `(a folder with registry.terraform.io/hashicorp/aws/5.100.0/<os_arch>/), e.g. ${MIRROR_ENV}=/path/to/mirror npm start`,
      );
    }
  }
  return problems;
}

/** A directory of this run's own under .sandbox/, so that two runs never share synth output or bootstrap state. */
function runDirectory(): string {
  const root = path.join(REPO_ROOT, ".sandbox");
  fs.mkdirSync(root, { recursive: true });
  return fs.mkdtempSync(path.join(root, `run-${new Date().toISOString().replace(/[:.]/g, "-")}-`));
}

class StopAfter extends Error {}

export async function runSandbox(opts: SandboxOptions = {}): Promise<SandboxReport> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const ownDir = !opts.outdir;
  const outdir = opts.outdir ? path.resolve(opts.outdir) : runDirectory();
  const phases: PhaseReport[] = [];
  let emulator: Emulator | undefined;
  let endpoint = opts.endpoint ?? process.env.SANDBOX_ENDPOINT;
  let cfg: EnvironmentConfig | undefined;

  const phase = async (name: string, body: (details: string[]) => Promise<void>): Promise<void> => {
    const started = Date.now();
    const details: string[] = [];
    log(`\n== ${name}`);
    try {
      await body(details);
      const seconds = (Date.now() - started) / 1000;
      phases.push({ phase: name, ok: true, seconds, details });
      log(`   ok (${seconds.toFixed(1)} s)`);
      if (opts.stopAfter === name) throw new StopAfter();
    } catch (e) {
      if (e instanceof StopAfter) throw e;
      const seconds = (Date.now() - started) / 1000;
      const error = (e as Error).message;
      phases.push({ phase: name, ok: false, seconds, details, error });
      log(`   FAILED in phase '${name}' after ${seconds.toFixed(1)} s: ${error}`);
      const tail = (e as { tail?: string }).tail;
      if (tail) log(tail.split("\n").filter((l) => l.trim()).slice(-25).map((l) => `   | ${l}`).join("\n"));
      throw e;
    }
  };
  const say = (details: string[]) => (line: string) => {
    details.push(line);
    log(`   ${line}`);
  };
  const stackLine = (line: string) => {
    if (/(complete after|Apply complete|Destroy complete|No changes|Error)/.test(line)) log(`   | ${line.trim()}`);
  };

  let schedulerBundle: string | undefined;
  const childEnv = (): NodeJS.ProcessEnv => ({ ...process.env, ...emulatorEnv(endpoint!), SANDBOX_ENDPOINT: endpoint!, PLATFORM_ENVS: "sandbox" });
  const cdktf = (verb: "deploy" | "destroy", stacks: string[]) => runCdktf(verb, stacks, { env: childEnv(), outdir, skipSynth: true, onLine: stackLine });

  try {
    await phase("preflight", async (d) => {
      const problems = preflight();
      if (problems.length) throw new Error(`missing tools:\n   - ${problems.join("\n   - ")}`);
      schedulerBundle = await ensureLambdaBundle("scheduler", say(d)); // rebuilt only when missing or stale
      say(d)(`terraform ${assertTerraform()}, provider ${process.env[MIRROR_ENV] ? `mirror ${process.env[MIRROR_ENV]}` : "from the registry"}`);
    });

    await phase("emulator", async (d) => {
      if (endpoint) {
        say(d)(`using the emulator at ${endpoint}`);
      } else {
        emulator = await startEmulator({ keep: opts.keepEmulator, logFile: opts.keepEmulator ? path.join(outdir, "emulator.log") : undefined, enforceIam: true });
        endpoint = emulator.endpoint;
        say(d)(`moto on ${endpoint} (pid ${emulator.pid}) with patches: ${emulator.patches.join(", ")}`);
      }
      cfg = loadEnvironment("sandbox", { emulatorEndpoint: endpoint });
    });
    const n = names(cfg!);

    await phase("synth", async (d) => {
      // A fresh emulator has no state bucket: bootstrap state left in a given directory must go too.
      if (emulator && !ownDir) for (const e of fs.readdirSync(outdir)) if (e !== "emulator.log") fs.rmSync(path.join(outdir, e), { recursive: true, force: true });
      fs.mkdirSync(outdir, { recursive: true });
      const app = buildApp({ outdir, environments: ["sandbox"], emulatorEndpoint: endpoint, schedulerBundle: schedulerBundle! });
      app.synth();
      say(d)(`synthesized ${Object.values(STACKS).join(", ")} into ${path.relative(REPO_ROOT, outdir)}`);
    });

    await phase("deploy", async (d) => {
      await cdktf("deploy", [STACKS.bootstrap]);
      say(d)(`bootstrap: state bucket ${n.stateBucket}, backup bucket ${n.backupBucket}`);
      // data before compute: EKS logs into the data stack's log group, which EKS would otherwise
      // create itself without retention. ops depends on neither and deploys alongside data.
      await cdktf("deploy", [STACKS.data, STACKS.ops]);
      say(d)("data and ops stacks deployed");
      await cdktf("deploy", [STACKS.compute]);
      say(d)("compute stack deployed");
    });

    await phase("second plan is empty", async (d) => {
      // Independent stacks, so the three plans (mostly provider start-up and refresh) run at once.
      const stacks = [STACKS.data, STACKS.compute, STACKS.ops];
      const verdicts = await Promise.allSettled(stacks.map((stack) => planIsEmpty(path.join(outdir, "stacks", stack), childEnv())));
      verdicts.forEach((v, i) => say(d)(`${stacks[i]}: ${v.status === "fulfilled" ? v.value : (v.reason as Error).message}`));
      if (verdicts.some((v) => v.status === "rejected")) throw new Error("a second plan right after deploy is not empty");
    });

    await phase("verify", async (d) => {
      await runChecks(cfg!, endpoint!, say(d));
    });

    const samples = sampleObjects(cfg!);
    await phase("seed sample data", async (d) => {
      const s3 = new S3Client(clientSettings(endpoint!));
      for (const o of samples) {
        await s3.send(new PutObjectCommand({ Bucket: o.bucket, Key: o.key, Body: o.body }));
        say(d)(`s3://${o.bucket}/${o.key} (${o.body.length} B, sha256 ${sha256(o.body).slice(0, 12)}...)`);
      }
    });

    await phase("schedule", async (d) => {
      await exerciseScheduler(cfg!, endpoint!, say(d));
    });

    await phase("cost estimate", async (d) => {
      for (const line of await costEstimate(outdir)) say(d)(line);
    });

    await phase("least privilege", async (d) => {
      await leastPrivilegePhase(cfg!, endpoint!, say(d));
    });

    // The ops CLI's own runner: its own synth in a directory that does not exist yet (as in a
    // fresh checkout), terraform init before any change, signals passed to cdktf.
    const opsRunner = () => cdktfStackRunner({ workRoot: path.join(outdir, "ops-runs") });
    const opsCtx = () => opsContext("sandbox", { emulatorEndpoint: endpoint, log: (l) => log(`   ${l}`) });
    let fullBackup: string | undefined;
    await phase("teardown", async (d) => {
      const ctx = opsCtx();
      // The default is a dry run: it prints the plan and must change nothing.
      const dry = await teardown(ctx, { isTty: false });
      const eks = new EKSClient(clientSettings(endpoint!));
      const status = (await eks.send(new DescribeClusterCommand({ name: n.cluster }))).cluster?.status;
      if (dry.mode !== "dry-run" || status !== "ACTIVE") throw new Error(`the dry run was ${dry.mode} and left the cluster ${status}`);
      say(d)(`dry run printed the plan and changed nothing (cluster still ${status})`);
      // The nightly cycle, as its build runs it (compute goes, ops and data stay): a keep-alive
      // holds it first, then, cleared, the scheduled teardown runs; its own verify (Tagging API
      // and per-service listings) must find only the kept stacks.
      await scheduledEvening({ cfg: cfg!, endpoint: endpoint!, say: say(d), log, runner: opsRunner });
      const sched = new SchedulerClient(clientSettings(endpoint!));
      const states = await Promise.all(["start", "stop", "stop-idle"].map(async (a) => (await sched.send(new GetScheduleCommand({ Name: `${n.schedulerFunction}-${a}` }))).State));
      if (states.some((st) => st !== "DISABLED")) throw new Error(`with compute gone the scheduler's schedules should stay paused, they are ${states.join(", ")}`);
      say(d)(`compute destroyed; ${STACKS.ops} kept with its schedules paused (${states.join(", ")}); only ${STACKS.ops}, ${STACKS.data} and ${STACKS.bootstrap} resources remain`);
      // A rerun with --include-data: compute is skipped (already gone), the data stack goes after
      // a checked backup of every object of its buckets.
      const again = await teardown(ctx, { yes: true, isTty: false, includeData: true, runner: opsRunner() });
      if (!again.ok || again.unexpected !== 0) throw new Error(`the teardown with --include-data did not complete cleanly: ${again.left}`);
      say(d)(`rerun: ${again.steps.map((st) => `${st.step} ${st.status}`).join(", ")}`);
      fullBackup = again.backupId;
      const s3 = new S3Client(clientSettings(endpoint!));
      const manifest = JSON.parse(await (await s3.send(new GetObjectCommand({ Bucket: n.backupBucket, Key: `sandbox/${fullBackup}/manifest.json` }))).Body!.transformToString());
      const backedUp = new Set(manifest.entries.map((e: { bucket: string; key: string }) => `${e.bucket}/${e.key}`));
      const missing = samples.filter((o) => !backedUp.has(`${o.bucket}/${o.key}`));
      if (missing.length) throw new Error(`the full backup misses ${missing.map((o) => `s3://${o.bucket}/${o.key}`).join(", ")}`);
      say(d)(`${STACKS.data} destroyed after backup ${fullBackup}: all ${samples.length} seeded objects in it, raw/ and the artifacts bucket included`);
    });

    await phase("restore", async (d) => {
      const ctx = opsCtx();
      // The data stack first, by hand (the nightly build's role cannot deploy data), without
      // compute: restoring data outside the compute lifetime must not bring compute up.
      const result = await restore(ctx, { skipCompute: true, runner: opsRunner() });
      if (!result.ok) throw new Error(`restore reported failures: ${result.steps.filter((s) => s.status === "failed").map((s) => `${s.step}: ${s.detail}`).join("; ")}`);
      if (result.manifest?.backupId !== fullBackup) throw new Error(`restore used backup ${result.manifest?.backupId}, not ${fullBackup}`);
      say(d)(`restore --skip-compute: ${STACKS.data} deployed, data copied back from ${fullBackup}; ${STACKS.compute} left down`);
      // Then the morning: a skip date, a restore that cannot run (and alerts), the 06:30 restore.
      await scheduledMorning({ cfg: cfg!, endpoint: endpoint!, say: say(d), log, runner: opsRunner });
      const s3 = new S3Client(clientSettings(endpoint!));
      for (const o of samples) {
        const got = Buffer.from(await (await s3.send(new GetObjectCommand({ Bucket: o.bucket, Key: o.key }))).Body!.transformToByteArray());
        if (sha256(got) !== sha256(o.body)) throw new Error(`s3://${o.bucket}/${o.key} differs from what was seeded`);
      }
      const sched = new SchedulerClient(clientSettings(endpoint!));
      const states = await Promise.all(["start", "stop", "stop-idle"].map(async (a) => (await sched.send(new GetScheduleCommand({ Name: `${n.schedulerFunction}-${a}` }))).State));
      if (states.some((st) => st !== "ENABLED")) throw new Error(`restore should have resumed the schedules, they are ${states.join(", ")}`);
      say(d)(`data and compute deployed again; ${samples.length} seeded objects match byte for byte (restored from backup ${fullBackup}); schedules resumed`);
      await runChecks(cfg!, endpoint!, say(d));
    });
  } catch {
    // reported by phase() (or stopped after opts.stopAfter)
  } finally {
    if (emulator && !opts.keepEmulator) await emulator.stop();
    else if (emulator) {
      log(`\nemulator left running at ${endpoint} (pid ${emulator.pid}, log ${emulator.logFile}); this run's directory ${path.relative(REPO_ROOT, outdir)} is kept`);
      log(`   use it: SANDBOX_ENDPOINT=${endpoint} npm run ops -- teardown sandbox`);
      log(`   cdktf by hand: ${sandboxShellExports(endpoint!)} SANDBOX_ENDPOINT=${endpoint} PLATFORM_ENVS=sandbox`);
      log(`   stop it: kill ${emulator.pid}`);
    }
    if (ownDir && !opts.keepEmulator) fs.rmSync(outdir, { recursive: true, force: true });
  }

  const failed = phases.find((p) => !p.ok);
  log("\n== summary");
  for (const p of phases) log(`   ${p.ok ? "ok  " : "FAIL"} ${p.phase.padEnd(22)} ${p.seconds.toFixed(1).padStart(6)} s`);
  log(`   ${failed ? `FAILED at '${failed.phase}'` : "all phases passed"}; total ${phases.reduce((s, p) => s + p.seconds, 0).toFixed(1)} s`);
  return { ok: !failed, phases, endpoint, emulatorPid: emulator?.pid, failedPhase: failed?.phase, outdir };
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** A day of raw and cleaned sales, features, the model artifact and a training checkpoint: one object in every bucket the data stack holds. */
function sampleObjects(cfg: EnvironmentConfig): { bucket: string; key: string; body: Buffer }[] {
  const n = names(cfg);
  const rows = ["store,sku,date,units", ...Array.from({ length: 50 }, (_, i) => `s${i % 5},sku-${i},2026-11-23,${(i * 7) % 13}`)];
  return [
    { bucket: n.dataBucket, key: "silver/sales/2026-11-23.csv", body: Buffer.from(rows.join("\n") + "\n") },
    { bucket: n.dataBucket, key: "artifacts/features/2026-11-23.json", body: Buffer.from(JSON.stringify({ features: ["lag7", "promo"] })) },
    { bucket: n.modelsBucket, key: cfg.sagemaker.modelDataKey, body: Buffer.from("model-bytes-for-the-sandbox") },
    { bucket: n.dataBucket, key: "raw/sales/2026-11-23.csv", body: Buffer.from(rows.join("\n").toUpperCase()) },
    { bucket: n.artifactsBucket, key: "checkpoints/train-1/ckpt-0001", body: Buffer.from("checkpoint-bytes") },
  ];
}

function clientSettings(endpoint: string) {
  return awsClientConfig({ region: "us-east-1", emulatorEndpoint: endpoint });
}

async function runChecks(cfg: EnvironmentConfig, endpoint: string, say: (l: string) => void): Promise<void> {
  const failures: string[] = [];
  for (const check of deploymentChecks(cfg, clientSettings(endpoint))) {
    try {
      say(`ok   ${check.name}: ${await check.run()}`);
    } catch (e) {
      failures.push(`${check.name}: ${(e as Error).message}`);
      say(`FAIL ${check.name}: ${(e as Error).message}`);
    }
  }
  if (failures.length) throw new Error(`${failures.length} verification(s) failed`);
}

/** `terraform plan -detailed-exitcode`: 0 = no changes, 2 = changes (a perpetual diff), 1 = error. */
async function planIsEmpty(dir: string, env: NodeJS.ProcessEnv): Promise<string> {
  try {
    await run("terraform", ["plan", "-detailed-exitcode", "-input=false", "-lock=false", "-no-color", "-refresh=true"], { cwd: dir, env: terraformEnv(env), maxBuffer: 1 << 26 });
    return "no changes";
  } catch (e: any) {
    if (e.code === 2) {
      const changes = String(e.stdout).split("\n").filter((l) => /^\s+[#~+-]/.test(l)).slice(0, 12).join("\n");
      throw new Error(`a second plan right after deploy wants changes:\n${changes}`);
    }
    throw new Error(`terraform plan failed: ${String(e.stderr || e.stdout).slice(-1500)}`);
  }
}

async function exerciseScheduler(cfg: EnvironmentConfig, endpoint: string, say: (l: string) => void): Promise<void> {
  const n = names(cfg);
  const c = clientSettings(endpoint);
  const eks = new EKSClient(c);
  const sm = new SageMakerClient(c);
  const scaling = async (key: string) =>
    (await eks.send(new DescribeNodegroupCommand({ clusterName: n.cluster, nodegroupName: n.nodeGroup(key) }))).nodegroup!.scalingConfig!;
  const endpointStatus = async () =>
    sm.send(new DescribeEndpointCommand({ EndpointName: n.endpoint })).then(
      (e) => e.EndpointStatus ?? "?",
      () => "absent",
    );
  const scheduled = Object.entries(cfg.eks.nodeGroups).filter(([, g]) => g.scheduled);
  const before = Object.fromEntries(await Promise.all(scheduled.map(async ([k]) => [k, await scaling(k)] as const)));

  const act = async (action: "stop" | "start") => {
    // The emulator cannot run Lambda code without Docker: the same core the bundle runs, in-process.
    const summary = await scheduleCommand({ action, env: "sandbox", emulatorEndpoint: endpoint });
    say(`${action}: ${summary.results.map((r) => `${r.kind} ${r.id.split("/").pop()} ${r.outcome}`).join(", ")}`);
    return summary;
  };

  await act("stop");
  for (const [k] of scheduled) {
    const s = await scaling(k);
    if (s.minSize !== 0 || s.desiredSize !== 0) throw new Error(`after stop ${n.nodeGroup(k)} is ${JSON.stringify(s)}, expected min 0 / desired 0`);
    say(`${n.nodeGroup(k)} at zero (max ${s.maxSize})`);
  }
  if (cfg.sagemaker.endpointScheduled) {
    const st = await endpointStatus();
    if (st !== "absent") throw new Error(`after stop endpoint ${n.endpoint} is ${st}, expected deleted`);
    say(`${n.endpoint} deleted (config ${n.endpointConfig} kept)`);
  }

  await act("start");
  for (const [k] of scheduled) {
    const s = await scaling(k);
    const b = before[k];
    if (s.minSize !== b.minSize || s.desiredSize !== b.desiredSize || s.maxSize !== b.maxSize) {
      throw new Error(`after start ${n.nodeGroup(k)} is ${JSON.stringify(s)}, expected exactly ${JSON.stringify(b)}`);
    }
    say(`${n.nodeGroup(k)} back to min ${s.minSize} / desired ${s.desiredSize} / max ${s.maxSize}`);
  }
  if (cfg.sagemaker.endpointScheduled) {
    const st = await endpointStatus();
    if (st === "absent") throw new Error(`after start endpoint ${n.endpoint} was not recreated`);
    say(`${n.endpoint} recreated (${st})`);
  }
}

async function costEstimate(outdir: string): Promise<string[]> {
  const cli = path.join(REPO_ROOT, "cli", "cost.ts");
  if (!fs.existsSync(cli)) return ["cost estimate not available in this checkout"];
  const { stdout } = await run(process.execPath, [path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), cli, "estimate", "--env", "sandbox", "--synth", outdir, "--format", "table"], {
    cwd: REPO_ROOT,
    maxBuffer: 1 << 22,
  });
  return stdout.trimEnd().split("\n");
}

/** `npm start [-- --keep]`: exit code 0 when every phase passed. */
export async function main(argv: string[], extra: Omit<SandboxOptions, "keepEmulator"> = {}): Promise<number> {
  const unknown = argv.filter((a) => a !== "--keep");
  if (unknown.length) {
    console.error(`npm start: unknown argument ${unknown.map((a) => `'${a}'`).join(", ")} (allowed: --keep)`);
    return 2;
  }
  return (await runSandbox({ ...extra, keepEmulator: argv.includes("--keep") })).ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
