/**
 * The compute lifetime's scheduled runs, the keep-alive override and the lifetime's status.
 *
 *   npm run ops -- teardown dev --yes --scheduled     # what the CodeBuild project runs at 19:00
 *   npm run ops -- restore dev --scheduled            # ... and at 06:30
 *   npm run ops -- keep-alive dev --until 22:00       # the 19:00 teardown and stop wait until 22:00
 *   npm run ops -- keep-alive dev --clear
 *   npm run ops -- lifetime dev [--json]              # hours, state, keep-alive, last run, next firings
 *
 * A scheduled run first asks the gate (lambda/shared/office-hours.ts): a keep-alive in force
 * holds the teardown, a skip date holds the restore, and a build that starts when the lifetime
 * wants the other state (hours late) does nothing. Then it runs the ordinary teardown or restore
 * of compute only, records the outcome in SSM (`/<project>/<env>/lifetime/last-run`: action,
 * result, state left, duration, build id, source) and, when it failed, publishes an alert to the
 * environment's topic saying which state it left the environment in.
 *
 * A scheduled restore never leaves the environment half up: a deploy that fails is tried once
 * more (a deploy converges), and if it fails again the run tears compute down again, so the
 * environment is fully down, the alert says so and the next restore (or a rerun) starts clean.
 * Only when that teardown fails as well is the environment partly up, and the alert says that.
 * A failure after the deploy (the Kubernetes manifests, resuming the schedules) leaves it up:
 * a rerun converges.
 */
import { GetParameterCommand, PutParameterCommand, DeleteParameterCommand } from "@aws-sdk/client-ssm";
import { PublishCommand } from "@aws-sdk/client-sns";
import { CreateScheduleCommand, DeleteScheduleCommand, GetScheduleCommand, UpdateScheduleCommand } from "@aws-sdk/client-scheduler";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import {
  describeHours,
  gate,
  GateVerdict,
  KeepAlive,
  keepAliveActive,
  localTime,
  numbered,
  parseKeepAlive,
  parseUntil,
  switchCrons,
  wantedState,
} from "../../lambda/shared/office-hours";
import { errorLine, errorName } from "../../lambda/shared/errors";
import { firings } from "../../cost/schedule";
import { assertAccount, OpsContext, OpsError } from "./context";
import { RunSeams, stackFacts } from "./stacks";
import { restore, RestoreResult } from "./restore";
import { teardown, TeardownResult } from "./teardown";
import type { CommandRunner } from "./kubernetes";
import type { StepReport } from "./plan";

export type LifetimeAction = "teardown" | "restore";

/** The state a run left compute in, as the alert and the record say it. */
export type ComputeState = "fully up" | "fully down" | "partly up";

/** What every scheduled run records (SSM `<lifetime prefix>/last-run`, overwritten; SSM keeps 100 versions). */
export interface LastRun {
  readonly version: 1;
  readonly env: string;
  readonly action: LifetimeAction;
  readonly result: "succeeded" | "failed" | "skipped";
  readonly state: ComputeState;
  readonly reason: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationSec: number;
  readonly buildId?: string;
  readonly sourceVersion?: string;
  readonly commit?: string;
  /** The command that finishes the job, when one is needed. */
  readonly next?: string;
}

/** Where the run came from: the CodeBuild build and its source (ops.ts reads them from the build's environment). */
export interface BuildInfo {
  readonly buildId?: string;
  readonly sourceVersion?: string;
  readonly commit?: string;
}

export interface ScheduledOptions extends RunSeams {
  readonly build?: BuildInfo;
  readonly kubectl?: CommandRunner;
  /** @default - the context's clock */
  readonly now?: () => Date;
  /** Test seam: where alerts go. @default - SNS Publish to the alert topic */
  readonly publish?: (subject: string, message: string) => Promise<void>;
}

// ---- facts ------------------------------------------------------------------------------------

