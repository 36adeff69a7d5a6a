import { PolicyRule, RuleContext } from "../types";

export const LambdaPermissionSourceArn: PolicyRule = {
  id: "CKV_AWS_364",
  aliases: ["AVD-AWS-0067"],
  description: "Lambda permission for a service principal is limited by source ARN",
  check(ctx: RuleContext) {
    return ctx
      .ofType("aws_lambda_permission")
      .filter((p) => String(p.attrs.principal ?? "").endsWith(".amazonaws.com") && !p.attrs.source_arn)
      .map((p) => ctx.violation(this, p, `permission for ${p.attrs.principal} has no source_arn: any account's resource could invoke it`));
  },
};
