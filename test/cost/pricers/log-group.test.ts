import { logGroup } from "../../../cost/pricers/log-group";
import { expectConsistent, lifetime, lineNamed, OFFICE_LIFETIME_HOURS, price, priceStacks } from "./helpers";

const only = { pricers: [logGroup] };
const D = 365 / 12;

describe("log-group pricer", () => {
  test("the Infrequent Access class halves ingestion; a group written only while the cluster runs ingests over the compute lifetime (by name, or the profile's ingestFollows)", () => {
    const e = priceStacks(
      {
        "dev-data": {
          aws_cloudwatch_log_group: {
            Eks: { name: "/aws/eks/acme/cluster", retention_in_days: 7, log_group_class: "INFREQUENT_ACCESS" },
            App: { name: "/acme/app", retention_in_days: 7, log_group_class: "INFREQUENT_ACCESS" },
            Lambda: { name: "/aws/lambda/x", retention_in_days: 7 },
          },
        },
        "dev-compute": { aws_eks_cluster: { C: { name: "acme" } } },
        "dev-ops": lifetime("dev-compute"),
      },
      {
        resources: {
          "aws_cloudwatch_log_group.Eks": { ingestGbPerDay: 0.5 },
          "aws_cloudwatch_log_group.App": { ingestGbPerDay: 1, ingestFollows: "aws_eks_cluster.C" },
          "aws_cloudwatch_log_group.Lambda": { ingestGbPerDay: 1 },
        },
      },
      only,
    );
    const [c] = e.components;
    const frac = OFFICE_LIFETIME_HOURS / 730;
    const eks = lineNamed(c.lines.optimized, "/aws/eks/acme/cluster ingestion");
    expect(eks).toMatchObject({ unitPriceUsd: 0.25 });
    expect(eks.quantity).toBeCloseTo(0.5 * D * frac, 9);
    expect(eks.reason).toMatch(/^0\.5 GB\/day while acme runs \(271\.9 of 730 h: .*compute lifetime of dev-compute.*\); Infrequent Access class$/);
    expect(lineNamed(c.lines.optimized, "/acme/app ingestion").quantity).toBeCloseTo(1 * D * frac, 9);
    expect(lineNamed(c.lines.optimized, "/aws/lambda/x ingestion")).toMatchObject({ unitPriceUsd: 0.5 });
    expect(lineNamed(c.lines.optimized, "/aws/lambda/x ingestion").quantity).toBeCloseTo(D, 9);
    // baseline: Standard, written 24/7
    expect(lineNamed(c.lines.baseline, "/acme/app ingestion")).toMatchObject({ unitPriceUsd: 0.5 });
    expect(lineNamed(c.lines.baseline, "/acme/app ingestion").quantity).toBeCloseTo(D, 9);
    expectConsistent(c);
  });

  test("fails when ingestFollows names no resource of the synthesis", () => {
    expect(() =>
      price({ aws_cloudwatch_log_group: { App: { name: "/acme/app" } } }, { resources: { "aws_cloudwatch_log_group.App": { ingestGbPerDay: 1, ingestFollows: "aws_eks_cluster.Nope" } } }, only),
    ).toThrow(/resources\."aws_cloudwatch_log_group\.App"\.ingestFollows: "aws_eks_cluster\.Nope": no such resource in dev-x/);
  });

  test("retention bounds storage; ingestion is the same in both figures", () => {
    const e = price({ aws_cloudwatch_log_group: { G: { name: "/acme/app", retention_in_days: 7 } } }, { resources: { "aws_cloudwatch_log_group.G": { ingestGbPerDay: 1 } } }, only);
    const [c] = e.components;
    expect(lineNamed(c.lines.optimized, "/acme/app ingestion")).toMatchObject({ unit: "GB", unitPriceUsd: 0.5 });
    expect(lineNamed(c.lines.optimized, "/acme/app ingestion").quantity).toBeCloseTo(D, 9);
    // 7 days kept, 0.15 stored per ingested byte: a little under 1.05 GB once full
    expect(lineNamed(c.lines.optimized, "/acme/app storage").quantity).toBeLessThan(1.05);
    // kept forever: grows all year, 0.15 x 365 / 2 on average
    expect(lineNamed(c.lines.baseline, "/acme/app storage").quantity).toBeCloseTo((0.15 * 366) / 2, 1);
    expect(c.assumptions).toContain("baseline: every group Standard, kept forever, written 24/7");
    expectConsistent(c);
  });

  test("per-type defaults give every group a rate; the profile's entry wins over them", () => {
    const e = price(
      { aws_cloudwatch_log_group: { A: { name: "/a" }, B: { name: "/b" } } },
      { defaults: { aws_cloudwatch_log_group: { ingestGbPerDay: 2, storedPerIngestedRatio: 0.1 } }, resources: { "aws_cloudwatch_log_group.B": { ingestGbPerDay: 0.5 } } },
      only,
    );
    const [c] = e.components;
    expect(lineNamed(c.lines.optimized, "/a ingestion").quantity).toBeCloseTo(2 * D, 9);
    expect(lineNamed(c.lines.optimized, "/b ingestion").quantity).toBeCloseTo(0.5 * D, 9);
    expect(lineNamed(c.lines.optimized, "/b storage").reason).toMatch(/0.1 stored per ingested byte/);
  });

  test("a group the stacks do not create is priced from logGroupsOutsideTerraform, kept forever in both", () => {
    const e = price({ aws_cloudwatch_log_group: { G: { name: "/acme/app", retention_in_days: 7 } } }, { logGroupsOutsideTerraform: { "/aws/lambda/fn": { ingestGbPerDay: 1 } } }, only);
    const [c] = e.components;
    expect(lineNamed(c.lines.optimized, "/aws/lambda/fn storage").monthlyUsd).toBeCloseTo(lineNamed(c.lines.baseline, "/aws/lambda/fn storage").monthlyUsd, 9);
    expect(c.assumptions.join("\n")).toMatch(/\/acme\/app: no ingestion in the usage profile: 0/);
  });

  test("fails when logGroupsOutsideTerraform names a group the stacks create", () => {
    expect(() => price({ aws_cloudwatch_log_group: { G: { name: "/acme/app" } } }, { logGroupsOutsideTerraform: { "/acme/app": { ingestGbPerDay: 1 } } }, only)).toThrow(
      'test-usage.json: logGroupsOutsideTerraform."/acme/app": the stacks create this group (aws_cloudwatch_log_group.G): give its usage under resources."aws_cloudwatch_log_group.G"',
    );
  });
});
