/**
 * S3 storage month by month over a horizon: data arrives (an initial stock plus monthly
 * growth), each day's arrivals age as one cohort, the bucket's lifecycle rules move every
 * cohort between storage classes and expire it, and Intelligent-Tiering moves it between
 * access tiers by the days since it was last read. Charged per month: GB-days in each class,
 * lifecycle transition requests per 1,000 objects, the IT monitoring fee per 1,000 objects,
 * and the minimum storage duration of a class an object leaves early.
 */
import { PriceTable } from "./prices";

export type StorageClass =
  | "STANDARD"
  | "STANDARD_IA"
  | "ONEZONE_IA"
  | "INTELLIGENT_TIERING"
  | "GLACIER_IR"
  | "GLACIER"
  | "DEEP_ARCHIVE";

/** Coldest wins when two transitions of merged rules are both due. */
const COLDNESS: Record<StorageClass, number> = {
  STANDARD: 0,
  INTELLIGENT_TIERING: 1,
  STANDARD_IA: 2,
  ONEZONE_IA: 3,
  GLACIER_IR: 4,
  GLACIER: 5,
  DEEP_ARCHIVE: 6,
};

export function isStorageClass(s: string): s is StorageClass {
  return s in COLDNESS;
}

/**
 * frequent: read all the time (IT keeps it in Frequent Access); infrequent: read every few
 * weeks (IT: Infrequent Access after 30 days, never further); rare: written once, seldom read
 * (IT: Infrequent after 30 days, Archive Instant after 90, the opt-in archive tiers after their
 * configured days).
 */
export type AccessPattern = "frequent" | "infrequent" | "rare";

export interface LifecyclePolicy {
  readonly transitions: readonly { readonly days: number; readonly storageClass: StorageClass }[];
  readonly expirationDays?: number;
}

export interface ItTiering {
  readonly archiveAccessDays?: number;
  readonly deepArchiveAccessDays?: number;
}

export interface StreamInput {
  readonly initialGb: number;
  /** Age of the initial stock when the horizon starts. @default 0 */
  readonly initialAgeDays?: number;
  readonly monthlyGrowthGb: number;
  readonly avgObjectMb: number;
  readonly accessPattern: AccessPattern;
  readonly policy: LifecyclePolicy;
  readonly itTiering?: ItTiering;
}

export interface MonthCost {
  readonly month: number;
  /** average GB stored during the month */
  readonly storedGb: number;
  readonly storageUsd: number;
  readonly transitionUsd: number;
  readonly monitoringUsd: number;
  readonly earlyDeleteUsd: number;
  readonly totalUsd: number;
  /** average GB per class / IT tier during the month */
  readonly gbByClass: Readonly<Record<string, number>>;
}

export const DAYS_PER_MONTH = 365 / 12;

interface Cohort {
  gb: number;
  birth: number;
  cls: StorageClass | "GONE";
  enteredAt: number;
}

/** The policy's class at an age; undefined when expired. */
export function classAtAge(policy: LifecyclePolicy, ageDays: number, transitionsApply = true): StorageClass | undefined {
  if (policy.expirationDays !== undefined && ageDays >= policy.expirationDays) return undefined;
  let cls: StorageClass = "STANDARD";
  if (transitionsApply) {
    for (const t of policy.transitions) {
      if (ageDays >= t.days && COLDNESS[t.storageClass] > COLDNESS[cls]) cls = t.storageClass;
    }
  }
  return cls;
}

/** IT access tier after `daysInIt` days in the class, for an access pattern. */
export function itTier(pattern: AccessPattern, daysInIt: number, tiering: ItTiering = {}): string {
  if (pattern === "frequent" || daysInIt < 30) return "IT_FREQUENT";
  if (pattern === "infrequent" || daysInIt < 90) return "IT_INFREQUENT";
  if (tiering.deepArchiveAccessDays !== undefined && daysInIt >= tiering.deepArchiveAccessDays) return "IT_DEEP_ARCHIVE";
  if (tiering.archiveAccessDays !== undefined && daysInIt >= tiering.archiveAccessDays) return "IT_ARCHIVE";
  return "IT_ARCHIVE_INSTANT";
}

