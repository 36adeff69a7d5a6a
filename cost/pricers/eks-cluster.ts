/**
 * EKS control plane: per cluster, the hourly rate over its running hours (24/7: nothing but a
 * teardown of the compute stack switches a cluster off), at the extended-support rate once the
 * cluster's Kubernetes version has left standard support (dates in the price table). The same
 * in the baseline. No usage.
 */
import { component, line, Pricer, usd, usdh } from "../pricer";

export const eksCluster: Pricer = {
  name: "eks-cluster",
  types: ["aws_eks_cluster"],
  price(ctx) {
    const { prices, model } = ctx;
    return model.ofType("aws_eks_cluster").map((c) => {
      const name = model.label(c, "name");
      const version = c.str("version");
      const end = version ? prices.eks.standardSupportEnd[version] : undefined;
      const extended = end !== undefined && ctx.asOf.toISOString().slice(0, 10) > end;
      const rate = extended ? prices.eks.extendedSupportHourly : prices.eks.controlPlaneHourly;
      const hours = ctx.hours(c);
      const always = hours.value === ctx.hoursPerMonth;
      const a = [`${usdh(rate)}/h x ${hours.value} h; ${always ? "runs 24/7 (a teardown of the compute stack is the only off switch)" : hours.note}`];
      if (extended) {
        a.push(`Kubernetes ${version} left standard support on ${end}: billed at the extended-support rate; upgrading saves ${usd((prices.eks.extendedSupportHourly - prices.eks.controlPlaneHourly) * ctx.hoursPerMonth)}/month`);
        ctx.warn(`EKS ${name}: version ${version} is in extended support since ${end} (${usdh(rate)}/h instead of ${usdh(prices.eks.controlPlaneHourly)}/h)`);
      }
      const support = extended ? `extended support (Kubernetes ${version} left standard support on ${end})` : `standard support${version ? ` (Kubernetes ${version})` : ""}`;
      const cp = line("control plane hours", hours.value, "h", rate, `${support}; ${hours.reason}`, { resource: c, hours });
      return component(`eks-control-plane:${name}`, `EKS control plane ${name}`, "eks-control-plane", { baseline: [cp], optimized: [cp] }, a);
    });
  },
};
