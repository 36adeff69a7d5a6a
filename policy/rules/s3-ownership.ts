import { companions, Finding, judge, missingCompanion, Rule, RuleContext } from "../rule";

const ENFORCED = "BucketOwnerEnforced";

export const S3Ownership: Rule = {
  name: "s3-ownership",
  checks: {
    CKV2_AWS_65: { meaning: "every aws_s3_bucket_ownership_controls sets rule.object_ownership = BucketOwnerEnforced (ACLs disabled)" },
    RF_S3_OWNERSHIP_ENFORCED: {
      meaning: "every aws_s3_bucket has ownership controls with BucketOwnerEnforced",
      differs: "CKV2_AWS_65 judges only the ownership-controls resources that exist; a bucket without one is not flagged there",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const oc of ctx.model.ofType("aws_s3_bucket_ownership_controls")) {
      out.push(...judge("CKV2_AWS_65", oc, "rule.object_ownership", (v) => v === ENFORCED, (v) => `object_ownership is ${v ?? "unset"}, not ${ENFORCED}`));
    }
    for (const b of ctx.model.ofType("aws_s3_bucket")) {
      const c = companions(ctx, "aws_s3_bucket_ownership_controls", "bucket", b);
      const oc = c.found[0];
      if (!oc) out.push(missingCompanion("RF_S3_OWNERSHIP_ENFORCED", b, c, "bucket has no aws_s3_bucket_ownership_controls"));
      else out.push(...judge("RF_S3_OWNERSHIP_ENFORCED", oc, "rule.object_ownership", (v) => v === ENFORCED, (v) => `object_ownership is ${v ?? "unset"}`).map((f) => ({ ...f, subject: b })));
    }
    return out;
  },
};
