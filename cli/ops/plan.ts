/**
 * Pure decisions of the ops CLI: flag parsing, confirmation, stack lifetimes and step order,
 * backup manifests (and what makes one trustworthy), spot-saving arithmetic, what a verify may
 * leave behind, byte formatting. No AWS here, so every rule is unit-tested
 * (test/cli/ops/plan.test.ts).
 */
import { InvalidArgumentError } from "commander";
import { z } from "zod";
import type { EnvironmentConfig } from "../../config/types";
import type { PlatformStackKind } from "../../config/stacks";

// ---- flags -----------------------------------------------------------------------------------

/** commander argParser: a whole number within [min, max]. */
export function intFlag(name: string, min = 1, max = Number.MAX_SAFE_INTEGER) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`${name} must be a whole number, got '${value}'`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}, got ${n}`);
    return n;
  };
}

const UNIT_SEC: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** "90s", "30m", "24h", "7d" (or plain seconds) to seconds. */
export function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)([smhd]?)$/.exec(value.trim());
  if (!m || Number(m[1]) <= 0) throw new InvalidArgumentError(`expected a duration like 90s, 30m, 24h or 7d, got '${value}'`);
  return Math.round(Number(m[1]) * UNIT_SEC[m[2] || "s"]);
}

/** commander argParser for repeatable `key=value` flags. */
export function keyValueFlag(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const i = value.indexOf("=");
  if (i <= 0) throw new InvalidArgumentError(`expected key=value, got '${value}'`);
  return { ...previous, [value.slice(0, i)]: value.slice(i + 1) };
}

export function instanceTypeFlag(value: string): string {
  if (!/^ml\.[a-z0-9]+\.[a-z0-9]+$/.test(value)) throw new InvalidArgumentError(`instance type must look like ml.m5.xlarge, got '${value}'`);
  return value;
}

// ---- confirmation ----------------------------------------------------------------------------

export interface ConfirmInput {
  readonly env: string;
  /** --yes */
  readonly yes: boolean;
  /** --dry-run given explicitly (a real run needs --yes or a typed confirmation instead). */
  readonly dryRun: boolean;
  readonly isTty: boolean;
  /** --i-understand-prod */
  readonly prodAcknowledged: boolean;
  /** --include-data */
  readonly includeData?: boolean;
}

export type ConfirmDecision =
  | { readonly mode: "dry-run"; readonly reason: string }
  | { readonly mode: "prompt"; readonly expect: string }
  | { readonly mode: "go" }
  | { readonly mode: "refuse"; readonly reason: string };

/**
 * Dry run is the default. Acting needs --yes, or the environment's name typed at a prompt
 * (never without a terminal); prod also needs --i-understand-prod, even with --yes.
 */
export function confirmDecision(i: ConfirmInput): ConfirmDecision {
  if (i.env === "prod" && !i.prodAcknowledged && !i.dryRun && (i.yes || i.isTty)) {
    return { mode: "refuse", reason: "prod: add --i-understand-prod to act on production (a dry run needs no flag)" };
  }
  if (i.dryRun) return { mode: "dry-run", reason: "--dry-run" };
  if (i.yes) return { mode: "go" };
  if (i.isTty) return { mode: "prompt", expect: i.env };
  return { mode: "dry-run", reason: "refusing to act without --yes: no terminal to type the confirmation at" };
}

// ---- steps -------------------------------------------------------------------------------------

export type StackKind = PlatformStackKind;
export type StepStatus = "done" | "skipped" | "failed";

export interface StepReport {
  readonly step: string;
  readonly status: StepStatus;
  readonly detail: string;
  readonly durationMs: number;
}

/**
 * Stack lifetimes, written once: the README, cli/README.md and `--help` say the same.
 * - compute: ephemeral. Every teardown destroys it, every restore deploys it.
 * - ops: persistent (the scheduler, and the nightly teardown/restore cycle, live there).
 *   Destroyed only with --include-ops.
 * - data: persistent (buckets, images, alerts, budgets). Destroyed only with --include-data,
 *   after a backup of every object of every bucket it holds.
 */
export const STACK_LIFETIMES: Readonly<Record<StackKind, string>> = {
  compute: "ephemeral: every teardown destroys it, restore deploys it",
  ops: "persistent: destroyed only with --include-ops",
  data: "persistent: destroyed only with --include-data (after a backup of every object)",
};

export interface StackSelection {
  /** --include-ops */
  readonly includeOps?: boolean;
  /** --include-data */
  readonly includeData?: boolean;
  /** --skip-compute (restore): data and ops only, compute stays as it is. */
  readonly skipCompute?: boolean;
}

/** Consumers first (ops, compute, data): a consumer whose producer is gone can no longer be destroyed cleanly. */
export function destroyOrder(sel: StackSelection = {}): StackKind[] {
  return [...(sel.includeOps ? ["ops" as const] : []), "compute", ...(sel.includeData ? ["data" as const] : [])];
}

/**
 * Producers first. Restore deploys compute always, and data and ops when asked or when their
 * state says they are not deployed (a teardown with --include-data / --include-ops removed them).
 */
export function deployOrder(sel: StackSelection, states: Readonly<Partial<Record<StackKind, StackState>>> = {}): StackKind[] {
  const wanted = (k: StackKind, asked?: boolean) => asked || (states[k] !== undefined && states[k] !== "deployed");
  return [...(wanted("data", sel.includeData) ? ["data" as const] : []), ...(sel.skipCompute ? [] : ["compute" as const]), ...(wanted("ops", sel.includeOps) ? ["ops" as const] : [])];
}

export type StackState = "deployed" | "empty" | "absent";

/**
 * Which stacks a teardown destroys, given what their Terraform state says: a stack with an
 * empty state is already gone (skipped: reruns are safe); a stack without state was never
 * deployed, which is an error before anything changes unless another stack of the set exists
 * (then it is skipped as never deployed).
 */
export function stacksToDestroy(states: Readonly<Record<string, StackState>>, order: readonly string[]): { destroy: string[]; skip: Record<string, string>; error?: string } {
  const skip: Record<string, string> = {};
  const destroy: string[] = [];
  if (order.every((s) => states[s] === "absent")) {
    return { destroy, skip, error: `${order.join(", ")} ${order.length > 1 ? "were" : "was"} never deployed (no Terraform state): nothing to tear down` };
  }
  for (const s of order) {
    if (states[s] === "deployed") destroy.push(s);
    else skip[s] = states[s] === "empty" ? "already destroyed (state holds no resources)" : "never deployed (no state)";
  }
  return { destroy, skip };
}

// ---- backups -----------------------------------------------------------------------------------

/** The data stack's buckets, by the name a manifest entry gives its source. */
export const BACKUP_SOURCES = ["data", "models", "artifacts"] as const;
export type BackupSourceKind = (typeof BACKUP_SOURCES)[number];

export interface ManifestEntry {
  /** Which of the environment's buckets it came from. */
  readonly source: BackupSourceKind;
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  /** hex */
  readonly sha256: string;
  /** Key of the copy in the backup bucket. */
  readonly backupKey: string;
}

/**
 * What a backup covers. "configured": the whole models bucket and the data bucket's
 * `backupPrefixes` (what a restore of a kept data stack may need). "full": every object of
 * every bucket of the data stack (taken before --include-data destroys them).
 */
export type BackupScopeKind = "configured" | "full";

export interface Manifest {
  readonly version: 1;
  readonly env: string;
  readonly backupId: string;
  readonly createdAt: string;
  readonly accountId: string;
  readonly backupBucket: string;
  /** @default "configured" (manifests written before full backups existed) */
  readonly scope?: BackupScopeKind;
  readonly prefixes: Readonly<Partial<Record<BackupSourceKind, readonly string[]>>>;
  readonly entries: readonly ManifestEntry[];
  readonly totalBytes: number;
}

/** Sortable and S3-safe: 2026-11-24T16-05-09-123Z. */
export function backupId(at: Date): string {
  return at.toISOString().replace(/[:.]/g, "-");
}

export const BACKUP_ID_RE = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

/** commander argParser for --backup: an id as backupId() writes it, never '' (which used to mean "latest"). */
export function backupIdFlag(value: string): string {
  if (!BACKUP_ID_RE.test(value)) throw new InvalidArgumentError(`--backup must be a backup id like 2026-11-24T16-05-09-123Z (omit the flag for the latest), got '${value}'`);
  return value;
}

export const backupRoot = (env: string, id: string) => `${env}/${id}/`;
export const manifestKey = (env: string, id: string) => `${backupRoot(env, id)}manifest.json`;
export const backupObjectKey = (env: string, id: string, source: string, key: string) => `${backupRoot(env, id)}${source}/${key}`;

/** What a backup covers: see BackupScopeKind. */
export function backupScope(cfg: Pick<EnvironmentConfig, "backupPrefixes">, scope: BackupScopeKind = "configured"): Manifest["prefixes"] {
  return scope === "full" ? { data: [""], models: [""], artifacts: [""] } : { data: [...cfg.backupPrefixes], models: [""] };
}

/** The newest backup id among `<env>/<id>/manifest.json` keys; undefined when none. */
export function latestBackup(env: string, manifestKeys: readonly string[]): string | undefined {
  const re = new RegExp(`^${env.replace(/[^a-z0-9]/gi, "\\$&")}/([^/]+)/manifest\\.json$`);
  const ids = manifestKeys.map((k) => re.exec(k)?.[1]).filter((x): x is string => !!x && BACKUP_ID_RE.test(x));
  return ids.sort().pop();
}

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "64 lowercase hex digits");
const prefixList = z.array(z.string());
const manifestSchema = z
  .object({
    version: z.literal(1),
    env: z.string(),
    backupId: z.string().regex(BACKUP_ID_RE, "a backup id like 2026-11-24T16-05-09-123Z"),
    createdAt: z.string(),
    accountId: z.string().regex(/^\d{12}$/, "a 12-digit account id"),
    backupBucket: z.string(),
    scope: z.enum(["configured", "full"]).optional(),
    prefixes: z.object({ data: prefixList.optional(), models: prefixList.optional(), artifacts: prefixList.optional() }).strict(),
    entries: z.array(
      z
        .object({
          source: z.enum(BACKUP_SOURCES),
          bucket: z.string(),
          key: z.string().min(1),
          size: z.number().int().nonnegative(),
          sha256: sha256Hex,
          backupKey: z.string(),
        })
        .strict(),
    ),
    totalBytes: z.number().int().nonnegative(),
  })
  .strict();

/** Where a manifest was found and what it must therefore say about itself. */
export interface ManifestExpectations {
  readonly env: string;
  readonly backupId: string;
  readonly accountId: string;
  readonly backupBucket: string;
  /** The environment's bucket of each source. */
  readonly buckets: Readonly<Record<BackupSourceKind, string>>;
  readonly backupPrefixes: readonly string[];
}

/**
 * A manifest this tool wrote for this environment, or an error that names the first thing
 * wrong: JSON, schema (field, value, what is allowed), the id, environment, account and backup
 * bucket it must name, and for every entry a target that is one of the environment's data
 * buckets under a prefix the backup covers (never the state or backup bucket), with the backup
 * key the tool derives for it.
 */
export function parseManifest(text: string, where: string, expect?: ManifestExpectations): Manifest {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new Error(`${where} is not JSON: not a manifest this tool wrote`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join(".") || "(top level)";
    const value = issue.path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k as string], raw);
    throw new Error(`${where} is not a manifest this tool wrote: ${field} ${value === undefined ? "is missing" : `is ${JSON.stringify(value)?.slice(0, 80)}`} (${issue.message})`);
  }
  const m = parsed.data as Manifest;
  if (!expect) return m;
  const mustBe = (field: string, got: unknown, want: unknown) => {
    if (got !== want) throw new Error(`${where}: ${field} is ${JSON.stringify(got)}, but a backup of '${expect.env}' at this place must say ${JSON.stringify(want)}: refusing to restore from it`);
  };
  mustBe("backupId", m.backupId, expect.backupId);
  mustBe("env", m.env, expect.env);
  mustBe("accountId", m.accountId, expect.accountId);
  mustBe("backupBucket", m.backupBucket, expect.backupBucket);
  const scope = m.scope ?? "configured";
  const allowed = backupScope({ backupPrefixes: expect.backupPrefixes }, scope);
  for (const [source, prefixes] of Object.entries(m.prefixes) as [BackupSourceKind, readonly string[]][]) {
    const ok = allowed[source];
    const outside = prefixes.filter((p) => !ok?.some((a) => p.startsWith(a)));
    if (outside.length) throw new Error(`${where}: prefixes.${source} ${JSON.stringify(outside)} is outside what a ${scope} backup of '${expect.env}' covers (${JSON.stringify(ok ?? [])})`);
  }
  let total = 0;
  const seen = new Set<string>();
  for (const e of m.entries) {
    const target = `s3://${e.bucket}/${e.key}`;
    if (e.bucket !== expect.buckets[e.source]) {
      throw new Error(`${where}: entry ${target} names bucket ${e.bucket}, but ${e.source} objects of '${expect.env}' live in ${expect.buckets[e.source]} (never the state or backup bucket): refusing to restore`);
    }
    if (!(m.prefixes[e.source] ?? []).some((p) => e.key.startsWith(p))) {
      throw new Error(`${where}: entry ${target} is outside the backup's prefixes for ${e.source} ${JSON.stringify(m.prefixes[e.source] ?? [])}: refusing to restore`);
    }
    const want = backupObjectKey(expect.env, expect.backupId, e.source, e.key);
    if (e.backupKey !== want) throw new Error(`${where}: entry ${target} has backupKey ${e.backupKey}, expected ${want}: refusing to restore`);
    if (seen.has(target)) throw new Error(`${where}: entry ${target} is listed twice`);
    seen.add(target);
    total += e.size;
  }
  if (total !== m.totalBytes) throw new Error(`${where}: totalBytes is ${m.totalBytes}, but the entries add up to ${total}: the manifest was edited or cut short`);
  return m;
}

