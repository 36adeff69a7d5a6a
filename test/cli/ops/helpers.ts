/** What the ops tests build in the emulator: buckets, Terraform states, the ops stack's schedules and rule, a fake cdktf. */
import { CreateBucketCommand, DeleteBucketCommand, GetObjectCommand, HeadBucketCommand, PutBucketTaggingCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { DeleteRuleCommand } from "@aws-sdk/client-eventbridge";
import { CreateScheduleCommand, DeleteScheduleCommand, GetScheduleCommand } from "@aws-sdk/client-scheduler";
import { opsContext, OpsContext } from "../../../cli/ops/context";
import { Emulator, startEmulator, StartEmulatorOptions } from "../../../sandbox/emulator";
import type { CdktfRunner } from "../../../cli/ops/stacks";
import * as fx from "../../lambda/emulator/fixtures";

export const SCHEDULE_ACTIONS = ["start", "stop", "stop-idle"] as const;

export function opsFixtures(ctx: () => OpsContext) {
  const c = () => ctx();
  const put = (bucket: string, key: string, body: string) => c().clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  const read = async (bucket: string, key: string) => (await c().clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
  const exists = (bucket: string) => c().clients.s3.send(new HeadBucketCommand({ Bucket: bucket })).then(() => true, () => false);
  async function bucket(name: string, stack: string) {
    if (await exists(name)) return;
    await c().clients.s3.send(new CreateBucketCommand({ Bucket: name }));
    await c().clients.s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [{ Key: "Environment", Value: c().cfg.name }, { Key: "Stack", Value: stack }] } }));
  }
  const dataBuckets = () => [c().names.dataBucket, c().names.modelsBucket, c().names.artifactsBucket];
  /** What a deployed stack's state looks like to the CLI (it counts managed resources). */
  const deployedState = (kind: string, resources = 1) =>
    put(c().names.stateBucket, c().names.stateKey(kind), JSON.stringify({ version: 4, resources: Array.from({ length: resources }, (_, i) => ({ mode: "managed", type: "x", name: `r${i}` })) }));
  const emptyState = (kind: string) => put(c().names.stateBucket, c().names.stateKey(kind), JSON.stringify({ version: 4, resources: [] }));
  const scheduleName = (a: string) => `${c().names.schedulerFunction}-${a}`;
  async function createSchedules(roleArn = fx.ROLE) {
    for (const a of SCHEDULE_ACTIONS) {
      await c().clients.scheduler.send(
        new CreateScheduleCommand({
          Name: scheduleName(a),
          Description: `${a} on weekdays`,
          ScheduleExpression: a === "start" ? "cron(0 7 ? * MON-FRI *)" : "cron(0 19 ? * MON-FRI *)",
          ScheduleExpressionTimezone: "Europe/Berlin",
          FlexibleTimeWindow: { Mode: "OFF" },
          State: "ENABLED",
          Target: {
            Arn: `arn:aws:lambda:us-east-1:123456789012:function:${c().names.schedulerFunction}`,
            RoleArn: roleArn,
            Input: JSON.stringify({ action: a }),
            DeadLetterConfig: { Arn: "arn:aws:sqs:us-east-1:123456789012:scheduler-dlq" },
            RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
          },
        }),
      );
    }
  }
  const deleteSchedules = () => Promise.all(SCHEDULE_ACTIONS.map((a) => c().clients.scheduler.send(new DeleteScheduleCommand({ Name: scheduleName(a) })).catch(() => undefined)));
  const getSchedule = (a: string) => c().clients.scheduler.send(new GetScheduleCommand({ Name: scheduleName(a) }));
  const scheduleStates = async () => Object.fromEntries(await Promise.all(SCHEDULE_ACTIONS.map(async (a) => [a, (await getSchedule(a)).State] as const)));

  /** The ops stack as Terraform deploys it: the training rule and the scheduler's schedules (their target role: `scheduleRoleArn`). */
  async function deployOps(scheduleRoleArn = fx.ROLE) {
    await fx.createRule(c().clients.events, c().names.trainingRule, { Schedule: "office-hours", Environment: c().cfg.name, Stack: `${c().cfg.name}-ops` });
    await createSchedules(scheduleRoleArn);
    await deployedState("ops");
  }

  /**
   * A cdktf that does what Terraform would to the state and to what these tests watch: destroy
   * empties the state (and removes the ops stack's rule and schedules, the data stack's buckets:
   * a non-empty bucket fails, as Terraform fails without force_destroy); deploy fills it.
   */
  function fakeCdktf(calls: string[], hooks: { before?: (verb: string, kind: string) => Promise<void> } = {}): CdktfRunner {
    return async (verb, stack) => {
      calls.push(`${verb} ${stack}`);
      const kind = stack.replace(/^[a-z]+-/, "");
      await hooks.before?.(verb, kind);
      if (verb === "destroy") {
        if (kind === "ops") {
          await c().clients.events.send(new DeleteRuleCommand({ Name: c().names.trainingRule, Force: true })).catch(() => undefined);
          await deleteSchedules();
        }
        if (kind === "data") for (const b of dataBuckets()) if (await exists(b)) await c().clients.s3.send(new DeleteBucketCommand({ Bucket: b }));
        await emptyState(kind);
      } else {
        if (kind === "ops") return deployOps();
        if (kind === "data") for (const b of dataBuckets()) await bucket(b, `${c().cfg.name}-data`);
        await deployedState(kind);
      }
    };
  }

  return { put, read, exists, bucket, dataBuckets, deployedState, emptyState, scheduleName, createSchedules, deleteSchedules, getSchedule, scheduleStates, deployOps, fakeCdktf };
}

/** One emulator for a test file; a fresh sandbox context and captured log lines for each test. */
export interface OpsSuite {
  emu: Emulator;
  ctx: OpsContext;
  lines: string[];
  readonly log: (line: string) => void;
  readonly output: () => string;
}

export function opsSuite(emulator: StartEmulatorOptions = {}): OpsSuite {
  const s = { lines: [] as string[], log: (l: string) => void s.lines.push(l), output: () => s.lines.join("\n") } as OpsSuite;
  beforeAll(async () => {
    s.emu = await startEmulator(emulator);
  });
  afterAll(async () => {
    await s.emu?.stop();
  });
  beforeEach(() => {
    s.lines = [];
    s.ctx = opsContext("sandbox", { emulatorEndpoint: s.emu.endpoint, log: s.log });
  });
  return s;
}
