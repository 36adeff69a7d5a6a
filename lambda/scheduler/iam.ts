/**
 * Least-privilege IAM statements for the scheduler function, as plain JSON (no cdktf here:
 * lambda/ never imports it). The ops stack turns them into the function's role policy:
 *
 *   const statements = schedulerPolicyStatements({ region, accountId, scheduleName, recordPrefix });
 *   new IamPolicy(this, "SchedulerPolicy", { policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });
 *
 * Writes are scoped twice where AWS allows: by ARN pattern (this account and region) and by
 * the resource's Schedule tag. Resource "*" is used only for list/read actions that AWS does
 * not scope to a resource (noted per statement).
 */

import { arnsIn, eksNodegroupRead, PolicyStatement } from "../shared/policy";

export type { PolicyStatement };

export interface SchedulerPolicyProps {
  readonly region: string;
  readonly accountId: string;
  /** Value of the Schedule tag the function acts on. */
  readonly scheduleName: string;
  /** SSM path of the stop records, e.g. /retail-forecast/dev/scheduler. */
  readonly recordPrefix: string;
  /** SSM parameter of the keep-alive override the function honours (read only). @default - none */
  readonly keepAliveParameter?: string;
  /**
   * Aliases (`alias/<name>`) of the KMS keys the scheduled endpoint configs name (CKV_AWS_98).
   * SageMaker creates a grant on that key with the caller's permissions when the endpoint is
   * recreated, so the scheduler needs kms:CreateGrant on it (for grants to AWS services only).
   * Aliases, not key ARNs: the compute stack's key is new after every restore, its alias is not.
   * @default - none: endpoints without a customer key
   */
  readonly endpointKmsKeyAliases?: readonly string[];
  /** @default "aws" */
  readonly partition?: string;
}

export function schedulerPolicyStatements(props: SchedulerPolicyProps): PolicyStatement[] {
  const { scheduleName } = props;
  const arn = arnsIn(props);
  if (!scheduleName || scheduleName.includes("*")) throw new Error(`scheduleName must be a non-empty tag value without *, got "${scheduleName}"`);
  if (!/^(\/[a-zA-Z0-9_.-]+)+$/.test(props.recordPrefix)) throw new Error(`recordPrefix must be an SSM path like /retail-forecast/dev/scheduler, got "${props.recordPrefix}"`);
  const tagged = { StringEquals: { "aws:ResourceTag/Schedule": scheduleName } };

  const aliases = props.endpointKmsKeyAliases ?? [];
  for (const a of aliases) if (!/^alias\/[\w/-]+$/.test(a) || a.startsWith("alias/aws/")) throw new Error(`endpointKmsKeyAliases must hold customer key aliases like alias/my-key, got "${a}"`);

  return [
    {
      // ListClusters is not resource-scoped in IAM; ListNodegroups/DescribeNodegroup are, by cluster/nodegroup ARN.
      Sid: "EksList",
      Effect: "Allow",
      Action: ["eks:ListClusters"],
      Resource: ["*"],
    },
    eksNodegroupRead("EksRead", arn),
    {
      Sid: "EksScaleScheduledNodegroups",
      Effect: "Allow",
      Action: ["eks:UpdateNodegroupConfig"],
      Resource: [arn("eks", "nodegroup/*/*/*")],
      Condition: tagged,
    },
    {
      // sagemaker:ListEndpoints is not resource-scoped in IAM.
      Sid: "SageMakerList",
      Effect: "Allow",
      Action: ["sagemaker:ListEndpoints"],
      Resource: ["*"],
    },
    {
      Sid: "SageMakerRead",
      Effect: "Allow",
      Action: ["sagemaker:DescribeEndpoint", "sagemaker:ListTags"],
      Resource: [arn("sagemaker", "endpoint/*")],
    },
    {
      // a start prices the hours it avoided from the config's instances (read only)
      Sid: "SageMakerReadEndpointConfigs",
      Effect: "Allow",
      Action: ["sagemaker:DescribeEndpointConfig"],
      Resource: [arn("sagemaker", "endpoint-config/*")],
    },
    {
      Sid: "SageMakerDeleteScheduledEndpoints",
      Effect: "Allow",
      Action: ["sagemaker:DeleteEndpoint"],
      Resource: [arn("sagemaker", "endpoint/*")],
      Condition: tagged,
    },
    {
      // CreateEndpoint is authorised against the new endpoint's request tags (it has no tags of
      // its own yet) and against the endpoint config it uses; AddTags comes with tags on create.
      Sid: "SageMakerRecreateScheduledEndpoints",
      Effect: "Allow",
      Action: ["sagemaker:CreateEndpoint", "sagemaker:AddTags"],
      Resource: [arn("sagemaker", "endpoint/*")],
      Condition: { StringEquals: { "aws:RequestTag/Schedule": scheduleName } },
    },
    {
      Sid: "SageMakerUseEndpointConfigs",
      Effect: "Allow",
      Action: ["sagemaker:CreateEndpoint"],
      Resource: [arn("sagemaker", "endpoint-config/*")],
    },
    {
      // events:ListRules is not resource-scoped in IAM.
      Sid: "EventsList",
      Effect: "Allow",
      Action: ["events:ListRules"],
      Resource: ["*"],
    },
    {
      Sid: "EventsRead",
      Effect: "Allow",
      Action: ["events:ListTagsForResource"],
      Resource: [arn("events", "rule/*")],
    },
    {
      Sid: "EventsToggleScheduledRules",
      Effect: "Allow",
      Action: ["events:DisableRule", "events:EnableRule"],
      Resource: [arn("events", "rule/*")],
      Condition: tagged,
    },
    {
      // GetMetricData is not resource-scoped in IAM (read only).
      Sid: "CloudWatchReadMetrics",
      Effect: "Allow",
      Action: ["cloudwatch:GetMetricData"],
      Resource: ["*"],
    },
    {
      Sid: "SsmStopRecords",
      Effect: "Allow",
      Action: ["ssm:PutParameter", "ssm:GetParameter", "ssm:GetParametersByPath", "ssm:DeleteParameter"],
      Resource: [arn("ssm", `parameter${props.recordPrefix}`), arn("ssm", `parameter${props.recordPrefix}/*`)],
    },
    ...(props.keepAliveParameter
      ? [{ Sid: "ReadKeepAlive", Effect: "Allow" as const, Action: ["ssm:GetParameter"], Resource: [arn("ssm", `parameter${props.keepAliveParameter}`)] }]
      : []),
    ...(aliases.length
      ? [
          {
            // Keys of this account and region that carry one of the aliases, for grants to AWS
            // services only (SageMaker's grant on the endpoint's storage).
            Sid: "KmsGrantForRecreatedEndpoints",
            Effect: "Allow" as const,
            Action: ["kms:CreateGrant"],
            Resource: [arn("kms", "key/*")],
            Condition: {
              Bool: { "kms:GrantIsForAWSResource": "true" },
              "ForAnyValue:StringEquals": { "kms:ResourceAliases": [...aliases] },
            },
          },
          {
            // Separate: kms:GrantIsForAWSResource is absent from DescribeKey requests, so a Bool
            // condition on it would deny them.
            Sid: "KmsDescribeEndpointKeys",
            Effect: "Allow" as const,
            Action: ["kms:DescribeKey"],
            Resource: [arn("kms", "key/*")],
            Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": [...aliases] } },
          },
        ]
      : []),
  ];
}
