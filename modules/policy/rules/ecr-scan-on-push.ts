import { block, PolicyRule, RuleContext } from "../types";

export const EcrScanOnPush: PolicyRule = {
  id: "CKV_AWS_163",
  aliases: ["AVD-AWS-0030"],
  description: "ECR repository scans images on push",
  check(ctx: RuleContext) {
    return ctx
      .ofType("aws_ecr_repository")
      .filter((r) => block(r.attrs.image_scanning_configuration)?.scan_on_push !== true)
      .map((r) => ctx.violation(this, r, "image_scanning_configuration.scan_on_push is not true"));
  },
};
