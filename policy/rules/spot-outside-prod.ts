import { cannotDecide, fail, Finding, opaque, Rule, RuleContext } from "../rule";

const id = "RF_SPOT_OUTSIDE_PROD";

export const SpotOutsideProd: Rule = {
  name: "spot-outside-prod",
  checks: {
    [id]: {
      meaning: "every aws_eks_node_group outside prod has capacity_type = SPOT (a stack of unknown environment counts as outside prod)",
      differs: "no public check: a cost rule",
    },
  },
  check(ctx: RuleContext): Finding[] {
    return ctx.model.ofType("aws_eks_node_group").flatMap((ng) => {
      if (ctx.env(ng.stack) === "prod") return [];
      const t = ng.attrs.capacity_type;
      if (opaque(t)) return [cannotDecide(id, ng, `capacity_type is the expression ${String(t)}`)];
      return t === "SPOT" ? [] : [fail(id, ng, `capacity_type is ${t ?? "ON_DEMAND (default)"}; SPOT is required outside prod`)];
    });
  },
};
