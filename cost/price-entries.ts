/**
 * What cost/refresh-prices.ts asks the AWS Price List for: one declarative entry per figure of
 * cost/prices/<region>.json, and the figures it deliberately does not ask for (NOT_REFRESHED).
 * test/cost/refresh-prices.test.ts fails when a figure of a table is in neither, so the next
 * figure added to the table cannot be forgotten here.
 *
 * An entry names
 *   - `path`: where the figure sits in the table;
 *   - `service` and `filters`: the GetProducts request (TERM_MATCH; `location` is added from
 *     REGIONS). Entries with the same request share one call;
 *   - `usagetype`: the usage type WITHOUT its region prefix. The Price List prefixes usage types
 *     with the region's billing code ("EU-NatGateway-Bytes", "USE1-AmazonEKS-Hours:perCluster"),
 *     some services with the region code ("us-east-1-KMS-Keys"), and us-east-1 often with
 *     nothing ("NatGateway-Bytes"): `usagetypeMatches` accepts exactly those forms, derived from
 *     REGIONS, so no entry spells a prefix and "TS-LoadBalancerUsage" or "Lambda-Edge-Request"
 *     never pass for "LoadBalancerUsage" or "Request";
 *   - `attributes`: further exact product-attribute picks, applied to the answer (so entries
 *     that share a request can still tell their products apart);
 *   - `per`: table unit = Price List unit x per (1e6: per request -> per million; 1000: per
 *     request -> per 1,000);
 *   - `plus`: another figure added on top (EKS extended support is a surcharge in the Price List,
 *     the table holds the total rate);
 *   - `source`: where the service code, filters and usage type come from.
 *
 * Sources, as cited below:
 *   [billing-codes] AWS docs, "AWS Region billing codes" (global-infrastructure/latest/regions/
 *       aws-region-billing-codes.html): USE1 (or no prefix) us-east-1, USE2, USW2, EU (Ireland),
 *       EUC1, EUW2.
 *   [s3-usage] AWS docs, Amazon S3 user guide, "Understanding your AWS billing and usage reports
 *       for Amazon S3": region-TimedStorage-*-ByteHrs per class, Monitoring-Automation-INT,
 *       Requests-Tier4 / Requests-Tier3 for lifecycle transitions.
 *   [cw-usage] AWS docs, CloudWatch user guide, "Analyzing, optimizing, and reducing CloudWatch
 *       costs": UsageType <Region>-<Feature> or <Region>-CW:<Feature>; DataProcessing-Bytes,
 *       DataProcessingIA-Bytes, TimedStorage-ByteHrs, AlarmMonitorUsage.
 *   [infracost:<file>] infracost/infracost internal/resources/aws/<file>.go: the service code,
 *       productFamily and attribute filters its pricing API uses for the same price.
 *   [readers] public code on GitHub that reads the Price List offer files and quotes the
 *       usagetype it found there. Not an AWS page: these are the values least confirmed.
 */
import type { Filters } from "./price-list";
import type { PriceTable } from "./prices";

/** A region the refresh knows: its Price List location name and its usage-type billing code. */
export interface RegionInfo {
  readonly location: string;
  readonly billingCode: string;
  /** us-east-1: many usage types carry no prefix at all ([billing-codes]: "USE1 (or no prefix)"). */
  readonly unprefixed?: boolean;
}

export const REGIONS: Readonly<Record<string, RegionInfo>> = {
  "us-east-1": { location: "US East (N. Virginia)", billingCode: "USE1", unprefixed: true },
  "us-east-2": { location: "US East (Ohio)", billingCode: "USE2" },
  "us-west-2": { location: "US West (Oregon)", billingCode: "USW2" },
  "eu-west-1": { location: "EU (Ireland)", billingCode: "EU" },
  "eu-central-1": { location: "EU (Frankfurt)", billingCode: "EUC1" },
  "eu-west-2": { location: "EU (London)", billingCode: "EUW2" },
};

/** `name`, as a usage type of `region`: with its billing code, its region code ([readers]: KMS), or bare in us-east-1. */
export function usagetypeMatches(region: string, name: string, usagetype: string | undefined): boolean {
  if (usagetype === undefined) return false;
  const r = REGIONS[region];
  if (!r) return false;
  if (usagetype === name) return r.unprefixed === true;
  return usagetype === `${r.billingCode}-${name}` || usagetype === `${region}-${name}`;
}

