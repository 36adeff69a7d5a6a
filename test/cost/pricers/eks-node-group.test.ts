import { eksNodeGroup } from "../../../cost/pricers/eks-node-group";
import { expectConsistent, lineNamed, officeHours, price, priceStacks } from "./helpers";

const only = { pricers: [eksNodeGroup] };
const ng = (extra: Record<string, unknown> = {}) => ({
  node_group_name: "acme-api",
  capacity_type: "SPOT",
  instance_types: ["t3.medium"],
  scaling_config: { desired_size: 2, min_size: 2, max_size: 4 },
  disk_size: 20,
  ...extra,
});

describe("eks-node-group pricer", () => {
  test("tagged for the scheduler: spot nodes for the 261 h of London office hours; the root volumes only while up", () => {
    const e = priceStacks({ "dev-compute": { aws_eks_node_group: { Ng: ng({ tags: { Schedule: "office-hours" } }) } }, "dev-ops": officeHours() }, {}, only);
    const [c] = e.components;
    const spot = 0.0416 * (1 - 0.68);
    const nodes = lineNamed(c.lines.optimized, "node hours");
    expect(nodes.quantity).toBeCloseTo(2 * 261, 6);
    expect(nodes.unitPriceUsd).toBeCloseTo(spot, 9);
    expect(nodes.hours?.perMonth).toBeCloseTo(261, 6);
    expect(nodes.hours?.reason).toBe("261.0 h/month from the office-hours schedule in Europe/London (every firing of 2026, DST included)");
    expect(lineNamed(c.lines.optimized, "root volumes").quantity).toBeCloseTo(2 * 20 * (261 / 730), 6);
    expect(lineNamed(c.lines.baseline, "node hours")).toMatchObject({ quantity: 1460, unitPriceUsd: 0.0416 });
    expectConsistent(c);
  });

  test("AutoStop=false keeps a tagged group up 24/7", () => {
    const e = priceStacks({ "dev-compute": { aws_eks_node_group: { Ng: ng({ tags: { Schedule: "office-hours", AutoStop: "false" } }) } }, "dev-ops": officeHours() }, {}, only);
    const l = lineNamed(e.components[0].lines.optimized, "node hours");
    expect(l.quantity).toBe(1460);
    expect(l.hours?.reason).toBe("tagged Schedule=office-hours but AutoStop=false: runs 24/7");
  });

  test("a schedule acting on another tag does not stop it", () => {
    const e = priceStacks({ "dev-compute": { aws_eks_node_group: { Ng: ng({ tags: { Schedule: "night-shift" } }) } }, "dev-ops": officeHours("office-hours") }, {}, only);
    expect(lineNamed(e.components[0].lines.optimized, "node hours").hours?.reason).toMatch(/no stop\/start schedule acts on it: runs 24\/7/);
  });

  test("the root volume comes from the launch template when disk_size is not set", () => {
    const e = price(
      {
        aws_launch_template: { Lt: { name: "lt", block_device_mappings: [{ device_name: "/dev/xvda", ebs: { volume_size: 50 } }] } },
        aws_eks_node_group: { Ng: ng({ disk_size: undefined, launch_template: { id: "${aws_launch_template.Lt.id}", version: "1" } }) },
      },
      {},
      only,
    );
    expect(lineNamed(e.components[0].lines.baseline, "root volumes").quantity).toBe(100);
  });

  test("averageNodes from the profile, by address, overrides desired_size", () => {
    const e = price({ aws_eks_node_group: { Ng: ng() } }, { resources: { "aws_eks_node_group.Ng": { averageNodes: 3.5 } } }, only);
    expect(lineNamed(e.components[0].lines.optimized, "node hours").quantity).toBeCloseTo(3.5 * 730, 9);
    expect(e.components[0].assumptions[0]).toBe("3.5 node(s) (usage profile average), SPOT");
  });

  test("fails naming an instanceWeights type the group does not run", () => {
    expect(() => price({ aws_eks_node_group: { Ng: ng() } }, { resources: { "aws_eks_node_group.Ng": { instanceWeights: { "m5.large": 2 } } } }, only)).toThrow(
      'test-usage.json: resources."aws_eks_node_group.Ng".instanceWeights."m5.large": not an instance type of acme-api; allowed: t3.medium',
    );
  });
});
