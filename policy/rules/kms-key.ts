import { decodePolicy, isPublic, TfResource } from "../../terraform";
import { attr, cannotDecide, companions, fail, Finding, isTrue, judge, missingCompanion, opaque, Rule, RuleContext } from "../rule";

export const KmsKey: Rule = {
  name: "kms-key",
  checks: {
    CKV_AWS_7: { meaning: "every symmetric aws_kms_key has enable_key_rotation = true", same: ["AVD-AWS-0065"] },
    CKV2_AWS_64: { meaning: "every aws_kms_key has a key policy: its policy attribute, or an aws_kms_key_policy" },
    CKV_AWS_33: {
      meaning: "no key policy (aws_kms_key.policy or aws_kms_key_policy) has an Allow statement whose Principal is \"*\" or AWS \"*\"",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const k of ctx.model.ofType("aws_kms_key")) {
      const spec = attr(k, "customer_master_key_spec") ?? attr(k, "key_spec") ?? "SYMMETRIC_DEFAULT";
      if (opaque(spec)) out.push(cannotDecide("CKV_AWS_7", k, "the key spec is an expression"));
      else if (spec === "SYMMETRIC_DEFAULT") out.push(...judge("CKV_AWS_7", k, "enable_key_rotation", isTrue, () => "enable_key_rotation is not true"));
      const c = companions(ctx, "aws_kms_key_policy", "key_id", k);
      if (k.attrs.policy === undefined && !c.found.length) out.push(missingCompanion("CKV2_AWS_64", k, c, "key has no key policy (AWS applies the default one)"));
    }
    const policies: TfResource[] = [...ctx.model.ofType("aws_kms_key").filter((k) => k.attrs.policy !== undefined), ...ctx.model.ofType("aws_kms_key_policy")];
    for (const p of policies) {
      const d = decodePolicy(ctx.model, p.attrs.policy, p);
      if (d.undecided !== undefined) {
        out.push(cannotDecide("CKV_AWS_33", p, `policy: ${d.undecided}`));
        continue;
      }
      for (const s of d.doc.statements) {
        if (s.effect === "Allow" && isPublic(s.principals)) out.push(fail("CKV_AWS_33", p, `key policy statement ${s.sid ?? `#${s.index}`} allows every principal ('*')`));
      }
    }
    return out;
  },
};
