/**
 * The ops CLI against the local emulator with the sandbox config: train, endpoints, the account
 * guard, teardown (dry run, then for real with cdktf replaced by a fake that empties the state),
 * backup / restore round trip with checksums, verify. One emulator for the file.
 */
import { CreateBucketCommand, DeleteObjectCommand, GetObjectCommand, PutBucketTaggingCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { DescribeEndpointConfigCommand, DescribeHyperParameterTuningJobCommand, DescribeTrainingJobCommand, ListTrainingJobsCommand } from "@aws-sdk/client-sagemaker";
import { CreateLoadBalancerCommand, CreateTargetGroupCommand, DescribeLoadBalancersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { CreateSubnetCommand, CreateVpcCommand } from "@aws-sdk/client-ec2";
import { DeleteRuleCommand } from "@aws-sdk/client-eventbridge";
import { CreateScheduleCommand, DeleteScheduleCommand, GetScheduleCommand } from "@aws-sdk/client-scheduler";
import { Emulator, startEmulator } from "../../../sandbox/emulator";
import { main } from "../../../cli/ops";
import { ContextOptions, opsContext, OpsContext } from "../../../cli/ops/context";
import { train } from "../../../cli/ops/train";
import { listEndpointRows, stopIdle, toServerless } from "../../../cli/ops/endpoints";
import { teardown } from "../../../cli/ops/teardown";
import { restore } from "../../../cli/ops/restore";
import { pauseActions, resumeActions, runActions } from "../../../cli/ops/cleanup";
import { currentFacts, takeBackup, restoreData, loadManifest } from "../../../cli/ops/backup";
import { verifyEnvironment } from "../../../cli/ops/verify";
import { diffManifest } from "../../../cli/ops/plan";
import { scheduleCommand } from "../../../cli/schedule";
import { endpointRecordName } from "../../../lambda/scheduler/records";
import * as fx from "../../lambda/emulator/fixtures";

jest.setTimeout(120_000);

let emu: Emulator;
let lines: string[];
let ctx: OpsContext;
const log = (l: string) => void lines.push(l);
const output = () => lines.join("\n");

beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu?.stop();
});
beforeEach(() => {
  lines = [];
  ctx = opsContext("sandbox", { emulatorEndpoint: emu.endpoint, log });
});

/** Runs the CLI entry; returns exit code, stdout lines (through log) and stderr. */
async function cli(argv: string[], configure?: ContextOptions["configure"]) {
  const err = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    const code = await main(argv, { emulatorEndpoint: emu.endpoint, log, configure });
    return { code, stderr: err.mock.calls.map((c) => String(c[0])).join("") };
  } finally {
    err.mockRestore();
  }
}

const put = (bucket: string, key: string, body: string) => ctx.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
const read = async (bucket: string, key: string) => (await ctx.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
async function bucket(name: string, stack: string) {
  await ctx.clients.s3.send(new CreateBucketCommand({ Bucket: name }));
  await ctx.clients.s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [{ Key: "Environment", Value: "sandbox" }, { Key: "Stack", Value: stack }] } }));
}
/** What a deployed stack's state looks like to the CLI (it only counts managed resources). */
const deployedState = (kind: string) => put(ctx.names.stateBucket, ctx.names.stateKey(kind), JSON.stringify({ version: 4, resources: [{ mode: "managed", type: "x", name: "y" }] }));
/** The ops stack's EventBridge Scheduler schedules, as Terraform creates them. */
const SCHEDULE_ACTIONS = ["start", "stop", "stop-idle"] as const;
const scheduleName = (a: string) => `${ctx.names.schedulerFunction}-${a}`;
async function createSchedules() {
  for (const a of SCHEDULE_ACTIONS) {
    await ctx.clients.scheduler.send(
      new CreateScheduleCommand({
        Name: scheduleName(a),
        Description: `${a} on weekdays`,
        ScheduleExpression: a === "start" ? "cron(0 7 ? * MON-FRI *)" : "cron(0 19 ? * MON-FRI *)",
        ScheduleExpressionTimezone: "Europe/Berlin",
        FlexibleTimeWindow: { Mode: "OFF" },
        State: "ENABLED",
        Target: {
          Arn: `arn:aws:lambda:us-east-1:123456789012:function:${ctx.names.schedulerFunction}`,
          RoleArn: fx.ROLE,
          Input: JSON.stringify({ action: a }),
          DeadLetterConfig: { Arn: "arn:aws:sqs:us-east-1:123456789012:scheduler-dlq" },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        },
      }),
    );
  }
}
const deleteSchedules = () => Promise.all(SCHEDULE_ACTIONS.map((a) => ctx.clients.scheduler.send(new DeleteScheduleCommand({ Name: scheduleName(a) }))));
const getSchedule = (a: string) => ctx.clients.scheduler.send(new GetScheduleCommand({ Name: scheduleName(a) }));
async function scheduleStates() {
  return Object.fromEntries(await Promise.all(SCHEDULE_ACTIONS.map(async (a) => [a, (await getSchedule(a)).State] as const)));
}
const emptyState = (kind: string) => put(ctx.names.stateBucket, ctx.names.stateKey(kind), JSON.stringify({ version: 4, resources: [] }));

