import { PolicyRule, RuleContext } from "../types";

const FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

export const S3PublicAccessBlock: PolicyRule = {
  id: "CKV2_AWS_6",
  aliases: ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56", "AVD-AWS-0086", "AVD-AWS-0087", "AVD-AWS-0091", "AVD-AWS-0093", "AVD-AWS-0094", "AwsSolutions-S2"],
  description: "S3 bucket has a public access block with all four flags on",
  check(ctx: RuleContext) {
    return ctx.ofType("aws_s3_bucket").flatMap((b) => {
      const pabs = ctx.referencing("aws_s3_bucket_public_access_block", "bucket", b);
      if (pabs.length === 0) return [ctx.violation(this, b, "bucket has no aws_s3_bucket_public_access_block")];
      const off = FLAGS.filter((f) => pabs[0].attrs[f] !== true);
      return off.length ? [ctx.violation(this, b, `public access block leaves ${off.join(", ")} off`)] : [];
    });
  },
};
