import { blocks, TfResource } from "../../terraform";
import { cannotDecide, companions, fail, Finding, missingCompanion, opaque, Rule, RuleContext } from "../rule";

/** The default-encryption algorithms of a bucket: its companion configuration's, or the deprecated inline block's. */
function algorithms(ctx: RuleContext, b: TfResource) {
  const c = companions(ctx, "aws_s3_bucket_server_side_encryption_configuration", "bucket", b);
  const sources = [...c.found, ...(b.attrs.server_side_encryption_configuration ? [b] : [])];
  const algos = sources.flatMap((s) =>
    blocks(s === b ? b.block("server_side_encryption_configuration")?.rule : s.attrs.rule).flatMap((r) =>
      blocks(r.apply_server_side_encryption_by_default).map((d) => d.sse_algorithm as unknown),
    ),
  );
  return { c, sources, algos };
}

export const S3Encryption: Rule = {
  name: "s3-encryption",
  checks: {
    "AVD-AWS-0088": { meaning: "every aws_s3_bucket has default server-side encryption (any algorithm)" },
    CKV_AWS_145: { meaning: "every aws_s3_bucket's default encryption is SSE-KMS: sse_algorithm aws:kms or aws:kms:dsse" },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const b of ctx.model.ofType("aws_s3_bucket")) {
      const { c, sources, algos } = algorithms(ctx, b);
      if (!sources.length) {
        for (const id of ["AVD-AWS-0088", "CKV_AWS_145"]) out.push(missingCompanion(id, b, c, "bucket has no server-side encryption configuration"));
        continue;
      }
      if (algos.some(opaque)) {
        for (const id of ["AVD-AWS-0088", "CKV_AWS_145"]) out.push(cannotDecide(id, b, "sse_algorithm is an expression"));
        continue;
      }
      if (!algos.some((a) => typeof a === "string" && a !== "")) out.push(fail("AVD-AWS-0088", b, "encryption configuration names no sse_algorithm"));
      if (!algos.some((a) => a === "aws:kms" || a === "aws:kms:dsse")) {
        out.push(fail("CKV_AWS_145", b, `default encryption is ${algos.join(", ") || "unset"}, not SSE-KMS (aws:kms or aws:kms:dsse)`));
      }
    }
    return out;
  },
};
