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

const CLASSES = Object.keys(COLDNESS) as StorageClass[];

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
  /** thousands of objects lifecycle moved into each class during the month (transition requests) */
  readonly transitionsK: Readonly<Record<string, number>>;
  /** thousands of objects Intelligent-Tiering monitored, on average over the month */
  readonly monitoredK: number;
  /** GB-months of minimum storage duration charged, per class left early */
  readonly earlyDeleteGbMonths: Readonly<Record<string, number>>;
}

export const DAYS_PER_MONTH = 365 / 12;

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

/**
 * What happens to one GB at each age: the class (or IT tier) it is billed in, and the one-off
 * fees due on reaching that age (transition requests, minimum-duration charge of the class
 * left). Depends on age only, so every cohort shares it.
 */
interface AgeProfile {
  /** index into `keys`, -1 when expired */
  readonly keyAt: Int32Array;
  readonly keys: string[];
  /** USD per GB due on the day the age is reached */
  readonly feeAt: Float64Array;
  readonly earlyAt: Float64Array;
  /** index into CLASSES of the class entered at that age (a transition), -1 for none */
  readonly enteredAt: Int8Array;
  /** index into CLASSES of the class left before its minimum duration, -1 for none; and the GB-months charged */
  readonly leftEarlyAt: Int8Array;
  readonly earlyMonthsAt: Float64Array;
  /** monitored by IT at that age */
  readonly monitoredAt: Uint8Array;
}

function ageProfile(input: StreamInput, prices: PriceTable, maxAge: number): AgeProfile {
  const p = prices.s3;
  const objectKb = input.avgObjectMb * 1024;
  // Lifecycle skips objects under 128 KB by default (since Sept 2024), and IT neither
  // monitors nor tiers them.
  const transitionsApply = objectKb >= p.lifecycleMinTransitionObjectKb;
  const itMonitored = objectKb >= p.itMinObjectKb;
  const objectsPerGb = (1024 * 1024) / objectKb;
  const keys: string[] = [];
  const keyIndex = new Map<string, number>();
  const keyAt = new Int32Array(maxAge + 1);
  const feeAt = new Float64Array(maxAge + 1);
  const earlyAt = new Float64Array(maxAge + 1);
  const entered = new Int8Array(maxAge + 1).fill(-1);
  const leftEarly = new Int8Array(maxAge + 1).fill(-1);
  const earlyMonthsAt = new Float64Array(maxAge + 1);
  const monitoredAt = new Uint8Array(maxAge + 1);
  let cls: StorageClass | "GONE" = "STANDARD";
  let enteredAt = 0;
  for (let age = 0; age <= maxAge; age++) {
    const next = classAtAge(input.policy, age, transitionsApply) ?? "GONE";
    if (next !== cls) {
      const stayed = age - enteredAt;
      const minDays = cls === "GONE" ? 0 : (p.minStorageDays[cls] ?? 0);
      if (cls !== "GONE" && stayed < minDays) {
        earlyAt[age] = (p.storageGbMonth[cls] * (minDays - stayed)) / DAYS_PER_MONTH;
        leftEarly[age] = CLASSES.indexOf(cls);
        earlyMonthsAt[age] = (minDays - stayed) / DAYS_PER_MONTH;
      }
      if (next !== "GONE") {
        feeAt[age] = (objectsPerGb / 1000) * (p.transitionPer1000[next] ?? 0);
        entered[age] = CLASSES.indexOf(next);
      }
      cls = next;
      enteredAt = age;
    }
    if (cls === "GONE") {
      keyAt[age] = -1;
      continue;
    }
    let key: string = cls;
    if (cls === "INTELLIGENT_TIERING") {
      key = itMonitored ? itTier(input.accessPattern, age - enteredAt, input.itTiering) : "IT_FREQUENT";
      monitoredAt[age] = itMonitored ? 1 : 0;
    }
    let k = keyIndex.get(key);
    if (k === undefined) {
      k = keys.length;
      keys.push(key);
      keyIndex.set(key, k);
    }
    keyAt[age] = k;
  }
  return { keyAt, keys, feeAt, earlyAt, enteredAt: entered, leftEarlyAt: leftEarly, earlyMonthsAt, monitoredAt };
}

