/**
 * Public IPv4 addresses, one component for the environment, at $0.005 per address-hour (in use
 * or idle, since 2024-02-01): every Elastic IP (a NAT gateway's), the public IP of each NAT
 * instance a launch template hands one, one per subnet of each load balancer the Kubernetes
 * controller creates (usage kubernetesLoadBalancers.subnets), and one per node of a node group
 * in subnets that map public IPs (network.egress none). Each over the hours its owner exists
 * (the compute lifetime, the scheduler). Baseline: one NAT gateway EIP per AZ, the load
 * balancers' and public nodes' addresses, 24/7.
 */
import { block, blocks, list, TfResource } from "../../terraform";
import { component, line, LineItem, Pricer, PricingContext } from "../pricer";
import { KubernetesLoadBalancers } from "./load-balancer";
import { launchTemplateOf } from "./nat-instance";
import { NodeGroupUsage } from "./eks-node-group";

const isTrue = (v: unknown) => v === true || v === "true";

/** Subnets of a node group that give instances public IPs. */
function publicSubnetsOf(ctx: PricingContext, ng: TfResource): TfResource[] {
  return list(ng.attrs.subnet_ids)
    .map((id) => ctx.model.resolve(id, ng, ["aws_subnet"]))
    .filter((s): s is TfResource => s?.type === "aws_subnet" && isTrue(s.attrs.map_public_ip_on_launch));
}

export const publicIpv4: Pricer = {
  name: "public-ipv4",
  types: ["aws_eip"],
  price(ctx) {
    const { model, prices } = ctx;
    const hpm = ctx.hoursPerMonth;
    const rate = prices.vpc.publicIpv4Hourly;
    const baseline: LineItem[] = [];
    const optimized: LineItem[] = [];
    const a: string[] = [];
    const full = { value: hpm, reason: "24/7 (baseline)" };

    for (const eip of model.ofType("aws_eip")) {
      const h = ctx.hours(eip);
      optimized.push(line(`EIP ${eip.name}`, h.value, "IP-h", rate, `Elastic IP ${String(block(eip.attrs.tags)?.Name ?? eip.name)}; ${h.reason}`, { resource: eip, hours: h }));
    }
    for (const asg of model.ofType("aws_autoscaling_group")) {
      const lt = launchTemplateOf(ctx, asg);
      if (!lt || !blocks(lt.attrs.network_interfaces).some((n) => isTrue(n.associate_public_ip_address))) continue;
      const count = Number(asg.attrs.desired_capacity ?? asg.attrs.min_size ?? 1);
      const h = ctx.hours(asg);
      optimized.push(line(`${model.label(asg, "name")} public IPs`, count * h.value, "IP-h", rate, `${count} instance(s) whose launch template hands out a public IP; ${h.reason}`, { resource: asg, hours: h }));
    }
    for (const ng of model.ofType("aws_eks_node_group")) {
      if (!publicSubnetsOf(ctx, ng).length) continue;
      const sc = ng.block("scaling_config") ?? {};
      const nodes = ctx.usage(NodeGroupUsage, ng).value.averageNodes ?? Number(sc.desired_size ?? 1);
      const h = ctx.hours(ng);
      const name = model.label(ng, "node_group_name");
      optimized.push(line(`${name} node public IPs`, nodes * h.value, "IP-h", rate, `${nodes} node(s) in public subnets (public IP each); ${h.reason}`, { resource: ng, hours: h }));
      baseline.push(line(`${name} node public IPs`, nodes * hpm, "IP-h", rate, `${nodes} node(s) in public subnets, 24/7`, { resource: ng, hours: full }));
    }
    const cluster = model.ofType("aws_eks_cluster")[0];
    const lb = ctx.section("kubernetesLoadBalancers", KubernetesLoadBalancers);
    if (cluster && lb && lb.count > 0) {
      const subnets = lb.subnets ?? Math.max(2, model.ofType("aws_subnet").filter((s) => block(s.attrs.tags)?.["kubernetes.io/role/elb"] === "1").length);
      const ch = ctx.hours(cluster);
      const h = lb.hoursPerMonth !== undefined ? { value: lb.hoursPerMonth, reason: "usage profile (kubernetesLoadBalancers.hoursPerMonth)" } : { value: ch.value, reason: `the cluster's hours: ${ch.reason}` };
      optimized.push(line("load balancer public IPs", lb.count * subnets * h.value, "IP-h", rate, `${lb.count} internet-facing load balancer(s) x ${subnets} subnet(s), one address each`, { hours: h }));
      baseline.push(line("load balancer public IPs", lb.count * subnets * hpm, "IP-h", rate, `${lb.count} load balancer(s) x ${subnets} subnet(s), 24/7`, { hours: full }));
    }
    if (!optimized.length && !baseline.length) return [];
    const vpcs = model.ofType("aws_vpc");
    if (vpcs.length) {
      const azs = new Set(model.ofType("aws_subnet").map((s) => s.str("availability_zone")).filter(Boolean)).size || 2;
      baseline.push(line("NAT gateway EIPs", azs * vpcs.length * hpm, "IP-h", rate, `one NAT gateway per AZ (${azs}), an Elastic IP each, 24/7`, { hours: full }));
    }
    a.push(`$${rate}/h per public IPv4 address, in use or idle (AWS, since 2024-02-01)`);
    a.push(...optimized.map((l) => `${l.name}: ${l.quantity.toFixed(0)} IP-h`));
    a.push("baseline: one NAT gateway EIP per AZ and every other address, 24/7");
    return [component("public-ipv4", "Public IPv4 addresses", "public-ipv4", { baseline, optimized }, a)];
  },
};
