/**
 * Least privilege proven by running under it. The sandbox emulator enforces IAM for role
 * sessions (sandbox/emulator/patches/iam_enforcement.py); this module gets credentials by
 * sts:AssumeRole of the roles the stacks synthesize and runs the tools with them:
 *
 *   const session = await assumeRole(endpoint, names(cfg).schedulerFunction);
 *   await scheduleCommand({ action: "stop", env: "sandbox", emulatorEndpoint: endpoint, credentials: session.credentials });
 *   const denied = (await decisionsSince(endpoint, mark)).decisions.filter((d) => d.principal === session.principalArn && !d.allowed);
 *
 *   await leastPrivilegePhase(cfg, endpoint, say);      // the `npm start` phase: scheduler and cost report
 *   const ctx = await opsContextAsRole("sandbox", roleName, { emulatorEndpoint });   // teardown / restore as a role
 *
 * The emulator's administrator (the credentials Terraform deploys with) assumes the roles, standing
 * in for the principal each trust policy admits (lambda.amazonaws.com for the scheduler, the
 * configured readers for the cost role): the emulator does not evaluate trust for it, so the phase
 * checks each trust names what it should.
 */
import { GetRoleCommand, IAMClient } from "@aws-sdk/client-iam";
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";
import { ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import type { EnvironmentConfig } from "../config/types";
import { names } from "../config/naming";
import { AwsCredentials, awsClientConfig } from "../lambda/shared/aws-client";
import { errorLine, errorName } from "../lambda/shared/errors";
import { scheduleCommand } from "../cli/schedule";
import { SchedulerFailedError } from "../lambda/scheduler/core";
import type { Summary } from "../lambda/scheduler/types";
import { costReport } from "../cost/report";
import { ContextOptions, OpsContext, opsContext } from "../cli/ops/context";

export interface RoleSession {
  readonly roleName: string;
  readonly roleArn: string;
  /** The session's identity in the emulator's decisions: arn:aws:sts::<account>:assumed-role/<role>/<session>. */
  readonly principalArn: string;
  readonly credentials: AwsCredentials;
  /** The role's trust policy, decoded. */
  readonly trust: { readonly Statement?: unknown };
}

/** One authorization decision of the emulator (iam_enforcement.py). */
export interface Decision {
  readonly seq: number;
  readonly principal: string;
  /** The call, as its IAM action. */
  readonly operation: string;
  /** The action checked: the call's own, or one AWS adds to it (iam:PassRole, sagemaker:AddTags). */
  readonly action: string;
  /** null: the emulator could not tell the resource and checked the action alone. */
  readonly resource: string | null;
  readonly basis: string;
  readonly allowed: boolean;
  /** invalid: answered as AWS answers it before authorizing (a role session's iam:GetUser without a name). */
  readonly decision: "allow" | "explicit-deny" | "implicit-deny" | "admin" | "invalid";
  readonly statement?: string | null;
  /** The deciding statement has a Condition the emulator did not evaluate. */
  readonly conditionsIgnored?: boolean;
}

export interface Decisions {
  readonly enforcing: boolean;
  /** Sequence number of the last decision made: pass it as `since` to see only what comes after. */
  readonly last: number;
  readonly decisions: readonly Decision[];
}

const REGION = "us-east-1";

/** The sequence number of the emulator's last decision: pass it to decisionsSince to see only what comes after. */
export async function lastDecision(endpoint: string): Promise<number> {
  return (await decisionsSince(endpoint, Number.MAX_SAFE_INTEGER)).last;
}

/** The emulator's decisions after `since` (0: all it kept). */
export async function decisionsSince(endpoint: string, since = 0): Promise<Decisions> {
  let res: Response;
  try {
    res = await fetch(`${endpoint}/moto-api/rf-iam/decisions?since=${since}`);
  } catch (err) {
    throw new Error(`the emulator at ${endpoint} did not answer (${errorLine(err)})`);
  }
  if (!res.ok) {
    throw new Error(`the emulator at ${endpoint} has no IAM decision log (HTTP ${res.status}): it is not this project's emulator (sandbox/emulator/server.py)`);
  }
  return (await res.json()) as Decisions;
}

/**
 * Credentials of a session of `roleName`, by sts:AssumeRole as the emulator's administrator.
 * Fails naming the role when it does not exist (its stack is not deployed).
 */
export async function assumeRole(endpoint: string, roleName: string, sessionName = "least-privilege"): Promise<RoleSession> {
  const admin = awsClientConfig({ region: REGION, emulatorEndpoint: endpoint });
  let role;
  try {
    role = (await new IAMClient(admin).send(new GetRoleCommand({ RoleName: roleName }))).Role!;
  } catch (err) {
    if (errorName(err) === "NoSuchEntityException" || errorName(err) === "NoSuchEntity") {
      throw new Error(`role ${roleName} does not exist in the emulator at ${endpoint}: deploy the stack that defines it first`);
    }
    throw err;
  }
  const out = await new STSClient(admin).send(new AssumeRoleCommand({ RoleArn: role.Arn!, RoleSessionName: sessionName, DurationSeconds: 3600 }));
  const c = out.Credentials!;
  return {
    roleName,
    roleArn: role.Arn!,
    principalArn: out.AssumedRoleUser!.Arn!,
    credentials: { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! },
    trust: JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument ?? "{}")),
  };
}

