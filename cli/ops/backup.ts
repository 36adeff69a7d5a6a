/**
 * Backup and restore of the data that must survive a teardown: every object of the models
 * bucket and the data bucket's `cfg.backupPrefixes`, copied server-side into the backup bucket
 * (bootstrap stack: outlives every teardown) under `<env>/<backup id>/`, with a manifest of
 * keys, sizes and sha256 checksums. Restore copies back what differs and checks every checksum.
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
import { errName, OpsContext, OpsError } from "./context";
import {
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
    if (["NotFound", "NoSuchBucket"].includes(errName(err)) || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
    throw err;
  }
}

export async function listObjects(ctx: OpsContext, bucket: string, prefix: string): Promise<{ key: string; size: number }[]> {
  const out: { key: string; size: number }[] = [];
  for await (const page of paginateListObjectsV2({ client: ctx.clients.s3, pageSize: 1000 }, { Bucket: bucket, Prefix: prefix || undefined })) {
    for (const o of page.Contents ?? []) out.push({ key: o.Key!, size: o.Size ?? 0 });
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
  readonly source: "data" | "models";
  readonly bucket: string;
  readonly key: string;
  readonly size: number;
}

/** What a backup would copy now (the dry run prints this). Missing source buckets are reported, not fatal. */
export async function backupCandidates(ctx: OpsContext): Promise<{ objects: BackupSource[]; missingBuckets: string[] }> {
  const scope = backupScope(ctx.cfg);
  const objects: BackupSource[] = [];
  const missingBuckets: string[] = [];
  for (const [source, bucket, prefixes] of [
    ["data", ctx.names.dataBucket, scope.data],
    ["models", ctx.names.modelsBucket, scope.models],
  ] as const) {
    if (!(await bucketExists(ctx, bucket))) {
      missingBuckets.push(bucket);
      continue;
    }
    for (const prefix of prefixes) {
      for (const o of await listObjects(ctx, bucket, prefix)) {
        if (!o.key.endsWith("/")) objects.push({ source, bucket, key: o.key, size: o.size });
      }
    }
  }
  return { objects, missingBuckets };
}

/** Copies every candidate into the backup bucket and writes the manifest last (a manifest means a complete backup). */
export async function takeBackup(ctx: OpsContext, at = new Date()): Promise<Manifest> {
  const backupBucket = ctx.names.backupBucket;
  if (!(await bucketExists(ctx, backupBucket))) {
    throw new OpsError(`backup bucket ${backupBucket} does not exist: deploy the ${ctx.cfg.name}-bootstrap stack first`);
  }
  const id = backupId(at);
  const { objects } = await backupCandidates(ctx);
  const entries: ManifestEntry[] = [];
  for (const o of objects) {
    const sha256 = await sha256Of(ctx, o.bucket, o.key);
    const key = backupObjectKey(ctx.cfg.name, id, o.source, o.key);
    await copy(ctx, o, { bucket: backupBucket, key }, o.size);
    entries.push({ source: o.source, bucket: o.bucket, key: o.key, size: o.size, sha256, backupKey: key });
  }
  const manifest: Manifest = {
    version: 1,
    env: ctx.cfg.name,
    backupId: id,
    createdAt: at.toISOString(),
    accountId: ctx.cfg.accountId,
    backupBucket,
    prefixes: backupScope(ctx.cfg),
    entries,
    totalBytes: entries.reduce((a, e) => a + e.size, 0),
  };
  await ctx.clients.s3.send(
    new PutObjectCommand({ Bucket: backupBucket, Key: manifestKey(ctx.cfg.name, id), Body: JSON.stringify(manifest, null, 2), ContentType: "application/json" }),
  );
  return manifest;
}

/** The manifest of `id`, or of the newest backup of the environment. */
export async function loadManifest(ctx: OpsContext, id?: string): Promise<Manifest> {
  const bucket = ctx.names.backupBucket;
  if (!(await bucketExists(ctx, bucket))) throw new OpsError(`backup bucket ${bucket} does not exist: there is no backup to restore`);
  let chosen = id;
  if (!chosen) {
    const keys = (await listObjects(ctx, bucket, `${ctx.cfg.name}/`)).map((o) => o.key).filter((k) => k.endsWith("/manifest.json"));
    chosen = latestBackup(ctx.cfg.name, keys);
    if (!chosen) throw new OpsError(`no backup of '${ctx.cfg.name}' in s3://${bucket}/${ctx.cfg.name}/ (a teardown takes one)`);
  }
  const key = manifestKey(ctx.cfg.name, chosen);
  try {
    const out = await ctx.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return parseManifest(await out.Body!.transformToString(), `s3://${bucket}/${key}`);
  } catch (err) {
    if (errName(err) === "NoSuchKey") throw new OpsError(`backup '${chosen}' not found: s3://${bucket}/${key} does not exist`);
    throw err;
  }
}

async function headSize(ctx: OpsContext, bucket: string, key: string): Promise<number | undefined> {
  try {
    return (await ctx.clients.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }))).ContentLength ?? 0;
  } catch (err) {
    if (["NotFound", "NoSuchKey", "NoSuchBucket"].includes(errName(err))) return undefined;
    throw err;
  }
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
  readonly diff: ManifestDiff;
}

/** Copies back what is missing or different, then checks every object against the manifest. */
export async function restoreData(ctx: OpsContext, manifest: Manifest, dryRun: boolean): Promise<RestoreDataResult> {
  for (const b of new Set(manifest.entries.map((e) => e.bucket))) {
    if (!(await bucketExists(ctx, b))) throw new OpsError(`bucket ${b} does not exist: deploy ${ctx.cfg.name}-data before restoring data`);
  }
  const actions = planRestore(manifest, await currentFacts(ctx, manifest));
  let copied = 0;
  for (const a of actions) {
    if (a.do !== "copy") continue;
    if (!dryRun) await copy(ctx, { bucket: manifest.backupBucket, key: a.entry.backupKey }, { bucket: a.entry.bucket, key: a.entry.key }, a.entry.size);
    copied++;
  }
  const diff = dryRun ? diffManifest(manifest, new Map()) : diffManifest(manifest, await currentFacts(ctx, manifest));
  return { copied, skipped: actions.length - copied, diff };
}

export function describeBackupRoot(ctx: OpsContext, id: string): string {
  return `s3://${ctx.names.backupBucket}/${backupRoot(ctx.cfg.name, id)}`;
}

