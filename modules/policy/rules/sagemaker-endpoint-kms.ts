import { PolicyRule, RuleContext } from "../types";

export const SageMakerEndpointKms: PolicyRule = {
  id: "CKV_AWS_98",
  aliases: [],
  description: "SageMaker endpoint configuration encrypts its storage with KMS",
  check(ctx: RuleContext) {
    return ctx
      .ofType("aws_sagemaker_endpoint_configuration")
      .filter((c) => !c.attrs.kms_key_arn)
      .map((c) => ctx.violation(this, c, "kms_key_arn is not set"));
  },
};
