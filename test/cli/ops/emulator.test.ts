/**
 * The ops CLI against the local emulator with the sandbox config: train, endpoints, the account
 * guard, teardown (dry run, then for real with cdktf replaced by a fake that empties the state),
 * backup / restore round trip with checksums, verify. One emulator for the file.
 */
import { CreateBucketCommand, DeleteObjectCommand } from "@aws-sdk/client-s3";
import { DescribeEndpointConfigCommand, DescribeHyperParameterTuningJobCommand, DescribeTrainingJobCommand, ListTrainingJobsCommand } from "@aws-sdk/client-sagemaker";
import { DeleteScheduleCommand } from "@aws-sdk/client-scheduler";
import { main } from "../../../cli/ops";
import { ContextOptions } from "../../../cli/ops/context";
import { train } from "../../../cli/ops/train";
import { listEndpointRows, stopIdle, toServerless } from "../../../cli/ops/endpoints";
import { endpointCleanupActions, pause, pauseActions, resume, resumeActions, runActions } from "../../../cli/ops/cleanup";
import { takeBackup, restoreData, loadManifest } from "../../../cli/ops/backup";
import { verifyEnvironment } from "../../../cli/ops/verify";
import { scheduleCommand } from "../../../cli/schedule";
import { endpointRecordName } from "../../../lambda/scheduler/records";
import * as fx from "../../lambda/emulator/fixtures";
import { opsFixtures, opsSuite, SCHEDULE_ACTIONS } from "./helpers";

jest.setTimeout(120_000);

const s = opsSuite();


/** Runs the CLI entry; returns exit code, stdout lines (through log) and stderr. */
async function cli(argv: string[], configure?: ContextOptions["configure"]) {
  const err = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
  try {
    const code = await main(argv, { emulatorEndpoint: s.emu.endpoint, log: s.log, configure });
    return { code, stderr: err.mock.calls.map((c) => String(c[0])).join("") };
  } finally {
    err.mockRestore();
  }
}

const { put, read, bucket, deployedState, createSchedules, deleteSchedules, getSchedule, scheduleStates, scheduleName } = opsFixtures(() => s.ctx);

