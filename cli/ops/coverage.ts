/**
 * What `teardown --include-data` would lose, and emptying the data stack before its destroy.
 *
 * Every object of the data, models and artifacts buckets is backed up (a "full" backup); what a
 * server-side copy cannot take (over 5 GiB, archived) is listed and needs --accept-data-loss.
 * ECR images are not backed up (they are rebuilt from source): any image needs
 * --accept-data-loss too. Noncurrent object versions (the buckets' undo history) and the log
 * groups' events (kept for their retention only) go with the stack; the dry run says how much.
 *
 * Buckets outside the sandbox have no force_destroy, and the repositories no force_delete, so
 * `cdktf destroy <env>-data` would stop half way on the first non-empty one: once the backup
 * is complete and verified, the run empties them first (every version and delete marker, every
 * image).
 */
import { DeleteObjectsCommand, ListObjectVersionsCommand, ListObjectVersionsCommandOutput } from "@aws-sdk/client-s3";
import { pages } from "../../lambda/shared/pages";
import { BatchDeleteImageCommand, paginateDescribeImages } from "@aws-sdk/client-ecr";
import { paginateDescribeLogGroups } from "@aws-sdk/client-cloudwatch-logs";
import { OpsContext } from "./context";
import { errorName } from "../../lambda/shared/errors";
import { backupCandidates, bucketExists, sourceBuckets, uncoverable } from "./backup";
import { formatBytes } from "./plan";

export interface BucketCoverage {
  readonly bucket: string;
  readonly exists: boolean;
  readonly objects: number;
  readonly bytes: number;
  readonly uncovered: readonly { readonly key: string; readonly reason: string }[];
  readonly noncurrentVersions: number;
  readonly noncurrentBytes: number;
}

export interface DataCoverage {
  readonly buckets: readonly BucketCoverage[];
  readonly repositories: readonly { readonly name: string; readonly images: number }[];
  readonly logGroups: readonly { readonly name: string; readonly storedBytes: number }[];
}

/** ListObjectVersions has no SDK paginator: its two markers travel as one token. */
function versionPages(ctx: OpsContext, bucket: string): AsyncGenerator<ListObjectVersionsCommandOutput> {
  return pages(
    (token) => {
      const m = token ? (JSON.parse(token) as { k?: string; v?: string }) : {};
      return ctx.clients.s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000, KeyMarker: m.k, VersionIdMarker: m.v }));
    },
    (p) => (p.IsTruncated ? JSON.stringify({ k: p.NextKeyMarker, v: p.NextVersionIdMarker }) : undefined),
  );
}

async function noncurrent(ctx: OpsContext, bucket: string): Promise<{ versions: number; bytes: number }> {
  let versions = 0;
  let bytes = 0;
  for await (const page of versionPages(ctx, bucket)) {
    for (const v of page.Versions ?? []) {
      if (v.IsLatest) continue;
      versions++;
      bytes += v.Size ?? 0;
    }
  }
  return { versions, bytes };
}

async function repositoryImages(ctx: OpsContext, name: string): Promise<{ digest: string }[] | undefined> {
  const out: { digest: string }[] = [];
  try {
    for await (const page of paginateDescribeImages({ client: ctx.clients.ecr, pageSize: 1000 }, { repositoryName: name })) {
      for (const d of page.imageDetails ?? []) out.push({ digest: d.imageDigest! });
    }
  } catch (err) {
    if (errorName(err) === "RepositoryNotFoundException") return undefined;
    throw err;
  }
  return out;
}

const repositories = (ctx: OpsContext) => (["training", "inference"] as const).map((k) => ctx.names.ecrRepository(k));

