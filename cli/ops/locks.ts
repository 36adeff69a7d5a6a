/**
 * Locks, in the environment's state bucket (the one place every machine that runs teardown or
 * restore can reach: a laptop, CI, the nightly build):
 *
 * - Terraform's own state locks: `<state key>.tflock`, written by `use_lockfile` (S3 native
 *   locking) while a plan, apply or destroy runs. A run checks them before its first change and
 *   reports one with its id, holder and age; `ops unlock <env> <stack>` releases it after a
 *   typed confirmation (what `terraform force-unlock` does for an S3 lockfile).
 * - The ops run lock: `<project>/<env>/ops-run.lock`, written with `If-None-Match: *` by every
 *   teardown and restore before its first change, so a second run against the same
 *   environment refuses and names the first (pid, host, start time). The holder refreshes it
 *   every minute; a lock whose process is gone from this host, or that nobody refreshed for 10
 *   minutes (a build machine that was killed), is stale and taken over. `ops unlock <env> run`
 *   releases one by hand.
 * - The pause record: `<project>/<env>/ops-paused.json`, the rules and schedules a teardown
 *   disabled, so that restore (or a teardown whose destroy did not happen) enables exactly
 *   those and never one that somebody had switched off on purpose.
 */
import * as os from "os";
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { OpsContext, OpsError } from "./context";
import { errorName } from "../../lambda/shared/errors";
import type { StackKind } from "./plan";

const notFound = (err: unknown) => ["NoSuchKey", "NotFound"].includes(errorName(err));

async function readJson<T>(ctx: OpsContext, key: string): Promise<{ value: T; raw: string } | undefined> {
  try {
    const out = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: ctx.names.stateBucket, Key: key }));
    const raw = await out.Body!.transformToString();
    try {
      return { value: JSON.parse(raw) as T, raw };
    } catch {
      return { value: {} as T, raw };
    }
  } catch (err) {
    if (notFound(err)) return undefined;
    throw err;
  }
}

export function ageText(since: Date, now = new Date()): string {
  const sec = Math.max(0, Math.round((now.getTime() - since.getTime()) / 1000));
  if (sec < 120) return `${sec} s`;
  if (sec < 7200) return `${Math.round(sec / 60)} min`;
  if (sec < 172800) return `${(sec / 3600).toFixed(1)} h`;
  return `${Math.round(sec / 86400)} days`;
}

// ---- Terraform state locks --------------------------------------------------------------------

/** What Terraform writes into a lock (LockInfo). */
export interface StateLock {
  readonly stack: string;
  readonly key: string;
  readonly id: string;
  readonly operation: string;
  readonly who: string;
  readonly created?: Date;
  readonly version?: string;
}

export const stateLockKey = (ctx: OpsContext, kind: StackKind) => `${ctx.names.stateKey(kind)}.tflock`;

export async function readStateLock(ctx: OpsContext, kind: StackKind): Promise<StateLock | undefined> {
  const key = stateLockKey(ctx, kind);
  const got = await readJson<{ ID?: string; Operation?: string; Who?: string; Created?: string; Version?: string }>(ctx, key);
  if (!got) return undefined;
  const l = got.value;
  const created = l.Created ? new Date(l.Created) : undefined;
  return {
    stack: `${ctx.cfg.name}-${kind}`,
    key,
    id: l.ID ?? "(unreadable lock file)",
    operation: (l.Operation ?? "?").replace(/^OperationType/, "").toLowerCase(),
    who: l.Who ?? "?",
    created: created && !Number.isNaN(created.getTime()) ? created : undefined,
    version: l.Version,
  };
}

export function describeStateLock(l: StateLock, now = new Date()): string {
  return `${l.stack} is locked: lock ${l.id}, ${l.operation} by ${l.who}${l.created ? ` since ${l.created.toISOString()} (${ageText(l.created, now)} ago)` : ""}`;
}

export function unlockHint(env: string, kind: StackKind | "run"): string {
  return `if that run is still going, wait for it; if it died, release the lock with: npm run ops -- unlock ${env} ${kind}`;
}