/**
 * An ops context (SDK clients and the environment cdktf and Terraform get) acting as a session of
 * `roleName`, for tests of the ops CLI under a role. The sandbox's scheduled builds hand the
 * session's credentials to the CLI's own entry point instead (sandbox/lifetime.ts), as CodeBuild
 * runs the command.
 */
export async function opsContextAsRole(env: string, roleName: string, opts: ContextOptions & { readonly emulatorEndpoint: string }): Promise<OpsContext> {
  const session = await assumeRole(opts.emulatorEndpoint, roleName, `ops-${env}`);
  return opsContext(env, { ...opts, credentials: session.credentials });
}

/** Principals a trust policy admits with sts:AssumeRole: service names and AWS ARNs. */
export function trustedPrincipals(trust: { readonly Statement?: unknown }): string[] {
  const statements = Array.isArray(trust.Statement) ? trust.Statement : trust.Statement ? [trust.Statement] : [];
  const out: string[] = [];
  for (const s of statements as { Effect?: string; Principal?: Record<string, string | string[]> }[]) {
    if (s.Effect !== "Allow" || !s.Principal) continue;
    for (const v of Object.values(s.Principal)) out.push(...(Array.isArray(v) ? v : [v]));
  }
  return out.sort();
}

/** What a session was asked to do, in one line; throws naming every denied action. */
export function judge(label: string, decisions: readonly Decision[]): string {
  const denied = decisions.filter((d) => !d.allowed);
  if (denied.length) {
    const list = [...new Set(denied.map((d) => `${d.action}${d.resource ? ` on ${d.resource}` : ""}`))];
    throw new Error(`${label}: ${denied.length} call(s) denied: ${list.join("; ")}`);
  }
  if (!decisions.length) throw new Error(`${label}: the emulator logged no call of this session: did it run as the role?`);
  // answered as AWS answers them before any authorization (a role session's iam:GetUser without a name)
  const invalid = decisions.filter((d) => d.decision === "invalid");
  const judged = decisions.filter((d) => d.decision !== "invalid");
  const actions = new Set(judged.map((d) => d.action));
  const onResource = judged.filter((d) => d.resource !== null).length;
  const conditional = judged.filter((d) => d.conditionsIgnored).length;
  return (
    `${judged.length} calls, ${actions.size} actions, all allowed (${onResource} checked on their resource, ${judged.length - onResource} on the action alone)` +
    (conditional ? `; ${conditional} allowed by a statement whose Condition the emulator does not evaluate` : "") +
    (invalid.length ? `; ${invalid.length} answered ValidationError as on AWS (${[...new Set(invalid.map((d) => d.action))].join(", ")})` : "")
  );
}

async function sessionDecisions(endpoint: string, since: number, principal: string): Promise<Decision[]> {
  return (await decisionsSince(endpoint, since)).decisions.filter((d) => d.principal === principal);
}

/** A call the role is not granted must be denied, naming the action: enforcement is live. */
async function expectDenied(endpoint: string, session: RoleSession): Promise<string> {
  try {
    await new S3Client(awsClientConfig({ region: REGION, emulatorEndpoint: endpoint, credentials: session.credentials })).send(new ListBucketsCommand({}));
  } catch (err) {
    if (/AccessDenied/.test(errorName(err)) && /s3:ListAllMyBuckets/.test(errorLine(err))) return `s3:ListAllMyBuckets, which it is not granted, is denied`;
    throw err;
  }
  throw new Error(`${session.roleName} listed the account's buckets, which its policy does not allow: the emulator is not enforcing IAM`);
}

