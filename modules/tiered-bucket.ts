/**
 * A private, encrypted, versioned, TLS-only S3 bucket whose storage tiers itself down.
 *
 *   new TieredBucket(this, "DataBucket", {
 *     bucketName: "retail-forecast-dev-data-111111111111",
 *     rules: [{ id: "raw", prefix: "raw/", transitions: [{ days: 30, storageClass: StorageClass.INTELLIGENT_TIERING }] }],
 *     intelligentTiering: { prefixes: ["raw/"], archiveAccessDays: 90, deepArchiveAccessDays: 180 },
 *   });
 *
 * Every bucket also gets: noncurrent versions expired, incomplete multipart uploads aborted,
 * object ownership enforced, public access blocked, SSE-S3 (no per-request KMS charges).
 */
import { Construct } from "constructs";
import { Token } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import {
  S3BucketLifecycleConfiguration,
  S3BucketLifecycleConfigurationRule,
} from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketIntelligentTieringConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-intelligent-tiering-configuration";

export enum StorageClass {
  STANDARD_IA = "STANDARD_IA",
  INTELLIGENT_TIERING = "INTELLIGENT_TIERING",
  GLACIER_IR = "GLACIER_IR",
  GLACIER = "GLACIER",
  DEEP_ARCHIVE = "DEEP_ARCHIVE",
}

/** Minimum days an object must sit in a class before S3 transitions it onward (AWS constraint). */
const MIN_DAYS_BEFORE: Partial<Record<StorageClass, number>> = {
  [StorageClass.STANDARD_IA]: 30,
};

export interface LifecycleRuleProps {
  /** Rule id; becomes part of the Terraform config, keep stable. */
  readonly id: string;
  /** Key prefix the rule applies to (e.g. "raw/"). */
  readonly prefix: string;
  /** With a prefix, narrows the rule to objects carrying all these tags (S3 `And` filter). */
  readonly tags?: Readonly<Record<string, string>>;
  /** @default - no transitions */
  readonly transitions?: readonly { readonly days: number; readonly storageClass: StorageClass }[];
  /** @default - objects never expire */
  readonly expireAfterDays?: number;
}

export interface IntelligentTieringProps {
  /**
   * Key prefixes whose Intelligent-Tiering objects may sink to the archive tiers; one
   * configuration each (named `archive-<prefix>`). Only objects already in the
   * INTELLIGENT_TIERING class are affected, so name the prefixes a lifecycle rule moves there.
   */
  readonly prefixes: readonly string[];
  /** Days without access before the Archive Access tier: 90 to 730. @default 90 */
  readonly archiveAccessDays?: number;
  /** Days without access before the Deep Archive Access tier: 180 to 730. @default 180 */
  readonly deepArchiveAccessDays?: number;
}

export interface TieredBucketProps {
  readonly bucketName: string;
  /** Per-prefix lifecycle rules. @default - none beyond the housekeeping rule */
  readonly rules?: readonly LifecycleRuleProps[];
  /** @default - 30 days: old object versions are kept one month for undo, then expire */
  readonly noncurrentVersionExpireAfterDays?: number;
  /** @default - 7 days */
  readonly abortIncompleteMultipartUploadAfterDays?: number;
  /** @default - no Intelligent-Tiering archive configuration */
  readonly intelligentTiering?: IntelligentTieringProps;
  /** Allow `terraform destroy` to delete a non-empty bucket. @default false */
  readonly forceDestroy?: boolean;
}

