import { publicIpv4 } from "../../../cost/pricers/public-ipv4";
import { loadBalancer } from "../../../cost/pricers/load-balancer";
import { expectConsistent, lifetime, lineNamed, OFFICE_LIFETIME_HOURS, price, priceStacks } from "./helpers";

const only = { pricers: [publicIpv4] };
const RATE = 0.005;

describe("public-ipv4 pricer", () => {
  test("a NAT gateway's Elastic IP and the load balancer's two subnets, over the compute lifetime; baseline one EIP per AZ and the same addresses 24/7", () => {
    const compute = {
      aws_vpc: { Net: {} },
      aws_subnet: { A: { availability_zone: "us-east-1a", tags: { "kubernetes.io/role/elb": "1" } }, B: { availability_zone: "us-east-1b", tags: { "kubernetes.io/role/elb": "1" } } },
      aws_eip: { NatIp: { domain: "vpc", tags: { Name: "acme-nat-a" } } },
      aws_eks_cluster: { C: { name: "acme" } },
    };
    // the load balancers' section is the load-balancer pricer's
    const e = priceStacks({ "dev-compute": compute, "dev-ops": lifetime("dev-compute") }, { kubernetesLoadBalancers: { count: 1 } }, { pricers: [loadBalancer, publicIpv4] });
    const c = e.components.find((x) => x.id === "public-ipv4")!;
    expect(lineNamed(c.lines.optimized, "EIP NatIp")).toMatchObject({ unitPriceUsd: RATE });
    expect(lineNamed(c.lines.optimized, "EIP NatIp").quantity).toBeCloseTo(OFFICE_LIFETIME_HOURS, 6);
    expect(lineNamed(c.lines.optimized, "load balancer public IPs").quantity).toBeCloseTo(2 * OFFICE_LIFETIME_HOURS, 6);
    expect(lineNamed(c.lines.baseline, "NAT gateway EIPs").quantity).toBe(2 * 730);
    expect(lineNamed(c.lines.baseline, "load balancer public IPs").quantity).toBe(2 * 730);
    expectConsistent(c);
  });

  test("a NAT instance whose template hands out a public IP, and nodes in subnets that map public IPs (egress none)", () => {
    const e = price(
      {
        aws_subnet: { Pub: { map_public_ip_on_launch: true } },
        aws_launch_template: { Lt: { instance_type: "t4g.nano", network_interfaces: [{ associate_public_ip_address: "true" }] } },
        aws_autoscaling_group: { Nat: { name: "acme-nat", desired_capacity: 1, launch_template: { id: "${aws_launch_template.Lt.id}" } } },
        aws_eks_node_group: { Ng: { node_group_name: "acme-api", subnet_ids: ["${aws_subnet.Pub.id}"], scaling_config: { desired_size: 3 } } },
      },
      {},
      only,
    );
    const [c] = e.components;
    expect(lineNamed(c.lines.optimized, "acme-nat public IPs").quantity).toBe(730);
    expect(lineNamed(c.lines.optimized, "acme-api node public IPs")).toMatchObject({ quantity: 3 * 730, unitPriceUsd: RATE });
    expect(lineNamed(c.lines.baseline, "acme-api node public IPs").quantity).toBe(3 * 730);
    expectConsistent(c);
  });

  test("no public address, no component", () => {
    expect(price({ aws_subnet: { Private: {} } }, {}, only).components).toEqual([]);
  });
});
