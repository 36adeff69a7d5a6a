import { block, blocks, PolicyRule, RuleContext } from "../types";

export const S3Versioning: PolicyRule = {
  id: "CKV_AWS_21",
  aliases: ["AVD-AWS-0090"],
  description: "S3 bucket is versioned and its lifecycle expires noncurrent versions",
  check(ctx: RuleContext) {
    return ctx.ofType("aws_s3_bucket").flatMap((b) => {
      const v = ctx.referencing("aws_s3_bucket_versioning", "bucket", b)[0];
      if (!v || block(v.attrs.versioning_configuration)?.status !== "Enabled") {
        return [ctx.violation(this, b, "versioning is not Enabled")];
      }
      const lc = ctx.referencing("aws_s3_bucket_lifecycle_configuration", "bucket", b)[0];
      const expires = lc && blocks(lc.attrs.rule).some((r) => r.status === "Enabled" && block(r.noncurrent_version_expiration)?.noncurrent_days > 0);
      return expires ? [] : [ctx.violation(this, b, "versioned bucket without noncurrent_version_expiration keeps every old version forever")];
    });
  },
};
