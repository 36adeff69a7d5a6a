/**
 * SageMaker endpoint, one component each, per production variant of its configuration:
 * serverless as GB-seconds (memory x duration x invocations) plus data processed; real-time as
 * instances (the larger of the initial count and the autoscaling floor) over the hours the
 * scheduler leaves it up. Baseline: the real-time instances 24/7 (for a serverless variant, the
 * profile's baselineInstanceType).
 */
import { z } from "zod";
import { list, TfResource } from "../../terraform";
import { DAYS_PER_MONTH } from "../lifecycle";
import { component, line, LineItem, Pricer, PricingContext, usd, usdh } from "../pricer";
import { sagemakerHourly } from "../prices";
import { strictObject } from "../usage";

export const EndpointUsage = strictObject({
  invocationsPerDay: z.number().min(0).default(0),
  avgDurationMs: z.number().min(0).default(0),
  /** request + response size */
  payloadKb: z.number().min(0).default(2),
  /** The real-time endpoint a serverless variant replaces (baseline). */
  baselineInstanceType: z.string().regex(/^ml\.[a-z0-9]+\.[a-z0-9]+$/, "an ml.<family>.<size> instance type").default("ml.m5.large"),
  baselineInstanceCount: z.int().min(1).default(1),
});

/** The autoscaling target of an endpoint: by reference, or by its resource id endpoint/<name>/variant/... */
function scalingTarget(ctx: PricingContext, ep: TfResource, name: string): TfResource | undefined {
  return ctx.model
    .ofType("aws_appautoscaling_target")
    .filter((t) => t.attrs.service_namespace === "sagemaker")
    .find((t) => ctx.model.referencesOf(t).some((r) => r.type === ep.type && r.name === ep.name && t.stack === ep.stack) || (t.str("resource_id") ?? "").includes(`endpoint/${name}/`));
}

export const sagemakerEndpoint: Pricer = {
  name: "sagemaker-endpoint",
  types: ["aws_sagemaker_endpoint", "aws_sagemaker_endpoint_configuration", "aws_appautoscaling_target"],
  usage: { aws_sagemaker_endpoint: EndpointUsage },
  price(ctx) {
    const { model, prices } = ctx;
    const hpm = ctx.hoursPerMonth;
    return model.ofType("aws_sagemaker_endpoint").map((ep) => {
      const name = model.label(ep, "name");
      const cfg = model.resolve(ep.attrs.endpoint_config_name, ep, ["aws_sagemaker_endpoint_configuration"]);
      const eu = ctx.usage(EndpointUsage, ep).value;
      const a: string[] = [];
      const baseline: LineItem[] = [];
      const optimized: LineItem[] = [];
      const opts = { resource: ep };
      for (const v of cfg?.blocks("production_variants") ?? []) {
        const variant = String(v.variant_name ?? "?");
        const sl = list<Record<string, unknown>>(v.serverless_config)[0];
        if (sl) {
          const memGb = Number(sl.memory_size_in_mb) / 1024;
          const inv = eu.invocationsPerDay * DAYS_PER_MONTH;
          const gbSec = inv * (eu.avgDurationMs / 1000) * memGb;
          const dataGb = (inv * eu.payloadKb) / (1024 * 1024);
          const o = [
            line(`${variant} compute`, gbSec, "GB-s", prices.sagemaker.serverlessPerGbSecond, `serverless ${sl.memory_size_in_mb} MB x ${eu.invocationsPerDay} invocations/day x ${eu.avgDurationMs} ms (usage profile)`, opts),
            line(`${variant} data processed`, dataGb, "GB", prices.sagemaker.serverlessDataPerGb, `${eu.invocationsPerDay} invocations/day x ${eu.payloadKb} KB in and out`, opts),
          ];
          const rate = sagemakerHourly(prices, eu.baselineInstanceType, "hosting");
          const b = line(`${variant} instance hours`, eu.baselineInstanceCount * hpm, "h", rate, `${eu.baselineInstanceCount} x ${eu.baselineInstanceType} real-time 24/7 instead of serverless`, { ...opts, hours: { value: hpm, reason: "24/7 (baseline)" } });
          optimized.push(...o);
          baseline.push(b);
          a.push(
            `variant ${variant}: serverless ${sl.memory_size_in_mb} MB, max concurrency ${sl.max_concurrency}; ${eu.invocationsPerDay} invocations/day x ${eu.avgDurationMs} ms = ${gbSec.toFixed(0)} GB-s/month: ${usd(o[0].monthlyUsd + o[1].monthlyUsd)}`,
            `baseline: ${eu.baselineInstanceCount} x ${eu.baselineInstanceType} real-time 24/7: ${usd(b.monthlyUsd)}`,
          );
        } else {
          const type = String(v.instance_type);
          const rate = sagemakerHourly(prices, type, "hosting");
          const target = scalingTarget(ctx, ep, name);
          const initial = Number(v.initial_instance_count ?? 1);
          const count = Math.max(initial, Number(target?.attrs.min_capacity ?? 0));
          const h = ctx.hours(ep);
          const floor = target ? `, autoscaling ${target.attrs.min_capacity}-${target.attrs.max_capacity} (priced at the floor)` : "";
          baseline.push(line(`${variant} instance hours`, count * hpm, "h", rate, `${count} x ${type} real-time 24/7${floor}`, { ...opts, hours: { value: hpm, reason: "24/7 (baseline)" } }));
          optimized.push(line(`${variant} instance hours`, count * h.value, "h", rate, `${count} x ${type} real-time${floor}; ${h.reason}`, { ...opts, hours: h }));
          a.push(`variant ${variant}: ${count} x ${type} real-time (${usdh(rate)}/h)` + floor, h.note, `baseline: ${count} x ${type} 24/7`);
        }
      }
      return component(`sagemaker-endpoint:${name}`, `SageMaker endpoint ${name}`, "sagemaker-endpoint", { baseline, optimized }, a);
    });
  },
};
