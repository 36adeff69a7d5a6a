import { cannotDecide, fail, Finding, judge, opaque, Rule, RuleContext } from "../rule";

export const LogRetention: Rule = {
  name: "log-retention",
  checks: {
    CKV_AWS_66: { meaning: "every aws_cloudwatch_log_group sets retention_in_days (0, never expire, does not count)" },
    RF_LAMBDA_LOG_GROUP: {
      meaning: "every aws_lambda_function logs to a log group of the model (logging_config.log_group)",
      differs: "no public check: otherwise Lambda creates /aws/lambda/<name> itself, without retention, outside CKV_AWS_66's sight",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const g of ctx.model.ofType("aws_cloudwatch_log_group")) {
      out.push(...judge("CKV_AWS_66", g, "retention_in_days", (v) => Number(v) > 0, () => "retention_in_days is not set: logs are kept (and billed) forever"));
    }
    for (const f of ctx.model.ofType("aws_lambda_function")) {
      const target = f.block("logging_config")?.log_group;
      if (target !== undefined && ctx.model.resolve(target, f, ["aws_cloudwatch_log_group"])) continue;
      const byName = ctx.model.ofType("aws_cloudwatch_log_group").some((g) => ctx.model.nameOf(g) === `/aws/lambda/${ctx.model.nameOf(f)}`);
      if (target === undefined && byName) continue;
      out.push(
        target !== undefined && opaque(target)
          ? cannotDecide("RF_LAMBDA_LOG_GROUP", f, `logging_config.log_group is ${String(target)}, which names no log group of the model`)
          : fail("RF_LAMBDA_LOG_GROUP", f, "function does not log to a log group of the model (Lambda would create one without retention)"),
      );
    }
    return out;
  },
};
