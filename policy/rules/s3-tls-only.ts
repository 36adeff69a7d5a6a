import { actionMatches, isPublic } from "../../terraform";
import { cannotDecide, fail, Finding, resourcePolicies, Rule, RuleContext } from "../rule";

export const S3TlsOnly: Rule = {
  name: "s3-tls-only",
  checks: {
    "AwsSolutions-S10": {
      meaning:
        "every aws_s3_bucket's policy has a Deny to every principal of s3:* (or *) on the bucket and its objects when aws:SecureTransport is false",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const id = "AwsSolutions-S10";
    const out: Finding[] = [];
    for (const b of ctx.model.ofType("aws_s3_bucket")) {
      const { none, policies } = resourcePolicies(ctx, "aws_s3_bucket_policy", "bucket", b, id, "bucket has no policy, so nothing denies requests without TLS");
      if (none) {
        out.push(none);
        continue;
      }
      const covers = (r: string, objects: boolean) =>
        r === "*" || (objects ? r.endsWith("/*") && ctx.model.refersTo(r.slice(0, -2), b, b) : !r.endsWith("/*") && ctx.model.refersTo(r, b, b));
      const ok = policies.some(({ decoded }) =>
        decoded.doc?.statements.some(
          (s) =>
            s.effect === "Deny" &&
            isPublic(s.principals) &&
            s.actions.some((a) => actionMatches(a, "s3:*")) &&
            s.conditions.some((k) => k.test.toLowerCase() === "bool" && k.variable.toLowerCase() === "aws:securetransport" && k.values.includes("false")) &&
            s.resources.some((r) => covers(r, false)) &&
            s.resources.some((r) => covers(r, true)),
        ),
      );
      if (ok) continue;
      const unreadable = policies.filter(({ decoded }) => decoded.undecided !== undefined);
      out.push(
        unreadable.length
          ? cannotDecide(id, b, unreadable.map(({ owner, decoded }) => `${owner.address}: ${decoded.undecided}`).join("; "))
          : fail(id, b, "no bucket policy statement denies s3:* on the bucket and its objects when aws:SecureTransport is false"),
      );
    }
    return out;
  },
};
