import { s3Bucket } from "../../../cost/pricers/s3-bucket";
import { expectConsistent, lineNamed, price } from "./helpers";

const only = { pricers: [s3Bucket] };
const usage = (prefixes: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ resources: { "aws_s3_bucket.B": { prefixes, ...extra } } });

describe("s3-bucket pricer", () => {
  test("a rule joined by the bucket's name (not an expression) expires tmp/: storage drops to about a week of growth", () => {
    const e = price(
      {
        aws_s3_bucket: { B: { bucket: "acme-data" } },
        aws_s3_bucket_lifecycle_configuration: { L: { bucket: "acme-data", rule: [{ id: "tmp", status: "Enabled", filter: { prefix: "tmp/" }, expiration: { days: 7 } }] } },
      },
      usage({ "tmp/": { storedGb: 0, monthlyGrowthGb: 100, avgObjectMb: 16, accessPattern: "frequent" } }),
      only,
    );
    const [c] = e.components;
    expect(c.id).toBe("s3:acme-data");
    // steady state: 7 days of 100 GB/month
    expect(lineNamed(c.lines.optimized, "tmp/ STANDARD").quantity).toBeLessThan((100 / (365 / 12)) * 7 + 0.01);
    expect(lineNamed(c.lines.baseline, "tmp/ STANDARD").quantity).toBeGreaterThan(500);
    expect(c.assumptions.join("\n")).toMatch(/tmp\/: .*STANDARD, expire@7d/);
    expectConsistent(c);
  });

  test("a disabled rule and a rule for another prefix do not apply", () => {
    const e = price(
      {
        aws_s3_bucket: { B: { bucket: "acme-data" } },
        aws_s3_bucket_lifecycle_configuration: {
          L: {
            bucket: "${aws_s3_bucket.B.id}",
            rule: [
              { id: "off", status: "Disabled", filter: { prefix: "" }, expiration: { days: 1 } },
              { id: "other", status: "Enabled", filter: { prefix: "logs/" }, expiration: { days: 1 } },
            ],
          },
        },
      },
      usage({ "raw/": { storedGb: 100, monthlyGrowthGb: 0, avgObjectMb: 64, accessPattern: "rare" } }),
      only,
    );
    const [c] = e.components;
    expect(c.optimizedMonthlyUsd).toBeCloseTo(c.baselineMonthlyUsd, 9);
    expect(c.optimizedMonthlyUsd).toBeCloseTo(100 * 0.023, 9);
  });

  test("Intelligent-Tiering archive tiers come from the bucket's configuration; IT monitoring and transitions are lines", () => {
    const e = price(
      {
        aws_s3_bucket: { B: { bucket: "acme-data" } },
        aws_s3_bucket_lifecycle_configuration: { L: { bucket: "${aws_s3_bucket.B.id}", rule: [{ id: "it", status: "Enabled", filter: { prefix: "raw/" }, transition: [{ days: 0, storage_class: "INTELLIGENT_TIERING" }] }] } },
        aws_s3_bucket_intelligent_tiering_configuration: { I: { bucket: "${aws_s3_bucket.B.id}", name: "archive", tiering: [{ access_tier: "ARCHIVE_ACCESS", days: 90 }] } },
      },
      usage({ "raw/": { storedGb: 100, monthlyGrowthGb: 0, avgObjectMb: 64, accessPattern: "rare", initialAgeDays: 200 } }),
      only,
    );
    const [c] = e.components;
    // 200 days old at the start: in the archive tier for the whole horizon
    expect(lineNamed(c.lines.optimized, "raw/ IT_ARCHIVE").quantity).toBeCloseTo(100, 6);
    expect(lineNamed(c.lines.optimized, "raw/ IT monitoring").unit).toBe("1k objects");
    expectConsistent(c);
  });

  test("noncurrent versions expire per the rules' noncurrent_version_expiration", () => {
    const e = price(
      {
        aws_s3_bucket: { B: { bucket: "acme-data" } },
        aws_s3_bucket_lifecycle_configuration: { L: { bucket: "${aws_s3_bucket.B.id}", rule: [{ id: "nc", status: "Enabled", filter: { prefix: "" }, noncurrent_version_expiration: { noncurrent_days: 30 } }] } },
      },
      usage({}, { noncurrentGbPerMonth: 10 }),
      only,
    );
    const [c] = e.components;
    expect(lineNamed(c.lines.optimized, "(noncurrent versions) STANDARD").quantity).toBeLessThan(10.5);
    expect(lineNamed(c.lines.baseline, "(noncurrent versions) STANDARD").quantity).toBeGreaterThan(50);
  });

  test("a bucket the profile does not name is priced at 0, and says so", () => {
    const e = price({ aws_s3_bucket: { B: { bucket: "acme-data" } } }, {}, only);
    expect(e.components[0]).toMatchObject({ baselineMonthlyUsd: 0, optimizedMonthlyUsd: 0, assumptions: ["no usage for this bucket in the profile: priced at 0"] });
  });

  test("per-type defaults price a bucket the profile does not name", () => {
    const e = price({ aws_s3_bucket: { B: { bucket: "acme-data" } } }, { defaults: { aws_s3_bucket: { prefixes: { "": { storedGb: 10, monthlyGrowthGb: 0, avgObjectMb: 8, accessPattern: "rare" } } } } }, only);
    expect(e.components[0].optimizedMonthlyUsd).toBeCloseTo(10 * 0.023, 9);
  });

  test("fails on an access pattern outside the schema, naming the path, the value and what is allowed", () => {
    expect(() => price({ aws_s3_bucket: { B: { bucket: "acme-data" } } }, usage({ "raw/": { storedGb: 1, monthlyGrowthGb: 0, avgObjectMb: 8, accessPattern: "sometimes" } }), only)).toThrow(
      'test-usage.json: resources."aws_s3_bucket.B".prefixes."raw/".accessPattern: "sometimes" is not allowed; one of "frequent", "infrequent", "rare"',
    );
  });
});
