import { PolicyRule, RuleContext } from "../types";

/** audit + authenticator at least; the others are high volume (see POLICY.md's exception table). */
const REQUIRED = ["audit", "authenticator"];

export const EksLogging: PolicyRule = {
  id: "CKV_AWS_37",
  aliases: ["AVD-AWS-0038", "AwsSolutions-EKS2"],
  description: "EKS control-plane logging on (audit and authenticator at least)",
  check(ctx: RuleContext) {
    return ctx.ofType("aws_eks_cluster").flatMap((c) => {
      const types: string[] = c.attrs.enabled_cluster_log_types ?? [];
      const missing = REQUIRED.filter((t) => !types.includes(t));
      return missing.length ? [ctx.violation(this, c, `control-plane log types missing: ${missing.join(", ")}`)] : [];
    });
  },
};
