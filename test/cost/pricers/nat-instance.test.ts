import { natInstance } from "../../../cost/pricers/nat-instance";
import { natGateway } from "../../../cost/pricers/nat-gateway";
import { expectConsistent, lifetime, lineNamed, OFFICE_LIFETIME_HOURS, priceStacks } from "./helpers";

/** The NAT instance as modules/nat-instance.ts synthesizes it: a route to its interface, a group of one, a spot Graviton template. */
const egress = (spot = true) => ({
  aws_vpc: { Net: { cidr_block: "10.10.0.0/16" } },
  aws_network_interface: { Eni: { source_dest_check: false } },
  aws_route: { Default: { destination_cidr_block: "0.0.0.0/0", network_interface_id: "${aws_network_interface.Eni.id}" } },
  aws_launch_template: {
    Lt: { instance_type: "t4g.nano", block_device_mappings: [{ ebs: { volume_size: 8 } }], ...(spot ? { instance_market_options: { market_type: "spot" } } : {}) },
  },
  aws_autoscaling_group: { Nat: { name: "acme-nat", desired_capacity: 1, launch_template: { id: "${aws_launch_template.Lt.id}" } } },
});

describe("nat-instance pricer", () => {
  test("a spot t4g.nano over the compute lifetime plus its gp3 root volume; no baseline of its own", () => {
    const e = priceStacks({ "dev-compute": egress(), "dev-ops": lifetime("dev-compute") }, {}, { pricers: [natInstance] });
    const [c] = e.components;
    expect(c.id).toBe("nat-instance:acme-nat");
    const hours = lineNamed(c.lines.optimized, "instance hours");
    expect(hours.quantity).toBeCloseTo(OFFICE_LIFETIME_HOURS, 6);
    expect(hours.unitPriceUsd).toBeCloseTo(0.0042 * (1 - 0.6), 9);
    expect(hours.reason).toMatch(/^1 x t4g\.nano spot \(\$0\.0042\/h on demand -60%\); 271\.9 h\/month: exists only in the compute lifetime of dev-compute/);
    expect(lineNamed(c.lines.optimized, "root volume").quantity).toBeCloseTo((8 * OFFICE_LIFETIME_HOURS) / 730, 9);
    expect(c.lines.baseline).toEqual([]);
    expectConsistent(c);
  });

  test("on demand without spot market options; nothing without a route to an interface (no NAT instance)", () => {
    const od = priceStacks({ "dev-compute": egress(false) }, {}, { pricers: [natInstance] });
    expect(lineNamed(od.components[0].lines.optimized, "instance hours")).toMatchObject({ quantity: 730, unitPriceUsd: 0.0042 });
    const { aws_route: _route, ...noRoute } = egress();
    expect(priceStacks({ "dev-compute": noRoute }, {}, { pricers: [natInstance] }).components).toEqual([]);
  });

  test("the egress component prices no NAT processing through the instance, and keeps the gateways in its baseline", () => {
    const e = priceStacks({ "dev-compute": egress() }, { resources: { "aws_vpc.Net": { natProcessedGbPerMonth: 50, s3TrafficGbPerMonth: 0 } } }, { pricers: [natGateway] });
    const [c] = e.components;
    expect(lineNamed(c.lines.optimized, "NAT data processed")).toMatchObject({ quantity: 50, unitPriceUsd: 0 });
    expect(lineNamed(c.lines.optimized, "NAT data processed").reason).toMatch(/through the NAT instance, which charges no processing fee/);
    expect(lineNamed(c.lines.baseline, "NAT gateway hours").quantity).toBe(2 * 730);
    expect(c.assumptions[0]).toMatch(/^no NAT gateway: the private routes go to a NAT instance/);
  });
});
