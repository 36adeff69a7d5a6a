/**
 * EKS managed node group, one component each: nodes x the average hourly price over the whole
 * instance mix (equal weights unless the profile weights them), at the spot discount of each
 * type's family for SPOT capacity, over the hours the scheduler leaves it up; plus the gp3
 * root volume per node, gone while the group is scaled to 0. Baseline: on-demand, 24/7.
 */
import { z } from "zod";
import { block, list, TfResource } from "../../terraform";
import { component, line, pct, Pricer, PricingContext, usdh } from "../pricer";
import { ec2OnDemandHourly, spotDiscount } from "../prices";
import { strictObject } from "../usage";

export const NodeGroupUsage = strictObject({
  /** Nodes running on average while the group is up. @default desired_size */
  averageNodes: z.number().min(0).optional(),
  /** Relative share of each instance type in the mix (a type of the group). @default equal */
  instanceWeights: z.record(z.string(), z.number().min(0)).default({}),
});

/** Root volume size: disk_size, else the launch template's first EBS volume, else EKS's 20 GB. */
function diskGb(ctx: PricingContext, ng: TfResource): number {
  const disk = Number(ng.attrs.disk_size ?? 0);
  if (disk) return disk;
  const lt = ng.block("launch_template");
  const tmpl = ctx.model.resolve(lt?.id, ng, ["aws_launch_template"]) ?? ctx.model.resolve(lt?.name, ng, ["aws_launch_template"]);
  const size = tmpl?.blocks("block_device_mappings").map((b) => block(b.ebs)?.volume_size).find((v) => v);
  return Number(size ?? 20);
}

export const eksNodeGroup: Pricer = {
  name: "eks-node-group",
  types: ["aws_eks_node_group"],
  usage: { aws_eks_node_group: NodeGroupUsage },
  price(ctx) {
    const { prices, model } = ctx;
    const hpm = ctx.hoursPerMonth;
    return model.ofType("aws_eks_node_group").map((ng) => {
      const name = model.label(ng, "node_group_name");
      const listed = list(ng.attrs.instance_types).filter((t): t is string => typeof t === "string");
      const types = listed.length ? listed : ["t3.medium"]; // EKS default when none is given
      const capacity = ng.str("capacity_type") ?? "ON_DEMAND";
      const sc = ng.block("scaling_config") ?? {};
      const u = ctx.usage(NodeGroupUsage, ng).value;
      for (const t of Object.keys(u.instanceWeights)) {
        if (!types.includes(t)) throw ctx.usageError(["resources", ng.address, "instanceWeights", t], `not an instance type of ${name}; allowed: ${types.join(", ")}`);
      }
      const nodes = u.averageNodes ?? Number(sc.desired_size ?? sc.min_size ?? 1);
      const weights = types.map((t) => u.instanceWeights[t] ?? 1);
      const wsum = weights.reduce((s, w) => s + w, 0);
      const od = types.map((t) => ec2OnDemandHourly(prices, t));
      const disc = types.map((t) => spotDiscount(prices, t, ctx.spotDiscount));
      const odAvg = od.reduce((s, p, i) => s + p * weights[i], 0) / wsum;
      const spotAvg = od.reduce((s, p, i) => s + p * (1 - disc[i]) * weights[i], 0) / wsum;
      const spot = capacity === "SPOT";
      const hourly = spot ? spotAvg : odAvg;
      const h = ctx.hours(ng);
      const disk = diskGb(ctx, ng);
      const mix = types.map((t, i) => `${t} ${usdh(od[i])}` + (spot ? ` -${pct(disc[i])}` : "")).join(", ");
      const nodesFrom = u.averageNodes !== undefined ? "usage profile average" : "desired_size";
      const opts = { resource: ng };
      return component(
        `eks-node-group:${name}`,
        `EKS node group ${name}`,
        "eks-node-group",
        {
          baseline: [
            line("node hours", nodes * hpm, "node-h", odAvg, `${nodes} node(s) (${nodesFrom}) x ${hpm} h, on-demand over ${types.join(", ")}`, { ...opts, hours: { value: hpm, reason: "24/7 (baseline)" } }),
            line("root volumes", nodes * disk, "GB-month", prices.ebs.gp3GbMonth, `${nodes} x ${disk} GB gp3, kept 24/7`, opts),
          ],
          optimized: [
            line("node hours", nodes * h.value, "node-h", hourly, `${nodes} node(s) (${nodesFrom}), ${capacity} over ${types.join(", ")}${spot ? ` (average spot ${usdh(spotAvg)}/h)` : ""}; ${h.reason}`, { ...opts, hours: h }),
            line("root volumes", nodes * disk * (h.value / hpm), "GB-month", prices.ebs.gp3GbMonth, `${nodes} x ${disk} GB gp3 for ${h.value.toFixed(1)} of ${hpm} h (deleted while scaled to 0)`, opts),
          ],
        },
        [
          `${nodes} node(s) (${nodesFrom}), ${capacity}`,
          `instance mix (${wsum === types.length ? "equal weights" : "weighted"}): ${mix}; average on-demand ${usdh(odAvg)}/h` + (spot ? `, spot ${usdh(spotAvg)}/h` : ""),
          h.note,
          `${disk} GB gp3 root volume per node, deleted while scaled to 0`,
          `baseline: on-demand, 24/7 (${hpm} h)`,
        ],
      );
    });
  },
};