export interface ObjectFacts {
  readonly size: number;
  readonly sha256?: string;
}

export type RestoreAction = { readonly entry: ManifestEntry; readonly do: "copy" | "skip"; readonly reason: string };

/** Per entry: copy it back unless the bucket already holds the same bytes (reruns skip). */
export function planRestore(manifest: Manifest, current: ReadonlyMap<string, ObjectFacts>): RestoreAction[] {
  return manifest.entries.map((entry) => {
    const cur = current.get(`${entry.bucket}/${entry.key}`);
    if (!cur) return { entry, do: "copy", reason: "missing" };
    if (cur.size === entry.size && cur.sha256 === entry.sha256) return { entry, do: "skip", reason: "already identical" };
    return { entry, do: "copy", reason: cur.size !== entry.size ? `size ${cur.size} != ${entry.size}` : "checksum differs" };
  });
}

export interface ManifestDiff {
  readonly matching: number;
  readonly missing: readonly string[];
  readonly mismatched: readonly string[];
}

/** Compares what a bucket holds now against a manifest (restore's final check, the e2e test). */
export function diffManifest(manifest: Manifest, current: ReadonlyMap<string, ObjectFacts>): ManifestDiff {
  const missing: string[] = [];
  const mismatched: string[] = [];
  let matching = 0;
  for (const e of manifest.entries) {
    const cur = current.get(`${e.bucket}/${e.key}`);
    if (!cur) missing.push(`s3://${e.bucket}/${e.key}`);
    else if (cur.size !== e.size || cur.sha256 !== e.sha256) mismatched.push(`s3://${e.bucket}/${e.key}`);
    else matching++;
  }
  return { matching, missing, mismatched };
}