function scheduled(summary: Summary, outcome: "stopped" | "started"): string {
  const done = summary.results.filter((r) => r.outcome === outcome);
  return `${summary.action}: ${done.map((r) => `${r.kind} ${r.id.split("/").pop()}`).join(", ") || "nothing"} ${outcome}`;
}

/**
 * The `npm start` phase: the scheduler core (stop, then start) as the scheduler's role and
 * `cost report` as the cost reader role, with every call they make allowed; a call outside each
 * role's policy is denied. Throws naming each denied action.
 */
export async function leastPrivilegePhase(cfg: EnvironmentConfig, endpoint: string, say: (line: string) => void): Promise<void> {
  const n = names(cfg);
  const status = await decisionsSince(endpoint, Number.MAX_SAFE_INTEGER);
  if (!status.enforcing) {
    throw new Error(`the emulator at ${endpoint} does not enforce IAM: start it with RF_EMULATOR_IAM=enforce (npm start does) to run the tools under their roles`);
  }

  const scheduler = await assumeRole(endpoint, n.schedulerFunction);
  const lambdaTrust = trustedPrincipals(scheduler.trust);
  if (!lambdaTrust.includes("lambda.amazonaws.com")) throw new Error(`${scheduler.roleName} trusts ${lambdaTrust.join(", ") || "nobody"}, not lambda.amazonaws.com`);
  say(`${scheduler.roleName} (trusts ${lambdaTrust.join(", ")}): ${await expectDenied(endpoint, scheduler)}`);
  let mark = await lastDecision(endpoint);
  for (const action of ["stop", "start"] as const) {
    let summary: Summary;
    try {
      summary = await scheduleCommand({ action, env: cfg.name, emulatorEndpoint: endpoint, credentials: scheduler.credentials });
    } catch (err) {
      if (err instanceof SchedulerFailedError) {
        const failed = err.summary.results.filter((r) => r.outcome === "failed").map((r) => `${r.kind} ${r.id}: ${r.reason}`);
        throw new Error(`the scheduler's ${action} failed as ${scheduler.roleName}: ${failed.join("; ")}`);
      }
      throw err;
    }
    const expected = action === "stop" ? "stopped" : "started";
    if (!summary.results.some((r) => r.outcome === expected)) throw new Error(`the scheduler's ${action} as ${scheduler.roleName} changed nothing: ${JSON.stringify(summary.totals)}`);
    say(scheduled(summary, expected));
  }
  const schedulerCalls = await sessionDecisions(endpoint, mark, scheduler.principalArn);
  const writes = ["eks:UpdateNodegroupConfig", "sagemaker:DeleteEndpoint", "sagemaker:CreateEndpoint", "ssm:PutParameter", "ssm:DeleteParameter"].filter(
    (a) => !schedulerCalls.some((d) => d.action === a),
  );
  if (writes.length) throw new Error(`the scheduler as ${scheduler.roleName} never called ${writes.join(", ")}: the stop/start above did not run as the role`);
  say(`scheduler as ${scheduler.roleName}: ${judge(scheduler.roleName, schedulerCalls)}`);

  const reader = await assumeRole(endpoint, n.costReaderRole);
  const readerTrust = trustedPrincipals(reader.trust);
  const unexpected = readerTrust.filter((p) => !cfg.costReaders.includes(p));
  if (unexpected.length || !readerTrust.length) throw new Error(`${reader.roleName} trusts ${readerTrust.join(", ") || "nobody"}; the config names ${cfg.costReaders.join(", ")}`);
  say(`${reader.roleName} (trusts ${readerTrust.join(", ")})`);
  mark = await lastDecision(endpoint);
  const report = await costReport({ env: cfg.name, emulatorEndpoint: endpoint, credentials: reader.credentials });
  if (report.errors.length) throw new Error(`cost report as ${reader.roleName} reported errors: ${report.errors.join("; ")}`);
  say(`cost report as ${reader.roleName}: $${report.totalUsd.toFixed(2)} over ${report.period.days} days, ${report.recommendations.length} recommendation(s), no errors`);
  say(`cost report as ${reader.roleName}: ${judge(reader.roleName, await sessionDecisions(endpoint, mark, reader.principalArn))}`);
}