describe("train", () => {
  test("creates a training job with managed spot, both stopping times, checkpoints and cost tags", async () => {
    const r = await train(s.ctx, { jobName: "spot-job-1", maxRuntimeSec: 600, maxWaitSec: 1200, instanceType: "ml.m5.large", wait: true, delayMs: () => 50 });
    expect(r.sent).toBe(true);
    const d = await s.ctx.clients.sagemaker.send(new DescribeTrainingJobCommand({ TrainingJobName: "spot-job-1" }));
    expect(d.EnableManagedSpotTraining).toBe(true);
    expect(d.StoppingCondition).toEqual({ MaxRuntimeInSeconds: 600, MaxWaitTimeInSeconds: 1200 });
    expect(d.CheckpointConfig?.S3Uri).toBe(`s3://${s.ctx.names.artifactsBucket}/checkpoints/spot-job-1/`);
    expect(d.RoleArn).toBe(`arn:aws:iam::123456789012:role/${s.ctx.names.sagemakerRole}`);
    expect(d.ResourceConfig?.InstanceType).toBe("ml.m5.large");
    expect(s.output()).toMatch(/training job spot-job-1: Completed; training \d+ s, billable \d+ s, spot saving/);
  });

  test("fails when max wait is not above max runtime: one line, exit 1, nothing sent", async () => {
    const before = (await s.ctx.clients.sagemaker.send(new ListTrainingJobsCommand({}))).TrainingJobSummaries?.length ?? 0;
    const r = await cli(["train", "--env", "sandbox", "--max-runtime-sec", "3600", "--max-wait-sec", "3600"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("ops: --max-wait-sec (3600) must be greater than --max-runtime-sec (3600): managed spot waits for capacity on top of the run time\n");
    expect((await s.ctx.clients.sagemaker.send(new ListTrainingJobsCommand({}))).TrainingJobSummaries?.length ?? 0).toBe(before);
  });

  test("dry run prints the request and sends nothing", async () => {
    const before = (await s.ctx.clients.sagemaker.send(new ListTrainingJobsCommand({}))).TrainingJobSummaries?.length ?? 0;
    const r = await cli(["train", "--env", "sandbox", "--job-name", "dry-1", "--dry-run", "--hyperparameter", "eta=0.1"]);
    expect(r.code).toBe(0);
    const json = JSON.parse(s.output().slice(0, s.output().lastIndexOf("}") + 1));
    expect(json).toMatchObject({ TrainingJobName: "dry-1", EnableManagedSpotTraining: true, HyperParameters: { eta: "0.1" } });
    expect((await s.ctx.clients.sagemaker.send(new ListTrainingJobsCommand({}))).TrainingJobSummaries?.length ?? 0).toBe(before);
  });

  test("tune: a hyperparameter tuning job whose training job definition runs on managed spot", async () => {
    const r = await cli(["tune", "--env", "sandbox", "--job-name", "tune-1", "--max-jobs", "4", "--max-parallel", "2"]);
    expect(r).toEqual({ code: 0, stderr: "" });
    const d = await s.ctx.clients.sagemaker.send(new DescribeHyperParameterTuningJobCommand({ HyperParameterTuningJobName: "tune-1" }));
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
    await s.ctx.clients.s3.send(new CreateBucketCommand({ Bucket: s.ctx.names.stateBucket }));
    await deployedState("compute");
    const asked: string[] = [];
    const err = jest.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const code = await main(["teardown", "sandbox"], { emulatorEndpoint: s.emu.endpoint, log: s.log, isTty: true, prompt: async (q) => (asked.push(q), "dev") });
      expect(code).toBe(1);
      expect(err.mock.calls.map((c) => String(c[0])).join("")).toBe("ops: confirmation 'dev' does not match 'sandbox': nothing changed\n");
    } finally {
      err.mockRestore();
    }
    expect(asked).toEqual(["Type the environment name (sandbox) to tear it down: "]);
    expect(s.output()).toMatch(/1\. prepare: /); // the plan was shown before the question
    await s.ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: s.ctx.names.stateBucket, Key: s.ctx.names.stateKey("compute") }));
  });

  test("fails when prod is torn down without --i-understand-prod (checked before any AWS call)", async () => {
    const r = await cli(["teardown", "prod", "--yes"], (cfg) => ({ ...cfg, accountId: "123456789012", emulatorEndpoint: s.emu.endpoint }));
    expect(r).toEqual({ code: 1, stderr: "ops: prod: add --i-understand-prod to act on production (a dry run needs no flag)\n" });
  });

  test("fails when the environment is unknown", async () => {
    const r = await cli(["teardown", "moon"]);
    expect(r).toEqual({ code: 1, stderr: expect.stringMatching(/^ops: .*'moon' is not known \(allowed: dev, staging, prod, sandbox\)\n$/) });
  });

  test("fails when the stacks were never deployed", async () => {
    const r = await cli(["teardown", "sandbox", "--yes"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ops: sandbox-compute was never deployed \(no Terraform state\): nothing to tear down in account 123456789012\n$/);
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
    await fx.createEndpoint(s.ctx.clients.sagemaker, "retail-forecast-sandbox-idle", { Schedule: "office-hours", Environment: "sandbox" });
    await fx.createEndpoint(s.ctx.clients.sagemaker, "retail-forecast-sandbox-pinned", { Schedule: "office-hours", AutoStop: "false" });

    const rows = await listEndpointRows(s.ctx, 3600);
    expect(rows.find((r) => r.name === "retail-forecast-sandbox-idle")).toMatchObject({ status: "InService", capacity: "ml.t2.medium x1", invocations: 0, schedule: "office-hours" });

    // endpoints younger than the window are never idle: look from an hour ahead
    const later = () => new Date(Date.now() + 2 * 3600_000);
    const dry = await stopIdle(s.ctx, { thresholdInvocations: 1, windowSec: 3600, now: later });
    expect(dry.dryRun).toBe(true);
    expect(await fx.endpointStatus(s.ctx.clients.sagemaker, "retail-forecast-sandbox-idle")).toMatchObject({ status: "InService" });

    const stop = await stopIdle(s.ctx, { thresholdInvocations: 1, windowSec: 3600, yes: true, now: later });
    expect(stop.results.find((r) => r.id === "retail-forecast-sandbox-idle")?.outcome).toBe("stopped");
    expect(stop.results.find((r) => r.id === "retail-forecast-sandbox-pinned")?.outcome).toBe("skipped");
    expect(await fx.readParam(s.ctx.clients.ssm, endpointRecordName("/retail-forecast/sandbox/scheduler", "retail-forecast-sandbox-idle"))).toBeDefined();
    expect((await listEndpointRows(s.ctx, 3600)).find((r) => r.name === "retail-forecast-sandbox-idle")?.status).toMatch(/^(Deleting|Stopped by stop-idle)/);

    const start = await scheduleCommand({ action: "start", env: "sandbox", emulatorEndpoint: s.emu.endpoint });
    expect(start.results.find((r) => r.id === "retail-forecast-sandbox-idle")?.outcome).toBe("started");
    expect(await fx.endpointStatus(s.ctx.clients.sagemaker, "retail-forecast-sandbox-idle")).toMatchObject({ config: "retail-forecast-sandbox-idle-config" });
  });

  test("to-serverless: dry run changes nothing, --yes moves the endpoint to a serverless config", async () => {
    await fx.createEndpoint(s.ctx.clients.sagemaker, "to-sls", {});
    const dry = await toServerless(s.ctx, "to-sls", {});
    expect(dry.sent).toBe(false);
    expect((await fx.endpointStatus(s.ctx.clients.sagemaker, "to-sls"))?.config).toBe("to-sls-config");
    const real = await cli(["endpoints", "to-serverless", "to-sls", "--env", "sandbox", "--memory-mb", "2048", "--max-concurrency", "2", "--yes"]);
    const configName = [...s.output().matchAll(/-> (to-sls-serverless-\d+)/g)].pop()?.[1];
    expect(configName).toBeDefined();
    const created = await s.ctx.clients.sagemaker.send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName }));
    expect(created.ProductionVariants?.[0]).toMatchObject({ ModelName: "to-sls-model", ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 2 } });
    expect(real).toEqual({ code: 0, stderr: "" });
    expect((await fx.endpointStatus(s.ctx.clients.sagemaker, "to-sls"))?.config).toBe(configName);
    const bad = await cli(["endpoints", "to-serverless", "nope", "--env", "sandbox"]);
    expect(bad).toEqual({ code: 1, stderr: "ops: endpoint nope does not exist in us-east-1\n" });
  });

  test("the schedule command is mounted", async () => {
    // the scheduler's command reads the emulator from SANDBOX_ENDPOINT, like a user's shell
    process.env.SANDBOX_ENDPOINT = s.emu.endpoint;
    try {
      const r = await cli(["schedule", "stop", "--env", "sandbox", "--dry-run"]);
      expect(r).toEqual({ code: 0, stderr: "" });
    } finally {
      delete process.env.SANDBOX_ENDPOINT;
    }
  });
});

