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
import type { PolicyStatement } from "../lambda/scheduler/iam";

export interface CostReportPolicyProps {
  readonly region: string;
  readonly accountId: string;
  /** @default "aws" */
  readonly partition?: string;
}

export function costReportPolicyStatements(props: CostReportPolicyProps): PolicyStatement[] {
  const { region, accountId } = props;
  const p = props.partition ?? "aws";
  if (!/^\d{12}$/.test(accountId)) throw new Error(`accountId must be 12 digits, got "${accountId}"`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`region must look like eu-west-1, got "${region}"`);
  const arn = (service: string, resource: string) => `arn:${p}:${service}:${region}:${accountId}:${resource}`;
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
    {
      Sid: "EksReadNodegroups",
      Effect: "Allow",
      Action: ["eks:ListNodegroups", "eks:DescribeNodegroup"],
      Resource: [arn("eks", "cluster/*"), arn("eks", "nodegroup/*/*/*")],
    },
    {
      Sid: "EcrReadRepositories",
      Effect: "Allow",
      Action: ["ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:DescribeImages"],
      Resource: [arn("ecr", "repository/*")],
    },
  ];
}
