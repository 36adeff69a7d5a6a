import { PolicyRule, RuleContext } from "../types";

/** Runtimes AWS has not announced a deprecation date for before 2027. */
export const SUPPORTED_RUNTIMES = ["nodejs22.x", "nodejs20.x", "python3.13", "python3.12", "java21", "provided.al2023"];

export const LambdaRuntime: PolicyRule = {
  id: "CKV_AWS_363",
  aliases: ["AwsSolutions-L1"],
  description: "Lambda function uses a supported runtime",
  check(ctx: RuleContext) {
    return ctx
      .ofType("aws_lambda_function")
      .filter((f) => !SUPPORTED_RUNTIMES.includes(f.attrs.runtime))
      .map((f) => ctx.violation(this, f, `runtime ${f.attrs.runtime} is not one of ${SUPPORTED_RUNTIMES.join(", ")}`));
  },
};
