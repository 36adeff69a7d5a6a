import { attr, cannotDecide, fail, Finding, opaque, Rule, RuleContext } from "../rule";

/**
 * End of standard support per Kubernetes minor version (AWS EKS version calendar); extended
 * support runs 12 months longer at 6x the control-plane price ($0.60/h instead of $0.10/h).
 * Add a line when EKS releases a version.
 */
export const EKS_STANDARD_SUPPORT_END: Readonly<Record<string, string>> = {
  "1.28": "2024-11-26",
  "1.29": "2025-03-23",
  "1.30": "2025-07-23",
  "1.31": "2025-11-26",
  "1.32": "2026-03-23",
  "1.33": "2026-07-29",
  "1.34": "2026-12-02",
  "1.35": "2027-03-27",
};

const plusYear = (d: string) => `${Number(d.slice(0, 4)) + 1}${d.slice(4)}`;

export const EksVersion: Rule = {
  name: "eks-version",
  checks: {
    CKV_AWS_339: { meaning: "every aws_eks_cluster that sets version runs one EKS still supports (standard or extended support) on the day of the scan" },
    RF_EKS_STANDARD_SUPPORT: {
      meaning: "every aws_eks_cluster runs a version in standard support on the day of the scan",
      differs: "CKV_AWS_339 accepts extended support, which bills the control plane at 6x",
    },
    RF_EKS_SUPPORT_TYPE: {
      meaning: "every aws_eks_cluster sets upgrade_policy.support_type explicitly, and to STANDARD outside prod",
      differs: "no public check: without upgrade_policy EKS moves a cluster whose version leaves standard support to extended support ($0.60/h instead of $0.10/h, +$365/month) instead of upgrading it",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const today = ctx.asOf.toISOString().slice(0, 10);
    for (const c of ctx.model.ofType("aws_eks_cluster")) {
      const support = attr(c, "upgrade_policy.support_type");
      if (opaque(support)) out.push(cannotDecide("RF_EKS_SUPPORT_TYPE", c, `upgrade_policy.support_type is the expression ${String(support)}`));
      else if (support === undefined) out.push(fail("RF_EKS_SUPPORT_TYPE", c, "no upgrade_policy.support_type: EKS applies EXTENDED (6x the control-plane price) once the version leaves standard support"));
      else if (support !== "STANDARD" && ctx.env(c.stack) !== "prod") {
        out.push(fail("RF_EKS_SUPPORT_TYPE", c, `upgrade_policy.support_type is ${String(support)} outside prod: STANDARD upgrades the cluster instead of billing extended support`));
      }
      const v = attr(c, "version");
      if (v === undefined) continue; // EKS picks its current default
      if (opaque(v)) {
        for (const id of ["CKV_AWS_339", "RF_EKS_STANDARD_SUPPORT"]) out.push(cannotDecide(id, c, `version is the expression ${String(v)}`));
        continue;
      }
      const end = EKS_STANDARD_SUPPORT_END[String(v)];
      if (!end) {
        const known = Object.keys(EKS_STANDARD_SUPPORT_END);
        const newer = Number(String(v).split(".")[1]) > Number(known[known.length - 1].split(".")[1]);
        if (newer) {
          for (const id of ["CKV_AWS_339", "RF_EKS_STANDARD_SUPPORT"]) out.push(cannotDecide(id, c, `version ${v} is newer than the support calendar in policy/rules/eks-version.ts`));
        } else out.push(fail("CKV_AWS_339", c, `version ${v} is past the end of EKS support`), fail("RF_EKS_STANDARD_SUPPORT", c, `version ${v} is past the end of EKS support`));
        continue;
      }
      if (today > plusYear(end)) out.push(fail("CKV_AWS_339", c, `version ${v} left extended support on ${plusYear(end)}`));
      if (today > end) out.push(fail("RF_EKS_STANDARD_SUPPORT", c, `version ${v} left standard support on ${end}: the control plane bills at the extended-support rate (6x)`));
    }
    return out;
  },
};
