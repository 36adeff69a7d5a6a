/**
 * The dated price table of a region (cost/prices/<region>.json) and the lookups the estimate
 * makes. Refresh path: cost/refresh-prices.ts (AWS Price List API).
 */
import * as fs from "fs";
import * as path from "path";

export interface PriceTable {
  readonly region: string;
  readonly currency: string;
  /** Date the figures were taken; printed with every estimate. */
  readonly date: string;
  readonly source: string;
  readonly hoursPerMonth: number;
  readonly ec2: {
    readonly onDemandHourly: Readonly<Record<string, number>>;
    /** Fraction off on-demand, by instance family ("t3", "m5a", ...). */
    readonly spotDiscountByFamily: Readonly<Record<string, number>>;
    readonly defaultSpotDiscount: number;
  };
  readonly ebs: { readonly gp3GbMonth: number; readonly gp2GbMonth: number };
  readonly eks: {
    readonly controlPlaneHourly: number;
    readonly extendedSupportHourly: number;
    readonly standardSupportEnd: Readonly<Record<string, string>>;
  };
  readonly vpc: {
    readonly natGatewayHourly: number;
    readonly natGatewayPerGb: number;
    readonly interfaceEndpointHourlyPerAz: number;
    readonly interfaceEndpointPerGb: number;
    readonly gatewayEndpointHourly: number;
    /** A public IPv4 address, per hour, in use or idle (since 2024-02-01). */
    readonly publicIpv4Hourly: number;
  };
  readonly elb: { readonly albHourly: number; readonly albLcuHourly: number };
  readonly s3: {
    readonly storageGbMonth: Readonly<Record<string, number>>;
    readonly transitionPer1000: Readonly<Record<string, number>>;
    readonly minStorageDays: Readonly<Record<string, number>>;
    readonly itMonitoringPer1000Objects: number;
    readonly itMinObjectKb: number;
    readonly lifecycleMinTransitionObjectKb: number;
  };
  readonly logs: {
    readonly ingestPerGb: number;
    /** The Infrequent Access log class: half the Standard ingestion price. */
    readonly ingestPerGbInfrequentAccess: number;
    readonly storageGbMonth: number;
  };
  readonly ecr: { readonly storageGbMonth: number };
  readonly sagemaker: {
    readonly trainingHourly: Readonly<Record<string, number>>;
    readonly hostingHourly: Readonly<Record<string, number>>;
    readonly serverlessPerGbSecond: number;
    readonly serverlessDataPerGb: number;
    readonly managedSpotTrainingDiscount: number;
  };
  readonly lambda: { readonly perMillionRequests: number; readonly perGbSecond: number };
  readonly sqs: { readonly perMillionRequests: number };
  readonly cloudwatch: { readonly alarmMonthly: number };
  readonly kms: { readonly keyMonthly: number };
  readonly scheduler: { readonly perMillionInvocations: number };
  /** On-demand build minutes by compute type (Linux). */
  readonly codebuild: { readonly perMinute: Readonly<Record<string, number>> };
}

export const PRICES_DIR = path.join(__dirname, "prices");

export function availablePriceRegions(dir = PRICES_DIR): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort() : [];
}

/** Read on every call: an edited table is seen at once (it is a few KB of JSON). */
export function loadPriceTable(region: string, dir = PRICES_DIR): PriceTable {
  const file = path.join(dir, `${region}.json`);
  if (!fs.existsSync(file)) {
    throw new Error(
      `no price table for region ${region}: ${file} does not exist (have: ${availablePriceRegions(dir).join(", ") || "none"}); ` +
        `create it with: npx tsx cost/refresh-prices.ts --region ${region}`,
    );
  }
  const table = JSON.parse(fs.readFileSync(file, "utf8")) as PriceTable;
  if (table.region !== region) throw new Error(`${file} says region ${table.region}, expected ${region}`);
  return table;
}

/** "m5a.large" -> "m5a"; "ml.m5.large" -> "m5". */
export function instanceFamily(instanceType: string): string {
  const parts = instanceType.replace(/^ml\./, "").split(".");
  return parts[0];
}

function lookup(table: Readonly<Record<string, number>>, key: string, what: string, region: string): number {
  const v = table[key];
  if (v === undefined) {
    throw new Error(`no ${what} price for ${key} in cost/prices/${region}.json (known: ${Object.keys(table).join(", ")}); add it or refresh the table`);
  }
  return v;
}

export function ec2OnDemandHourly(p: Pick<PriceTable, "region" | "ec2">, instanceType: string): number {
  return lookup(p.ec2.onDemandHourly, instanceType, "EC2 on-demand", p.region);
}

/** Spot discount (fraction off on-demand) for an instance type; overrides by family or by type win. */
export function spotDiscount(p: Pick<PriceTable, "ec2">, instanceType: string, overrides: Readonly<Record<string, number>> = {}): number {
  const fam = instanceFamily(instanceType);
  const d = overrides[instanceType] ?? overrides[fam] ?? p.ec2.spotDiscountByFamily[fam] ?? p.ec2.defaultSpotDiscount;
  if (!(d >= 0 && d < 1)) throw new Error(`spot discount for ${instanceType} must be in [0, 1), got ${d}`);
  return d;
}

export function sagemakerHourly(p: { readonly region: string; readonly sagemaker: Partial<Pick<PriceTable["sagemaker"], "trainingHourly" | "hostingHourly">> }, instanceType: string, kind: "training" | "hosting"): number {
  const table = kind === "training" ? p.sagemaker.trainingHourly : p.sagemaker.hostingHourly;
  if (!table) throw new Error(`no SageMaker ${kind} prices in this table of ${p.region}`);
  return lookup(table, instanceType, `SageMaker ${kind}`, p.region);
}
