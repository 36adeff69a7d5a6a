import { eksNodeGroup } from "../../../cost/pricers/eks-node-group";
import { expectConsistent, lifetime, lineNamed, OFFICE_LIFETIME_HOURS, officeHours, price, priceStacks, Resources } from "./helpers";

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

describe("node hours under the scheduler and the compute lifetime (issue 12)", () => {
  const group = { aws_eks_node_group: { Ng: { node_group_name: "acme-api", capacity_type: "SPOT", instance_types: ["t3.medium", "t3a.medium"], scaling_config: { desired_size: 2, min_size: 2, max_size: 5 }, tags: { Schedule: "office-hours" } } } };

  test("dev: the scheduler's 07:00-19:00 inside a lifetime restored at 06:30: the restore brings nodes up at their configured size, so 06:30-19:00", () => {
    const e = priceStacks({ "dev-compute": group, "dev-ops": withScheduler(lifetime("dev-compute")) }, {}, { pricers: [eksNodeGroup] });
    expect(e.components[0].lines.optimized[0].hours?.perMonth).toBeCloseTo(OFFICE_LIFETIME_HOURS, 6);
    expect(e.components[0].lines.optimized[0].hours?.reason).toMatch(/while dev-compute exists \(compute lifetime\) and the office-hours schedule has not stopped it/);
  });

  test("staging: a weekday lifetime (Sunday 23:30 to Saturday 00:00) and the 07:00-19:00 scheduler: Monday 23:30-19:00, Tuesday to Friday 07:00-19:00", () => {
    const ops = withScheduler(lifetime("dev-compute", { restore: "cron(30 23 ? * SUN *)", teardown: "cron(0 0 ? * SAT *)" }));
    const e = priceStacks({ "dev-compute": group, "dev-ops": ops }, {}, { pricers: [eksNodeGroup] });
    // 52 weeks and a day of 2026 (it starts on a Thursday): (19.5 + 4 x 12) h a week
    const perMonth = e.components[0].lines.optimized[0].hours!.perMonth;
    expect(perMonth).toBeGreaterThan((67.5 * 52 * 730) / 8760 - 2);
    expect(perMonth).toBeLessThan((67.5 * 53 * 730) / 8760);
  });

  /** The lifetime's resources beside the scheduler's (both bring an aws_scheduler_schedule block). */
  function withScheduler(l: Resources): Resources {
    const o = officeHours();
    return { ...o, ...l, aws_scheduler_schedule: { ...o.aws_scheduler_schedule, ...l.aws_scheduler_schedule } };
  }
});
