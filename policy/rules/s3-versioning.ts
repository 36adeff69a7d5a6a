import { block, blocks } from "../../terraform";
import { attr, cannotDecide, companions, fail, Finding, isTrue, missingCompanion, opaque, Rule, RuleContext } from "../rule";
import { coversWholeBucket, enabled } from "./s3-lifecycle";

export const S3Versioning: Rule = {
  name: "s3-versioning",
  checks: {
    CKV_AWS_21: {
      meaning: "every aws_s3_bucket is versioned: an aws_s3_bucket_versioning with status Enabled (or the inline versioning.enabled = true)",
      same: ["AVD-AWS-0090"],
    },
    RF_S3_NONCURRENT_EXPIRY: {
      meaning: "a versioned bucket's lifecycle has an Enabled whole-bucket rule with noncurrent_version_expiration.noncurrent_days > 0",
      differs: "CKV_AWS_21 only wants versioning; without expiry every overwritten or deleted object is kept, and billed, forever",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const b of ctx.model.ofType("aws_s3_bucket")) {
      const c = companions(ctx, "aws_s3_bucket_versioning", "bucket", b);
      const statuses = [...c.found.map((v) => attr(v, "versioning_configuration.status")), ...(b.attrs.versioning ? [isTrue(attr(b, "versioning.enabled")) ? "Enabled" : attr(b, "versioning.enabled")] : [])];
      if (statuses.some(opaque)) {
        out.push(cannotDecide("CKV_AWS_21", b, "versioning status is an expression"));
        continue;
      }
      if (!statuses.includes("Enabled")) {
        out.push(statuses.length ? fail("CKV_AWS_21", b, `versioning is ${statuses.join(", ")}, not Enabled`) : missingCompanion("CKV_AWS_21", b, c, "versioning is not Enabled"));
        continue;
      }
      const lcs = companions(ctx, "aws_s3_bucket_lifecycle_configuration", "bucket", b);
      const expires = lcs.found.some((lc) =>
        blocks(lc.attrs.rule).some((r) => enabled(r) && coversWholeBucket(r) && Number(block(r.noncurrent_version_expiration)?.noncurrent_days) > 0),
      );
      if (!expires) {
        out.push(missingCompanion("RF_S3_NONCURRENT_EXPIRY", b, lcs, "versioned bucket without a whole-bucket noncurrent_version_expiration keeps every old version forever"));
      }
    }
    return out;
  },
};