describe("train", () => {
  test("creates a training job with managed spot, both stopping times, checkpoints and cost tags", async () => {
    const r = await train(ctx, { jobName: "spot-job-1", maxRuntimeSec: 600, maxWaitSec: 1200, instanceType: "ml.m5.large", wait: true, delayMs: () => 50 });
    expect(r.sent).toBe(true);
    const d = await ctx.clients.sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: "spot-job-1" }));
    expect(d.EnableManagedSpotTraining).toBe(true);
    expect(d.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 600, MaxWaitTimeInSeconds: 1200 });
    expect(d.CheckpointConfig?.S3Uri).toBe(`s3://${ctx.names.artifactsBucket}/checkpoints/spot-job-1/`);
    expect(d.RoleArn).toBe(`arn:aws:iam::123456789012:role/${ctx.names.sagemakerRole}`);
    expect(d.ResourceConfig?.InstanceType).toBe("ml.m5.large");
    expect(output()).toMatch(/training job spot-job-1: Completed; training \d+ s, billable \d+ s, spot saving/);
  });

  test("fails when max wait is not above max runtime: one line, exit 1, nothing sent", async () => {
    const before = (await ctx.clients.sagemaker.send(new ListTrainingJobsCommand({}))).TrainingJobSummaries?.length ?? 0;
    const r = await cli(["train", "--env", "sandbox", "--max-runtime-sec", "3600", "--max-wait-sec", "3600"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("ops: --max-wait-sec (3600) must be greater than --max-runtime-sec (3600): managed spot waits for capacity on top of the run time\n");
    expect((await ctx.clients.sagemaker.send(new ListTrainingJobsCommand({}))).TrainingJobSummaries?.length ?? 0).toBe(before);
  });

  test("dry run prints the request and sends nothing", async () => {
    const before = (await ctx.clients.sagemaker.send(new ListTrainingJobsCommand({}))).TrainingJobSummaries?.length ?? 0;
    const r = await cli(["train", "--env", "sandbox", "--job-name", "dry-1", "--dry-run", "--hyperparameter", "eta=0.1"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(output().slice(0, output().lastIndexOf("}") + 1));
    expect(json).toMatchObject({ TrainingJobName: "dry-1", EnableManagedSpotTraining: true, HyperParameters: { eta: "0.1" } });
    expect((await ctx.clients.sagemaker.send(new ListTrainingJobsCommand({}))).TrainingJobSummaries?.length ?? 0).toBe(before);
  });

  test("tune: a hyperparameter tuning job whose training job definition runs on managed spot", async () => {
    const r = await cli(["tune", "--env", "sandbox", "--job-name", "tune-1", "--max-jobs", "4", "--max-parallel", "2"]);
    expect(r).toEqual({ code: 0, stderr: "" });
    const d = await ctx.clients.sagemaker.send(new DescribeHyperParameterTuningJobCommand({ HyperParameterTuningJobName: "tune-1" }));
    expect(d.TrainingJobDefinition).toMatchObject({ EnableManagedSpotTraining: true, StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 } });
    expect(d.HyperParameterTuningJobConfig?.ResourceLimits).toMatchObject({ MaxNumberOfTrainingJobs: 4, MaxParallelTrainingJobs: 2 });
  });

  test("fails when a flag is malformed: commander's one-line error, exit 2", async () => {
    const r = await cli(["train", "--env", "sandbox", "--instance-count", "two"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/--instance-count must be a whole number, got 'two'/);
  });
});

describe("guards and bad input", () => {
  test("fails when the credentials are for another account: refused before anything changes", async () => {
    const r = await cli(["teardown", "sandbox", "--yes"], (cfg) => ({ ...cfg, accountId: "999999999999" }));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("ops: credentials are for account 123456789012, but environment 'sandbox' is account 999999999999: refusing to act\n");
    const t = await cli(["train", "--env", "sandbox", "--job-name", "wrong-acct"], (cfg) => ({ ...cfg, accountId: "999999999999" }));
    expect(t.code).toBe(1);
  });

  test("fails when the typed confirmation is not the environment's name: nothing changed", async () => {
    await ctx.clients.s3.send(new CreateBucketCommand({ Bucket: ctx.names.stateBucket }));
    await deployedState("compute");
    const asked: string[] = [];
    const err = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const code = await main(["teardown", "sandbox"], { emulatorEndpoint: emu.endpoint, log, isTty: true, prompt: async (q) => (asked.push(q), "dev") });
      expect(code).toBe(1);
      expect(err.mock.calls.map((c) => String(c[0])).join("")).toBe("ops: confirmation 'dev' does not match 'sandbox': nothing changed\n");
    } finally {
      err.mockRestore();
    }
    expect(asked).toEqual(["Type the environment name (sandbox) to tear it down: "]);
    expect(output()).toMatch(/1\. backup: /); // the plan was shown before the question
    await ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: ctx.names.stateBucket, Key: ctx.names.stateKey("compute") }));
  });

  test("fails when prod is torn down without --i-understand-prod (checked before any AWS call)", async () => {
    const r = await cli(["teardown", "prod", "--yes"], (cfg) => ({ ...cfg, accountId: "123456789012", emulatorEndpoint: emu.endpoint }));
    expect(r).toEqual({ code: 1, stderr: "ops: prod: add --i-understand-prod to act on production (a dry run needs no flag)\n" });
  });

  test("fails when the environment is unknown", async () => {
    const r = await cli(["teardown", "moon"]);
    expect(r).toEqual({ code: 1, stderr: expect.stringMatching(/^ops: .*'moon' is not known \(allowed: dev, staging, prod, sandbox\)\n$/) });
  });

  test("fails when the stacks were never deployed", async () => {
    const r = await cli(["teardown", "sandbox", "--yes"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ops: sandbox-ops, sandbox-compute were never deployed \(no Terraform state\): nothing to tear down in account 123456789012\n$/);
  });

  test("fails when there are no credentials at all", async () => {
    const saved = { ...process.env };
    for (const k of ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]) delete process.env[k];
    Object.assign(process.env, { AWS_EC2_METADATA_DISABLED: "true", AWS_CONFIG_FILE: "/nonexistent", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent" });
    try {
      const r = await cli(["endpoints", "list", "--env", "dev"]);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/^ops: no usable AWS credentials for environment 'dev': .*\n$/);
    } finally {
      process.env = saved;
    }
  });
});

