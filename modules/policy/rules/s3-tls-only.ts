import { asArray, policyDocument, PolicyRule, RuleContext } from "../types";

export const S3TlsOnly: PolicyRule = {
  id: "AwsSolutions-S10",
  aliases: [],
  description: "S3 bucket policy denies requests without TLS (aws:SecureTransport false)",
  check(ctx: RuleContext) {
    return ctx.ofType("aws_s3_bucket").flatMap((b) => {
      const ok = ctx.referencing("aws_s3_bucket_policy", "bucket", b).some((p) =>
        (policyDocument(p.attrs.policy)?.Statement ?? []).some(
          (s) =>
            s.Effect === "Deny" &&
            asArray(s.Action).some((a: string) => a === "s3:*") &&
            String(s.Condition?.Bool?.["aws:SecureTransport"]) === "false",
        ),
      );
      return ok ? [] : [ctx.violation(this, b, "no bucket policy statement denies s3:* when aws:SecureTransport is false")];
    });
  },
};
