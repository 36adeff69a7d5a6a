import { PolicyRule, RuleContext } from "../types";
import { identityStatements } from "./iam-documents";

export const IamNoWildcardAction: PolicyRule = {
  id: "CKV_AWS_63",
  aliases: ["AVD-AWS-0057", "AwsSolutions-IAM5"],
  description: "No IAM statement allows the action '*' or '<service>:*'",
  check(ctx: RuleContext) {
    return identityStatements(ctx)
      .filter((s) => s.effect === "Allow" && s.actions.some((a) => a === "*" || /^[a-z0-9-]+:\*$/i.test(a)))
      .map((s) => ctx.violation(this, s.resource, `statement ${s.sid} allows ${s.actions.filter((a) => a.endsWith("*")).join(", ")}`));
  },
};
