import { PolicyRule, RuleContext } from "../types";

export const EcrLifecycle: PolicyRule = {
  id: "RF_ECR_LIFECYCLE",
  aliases: [],
  description: "ECR repository has a lifecycle policy (every image kept is billed storage)",
  check(ctx: RuleContext) {
    return ctx
      .ofType("aws_ecr_repository")
      .filter((r) => ctx.referencing("aws_ecr_lifecycle_policy", "repository", r).length === 0)
      .map((r) => ctx.violation(this, r, "repository has no aws_ecr_lifecycle_policy"));
  },
};
