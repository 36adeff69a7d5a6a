import { Finding, isTrue, judge, present, Rule, RuleContext } from "../rule";

export const SageMaker: Rule = {
  name: "sagemaker",
  checks: {
    CKV_AWS_98: { meaning: "every aws_sagemaker_endpoint_configuration sets kms_key_arn" },
    CKV_AWS_370: { meaning: "every aws_sagemaker_model sets enable_network_isolation = true" },
  },
  check(ctx: RuleContext): Finding[] {
    return [
      ...ctx.model
        .ofType("aws_sagemaker_endpoint_configuration")
        .flatMap((c) => present("CKV_AWS_98", c, "kms_key_arn", "kms_key_arn is not set")),
      ...ctx.model.ofType("aws_sagemaker_model").flatMap((m) => judge("CKV_AWS_370", m, "enable_network_isolation", isTrue, () => "enable_network_isolation is not true")),
    ];
  },
};