// ---- training ------------------------------------------------------------------------------------

/** SageMaker's ceiling for MaxRuntimeInSeconds / MaxWaitTimeInSeconds: 28 days. */
export const MAX_TRAINING_SEC = 28 * 86400;

export function validateSpotTimes(maxRuntimeSec: number, maxWaitSec: number): void {
  if (!(maxRuntimeSec > 0) || maxRuntimeSec > MAX_TRAINING_SEC) throw new Error(`--max-runtime-sec must be between 1 and ${MAX_TRAINING_SEC}, got ${maxRuntimeSec}`);
  if (!(maxWaitSec > maxRuntimeSec)) {
    throw new Error(`--max-wait-sec (${maxWaitSec}) must be greater than --max-runtime-sec (${maxRuntimeSec}): managed spot waits for capacity on top of the run time`);
  }
  if (maxWaitSec > MAX_TRAINING_SEC) throw new Error(`--max-wait-sec must be at most ${MAX_TRAINING_SEC} (28 days), got ${maxWaitSec}`);
}

/** SageMaker job names: letters, digits and hyphens, starting alphanumeric. */
export function jobName(prefix: string, at: Date, maxLen: number): string {
  const stamp = at.toISOString().replace(/[-:T]/g, "").slice(2, 14); // yyMMddHHmmss
  const head = prefix.slice(0, maxLen - stamp.length - 1).replace(/-+$/, "");
  return `${head}-${stamp}`;
}

