import { mergeRules, ruleApplies } from "../../cost/pricers/s3-bucket";
import { classAtAge, itTier, simulateStream, averageMonthly } from "../../cost/lifecycle";
import { loadPriceTable } from "../../cost/prices";

const prices = loadPriceTable("us-east-1");
const STD = prices.s3.storageGbMonth.STANDARD;

describe("S3 lifecycle month by month", () => {
  test("without rules everything stays STANDARD and grows", () => {
    const s = simulateStream({ initialGb: 100, monthlyGrowthGb: 0, avgObjectMb: 10, accessPattern: "rare", policy: { transitions: [] } }, prices);
    expect(s).toHaveLength(12);
    for (const m of s) expect(m.totalUsd).toBeCloseTo(100 * STD, 6);
    const g = simulateStream({ initialGb: 0, monthlyGrowthGb: 30, avgObjectMb: 10, accessPattern: "rare", policy: { transitions: [] } }, prices);
    expect(g[11].storedGb).toBeGreaterThan(g[0].storedGb * 10);
  });

  test("GLACIER_IR at 90 days: STANDARD for months 1-3, then GIR with one transition fee", () => {
    const objects = (100 * 1024) / 4; // 4 MB objects
    const s = simulateStream(
      { initialGb: 100, monthlyGrowthGb: 0, avgObjectMb: 4, accessPattern: "rare", policy: { transitions: [{ days: 90, storageClass: "GLACIER_IR" }] } },
      prices,
    );
    expect(s[0].gbByClass).toEqual({ STANDARD: 100 });
    expect(s[4].gbByClass).toEqual({ GLACIER_IR: 100 });
    expect(s[4].storageUsd).toBeCloseTo(100 * prices.s3.storageGbMonth.GLACIER_IR, 6);
    const fees = s.reduce((a, m) => a + m.transitionUsd, 0);
    expect(fees).toBeCloseTo((objects / 1000) * prices.s3.transitionPer1000.GLACIER_IR, 6);
  });

  test("leaving GLACIER_IR before 90 days is charged the remainder (minimum storage duration)", () => {
    const s = simulateStream(
      { initialGb: 10, monthlyGrowthGb: 0, avgObjectMb: 4, accessPattern: "rare", policy: { transitions: [{ days: 0, storageClass: "GLACIER_IR" }], expirationDays: 30 } },
      prices,
    );
    const early = s.reduce((a, m) => a + m.earlyDeleteUsd, 0);
    expect(early).toBeCloseTo((10 * prices.s3.storageGbMonth.GLACIER_IR * 60) / (365 / 12), 6);
  });

  test("expiry bounds stored data at growth x days (tmp/)", () => {
    const s = simulateStream({ initialGb: 0, monthlyGrowthGb: 100, avgObjectMb: 16, accessPattern: "frequent", policy: { transitions: [], expirationDays: 7 } }, prices);
    const perDay = 100 / (365 / 12);
    expect(s[11].storedGb).toBeCloseTo(perDay * 7, 1);
  });

  test("Intelligent-Tiering: rare data walks Frequent -> Infrequent -> Archive Instant, monitored per 1,000 objects", () => {
    expect(itTier("rare", 0)).toBe("IT_FREQUENT");
    expect(itTier("rare", 30)).toBe("IT_INFREQUENT");
    expect(itTier("rare", 90)).toBe("IT_ARCHIVE_INSTANT");
    expect(itTier("rare", 100, { archiveAccessDays: 90 })).toBe("IT_ARCHIVE");
    expect(itTier("rare", 200, { archiveAccessDays: 90, deepArchiveAccessDays: 180 })).toBe("IT_DEEP_ARCHIVE");
    expect(itTier("infrequent", 400)).toBe("IT_INFREQUENT");
    expect(itTier("frequent", 400)).toBe("IT_FREQUENT");
    const s = simulateStream(
      { initialGb: 1024, monthlyGrowthGb: 0, avgObjectMb: 1, accessPattern: "rare", policy: { transitions: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }] } },
      prices,
    );
    const objects = 1024 * 1024;
    expect(s[11].monitoringUsd).toBeCloseTo((objects / 1000) * prices.s3.itMonitoringPer1000Objects, 2);
    expect(s[11].gbByClass.IT_ARCHIVE_INSTANT).toBeCloseTo(1024, 6);
    expect(s[0].gbByClass.IT_FREQUENT).toBeCloseTo(1024, 6);
  });

  test("objects under 128 KB are not transitioned", () => {
    const policy = { transitions: [{ days: 0, storageClass: "GLACIER_IR" as const }] };
    const small = simulateStream({ initialGb: 10, monthlyGrowthGb: 0, avgObjectMb: 0.05, accessPattern: "rare", policy }, prices);
    expect(small[6].gbByClass).toEqual({ STANDARD: 10 });
  });

  test("coldest due transition wins; expired is undefined", () => {
    const p = { transitions: [{ days: 30, storageClass: "INTELLIGENT_TIERING" as const }, { days: 90, storageClass: "GLACIER_IR" as const }], expirationDays: 365 };
    expect(classAtAge(p, 10)).toBe("STANDARD");
    expect(classAtAge(p, 45)).toBe("INTELLIGENT_TIERING");
    expect(classAtAge(p, 100)).toBe("GLACIER_IR");
    expect(classAtAge(p, 365)).toBeUndefined();
  });

  test("transitions make the 12-month average cheaper than STANDARD", () => {
    const base = { initialGb: 200, monthlyGrowthGb: 40, avgObjectMb: 64, accessPattern: "rare" as const };
    const b = averageMonthly(simulateStream({ ...base, policy: { transitions: [] } }, prices));
    const o = averageMonthly(simulateStream({ ...base, policy: { transitions: [{ days: 30, storageClass: "INTELLIGENT_TIERING" }] } }, prices));
    expect(o).toBeLessThan(b * 0.6);
  });
});