export interface PriceEntry {
  readonly path: readonly string[];
  readonly service: string;
  readonly filters?: Filters;
  readonly usagetype?: string;
  readonly attributes?: Filters;
  readonly per?: number;
  readonly plus?: readonly string[];
  readonly source: string;
}

/** "ec2.onDemandHourly.t3.medium": for messages and the table's `source` line. */
export const label = (p: readonly string[]): string => p.join(".");

const infracost = (file: string) => `[infracost:${file}]`;

/** One entry per key of a map in the table (instance types, storage classes, compute types). */
function each(map: Readonly<Record<string, number>>, entry: (key: string) => PriceEntry | undefined): PriceEntry[] {
  return Object.keys(map).flatMap((k) => entry(k) ?? []);
}

// S3 usage types per storage class ([s3-usage]).
const S3_STORAGE: Readonly<Record<string, string>> = {
  STANDARD: "TimedStorage-ByteHrs",
  STANDARD_IA: "TimedStorage-SIA-ByteHrs",
  ONEZONE_IA: "TimedStorage-ZIA-ByteHrs",
  GLACIER_IR: "TimedStorage-GIR-ByteHrs",
  GLACIER: "TimedStorage-GlacierByteHrs",
  DEEP_ARCHIVE: "TimedStorage-GDA-ByteHrs",
  IT_FREQUENT: "TimedStorage-INT-FA-ByteHrs",
  IT_INFREQUENT: "TimedStorage-INT-IA-ByteHrs",
  IT_ARCHIVE_INSTANT: "TimedStorage-INT-AIA-ByteHrs",
  IT_ARCHIVE: "TimedStorage-INT-AA-ByteHrs",
  IT_DEEP_ARCHIVE: "TimedStorage-INT-DAA-ByteHrs",
};

// Lifecycle transitions bill as Requests-Tier4 (to SIA, ZIA, INT, GIR) and Requests-Tier3 (to
// Glacier, Deep Archive) ([s3-usage]): one usage type for destinations priced differently, so
// the product is picked by its operation ([readers]: S3-SIATransition ... S3-GDATransition).
const S3_TRANSITION: Readonly<Record<string, string>> = {
  STANDARD_IA: "S3-SIATransition",
  ONEZONE_IA: "S3-ZIATransition",
  INTELLIGENT_TIERING: "S3-INTTransition",
  GLACIER_IR: "S3-GIRTransition",
  GLACIER: "S3-GlacierTransition",
  DEEP_ARCHIVE: "S3-GDATransition",
};

// CodeBuild compute type -> the usage type's machine part ([infracost:codebuild_project]:
// BUILD_GENERAL1_SMALL -> Linux:g1.small; [readers]: "USE1-Build-Min:Linux:g1.small").
const CODEBUILD: Readonly<Record<string, string>> = {
  BUILD_GENERAL1_SMALL: "Linux:g1.small",
  BUILD_GENERAL1_MEDIUM: "Linux:g1.medium",
  BUILD_GENERAL1_LARGE: "Linux:g1.large",
};