export function lifetimeOf(ctx: OpsContext) {
  const life = ctx.cfg.computeLifetime;
  if (life === "always") {
    throw new OpsError(`${ctx.cfg.name}'s computeLifetime is "always" (config/environments.ts): no schedule tears its compute down, so there is no scheduled run to make`);
  }
  return life;
}

export async function readKeepAlive(ctx: OpsContext): Promise<KeepAlive | undefined> {
  const name = ctx.names.keepAliveParameter;
  try {
    const v = (await ctx.clients.ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
    return v === undefined ? undefined : parseKeepAlive(name, v);
  } catch (err) {
    if (errorName(err) === "ParameterNotFound") return undefined;
    throw err;
  }
}

export async function lifetimeVerdict(ctx: OpsContext, action: LifetimeAction, now: Date): Promise<GateVerdict> {
  const life = lifetimeOf(ctx);
  return gate(action, now.getTime(), {
    timezone: ctx.cfg.schedule.timezone,
    skipDates: ctx.cfg.schedule.skipDates,
    keepAlive: await readKeepAlive(ctx),
    hours: life.hours,
    leadMinutes: life.restoreLeadMinutes,
  });
}

/** What the compute stack's state says now. */
export async function computeState(ctx: OpsContext): Promise<{ state: ComputeState; resources: number }> {
  const f = await stackFacts(ctx, "compute");
  return { state: f.state === "deployed" ? "fully up" : "fully down", resources: f.resources };
}

export async function readLastRun(ctx: OpsContext): Promise<LastRun | undefined> {
  try {
    const v = (await ctx.clients.ssm.send(new GetParameterCommand({ Name: ctx.names.lastRunParameter }))).Parameter?.Value;
    return v ? (JSON.parse(v) as LastRun) : undefined;
  } catch (err) {
    if (errorName(err) === "ParameterNotFound") return undefined;
    throw err;
  }
}

async function writeLastRun(ctx: OpsContext, run: LastRun): Promise<void> {
  // a standard parameter holds 4 KB: the reason is cut, never the fields
  const text = JSON.stringify({ ...run, reason: run.reason.slice(0, 2500) });
  await ctx.clients.ssm.send(new PutParameterCommand({ Name: ctx.names.lastRunParameter, Value: text, Type: "String", Overwrite: true }));
}

// ---- decisions (pure) --------------------------------------------------------------------------

/**
 * What a restore's steps say: "succeeded"; "up-but-failed" when everything deployed and a later
 * step failed (a rerun converges, nothing to undo); "deploy-failed" when a deploy did not finish.
 */
export function restoreOutcome(r: Pick<RestoreResult, "ok" | "steps" | "interrupted">): "succeeded" | "up-but-failed" | "deploy-failed" {
  if (r.ok) return "succeeded";
  const deploys = r.steps.filter((s) => s.step.startsWith("deploy "));
  return !r.interrupted && deploys.length > 0 && deploys.every((s) => s.status === "done") ? "up-but-failed" : "deploy-failed";
}

const failedSteps = (steps: readonly StepReport[]) => steps.filter((s) => s.status === "failed").map((s) => `${s.step}: ${s.detail}`);

/** The alert for a failed run: a subject (SNS allows 100 characters) and a body an operator acts on. */
export function alertFor(run: LastRun, where: { readonly prefix: string; readonly lastRunParameter: string; readonly logGroup: string }): { subject: string; message: string } {
  const subject = `[${where.prefix}] scheduled ${run.action} FAILED: environment ${run.state}`.slice(0, 100);
  const message = [
    `The compute lifetime's scheduled ${run.action} of ${run.env} failed (started ${run.startedAt}, ${run.durationSec} s).`,
    `State it left: ${run.state}.`,
    `What failed: ${run.reason}`,
    ...(run.next ? [`To finish: ${run.next}`] : []),
    `Record: SSM parameter ${where.lastRunParameter}. Build log: CloudWatch Logs ${where.logGroup}${run.buildId ? ` (build ${run.buildId})` : ""}.`,
    ...(run.commit || run.sourceVersion ? [`Source: commit ${run.commit ?? "unknown"}, S3 version ${run.sourceVersion ?? "unknown"}.`] : []),
  ].join("\n");
  return { subject, message };
}

// ---- the runs ------------------------------------------------------------------------------------

async function finish(ctx: OpsContext, run: Omit<LastRun, "version" | "env" | "startedAt" | "finishedAt" | "durationSec">, started: Date, opts: ScheduledOptions): Promise<LastRun> {
  const finishedAt = (opts.now ?? ctx.now)();
  const full: LastRun = {
    version: 1,
    env: ctx.cfg.name,
    ...run,
    startedAt: started.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationSec: Math.round((finishedAt.getTime() - started.getTime()) / 1000),
    ...opts.build,
  };
  try {
    await writeLastRun(ctx, full);
  } catch (err) {
    ctx.log(`could not record the run in ${ctx.names.lastRunParameter}: ${errorLine(err)}`);
  }
  ctx.log(`scheduled ${full.action} of ${full.env}: ${full.result}, environment ${full.state}: ${full.reason} (recorded in ${ctx.names.lastRunParameter})`);
  if (full.result === "failed") {
    const a = alertFor(full, { prefix: ctx.names.prefix, lastRunParameter: ctx.names.lastRunParameter, logGroup: ctx.names.lifetimeLogGroup });
    try {
      await (opts.publish ?? ((subject, message) => publishAlert(ctx, subject, message)))(a.subject, a.message);
      ctx.log(`alert sent to ${ctx.names.alertTopicArn}: ${a.subject}`);
    } catch (err) {
      ctx.log(`the alert could not be sent to ${ctx.names.alertTopicArn}: ${errorLine(err)} (the failed build also alerts through ${ctx.names.lifetimeFailureRule})`);
    }
  }
  return full;
}

/** As the run's own identity (the build's role), like every other call of the run. */
export async function publishAlert(ctx: OpsContext, subject: string, message: string): Promise<void> {
  await ctx.clients.sns.send(new PublishCommand({ TopicArn: ctx.names.alertTopicArn, Subject: subject, Message: message }));
}

/** A scheduled run's checks before it changes anything: flags, account, lifetime, gate. Undefined: go on; else the record of a skip. */
async function preflight(ctx: OpsContext, action: LifetimeAction, started: Date, opts: ScheduledOptions): Promise<LastRun | undefined> {
  lifetimeOf(ctx);
  await assertAccount(ctx);
  const verdict = await lifetimeVerdict(ctx, action, started);
  if (verdict.run) return undefined;
  const { state } = await computeState(ctx);
  return finish(ctx, { action, result: "skipped", state, reason: verdict.reason }, started, opts);
}

const scheduledTeardownRun = (ctx: OpsContext, opts: ScheduledOptions): Promise<TeardownResult> =>
  teardown(ctx, { yes: true, isTty: false, scheduled: true, runner: opts.runner, cdktf: opts.cdktf, interrupts: opts.interrupts, now: opts.now });

/**
 * Runs once, and once more when `again` says the first did not converge (a destroy or a deploy
 * usually does on a second run). A check that refuses (a lock held, another run) throws: nothing
 * changed and a second try would refuse the same, so that ends it, as an error line.
 */
async function attemptTwice<T>(run: () => Promise<T>, again: (r: T) => boolean, onAgain: () => void): Promise<{ result?: T; error?: string; attempts: number }> {
  let result: T | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      result = await run();
    } catch (err) {
      return { result, error: err instanceof OpsError ? err.message : errorLine(err), attempts: attempt };
    }
    if (attempt === 2 || !again(result)) return { result, attempts: attempt };
    onAgain();
  }
}

