import { list } from "../../terraform";
import { fail, Finding, opaque, cannotDecide, Rule, RuleContext } from "../rule";
import { label, statements } from "./iam-documents";

const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
const BROAD = ["arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/IAMFullAccess"];

/** [attachment type, attribute with the policy ARN(s)]. */
const ATTACHMENTS: readonly [string, string][] = [
  ["aws_iam_role_policy_attachment", "policy_arn"],
  ["aws_iam_user_policy_attachment", "policy_arn"],
  ["aws_iam_group_policy_attachment", "policy_arn"],
  ["aws_iam_policy_attachment", "policy_arn"],
  ["aws_iam_role", "managed_policy_arns"],
  ["aws_iam_role_policy_attachments_exclusive", "policy_arns"],
];

export const IamAdmin: Rule = {
  name: "iam-admin",
  checks: {
    CKV_AWS_62: { meaning: "no identity policy (role, user, group, managed) has an Allow statement with Action \"*\" on Resource \"*\"" },
    CKV_AWS_274: { meaning: "no role, user or group has the AWS-managed AdministratorAccess policy attached" },
    RF_IAM_NO_BROAD_MANAGED: {
      meaning: "no role, user or group has PowerUserAccess or IAMFullAccess attached",
      differs: "CKV_AWS_274 names AdministratorAccess only; PowerUserAccess and IAMFullAccess are one step from it",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const { located, undecided } = statements(ctx, ["identity"], ["CKV_AWS_62"]);
    const out = [...undecided];
    for (const l of located) {
      if (l.s.effect === "Allow" && l.s.actions.includes("*") && l.s.resources.includes("*")) out.push(fail("CKV_AWS_62", l.doc.owner, `${label(l)} is an admin grant (* on *)`));
    }
    for (const [type, attrName] of ATTACHMENTS) {
      for (const a of ctx.model.ofType(type)) {
        for (const arn of list<unknown>(a.attrs[attrName])) {
          if (opaque(arn) && !ctx.model.resolve(arn, a)) {
            out.push(cannotDecide("CKV_AWS_274", a, `${attrName} is the expression ${String(arn)}`));
          } else if (arn === ADMIN) out.push(fail("CKV_AWS_274", a, `attaches ${ADMIN}`));
          else if (typeof arn === "string" && BROAD.includes(arn)) out.push(fail("RF_IAM_NO_BROAD_MANAGED", a, `attaches ${arn}`));
        }
      }
    }
    return out;
  },
};