export function simulateStream(input: StreamInput, prices: PriceTable, months = 12): MonthCost[] {
  const p = prices.s3;
  const objectsPerGb = (1024 * 1024) / (input.avgObjectMb * 1024);
  // months of 30 or 31 days (round(m x 365/12) boundaries); a GB-month is the month's average
  const bounds = Array.from({ length: months + 1 }, (_, m) => Math.round(m * DAYS_PER_MONTH));
  const totalDays = bounds[months];
  const initialAge = input.initialAgeDays ?? 0;
  const prof = ageProfile(input, prices, totalDays + initialAge);
  const nKeys = prof.keys.length;
  const monitorPerGbMonth = (objectsPerGb / 1000) * p.itMonitoringPer1000Objects;

  // Cohorts: the initial stock (born at -initialAge) and one per day of growth. Growth cohorts
  // differ only by age and all weigh the same, so on day t they hold one cohort at each age
  // 0..t: their sums are running sums over ages, kept as t advances (linear, not quadratic).
  const gb0 = input.initialGb;
  const dailyGrowth = input.monthlyGrowthGb / DAYS_PER_MONTH;
  const nClasses = CLASSES.length;
  const ages = { perKey: new Float64Array(nKeys), fee: 0, early: 0, monitored: 0, intoClass: new Float64Array(nClasses), earlyMonths: new Float64Array(nClasses) };

  const out: MonthCost[] = [];
  for (let m = 0; m < months; m++) {
    const days = bounds[m + 1] - bounds[m];
    const gbDays = new Float64Array(nKeys);
    let transitionUsd = 0;
    let earlyDeleteUsd = 0;
    let monitoredGbDays = 0;
    const transitionsK = new Float64Array(nClasses);
    const earlyGbMonths = new Float64Array(nClasses);
    for (let day = bounds[m]; day < bounds[m + 1]; day++) {
      if (dailyGrowth > 0) {
        // today's cohort is born: the running sums gain age `day`
        const a = day;
        if (prof.keyAt[a] >= 0) ages.perKey[prof.keyAt[a]] += 1;
        if (prof.keyAt[a] >= 0 && prof.monitoredAt[a]) ages.monitored += 1;
        ages.fee += prof.feeAt[a];
        ages.early += prof.earlyAt[a];
        if (prof.enteredAt[a] >= 0) ages.intoClass[prof.enteredAt[a]] += 1;
        if (prof.leftEarlyAt[a] >= 0) ages.earlyMonths[prof.leftEarlyAt[a]] += prof.earlyMonthsAt[a];
        for (let k = 0; k < nKeys; k++) gbDays[k] += dailyGrowth * ages.perKey[k];
        monitoredGbDays += dailyGrowth * ages.monitored;
        transitionUsd += dailyGrowth * ages.fee;
        earlyDeleteUsd += dailyGrowth * ages.early;
        for (let c = 0; c < nClasses; c++) {
          transitionsK[c] += (dailyGrowth * ages.intoClass[c] * objectsPerGb) / 1000;
          earlyGbMonths[c] += dailyGrowth * ages.earlyMonths[c];
        }
      }
      if (gb0 > 0) {
        const a = day + initialAge;
        // the initial stock's past transitions were paid before the horizon
        if (day > 0 || initialAge === 0) {
          transitionUsd += gb0 * prof.feeAt[a];
          earlyDeleteUsd += gb0 * prof.earlyAt[a];
          if (prof.enteredAt[a] >= 0) transitionsK[prof.enteredAt[a]] += (gb0 * objectsPerGb) / 1000;
          if (prof.leftEarlyAt[a] >= 0) earlyGbMonths[prof.leftEarlyAt[a]] += gb0 * prof.earlyMonthsAt[a];
        }
        const k = prof.keyAt[a];
        if (k >= 0) {
          gbDays[k] += gb0;
          if (prof.monitoredAt[a]) monitoredGbDays += gb0;
        }
      }
    }
    const gbByClass: Record<string, number> = {};
    let storageUsd = 0;
    let storedGb = 0;
    for (let k = 0; k < nKeys; k++) {
      if (gbDays[k] === 0) continue;
      const key = prof.keys[k];
      const price = p.storageGbMonth[key];
      if (price === undefined) throw new Error(`no S3 storage price for ${key} in cost/prices/${prices.region}.json`);
      storageUsd += (gbDays[k] / days) * price;
      gbByClass[key] = gbDays[k] / days;
      storedGb += gbDays[k] / days;
    }
    const monitoringUsd = (monitoredGbDays / days) * monitorPerGbMonth;
    out.push({
      month: m + 1,
      storedGb,
      storageUsd,
      transitionUsd,
      monitoringUsd,
      earlyDeleteUsd,
      totalUsd: storageUsd + transitionUsd + monitoringUsd + earlyDeleteUsd,
      gbByClass,
      transitionsK: byClass(transitionsK),
      monitoredK: ((monitoredGbDays / days) * objectsPerGb) / 1000,
      earlyDeleteGbMonths: byClass(earlyGbMonths),
    });
  }
  return out;
}

function byClass(values: Float64Array): Record<string, number> {
  const out: Record<string, number> = {};
  values.forEach((v, i) => {
    if (v > 0) out[CLASSES[i]] = v;
  });
  return out;
}

export function averageMonthly(series: readonly MonthCost[]): number {
  return series.reduce((s, m) => s + m.totalUsd, 0) / Math.max(1, series.length);
}
