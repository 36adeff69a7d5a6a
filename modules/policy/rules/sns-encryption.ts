import { PolicyRule, RuleContext } from "../types";

export const SnsEncryption: PolicyRule = {
  id: "CKV_AWS_26",
  aliases: ["AVD-AWS-0095"],
  description: "SNS topic is encrypted with KMS",
  check(ctx: RuleContext) {
    return ctx
      .ofType("aws_sns_topic")
      .filter((t) => !t.attrs.kms_master_key_id)
      .map((t) => ctx.violation(this, t, "kms_master_key_id is not set"));
  },
};
