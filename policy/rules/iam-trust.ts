import { accountPrincipals, actionMatches, isPublic } from "../../terraform";
import { fail, Finding, Rule, RuleContext } from "../rule";
import { label, statements } from "./iam-documents";

export const IamTrust: Rule = {
  name: "iam-trust",
  checks: {
    CKV_AWS_60: {
      meaning: "no role's trust policy has a non-Deny statement whose Principal is AWS \"*\" (Principal \"*\" counts too: IAM reads it the same)",
    },
    CKV_AWS_61: {
      meaning:
        "no role's trust policy has a non-Deny statement naming an account as AWS principal (12-digit id or arn:aws:iam::<id>:root), unless it is sts:AssumeRole conditioned on sts:ExternalId",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const { located, undecided } = statements(ctx, ["trust"], ["CKV_AWS_60", "CKV_AWS_61"]);
    const out = [...undecided];
    for (const l of located) {
      if (l.s.effect === "Deny") continue;
      if (isPublic(l.s.principals)) out.push(fail("CKV_AWS_60", l.doc.owner, `${label(l)} lets any principal ('*') assume the role`));
      const accounts = accountPrincipals(l.s.principals);
      const externalId = l.s.actions.some((a) => actionMatches(a, "sts:AssumeRole")) && l.s.conditions.some((c) => c.variable.toLowerCase() === "sts:externalid");
      if (accounts.length && !externalId) {
        out.push(fail("CKV_AWS_61", l.doc.owner, `${label(l)} lets every identity of account ${accounts.join(", ")} assume the role (name the role or user, or require sts:ExternalId)`));
      }
    }
    return out;
  },
};