export async function scheduledTeardown(ctx: OpsContext, opts: ScheduledOptions = {}): Promise<LastRun> {
  const env = ctx.cfg.name;
  const started = (opts.now ?? ctx.now)();
  const skipped = await preflight(ctx, "teardown", started, opts);
  if (skipped) return skipped;
  if ((await computeState(ctx)).state === "fully down") {
    return finish(ctx, { action: "teardown", result: "succeeded", state: "fully down", reason: `${env}-compute is not deployed: nothing to tear down` }, started, opts);
  }
  const { result: last, error, attempts } = await attemptTwice(
    () => scheduledTeardownRun(ctx, opts),
    (r) => !r.ok && !r.interrupted,
    () => ctx.log(`scheduled teardown of ${env}: attempt 1 did not complete; trying once more (a destroy converges)`),
  );
  const after = await computeState(ctx);
  const rerun = `npm run ops -- teardown ${env} --yes`;
  if (!error && last?.ok) {
    return finish(ctx, { action: "teardown", result: "succeeded", state: "fully down", reason: `${env}-compute destroyed${attempts > 1 ? " on the second attempt" : ""}; ${env}-ops and ${env}-data kept` }, started, opts);
  }
  const why = error ?? (last?.interrupted ? `interrupted by ${last.interrupted}` : failedSteps(last?.steps ?? []).join("; "));
  // the verify step may fail with everything destroyed (leftovers listed): down, with a rerun to clean up
  const state: ComputeState = after.state === "fully down" ? "fully down" : error || !last?.steps.some((s) => s.step === `destroy ${env}-compute` && s.status !== "skipped") ? "fully up" : "partly up";
  return finish(ctx, { action: "teardown", result: "failed", state, reason: `${why}${state === "partly up" ? ` (${after.resources} compute resource(s) left)` : ""}`, next: rerun }, started, opts);
}

