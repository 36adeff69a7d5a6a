import { eksCluster } from "../../../cost/pricers/eks-cluster";
import { expectConsistent, lifetime, OFFICE_LIFETIME_HOURS, price, priceStacks } from "./helpers";

const only = { pricers: [eksCluster] };

describe("eks-cluster pricer", () => {
  test("a supported version: $0.10/h x 730 h in both figures, with where the hours came from", () => {
    const e = price({ aws_eks_cluster: { C: { name: "acme", version: "1.35" } } }, {}, only);
    const [c] = e.components;
    expect(c.id).toBe("eks-control-plane:acme");
    expect(c.baselineMonthlyUsd).toBeCloseTo(73, 9);
    expect(c.optimizedMonthlyUsd).toBeCloseTo(73, 9);
    const [l] = c.lines.optimized;
    expect(l).toMatchObject({ name: "control plane hours", quantity: 730, unit: "h", unitPriceUsd: 0.1, resource: "dev-x:aws_eks_cluster.C" });
    expect(l.hours?.reason).toMatch(/runs 24\/7: the scheduler does not stop aws_eks_cluster; only a teardown of dev-x does/);
    expectConsistent(c);
    expect(e.warnings).toEqual([]);
  });

  test("past the version's standard-support end: the extended rate, a warning and the saving", () => {
    const e = price({ aws_eks_cluster: { C: { name: "acme", version: "1.31" } } }, {}, only);
    const [c] = e.components;
    expect(c.optimizedMonthlyUsd).toBeCloseTo(0.6 * 730, 9);
    expect(c.lines.optimized[0].reason).toMatch(/extended support \(Kubernetes 1.31 left standard support on 2025-11-26\)/);
    expect(c.assumptions.join("\n")).toMatch(/upgrading saves \$365\.00\/month/);
    expect(e.warnings).toEqual([expect.stringMatching(/EKS acme: version 1.31 is in extended support since 2025-11-26/)]);
  });

  test("in a stack with a compute lifetime: billed only while it exists; the baseline stays 24/7", () => {
    const e = priceStacks({ "dev-compute": { aws_eks_cluster: { C: { name: "acme", version: "1.35" } } }, "dev-ops": lifetime("dev-compute") }, {}, only);
    const [c] = e.components;
    expect(c.lines.optimized[0].quantity).toBeCloseTo(OFFICE_LIFETIME_HOURS, 6);
    expect(c.optimizedMonthlyUsd).toBeCloseTo(0.1 * OFFICE_LIFETIME_HOURS, 9);
    expect(c.baselineMonthlyUsd).toBeCloseTo(73, 9);
    expect(c.lines.optimized[0].hours?.reason).toMatch(/^271\.9 h\/month: exists only in the compute lifetime of dev-compute \(restore cron\(30 6 \? \* MON-FRI \*\), teardown cron\(0 19 \? \* MON-FRI \*\) Europe\/London; every firing of 2026, DST included\)/);
    expectConsistent(c);
  });

  test("past the standard-support end with upgrade_policy STANDARD: EKS upgrades it, the standard rate and a warning", () => {
    const e = price({ aws_eks_cluster: { C: { name: "acme", version: "1.31", upgrade_policy: { support_type: "STANDARD" } } } }, {}, only);
    expect(e.components[0].optimizedMonthlyUsd).toBeCloseTo(73, 9);
    expect(e.warnings).toEqual([expect.stringMatching(/version 1.31 left standard support on 2025-11-26; with upgrade_policy STANDARD EKS upgrades it/)]);
    const ext = price({ aws_eks_cluster: { C: { name: "acme", version: "1.31", upgrade_policy: { support_type: "EXTENDED" } } } }, {}, only);
    expect(ext.components[0].optimizedMonthlyUsd).toBeCloseTo(0.6 * 730, 9);
  });

  test("fails when the profile gives usage for a cluster: it takes none", () => {
    expect(() => price({ aws_eks_cluster: { C: { name: "acme" } } }, { resources: { "aws_eks_cluster.C": { nodes: 3 } } })).toThrow(
      'test-usage.json: resources."aws_eks_cluster.C": aws_eks_cluster takes no usage',
    );
  });
});
