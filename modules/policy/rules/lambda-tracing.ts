import { block, PolicyRule, RuleContext } from "../types";

export const LambdaTracing: PolicyRule = {
  id: "CKV_AWS_50",
  aliases: ["AVD-AWS-0066"],
  description: "Lambda function has X-Ray tracing Active",
  check(ctx: RuleContext) {
    return ctx
      .ofType("aws_lambda_function")
      .filter((f) => block(f.attrs.tracing_config)?.mode !== "Active")
      .map((f) => ctx.violation(this, f, "tracing_config.mode is not Active"));
  },
};
