/**
 * Teardown and restore against the emulator with cdktf faked as a function (fake-cdktf in
 * helpers.ts does to the state what Terraform would). The real CLI process with a fake cdktf
 * binary is in process.test.ts, real Terraform in terraform-locks.test.ts, the real stacks in
 * the e2e sandbox run. One emulator for the file; each test sets up what it needs.
 */
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { CreateRepositoryCommand, PutImageCommand } from "@aws-sdk/client-ecr";
import { CreateLoadBalancerCommand, CreateTargetGroupCommand, DescribeLoadBalancersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import { main } from "../../../cli/ops";
import { opsContext } from "../../../cli/ops/context";
import { teardown } from "../../../cli/ops/teardown";
import { restore } from "../../../cli/ops/restore";
import { loadManifest } from "../../../cli/ops/backup";
import { acquireRunLock, pauseRecordKey, runLockKey, stateLockKey } from "../../../cli/ops/locks";
import { endpointRecordName } from "../../../lambda/scheduler/records";
import * as fx from "../../lambda/emulator/fixtures";
import { opsFixtures, opsSuite } from "./helpers";

jest.setTimeout(120_000);

const s = opsSuite();
const f = opsFixtures(() => s.ctx);

beforeAll(async () => {
  s.ctx = opsContext("sandbox", { emulatorEndpoint: s.emu.endpoint, log: s.log });
  await f.bucket(s.ctx.names.stateBucket, "sandbox-bootstrap");
  await f.bucket(s.ctx.names.backupBucket, "sandbox-bootstrap");
});

async function cli(argv: string[], deps: Parameters<typeof main>[1] = {}) {
  const err = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    const code = await main(argv, { emulatorEndpoint: s.emu.endpoint, log: s.log, ...deps });
    return { code, stderr: err.mock.calls.map((c) => String(c[0])).filter((s) => !/NodeVersionSupportWarning|node >=22|a\.co\/|trace-warnings|^\s*$|versions published|To continue receiving|security updates|More information/.test(s)).join("") };
  } finally {
    err.mockRestore();
  }
}

/** A running sandbox as the tests need it: data in all three buckets, compute and ops deployed. */
async function environment() {
  for (const b of f.dataBuckets()) await f.bucket(b, "sandbox-data");
  await f.put(s.ctx.names.dataBucket, "silver/sales.parquet", "silver-bytes");
  await f.put(s.ctx.names.dataBucket, "artifacts/features.json", "{}");
  await f.put(s.ctx.names.dataBucket, "raw/2026-11-23.csv", "raw-bytes");
  await f.put(s.ctx.names.modelsBucket, "forecast/model.tar.gz", "model-bytes");
  await f.put(s.ctx.names.artifactsBucket, "checkpoints/job-1/ckpt", "checkpoint-bytes");
  await f.deployedState("data", 3);
  await f.deployedState("compute", 4);
  await f.deleteSchedules();
  await f.deployOps();
}

