import { grants } from "../../terraform";
import { fail, Finding, Rule, RuleContext } from "../rule";
import { label, statements } from "./iam-documents";

export const IamPassRole: Rule = {
  name: "iam-pass-role",
  checks: {
    RF_IAM_PASSROLE_SCOPED: {
      meaning: "an Allow of iam:PassRole names the roles (no Resource \"*\") and the service they go to (condition iam:PassedToService)",
      differs:
        "no public check: the emulator cannot check PassRole to a service, and an unscoped PassRole lets the holder run any service as any role (CKV_AWS_355 catches the \"*\" resource only)",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const id = "RF_IAM_PASSROLE_SCOPED";
    const { located, undecided } = statements(ctx, ["identity"], [id]);
    const out = [...undecided];
    for (const l of located) {
      if (!grants(l.s, "iam:PassRole")) continue;
      if (l.s.resources.includes("*") || l.s.notResources.length) out.push(fail(id, l.doc.owner, `${label(l)} may pass any role (Resource "*")`));
      else if (!l.s.conditions.some((c) => c.variable.toLowerCase() === "iam:passedtoservice")) {
        out.push(fail(id, l.doc.owner, `${label(l)} may pass ${l.s.resources.join(", ")} to any service: add a condition on iam:PassedToService`));
      }
    }
    return out;
  },
};