describe("which lifecycle rules apply to a usage prefix", () => {
  const tmpRule = { id: "tmp-expire", status: "Enabled", filter: [{ and: [{ prefix: "tmp/", tags: { temporary: "true" } }] }], expiration: [{ days: 7 }] };
  const rawRule = { id: "raw", status: "Enabled", filter: { prefix: "raw/" }, transition: [{ days: 30, storage_class: "INTELLIGENT_TIERING" }] };
  const all = { id: "housekeeping", status: "Enabled", filter: [{ prefix: "" }], noncurrent_version_expiration: [{ noncurrent_days: 30 }] };

  test("prefix filters match by key prefix; an empty prefix matches everything", () => {
    expect(ruleApplies(rawRule, "raw/", {})).toBe(true);
    expect(ruleApplies(rawRule, "raw/2026/", {})).toBe(true);
    expect(ruleApplies(rawRule, "silver/", {})).toBe(false);
    expect(ruleApplies(all, "anything/", {})).toBe(true);
  });

  test("an `and` filter with tags applies only to objects carrying those tags", () => {
    expect(ruleApplies(tmpRule, "tmp/", { temporary: "true" })).toBe(true);
    expect(ruleApplies(tmpRule, "tmp/", {})).toBe(false);
    expect(ruleApplies(tmpRule, "tmp/", { temporary: "false" })).toBe(false);
  });

  test("merged rules: transitions sorted, the earliest expiry wins, unknown classes fail", () => {
    const p = mergeRules([rawRule, { ...tmpRule }, { id: "x", expiration: { days: 3 }, transition: [{ days: 90, storage_class: "GLACIER_IR" }] }]);
    expect(p).toEqual({ transitions: [{ days: 30, storageClass: "INTELLIGENT_TIERING" }, { days: 90, storageClass: "GLACIER_IR" }], expirationDays: 3 });
    expect(() => mergeRules([{ id: "bad", transition: [{ days: 1, storage_class: "TAPE" }] }])).toThrow(/unknown storage_class TAPE/);
  });
});

/**
 * simulateStream keeps running sums over ages instead of walking every cohort every day. The
 * plain walk below (one cohort per day of growth plus the initial stock, each aged through
 * classAtAge / itTier) must give the same month-by-month storage and fees.
 */
