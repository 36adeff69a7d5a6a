import { PolicyRule, RuleContext } from "../types";
import { identityStatements } from "./iam-documents";

/**
 * Actions AWS does not let a policy scope to a resource (the Service Authorization Reference
 * lists no resource type for them), so Resource "*" is the only form they take.
 */
export const UNSCOPABLE_ACTIONS: readonly RegExp[] = [
  /^ec2:Describe\w+$/,
  /^ec2:GetInstanceTypesFromInstanceRequirements$/,
  /^cloudwatch:PutMetricData$/,
  /^autoscaling:Describe\w+$/,
  /^eks:(ListClusters|DescribeAddonVersions)$/,
  /^sagemaker:(ListEndpoints|ListEndpointConfigs|ListModels|ListTrainingJobs|Search)$/,
  /^events:ListRules$/,
  /^tag:GetResources$/,
  /^cloudwatch:(GetMetricData|GetMetricStatistics|ListMetrics)$/,
  /^xray:(PutTraceSegments|PutTelemetryRecords)$/,
  /^ssm:DescribeParameters$/,
  /^ecr:GetAuthorizationToken$/,
  /^ce:\w+$/,
  /^sts:GetCallerIdentity$/,
];

export const IamNoWildcardResource: PolicyRule = {
  id: "CKV_AWS_355",
  aliases: ["AVD-AWS-0057", "AwsSolutions-IAM5"],
  description: "No Resource '*' for actions that can be scoped to resources",
  check(ctx: RuleContext) {
    return identityStatements(ctx)
      .filter((s) => s.effect === "Allow" && s.resources.includes("*"))
      .flatMap((s) => {
        const scopable = s.actions.filter((a) => !UNSCOPABLE_ACTIONS.some((re) => re.test(a)));
        return scopable.length
          ? [ctx.violation(this, s.resource, `statement ${s.sid} grants ${scopable.join(", ")} on Resource "*" although they can be scoped`)]
          : [];
      });
  },
};
