/**
 * The IAM policy of the compute lifetime's CodeBuild role, as plain statements derived from the
 * environment's config and names (no cdktf here). The ops stack attaches them to the role the
 * build runs as (modules/compute-lifetime.ts); tests prove them (test/cli/ops/iam.test.ts); the
 * sandbox can run `ops teardown|restore` under them.
 *
 *   const statements = computeLifetimePolicyStatements(cfg);
 *   policyDocuments(statements)          // split into managed policies of at most 6,144 characters
 *
 * What the role does: the scheduled `ops teardown <env> --yes --scheduled` and `ops restore
 * <env> --scheduled`, i.e. Terraform on `<env>-compute` (VPC and its egress, EKS, node groups,
 * IAM roles of the cluster, the SageMaker endpoint), the ops CLI's checks, pause, clean-up and
 * verify, the run record in SSM and the alert.
 *
 * What bounds it:
 *  - this environment only: names and ARN prefixes derived from `<project>-<env>`, the
 *    environment's own state bucket and under it only `<project>/<env>/`, EC2 resources only
 *    when tagged (or created with the tag) Environment=<env>, and the environment's own account
 *    and region in every ARN;
 *  - the compute stack only: it can write the compute state key, not the data or ops ones, and
 *    has no permission on buckets, repositories, budgets or the ops stack's functions, so a
 *    scheduled run cannot destroy or deploy data or ops (the CLI refuses those runs earlier);
 *  - not its own permissions: IAM writes are allowed only on the compute stack's role names,
 *    managed policies only from a fixed list, and an explicit Deny covers its own role, its
 *    policies, its project, the schedules that start it and the ops stack's other roles.
 * Resource "*" is used only for actions IAM cannot scope (policy/rules/iam-wildcard-resource.ts).
 *
 *  - not above the boundary: it may create a compute role, write or remove its inline policies
 *    and attach or detach its managed policies only while the role carries the permissions
 *    boundary `names(cfg).computeBoundaryArn` (cli/ops/compute-boundary.ts, owned by the data
 *    stack), may never remove that boundary, and may never change the boundary policy. IAM has
 *    no condition on a policy's text, so the content of the inline policies it writes is bounded
 *    by the boundary instead: whatever it writes, a compute role can do no more than the boundary
 *    allows. See README "Compute lifetime", "What the build's role can do".
 */
import type { PolicyStatement } from "../../lambda/scheduler/iam";
import type { EnvironmentConfig } from "../../config/types";
import { names } from "../../config/naming";

/** AWS-managed policies the compute stack attaches (compute.ts, eks-cluster.ts): the only ones the role may attach. */
export const COMPUTE_MANAGED_POLICIES = [
  "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
  "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
  "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
] as const;

/** Service-linked roles a first compute deploy in an account may create. */
const SERVICE_LINKED = ["eks.amazonaws.com", "eks-nodegroup.amazonaws.com", "autoscaling.amazonaws.com", "elasticloadbalancing.amazonaws.com", "sagemaker.application-autoscaling.amazonaws.com"];

/** EC2 create calls the compute stack makes, each tagged Environment=<env> at creation (default_tags). */
export const EC2_CREATE_ACTIONS = [
  "ec2:CreateVpc", "ec2:CreateSubnet", "ec2:CreateInternetGateway", "ec2:CreateRouteTable", "ec2:AllocateAddress", "ec2:CreateNatGateway",
  "ec2:CreateVpcEndpoint", "ec2:CreateSecurityGroup", "ec2:CreateNetworkInterface", "ec2:CreateLaunchTemplate",
];

/** EC2 calls on what exists: allowed only on resources tagged Environment=<env>. */
const EC2_CHANGE_ACTIONS = [
  "ec2:ModifyVpcAttribute", "ec2:DeleteVpc", "ec2:ModifySubnetAttribute", "ec2:DeleteSubnet",
  "ec2:AttachInternetGateway", "ec2:DetachInternetGateway", "ec2:DeleteInternetGateway",
  "ec2:CreateRoute", "ec2:ReplaceRoute", "ec2:DeleteRoute", "ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:DeleteRouteTable",
  "ec2:AssociateAddress", "ec2:DisassociateAddress", "ec2:ReleaseAddress", "ec2:DeleteNatGateway", "ec2:ModifyVpcEndpoint", "ec2:DeleteVpcEndpoints",
  "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress", "ec2:DeleteSecurityGroup",
  "ec2:ModifyNetworkInterfaceAttribute", "ec2:DetachNetworkInterface", "ec2:DeleteNetworkInterface",
  "ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate", "ec2:DeleteLaunchTemplate", "ec2:CreateTags", "ec2:DeleteTags",
];

