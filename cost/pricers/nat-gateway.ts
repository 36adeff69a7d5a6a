/**
 * Egress: NAT gateways, the NAT instance (nat-instance.ts) and VPC endpoints, one component for
 * the environment: each NAT gateway over its running hours (24/7, or its stack's compute
 * lifetime), the internet-bound GB it processes, and the VPC's S3 traffic, which an S3 gateway
 * endpoint carries for free and a NAT otherwise processes (through a NAT instance, priced by
 * nat-instance.ts, no per-GB fee); interface endpoints per AZ. Traffic is usage of the VPC
 * (resources."aws_vpc.<name>"). Baseline: one NAT gateway per AZ of the VPC, 24/7, with the S3
 * traffic through it.
 */
import { z } from "zod";
import { list, TfResource } from "../../terraform";
import { component, line, LineItem, Pricer, PricingContext, usd, usdh } from "../pricer";
import { strictObject } from "../usage";
import { instanceRoutes } from "./nat-instance";

export const VpcUsage = strictObject({
  /** Internet-bound GB through the NAT per month (not S3). */
  natProcessedGbPerMonth: z.number().min(0).default(0),
  /** GB per month between the VPC and S3 (free through a gateway endpoint, NAT-priced without). */
  s3TrafficGbPerMonth: z.number().min(0).default(0),
});

/** The VPC a subnet, endpoint or NAT gateway is in (a NAT through its subnet); the only VPC when there is one. */
function vpcOf(ctx: PricingContext, r: TfResource, vpcs: readonly TfResource[]): TfResource | undefined {
  if (vpcs.length === 1) return vpcs[0];
  const via = r.type === "aws_nat_gateway" ? ctx.model.resolve(r.attrs.subnet_id, r, ["aws_subnet"]) : r;
  const vpc = via && ctx.model.resolve(via.attrs.vpc_id, via, ["aws_vpc"]);
  return vpc?.type === "aws_vpc" ? vpc : undefined;
}