describe("endpoints", () => {
  test("list, stop-idle (dry run, then --yes), and the scheduler's start brings them back", async () => {
    await fx.createEndpoint(ctx.clients.sagemaker, "retail-forecast-sandbox-idle", { Schedule: "office-hours", Environment: "sandbox" });
    await fx.createEndpoint(ctx.clients.sagemaker, "retail-forecast-sandbox-pinned", { Schedule: "office-hours", AutoStop: "false" });

    const rows = await listEndpointRows(ctx, 3600);
    expect(rows.find((r) => r.name === "retail-forecast-sandbox-idle")).toMatchObject({ status: "InService", capacity: "ml.t2.medium x1", invocations: 0, schedule: "office-hours" });

    // endpoints younger than the window are never idle: look from an hour ahead
    const later = () => new Date(Date.now() + 2 * 3600_000);
    const dry = await stopIdle(ctx, { thresholdInvocations: 1, windowSec: 3600, now: later });
    expect(dry.dryRun).toBe(true);
    expect(await fx.endpointStatus(ctx.clients.sagemaker, "retail-forecast-sandbox-idle")).toMatchObject({ status: "InService" });

    const stop = await stopIdle(ctx, { thresholdInvocations: 1, windowSec: 3600, yes: true, now: later });
    expect(stop.results.find((r) => r.id === "retail-forecast-sandbox-idle")?.outcome).toBe("stopped");
    expect(stop.results.find((r) => r.id === "retail-forecast-sandbox-pinned")?.outcome).toBe("skipped");
    expect(await fx.readParam(ctx.clients.ssm, endpointRecordName("/retail-forecast/sandbox/scheduler", "retail-forecast-sandbox-idle"))).toBeDefined();
    expect((await listEndpointRows(ctx, 3600)).find((r) => r.name === "retail-forecast-sandbox-idle")?.status).toMatch(/^(Deleting|Stopped by stop-idle)/);

    const start = await scheduleCommand({ action: "start", env: "sandbox", emulatorEndpoint: emu.endpoint });
    expect(start.results.find((r) => r.id === "retail-forecast-sandbox-idle")?.outcome).toBe("started");
    expect(await fx.endpointStatus(ctx.clients.sagemaker, "retail-forecast-sandbox-idle")).toMatchObject({ config: "retail-forecast-sandbox-idle-config" });
  });

  test("to-serverless: dry run changes nothing, --yes moves the endpoint to a serverless config", async () => {
    await fx.createEndpoint(ctx.clients.sagemaker, "to-sls", {});
    const dry = await toServerless(ctx, "to-sls", {});
    expect(dry.sent).toBe(false);
    expect((await fx.endpointStatus(ctx.clients.sagemaker, "to-sls"))?.config).toBe("to-sls-config");
    const real = await cli(["endpoints", "to-serverless", "to-sls", "--env", "sandbox", "--memory-mb", "2048", "--max-concurrency", "2", "--yes"]);
    const configName = [...output().matchAll(/-> (to-sls-serverless-\d+)/g)].pop()?.[1];
    expect(configName).toBeDefined();
    const created = await ctx.clients.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName }));
    expect(created.ProductionVariants?.[0]).toMatchObject({ ModelName: "to-sls-model", ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 2 } });
    expect(real).toEqual({ code: 0, stderr: "" });
    expect((await fx.endpointStatus(ctx.clients.sagemaker, "to-sls"))?.config).toBe(configName);
    const bad = await cli(["endpoints", "to-serverless", "nope", "--env", "sandbox"]);
    expect(bad).toEqual({ code: 1, stderr: "ops: endpoint nope does not exist in us-east-1\n" });
  });

  test("the schedule command is mounted", async () => {
    // the scheduler's command reads the emulator from SANDBOX_ENDPOINT, like a user's shell
    process.env.SANDBOX_ENDPOINT = emu.endpoint;
    try {
      const r = await cli(["schedule", "stop", "--env", "sandbox", "--dry-run"]);
      expect(r).toEqual({ code: 0, stderr: "" });
    } finally {
      delete process.env.SANDBOX_ENDPOINT;
    }
  });
});