/** Every lock held on the given stacks, as one message (undefined when none). */
export async function stateLocksMessage(ctx: OpsContext, kinds: readonly StackKind[]): Promise<string | undefined> {
  const held: string[] = [];
  for (const k of kinds) {
    const l = await readStateLock(ctx, k);
    if (l) held.push(`${describeStateLock(l)}; ${unlockHint(ctx.cfg.name, k)}`);
  }
  return held.length ? held.join(". ") : undefined;
}

// ---- the ops run lock ---------------------------------------------------------------------------

export interface RunLockInfo {
  readonly runId: string;
  readonly command: string;
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  /** Refreshed every HEARTBEAT_MS while the run lives. */
  readonly heartbeatAt?: string;
}

const HEARTBEAT_MS = 60_000;
/** A lock nobody refreshed for this long belongs to a run that is gone. */
export const STALE_AFTER_MS = 10 * 60_000;

export const runLockKey = (ctx: OpsContext) => `${ctx.cfg.project}/${ctx.cfg.name}/ops-run.lock`;

export function describeRun(r: RunLockInfo, now = new Date()): string {
  const started = new Date(r.startedAt);
  return `ops ${r.command} (pid ${r.pid} on ${r.host}, started ${r.startedAt}${Number.isNaN(started.getTime()) ? "" : `, ${ageText(started, now)} ago`})`;
}

/** true when the lock's run is known to be gone: not refreshed for STALE_AFTER_MS, or same host and pid not running. */
export function isStale(r: RunLockInfo, host = os.hostname(), now = Date.now()): boolean {
  const beat = Date.parse(r.heartbeatAt ?? r.startedAt);
  if (Number.isFinite(beat) && now - beat > STALE_AFTER_MS) return true;
  if (r.host !== host || !Number.isInteger(r.pid)) return false;
  try {
    process.kill(r.pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "ESRCH";
  }
}

export async function readRunLock(ctx: OpsContext): Promise<RunLockInfo | undefined> {
  return (await readJson<RunLockInfo>(ctx, runLockKey(ctx)))?.value;
}

export interface RunLock {
  readonly info: RunLockInfo;
  release(): Promise<void>;
}

/**
 * Takes the environment's run lock or refuses, naming the run that holds it. A conditional put
 * (`If-None-Match: *`) makes two runs that race for it agree on one winner.
 */
export async function acquireRunLock(ctx: OpsContext, command: string, now = new Date()): Promise<RunLock> {
  const info: RunLockInfo = { runId: `${now.toISOString()}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`, command, pid: process.pid, host: os.hostname(), startedAt: now.toISOString(), heartbeatAt: now.toISOString() };
  const key = runLockKey(ctx);
  for (let attempt = 0; ; attempt++) {
    try {
      await ctx.clients.s3.send(new PutObjectCommand({ Bucket: ctx.names.stateBucket, Key: key, Body: JSON.stringify(info), IfNoneMatch: "*", ContentType: "application/json" }));
      break;
    } catch (err) {
      const status = (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (errorName(err) === "NoSuchBucket") throw new OpsError(`state bucket ${ctx.names.stateBucket} does not exist: deploy ${ctx.cfg.name}-bootstrap first (npm run ops cannot run without it)`);
      if (errorName(err) !== "PreconditionFailed" && status !== 412 && status !== 409) throw err;
      const holder = await readRunLock(ctx);
      if (!holder) {
        if (attempt < 3) continue; // released between our put and our read
        throw new OpsError(`could not take the run lock s3://${ctx.names.stateBucket}/${key}: it keeps changing`);
      }
      if (attempt === 0 && isStale(holder)) {
        ctx.log(`note: taking over the run lock of ${describeRun(holder)}: that run is gone (process not running, or lock not refreshed for ${STALE_AFTER_MS / 60_000} min)`);
        await ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: ctx.names.stateBucket, Key: key }));
        continue;
      }
      throw new OpsError(`another run holds environment '${ctx.cfg.name}': ${describeRun(holder)}; nothing changed. ${unlockHint(ctx.cfg.name, "run")}`);
    }
  }
  const heartbeat = setInterval(() => {
    readRunLock(ctx)
      .then((cur) => (cur?.runId === info.runId ? ctx.clients.s3.send(new PutObjectCommand({ Bucket: ctx.names.stateBucket, Key: key, Body: JSON.stringify({ ...info, heartbeatAt: new Date().toISOString() }), ContentType: "application/json" })) : undefined))
      .catch(() => undefined); // a missed beat is harmless; ten in a row make the lock stale
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return {
    info,
    release: async () => {
      clearInterval(heartbeat);
      const now = await readRunLock(ctx);
      if (now?.runId === info.runId) await ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: ctx.names.stateBucket, Key: key }));
    },
  };
}