describe("S3 lifecycle: running sums equal the cohort-by-cohort walk", () => {
  const D = 365 / 12;
  function cohortWalk(input: Parameters<typeof simulateStream>[0], months = 12) {
    const p = prices.s3;
    const objKb = input.avgObjectMb * 1024;
    const apply = objKb >= p.lifecycleMinTransitionObjectKb;
    const monitoredIt = objKb >= p.itMinObjectKb;
    const perGbK = 1024 / input.avgObjectMb / 1000;
    const bounds = Array.from({ length: months + 1 }, (_, m) => Math.round(m * D));
    const ia = input.initialAgeDays ?? 0;
    const cohorts: { born: number; gb: number }[] = input.initialGb > 0 ? [{ born: -ia, gb: input.initialGb }] : [];
    /** class (or IT tier) at each age, and the fee due on reaching it */
    const at = (age: number) => {
      let cls: string = "STANDARD";
      let since = 0;
      let fee = 0;
      for (let a = 0; a <= age; a++) {
        const next = classAtAge(input.policy, a, apply) ?? "GONE";
        fee = 0;
        if (next !== cls) {
          const min = cls === "GONE" ? 0 : (p.minStorageDays[cls] ?? 0);
          if (a - since < min) fee += (p.storageGbMonth[cls] * (min - (a - since))) / D;
          if (next !== "GONE") fee += perGbK * (p.transitionPer1000[next] ?? 0);
          cls = next;
          since = a;
        }
      }
      const key = cls === "INTELLIGENT_TIERING" ? (monitoredIt ? itTier(input.accessPattern, age - since, input.itTiering) : "IT_FREQUENT") : cls;
      return { key, fee, monitored: cls === "INTELLIGENT_TIERING" && monitoredIt };
    };
    const memo = new Map<number, ReturnType<typeof at>>();
    const out: { gbByClass: Record<string, number>; fees: number }[] = [];
    for (let m = 0; m < months; m++) {
      const days = bounds[m + 1] - bounds[m];
      const gbByClass: Record<string, number> = {};
      let fees = 0;
      for (let day = bounds[m]; day < bounds[m + 1]; day++) {
        if (input.monthlyGrowthGb > 0) cohorts.push({ born: day, gb: input.monthlyGrowthGb / D });
        for (const c of cohorts) {
          const age = day - c.born;
          let s = memo.get(age);
          if (!s) memo.set(age, (s = at(age)));
          if (day > 0 || c.born === day) fees += c.gb * s.fee;
          if (s.key === "GONE") continue;
          gbByClass[s.key] = (gbByClass[s.key] ?? 0) + c.gb / days;
          if (s.monitored) fees += ((c.gb / days) * perGbK) * p.itMonitoringPer1000Objects;
        }
      }
      out.push({ gbByClass, fees });
    }
    return out;
  }

  const cases: Parameters<typeof simulateStream>[0][] = [
    { initialGb: 200, monthlyGrowthGb: 40, avgObjectMb: 64, accessPattern: "rare", policy: { transitions: [{ days: 30, storageClass: "INTELLIGENT_TIERING" }] }, itTiering: { archiveAccessDays: 90, deepArchiveAccessDays: 180 } },
    { initialGb: 80, initialAgeDays: 45, monthlyGrowthGb: 15, avgObjectMb: 32, accessPattern: "infrequent", policy: { transitions: [{ days: 30, storageClass: "INTELLIGENT_TIERING" }] } },
    { initialGb: 20, monthlyGrowthGb: 10, avgObjectMb: 4, accessPattern: "rare", policy: { transitions: [{ days: 90, storageClass: "GLACIER_IR" }, { days: 180, storageClass: "DEEP_ARCHIVE" }] } },
    { initialGb: 5, monthlyGrowthGb: 100, avgObjectMb: 16, accessPattern: "frequent", policy: { transitions: [], expirationDays: 7 } },
    { initialGb: 10, monthlyGrowthGb: 3, avgObjectMb: 0.05, accessPattern: "rare", policy: { transitions: [{ days: 0, storageClass: "STANDARD_IA" }, { days: 20, storageClass: "GLACIER_IR" }], expirationDays: 60 } },
    { initialGb: 0, monthlyGrowthGb: 7, avgObjectMb: 1, accessPattern: "rare", policy: { transitions: [{ days: 10, storageClass: "GLACIER_IR" }], expirationDays: 40 } },
    { initialGb: 10, monthlyGrowthGb: 2, avgObjectMb: 8, accessPattern: "rare", policy: { transitions: [{ days: 0, storageClass: "GLACIER_IR" }], expirationDays: 30 } },
  ];
  test.each(cases.map((c, i) => [i, c] as const))("case %i", (_, input) => {
    const fast = simulateStream(input, prices);
    const slow = cohortWalk(input);
    fast.forEach((m, i) => {
      expect(Object.keys(m.gbByClass).sort()).toEqual(Object.keys(slow[i].gbByClass).sort());
      for (const [k, gb] of Object.entries(slow[i].gbByClass)) expect(m.gbByClass[k]).toBeCloseTo(gb, 9);
      expect(m.transitionUsd + m.earlyDeleteUsd + m.monitoringUsd).toBeCloseTo(slow[i].fees, 9);
    });
  });
});