/** Every figure of `t` the Price List answers, as a request and a pick. */
export function priceEntries(t: PriceTable): PriceEntry[] {
  return [
    ...each(t.ec2.onDemandHourly, (type) => ({
      path: ["ec2", "onDemandHourly", type],
      service: "AmazonEC2",
      filters: { instanceType: type, operatingSystem: "Linux", tenancy: "Shared", preInstalledSw: "NA", capacitystatus: "Used", licenseModel: "No License required" },
      usagetype: `BoxUsage:${type}`,
      source: `${infracost("instance")} filters; usagetype BoxUsage:<type> as billed ("EU-BoxUsage:m5.large") [readers]`,
    })),
    { path: ["ebs", "gp3GbMonth"], service: "AmazonEC2", filters: { productFamily: "Storage", volumeApiName: "gp3" }, source: infracost("ebs_volume") },
    { path: ["ebs", "gp2GbMonth"], service: "AmazonEC2", filters: { productFamily: "Storage", volumeApiName: "gp2" }, source: infracost("ebs_volume") },

    { path: ["eks", "controlPlaneHourly"], service: "AmazonEKS", filters: { productFamily: "Compute" }, usagetype: "AmazonEKS-Hours:perCluster", source: `${infracost("eks_cluster")}; "USE1-AmazonEKS-Hours:perCluster" [readers]` },
    {
      path: ["eks", "extendedSupportHourly"],
      service: "AmazonEKS",
      filters: { productFamily: "Compute" },
      usagetype: "AmazonEKS-Hours:extendedSupport",
      // The Price List carries the surcharge ($0.50 on top); the table and the EKS pricing page the total ($0.60).
      plus: ["eks", "controlPlaneHourly"],
      source: `"USE1-AmazonEKS-Hours:extendedSupport", a surcharge added to the cluster hour [readers]`,
    },

    { path: ["vpc", "natGatewayHourly"], service: "AmazonEC2", filters: { productFamily: "NAT Gateway" }, usagetype: "NatGateway-Hours", source: infracost("nat_gateway") },
    { path: ["vpc", "natGatewayPerGb"], service: "AmazonEC2", filters: { productFamily: "NAT Gateway" }, usagetype: "NatGateway-Bytes", source: infracost("nat_gateway") },
    { path: ["vpc", "interfaceEndpointHourlyPerAz"], service: "AmazonVPC", filters: { productFamily: "VpcEndpoint" }, usagetype: "VpcEndpoint-Hours", source: infracost("vpc_endpoint") },
    // Tiered (first PB, next 4 PB, over 5 PB): the first paid tier is the table's figure.
    { path: ["vpc", "interfaceEndpointPerGb"], service: "AmazonVPC", filters: { productFamily: "VpcEndpoint" }, usagetype: "VpcEndpoint-Bytes", source: infracost("vpc_endpoint") },
    // Under AmazonVPC with no productFamily of its own [readers], so no family filter.
    { path: ["vpc", "publicIpv4Hourly"], service: "AmazonVPC", usagetype: "PublicIPv4:InUseAddress", source: `"USE1-PublicIPv4:InUseAddress" in AmazonVPC [readers]` },

    { path: ["elb", "albHourly"], service: "AWSELB", filters: { productFamily: "Load Balancer-Application" }, usagetype: "LoadBalancerUsage", source: infracost("lb") },
    { path: ["elb", "albLcuHourly"], service: "AWSELB", filters: { productFamily: "Load Balancer-Application" }, usagetype: "LCUUsage", source: infracost("lb") },

    ...each(t.s3.storageGbMonth, (cls) =>
      S3_STORAGE[cls] === undefined
        ? undefined
        : {
            path: ["s3", "storageGbMonth", cls],
            service: "AmazonS3",
            usagetype: S3_STORAGE[cls],
            // Other S3 products also bill TimedStorage-ByteHrs [readers]: Standard is the one of volumeType Standard.
            attributes: cls === "STANDARD" ? { volumeType: "Standard" } : undefined,
            source: "[s3-usage]",
          },
    ),
    ...each(t.s3.transitionPer1000, (cls) =>
      S3_TRANSITION[cls] === undefined
        ? undefined
        : { path: ["s3", "transitionPer1000", cls], service: "AmazonS3", attributes: { operation: S3_TRANSITION[cls] }, per: 1000, source: "[s3-usage] usage types; operation [readers]" },
    ),
    { path: ["s3", "itMonitoringPer1000Objects"], service: "AmazonS3", usagetype: "Monitoring-Automation-INT", per: 1000, source: "[s3-usage]" },

    { path: ["logs", "ingestPerGb"], service: "AmazonCloudWatch", usagetype: "DataProcessing-Bytes", source: `[cw-usage]; ${infracost("cloudwatch_log_group")}` },
    { path: ["logs", "ingestPerGbInfrequentAccess"], service: "AmazonCloudWatch", usagetype: "DataProcessingIA-Bytes", source: "[cw-usage]" },
    { path: ["logs", "storageGbMonth"], service: "AmazonCloudWatch", usagetype: "TimedStorage-ByteHrs", source: `[cw-usage]; ${infracost("cloudwatch_log_group")}` },
    // Standard-resolution metric alarm; the first 10 are free (a $0 first tier).
    { path: ["cloudwatch", "alarmMonthly"], service: "AmazonCloudWatch", usagetype: "CW:AlarmMonitorUsage", source: `[cw-usage]; ${infracost("cloudwatch_metric_alarm")}` },

    { path: ["ecr", "storageGbMonth"], service: "AmazonECR", usagetype: "TimedStorage-ByteHrs", source: `${infracost("ecr_repository")}; usagetype [readers]` },

    ...each(t.sagemaker.trainingHourly, (type) => ({
      path: ["sagemaker", "trainingHourly", type],
      service: "AmazonSageMaker",
      filters: { instanceName: type },
      usagetype: `Train:${type}`,
      source: `usagetype REGION-Train:<type> and attribute instanceName as billed and quoted [readers]`,
    })),
    ...each(t.sagemaker.hostingHourly, (type) => ({
      path: ["sagemaker", "hostingHourly", type],
      service: "AmazonSageMaker",
      filters: { instanceName: type },
      usagetype: `Host:${type}`,
      source: `usagetype REGION-Host:<type> (AWS ML blog, "Analyze Amazon SageMaker spend ... Part 5: Hosting"); instanceName [readers]`,
    })),

    { path: ["lambda", "perMillionRequests"], service: "AWSLambda", filters: { productFamily: "Serverless" }, usagetype: "Request", per: 1e6, source: `${infracost("lambda_function")}; "Request" [readers]` },
    { path: ["lambda", "perGbSecond"], service: "AWSLambda", filters: { productFamily: "Serverless" }, usagetype: "Lambda-GB-Second", source: `${infracost("lambda_function")}; "Lambda-GB-Second" [readers]` },
    // Standard queues; the first million a month are free (a $0 first tier).
    { path: ["sqs", "perMillionRequests"], service: "AWSQueueService", usagetype: "Requests-RBP", per: 1e6, source: `service code ${infracost("sqs_queue")}; "Requests-RBP" [readers]` },
    { path: ["kms", "keyMonthly"], service: "awskms", filters: { productFamily: "Encryption Key" }, usagetype: "KMS-Keys", source: `${infracost("kms_key")}; prefixed by region code, "us-east-1-KMS-Keys" [readers]` },
    // EventBridge Scheduler: 14 million invocations a month free (a $0 first tier).
    { path: ["scheduler", "perMillionInvocations"], service: "AWSEvents", usagetype: "ScheduledInvocation", per: 1e6, source: `"ScheduledInvocation" in AWSEvents [readers]` },
    ...each(t.codebuild.perMinute, (type) =>
      CODEBUILD[type] === undefined
        ? undefined
        : { path: ["codebuild", "perMinute", type], service: "CodeBuild", usagetype: `Build-Min:${CODEBUILD[type]}`, source: `${infracost("codebuild_project")}; "USE1-Build-Min:Linux:g1.small" [readers]` },
    ),
  ];
}

