import { decodePolicy, isInternetAccessible } from "../../terraform";
import { cannotDecide, companions, fail, Finding, isTrue, judge, missingCompanion, Rule, RuleContext } from "../rule";

export const Ecr: Rule = {
  name: "ecr",
  checks: {
    CKV_AWS_163: { meaning: "every aws_ecr_repository has image_scanning_configuration.scan_on_push = true", same: ["AVD-AWS-0030"] },
    CKV_AWS_51: { meaning: "every aws_ecr_repository has image_tag_mutability = IMMUTABLE", same: ["AVD-AWS-0031"] },
    CKV_AWS_136: { meaning: "every aws_ecr_repository has encryption_configuration.encryption_type = KMS" },
    CKV_AWS_32: { meaning: "no aws_ecr_repository_policy has an Allow to every principal that no condition limits (internet accessible)" },
    RF_ECR_LIFECYCLE: {
      meaning: "every aws_ecr_repository has an aws_ecr_lifecycle_policy",
      differs: "no public check: a cost rule, every image kept is billed storage",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const r of ctx.model.ofType("aws_ecr_repository")) {
      out.push(...judge("CKV_AWS_163", r, "image_scanning_configuration.scan_on_push", isTrue, () => "image_scanning_configuration.scan_on_push is not true"));
      out.push(...judge("CKV_AWS_51", r, "image_tag_mutability", (v) => v === "IMMUTABLE", (v) => `image_tag_mutability is ${v ?? "MUTABLE (default)"}`));
      out.push(...judge("CKV_AWS_136", r, "encryption_configuration.encryption_type", (v) => v === "KMS", (v) => `encryption_type is ${v ?? "AES256 (default)"}, not KMS`));
      const c = companions(ctx, "aws_ecr_lifecycle_policy", "repository", r);
      if (!c.found.length) out.push(missingCompanion("RF_ECR_LIFECYCLE", r, c, "repository has no aws_ecr_lifecycle_policy"));
    }
    for (const p of ctx.model.ofType("aws_ecr_repository_policy")) {
      const d = decodePolicy(ctx.model, p.attrs.policy, p);
      if (d.undecided !== undefined) out.push(cannotDecide("CKV_AWS_32", p, `policy: ${d.undecided}`));
      else for (const s of d.doc.statements.filter(isInternetAccessible)) out.push(fail("CKV_AWS_32", p, `statement ${s.sid ?? `#${s.index}`} lets anyone (${s.actions.join(", ")})`));
    }
    return out;
  },
};
