import { actionMatches } from "../../terraform";
import { fail, Finding, Rule, RuleContext } from "../rule";
import { label, statements } from "./iam-documents";

/**
 * Actions the Service Authorization Reference lists with no resource type, so Resource "*" is
 * the only form they take. Kept for the services this platform calls; an action missing here
 * counts as scopable (the strict side). Patterns match case-insensitively, wildcards included:
 * `ec2:Describe*` is unscopable because every action it expands to is.
 */
export const UNSCOPABLE_ACTIONS: readonly string[] = [
  "ec2:Describe*",
  "ec2:GetInstanceTypesFromInstanceRequirements",
  "autoscaling:Describe*",
  "application-autoscaling:Describe*",
  "elasticloadbalancing:Describe*",
  "scheduler:ListSchedules",
  "kms:CreateKey",
  "eks:ListClusters",
  "eks:DescribeAddonVersions",
  "sagemaker:ListEndpoints",
  "sagemaker:ListEndpointConfigs",
  "sagemaker:ListModels",
  "sagemaker:ListTrainingJobs",
  "sagemaker:Search",
  "events:ListRules",
  "scheduler:ListSchedules",
  "tag:GetResources",
  "cloudwatch:PutMetricData",
  "cloudwatch:GetMetricData",
  "cloudwatch:GetMetricStatistics",
  "cloudwatch:ListMetrics",
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "ssm:DescribeParameters",
  "ecr:GetAuthorizationToken",
  "ce:*",
  "budgets:ViewBudget",
  "sts:GetCallerIdentity",
  "kms:ListKeys",
  "kms:ListAliases",
  "s3:ListAllMyBuckets",
  "iam:ListRoles",
  "logs:DescribeLogGroups",
];

/** Whether every action `pattern` can expand to is unscopable. */
function unscopable(pattern: string): boolean {
  // a wildcard in `pattern` is matched literally by a wildcard of the list, so "ec2:Describe*"
  // is covered by "ec2:Describe*" but "ec2:*" is not
  return UNSCOPABLE_ACTIONS.some((u) => actionMatches(u, pattern));
}

export const IamWildcardResource: Rule = {
  name: "iam-wildcard-resource",
  checks: {
    CKV_AWS_355: {
      meaning:
        "no identity policy has an Allow statement granting, on Resource \"*\", an action that can be scoped to a resource (restrictable per the Service Authorization Reference)",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const { located, undecided } = statements(ctx, ["identity"], ["CKV_AWS_355"]);
    const out = [...undecided];
    for (const l of located) {
      if (l.s.effect !== "Allow" || !l.s.resources.includes("*")) continue;
      const scopable = l.s.notActions.length ? ["(NotAction: everything else)"] : l.s.actions.filter((a) => !unscopable(a));
      if (scopable.length) out.push(fail("CKV_AWS_355", l.doc.owner, `${label(l)} grants ${scopable.join(", ")} on Resource "*" although they can be scoped`));
    }
    return out;
  },
};