const IAM_ROLE_ACTIONS = [
  "iam:GetRole", "iam:DeleteRole", "iam:TagRole", "iam:UntagRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
  "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole", "iam:GetRolePolicy",
];

/**
 * Role actions that create a role or change its permissions: allowed on the compute roles only
 * with the compute boundary. For PutRolePermissionsBoundary the condition key is the boundary
 * being set; for the others, the boundary the role has (or, for CreateRole, is created with).
 */
export const BOUNDED_ROLE_ACTIONS = ["iam:CreateRole", "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:PutRolePermissionsBoundary"];

/** Everything that would change a role's permissions: denied on the build's own role and the ops stack's roles. */
export const PERMISSION_CHANGING_ACTIONS = [
  "iam:PutRolePolicy", "iam:DeleteRolePolicy", "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:UpdateAssumeRolePolicy",
  "iam:PutRolePermissionsBoundary", "iam:DeleteRolePermissionsBoundary", "iam:DeleteRole", "iam:UpdateRole", "iam:TagRole", "iam:UntagRole", "iam:PassRole",
  "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicyVersion", "iam:DeletePolicy",
];

export type LifetimePolicyConfig = Pick<EnvironmentConfig, "project" | "name" | "accountId" | "region" | "schedule" | "eks">;

/** The compute stack's IAM roles (compute.ts, eks-cluster.ts, nat-instance.ts), by name. */
export function computeRoleNames(cfg: LifetimePolicyConfig): string[] {
  const n = names(cfg);
  return [`${n.cluster}-cluster`, `${n.prefix}-node`, `${n.prefix}-cluster-autoscaler`, n.sagemakerRole, n.natInstance];
}

