import { decodePolicy, isInternetAccessible } from "../../terraform";
import { cannotDecide, fail, Finding, present, Rule, RuleContext } from "../rule";

export const Sns: Rule = {
  name: "sns",
  checks: {
    CKV_AWS_26: { meaning: "every aws_sns_topic sets kms_master_key_id", same: ["AVD-AWS-0095"] },
    CKV_AWS_169: { meaning: "no aws_sns_topic_policy has an Allow to every principal that no condition limits (internet accessible)" },
    CKV_AWS_385: { meaning: "no aws_sns_topic_policy has an Allow naming an IAM ARN principal (arn:aws:iam::...) without any condition (cross-account access)" },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const t of ctx.model.ofType("aws_sns_topic")) {
      out.push(...present("CKV_AWS_26", t, "kms_master_key_id", "kms_master_key_id is not set"));
    }
    for (const p of ctx.model.ofType("aws_sns_topic_policy")) {
      const d = decodePolicy(ctx.model, p.attrs.policy, p);
      if (d.undecided !== undefined) {
        for (const id of ["CKV_AWS_169", "CKV_AWS_385"]) out.push(cannotDecide(id, p, `policy: ${d.undecided}`));
        continue;
      }
      for (const s of d.doc.statements) {
        const sid = s.sid ?? `#${s.index}`;
        if (isInternetAccessible(s)) out.push(fail("CKV_AWS_169", p, `statement ${sid} lets anyone ${s.actions.join(", ")}`));
        const arns = (s.principals ?? []).filter((x) => x.type === "AWS").flatMap((x) => x.values).filter((v) => v.startsWith("arn:aws:iam::"));
        if (s.effect === "Allow" && arns.length && !s.conditions.length) out.push(fail("CKV_AWS_385", p, `statement ${sid} allows ${arns.join(", ")} with no condition`));
      }
    }
    return out;
  },
};
