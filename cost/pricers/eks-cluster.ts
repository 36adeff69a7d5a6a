/**
 * EKS control plane: per cluster, the hourly rate over its running hours (24/7, or the compute
 * lifetime of its stack), at the extended-support rate once the cluster's Kubernetes version has
 * left standard support (dates in the price table) unless its upgrade_policy is STANDARD, in
 * which case EKS upgrades it instead. Baseline: 24/7 at the same rate. No usage.
 */
import { component, line, Pricer, usd, usdh } from "../pricer";

export const eksCluster: Pricer = {
  name: "eks-cluster",
  types: ["aws_eks_cluster"],
  price(ctx) {
    const { prices, model } = ctx;
    const hpm = ctx.hoursPerMonth;
    return model.ofType("aws_eks_cluster").map((c) => {
      const name = model.label(c, "name");
      const version = c.str("version");
      const supportType = c.block("upgrade_policy")?.support_type;
      const end = version ? prices.eks.standardSupportEnd[version] : undefined;
      const pastEnd = end !== undefined && ctx.asOf.toISOString().slice(0, 10) > end;
      const extended = pastEnd && supportType !== "STANDARD";
      const rate = extended ? prices.eks.extendedSupportHourly : prices.eks.controlPlaneHourly;
      const hours = ctx.hours(c);
      const always = hours.value === hpm;
      const a = [`${usdh(rate)}/h x ${hours.value.toFixed(1)} h; ${always ? "runs 24/7 (a teardown of the compute stack is the only off switch)" : hours.note}`];
      if (extended) {
        a.push(`Kubernetes ${version} left standard support on ${end}: billed at the extended-support rate${supportType === "EXTENDED" ? " (upgrade_policy EXTENDED)" : " (no upgrade_policy: EKS applies EXTENDED)"}; upgrading saves ${usd((prices.eks.extendedSupportHourly - prices.eks.controlPlaneHourly) * hours.value)}/month`);
        ctx.warn(`EKS ${name}: version ${version} is in extended support since ${end} (${usdh(rate)}/h instead of ${usdh(prices.eks.controlPlaneHourly)}/h)`);
      } else if (pastEnd) {
        a.push(`Kubernetes ${version} left standard support on ${end}; upgrade_policy STANDARD: EKS upgrades the cluster instead of billing extended support`);
        ctx.warn(`EKS ${name}: version ${version} left standard support on ${end}; with upgrade_policy STANDARD EKS upgrades it to the next version (plan the upgrade)`);
      }
      const support = extended ? `extended support (Kubernetes ${version} left standard support on ${end})` : `standard support${version ? ` (Kubernetes ${version})` : ""}`;
      const cp = line("control plane hours", hours.value, "h", rate, `${support}; ${hours.reason}`, { resource: c, hours });
      const base = always ? cp : line("control plane hours", hpm, "h", rate, `${support}; 24/7 (baseline)`, { resource: c, hours: { value: hpm, reason: "24/7 (baseline)" } });
      if (!always) a.push(`baseline: 24/7 (${hpm} h)`);
      return component(`eks-control-plane:${name}`, `EKS control plane ${name}`, "eks-control-plane", { baseline: [base], optimized: [cp] }, a);
    });
  },
};