export function simulateStream(input: StreamInput, prices: PriceTable, months = 12): MonthCost[] {
  const p = prices.s3;
  const objectKb = input.avgObjectMb * 1024;
  // Lifecycle skips objects under 128 KB by default (since Sept 2024), and IT neither
  // monitors nor tiers them.
  const transitionsApply = objectKb >= p.lifecycleMinTransitionObjectKb;
  const itMonitored = objectKb >= p.itMinObjectKb;
  const objectsPerGb = (1024 * 1024) / objectKb;
  // months of 30 or 31 days (round(m x 365/12) boundaries); a GB-month is the month's average
  const bounds = Array.from({ length: months + 1 }, (_, m) => Math.round(m * DAYS_PER_MONTH));
  const totalDays = bounds[months];
  const monthOfDay: number[] = [];
  for (let m = 0; m < months; m++) for (let d = bounds[m]; d < bounds[m + 1]; d++) monthOfDay.push(m);

  const acc = Array.from({ length: months }, () => ({
    gbDays: {} as Record<string, number>,
    transitionUsd: 0,
    monitoringUsd: 0,
    earlyDeleteUsd: 0,
  }));

  const cohorts: Cohort[] = [];
  const add = (gb: number, birth: number) => {
    if (gb > 0) cohorts.push({ gb, birth, cls: "STANDARD", enteredAt: birth });
  };
  add(input.initialGb, -(input.initialAgeDays ?? 0));
  const dailyGrowth = input.monthlyGrowthGb / DAYS_PER_MONTH;

  for (let day = 0; day < totalDays; day++) {
    const m = monthOfDay[day];
    const daysInMonth = bounds[m + 1] - bounds[m];
    const a = acc[m];
    add(dailyGrowth, day);
    for (const c of cohorts) {
      if (c.cls === "GONE") continue;
      const age = day - c.birth;
      const next = classAtAge(input.policy, age, transitionsApply) ?? "GONE";
      if (next !== c.cls) {
        const stayed = day - c.enteredAt;
        const minDays = p.minStorageDays[c.cls] ?? 0;
        if (stayed < minDays) a.earlyDeleteUsd += (c.gb * p.storageGbMonth[c.cls] * (minDays - stayed)) / DAYS_PER_MONTH;
        if (next !== "GONE") a.transitionUsd += ((c.gb * objectsPerGb) / 1000) * (p.transitionPer1000[next] ?? 0);
        c.cls = next;
        c.enteredAt = day;
        if (next === "GONE") continue;
      }
      let key: string = c.cls;
      if (c.cls === "INTELLIGENT_TIERING") {
        key = itMonitored ? itTier(input.accessPattern, day - c.enteredAt, input.itTiering) : "IT_FREQUENT";
        if (itMonitored) a.monitoringUsd += ((c.gb * objectsPerGb) / 1000) * (p.itMonitoringPer1000Objects / daysInMonth);
      }
      a.gbDays[key] = (a.gbDays[key] ?? 0) + c.gb;
    }
  }

  return acc.map((a, month) => {
    const days = bounds[month + 1] - bounds[month];
    const gbByClass: Record<string, number> = {};
    let storageUsd = 0;
    let storedGb = 0;
    for (const [k, gbDays] of Object.entries(a.gbDays)) {
      const price = p.storageGbMonth[k];
      if (price === undefined) throw new Error(`no S3 storage price for ${k} in cost/prices/${prices.region}.json`);
      storageUsd += (gbDays / days) * price;
      gbByClass[k] = gbDays / days;
      storedGb += gbDays / days;
    }
    const totalUsd = storageUsd + a.transitionUsd + a.monitoringUsd + a.earlyDeleteUsd;
    return { month: month + 1, storedGb, storageUsd, transitionUsd: a.transitionUsd, monitoringUsd: a.monitoringUsd, earlyDeleteUsd: a.earlyDeleteUsd, totalUsd, gbByClass };
  });
}

export function averageMonthly(series: readonly MonthCost[]): number {
  return series.reduce((s, m) => s + m.totalUsd, 0) / Math.max(1, series.length);
}
