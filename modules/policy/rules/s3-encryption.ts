import { blocks, PolicyRule, RuleContext } from "../types";

export const S3Encryption: PolicyRule = {
  id: "CKV_AWS_145",
  aliases: ["AVD-AWS-0088"],
  description: "S3 bucket has default encryption: SSE-KMS with a bucket key, or SSE-S3",
  check(ctx: RuleContext) {
    return ctx.ofType("aws_s3_bucket").flatMap((b) => {
      const sse = ctx.referencing("aws_s3_bucket_server_side_encryption_configuration", "bucket", b)[0];
      if (!sse) return [ctx.violation(this, b, "bucket has no server-side encryption configuration")];
      const rules = blocks(sse.attrs.rule);
      const ok = rules.some((r) => {
        const d = blocks(r.apply_server_side_encryption_by_default)[0];
        if (!d) return false;
        if (d.sse_algorithm === "AES256") return true;
        return d.sse_algorithm === "aws:kms" && r.bucket_key_enabled === true;
      });
      return ok ? [] : [ctx.violation(this, b, "encryption must be AES256, or aws:kms with bucket_key_enabled (KMS requests otherwise cost per object)")];
    });
  },
};
