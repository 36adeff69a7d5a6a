import { grants } from "../../terraform";
import { ALERTING_SERVICES } from "../../modules/alert-topic";
import { cannotDecide, fail, Finding, resourcePolicies, Rule, RuleContext } from "../rule";

const id = "RF_SNS_ALERT_PUBLISHERS";

export const SnsAlertPublishers: Rule = {
  name: "sns-alert-publishers",
  checks: {
    [id]: {
      meaning: `every aws_sns_topic has a topic policy whose Allows of sns:Publish name only the alerting services (${ALERTING_SERVICES.join(", ")})`,
      differs: "CKV_AWS_169 and CKV_AWS_385 forbid public and unconditioned cross-account access; this also keeps the account's own principals off the alert topic (the default policy lets the whole account publish)",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const t of ctx.model.ofType("aws_sns_topic")) {
      const { none, policies } = resourcePolicies(ctx, "aws_sns_topic_policy", "arn", t, id, "topic has no policy (the default lets the whole account publish)");
      if (none) {
        out.push(none);
        continue;
      }
      for (const { owner: o, decoded: d } of policies) {
        if (d.undecided !== undefined) {
          out.push(cannotDecide(id, t, `${o.address}: ${d.undecided}`));
          continue;
        }
        for (const s of d.doc.statements.filter((x) => grants(x, "sns:Publish"))) {
          const ps = s.principals ?? [];
          const onlyAlerting = ps.length > 0 && ps.every((p) => p.type === "Service" && p.values.every((v) => ALERTING_SERVICES.includes(v)));
          if (!onlyAlerting) out.push(fail(id, t, `${o.address} statement ${s.sid ?? `#${s.index}`} lets ${JSON.stringify(ps)} publish; allowed: ${ALERTING_SERVICES.join(", ")}`));
        }
      }
    }
    return out;
  },
};