export async function scheduledRestore(ctx: OpsContext, opts: ScheduledOptions = {}): Promise<LastRun> {
  const env = ctx.cfg.name;
  const started = (opts.now ?? ctx.now)();
  const skipped = await preflight(ctx, "restore", started, opts);
  if (skipped) return skipped;
  // the build's role holds no permission on the data and ops stacks: they must be there
  for (const kind of ["data", "ops"] as const) {
    const f = await stackFacts(ctx, kind);
    if (f.state !== "deployed") {
      return finish(
        ctx,
        { action: "restore", result: "failed", state: (await computeState(ctx)).state, reason: `${env}-${kind} is ${f.state}: the scheduled restore brings back compute only (its role cannot deploy ${kind}); nothing changed`, next: `npm run ops -- restore ${env}` },
        started,
        opts,
      );
    }
  }
  const { result: r, error } = await attemptTwice(
    () => restore(ctx, { scheduled: true, runner: opts.runner, cdktf: opts.cdktf, interrupts: opts.interrupts, kubectl: opts.kubectl, now: opts.now }),
    (res) => restoreOutcome(res) === "deploy-failed" && !res.interrupted,
    () => ctx.log(`scheduled restore of ${env}: the deploy did not complete; trying once more (a deploy converges)`),
  );
  const rerun = `npm run ops -- restore ${env}`;
  if (error) return finish(ctx, { action: "restore", result: "failed", state: (await computeState(ctx)).state, reason: `${error}`, next: rerun }, started, opts);
  const outcome = restoreOutcome(r!);
  if (outcome === "succeeded") return finish(ctx, { action: "restore", result: "succeeded", state: "fully up", reason: r!.left }, started, opts);
  if (outcome === "up-but-failed") {
    return finish(ctx, { action: "restore", result: "failed", state: "fully up", reason: `${env}-compute is deployed, but: ${failedSteps(r!.steps).join("; ")}`, next: rerun }, started, opts);
  }
  // never half up: take compute down again, so the environment is in a state the next run starts from
  const why = r!.interrupted ? `interrupted by ${r!.interrupted}` : failedSteps(r!.steps).join("; ");
  if ((await computeState(ctx)).state === "fully down") {
    return finish(ctx, { action: "restore", result: "failed", state: "fully down", reason: `${why} (nothing was created)`, next: rerun }, started, opts);
  }
  ctx.log(`scheduled restore of ${env}: the deploy failed twice; tearing compute down again so that the environment is not left half up`);
  const { result: back, error: backError } = await attemptTwice(() => scheduledTeardownRun(ctx, opts), () => false, () => undefined);
  const after = await computeState(ctx);
  if (after.state === "fully down") {
    return finish(ctx, { action: "restore", result: "failed", state: "fully down", reason: `${why}; compute was torn down again (no half environment)`, next: rerun }, started, opts);
  }
  const backWhy = backError ?? failedSteps(back?.steps ?? []).join("; ");
  return finish(
    ctx,
    { action: "restore", result: "failed", state: "partly up", reason: `${why}; tearing it down again failed too (${backWhy}): ${after.resources} compute resource(s) exist`, next: `${rerun} (or npm run ops -- teardown ${env} --yes)` },
    started,
    opts,
  );
}

