/**
 * The NAT instance of a VPC whose private routes point at a network interface
 * (network.egress nat-instance, modules/nat-instance.ts): the instances of its Auto Scaling
 * group at the launch template's type (spot when its market options say so, at the family's
 * spot discount) and their root volumes, over the group's running hours (the compute lifetime
 * of its stack). An instance charges no per-GB processing fee: traffic is only data transfer out,
 * which this estimate does not price for a NAT gateway either (the egress component,
 * nat-gateway.ts, prices the gateways this replaces in its baseline). The public IP is
 * public-ipv4.ts's. One component per group; no baseline (the baseline's egress is the gateways).
 */
import { block, blocks, literal, TfResource } from "../../terraform";
import { component, line, pct, Pricer, PricingContext, usdh } from "../pricer";
import { ec2OnDemandHourly, spotDiscount } from "../prices";

/** The launch template an Auto Scaling group launches from, when it resolves in the model. */
export function launchTemplateOf(ctx: PricingContext, asg: TfResource): TfResource | undefined {
  const lt = asg.block("launch_template");
  return ctx.model.resolve(lt?.id, asg, ["aws_launch_template"]) ?? ctx.model.resolve(lt?.name, asg, ["aws_launch_template"]);
}

/** Routes of the model that send traffic to a network interface (a NAT instance's). */
export const instanceRoutes = (ctx: PricingContext) => ctx.model.ofType("aws_route").filter((r) => r.attrs.network_interface_id !== undefined);

export const natInstance: Pricer = {
  name: "nat-instance",
  types: ["aws_autoscaling_group", "aws_launch_template"],
  price(ctx) {
    if (!instanceRoutes(ctx).length) return [];
    return ctx.model.ofType("aws_autoscaling_group").flatMap((asg) => {
      const lt = launchTemplateOf(ctx, asg);
      const type = literal(lt?.attrs.instance_type);
      if (!lt || !type) {
        ctx.warn(`${asg.toString()}: its launch template or instance type cannot be read from the Terraform; not priced`);
        return [];
      }
      const count = Number(asg.attrs.desired_capacity ?? asg.attrs.min_size ?? 1);
      const spot = block(lt.attrs.instance_market_options)?.market_type === "spot";
      const od = ec2OnDemandHourly(ctx.prices, type);
      const disc = spot ? spotDiscount(ctx.prices, type, ctx.spotDiscount) : 0;
      const h = ctx.hours(asg);
      const gb = Number(blocks(lt.attrs.block_device_mappings).map((b) => block(b.ebs)?.volume_size).find((v) => v) ?? 8);
      const name = ctx.model.label(asg, "name");
      const optimized = [
        line("instance hours", count * h.value, "h", od * (1 - disc), `${count} x ${type} ${spot ? `spot (${usdh(od)}/h on demand -${pct(disc)})` : "on demand"}; ${h.reason}`, { resource: asg, hours: h }),
        line("root volume", count * gb * (h.value / ctx.hoursPerMonth), "GB-month", ctx.prices.ebs.gp3GbMonth, `${count} x ${gb} GB gp3 while the instance exists`, { resource: asg }),
      ];
      return [
        component(`nat-instance:${name}`, `NAT instance ${name}`, "nat", { baseline: [], optimized }, [
          `${count} x ${type}${spot ? ` spot at -${pct(disc)}` : " on demand"}, ${h.value.toFixed(1)} h/month, ${gb} GB gp3; no per-GB processing fee`,
          h.note,
          "baseline: none here (the egress component's baseline prices the NAT gateways this replaces)",
        ]),
      ];
    });
  },
};
