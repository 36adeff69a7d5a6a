import { block, PolicyRule, RuleContext } from "../types";

export const S3Ownership: PolicyRule = {
  id: "CKV2_AWS_65",
  aliases: [],
  description: "S3 bucket enforces object ownership (ACLs off)",
  check(ctx: RuleContext) {
    return ctx.ofType("aws_s3_bucket").flatMap((b) => {
      const oc = ctx.referencing("aws_s3_bucket_ownership_controls", "bucket", b)[0];
      return block(oc?.attrs.rule)?.object_ownership === "BucketOwnerEnforced"
        ? []
        : [ctx.violation(this, b, "object ownership is not BucketOwnerEnforced")];
    });
  },
};