/**
 * Figures of the table the refresh leaves alone, and why ("*": every key of that map). Two
 * kinds: not in the Price List at all, and in it but with attributes no source here confirmed
 * (a guessed filter would either answer nothing or, worse, the wrong product).
 */
export const NOT_REFRESHED: readonly { readonly path: readonly string[]; readonly why: string }[] = [
  { path: ["hoursPerMonth"], why: "the 730-hour month is the pricing convention, not a price" },
  { path: ["ec2", "spotDiscountByFamily", "*"], why: "not in the Price List: spot prices move hourly; long-run averages from the EC2 Spot Advisor" },
  { path: ["ec2", "defaultSpotDiscount"], why: "not in the Price List: spot prices move hourly; long-run average" },
  { path: ["eks", "standardSupportEnd", "*"], why: "not a price: dates from the EKS Kubernetes version calendar" },
  { path: ["vpc", "gatewayEndpointHourly"], why: "not in the Price List: gateway endpoints (S3, DynamoDB) have no charge line" },
  { path: ["s3", "minStorageDays", "*"], why: "not a price: minimum storage durations are S3 rules (S3 pricing page, storage classes)" },
  { path: ["s3", "itMinObjectKb"], why: "not a price: Intelligent-Tiering does not monitor objects under 128 KB (S3 user guide)" },
  { path: ["s3", "lifecycleMinTransitionObjectKb"], why: "not a price: lifecycle does not transition objects under 128 KB by default (S3 user guide)" },
  { path: ["sagemaker", "managedSpotTrainingDiscount"], why: "not in the Price List: managed spot training savings vary with spot capacity" },
  { path: ["sagemaker", "serverlessPerGbSecond"], why: "in the Price List, but its usage type and unit (per memory size, per second?) were not confirmed from any source here: kept by hand" },
  { path: ["sagemaker", "serverlessDataPerGb"], why: "in the Price List, but its usage type was not confirmed from any source here: kept by hand" },
];

export function isNotRefreshed(path: readonly string[]): boolean {
  return NOT_REFRESHED.some((n) => n.path.length === path.length && n.path.every((seg, i) => seg === "*" || seg === path[i]));
}
