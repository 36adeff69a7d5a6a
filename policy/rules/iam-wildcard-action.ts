import { fail, Finding, Rule, RuleContext } from "../rule";
import { label, statements } from "./iam-documents";

const SERVICE_WILDCARD = /^[a-z0-9-]+:\*$/i;

export const IamWildcardAction: Rule = {
  name: "iam-wildcard-action",
  checks: {
    CKV_AWS_63: { meaning: "no identity policy has an Allow statement whose Action is \"*\"" },
    RF_IAM_SERVICE_WILDCARD: {
      meaning: "no identity policy has an Allow statement whose Action is a whole service (\"s3:*\", any case)",
      differs: "CKV_AWS_63 flags only the bare \"*\"; a whole service is rarely least privilege",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const { located, undecided } = statements(ctx, ["identity"], ["CKV_AWS_63", "RF_IAM_SERVICE_WILDCARD"]);
    const out = [...undecided];
    for (const l of located) {
      if (l.s.effect !== "Allow") continue;
      if (l.s.actions.includes("*")) out.push(fail("CKV_AWS_63", l.doc.owner, `${label(l)} allows every action (*)`));
      const svc = l.s.actions.filter((a) => SERVICE_WILDCARD.test(a));
      if (svc.length) out.push(fail("RF_IAM_SERVICE_WILDCARD", l.doc.owner, `${label(l)} allows whole services: ${svc.join(", ")}`));
    }
    return out;
  },
};