describe("lifetimes: compute goes, ops and data stay", () => {
  test("a default teardown destroys only compute; the schedules and the training rule stay paused while it is gone; restore deploys compute and resumes exactly what was paused", async () => {
    await environment();
    // a rule somebody switched off on purpose before the teardown
    await fx.createRule(s.ctx.clients.events, "retail-forecast-sandbox-retrain-off", { Schedule: "office-hours", Environment: "sandbox", Stack: "sandbox-ops" }, "DISABLED");
    // what Terraform does not own: an endpoint made by hand, a scheduler record, a load balancer Kubernetes made
    await fx.createEndpoint(s.ctx.clients.sagemaker, "retail-forecast-sandbox-adhoc", { Environment: "sandbox" });
    await s.ctx.clients.ssm.send(new (await import("@aws-sdk/client-ssm")).PutParameterCommand({ Name: endpointRecordName("/retail-forecast/sandbox/scheduler", "gone-endpoint"), Value: "{}", Type: "String" }));
    const vpc = await s.ctx.clients.ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }));
    const subnets = await Promise.all(["a", "b"].map((az, i) => s.ctx.clients.ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: `10.9.${i}.0/24`, AvailabilityZone: `us-east-1${az}` }))));
    await s.ctx.clients.elbv2.send(new CreateLoadBalancerCommand({ Name: "k8s-ingress", Subnets: subnets.map((s) => s.Subnet!.SubnetId!), Tags: [{ Key: "elbv2.k8s.aws/cluster", Value: s.ctx.names.cluster }] }));
    await s.ctx.clients.elbv2.send(new CreateTargetGroupCommand({ Name: "k8s-tg", Protocol: "HTTP", Port: 80, VpcId: vpc.Vpc!.VpcId!, Tags: [{ Key: "elbv2.k8s.aws/cluster", Value: s.ctx.names.cluster }] }));
    const calls: string[] = [];

    // WHEN a dry run: THEN the plan is printed and nothing changes
    const dry = await teardown(s.ctx, { cdktf: f.fakeCdktf(calls), isTty: false });
    expect(dry.mode).toBe("dry-run");
    expect(s.output()).toMatch(/destroy sandbox-compute \[deployed\]; kept: sandbox-ops, sandbox-data \(persistent, schedules paused until restore\)/);
    expect(s.output()).toMatch(/2\. backup: none \(sandbox-data is kept; nothing destroyed holds data\)/);
    expect(s.output()).toMatch(/would disable: schedule retail-forecast-sandbox-scheduler-start/);
    expect(s.output()).toMatch(/would delete \(created by Kubernetes\): load-balancer k8s-ingress/);
    expect(calls).toEqual([]);
    expect(await f.scheduleStates()).toEqual({ start: "ENABLED", stop: "ENABLED", "stop-idle": "ENABLED" });

    // WHEN for real
    s.lines = [];
    const real = await teardown(s.ctx, { yes: true, cdktf: f.fakeCdktf(calls) });
    expect(real.steps.map((s) => [s.step, s.status])).toEqual([
      ["prepare", "done"],
      ["backup", "skipped"],
      ["pause", "done"],
      ["cleanup", "done"],
      ["destroy sandbox-compute", "done"],
      ["verify", "done"],
    ]);
    expect(calls).toEqual(["destroy sandbox-compute"]);
    // THEN ops is still there, paused: the schedules and the training rule, not the rule that was off already
    expect(await f.scheduleStates()).toEqual({ start: "DISABLED", stop: "DISABLED", "stop-idle": "DISABLED" });
    expect(await fx.ruleState(s.ctx.clients.events, s.ctx.names.trainingRule)).toBe("DISABLED");
    const record = JSON.parse(await f.read(s.ctx.names.stateBucket, pauseRecordKey(s.ctx)));
    expect(record.rules).toEqual([s.ctx.names.trainingRule]);
    expect(record.schedules.map((s: { name: string }) => s.name)).toEqual(["start", "stop", "stop-idle"].map(f.scheduleName));
    expect((await s.ctx.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).toHaveLength(0);
    expect(await fx.readParam(s.ctx.clients.ssm, endpointRecordName("/retail-forecast/sandbox/scheduler", "gone-endpoint"))).toBeUndefined();
    expect(real.left).toMatch(/Destroyed: sandbox-compute destroyed\. Kept: sandbox-bootstrap, sandbox-ops, sandbox-data; the scheduler's schedules and the training rule stay paused until restore/);
    // the data is untouched and no backup was taken (the data stack keeps it)
    expect(await f.read(s.ctx.names.dataBucket, "raw/2026-11-23.csv")).toBe("raw-bytes");
    expect(real.backupId).toBeUndefined();

    // a rerun finishes without redoing anything
    s.lines = [];
    const again = await teardown(s.ctx, { yes: true, cdktf: f.fakeCdktf(calls) });
    expect(again.ok).toBe(true);
    expect(again.steps.find((s) => s.step === "destroy sandbox-compute")?.status).toBe("skipped");
    expect(calls).toHaveLength(1);

    // WHEN restore: THEN compute (only) is deployed, no data is copied over the live data, and exactly what was paused is resumed
    s.lines = [];
    const r = await restore(s.ctx, { cdktf: f.fakeCdktf(calls) });
    expect(r.ok).toBe(true);
    expect(calls.slice(1)).toEqual(["deploy sandbox-compute"]);
    expect(r.steps.find((s) => s.step === "restore data")).toMatchObject({ status: "skipped", detail: "sandbox-data kept: its buckets hold the live data" });
    expect(await f.scheduleStates()).toEqual({ start: "ENABLED", stop: "ENABLED", "stop-idle": "ENABLED" });
    expect(await fx.ruleState(s.ctx.clients.events, s.ctx.names.trainingRule)).toBe("ENABLED");
    expect(await fx.ruleState(s.ctx.clients.events, "retail-forecast-sandbox-retrain-off")).toBe("DISABLED");
    expect(await f.exists(s.ctx.names.stateBucket).then(() => f.read(s.ctx.names.stateBucket, pauseRecordKey(s.ctx)).catch(() => "gone"))).toBe("gone");
    // verify says only what it checked
    expect(r.steps.find((s) => s.step === "verify")?.detail).toBe("checked: sandbox-compute hold resources in their state");
    await s.ctx.clients.events.send(new (await import("@aws-sdk/client-eventbridge")).DeleteRuleCommand({ Name: "retail-forecast-sandbox-retrain-off" }));
  });

  test("--include-ops destroys the ops stack too (consumers first), and restore deploys it again because its state is empty", async () => {
    await environment();
    const calls: string[] = [];
    const t = await teardown(s.ctx, { yes: true, includeOps: true, cdktf: f.fakeCdktf(calls) });
    expect(t.ok).toBe(true);
    expect(calls).toEqual(["destroy sandbox-ops", "destroy sandbox-compute"]);
    const r = await restore(s.ctx, { cdktf: f.fakeCdktf(calls) });
    expect(r.ok).toBe(true);
    expect(calls.slice(2)).toEqual(["deploy sandbox-compute", "deploy sandbox-ops"]);
    expect(await f.scheduleStates()).toEqual({ start: "ENABLED", stop: "ENABLED", "stop-idle": "ENABLED" });
  });
});

