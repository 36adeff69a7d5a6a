import { block, PolicyRule, RuleContext } from "../types";

export const EksPublicEndpoint: PolicyRule = {
  id: "CKV_AWS_38",
  aliases: ["AVD-AWS-0041"],
  description: "EKS public endpoint limited to given CIDRs, never 0.0.0.0/0",
  check(ctx: RuleContext) {
    return ctx.ofType("aws_eks_cluster").flatMap((c) => {
      const v = block(c.attrs.vpc_config) ?? {};
      if (v.endpoint_public_access === false) return [];
      const cidrs: string[] = v.public_access_cidrs ?? [];
      if (cidrs.length === 0) return [ctx.violation(this, c, "public endpoint without public_access_cidrs is open to 0.0.0.0/0")];
      return cidrs.includes("0.0.0.0/0") ? [ctx.violation(this, c, "public_access_cidrs contains 0.0.0.0/0")] : [];
    });
  },
};