// ---- keep-alive ------------------------------------------------------------------------------------

/** One-time schedules that run, at the keep-alive's expiry, what it held back (when the hours want the environment down by then). */
interface ExpiryPlan {
  readonly name: string;
  readonly copyOf: string;
  readonly what: string;
}

function expiryPlans(ctx: OpsContext, until: Date): ExpiryPlan[] {
  const s = ctx.cfg.schedule;
  const out: ExpiryPlan[] = [];
  const life = ctx.cfg.computeLifetime;
  if (life !== "always" && wantedState(until.getTime(), s.timezone, life.hours, life.restoreLeadMinutes, s.skipDates) === "down") {
    const teardowns = numbered("teardown", switchCrons(life.hours, life.restoreLeadMinutes).stop);
    out.push({ name: ctx.names.keepAliveSchedule("teardown"), copyOf: ctx.names.lifetimeSchedule(teardowns[0].name), what: `the teardown of ${ctx.cfg.name}-compute` });
  }
  if (s.enabled && wantedState(until.getTime(), s.timezone, s.hours, 0, s.skipDates) === "down") {
    const stops = numbered("stop", switchCrons(s.hours).stop);
    out.push({ name: ctx.names.keepAliveSchedule("stop"), copyOf: ctx.names.schedulerSchedule(stops[0].name), what: "the scheduler's stop" });
  }
  return out;
}

/** `at(2026-06-01T22:00:00)` on the timezone's wall clock. */
export function atExpression(until: Date, tz: string): string {
  const t = localTime(until.getTime(), tz);
  const hh = String(Math.floor(t.minute / 60)).padStart(2, "0");
  const mm = String(t.minute % 60).padStart(2, "0");
  const ss = String(until.getUTCSeconds()).padStart(2, "0");
  return `at(${t.date}T${hh}:${mm}:${ss})`;
}

async function upsertOneTime(ctx: OpsContext, plan: ExpiryPlan, until: Date): Promise<string> {
  const sched = ctx.clients.scheduler;
  let target;
  try {
    target = (await sched.send(new GetScheduleCommand({ Name: plan.copyOf }))).Target;
  } catch (err) {
    if (errorName(err) === "ResourceNotFoundException") return `${plan.what}: schedule ${plan.copyOf} does not exist (ops stack not deployed), nothing to run at the expiry`;
    throw err;
  }
  const input = {
    Name: plan.name,
    Description: `keep-alive of ${ctx.cfg.name} expires: ${plan.what} (a copy of ${plan.copyOf}'s target)`,
    ScheduleExpression: atExpression(until, ctx.cfg.schedule.timezone),
    ScheduleExpressionTimezone: ctx.cfg.schedule.timezone,
    FlexibleTimeWindow: { Mode: "OFF" as const },
    Target: target,
    ActionAfterCompletion: "DELETE" as const,
    State: "ENABLED" as const,
  };
  try {
    await sched.send(new CreateScheduleCommand(input));
  } catch (err) {
    if (errorName(err) !== "ConflictException") throw err;
    await sched.send(new UpdateScheduleCommand(input));
  }
  return `${plan.what} runs at ${input.ScheduleExpression} ${input.ScheduleExpressionTimezone} (one-time schedule ${plan.name}, deleted once it has run)`;
}

