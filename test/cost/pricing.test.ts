import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { estimate } from "../../cost/estimate";
import { ec2OnDemandHourly, instanceFamily, loadPriceTable, spotDiscount } from "../../cost/prices";
import { modelOf } from "../../terraform";

const prices = loadPriceTable("us-east-1");

/** One node group in a hand-built stack, priced with `resources` as the profile's usage. */
const ngCost = (attrs: Record<string, unknown>, resources: Record<string, unknown> = {}) =>
  estimate({
    env: "dev",
    model: modelOf([{ name: "dev-compute", doc: { resource: { aws_eks_node_group: { Ng: { node_group_name: "ng", ...attrs } } } } }]),
    usage: { file: "test.json", doc: { env: "dev", resources } },
    prices,
    asOf: new Date("2026-06-01"),
  }).components.find((c) => c.category === "eks-node-group")!;

describe("spot and instance-mix pricing", () => {
  test("family of an instance type", () => {
    expect(instanceFamily("m5a.large")).toBe("m5a");
    expect(instanceFamily("ml.m5.xlarge")).toBe("m5");
  });

  test("spot discount: price-table default per family, overridable by family or type", () => {
    expect(spotDiscount(prices, "t3.medium")).toBe(0.68);
    expect(spotDiscount(prices, "m5.large")).toBe(0.65);
    expect(spotDiscount(prices, "z9.large")).toBe(prices.ec2.defaultSpotDiscount);
    expect(spotDiscount(prices, "t3.medium", { t3: 0.5 })).toBe(0.5);
    expect(spotDiscount(prices, "t3.medium", { t3: 0.5, "t3.medium": 0.4 })).toBe(0.4);
    expect(() => spotDiscount(prices, "t3.medium", { t3: 1.2 })).toThrow(/\[0, 1\)/);
  });

  test("a mixed spot node group is priced on the average of every type, not the first", () => {
    const types = ["t3.medium", "t3a.medium", "t2.medium"];
    const c = ngCost({ capacity_type: "SPOT", instance_types: types, scaling_config: { desired_size: 1, min_size: 1, max_size: 3 }, disk_size: 0 });
    const avgSpot = types.reduce((s, t) => s + ec2OnDemandHourly(prices, t) * (1 - spotDiscount(prices, t)), 0) / 3;
    const firstOnly = ec2OnDemandHourly(prices, "t3.medium") * (1 - 0.68);
    const ebs = 20 * prices.ebs.gp3GbMonth; // default root volume when neither disk_size nor a launch template says
    expect(c.optimizedMonthlyUsd).toBeCloseTo(avgSpot * 730 + ebs, 6);
    expect(c.optimizedMonthlyUsd).not.toBeCloseTo(firstOnly * 730 + ebs, 2);
  });

  test("scaling_config as a single-element list, and usage weights shift the mix", () => {
    const attrs = { capacity_type: "SPOT", instance_types: ["m5.large", "m7i.large"], scaling_config: [{ desired_size: 2, min_size: 2, max_size: 4 }], disk_size: 20 };
    const equal = ngCost(attrs);
    const weighted = ngCost(attrs, { "aws_eks_node_group.Ng": { instanceWeights: { "m5.large": 3, "m7i.large": 1 } } });
    const m5 = 0.096 * 0.35;
    const m7 = 0.1008 * 0.4;
    const ebs = 2 * 20 * prices.ebs.gp3GbMonth;
    expect(equal.optimizedMonthlyUsd).toBeCloseTo(2 * ((m5 + m7) / 2) * 730 + ebs, 6);
    expect(weighted.optimizedMonthlyUsd).toBeCloseTo(2 * ((3 * m5 + m7) / 4) * 730 + ebs, 6);
  });

  test("on-demand capacity gets no discount: optimised equals the 24/7 baseline when unscheduled", () => {
    const c = ngCost({ capacity_type: "ON_DEMAND", instance_types: ["m6i.large"], scaling_config: { desired_size: 2 }, disk_size: 30 });
    expect(c.optimizedMonthlyUsd).toBeCloseTo(c.baselineMonthlyUsd, 6);
    expect(c.baselineMonthlyUsd).toBeCloseTo(2 * 0.096 * 730 + 2 * 30 * 0.08, 6);
  });

  test("fails naming the instance type the price table lacks", () => {
    expect(() => ngCost({ capacity_type: "SPOT", instance_types: ["x9.mega"], scaling_config: { desired_size: 1 } })).toThrow(/x9\.mega/);
  });
});

describe("price tables", () => {
  test("an edited table is read again on the next call (nothing cached between estimates)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "prices-"));
    try {
      const table = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "cost", "prices", "us-east-1.json"), "utf8"));
      fs.writeFileSync(path.join(dir, "us-east-1.json"), JSON.stringify(table));
      expect(loadPriceTable("us-east-1", dir).eks.controlPlaneHourly).toBe(0.1);
      fs.writeFileSync(path.join(dir, "us-east-1.json"), JSON.stringify({ ...table, eks: { ...table.eks, controlPlaneHourly: 0.2 } }));
      expect(loadPriceTable("us-east-1", dir).eks.controlPlaneHourly).toBe(0.2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