export function validateJobName(name: string, maxLen: number): string {
  if (!/^[a-zA-Z0-9](-*[a-zA-Z0-9])*$/.test(name) || name.length > maxLen) {
    throw new Error(`job name '${name}' must be 1-${maxLen} letters, digits and hyphens, starting and ending alphanumeric`);
  }
  return name;
}

export interface SpotSaving {
  readonly trainingSec: number;
  readonly billableSec: number;
  /** % of the on-demand time not billed; undefined when SageMaker did not report times. */
  readonly savingPct?: number;
}

/** Managed spot bills BillableTimeInSeconds of TrainingTimeInSeconds: saving = 1 - billable / training. */
export function spotSaving(trainingSec: number | undefined, billableSec: number | undefined): SpotSaving {
  const t = trainingSec ?? 0;
  const b = billableSec ?? 0;
  if (!t || billableSec === undefined) return { trainingSec: t, billableSec: b };
  return { trainingSec: t, billableSec: b, savingPct: Math.round((1 - b / t) * 1000) / 10 };
}

/** Poll delays: 5 s doubling to a 60 s ceiling. */
export function backoffDelayMs(attempt: number, baseMs = 5000, maxMs = 60000): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
}

export const TERMINAL_TRAINING = new Set(["Completed", "Failed", "Stopped"]);

