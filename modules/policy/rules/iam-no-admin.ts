import { asArray, policyDocument, PolicyRule, RuleContext } from "../types";
import { identityStatements } from "./iam-documents";

export const IamNoAdmin: PolicyRule = {
  id: "CKV_AWS_62",
  aliases: ["CKV_AWS_60", "CKV_AWS_61", "AwsSolutions-IAM4"],
  description: "No admin policies; role trust policies name their principals (never '*')",
  check(ctx: RuleContext) {
    const admin = [
      ...ctx
        .ofType("aws_iam_role_policy_attachment")
        .filter((a) => /AdministratorAccess|PowerUserAccess|IAMFullAccess/.test(String(a.attrs.policy_arn)))
        .map((a) => ctx.violation(this, a, `attaches ${a.attrs.policy_arn}`)),
      ...identityStatements(ctx)
        .filter((s) => s.effect === "Allow" && s.actions.includes("*") && s.resources.includes("*"))
        .map((s) => ctx.violation(this, s.resource, `statement ${s.sid} is an admin grant (* on *)`)),
    ];
    const openTrust = ctx.ofType("aws_iam_role").flatMap((r) =>
      (policyDocument(r.attrs.assume_role_policy)?.Statement ?? [])
        .filter((s) => s.Effect === "Allow" && (s.Principal === "*" || asArray(s.Principal?.AWS).includes("*")))
        .map(() => ctx.violation(this, r, "trust policy lets any principal ('*') assume the role")),
    );
    return [...admin, ...openTrust];
  },
};
