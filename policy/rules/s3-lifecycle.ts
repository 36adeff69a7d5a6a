import { Attrs, block, blocks } from "../../terraform";
import { cannotDecide, companions, fail, Finding, missingCompanion, opaque, Rule, RuleContext } from "../rule";

const nonEmpty = (v: unknown) => v !== undefined && v !== null && v !== "" && !(Array.isArray(v) && !v.length) && !(typeof v === "object" && !Array.isArray(v) && !Object.keys(v as object).length);

/**
 * Whether a lifecycle rule applies to the whole bucket: no rule-level prefix and a filter
 * (plain or `and`) without prefix, tags or size limits. An abort or expiry scoped to one prefix
 * leaves every other key alone.
 */
export function coversWholeBucket(rule: Attrs): boolean {
  if (nonEmpty(rule.prefix)) return false;
  for (const f of blocks(rule.filter)) {
    const parts = [f, ...blocks(f.and)];
    for (const p of parts) {
      if (["prefix", "object_size_greater_than", "object_size_less_than", "tag", "tags"].some((k) => nonEmpty(p[k]))) return false;
    }
  }
  return true;
}

export const enabled = (rule: Attrs) => rule.status === "Enabled";

export const S3Lifecycle: Rule = {
  name: "s3-lifecycle",
  checks: {
    CKV2_AWS_61: { meaning: "every aws_s3_bucket has an aws_s3_bucket_lifecycle_configuration" },
    CKV_AWS_300: {
      meaning:
        "every aws_s3_bucket_lifecycle_configuration has an Enabled rule with abort_incomplete_multipart_upload whose filter is empty (no prefix, tag or size): a prefix-scoped abort does not count",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const b of ctx.model.ofType("aws_s3_bucket")) {
      const c = companions(ctx, "aws_s3_bucket_lifecycle_configuration", "bucket", b);
      if (!c.found.length) out.push(missingCompanion("CKV2_AWS_61", b, c, "bucket has no lifecycle configuration"));
    }
    for (const lc of ctx.model.ofType("aws_s3_bucket_lifecycle_configuration")) {
      const rules = blocks(lc.attrs.rule);
      if (opaque(lc.attrs.rule) || rules.some((r) => opaque(r.status) || opaque(r.filter))) {
        out.push(cannotDecide("CKV_AWS_300", lc, "its rules are expressions"));
        continue;
      }
      const aborts = rules.filter((r) => enabled(r) && block(r.abort_incomplete_multipart_upload));
      if (!aborts.some(coversWholeBucket)) {
        out.push(
          fail(
            "CKV_AWS_300",
            lc,
            aborts.length
              ? `abort_incomplete_multipart_upload only in rules scoped by filter (${aborts.map((r) => r.id).join(", ")}): uploads elsewhere are billed forever`
              : "no enabled rule aborts incomplete multipart uploads (their parts are billed forever)",
          ),
        );
      }
    }
    return out;
  },
};