// ---- verify ---------------------------------------------------------------------------------------

export interface Leftover {
  readonly kind: string;
  readonly id: string;
  /** Stack tag, or "-" when the resource was created outside Terraform. */
  readonly stack: string;
  readonly source: "tagging" | "service";
}

export interface VerdictRow extends Leftover {
  readonly expected: boolean;
  readonly why: string;
}

/** Which leftovers are fine: resources of the stacks kept (data, bootstrap) and the backups. */
/** Job history: a finished job costs nothing and cannot be deleted, only its artifacts can. */
export const HISTORY_KINDS = ["sagemaker:training-job", "sagemaker:hyper-parameter-tuning-job"];
export const PENDING_DELETION_KINDS = ["kms:key"];

export function classifyLeftovers(leftovers: readonly Leftover[], keptStacks: readonly string[], alwaysExpected: readonly string[] = []): VerdictRow[] {
  return leftovers.map((l) => {
    if (alwaysExpected.includes(l.id)) return { ...l, expected: true, why: "kept on purpose (backups)" };
    if (HISTORY_KINDS.includes(l.kind)) return { ...l, expected: true, why: "job history (no running cost)" };
    // Terraform's destroy of a KMS key schedules its deletion: KMS keeps it PendingDeletion 7-30 days.
    if (PENDING_DELETION_KINDS.includes(l.kind) && l.stack !== "-" && !keptStacks.includes(l.stack)) {
      return { ...l, expected: true, why: `${l.stack} was destroyed: key pending deletion (KMS waits 7-30 days)` };
    }
    if (keptStacks.includes(l.stack)) return { ...l, expected: true, why: `belongs to ${l.stack} (kept)` };
    return { ...l, expected: false, why: l.stack === "-" ? "not managed by any kept stack" : `${l.stack} was destroyed` };
  });
}

/** Tagging API answers ARNs; a short, readable kind from one. */
export function arnKind(arn: string): string {
  const [, , service, , , resource = ""] = arn.split(":");
  const type = resource.includes("/") ? resource.split("/")[0] : service === "s3" ? "bucket" : resource.split(":")[0];
  return `${service}:${type}`;
}

// ---- output ----------------------------------------------------------------------------------------

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n;
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}
