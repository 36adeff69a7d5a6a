import { block, blocks, list } from "../../terraform";
import { attr, cannotDecide, fail, Finding, judge, opaque, Rule, RuleContext } from "../rule";

const ALL_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
const MINIMUM_LOG_TYPES = ["audit", "authenticator"];

export const EksCluster: Rule = {
  name: "eks-cluster",
  checks: {
    CKV_AWS_58: { meaning: "every aws_eks_cluster has an encryption_config for resources [\"secrets\"] with a KMS provider.key_arn", same: ["AVD-AWS-0039"] },
    CKV_AWS_37: { meaning: "every aws_eks_cluster enables all five control-plane log types: api, audit, authenticator, controllerManager, scheduler", same: ["AVD-AWS-0038"] },
    RF_EKS_LOG_MINIMUM: {
      meaning: "every aws_eks_cluster enables at least audit and authenticator",
      differs: "CKV_AWS_37 wants all five; this minimum holds where that check is excepted for cost (dev, staging, sandbox)",
    },
    CKV_AWS_38: {
      meaning: "every aws_eks_cluster with a public endpoint (the default) lists public_access_cidrs, none of them 0.0.0.0/0 (the default)",
      same: ["AVD-AWS-0041"],
    },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const c of ctx.model.ofType("aws_eks_cluster")) {
      const enc = c.attrs.encryption_config;
      if (opaque(enc)) out.push(cannotDecide("CKV_AWS_58", c, "encryption_config is an expression"));
      else if (!blocks(enc).some((e) => list(e.resources).includes("secrets") && !!block(e.provider)?.key_arn)) {
        out.push(fail("CKV_AWS_58", c, "no encryption_config for 'secrets' with a KMS key_arn"));
      }
      const types = c.attrs.enabled_cluster_log_types;
      if (opaque(types)) {
        for (const id of ["CKV_AWS_37", "RF_EKS_LOG_MINIMUM"]) out.push(cannotDecide(id, c, "enabled_cluster_log_types is an expression"));
      } else {
        const on = list<string>(types);
        const missingAll = ALL_LOG_TYPES.filter((t) => !on.includes(t));
        if (missingAll.length) out.push(fail("CKV_AWS_37", c, `control-plane log types missing: ${missingAll.join(", ")}`));
        const missingMin = MINIMUM_LOG_TYPES.filter((t) => !on.includes(t));
        if (missingMin.length) out.push(fail("RF_EKS_LOG_MINIMUM", c, `control-plane log types missing: ${missingMin.join(", ")}`));
      }
      const pub = attr(c, "vpc_config.endpoint_public_access");
      if (opaque(pub)) out.push(cannotDecide("CKV_AWS_38", c, "vpc_config.endpoint_public_access is an expression"));
      else if (pub !== false && pub !== "false") {
        out.push(
          ...judge("CKV_AWS_38", c, "vpc_config.public_access_cidrs", (v) => list(v).length > 0 && !list(v).includes("0.0.0.0/0"), (v) =>
            list(v).length ? "public_access_cidrs contains 0.0.0.0/0" : "public endpoint without public_access_cidrs is open to 0.0.0.0/0",
          ),
        );
      }
    }
    return out;
  },
};
