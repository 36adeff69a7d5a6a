import { logGroup } from "../../../cost/pricers/log-group";
import { expectConsistent, lineNamed, price } from "./helpers";

const only = { pricers: [logGroup] };
const D = 365 / 12;

describe("log-group pricer", () => {
  test("retention bounds storage; ingestion is the same in both figures", () => {
    const e = price({ aws_cloudwatch_log_group: { G: { name: "/acme/app", retention_in_days: 7 } } }, { resources: { "aws_cloudwatch_log_group.G": { ingestGbPerDay: 1 } } }, only);
    const [c] = e.components;
    expect(lineNamed(c.lines.optimized, "/acme/app ingestion")).toMatchObject({ unit: "GB", unitPriceUsd: 0.5 });
    expect(lineNamed(c.lines.optimized, "/acme/app ingestion").quantity).toBeCloseTo(D, 9);
    // 7 days kept, 0.15 stored per ingested byte: a little under 1.05 GB once full
    expect(lineNamed(c.lines.optimized, "/acme/app storage").quantity).toBeLessThan(1.05);
    // kept forever: grows all year, 0.15 x 365 / 2 on average
    expect(lineNamed(c.lines.baseline, "/acme/app storage").quantity).toBeCloseTo((0.15 * 366) / 2, 1);
    expect(c.assumptions).toContain("baseline: every group kept forever");
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
