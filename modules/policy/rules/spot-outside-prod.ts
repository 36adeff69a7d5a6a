import { PolicyRule, RuleContext } from "../types";

export const SpotOutsideProd: PolicyRule = {
  id: "RF_SPOT_OUTSIDE_PROD",
  aliases: [],
  description: "EKS node groups run on SPOT outside prod",
  check(ctx: RuleContext) {
    if (ctx.config.name === "prod") return [];
    return ctx
      .ofType("aws_eks_node_group")
      .filter((ng) => ng.attrs.capacity_type !== "SPOT")
      .map((ng) => ctx.violation(this, ng, `capacity_type is ${ng.attrs.capacity_type ?? "ON_DEMAND (default)"}; SPOT is required outside prod`));
  },
};
