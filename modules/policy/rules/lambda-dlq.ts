import { block, PolicyRule, RuleContext } from "../types";

export const LambdaDlq: PolicyRule = {
  id: "CKV_AWS_116",
  aliases: [],
  description: "Lambda function has a dead-letter queue",
  check(ctx: RuleContext) {
    return ctx
      .ofType("aws_lambda_function")
      .filter((f) => !block(f.attrs.dead_letter_config)?.target_arn)
      .map((f) => ctx.violation(this, f, "no dead_letter_config.target_arn"));
  },
};
