import { block, blocks, PolicyRule, RuleContext } from "../types";

export const EksSecretsEncryption: PolicyRule = {
  id: "CKV_AWS_58",
  aliases: ["AVD-AWS-0039"],
  description: "EKS cluster encrypts secrets with a KMS key",
  check(ctx: RuleContext) {
    return ctx.ofType("aws_eks_cluster").flatMap((c) => {
      const ok = blocks(c.attrs.encryption_config).some(
        (e) => (e.resources ?? []).includes("secrets") && !!block(e.provider)?.key_arn,
      );
      return ok ? [] : [ctx.violation(this, c, "no encryption_config for 'secrets' with a KMS key_arn")];
    });
  },
};