export class TieredBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly lifecycle: S3BucketLifecycleConfiguration;

  constructor(scope: Construct, id: string, props: TieredBucketProps) {
    super(scope, id);
    validateRules(props);

    this.bucket = new S3Bucket(this, "Resource", { bucket: props.bucketName, forceDestroy: props.forceDestroy ?? false });
    const bucket = this.bucket.id;

    const versioning = new S3BucketVersioningA(this, "Versioning", { bucket, versioningConfiguration: { status: "Enabled" } });
    new S3BucketServerSideEncryptionConfigurationA(this, "Encryption", {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false }],
    });
    new S3BucketPublicAccessBlock(this, "PublicAccessBlock", {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "OwnershipControls", { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } });
    new S3BucketPolicy(this, "Policy", {
      bucket,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DenyInsecureTransport",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:*",
            Resource: [this.bucket.arn, `${this.bucket.arn}/*`],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      }),
    });

    const rules: S3BucketLifecycleConfigurationRule[] = [
      {
        id: "housekeeping",
        status: "Enabled",
        filter: [{ prefix: "" }],
        noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionExpireAfterDays ?? 30 }],
        abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteMultipartUploadAfterDays ?? 7 }],
      },
      ...(props.rules ?? []).map((r) => ({
        id: r.id,
        status: "Enabled",
        filter: [
          r.tags && Object.keys(r.tags).length > 0
            ? { and: [{ prefix: r.prefix, tags: { ...r.tags } }] }
            : { prefix: r.prefix },
        ],
        transition: (r.transitions ?? []).map((t) => ({ days: t.days, storageClass: t.storageClass })),
        expiration: r.expireAfterDays !== undefined ? [{ days: r.expireAfterDays }] : undefined,
      })),
    ];
    // Lifecycle rules on a versioned bucket must wait for versioning (AWS rejects otherwise).
    this.lifecycle = new S3BucketLifecycleConfiguration(this, "Lifecycle", { bucket, rule: rules, dependsOn: [versioning] });

    if (props.intelligentTiering) {
      const it = props.intelligentTiering;
      const archive = it.archiveAccessDays ?? 90;
      const deep = it.deepArchiveAccessDays ?? 180;
      if (archive < 90 || archive > 730) throw new Error(`intelligentTiering.archiveAccessDays must be 90-730, got ${archive}`);
      if (deep < 180 || deep > 730 || deep <= archive) {
        throw new Error(`intelligentTiering.deepArchiveAccessDays must be 180-730 and > archiveAccessDays (${archive}), got ${deep}`);
      }
      for (const prefix of it.prefixes) {
        if (!/^[a-z0-9][a-z0-9_-]*\/$/.test(prefix)) throw new Error(`intelligentTiering.prefixes: '${prefix}' must be one path segment ending in '/'`);
        const name = `archive-${prefix.slice(0, -1)}`;
        new S3BucketIntelligentTieringConfiguration(this, `IntelligentTiering-${name}`, {
          bucket,
          name,
          status: "Enabled",
          filter: { prefix },
          tiering: [
            { accessTier: "ARCHIVE_ACCESS", days: archive },
            { accessTier: "DEEP_ARCHIVE_ACCESS", days: deep },
          ],
        });
      }
    }
  }
}

function validateRules(props: TieredBucketProps): void {
  const ids = new Set<string>();
  for (const r of props.rules ?? []) {
    if (ids.has(r.id) || r.id === "housekeeping") throw new Error(`lifecycle rule id '${r.id}' is used twice`);
    ids.add(r.id);
    if (!Token.isUnresolved(r.prefix) && r.prefix !== "" && !r.prefix.endsWith("/")) {
      throw new Error(`lifecycle rule '${r.id}': prefix must end with '/', got '${r.prefix}'`);
    }
    let last = 0;
    let lastClass: StorageClass | undefined;
    for (const t of r.transitions ?? []) {
      if (!Number.isInteger(t.days) || t.days < 0) throw new Error(`lifecycle rule '${r.id}': transition days must be an integer >= 0, got ${t.days}`);
      if (t.days <= last && lastClass) {
        throw new Error(`lifecycle rule '${r.id}': transition to ${t.storageClass} at ${t.days} days must come after ${lastClass} at ${last} days`);
      }
      const min = lastClass ? MIN_DAYS_BEFORE[lastClass] : undefined;
      if (min && t.days - last < min) {
        throw new Error(`lifecycle rule '${r.id}': objects must stay ${min} days in ${lastClass} before ${t.storageClass}`);
      }
      last = t.days;
      lastClass = t.storageClass;
    }
    if (r.expireAfterDays !== undefined && (r.expireAfterDays < 1 || r.expireAfterDays <= last)) {
      throw new Error(`lifecycle rule '${r.id}': expireAfterDays must be >= 1 and after the last transition (${last}), got ${r.expireAfterDays}`);
    }
  }
}