export const natGateway: Pricer = {
  name: "nat-gateway",
  types: ["aws_nat_gateway", "aws_vpc_endpoint", "aws_vpc", "aws_subnet", "aws_route"],
  usage: { aws_vpc: VpcUsage },
  price(ctx) {
    const { model, prices } = ctx;
    const hpm = ctx.hoursPerMonth;
    const nats = model.ofType("aws_nat_gateway");
    const vpcs = model.ofType("aws_vpc");
    if (!nats.length && !vpcs.length) return [];
    const { natGatewayHourly, natGatewayPerGb, interfaceEndpointHourlyPerAz } = prices.vpc;
    const endpoints = model.ofType("aws_vpc_endpoint");
    const iface = endpoints.filter((e) => e.attrs.vpc_endpoint_type === "Interface");
    const isS3Gateway = (e: TfResource) => /\.s3$/.test(String(e.attrs.service_name ?? "")) && (e.attrs.vpc_endpoint_type ?? "Gateway") === "Gateway";
    for (const r of [...nats, ...endpoints]) {
      if (vpcs.length > 1 && !vpcOf(ctx, r, vpcs)) ctx.warn(`${r.toString()}: its VPC cannot be told from the Terraform; priced without the VPC's traffic`);
    }
    const baseline: LineItem[] = [];
    const optimized: LineItem[] = [];
    const a: string[] = [];
    const many = vpcs.length > 1;
    const totals = { nat: 0, processed: 0 };
    const s3Notes: string[] = [];
    const throughInstance = instanceRoutes(ctx).length > 0;
    let azTotal = 0;
    for (const vpc of vpcs.length ? vpcs : [undefined]) {
      const prefix = many && vpc ? `${vpc.name} ` : "";
      const mine = <T extends TfResource>(rs: readonly T[]) => rs.filter((r) => !vpc || vpcOf(ctx, r, vpcs) === vpc);
      const u = vpc ? ctx.usage(VpcUsage, vpc).value : VpcUsage.parse({});
      const myNats = vpcs.length ? mine(nats) : nats;
      const subnets = mine(model.ofType("aws_subnet"));
      const azs = new Set(subnets.map((s) => s.str("availability_zone") ?? s.str("availability_zone_id")).filter((z) => z !== undefined));
      const azCount = Math.max(azs.size, myNats.length, vpc ? 2 : 0);
      azTotal += azCount;
      const s3Gateway = mine(endpoints).some(isS3Gateway);
      totals.nat += myNats.length;
      totals.processed += u.natProcessedGbPerMonth;
      const opts = vpc ? { resource: vpc } : {};
      baseline.push(
        line(`${prefix}NAT gateway hours`, azCount * hpm, "h", natGatewayHourly, `one NAT per AZ (${azCount}), 24/7`, { ...opts, hours: { value: hpm, reason: "24/7 (baseline)" } }),
        line(`${prefix}NAT data processed`, u.natProcessedGbPerMonth + u.s3TrafficGbPerMonth, "GB", natGatewayPerGb, `${u.natProcessedGbPerMonth} GB internet egress + ${u.s3TrafficGbPerMonth} GB S3 traffic, all through the NAT`, opts),
      );
      for (const n of myNats) {
        const h = ctx.hours(n);
        optimized.push(line(`${n.name} hours`, h.value, "h", natGatewayHourly, `NAT gateway ${n.name}; ${h.reason}`, { resource: n, hours: h }));
      }
      // a NAT instance processes for nothing per GB: the internet egress is data transfer out, unpriced here as for a gateway
      const viaInstance = myNats.length === 0 && throughInstance;
      optimized.push(
        line(
          `${prefix}NAT data processed`,
          u.natProcessedGbPerMonth + (s3Gateway ? 0 : u.s3TrafficGbPerMonth),
          "GB",
          viaInstance ? 0 : natGatewayPerGb,
          `${u.natProcessedGbPerMonth} GB internet egress` +
            (s3Gateway ? "; S3 traffic through the gateway endpoint" : ` + ${u.s3TrafficGbPerMonth} GB S3 traffic (no S3 gateway endpoint)`) +
            (viaInstance ? "; through the NAT instance, which charges no processing fee" : ""),
          opts,
        ),
      );
      if (s3Gateway) optimized.push(line(`${prefix}S3 gateway endpoint traffic`, u.s3TrafficGbPerMonth, "GB", 0, "S3 traffic bypasses the NAT through the gateway endpoint (free)", opts));
      s3Notes.push(
        prefix +
          (s3Gateway
            ? `S3 gateway endpoint: ${u.s3TrafficGbPerMonth} GB/month of S3 traffic bypasses the NAT (free)`
            : `no S3 gateway endpoint: ${u.s3TrafficGbPerMonth} GB/month of S3 traffic pays NAT processing`),
      );
    }
    let ifaceUsd = 0;
    for (const e of iface) {
      const azs = Math.max(1, list(e.attrs.subnet_ids).length);
      const h = ctx.hours(e);
      const b = line(`${e.name} hours`, azs * hpm, "AZ-h", interfaceEndpointHourlyPerAz, `interface endpoint ${e.str("service_name") ?? e.name} in ${azs} AZ(s), 24/7`, { resource: e });
      const o = line(`${e.name} hours`, azs * h.value, "AZ-h", interfaceEndpointHourlyPerAz, `interface endpoint ${e.str("service_name") ?? e.name} in ${azs} AZ(s); ${h.reason}`, { resource: e, hours: h });
      baseline.push(b);
      optimized.push(o);
      ifaceUsd += o.monthlyUsd;
    }
    a.push(
      totals.nat || !throughInstance
        ? `${totals.nat} NAT gateway(s) at ${usd(natGatewayHourly * hpm)}/month each if up 24/7; ${totals.processed} GB/month internet egress at ${usdh(natGatewayPerGb)}/GB`
        : `no NAT gateway: the private routes go to a NAT instance (its own component), ${totals.processed} GB/month internet egress without a processing fee`,
      ...s3Notes,
    );
    if (iface.length) a.push(`${iface.length} interface endpoint(s): ${usd(ifaceUsd)}/month`);
    a.push(`baseline: one NAT per AZ (${azTotal}), S3 traffic through the NAT`);
    return [component("nat", "NAT gateways and VPC endpoints", "nat", { baseline, optimized }, a)];
  },
};
