/**
 * The usage profile of an environment (cost/usage/<env>.json): what the stacks cannot say —
 * how much is stored and how fast it grows, how much is logged, how often images are pushed,
 * how much is trained and served. Keys that name resources match by substring of the resource
 * name ("data" matches bucket retail-forecast-dev-data-111111111111).
 */
import * as fs from "fs";
import * as path from "path";
import { AccessPattern } from "./lifecycle";

export interface PrefixUsage {
  readonly storedGb: number;
  readonly monthlyGrowthGb: number;
  readonly avgObjectMb: number;
  readonly accessPattern: AccessPattern;
  /** @default 0 */
  readonly initialAgeDays?: number;
  /** Object tags, matched against lifecycle rules that filter on tags. */
  readonly tags?: Readonly<Record<string, string>>;
}

export interface BucketUsage {
  readonly prefixes: Readonly<Record<string, PrefixUsage>>;
  /** GB of object versions replaced per month (kept as noncurrent versions). @default 0 */
  readonly noncurrentGbPerMonth?: number;
  /** GB of multipart uploads abandoned per month. @default 0 */
  readonly incompleteMultipartGbPerMonth?: number;
}

export interface EcrRepositoryUsage {
  readonly pushesPerWeek: number;
  readonly imageSizeGb: number;
  /** Images already in the repository when the horizon starts. @default 0 */
  readonly initialImages?: number;
  /** Share of pushes per tag kind: "untagged" or a tag prefix ("dev", "prod", ...). */
  readonly tagMix: Readonly<Record<string, number>>;
}

export interface UsageProfile {
  readonly env: string;
  readonly description?: string;
  /** Months the storage models run over; the monthly figure is their average. @default 12 */
  readonly horizonMonths?: number;
  /** Calendar year the schedules are evaluated over. @default the year of the estimate date */
  readonly scheduleYear?: number;
  /** Spot discount (fraction off on-demand) by instance family or type; overrides the price table. */
  readonly spotDiscount?: Readonly<Record<string, number>>;
  readonly eks?: {
    /** Per node group (name substring): nodes running on average while up. @default desired_size */
    readonly nodeGroups?: Readonly<Record<string, { readonly averageNodes?: number; readonly instanceWeights?: Readonly<Record<string, number>> }>>;
  };
  readonly s3: { readonly buckets: Readonly<Record<string, BucketUsage>> };
  readonly logs: {
    /** Stored (compressed) bytes per ingested byte. @default 0.15 */
    readonly storedPerIngestedRatio?: number;
    readonly groups: Readonly<Record<string, { readonly ingestGbPerDay: number }>>;
  };
  readonly ecr: { readonly repositories: Readonly<Record<string, EcrRepositoryUsage>> };
  readonly sagemaker: {
    readonly training?: {
      readonly jobsPerMonth: number;
      readonly hoursPerJob: number;
      readonly instanceType: string;
      /** @default 1 */
      readonly instanceCount?: number;
      /** Managed spot training; the stacks' training rule input wins when it says. @default true */
      readonly managedSpot?: boolean;
      /** Extra billable time from spot interruptions and checkpoint restarts. @default 1.1 */
      readonly spotOverheadFactor?: number;
    };
    readonly endpoint?: {
      readonly invocationsPerDay: number;
      readonly avgDurationMs: number;
      /** request + response size @default 2 */
      readonly payloadKb?: number;
      /** The real-time endpoint a serverless one replaces (baseline). */
      readonly baselineInstanceType: string;
      /** @default 1 */
      readonly baselineInstanceCount?: number;
    };
  };
  /** The ALB is created by the AWS Load Balancer Controller, not by Terraform. */
  readonly loadBalancer?: { readonly count: number; readonly averageLcu: number; readonly hoursPerMonth?: number };
  readonly network: {
    /** Internet-bound GB through the NAT per month (not S3). */
    readonly natProcessedGbPerMonth: number;
    /** GB per month between the VPC and S3 (free through a gateway endpoint, NAT-priced without). */
    readonly s3TrafficGbPerMonth: number;
  };
  /** Scheduler / other small Lambda traffic. */
  readonly lambda?: { readonly avgDurationMs?: number; readonly memoryMb?: number };
}

export const USAGE_DIR = path.join(__dirname, "usage");

export function loadUsage(env: string, dir = USAGE_DIR): UsageProfile {
  const file = path.join(dir, `${env}.json`);
  if (!fs.existsSync(file)) {
    throw new Error(`no usage profile for environment ${env}: ${file} does not exist (copy cost/usage/dev.json and edit it)`);
  }
  const u = JSON.parse(fs.readFileSync(file, "utf8")) as UsageProfile;
  if (u.env !== env) throw new Error(`${file}: env is ${JSON.stringify(u.env)}, expected ${JSON.stringify(env)}`);
  for (const k of ["s3", "logs", "ecr", "sagemaker", "network"] as const) {
    if (!u[k]) throw new Error(`${file}: missing section ${k}`);
  }
  for (const [bucket, b] of Object.entries(u.s3.buckets)) {
    for (const [prefix, pu] of Object.entries(b.prefixes)) {
      if (!["frequent", "infrequent", "rare"].includes(pu.accessPattern)) {
        throw new Error(`${file}: s3.buckets.${bucket}.prefixes.${prefix}.accessPattern must be one of frequent, infrequent, rare, got ${JSON.stringify(pu.accessPattern)}`);
      }
      if (!(pu.avgObjectMb > 0)) throw new Error(`${file}: s3.buckets.${bucket}.prefixes.${prefix}.avgObjectMb must be > 0`);
    }
  }
  return u;
}

/** The profile entry whose key is a substring of `name` (longest key wins). */
export function matchKey<T>(entries: Readonly<Record<string, T>> | undefined, name: string): [string, T] | undefined {
  if (!entries) return undefined;
  const hits = Object.entries(entries).filter(([k]) => name === k || name.includes(k));
  hits.sort((a, b) => b[0].length - a[0].length);
  return hits[0];
}
