import { block, PolicyRule, RuleContext } from "../types";

export const LogRetention: PolicyRule = {
  id: "CKV_AWS_66",
  aliases: [],
  description: "Every log group has a retention; every Lambda logs to a managed group",
  check(ctx: RuleContext) {
    const groups = ctx.ofType("aws_cloudwatch_log_group");
    const noRetention = groups
      .filter((g) => !(typeof g.attrs.retention_in_days === "number" && g.attrs.retention_in_days > 0))
      .map((g) => ctx.violation(this, g, "retention_in_days is not set: logs are kept (and billed) forever"));
    const unmanagedFns = ctx
      .ofType("aws_lambda_function")
      .filter((f) => {
        const target = block(f.attrs.logging_config)?.log_group;
        return !groups.some((g) => typeof target === "string" && target.includes(`\${${g.address}.`));
      })
      .map((f) => ctx.violation(this, f, "function does not log to a log group of this stack (Lambda would create one without retention)"));
    return [...noRetention, ...unmanagedFns];
  },
};
