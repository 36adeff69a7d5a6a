/**
 * Least-privilege, read-only IAM statements for `cost report` (cost/report.ts), as plain JSON.
 * The ops stack gives them to the cost reader role (modules/cost-reader-role.ts):
 *
 *   new CostReaderRole(this, "CostReader", { roleName, trustedPrincipalArns,
 *     statements: costReportPolicyStatements({ region, accountId }) });
 *
 * One statement per call site of the report, so a denial names what stopped working. Reads only:
 * no action here can change anything. Resource "*" only where the Service Authorization
 * Reference lists no resource type (policy/rules/iam-wildcard-resource.ts UNSCOPABLE_ACTIONS);
 * bucket ARNs carry no account, so GetLifecycleConfiguration covers every bucket the caller's
 * account can see (the report looks at every bucket of the account by design).
 */
import { AccountRegion, arnsIn, eksNodegroupRead, PolicyStatement } from "../lambda/shared/policy";

export function costReportPolicyStatements(props: AccountRegion): PolicyStatement[] {
  const arn = arnsIn(props);
  const p = props.partition ?? "aws";
  return [
    // GetCostAndUsage has no resource type; Cost Explorer answers for the whole account.
    { Sid: "CostExplorer", Effect: "Allow", Action: ["ce:GetCostAndUsage"], Resource: ["*"] },
    { Sid: "S3ListBuckets", Effect: "Allow", Action: ["s3:ListAllMyBuckets"], Resource: ["*"] },
    { Sid: "S3ReadLifecycle", Effect: "Allow", Action: ["s3:GetLifecycleConfiguration"], Resource: [`arn:${p}:s3:::*`] },
    { Sid: "LogsListGroups", Effect: "Allow", Action: ["logs:DescribeLogGroups"], Resource: ["*"] },
    { Sid: "SageMakerListEndpoints", Effect: "Allow", Action: ["sagemaker:ListEndpoints"], Resource: ["*"] },
    {
      Sid: "SageMakerReadEndpoints",
      Effect: "Allow",
      Action: ["sagemaker:DescribeEndpoint", "sagemaker:DescribeEndpointConfig"],
      Resource: [arn("sagemaker", "endpoint/*"), arn("sagemaker", "endpoint-config/*")],
    },
    { Sid: "CloudWatchReadMetrics", Effect: "Allow", Action: ["cloudwatch:GetMetricStatistics"], Resource: ["*"] },
    { Sid: "EksListClusters", Effect: "Allow", Action: ["eks:ListClusters"], Resource: ["*"] },
    eksNodegroupRead("EksReadNodegroups", arn),
    {
      Sid: "EcrReadRepositories",
      Effect: "Allow",
      Action: ["ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:DescribeImages"],
      Resource: [arn("ecr", "repository/*")],
    },
  ];
}