export async function dataCoverage(ctx: OpsContext): Promise<DataCoverage> {
  const { objects } = await backupCandidates(ctx, "full");
  const buckets: BucketCoverage[] = [];
  for (const bucket of Object.values(sourceBuckets(ctx))) {
    const exists = await bucketExists(ctx, bucket);
    const mine = objects.filter((o) => o.bucket === bucket);
    const uncovered = mine.flatMap((o) => {
      const reason = uncoverable(o);
      return reason ? [{ key: o.key, reason }] : [];
    });
    const nc = exists ? await noncurrent(ctx, bucket) : { versions: 0, bytes: 0 };
    buckets.push({ bucket, exists, objects: mine.length, bytes: mine.reduce((a, o) => a + o.size, 0), uncovered, noncurrentVersions: nc.versions, noncurrentBytes: nc.bytes });
  }
  const repos: { name: string; images: number }[] = [];
  for (const name of repositories(ctx)) {
    const images = await repositoryImages(ctx, name);
    if (images) repos.push({ name, images: images.length });
  }
  const logGroups: { name: string; storedBytes: number }[] = [];
  const wanted = new Set(Object.values(ctx.names.logGroups));
  for (const name of wanted) {
    for await (const page of paginateDescribeLogGroups({ client: ctx.clients.logs }, { logGroupNamePrefix: name })) {
      for (const g of page.logGroups ?? []) if (g.logGroupName === name) logGroups.push({ name, storedBytes: g.storedBytes ?? 0 });
    }
  }
  return { buckets, repositories: repos, logGroups };
}

/** What no backup covers and so needs --accept-data-loss: uncopyable objects and ECR images. */
export function unprotectedData(c: DataCoverage): string[] {
  return [
    ...c.buckets.flatMap((b) => b.uncovered.map((u) => `s3://${b.bucket}/${u.key} (${u.reason})`)),
    ...c.repositories.filter((r) => r.images > 0).map((r) => `${r.images} image(s) in ECR repository ${r.name} (images are not backed up)`),
  ];
}

export function coverageLines(c: DataCoverage): string[] {
  const gb = (n: number) => `${(n / 1024 ** 3).toFixed(3)} GB`;
  return [
    ...c.buckets.map((b) =>
      b.exists
        ? `bucket ${b.bucket}: ${b.objects} object(s), ${gb(b.bytes)} (${formatBytes(b.bytes)}): ${b.uncovered.length ? `${b.objects - b.uncovered.length} backed up, ${b.uncovered.length} cannot be` : "every object backed up"}` +
          (b.noncurrentVersions ? `; ${b.noncurrentVersions} noncurrent version(s) (${formatBytes(b.noncurrentBytes)}, the bucket's undo history) are not` : "")
        : `bucket ${b.bucket}: does not exist`,
    ),
    ...c.repositories.map((r) => `ECR repository ${r.name}: ${r.images} image(s), not backed up${r.images ? " (needs --accept-data-loss)" : ""}`),
    ...c.logGroups.map((g) => `log group ${g.name}: ${formatBytes(g.storedBytes)} of events, kept only for their retention, not backed up`),
  ];
}

/** Empties the data stack's buckets (every version and delete marker) and repositories, so its destroy cannot stop half way. */
export async function emptyDataStack(ctx: OpsContext): Promise<{ versions: number; images: number }> {
  let versions = 0;
  for (const bucket of Object.values(sourceBuckets(ctx))) {
    if (!(await bucketExists(ctx, bucket))) continue;
    for await (const page of versionPages(ctx, bucket)) {
      const ids = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({ Key: v.Key!, VersionId: v.VersionId }));
      if (!ids.length) continue;
      const out = await ctx.clients.s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: ids, Quiet: true } }));
      if (out.Errors?.length) throw new Error(`emptying ${bucket}: ${out.Errors.slice(0, 3).map((e) => `s3://${bucket}/${e.Key} ${e.Code}`).join("; ")}`);
      versions += ids.length;
    }
  }
  let images = 0;
  for (const name of repositories(ctx)) {
    const all = (await repositoryImages(ctx, name)) ?? [];
    for (let i = 0; i < all.length; i += 100) {
      const batch = all.slice(i, i + 100);
      const out = await ctx.clients.ecr.send(new BatchDeleteImageCommand({ repositoryName: name, imageIds: batch.map((b) => ({ imageDigest: b.digest })) }));
      const failures = (out.failures ?? []).filter((f) => f.failureCode !== "ImageNotFound");
      if (failures.length) throw new Error(`emptying ${name}: ${failures.map((f) => `${f.imageId?.imageDigest}: ${f.failureReason}`).join("; ")}`);
      images += batch.length;
    }
  }
  return { versions, images };
}
