import { block, PolicyRule, RuleContext } from "../types";

export const EksNoSsh: PolicyRule = {
  id: "CKV_AWS_100",
  aliases: [],
  description: "EKS node groups do not allow SSH from anywhere",
  check(ctx: RuleContext) {
    return ctx.ofType("aws_eks_node_group").flatMap((ng) => {
      const ra = block(ng.attrs.remote_access);
      if (!ra) return [];
      return (ra.source_security_group_ids ?? []).length > 0
        ? []
        : [ctx.violation(this, ng, "remote_access without source_security_group_ids opens SSH to 0.0.0.0/0")];
    });
  },
};