export function computeLifetimePolicyStatements(cfg: LifetimePolicyConfig, partition = "aws"): PolicyStatement[] {
  const n = names(cfg);
  const { region, accountId: account, project, name: env } = cfg;
  if (!/^\d{12}$/.test(account)) throw new Error(`accountId must be 12 digits, got "${account}"`);
  const arn = (service: string, resource: string) => `arn:${partition}:${service}:${region}:${account}:${resource}`;
  const iam = (resource: string) => `arn:${partition}:iam::${account}:${resource}`;
  const bucket = `arn:${partition}:s3:::${n.stateBucket}`;
  const state = (kind: string) => `${bucket}/${n.stateKey(kind)}`;
  const envTagged = { StringEquals: { "aws:ResourceTag/Environment": env } };
  const roles = computeRoleNames(cfg);
  const boundary = iam(`policy/${n.computeBoundaryPolicy}`);
  const passTo = (sid: string, role: string, service: string): PolicyStatement => ({
    Sid: sid,
    Effect: "Allow",
    Action: ["iam:PassRole"],
    Resource: [iam(`role/${role}`)],
    Condition: { StringEquals: { "iam:PassedToService": service } },
  });

  return [
    // ---- the ops CLI: who am I, state, locks, records, alert -------------------------------
    { Sid: "Identity", Effect: "Allow", Action: ["sts:GetCallerIdentity"], Resource: ["*"] },
    {
      // The environment's own state bucket: the CLI reads every stack's state (what is deployed),
      // locks and the pause record; CodeBuild fetches the source zip with this role.
      Sid: "ReadEnvironmentState",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:GetObjectVersion"],
      Resource: [`${bucket}/${project}/${env}/*`],
    },
    { Sid: "ListEnvironmentState", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketAcl", "s3:GetBucketVersioning"], Resource: [bucket] },
    {
      // Written: the compute stack's state and its Terraform lock, the run lock, the pause record. Never the data or ops state.
      Sid: "WriteComputeState",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:DeleteObject"],
      Resource: [state("compute"), `${state("compute")}.tflock`, `${bucket}/${project}/${env}/ops-run.lock`, `${bucket}/${project}/${env}/ops-paused.json`],
    },
    {
      Sid: "LifetimeRecords",
      Effect: "Allow",
      Action: ["ssm:GetParameter", "ssm:PutParameter"],
      Resource: [arn("ssm", `parameter${n.lifetimeParameterPrefix}/*`)],
    },
    {
      // The scheduler's stop records of compute resources go with them (teardown clean-up).
      Sid: "SchedulerRecords",
      Effect: "Allow",
      Action: ["ssm:GetParametersByPath", "ssm:GetParameter", "ssm:DeleteParameter"],
      Resource: [arn("ssm", `parameter${n.schedulerRecordPrefix}`), arn("ssm", `parameter${n.schedulerRecordPrefix}/*`)],
    },
    { Sid: "BuildLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [arn("logs", `log-group:${n.lifetimeLogGroup}`), arn("logs", `log-group:${n.lifetimeLogGroup}:*`)] },
    { Sid: "Alert", Effect: "Allow", Action: ["sns:Publish"], Resource: [n.alertTopicArn] },
    {
      Sid: "AlertKey",
      Effect: "Allow",
      Action: ["kms:GenerateDataKey", "kms:Decrypt"],
      Resource: [arn("kms", "key/*")],
      Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": [`alias/${n.alertTopic}`] } },
    },

    // ---- pause and resume the scheduler while compute is gone -----------------------------
    {
      // ListSchedules, ListRules and the read-only listings below are not resource-scoped in IAM.
      Sid: "ListUnscopable",
      Effect: "Allow",
      Action: [
        "scheduler:ListSchedules", "events:ListRules", "tag:GetResources", "eks:ListClusters", "sagemaker:ListEndpoints", "sagemaker:ListEndpointConfigs",
        "elasticloadbalancing:Describe*", "ec2:Describe*", "autoscaling:Describe*", "application-autoscaling:Describe*", "logs:DescribeLogGroups", "kms:ListAliases",
      ],
      Resource: ["*"],
    },
    { Sid: "PauseSchedulerSchedules", Effect: "Allow", Action: ["scheduler:GetSchedule", "scheduler:UpdateSchedule"], Resource: [arn("scheduler", `schedule/default/${n.schedulerSchedule("*")}`)] },
    // resume sends the schedule's target back unchanged, role included
    passTo("PassSchedulerScheduleRole", n.schedulerScheduleRole, "scheduler.amazonaws.com"),
    { Sid: "PauseTaggedRules", Effect: "Allow", Action: ["events:ListTagsForResource", "events:DisableRule", "events:EnableRule", "events:DescribeRule"], Resource: [arn("events", "rule/*")], Condition: envTagged },

    // ---- clean-up of what Kubernetes and people created, and verify --------------------------
    { Sid: "ReadEndpointTags", Effect: "Allow", Action: ["sagemaker:ListTags"], Resource: [arn("sagemaker", "endpoint/*"), arn("sagemaker", "endpoint-config/*")] },
    {
      Sid: "KubernetesLoadBalancers",
      Effect: "Allow",
      Action: ["elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:DeleteTargetGroup"],
      Resource: [arn("elasticloadbalancing", "loadbalancer/*"), arn("elasticloadbalancing", "targetgroup/*")],
      Condition: { StringEquals: { "aws:ResourceTag/elbv2.k8s.aws/cluster": n.cluster } },
    },
    {
      Sid: "KubernetesSecurityGroups",
      Effect: "Allow",
      Action: ["ec2:DeleteSecurityGroup"],
      Resource: [arn("ec2", "security-group/*")],
      Condition: { StringLike: { [`aws:ResourceTag/kubernetes.io/cluster/${n.cluster}`]: "*" } },
    },

    // ---- Terraform on <env>-compute -----------------------------------------------------------
    { Sid: "Ec2CreateTagged", Effect: "Allow", Action: EC2_CREATE_ACTIONS, Resource: [arn("ec2", "*")], Condition: { StringEquals: { "aws:RequestTag/Environment": env } } },
    { Sid: "Ec2TagOnCreate", Effect: "Allow", Action: ["ec2:CreateTags"], Resource: [arn("ec2", "*")], Condition: { StringEquals: { "ec2:CreateAction": [...EC2_CREATE_ACTIONS.map((a) => a.slice(4)), "RunInstances"] } } },
    { Sid: "Ec2ChangeTagged", Effect: "Allow", Action: EC2_CHANGE_ACTIONS, Resource: [arn("ec2", "*")], Condition: envTagged },
    {
      // Auto Scaling and EKS check that the caller could launch what a launch template describes.
      Sid: "Ec2LaunchFromTemplates",
      Effect: "Allow",
      Action: ["ec2:RunInstances"],
      Resource: [arn("ec2", "*"), `arn:${partition}:ec2:${region}::image/*`],
    },
    {
      Sid: "NatInstanceGroup",
      Effect: "Allow",
      Action: ["autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup", "autoscaling:DeleteAutoScalingGroup", "autoscaling:CreateOrUpdateTags", "autoscaling:DeleteTags"],
      Resource: [arn("autoscaling", `autoScalingGroup:*:autoScalingGroupName/${n.prefix}-*`)],
    },
    { Sid: "KmsCreateTagged", Effect: "Allow", Action: ["kms:CreateKey"], Resource: ["*"], Condition: { StringEquals: { "aws:RequestTag/Environment": env } } },
    {
      Sid: "KmsComputeKey",
      Effect: "Allow",
      Action: [
        "kms:DescribeKey", "kms:GetKeyPolicy", "kms:PutKeyPolicy", "kms:GetKeyRotationStatus", "kms:EnableKeyRotation", "kms:ListResourceTags", "kms:TagResource",
        "kms:UntagResource", "kms:ScheduleKeyDeletion", "kms:CreateGrant", "kms:UpdateKeyDescription",
      ],
      Resource: [arn("kms", "key/*")],
      Condition: envTagged,
    },
    { Sid: "KmsComputeAlias", Effect: "Allow", Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"], Resource: [arn("kms", n.computeKeyAlias), arn("kms", "key/*")] },
    {
      Sid: "EksCluster",
      Effect: "Allow",
      Action: [
        "eks:CreateCluster", "eks:DescribeCluster", "eks:DeleteCluster", "eks:UpdateClusterConfig", "eks:UpdateClusterVersion", "eks:DescribeUpdate", "eks:ListUpdates",
        "eks:ListNodegroups", "eks:CreateNodegroup", "eks:TagResource", "eks:UntagResource", "eks:ListTagsForResource",
      ],
      Resource: [arn("eks", `cluster/${n.cluster}`)],
    },
    {
      Sid: "EksNodegroups",
      Effect: "Allow",
      Action: [
        "eks:DescribeNodegroup", "eks:DeleteNodegroup", "eks:UpdateNodegroupConfig", "eks:UpdateNodegroupVersion", "eks:DescribeUpdate", "eks:ListUpdates",
        "eks:TagResource", "eks:UntagResource", "eks:ListTagsForResource",
      ],
      Resource: [arn("eks", `nodegroup/${n.cluster}/*/*`)],
    },
    { Sid: "ComputeRoles", Effect: "Allow", Action: IAM_ROLE_ACTIONS, Resource: roles.map((r) => iam(`role/${r}`)) },
    {
      // iam:PermissionsBoundary on these actions is how AWS lets a principal create roles and
      // write their policies without handing out more than a ceiling: IAM User Guide,
      // "Permissions boundaries for IAM entities", delegating responsibility to others
      // (https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html) and the
      // key's entry in "IAM and AWS STS condition context keys"
      // (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html#ck_PermissionsBoundary).
      Sid: "ComputeRolesWithinBoundary",
      Effect: "Allow",
      Action: BOUNDED_ROLE_ACTIONS,
      Resource: roles.map((r) => iam(`role/${r}`)),
      Condition: { StringEquals: { "iam:PermissionsBoundary": boundary } },
    },
    {
      Sid: "ComputeRolesManagedPolicies",
      Effect: "Allow",
      Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
      Resource: roles.map((r) => iam(`role/${r}`)),
      Condition: { ArnEquals: { "iam:PolicyARN": [...COMPUTE_MANAGED_POLICIES] }, StringEquals: { "iam:PermissionsBoundary": boundary } },
    },
    // a role without its boundary would be unbounded: never, whatever an Allow says
    { Sid: "DenyRemovingComputeBoundary", Effect: "Deny", Action: ["iam:DeleteRolePermissionsBoundary"], Resource: roles.map((r) => iam(`role/${r}`)) },
    {
      Sid: "NatInstanceProfile",
      Effect: "Allow",
      Action: ["iam:CreateInstanceProfile", "iam:DeleteInstanceProfile", "iam:GetInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:TagInstanceProfile", "iam:UntagInstanceProfile"],
      Resource: [iam(`instance-profile/${n.natInstance}`)],
    },
    passTo("PassClusterRole", `${n.cluster}-cluster`, "eks.amazonaws.com"),
    passTo("PassNodeRole", `${n.prefix}-node`, "eks.amazonaws.com"),
    passTo("PassSageMakerRole", n.sagemakerRole, "sagemaker.amazonaws.com"),
    passTo("PassNatInstanceRole", n.natInstance, "ec2.amazonaws.com"),
    {
      Sid: "ClusterOidcProvider",
      Effect: "Allow",
      Action: [
        "iam:CreateOpenIDConnectProvider", "iam:GetOpenIDConnectProvider", "iam:DeleteOpenIDConnectProvider", "iam:TagOpenIDConnectProvider", "iam:UntagOpenIDConnectProvider",
        "iam:UpdateOpenIDConnectProviderThumbprint",
      ],
      Resource: [iam(`oidc-provider/oidc.eks.${region}.amazonaws.com/id/*`)],
    },
    { Sid: "ServiceLinkedRoles", Effect: "Allow", Action: ["iam:CreateServiceLinkedRole"], Resource: [iam("role/aws-service-role/*")], Condition: { StringEquals: { "iam:AWSServiceName": SERVICE_LINKED } } },
    {
      Sid: "SageMakerEndpoint",
      Effect: "Allow",
      Action: [
        "sagemaker:CreateModel", "sagemaker:DescribeModel", "sagemaker:DeleteModel", "sagemaker:CreateEndpointConfig", "sagemaker:DescribeEndpointConfig", "sagemaker:DeleteEndpointConfig",
        "sagemaker:CreateEndpoint", "sagemaker:DescribeEndpoint", "sagemaker:DeleteEndpoint", "sagemaker:UpdateEndpoint", "sagemaker:AddTags", "sagemaker:DeleteTags", "sagemaker:ListTags",
      ],
      Resource: [arn("sagemaker", `model/${n.prefix}-*`), arn("sagemaker", `endpoint-config/${n.prefix}-*`), arn("sagemaker", `endpoint/${n.prefix}-*`)],
    },
    {
      // The real-time endpoint's scaling target and policy (prod and sandbox); their ids are generated.
      Sid: "EndpointAutoscaling",
      Effect: "Allow",
      Action: [
        "application-autoscaling:RegisterScalableTarget", "application-autoscaling:DeregisterScalableTarget", "application-autoscaling:PutScalingPolicy",
        "application-autoscaling:DeleteScalingPolicy", "application-autoscaling:TagResource", "application-autoscaling:UntagResource", "application-autoscaling:ListTagsForResource",
      ],
      Resource: [arn("application-autoscaling", "scalable-target/*")],
    },

    // ---- never its own permissions --------------------------------------------------------------
    {
      Sid: "DenyOwnAndOpsPermissions",
      Effect: "Deny",
      Action: PERMISSION_CHANGING_ACTIONS,
      // the compute boundary too: a build that could rewrite it could raise every compute role's ceiling
      Resource: [
        iam(`role/${n.lifetimeRole}`), iam(`policy/${n.lifetimeRole}-*`), iam(`role/${n.lifetimeScheduleRole}`), iam(`role/${n.schedulerFunction}`),
        boundary,
      ],
    },
    {
      // the scheduler's schedule role: passed back unchanged on resume, never changed
      Sid: "DenySchedulerScheduleRoleChanges",
      Effect: "Deny",
      Action: PERMISSION_CHANGING_ACTIONS.filter((a) => a !== "iam:PassRole"),
      Resource: [iam(`role/${n.schedulerScheduleRole}`)],
    },
    {
      Sid: "DenyOwnProjectAndSchedules",
      Effect: "Deny",
      Action: [
        "codebuild:UpdateProject", "codebuild:DeleteProject", "codebuild:CreateProject", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule", "scheduler:CreateSchedule",
        "events:PutRule", "events:PutTargets", "events:DeleteRule", "events:RemoveTargets",
      ],
      Resource: [arn("codebuild", `project/${n.lifetimeProject}`), arn("scheduler", `schedule/default/${n.lifetimeSchedule("*")}`), arn("events", `rule/${n.lifetimeFailureRule}`)],
    },
  ];
}

/** The statements as managed-policy documents of at most `limit` characters each (IAM's limit is 6,144, whitespace not counted). */
export function policyDocuments(statements: readonly PolicyStatement[], limit = 6144): string[] {
  const docs: PolicyStatement[][] = [[]];
  const size = (s: readonly PolicyStatement[]) => JSON.stringify({ Version: "2012-10-17", Statement: s }).length;
  for (const s of statements) {
    if (size([s]) > limit) throw new Error(`statement ${s.Sid} alone is ${size([s])} characters, over the ${limit} of a managed policy`);
    const cur = docs[docs.length - 1];
    if (size([...cur, s]) > limit) docs.push([s]);
    else cur.push(s);
  }
  return docs.map((d) => JSON.stringify({ Version: "2012-10-17", Statement: d }));
}