async function deleteOneTime(ctx: OpsContext, name: string): Promise<boolean> {
  try {
    await ctx.clients.scheduler.send(new DeleteScheduleCommand({ Name: name }));
    return true;
  } catch (err) {
    if (errorName(err) === "ResourceNotFoundException") return false;
    throw err;
  }
}

export interface KeepAliveOptions {
  readonly until?: string;
  readonly clear?: boolean;
  readonly reason?: string;
  readonly dryRun?: boolean;
}

/** Flags only, no AWS: `--until` parsed and bounded (past, more than 7 days ahead), `--clear` alone. */
export function keepAliveFlags(ctx: Pick<OpsContext, "cfg" | "now">, o: KeepAliveOptions): Date | undefined {
  if (o.clear && (o.until || o.reason)) throw new OpsError("--clear removes the keep-alive: it does not go with --until or --reason");
  if (o.reason !== undefined && !o.until) throw new OpsError("--reason goes with --until");
  if (o.reason !== undefined && (o.reason.length > 200 || /[\r\n]/.test(o.reason))) throw new OpsError(`--reason must be one line of at most 200 characters, got ${o.reason.length}`);
  if (!o.until) return undefined;
  try {
    return parseUntil(o.until, ctx.now().getTime(), ctx.cfg.schedule.timezone);
  } catch (err) {
    throw new OpsError((err as Error).message);
  }
}

export async function keepAlive(ctx: OpsContext, o: KeepAliveOptions): Promise<void> {
  const until = keepAliveFlags(ctx, o);
  const tz = ctx.cfg.schedule.timezone;
  await assertAccount(ctx);
  const names = [ctx.names.keepAliveSchedule("teardown"), ctx.names.keepAliveSchedule("stop")];
  if (o.clear) {
    if (o.dryRun) return ctx.log(`dry run: would delete ${ctx.names.keepAliveParameter} and the one-time schedules ${names.join(", ")}`);
    try {
      await ctx.clients.ssm.send(new DeleteParameterCommand({ Name: ctx.names.keepAliveParameter }));
    } catch (err) {
      if (errorName(err) !== "ParameterNotFound") throw err;
    }
    const deleted = [];
    for (const n of names) if (await deleteOneTime(ctx, n)) deleted.push(n);
    return ctx.log(`keep-alive of ${ctx.cfg.name} cleared${deleted.length ? `; deleted ${deleted.join(", ")}` : ""}: the next scheduled teardown and stop act as usual`);
  }
  if (!until) {
    const k = await readKeepAlive(ctx);
    const now = ctx.now().getTime();
    return ctx.log(
      !k
        ? `no keep-alive for ${ctx.cfg.name}`
        : keepAliveActive(k, now)
          ? `${ctx.cfg.name} is kept alive until ${k.until} (set by ${k.setBy} at ${k.setAt}${k.reason ? `: ${k.reason}` : ""})`
          : `the keep-alive of ${ctx.cfg.name} expired at ${k.until} (set by ${k.setBy}); it holds nothing`,
    );
  }
  const plans = expiryPlans(ctx, until);
  const when = `${until.toISOString()} (${atExpression(until, tz).slice(3, -1).replace("T", " ")} ${tz})`;
  if (o.dryRun) {
    ctx.log(`dry run: would keep ${ctx.cfg.name} alive until ${when}, in ${ctx.names.keepAliveParameter}`);
    for (const p of plans) ctx.log(`  and run ${p.what} then (one-time schedule ${p.name}, a copy of ${p.copyOf}'s target)`);
    return;
  }
  const who = (await ctx.clients.sts.send(new GetCallerIdentityCommand({}))).Arn ?? "unknown";
  const record: KeepAlive = { version: 1, until: until.toISOString(), setAt: ctx.now().toISOString(), setBy: who, ...(o.reason ? { reason: o.reason } : {}) };
  await ctx.clients.ssm.send(new PutParameterCommand({ Name: ctx.names.keepAliveParameter, Value: JSON.stringify(record), Type: "String", Overwrite: true }));
  ctx.log(`${ctx.cfg.name} kept alive until ${when}: the scheduled teardown and the scheduler's stop and stop-idle do nothing before then (${ctx.names.keepAliveParameter})`);
  for (const p of plans) ctx.log(`  ${await upsertOneTime(ctx, p, until)}`);
  // an earlier, longer keep-alive may have left a one-time schedule this one no longer needs
  for (const n of names.filter((n) => !plans.some((p) => p.name === n))) if (await deleteOneTime(ctx, n)) ctx.log(`  deleted ${n}: not needed at the new expiry`);
  if (!plans.length) ctx.log("  at the expiry the working hours still want it up: the next scheduled teardown acts as usual");
}

