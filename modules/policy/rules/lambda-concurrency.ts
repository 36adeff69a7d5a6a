import { PolicyRule, RuleContext } from "../types";

export const LambdaConcurrency: PolicyRule = {
  id: "CKV_AWS_115",
  aliases: [],
  description: "Lambda function has reserved concurrency",
  check(ctx: RuleContext) {
    return ctx
      .ofType("aws_lambda_function")
      .filter((f) => !(typeof f.attrs.reserved_concurrent_executions === "number" && f.attrs.reserved_concurrent_executions >= 0))
      .map((f) => ctx.violation(this, f, "reserved_concurrent_executions is not set"));
  },
};
