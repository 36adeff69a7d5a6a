import { PolicyRule, RuleContext } from "../types";

export const SageMakerNetworkIsolation: PolicyRule = {
  id: "CKV_AWS_370",
  aliases: [],
  description: "SageMaker model runs with network isolation",
  check(ctx: RuleContext) {
    return ctx
      .ofType("aws_sagemaker_model")
      .filter((m) => m.attrs.enable_network_isolation !== true)
      .map((m) => ctx.violation(this, m, "enable_network_isolation is not true"));
  },
};
