import { decodePolicy, isInternetAccessible, TfResource } from "../../terraform";
import { attr, cannotDecide, fail, Finding, isTrue, opaque, Rule, RuleContext } from "../rule";

export const Sqs: Rule = {
  name: "sqs",
  checks: {
    CKV_AWS_27: { meaning: "every aws_sqs_queue is encrypted: kms_master_key_id set or sqs_managed_sse_enabled = true", same: ["AVD-AWS-0096"] },
    CKV_AWS_168: { meaning: "no queue policy (aws_sqs_queue.policy, aws_sqs_queue_policy) has an Allow to every principal that no condition limits" },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const q of ctx.model.ofType("aws_sqs_queue")) {
      const kms = attr(q, "kms_master_key_id");
      const sse = attr(q, "sqs_managed_sse_enabled");
      if (kms !== undefined && kms !== "") continue;
      if (opaque(sse)) out.push(cannotDecide("CKV_AWS_27", q, "sqs_managed_sse_enabled is an expression"));
      else if (!isTrue(sse)) out.push(fail("CKV_AWS_27", q, "neither kms_master_key_id nor sqs_managed_sse_enabled: messages are stored unencrypted"));
    }
    const owners: TfResource[] = [...ctx.model.ofType("aws_sqs_queue").filter((q) => q.attrs.policy !== undefined), ...ctx.model.ofType("aws_sqs_queue_policy")];
    for (const p of owners) {
      const d = decodePolicy(ctx.model, p.attrs.policy, p);
      if (d.undecided !== undefined) out.push(cannotDecide("CKV_AWS_168", p, `policy: ${d.undecided}`));
      else for (const s of d.doc.statements.filter(isInternetAccessible)) out.push(fail("CKV_AWS_168", p, `statement ${s.sid ?? `#${s.index}`} lets anyone ${s.actions.join(", ")}`));
    }
    return out;
  },
};
