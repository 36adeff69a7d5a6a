/**
 * The compute lifetime, driven end to end in the sandbox on chosen days. The emulator cannot
 * run CodeBuild builds, so each scheduled run is two halves: the StartBuild request exactly as
 * the schedule sends it (the emulator records the build and the LIFETIME_ACTION it carries), and
 * the build's own command, `npm run ops -- <teardown|restore> sandbox ... --scheduled`, run here
 * through the same ops entry point with the same argv, with the clock set to the day in question
 * (the context's clock seam) and CODEBUILD_BUILD_ID set as CodeBuild sets it.
 *
 * The command runs as the build does: with credentials of a session of the project's service
 * role (`names(cfg).lifetimeRole`, the policy of cli/ops/iam.ts as the ops stack deployed it),
 * for its own SDK calls and for cdktf and Terraform (the ops context hands them to the child
 * process; the sandbox provider and backend take credentials from their environment). The
 * emulator enforces IAM for role sessions: every call must be allowed, and each evening and
 * morning ends with one line counting them (sandbox/least-privilege.ts judge). The keep-alive,
 * the read-back of the record and the run that holds the lock are an operator's and another
 * run's: they stay the emulator's administrator.
 */
import { BatchGetBuildsCommand, CodeBuildClient, StartBuildCommand } from "@aws-sdk/client-codebuild";
import { GetScheduleCommand, SchedulerClient } from "@aws-sdk/client-scheduler";
import { CreateQueueCommand, DeleteQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { SNSClient, SubscribeCommand } from "@aws-sdk/client-sns";
import { main as opsMain } from "../cli/ops";
import { opsContext } from "../cli/ops/context";
import { readLastRun } from "../cli/ops/lifetime";
import { acquireRunLock } from "../cli/ops/locks";
import type { StackRunner } from "../cli/ops/stacks";
import { scheduleCommand } from "../cli/schedule";
import { names } from "../config/naming";
import type { EnvironmentConfig } from "../config/types";
import { AwsCredentials, awsClientConfig } from "../lambda/shared/aws-client";
import { lifetimeActionOf, lifetimeCommand, LifetimeAction } from "../modules/lifetime-build";
import { assumeRole, decisionsSince, judge, lastDecision, trustedPrincipals } from "./least-privilege";

// Europe/London, British Summer Time (UTC+1); 2026-12-28 is a skip date (England and Wales bank holiday)
export const MONDAY_1700 = new Date("2026-06-01T16:00:00Z");
export const MONDAY_1900 = new Date("2026-06-01T18:00:00Z");
export const TUESDAY_0635 = new Date("2026-06-02T05:35:00Z");
export const BANK_HOLIDAY_0631 = new Date("2026-12-28T06:31:00Z");

export interface Drive {
  readonly cfg: EnvironmentConfig;
  readonly endpoint: string;
  readonly say: (line: string) => void;
  readonly log: (line: string) => void;
  readonly runner: () => StackRunner;
}

const clients = (endpoint: string) => awsClientConfig({ region: "us-east-1", emulatorEndpoint: endpoint });

/** The ops CLI as an operator runs it (the emulator's administrator); returns its exit code (its lines go to the sandbox's log). */
async function ops(d: Drive, argv: string[], now: Date, build?: { readonly id: string; readonly credentials: AwsCredentials }): Promise<number> {
  const saved = process.env.CODEBUILD_BUILD_ID;
  if (build) process.env.CODEBUILD_BUILD_ID = build.id;
  try {
    return await opsMain(argv, { emulatorEndpoint: d.endpoint, log: (l) => d.log(`   | ${l}`), now: () => now, runner: d.runner(), isTty: false, credentials: build?.credentials });
  } finally {
    if (saved === undefined) delete process.env.CODEBUILD_BUILD_ID;
    else process.env.CODEBUILD_BUILD_ID = saved;
  }
}

/**
 * One scheduled build: the schedule's StartBuild, then the build's command as CodeBuild runs it,
 * as a session of the project's service role (CodeBuild names it AWSCodeBuild-<build uuid>).
 * The CLI builds its context from these credentials exactly as opsContextAsRole does.
 */
async function scheduledBuild(d: Drive, action: LifetimeAction, now: Date): Promise<number> {
  const id = await startBuildAsScheduled(d, action);
  const session = await assumeRole(d.endpoint, names(d.cfg).lifetimeRole, `AWSCodeBuild-${id.split(":").pop()}`);
  return ops(d, lifetimeCommand(action, d.cfg.name), now, { id, credentials: session.credentials });
}

/**
 * The builds' calls since `mark`, judged: every one allowed, and the writes that prove the run
 * (Terraform included) acted as the role, not as the administrator. Throws naming what is wrong.
 */
async function judgeBuilds(d: Drive, mark: number, what: string, writes: readonly string[]): Promise<void> {
  const role = names(d.cfg).lifetimeRole;
  const sessions = `arn:aws:sts::${d.cfg.accountId}:assumed-role/${role}/`;
  const calls = (await decisionsSince(d.endpoint, mark)).decisions.filter((x) => x.principal.startsWith(sessions));
  const line = judge(`${what} as ${role}`, calls);
  const missing = writes.filter((a) => !calls.some((x) => x.action === a));
  if (missing.length) throw new Error(`${what} as ${role} never called ${missing.join(", ")}: the build's command (Terraform included) did not run as the role`);
  d.say(`${what} as ${role}: ${line}`);
}

/** The build's role trusts CodeBuild (the emulator's administrator assumes it, standing in for the service). */
async function lifetimeRoleTrust(d: Drive): Promise<void> {
  const role = await assumeRole(d.endpoint, names(d.cfg).lifetimeRole, "trust-check");
  const trusted = trustedPrincipals(role.trust);
  if (!trusted.includes("codebuild.amazonaws.com")) throw new Error(`${role.roleName} trusts ${trusted.join(", ") || "nobody"}, not codebuild.amazonaws.com`);
  d.say(`the builds run as ${role.roleName} (trusts ${trusted.join(", ")}), IAM enforced: every call of theirs must be allowed`);
}

/** What the schedule sends: StartBuild of its target project with its input. The emulator records the build; it does not run it. */
async function startBuildAsScheduled(d: Drive, action: LifetimeAction): Promise<string> {
  const n = names(d.cfg);
  const s = await new SchedulerClient(clients(d.endpoint)).send(new GetScheduleCommand({ Name: n.lifetimeSchedule(action) }));
  const projectName = s.Target!.Arn!.split(":project/")[1];
  const cb = new CodeBuildClient(clients(d.endpoint));
  const started = await cb.send(new StartBuildCommand({ projectName, ...JSON.parse(s.Target!.Input!) }));
  const [b] = (await cb.send(new BatchGetBuildsCommand({ ids: [started.build!.id!] }))).builds!;
  const got = lifetimeActionOf({ environmentVariablesOverride: b.environment?.environmentVariables });
  if (got !== action) throw new Error(`schedule ${s.Name} started a build whose LIFETIME_ACTION is ${got}, not ${action}`);
  d.say(`${s.Name} (${s.ScheduleExpression} ${s.ScheduleExpressionTimezone}) -> StartBuild ${projectName}, LIFETIME_ACTION=${action}: build ${b.id} recorded (the emulator runs no build: its command runs next, here)`);
  return b.id!;
}

async function lastRun(d: Drive, expect: { action: LifetimeAction; result: string; state: string }, what: string) {
  const ctx = opsContext(d.cfg.name, { emulatorEndpoint: d.endpoint, log: () => undefined });
  const r = await readLastRun(ctx);
  if (!r || r.action !== expect.action || r.result !== expect.result || r.state !== expect.state) {
    throw new Error(`${what}: ${names(d.cfg).lastRunParameter} is ${JSON.stringify(r)}, expected ${JSON.stringify(expect)}`);
  }
  d.say(`${what}: recorded ${r.action} ${r.result}, environment ${r.state}${r.buildId ? `, build ${r.buildId}` : ""} (${r.reason.slice(0, 120)})`);
}

/** 19:00 on a Monday: a keep-alive holds the teardown and the scheduler's stop; cleared, the teardown runs. */
export async function scheduledEvening(d: Drive): Promise<void> {
  const n = names(d.cfg);
  if ((await ops(d, ["keep-alive", d.cfg.name, "--until", "21:00", "--reason", "sandbox: the override, end to end"], MONDAY_1700)) !== 0) throw new Error("keep-alive --until 21:00 failed");
  const oneTime = await new SchedulerClient(clients(d.endpoint)).send(new GetScheduleCommand({ Name: n.keepAliveSchedule("teardown") }));
  if (oneTime.ScheduleExpression !== "at(2026-06-01T21:00:00)") throw new Error(`the keep-alive's one-time teardown is ${oneTime.ScheduleExpression}`);
  d.say(`keep-alive until 21:00 Europe/London set at 17:00; one-time ${oneTime.Name} at ${oneTime.ScheduleExpression} runs the held-back teardown when it expires`);

  const stop = await scheduleCommand({ action: "stop", env: d.cfg.name, emulatorEndpoint: d.endpoint, now: () => MONDAY_1900 });
  if (!stop.skipped?.startsWith("keep-alive until")) throw new Error(`the 19:00 scheduler stop did not honour the keep-alive: ${JSON.stringify(stop.totals)}`);
  d.say(`19:00 scheduler stop: nothing done (${stop.skipped.slice(0, 60)}...)`);

  await lifetimeRoleTrust(d);
  const mark = await lastDecision(d.endpoint);
  if ((await scheduledBuild(d, "teardown", MONDAY_1900)) !== 0) throw new Error("the held scheduled teardown exited non-zero");
  await lastRun(d, { action: "teardown", result: "skipped", state: "fully up" }, "19:00 teardown under the keep-alive");

  if ((await ops(d, ["keep-alive", d.cfg.name, "--clear"], MONDAY_1900)) !== 0) throw new Error("keep-alive --clear failed");
  if ((await scheduledBuild(d, "teardown", MONDAY_1900)) !== 0) throw new Error("the scheduled teardown failed");
  await lastRun(d, { action: "teardown", result: "succeeded", state: "fully down" }, "19:00 teardown, keep-alive cleared");
  // Terraform's destroy and the CLI's pause and record, as the role
  await judgeBuilds(d, mark, "the evening's builds", ["eks:DeleteCluster", "s3:PutObject", "scheduler:UpdateSchedule", "ssm:PutParameter"]);
}

/**
 * The morning after: on a bank holiday the restore does nothing; a restore that cannot take the
 * environment's run lock fails before changing anything and alerts (read back from a queue
 * subscribed to the alert topic); then the 06:30 restore brings compute back.
 */
export async function scheduledMorning(d: Drive): Promise<void> {
  const n = names(d.cfg);
  const mark = await lastDecision(d.endpoint);
  if ((await scheduledBuild(d, "restore", BANK_HOLIDAY_0631)) !== 0) throw new Error("the bank-holiday restore exited non-zero");
  await lastRun(d, { action: "restore", result: "skipped", state: "fully down" }, "06:30 restore on 2026-12-28 (a skip date)");

  const sqs = new SQSClient(clients(d.endpoint));
  const queue = (await sqs.send(new CreateQueueCommand({ QueueName: "sandbox-alert-reader" }))).QueueUrl!;
  const queueArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queue, AttributeNames: ["QueueArn"] }))).Attributes!.QueueArn!;
  await new SNSClient(clients(d.endpoint)).send(new SubscribeCommand({ TopicArn: n.alertTopicArn, Protocol: "sqs", Endpoint: queueArn }));
  const ctx = opsContext(d.cfg.name, { emulatorEndpoint: d.endpoint, log: () => undefined });
  const lock = await acquireRunLock(ctx, "sandbox: a run that holds the environment");
  try {
    if ((await scheduledBuild(d, "restore", TUESDAY_0635)) !== 1) throw new Error("a scheduled restore that cannot take the run lock should exit 1");
  } finally {
    await lock.release();
  }
  await lastRun(d, { action: "restore", result: "failed", state: "fully down" }, "06:30 restore while another run holds the environment");
  const msgs = (await sqs.send(new ReceiveMessageCommand({ QueueUrl: queue, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))).Messages ?? [];
  const alert = msgs.map((m) => JSON.parse(m.Body!)).find((b) => /scheduled restore FAILED: environment fully down/.test(b.Subject ?? ""));
  if (!alert) throw new Error(`no alert on ${n.alertTopic} for the failed restore (queue held ${msgs.length} message(s))`);
  d.say(`alert on ${n.alertTopic}: "${alert.Subject}"`);
  await sqs.send(new DeleteQueueCommand({ QueueUrl: queue }));

  if ((await scheduledBuild(d, "restore", TUESDAY_0635)) !== 0) throw new Error("the scheduled restore failed");
  await lastRun(d, { action: "restore", result: "succeeded", state: "fully up" }, "06:30 restore");
  // Terraform's deploy, the alert and the resume, as the role
  await judgeBuilds(d, mark, "the morning's builds", ["eks:CreateCluster", "iam:PassRole", "sns:Publish", "scheduler:UpdateSchedule", "ssm:PutParameter"]);
}
