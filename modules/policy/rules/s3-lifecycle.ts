import { block, blocks, PolicyRule, RuleContext } from "../types";

export const S3Lifecycle: PolicyRule = {
  id: "CKV2_AWS_61",
  aliases: ["CKV_AWS_300"],
  description: "S3 bucket has a lifecycle configuration that aborts incomplete multipart uploads",
  check(ctx: RuleContext) {
    return ctx.ofType("aws_s3_bucket").flatMap((b) => {
      const lc = ctx.referencing("aws_s3_bucket_lifecycle_configuration", "bucket", b)[0];
      if (!lc) return [ctx.violation(this, b, "bucket has no lifecycle configuration")];
      const aborts = blocks(lc.attrs.rule).some(
        (r) => r.status === "Enabled" && block(r.abort_incomplete_multipart_upload)?.days_after_initiation > 0,
      );
      return aborts ? [] : [ctx.violation(this, b, "lifecycle does not abort incomplete multipart uploads (their parts are billed forever)")];
    });
  },
};
