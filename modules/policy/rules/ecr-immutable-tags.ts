import { PolicyRule, RuleContext } from "../types";

export const EcrImmutableTags: PolicyRule = {
  id: "CKV_AWS_51",
  aliases: ["AVD-AWS-0031"],
  description: "ECR repository tags are immutable (enforced in prod)",
  check(ctx: RuleContext) {
    if (ctx.config.name !== "prod") return [];
    return ctx
      .ofType("aws_ecr_repository")
      .filter((r) => r.attrs.image_tag_mutability !== "IMMUTABLE")
      .map((r) => ctx.violation(this, r, "image_tag_mutability must be IMMUTABLE in prod"));
  },
};
