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