describe("pause, verify, backup (the teardown and restore flows: teardown-restore.test.ts)", () => {
  test("pause disables the scheduler's schedules keeping the rest of their definition; resume enables them unless the config keeps them off", async () => {
    // fresh, ENABLED schedules whatever the tests before left
    await Promise.all(SCHEDULE_ACTIONS.map((a) => s.ctx.clients.scheduler.send(new DeleteScheduleCommand({ Name: scheduleName(a) })).catch(() => undefined)));
    await createSchedules();
    try {
      await s.ctx.clients.s3.send(new CreateBucketCommand({ Bucket: s.ctx.names.stateBucket })).catch(() => undefined);
      const before = await getSchedule("stop");
      const paused = await pause(s.ctx);
      expect(paused.actions.filter((a) => a.kind === "schedule").map((a) => a.id)).toEqual(SCHEDULE_ACTIONS.map(scheduleName));
      expect(paused.outcomes.every((o) => o.status === "done")).toBe(true);
      const after = await getSchedule("stop");
      expect(after.State).toBe("DISABLED");
      const keep = ({ ScheduleExpression, ScheduleExpressionTimezone, Description, FlexibleTimeWindow, Target }: typeof before) => ({ ScheduleExpression, ScheduleExpressionTimezone, Description, FlexibleTimeWindow, Target });
      expect(keep(after)).toEqual(keep(before));
      // a second pause has nothing to do
      expect((await pauseActions(s.ctx)).notes).toEqual(expect.arrayContaining([`schedule ${scheduleName("stop")} already disabled`]));

      // an environment whose config keeps the schedules off: resume leaves them off and says so
      const off = { ...s.ctx, cfg: { ...s.ctx.cfg, schedule: { ...s.ctx.cfg.schedule, enabled: false } } };
      const kept = await resumeActions(off);
      expect(kept.actions.filter((a) => a.kind === "schedule")).toEqual([]);
      expect(kept.notes).toEqual(expect.arrayContaining([`schedule ${scheduleName("start")} left disabled: the sandbox config has schedule.enabled false`]));

      const resumed = await resume(s.ctx);
      expect(resumed.outcomes.map((o) => o.action.id)).toEqual(SCHEDULE_ACTIONS.map(scheduleName));
      expect(await scheduleStates()).toEqual({ start: "ENABLED", stop: "ENABLED", "stop-idle": "ENABLED" });
      expect(keep(await getSchedule("stop"))).toEqual(keep(before));
      // the record is gone once everything is back: a second resume has nothing to do
      expect((await resumeActions(s.ctx)).notes).toEqual(["no pause record: no teardown paused anything"]);
    } finally {
      await deleteSchedules();
    }
  });

  test("verify reports a leftover of a destroyed stack, and passes once it is gone", async () => {
    await bucket(s.ctx.names.dataBucket, "sandbox-data");
    // what the endpoint tests above left is what a teardown's clean-up removes
    await runActions(s.ctx, (await endpointCleanupActions(s.ctx)).actions, false);
    await fx.createEndpoint(s.ctx.clients.sagemaker, "retail-forecast-sandbox-leftover", { Environment: "sandbox", Stack: "sandbox-compute" });
    const v = await verifyEnvironment(s.ctx, ["sandbox-bootstrap", "sandbox-data", "sandbox-ops"]);
    expect(v.rows.filter((r) => !r.expected).map((r) => r.id)).toEqual([expect.stringMatching(/endpoint\/retail-forecast-sandbox-leftover$/)]);
    expect(v.table).toMatch(/UNEXPECTED\s+sagemaker:endpoint\s+retail-forecast-sandbox-leftover\s+sandbox-compute\s+sandbox-compute was destroyed/);
    expect(v.table).toMatch(/expected\s+s3:bucket\s+retail-forecast-sandbox-data-123456789012\s+sandbox-data/);
    await s.ctx.clients.sagemaker.send(new (await import("@aws-sdk/client-sagemaker")).DeleteEndpointCommand({ EndpointName: "retail-forecast-sandbox-leftover" }));
    const after = await verifyEnvironment(s.ctx, ["sandbox-bootstrap", "sandbox-data", "sandbox-ops"]);
    expect(after.unexpected).toBe(0);
  });

  test("backup and restore round-trip on their own, with checksums", async () => {
    await bucket(s.ctx.names.backupBucket, "sandbox-bootstrap");
    await bucket(s.ctx.names.modelsBucket, "sandbox-data");
    await put(s.ctx.names.dataBucket, "silver/extra.bin", "x".repeat(100_000));
    const m = await takeBackup(s.ctx, new Date("2030-01-01T00:00:00Z"));
    expect((await loadManifest(s.ctx)).backupId).toBe(m.backupId); // the newest is the default
    await put(s.ctx.names.dataBucket, "silver/extra.bin", "y");
    const r = await restoreData(s.ctx, m, false);
    expect(r.copied).toBe(1);
    expect(r.diff!.missing.length + r.diff!.mismatched.length).toBe(0);
    expect(await read(s.ctx.names.dataBucket, "silver/extra.bin")).toHaveLength(100_000);
  });

  test("fails when the backup id does not exist: one line, exit 1", async () => {
    const r = await cli(["restore", "sandbox", "--backup", "2001-01-01T00-00-00-000Z"]);
    expect(r).toEqual({ code: 1, stderr: `ops: backup '2001-01-01T00-00-00-000Z' not found: s3://${s.ctx.names.backupBucket}/sandbox/2001-01-01T00-00-00-000Z/manifest.json does not exist\n` });
  });
});