// ---- status ---------------------------------------------------------------------------------------------

export interface LifetimeStatus {
  readonly env: string;
  readonly lifetime: string;
  readonly timezone: string;
  readonly wanted: "up" | "down";
  readonly computeDeployed: boolean;
  readonly keepAlive?: KeepAlive & { readonly active: boolean };
  readonly lastRun?: LastRun;
  readonly next: { readonly action: LifetimeAction; readonly at: string }[];
  readonly upcomingSkipDates: readonly string[];
  readonly sourceLocation?: string;
}

export async function lifetimeStatus(ctx: OpsContext): Promise<LifetimeStatus> {
  const now = ctx.now();
  const s = ctx.cfg.schedule;
  const life = ctx.cfg.computeLifetime;
  const [{ state }, k, lastRun] = await Promise.all([computeState(ctx), readKeepAlive(ctx), readLastRun(ctx)]);
  const next: LifetimeStatus["next"][number][] = [];
  if (life !== "always") {
    const crons = switchCrons(life.hours, life.restoreLeadMinutes);
    const horizon = now.getTime() + 8 * 86_400_000;
    for (const [action, list] of [["restore", crons.start], ["teardown", crons.stop]] as const) {
      const first = list.flatMap((c) => firings(c, s.timezone, now.getTime(), horizon)).sort((a, b) => a - b)[0];
      if (first !== undefined) next.push({ action, at: new Date(first).toISOString() });
    }
  }
  const today = localTime(now.getTime(), s.timezone).date;
  return {
    env: ctx.cfg.name,
    lifetime: life === "always" ? "always" : `${describeHours(life.hours)}, restored ${life.restoreLeadMinutes} min early`,
    timezone: s.timezone,
    wanted: life === "always" ? "up" : wantedState(now.getTime(), s.timezone, life.hours, life.restoreLeadMinutes, s.skipDates),
    computeDeployed: state !== "fully down",
    keepAlive: k ? { ...k, active: keepAliveActive(k, now.getTime()) } : undefined,
    lastRun,
    next: next.sort((a, b) => a.at.localeCompare(b.at)),
    upcomingSkipDates: s.skipDates.filter((d) => d >= today).slice(0, 5),
    sourceLocation: life === "always" ? undefined : `s3://${ctx.names.stateBucket}/${ctx.names.lifetimeSourceKey}`,
  };
}

export function formatStatus(st: LifetimeStatus): string {
  return [
    `${st.env}: compute lifetime ${st.lifetime} (${st.timezone}); wanted now: ${st.wanted}; ${st.env}-compute ${st.computeDeployed ? "deployed" : "not deployed"}`,
    `keep-alive: ${st.keepAlive ? `${st.keepAlive.active ? "until" : "expired at"} ${st.keepAlive.until} (set by ${st.keepAlive.setBy})` : "none"}`,
    `last run: ${st.lastRun ? `${st.lastRun.action} ${st.lastRun.result} at ${st.lastRun.startedAt} (${st.lastRun.durationSec} s), environment ${st.lastRun.state}: ${st.lastRun.reason}` : "none recorded"}`,
    ...st.next.map((n) => `next ${n.action}: ${n.at}`),
    `upcoming skip dates: ${st.upcomingSkipDates.join(", ") || "none"}`,
    ...(st.sourceLocation ? [`build source: ${st.sourceLocation}`] : []),
  ].join("\n");
}