describe("--include-data covers all the data", () => {
  test("the dry run lists every bucket with objects and GB; the run backs up every object (raw/ and the artifacts bucket too), empties and destroys the data stack; restore brings every object back", async () => {
    await environment();
    const calls: string[] = [];
    await teardown(s.ctx, { includeData: true, isTty: false, cdktf: f.fakeCdktf(calls) });
    expect(s.output()).toMatch(/bucket retail-forecast-sandbox-data-123456789012: 3 object\(s\), 0\.000 GB \(\d+ B\): every object backed up/);
    expect(s.output()).toMatch(/bucket retail-forecast-sandbox-artifacts-123456789012: 1 object\(s\)/);
    expect(s.output()).toMatch(/bucket retail-forecast-sandbox-models-123456789012: 1 object\(s\)/);
    expect(calls).toEqual([]);

    s.lines = [];
    const t = await teardown(s.ctx, { yes: true, includeData: true, cdktf: f.fakeCdktf(calls) });
    expect(t.steps.map((s) => [s.step, s.status])).toEqual([
      ["prepare", "done"],
      ["backup", "done"],
      ["pause", "done"],
      ["cleanup", "skipped"],
      ["destroy sandbox-compute", "done"],
      ["empty sandbox-data", "done"],
      ["destroy sandbox-data", "done"],
      ["verify", "done"],
    ]);
    // the fake destroy deletes the buckets as Terraform does: it fails on a bucket that is not empty
    for (const b of f.dataBuckets()) expect(await f.exists(b)).toBe(false);
    const m = await loadManifest(s.ctx, t.backupId);
    expect(m.scope).toBe("full");
    expect(m.entries.map((e) => `${e.source}:${e.key}`).sort()).toEqual([
      "artifacts:checkpoints/job-1/ckpt",
      "data:artifacts/features.json",
      "data:raw/2026-11-23.csv",
      "data:silver/sales.parquet",
      "models:forecast/model.tar.gz",
    ]);

    s.lines = [];
    const r = await restore(s.ctx, { cdktf: f.fakeCdktf(calls) });
    expect(r.ok).toBe(true);
    expect(calls.slice(-2)).toEqual(["deploy sandbox-data", "deploy sandbox-compute"]);
    expect(await f.read(s.ctx.names.dataBucket, "raw/2026-11-23.csv")).toBe("raw-bytes");
    expect(await f.read(s.ctx.names.artifactsBucket, "checkpoints/job-1/ckpt")).toBe("checkpoint-bytes");
    expect(await f.read(s.ctx.names.modelsBucket, "forecast/model.tar.gz")).toBe("model-bytes");
    expect(r.steps.find((s) => s.step === "verify")?.detail).toMatch(/5 object\(s\) match backup .* \(size and sha256\)/);
  });

  test("fails when data no backup covers would go (ECR images): refused before anything changes, unless --accept-data-loss", async () => {
    await environment();
    const repo = s.ctx.names.ecrRepository("training");
    await s.ctx.clients.ecr.send(new CreateRepositoryCommand({ repositoryName: repo })).catch(() => undefined);
    await s.ctx.clients.ecr.send(new PutImageCommand({ repositoryName: repo, imageTag: "dev-1", imageManifestMediaType: "application/vnd.docker.distribution.manifest.v2+json", imageManifest: JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.docker.distribution.manifest.v2+json", config: { digest: "sha256:1" }, layers: [] }) }));
    const calls: string[] = [];
    const r = await cli(["teardown", "sandbox", "--yes", "--include-data"], { cdktf: f.fakeCdktf(calls) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ops: --include-data would destroy 1 item\(s\) that no backup covers: 1 image\(s\) in ECR repository retail-forecast-sandbox\/training \(images are not backed up\)\. Nothing changed\. .* or add --accept-data-loss\n$/);
    expect(calls).toEqual([]);
    expect(await f.scheduleStates()).toEqual({ start: "ENABLED", stop: "ENABLED", "stop-idle": "ENABLED" });

    const ok = await cli(["teardown", "sandbox", "--yes", "--include-data", "--accept-data-loss"], { cdktf: f.fakeCdktf(calls) });
    expect(ok).toEqual({ code: 0, stderr: "" });
    expect(s.output()).toMatch(/empty sandbox-data[\s\S]*done: \d+ object version\(s\) and 1 image\(s\) deleted/);
    await restore(s.ctx, { cdktf: f.fakeCdktf(calls) });
  });

  test("fails when --accept-data-loss is given without --include-data (a flag error, before any AWS call)", async () => {
    const r = await cli(["teardown", "moon", "--yes", "--accept-data-loss"]);
    expect(r).toEqual({ code: 1, stderr: "ops: --accept-data-loss only goes with --include-data (without it no data is destroyed)\n" });
  });
});

describe("a destroy that fails or stops half way", () => {
  test("fails before anything was destroyed: the paused schedules are resumed and the message says so; the rerun finishes", async () => {
    await environment();
    const calls: string[] = [];
    const failing = f.fakeCdktf(calls, { before: async () => Promise.reject(new Error("Error: provider crashed")) });
    const r = await cli(["teardown", "sandbox", "--yes"], { cdktf: failing });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ops: teardown sandbox did not complete: destroy sandbox-compute failed \(Error: provider crashed\)\. Teardown stopped \(destroy of sandbox-compute failed\) before anything was destroyed: the environment is as it was; the 4 schedule\(s\) and rule\(s\) it paused are resumed\. Terraform saved its state and released its lock\. To finish the teardown: npm run ops -- teardown sandbox --yes\n$/);
    expect(await f.scheduleStates()).toEqual({ start: "ENABLED", stop: "ENABLED", "stop-idle": "ENABLED" });
    expect(await fx.ruleState(s.ctx.clients.events, s.ctx.names.trainingRule)).toBe("ENABLED");
    expect(await cli(["teardown", "sandbox", "--yes"], { cdktf: f.fakeCdktf(calls) })).toEqual({ code: 0, stderr: "" });
    await restore(s.ctx, { cdktf: f.fakeCdktf(calls) });
  });

  test("fails half way (part of compute destroyed): the schedules stay paused, the message says what is left and both ways on", async () => {
    await environment();
    const calls: string[] = [];
    const halfway = f.fakeCdktf(calls, {
      before: async (_verb, kind) => {
        await f.deployedState(kind, 2);
        throw new Error("Error: deleting EKS cluster: timeout");
      },
    });
    const r = await cli(["teardown", "sandbox", "--yes"], { cdktf: halfway });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Teardown stopped \(destroy of sandbox-compute failed\) half way: sandbox-compute partly destroyed \(2 of 4 resources left\)\. The schedules and rules it paused stay paused .* To finish: npm run ops -- teardown sandbox --yes; to bring it back instead: npm run ops -- restore sandbox\n$/);
    expect(await f.scheduleStates()).toEqual({ start: "DISABLED", stop: "DISABLED", "stop-idle": "DISABLED" });
    expect(await cli(["teardown", "sandbox", "--yes"], { cdktf: f.fakeCdktf(calls) })).toEqual({ code: 0, stderr: "" });
    await restore(s.ctx, { cdktf: f.fakeCdktf(calls) });
    expect(await f.scheduleStates()).toEqual({ start: "ENABLED", stop: "ENABLED", "stop-idle": "ENABLED" });
  });
});

describe("locks", () => {
  const lockInfo = { ID: "6f2c1a4e-0b1d-4c8e-9d7a-2f3b4c5d6e7f", Operation: "OperationTypeApply", Info: "", Who: "alice@laptop", Version: "1.11.4", Created: new Date(Date.now() - 42 * 60_000).toISOString(), Path: "x" };

  test("fails when a Terraform lock is held on a stack to destroy: refused before any change with its id, holder and age; unlock needs the id typed, then the rerun goes", async () => {
    await environment();
    await f.put(s.ctx.names.stateBucket, stateLockKey(s.ctx, "compute"), JSON.stringify(lockInfo));
    const calls: string[] = [];
    const r = await cli(["teardown", "sandbox", "--yes"], { cdktf: f.fakeCdktf(calls) });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "ops: sandbox-compute is locked: lock 6f2c1a4e-0b1d-4c8e-9d7a-2f3b4c5d6e7f, apply by alice@laptop since " +
        `${lockInfo.Created} (42 min ago); if that run is still going, wait for it; if it died, release the lock with: npm run ops -- unlock sandbox compute; nothing changed\n`,
    );
    expect(calls).toEqual([]);
    expect(await f.scheduleStates()).toEqual({ start: "ENABLED", stop: "ENABLED", "stop-idle": "ENABLED" });

    // without a terminal, only --lock-id confirms; a wrong id releases nothing
    expect(await cli(["unlock", "sandbox", "compute"], { isTty: false })).toEqual({ code: 1, stderr: `ops: no terminal to confirm at: pass --lock-id ${lockInfo.ID} to release it\n` });
    const typed = await cli(["unlock", "sandbox", "compute"], { isTty: true, prompt: async () => "6f2c" });
    expect(typed).toEqual({ code: 1, stderr: `ops: '6f2c' is not the lock id ${lockInfo.ID}: nothing released\n` });
    expect(await f.read(s.ctx.names.stateBucket, stateLockKey(s.ctx, "compute"))).toContain(lockInfo.ID);
    expect(await cli(["unlock", "sandbox", "sandbox-compute", "--lock-id", lockInfo.ID])).toEqual({ code: 0, stderr: "" });
    expect(s.output()).toMatch(/released: sandbox-compute is locked: lock 6f2c1a4e/);
    expect(await cli(["unlock", "sandbox", "compute", "--lock-id", lockInfo.ID])).toEqual({ code: 1, stderr: "ops: no lock is held on sandbox-compute: nothing to release\n" });

    expect(await cli(["teardown", "sandbox", "--yes"], { cdktf: f.fakeCdktf(calls) })).toEqual({ code: 0, stderr: "" });
    await restore(s.ctx, { cdktf: f.fakeCdktf(calls) });
  });

  test("fails when unlock names something that is not a stack or the run lock", async () => {
    const r = await cli(["unlock", "sandbox", "bootstrap"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/<stack> must be one of data, compute, ops, run, got 'bootstrap'/);
  });

  test("two runs at once: the second refuses, naming the first (pid, host, start time), and changes nothing; a run lock whose process died on this host is taken over", async () => {
    await environment();
    const calls: string[] = [];
    let second: Awaited<ReturnType<typeof cli>> | undefined;
    // the first run is in its destroy when the second starts
    const first = teardown(s.ctx, {
      yes: true,
      cdktf: f.fakeCdktf(calls, {
        before: async () => {
          second = await cli(["teardown", "sandbox", "--yes"], { cdktf: f.fakeCdktf(calls) });
        },
      }),
    });
    expect((await first).ok).toBe(true);
    expect(second?.code).toBe(1);
    expect(second?.stderr).toMatch(new RegExp(`^ops: another run holds environment 'sandbox': ops teardown \\(pid ${process.pid} on .+, started \\d{4}-\\d\\d-\\d\\dT.*Z, \\d+ s ago\\); nothing changed\\. if that run is still going, wait for it; if it died, release the lock with: npm run ops -- unlock sandbox run\\n$`));
    expect(calls).toEqual(["destroy sandbox-compute"]);
    // the first released its lock when it ended
    await expect(s.ctx.clients.s3.send(new GetObjectCommand({ Bucket: s.ctx.names.stateBucket, Key: runLockKey(s.ctx) }))).rejects.toThrow();

    // a lock left by a process that no longer runs (pid 2^22 + 1 is above Linux's pid_max) is stale: taken over
    await s.ctx.clients.s3.send(new PutObjectCommand({ Bucket: s.ctx.names.stateBucket, Key: runLockKey(s.ctx), Body: JSON.stringify({ runId: "old", command: "teardown", pid: 4194305, host: require("os").hostname(), startedAt: new Date().toISOString() }) }));
    s.lines = [];
    const r = await restore(s.ctx, { cdktf: f.fakeCdktf(calls) });
    expect(r.ok).toBe(true);
    expect(s.output()).toMatch(/note: taking over the run lock of ops teardown \(pid 4194305 on .*\): that run is gone/);

    // one from another machine is not: refused, and `unlock <env> run` releases it
    const held = await acquireRunLock(s.ctx, "restore");
    await s.ctx.clients.s3.send(new PutObjectCommand({ Bucket: s.ctx.names.stateBucket, Key: runLockKey(s.ctx), Body: JSON.stringify({ ...held.info, host: "ci-runner-7" }) }));
    expect((await cli(["restore", "sandbox"], { cdktf: f.fakeCdktf(calls) })).stderr).toMatch(/another run holds environment 'sandbox': ops restore \(pid \d+ on ci-runner-7/);
    expect(await cli(["unlock", "sandbox", "run", "--lock-id", held.info.runId])).toEqual({ code: 0, stderr: "" });
    await s.ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: s.ctx.names.stateBucket, Key: runLockKey(s.ctx) })).catch(() => undefined);

    // a killed build machine: another host, nobody refreshed the lock for 11 minutes: stale, taken over
    const old = new Date(Date.now() - 11 * 60_000).toISOString();
    await s.ctx.clients.s3.send(new PutObjectCommand({ Bucket: s.ctx.names.stateBucket, Key: runLockKey(s.ctx), Body: JSON.stringify({ runId: "gone", command: "teardown", pid: 1, host: "codebuild-42", startedAt: old, heartbeatAt: old }) }));
    s.lines = [];
    expect((await restore(s.ctx, { cdktf: f.fakeCdktf(calls) })).ok).toBe(true);
    expect(s.output()).toMatch(/note: taking over the run lock of ops teardown \(pid 1 on codebuild-42, started .*, 11 min ago\): that run is gone \(process not running, or lock not refreshed for 10 min\)/);
  });
});

