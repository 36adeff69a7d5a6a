import { TfResource } from "../../terraform";
import { attr, companions, fail, Finding, isTrue, judge, missingCompanion, opaque, cannotDecide, Rule, RuleContext } from "../rule";

/** [flag, Checkov id (judges the access-block resource), Trivy id (judges the bucket)]. */
const FLAGS = [
  ["block_public_acls", "CKV_AWS_53", "AVD-AWS-0086"],
  ["block_public_policy", "CKV_AWS_54", "AVD-AWS-0087"],
  ["ignore_public_acls", "CKV_AWS_55", "AVD-AWS-0091"],
  ["restrict_public_buckets", "CKV_AWS_56", "AVD-AWS-0093"],
] as const;

/**
 * Checkov judges each aws_s3_bucket_public_access_block by its flags (CKV_AWS_53-56) and each
 * bucket by having one with block_public_acls and block_public_policy (CKV2_AWS_6); Trivy
 * judges each bucket by its block's flags, a bucket without one failing all of them.
 */
export const S3PublicAccessBlock: Rule = {
  name: "s3-public-access-block",
  checks: {
    CKV2_AWS_6: { meaning: "every aws_s3_bucket has an aws_s3_bucket_public_access_block with block_public_acls and block_public_policy true" },
    "AVD-AWS-0094": { meaning: "every aws_s3_bucket has an aws_s3_bucket_public_access_block" },
    ...Object.fromEntries(FLAGS.map(([flag, ckv]) => [ckv, { meaning: `every aws_s3_bucket_public_access_block sets ${flag} = true (absent is false)` }])),
    ...Object.fromEntries(FLAGS.map(([flag, , avd]) => [avd, { meaning: `every aws_s3_bucket has a public access block with ${flag} = true (no block fails)` }])),
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const pab of ctx.model.ofType("aws_s3_bucket_public_access_block")) {
      for (const [flag, ckv] of FLAGS) out.push(...judge(ckv, pab, flag, isTrue, () => `${flag} is not true`));
    }
    for (const b of ctx.model.ofType("aws_s3_bucket")) {
      const c = companions(ctx, "aws_s3_bucket_public_access_block", "bucket", b);
      const pab: TfResource | undefined = c.found[0];
      if (!pab) {
        for (const id of ["CKV2_AWS_6", "AVD-AWS-0094", ...FLAGS.map((f) => f[2])]) {
          out.push(missingCompanion(id, b, c, "bucket has no aws_s3_bucket_public_access_block"));
        }
        continue;
      }
      const read = (flag: string) => attr(pab, flag);
      const both = ["block_public_acls", "block_public_policy"];
      if (both.some((f) => opaque(read(f)))) out.push(cannotDecide("CKV2_AWS_6", b, `${pab.address} sets its flags by expression`));
      else if (!both.every((f) => isTrue(read(f)))) out.push(fail("CKV2_AWS_6", b, `${pab.address} leaves ${both.filter((f) => !isTrue(read(f))).join(", ")} off`));
      for (const [flag, , avd] of FLAGS) {
        if (opaque(read(flag))) out.push(cannotDecide(avd, b, `${pab.address}.${flag} is an expression`));
        else if (!isTrue(read(flag))) out.push(fail(avd, b, `public access block leaves ${flag} off`));
      }
    }
    return out;
  },
};
