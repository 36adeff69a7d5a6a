import { list } from "../../terraform";
import { fail, Finding, Rule, RuleContext } from "../rule";

export const IamUsersGroups: Rule = {
  name: "iam-users-groups",
  checks: {
    CKV_AWS_40: {
      meaning: "no policy is attached to an IAM user: no aws_iam_user_policy, aws_iam_user_policy_attachment, or aws_iam_policy_attachment with users",
    },
    RF_IAM_ROLES_ONLY: {
      meaning: "no policy is written on or attached to an IAM group either: permissions live on roles (assumed through SSO or OIDC)",
      differs: "CKV_AWS_40 allows groups; this platform has no long-lived IAM identities at all",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const type of ["aws_iam_user_policy", "aws_iam_user_policy_attachment"]) {
      for (const r of ctx.model.ofType(type)) out.push(fail("CKV_AWS_40", r, `${type} gives a user permissions; attach them to a role`));
    }
    for (const type of ["aws_iam_group_policy", "aws_iam_group_policy_attachment"]) {
      for (const r of ctx.model.ofType(type)) out.push(fail("RF_IAM_ROLES_ONLY", r, `${type} gives a group permissions; attach them to a role`));
    }
    for (const a of ctx.model.ofType("aws_iam_policy_attachment")) {
      if (list(a.attrs.users).length) out.push(fail("CKV_AWS_40", a, "aws_iam_policy_attachment attaches a policy to users"));
      if (list(a.attrs.groups).length) out.push(fail("RF_IAM_ROLES_ONLY", a, "aws_iam_policy_attachment attaches a policy to groups"));
    }
    return out;
  },
};