describe("restore verifies, then writes", () => {
  /** A full backup of the environment as it is now, and the live object it will be restored over. */
  async function backupThenChangeLiveData() {
    await environment();
    const calls: string[] = [];
    const t = await teardown(s.ctx, { yes: true, includeData: true, cdktf: f.fakeCdktf(calls) });
    expect(t.ok).toBe(true);
    // data is redeployed empty apart from one object written since
    for (const b of f.dataBuckets()) await f.bucket(b, "sandbox-data");
    await f.deployedState("data", 3);
    await f.put(s.ctx.names.dataBucket, "silver/sales.parquet", "live-bytes-written-since");
    const key = `sandbox/${t.backupId}/manifest.json`;
    const manifest = JSON.parse(await f.read(s.ctx.names.backupBucket, key));
    return { id: t.backupId!, key, manifest, calls };
  }
  const restoreWith = async (id: string, calls: string[]) => cli(["restore", "sandbox", "--backup", id, "--skip-deploy"], { cdktf: f.fakeCdktf(calls) });
  const liveUntouched = async () => expect(await f.read(s.ctx.names.dataBucket, "silver/sales.parquet")).toBe("live-bytes-written-since");

  test("fails when the manifest is corrupted (edited into something else): refused naming the field, nothing live touched", async () => {
    const b = await backupThenChangeLiveData();
    await f.put(s.ctx.names.backupBucket, b.key, JSON.stringify({ ...b.manifest, entries: b.manifest.entries.map((e: { sha256: string }, i: number) => (i ? e : { ...e, sha256: "0" })) }));
    const r = await restoreWith(b.id, b.calls);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^ops: s3://${s.ctx.names.backupBucket}/${b.key} is not a manifest this tool wrote: entries\\.0\\.sha256 is "0" \\(64 lowercase hex digits\\)\\n$`));
    await liveUntouched();
  });

  test("fails when the manifest is incomplete (cut short): refused, nothing live touched", async () => {
    const b = await backupThenChangeLiveData();
    await f.put(s.ctx.names.backupBucket, b.key, JSON.stringify({ ...b.manifest, entries: b.manifest.entries.slice(1) }));
    const r = await restoreWith(b.id, b.calls);
    expect(r.stderr).toMatch(/totalBytes is \d+, but the entries add up to \d+: the manifest was edited or cut short/);
    await liveUntouched();
  });

  test("fails when an entry is out of scope (pointed at the Terraform state bucket): refused, the state untouched", async () => {
    const b = await backupThenChangeLiveData();
    const evil = { ...b.manifest.entries[0], bucket: s.ctx.names.stateBucket, key: s.ctx.names.stateKey("compute") };
    await f.put(s.ctx.names.backupBucket, b.key, JSON.stringify({ ...b.manifest, entries: [evil, ...b.manifest.entries.slice(1)] }));
    const before = await f.read(s.ctx.names.stateBucket, s.ctx.names.stateKey("compute"));
    const r = await restoreWith(b.id, b.calls);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`names bucket ${s.ctx.names.stateBucket}, but ${evil.source} objects of 'sandbox' live in`);
    expect(await f.read(s.ctx.names.stateBucket, s.ctx.names.stateKey("compute"))).toBe(before);
    await liveUntouched();
  });

  test("fails when a backup copy is damaged (bad checksum) or missing: the error names bucket and key, nothing live touched; the restore of a good backup then works", async () => {
    const b = await backupThenChangeLiveData();
    const sales = b.manifest.entries.find((e: { key: string }) => e.key === "silver/sales.parquet");
    const raw = b.manifest.entries.find((e: { key: string }) => e.key === "raw/2026-11-23.csv");
    await f.put(s.ctx.names.backupBucket, sales.backupKey, "XXXXXXXXXXXX"); // same size, other bytes
    await s.ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: s.ctx.names.backupBucket, Key: raw.backupKey }));
    const r = await restoreWith(b.id, b.calls);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`backup ${b.id} is damaged, nothing restored`);
    expect(r.stderr).toContain(`s3://${s.ctx.names.backupBucket}/${sales.backupKey} (copy of s3://${s.ctx.names.dataBucket}/silver/sales.parquet): sha256 differs from the manifest's`);
    expect(r.stderr).toContain(`s3://${s.ctx.names.backupBucket}/${raw.backupKey} (copy of s3://${s.ctx.names.dataBucket}/raw/2026-11-23.csv): missing from the backup`);
    await liveUntouched();
    expect(await f.exists(s.ctx.names.dataBucket)).toBe(true);
    await expect(f.read(s.ctx.names.dataBucket, "raw/2026-11-23.csv")).rejects.toThrow();

    // repaired: the restore goes through and checks what it wrote
    await f.put(s.ctx.names.backupBucket, sales.backupKey, "silver-bytes");
    await f.put(s.ctx.names.backupBucket, raw.backupKey, "raw-bytes");
    s.lines = [];
    expect(await restoreWith(b.id, b.calls)).toEqual({ code: 0, stderr: "" });
    expect(await f.read(s.ctx.names.dataBucket, "silver/sales.parquet")).toBe("silver-bytes");
    expect(s.output()).toMatch(/5 object\(s\) match backup/);
    await restore(s.ctx, { cdktf: f.fakeCdktf(b.calls) });
  });

  test("fails when --backup is empty (it used to mean 'latest'): a flag error, before any AWS call", async () => {
    const r = await cli(["restore", "moon", "--backup", ""]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--backup must be a backup id like 2026-11-24T16-05-09-123Z \(omit the flag for the latest\), got ''/);
  });
});