describe("teardown and restore (cdktf faked; the e2e test runs the real one)", () => {
  const calls: string[] = [];
  let schedulesAtDestroy: Record<string, unknown> | undefined;
  const fakeCdktf = async (verb: "deploy" | "destroy", stack: string) => {
    calls.push(`${verb} ${stack}`);
    const kind = stack.replace(/^sandbox-/, "");
    // what the ops stack owns in this test: the scheduled-training rule and the scheduler's schedules
    if (kind === "ops" && verb === "destroy") {
      schedulesAtDestroy = await scheduleStates();
      await ctx.clients.events.send(new DeleteRuleCommand({ Name: ctx.names.trainingRule, Force: true }));
      await deleteSchedules();
    }
    if (kind === "ops" && verb === "deploy") {
      await fx.createRule(ctx.clients.events, ctx.names.trainingRule, { Schedule: "office-hours", Environment: "sandbox", Stack: "sandbox-ops" });
      await createSchedules();
    }
    if (verb === "destroy") await emptyState(kind);
    else await deployedState(kind);
  };

  test("dry run changes nothing; --yes backs up, pauses, cleans up, destroys ops then compute, verifies; rerun is a no-op; restore brings data back", async () => {
    // GIVEN the sandbox's persistent buckets with data, deployed compute/ops state, a training
    // rule, an endpoint made by hand, a scheduler record and a load balancer Kubernetes made
    await ctx.clients.s3.send(new CreateBucketCommand({ Bucket: ctx.names.stateBucket }));
    await bucket(ctx.names.backupBucket, "sandbox-bootstrap");
    await bucket(ctx.names.dataBucket, "sandbox-data");
    await bucket(ctx.names.modelsBucket, "sandbox-data");
    await put(ctx.names.dataBucket, "silver/sales.parquet", "silver-bytes");
    await put(ctx.names.dataBucket, "artifacts/features.json", "{}");
    await put(ctx.names.dataBucket, "raw/not-backed-up.csv", "raw");
    await put(ctx.names.modelsBucket, "forecast/model.tar.gz", "model-bytes");
    await deployedState("ops");
    await deployedState("compute");
    await fx.createRule(ctx.clients.events, ctx.names.trainingRule, { Schedule: "office-hours", Environment: "sandbox", Stack: "sandbox-ops" });
    await createSchedules();
    await fx.createEndpoint(ctx.clients.sagemaker, "retail-forecast-sandbox-adhoc", { Environment: "sandbox" });
    await ctx.clients.ssm.send(new (await import("@aws-sdk/client-ssm")).PutParameterCommand({ Name: endpointRecordName("/retail-forecast/sandbox/scheduler", "gone-endpoint"), Value: "{}", Type: "String" }));
    const vpc = await ctx.clients.ec2.send(new CreateVpcCommand({ CidrBlock: "10.9.0.0/16" }));
    const subnets = await Promise.all(
      ["a", "b"].map((az, i) => ctx.clients.ec2.send(new CreateSubnetCommand({ VpcId: vpc.Vpc!.VpcId!, CidrBlock: `10.9.${i}.0/24`, AvailabilityZone: `us-east-1${az}` }))),
    );
    await ctx.clients.elbv2.send(
      new CreateLoadBalancerCommand({ Name: "k8s-ingress", Subnets: subnets.map((s) => s.Subnet!.SubnetId!), Tags: [{ Key: "elbv2.k8s.aws/cluster", Value: ctx.names.cluster }] }),
    );
    await ctx.clients.elbv2.send(new CreateTargetGroupCommand({ Name: "k8s-tg", Protocol: "HTTP", Port: 80, VpcId: vpc.Vpc!.VpcId!, Tags: [{ Key: "elbv2.k8s.aws/cluster", Value: ctx.names.cluster }] }));

    // WHEN a dry run: THEN the plan is printed and nothing changes
    const t0 = Date.now();
    const dry = await teardown(ctx, { cdktf: fakeCdktf, isTty: false });
    expect(dry.mode).toBe("dry-run");
    expect(output()).toMatch(/1\. backup: 3 objects/);
    expect(output()).toMatch(/would delete \(created outside Terraform\): endpoint retail-forecast-sandbox-adhoc/);
    expect(output()).toMatch(/would delete \(created by Kubernetes\): load-balancer k8s-ingress/);
    expect(output()).toMatch(/refusing to act without --yes/);
    expect(calls).toEqual([]);
    expect(await fx.ruleState(ctx.clients.events, ctx.names.trainingRule)).toBe("ENABLED");
    expect(output()).toMatch(/would disable: schedule retail-forecast-sandbox-scheduler-start/);
    expect(await scheduleStates()).toEqual({ start: "ENABLED", stop: "ENABLED", "stop-idle": "ENABLED" });
    expect(await fx.endpointStatus(ctx.clients.sagemaker, "retail-forecast-sandbox-adhoc")).toBeDefined();
    expect((await ctx.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers).toHaveLength(1);

    // WHEN for real
    lines = [];
    const real = await teardown(ctx, { yes: true, cdktf: fakeCdktf });
    const teardownMs = Date.now() - t0;
    expect(real.steps.map((s) => [s.step, s.status])).toEqual([
      ["backup", "done"],
      ["pause", "done"],
      ["cleanup", "done"],
      ["destroy sandbox-ops", "done"],
      ["destroy sandbox-compute", "done"],
      ["verify", "done"],
    ]);
    expect(real.ok).toBe(true);
    expect(calls).toEqual(["destroy sandbox-ops", "destroy sandbox-compute"]);
    // paused before the destroy (the fake destroy then removes it, as Terraform would)
    expect(output()).toMatch(/disable: rule retail-forecast-sandbox-scheduled-training/);
    expect(schedulesAtDestroy).toEqual({ start: "DISABLED", stop: "DISABLED", "stop-idle": "DISABLED" });
    expect((await fx.endpointStatus(ctx.clients.sagemaker, "retail-forecast-sandbox-adhoc"))?.status ?? "gone").toMatch(/gone|Deleting/);
    expect(await fx.readParam(ctx.clients.ssm, endpointRecordName("/retail-forecast/sandbox/scheduler", "gone-endpoint"))).toBeUndefined();
    expect((await ctx.clients.elbv2.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).toHaveLength(0);
    expect(output()).toMatch(/\[1\/6\] backup \.\.\./);

    // the manifest lists the backed-up objects with sha256
    const manifest = await loadManifest(ctx, real.backupId);
    expect(manifest.entries.map((e) => `${e.source}:${e.key}`).sort()).toEqual(["data:artifacts/features.json", "data:silver/sales.parquet", "models:forecast/model.tar.gz"]);
    expect(manifest.entries.every((e) => /^[0-9a-f]{64}$/.test(e.sha256))).toBe(true);

    // a rerun finishes without redoing anything destructive
    lines = [];
    const again = await teardown(ctx, { yes: true, cdktf: fakeCdktf });
    expect(again.ok).toBe(true);
    expect(again.steps.filter((s) => s.step.startsWith("destroy")).map((s) => s.status)).toEqual(["skipped", "skipped"]);
    expect(calls).toHaveLength(2);

    // WHEN data is lost and changed, and restore runs: THEN compute then ops are deployed, data
    // matches the manifest, training resumes
    await ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: ctx.names.modelsBucket, Key: "forecast/model.tar.gz" }));
    await put(ctx.names.dataBucket, "silver/sales.parquet", "corrupted");
    lines = [];
    const t1 = Date.now();
    const r = await restore(ctx, { backup: real.backupId, cdktf: fakeCdktf });
    const restoreMs = Date.now() - t1;
    expect(r.ok).toBe(true);
    expect(calls.slice(2)).toEqual(["deploy sandbox-compute", "deploy sandbox-ops"]);
    expect(await read(ctx.names.modelsBucket, "forecast/model.tar.gz")).toBe("model-bytes");
    expect(await read(ctx.names.dataBucket, "silver/sales.parquet")).toBe("silver-bytes");
    expect(diffManifest(manifest, await currentFacts(ctx, manifest))).toEqual({ matching: 3, missing: [], mismatched: [] });
    expect(await fx.ruleState(ctx.clients.events, ctx.names.trainingRule)).toBe("ENABLED");
    expect(await scheduleStates()).toEqual({ start: "ENABLED", stop: "ENABLED", "stop-idle": "ENABLED" });
    expect(output()).toMatch(/2 copied back, 1 already identical; all 3 sha256 checksums match/);

    // rerun: nothing to copy
    lines = [];
    const r2 = await restore(ctx, { cdktf: fakeCdktf });
    expect(r2.steps.find((s) => s.step === "restore data")?.status).toBe("skipped");
    process.stdout.write(`ops emulator timings: teardown (dry run + real, fake cdktf) ${teardownMs} ms, restore ${restoreMs} ms\n`);
  });

  test("pause disables the scheduler's schedules keeping the rest of their definition; resume enables them unless the config keeps them off", async () => {
    // fresh, ENABLED schedules whatever the tests before left
    await Promise.all(SCHEDULE_ACTIONS.map((a) => ctx.clients.scheduler.send(new DeleteScheduleCommand({ Name: scheduleName(a) })).catch(() => undefined)));
    await createSchedules();
    try {
      const before = await getSchedule("stop");
      const paused = await pauseActions(ctx);
      expect(paused.actions.filter((a) => a.kind === "schedule").map((a) => a.id)).toEqual(SCHEDULE_ACTIONS.map(scheduleName));
      expect((await runActions(ctx, paused.actions, false)).every((o) => o.status === "done")).toBe(true);
      const after = await getSchedule("stop");
      expect(after.State).toBe("DISABLED");
      const keep = ({ ScheduleExpression, ScheduleExpressionTimezone, Description, FlexibleTimeWindow, Target }: typeof before) => ({ ScheduleExpression, ScheduleExpressionTimezone, Description, FlexibleTimeWindow, Target });
      expect(keep(after)).toEqual(keep(before));
      // a second pause has nothing to do
      expect((await pauseActions(ctx)).notes).toEqual(expect.arrayContaining([`schedule ${scheduleName("stop")} already disabled`]));

      // an environment whose config keeps the schedules off: resume leaves them off and says so
      const off = { ...ctx, cfg: { ...ctx.cfg, schedule: { ...ctx.cfg.schedule, enabled: false } } };
      const kept = await resumeActions(off);
      expect(kept.actions.filter((a) => a.kind === "schedule")).toEqual([]);
      expect(kept.notes).toEqual(expect.arrayContaining([`schedule ${scheduleName("start")} left disabled: the sandbox config has schedule.enabled false`]));

      const resumed = await resumeActions(ctx);
      await runActions(ctx, resumed.actions, false);
      expect(await scheduleStates()).toEqual({ start: "ENABLED", stop: "ENABLED", "stop-idle": "ENABLED" });
      expect(keep(await getSchedule("stop"))).toEqual(keep(before));
    } finally {
      await deleteSchedules();
    }
  });

  test("verify reports a leftover of a destroyed stack, and passes once it is gone", async () => {
    await fx.createEndpoint(ctx.clients.sagemaker, "retail-forecast-sandbox-leftover", { Environment: "sandbox", Stack: "sandbox-compute" });
    const v = await verifyEnvironment(ctx, ["sandbox-bootstrap", "sandbox-data", "sandbox-ops"]);
    expect(v.rows.filter((r) => !r.expected).map((r) => r.id)).toEqual([expect.stringMatching(/endpoint\/retail-forecast-sandbox-leftover$/)]);
    expect(v.table).toMatch(/UNEXPECTED\s+sagemaker:endpoint\s+retail-forecast-sandbox-leftover\s+sandbox-compute\s+sandbox-compute was destroyed/);
    expect(v.table).toMatch(/expected\s+s3:bucket\s+retail-forecast-sandbox-data-123456789012\s+sandbox-data/);
    await ctx.clients.sagemaker.send(new (await import("@aws-sdk/client-sagemaker")).DeleteEndpointCommand({ EndpointName: "retail-forecast-sandbox-leftover" }));
    const after = await verifyEnvironment(ctx, ["sandbox-bootstrap", "sandbox-data", "sandbox-ops"]);
    expect(after.unexpected).toBe(0);
  });

  test("backup and restore round-trip on their own, with checksums", async () => {
    await put(ctx.names.dataBucket, "silver/extra.bin", "x".repeat(100_000));
    const m = await takeBackup(ctx, new Date("2030-01-01T00:00:00Z"));
    expect((await loadManifest(ctx)).backupId).toBe(m.backupId); // the newest is the default
    await put(ctx.names.dataBucket, "silver/extra.bin", "y");
    const r = await restoreData(ctx, m, false);
    expect(r.copied).toBe(1);
    expect(r.diff.missing.length + r.diff.mismatched.length).toBe(0);
    expect(await read(ctx.names.dataBucket, "silver/extra.bin")).toHaveLength(100_000);
  });

  test("fails when the backup id does not exist: one line, exit 1", async () => {
    const r = await cli(["restore", "sandbox", "--backup", "no-such-id"]);
    expect(r).toEqual({ code: 1, stderr: `ops: backup 'no-such-id' not found: s3://${ctx.names.backupBucket}/sandbox/no-such-id/manifest.json does not exist\n` });
  });
});
