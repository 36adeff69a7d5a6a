import { asArray, policyDocument, PolicyRule, RuleContext } from "../types";

/** The AWS services that alert: budgets, Cost Anomaly Detection, CloudWatch alarms. */
export const ALERTING_SERVICES = ["budgets.amazonaws.com", "costalerts.amazonaws.com", "cloudwatch.amazonaws.com"];

export const SnsRestrictedPublishers: PolicyRule = {
  id: "CKV_AWS_385",
  aliases: [],
  description: "SNS topic policy lets only the alerting AWS services publish",
  check(ctx: RuleContext) {
    return ctx.ofType("aws_sns_topic").flatMap((t) => {
      const policies = ctx.referencing("aws_sns_topic_policy", "arn", t);
      if (policies.length === 0) return [ctx.violation(this, t, "topic has no aws_sns_topic_policy (the default lets the whole account publish)")];
      return policies.flatMap((p) =>
        (policyDocument(p.attrs.policy)?.Statement ?? [])
          .filter((s) => s.Effect === "Allow" && asArray(s.Action).some((a: string) => a === "sns:Publish" || a === "sns:*" || a === "*"))
          .filter((s) => {
            const services = asArray(s.Principal?.Service);
            const other = s.Principal === "*" || s.Principal?.AWS !== undefined;
            return other || services.length === 0 || services.some((x: string) => !ALERTING_SERVICES.includes(x));
          })
          .map((s) => ctx.violation(this, t, `statement ${s.Sid ?? ""} lets ${JSON.stringify(s.Principal)} publish; allowed: ${ALERTING_SERVICES.join(", ")}`)),
      );
    });
  },
};