// ---- unlock -----------------------------------------------------------------------------------

export type UnlockTarget = StackKind | "run";

export interface LockView {
  readonly key: string;
  readonly id: string;
  readonly description: string;
}

/** The lock `ops unlock <env> <target>` would release, or undefined when none is held. */
export async function lockToRelease(ctx: OpsContext, target: UnlockTarget): Promise<LockView | undefined> {
  if (target === "run") {
    const r = await readRunLock(ctx);
    return r && { key: runLockKey(ctx), id: r.runId, description: `run lock of ${describeRun(r)}${isStale(r) ? " (that process no longer runs)" : ""}` };
  }
  const l = await readStateLock(ctx, target);
  return l && { key: l.key, id: l.id, description: describeStateLock(l) };
}

/** Deletes the lock if it is still the one the caller confirmed (same id). */
export async function releaseLock(ctx: OpsContext, target: UnlockTarget, confirmedId: string): Promise<LockView> {
  const now = await lockToRelease(ctx, target);
  if (!now) throw new OpsError(`no lock is held on ${target === "run" ? `environment '${ctx.cfg.name}' (run lock)` : `${ctx.cfg.name}-${target}`}: nothing to release`);
  if (now.id !== confirmedId) throw new OpsError(`the lock is now ${now.id}, not ${confirmedId}: another run took it; nothing released`);
  await ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: ctx.names.stateBucket, Key: now.key }));
  return now;
}

// ---- the pause record ---------------------------------------------------------------------------

export interface PauseRecord {
  readonly pausedAt: string;
  readonly rules: readonly string[];
  readonly schedules: readonly { readonly name: string; readonly groupName: string }[];
}

export const pauseRecordKey = (ctx: OpsContext) => `${ctx.cfg.project}/${ctx.cfg.name}/ops-paused.json`;

export async function readPauseRecord(ctx: OpsContext): Promise<PauseRecord | undefined> {
  const got = await readJson<PauseRecord>(ctx, pauseRecordKey(ctx));
  if (!got) return undefined;
  const r = got.value;
  if (!Array.isArray(r.rules) || !Array.isArray(r.schedules)) {
    throw new OpsError(`pause record s3://${ctx.names.stateBucket}/${pauseRecordKey(ctx)} is not one this tool wrote: ${got.raw.slice(0, 120)}`);
  }
  return r;
}

/** Adds to the record (a rerun's pause adds, never forgets what the first run paused). */
export async function recordPaused(ctx: OpsContext, add: Omit<PauseRecord, "pausedAt">, now = new Date()): Promise<PauseRecord> {
  const old = await readPauseRecord(ctx);
  const rules = [...new Set([...(old?.rules ?? []), ...add.rules])].sort();
  const byName = new Map([...(old?.schedules ?? []), ...add.schedules].map((s) => [s.name, s]));
  const record: PauseRecord = { pausedAt: old?.pausedAt ?? now.toISOString(), rules, schedules: [...byName.values()].sort((a, b) => a.name.localeCompare(b.name)) };
  await ctx.clients.s3.send(new PutObjectCommand({ Bucket: ctx.names.stateBucket, Key: pauseRecordKey(ctx), Body: JSON.stringify(record, null, 2), ContentType: "application/json" }));
  return record;
}

export async function clearPauseRecord(ctx: OpsContext): Promise<void> {
  await ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: ctx.names.stateBucket, Key: pauseRecordKey(ctx) }));
}
