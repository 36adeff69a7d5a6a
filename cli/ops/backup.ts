/**
 * Backup and restore of data: objects copied server-side into the backup bucket (bootstrap
 * stack: outlives every teardown) under `<env>/<backup id>/`, with a manifest of keys, sizes
 * and sha256 checksums written last. A "full" backup (before --include-data destroys the data
 * stack) covers every object of the data, models and artifacts buckets; a "configured" one the
 * models bucket and the data bucket's `cfg.backupPrefixes`. Restore checks the manifest and
 * every backup copy before it touches a live object, copies back what differs, and checks
 * every checksum again.
 */
import { createHash } from "crypto";
import type { Readable } from "stream";
import {
  CopyObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { OpsContext, OpsError } from "./context";
import { deniedHead, errorName, isAccessDenied } from "../../lambda/shared/errors";
import type { Interrupts } from "./signals";
import {
  BackupScopeKind,
  BackupSourceKind,
  backupId,
  backupObjectKey,
  backupRoot,
  backupScope,
  diffManifest,
  formatBytes,
  latestBackup,
  Manifest,
  ManifestDiff,
  ManifestEntry,
  manifestKey,
  ObjectFacts,
  parseManifest,
  planRestore,
} from "./plan";

/** CopyObject's single-request ceiling. */
const MAX_COPY_BYTES = 5 * 1024 ** 3;

export async function bucketExists(ctx: OpsContext, bucket: string): Promise<boolean> {
  try {
    await ctx.clients.s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (err) {
    if (["NotFound", "NoSuchBucket"].includes(errorName(err)) || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    if (isAccessDenied(err)) throw deniedHead("s3:ListBucket", `arn:aws:s3:::${bucket}`);
    throw err;
  }
}

export async function listObjects(ctx: OpsContext, bucket: string, prefix: string): Promise<{ key: string; size: number; storageClass?: string }[]> {
  const out: { key: string; size: number; storageClass?: string }[] = [];
  for await (const page of paginateListObjectsV2({ client: ctx.clients.s3, pageSize: 1000 }, { Bucket: bucket, Prefix: prefix || undefined })) {
    for (const o of page.Contents ?? []) out.push({ key: o.Key!, size: o.Size ?? 0, storageClass: o.StorageClass });
  }
  return out;
}

/** Streams the object through sha256: constant memory whatever its size. */
export async function sha256Of(ctx: OpsContext, bucket: string, key: string): Promise<string> {
  const out = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const hash = createHash("sha256");
  for await (const chunk of out.Body as Readable) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

const copySource = (bucket: string, key: string) => `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;

async function copy(ctx: OpsContext, from: { bucket: string; key: string }, to: { bucket: string; key: string }, size: number): Promise<void> {
  if (size > MAX_COPY_BYTES) throw new OpsError(`s3://${from.bucket}/${from.key} is ${formatBytes(size)}: objects over 5 GiB need a multipart copy, which this CLI does not do yet`);
  await ctx.clients.s3.send(new CopyObjectCommand({ Bucket: to.bucket, Key: to.key, CopySource: copySource(from.bucket, from.key) }));
}

export interface BackupSource {
  readonly source: BackupSourceKind;
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
  readonly storageClass?: string;
}

/** The environment's bucket for each backup source. */
export const sourceBuckets = (ctx: OpsContext): Record<BackupSourceKind, string> => ({
  data: ctx.names.dataBucket,
  models: ctx.names.modelsBucket,
  artifacts: ctx.names.artifactsBucket,
});

/** What a backup would copy now (the dry run prints this). Missing source buckets are reported, not fatal. */
export async function backupCandidates(ctx: OpsContext, scopeKind: BackupScopeKind = "configured"): Promise<{ objects: BackupSource[]; missingBuckets: string[] }> {
  const scope = backupScope(ctx.cfg, scopeKind);
  const buckets = sourceBuckets(ctx);
  const objects: BackupSource[] = [];
  const missingBuckets: string[] = [];
  for (const [source, prefixes] of Object.entries(scope) as [BackupSourceKind, readonly string[]][]) {
    const bucket = buckets[source];
    if (!(await bucketExists(ctx, bucket))) {
      missingBuckets.push(bucket);
      continue;
    }
    for (const prefix of prefixes) {
      for (const o of await listObjects(ctx, bucket, prefix)) {
        // "folder" markers carry no data, except in a full backup, which keeps every object
        if (scopeKind === "full" || !o.key.endsWith("/")) objects.push({ source, bucket, key: o.key, size: o.size, storageClass: o.storageClass });
      }
    }
  }
  return { objects, missingBuckets };
}

/** Storage classes CopyObject cannot read without a restore first. */
const ARCHIVED = new Set(["GLACIER", "DEEP_ARCHIVE"]);

/** Why an object cannot be copied into the backup as it is (undefined: it can). */
export function uncoverable(o: Pick<BackupSource, "size" | "storageClass">): string | undefined {
  if (o.size > MAX_COPY_BYTES) return `${formatBytes(o.size)}: over the 5 GiB a single server-side copy takes`;
  if (o.storageClass && ARCHIVED.has(o.storageClass)) return `in ${o.storageClass}: restore it from the archive first`;
  return undefined;
}

/**
 * Copies every candidate into the backup bucket and writes the manifest last (a manifest means
 * a complete backup). An object that cannot be copied (too big, archived) fails the backup,
 * unless `skipUncoverable`, which leaves it out and reports it.
 */
export async function takeBackup(
  ctx: OpsContext,
  at = new Date(),
  o: { scope?: BackupScopeKind; skipUncoverable?: boolean; interrupts?: Interrupts } = {},
): Promise<Manifest & { skipped: { key: string; reason: string }[] }> {
  const backupBucket = ctx.names.backupBucket;
  if (!(await bucketExists(ctx, backupBucket))) {
    throw new OpsError(`backup bucket ${backupBucket} does not exist: deploy the ${ctx.cfg.name}-bootstrap stack first`);
  }
  const scope = o.scope ?? "configured";
  const id = backupId(at);
  const { objects } = await backupCandidates(ctx, scope);
  const entries: ManifestEntry[] = [];
  const skipped: { key: string; reason: string }[] = [];
  for (const obj of objects) {
    o.interrupts?.check(`copying s3://${obj.bucket}/${obj.key} (backup ${id} incomplete: it has no manifest and is never restored from)`);
    const why = uncoverable(obj);
    if (why) {
      if (!o.skipUncoverable) throw new OpsError(`cannot back up s3://${obj.bucket}/${obj.key}: ${why}`);
      skipped.push({ key: `s3://${obj.bucket}/${obj.key}`, reason: why });
      continue;
    }
    const sha256 = await sha256Of(ctx, obj.bucket, obj.key);
    const key = backupObjectKey(ctx.cfg.name, id, obj.source, obj.key);
    try {
      await copy(ctx, obj, { bucket: backupBucket, key }, obj.size);
    } catch (err) {
      if (errorName(err) !== "InvalidObjectState") throw err;
      const reason = "archived by Intelligent-Tiering: restore it from the archive first";
      if (!o.skipUncoverable) throw new OpsError(`cannot back up s3://${obj.bucket}/${obj.key}: ${reason}`);
      skipped.push({ key: `s3://${obj.bucket}/${obj.key}`, reason });
      continue;
    }
    entries.push({ source: obj.source, bucket: obj.bucket, key: obj.key, size: obj.size, sha256, backupKey: key });
  }
  const manifest: Manifest = {
    version: 1,
    env: ctx.cfg.name,
    backupId: id,
    createdAt: at.toISOString(),
    accountId: ctx.cfg.accountId,
    backupBucket,
    scope,
    prefixes: backupScope(ctx.cfg, scope),
    entries,
    totalBytes: entries.reduce((a, e) => a + e.size, 0),
  };
  await ctx.clients.s3.send(
    new PutObjectCommand({ Bucket: backupBucket, Key: manifestKey(ctx.cfg.name, id), Body: JSON.stringify(manifest, null, 2), ContentType: "application/json" }),
  );
  return { ...manifest, skipped };
}

/** The manifest of `id`, or of the newest backup of the environment, checked to be one this tool wrote for it. */
export async function loadManifest(ctx: OpsContext, id?: string): Promise<Manifest> {
  const bucket = ctx.names.backupBucket;
  if (!(await bucketExists(ctx, bucket))) throw new OpsError(`backup bucket ${bucket} does not exist: there is no backup to restore`);
  let chosen = id;
  if (!chosen) {
    const keys = (await listObjects(ctx, bucket, `${ctx.cfg.name}/`)).map((o) => o.key).filter((k) => k.endsWith("/manifest.json"));
    chosen = latestBackup(ctx.cfg.name, keys);
    if (!chosen) throw new OpsError(`no backup of '${ctx.cfg.name}' in s3://${bucket}/${ctx.cfg.name}/ (a teardown with --include-data takes one)`);
  }
  const key = manifestKey(ctx.cfg.name, chosen);
  let text: string;
  try {
    const out = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    text = await out.Body!.transformToString();
  } catch (err) {
    if (errorName(err) === "NoSuchKey") throw new OpsError(`backup '${chosen}' not found: s3://${bucket}/${key} does not exist`);
    throw err;
  }
  try {
    return parseManifest(text, `s3://${bucket}/${key}`, {
      env: ctx.cfg.name,
      backupId: chosen,
      accountId: ctx.cfg.accountId,
      backupBucket: bucket,
      buckets: sourceBuckets(ctx),
      backupPrefixes: ctx.cfg.backupPrefixes,
    });
  } catch (err) {
    throw new OpsError((err as Error).message);
  }
}

async function headSize(ctx: OpsContext, bucket: string, key: string): Promise<number | undefined> {
  try {
    return (await ctx.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength ?? 0;
  } catch (err) {
    if (["NotFound", "NoSuchKey", "NoSuchBucket"].includes(errorName(err))) return undefined;
    if (isAccessDenied(err)) throw deniedHead("s3:GetObject", `arn:aws:s3:::${bucket}/${key}`);
    throw err;
  }
}

/**
 * Every entry's copy in the backup bucket is there with the recorded size and sha256 (the whole
 * object is read). Returns the problems, each naming bucket and key; empty means all good.
 */
export async function verifyBackup(ctx: OpsContext, manifest: Manifest): Promise<string[]> {
  const problems: string[] = [];
  for (const e of manifest.entries) {
    const where = `s3://${manifest.backupBucket}/${e.backupKey} (copy of s3://${e.bucket}/${e.key})`;
    const size = await headSize(ctx, manifest.backupBucket, e.backupKey);
    if (size === undefined) problems.push(`${where}: missing from the backup`);
    else if (size !== e.size) problems.push(`${where}: ${size} bytes, the manifest says ${e.size}`);
    else if ((await sha256Of(ctx, manifest.backupBucket, e.backupKey)) !== e.sha256) problems.push(`${where}: sha256 differs from the manifest's`);
  }
  return problems;
}

/** Size and checksum of each manifest entry's object as it is now in its platform bucket. */
export async function currentFacts(ctx: OpsContext, manifest: Manifest): Promise<Map<string, ObjectFacts>> {
  const facts = new Map<string, ObjectFacts>();
  for (const e of manifest.entries) {
    const size = await headSize(ctx, e.bucket, e.key);
    if (size === undefined) continue;
    facts.set(`${e.bucket}/${e.key}`, { size, sha256: size === e.size ? await sha256Of(ctx, e.bucket, e.key) : undefined });
  }
  return facts;
}

export interface RestoreDataResult {
  readonly copied: number;
  readonly skipped: number;
  /** After copying (undefined in a dry run: nothing was checked after). */
  readonly diff?: ManifestDiff;
}

/**
 * Verifies, then writes: every target bucket exists and every backup copy has the recorded
 * size and sha256 before the first live object is touched; then copies back what is missing
 * or different and checks every object against the manifest.
 */
export async function restoreData(ctx: OpsContext, manifest: Manifest, dryRun: boolean, interrupts?: Interrupts): Promise<RestoreDataResult> {
  for (const b of new Set(manifest.entries.map((e) => e.bucket))) {
    if (!(await bucketExists(ctx, b))) throw new OpsError(`bucket ${b} does not exist: deploy ${ctx.cfg.name}-data before restoring data`);
  }
  const actions = planRestore(manifest, await currentFacts(ctx, manifest));
  const toCopy = actions.filter((a) => a.do === "copy");
  const problems = await verifyBackup(ctx, { ...manifest, entries: toCopy.map((a) => a.entry) });
  if (problems.length) {
    throw new OpsError(`backup ${manifest.backupId} is damaged, nothing restored: ${problems.length} of ${toCopy.length} object(s) to copy back fail the check: ${problems.slice(0, 5).join("; ")}`);
  }
  if (dryRun) return { copied: toCopy.length, skipped: actions.length - toCopy.length };
  for (const a of toCopy) {
    // between objects: a partial copy-back is safe, the rerun copies what still differs
    interrupts?.check(`copying s3://${a.entry.bucket}/${a.entry.key} back`);
    try {
      await copy(ctx, { bucket: manifest.backupBucket, key: a.entry.backupKey }, { bucket: a.entry.bucket, key: a.entry.key }, a.entry.size);
    } catch (err) {
      throw new OpsError(`copying s3://${manifest.backupBucket}/${a.entry.backupKey} back to s3://${a.entry.bucket}/${a.entry.key} failed: ${errorName(err) || (err as Error).message}`);
    }
  }
  return { copied: toCopy.length, skipped: actions.length - toCopy.length, diff: diffManifest(manifest, await currentFacts(ctx, manifest)) };
}

export function describeBackupRoot(ctx: OpsContext, id: string): string {
  return `s3://${ctx.names.backupBucket}/${backupRoot(ctx.cfg.name, id)}`;
}
