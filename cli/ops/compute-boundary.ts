/**
 * The permissions boundary of the compute stack's IAM roles, as plain statements (no cdktf).
 * The data stack creates it as the managed policy `names(cfg).computeBoundaryPolicy`; every role
 * of the compute stack carries it (modules/iam.ts `PermissionsBoundary`, applied by
 * stacks/compute.ts); the compute lifetime's build may create those roles and write their
 * policies only with it attached (cli/ops/iam.ts).
 *
 *   const statements = computeBoundaryStatements(cfg);
 *
 * Why: the build tears down and recreates the compute stack every night, so it must create its
 * roles and write their inline policies, and IAM has no condition on a policy's text. Without a
 * boundary, whoever controls the build's source or environment could write `"*"` on `"*"` onto
 * the node or NAT role and run code on an instance with it: the build's role would be an
 * administrator in all but name. With it, a role's effective permissions are the intersection of
 * its policies and this document, whatever the build writes.
 *
 * What it allows is the ceiling of what the compute roles legitimately do: their own inline
 * statements (the NAT instance's, the cluster autoscaler's, the SageMaker role's) and the
 * AWS-managed policies they attach (COMPUTE_MANAGED_POLICIES: AmazonEKSClusterPolicy,
 * AmazonEKSWorkerNodePolicy, AmazonEKS_CNI_Policy, AmazonEC2ContainerRegistryReadOnly), each
 * limited to this environment's account and region where IAM can scope it, and nothing else.
 * A boundary is an intersection, so an action missing here is denied even if a role's policy
 * grants it; the explicit Denies below say the intent for the actions that matter most and stay
 * in force if someone widens the Allows later.
 */
import { arnsIn, PolicyStatement } from "../../lambda/shared/policy";
import type { EnvironmentConfig } from "../../config/types";
import { names } from "../../config/naming";

export type BoundaryConfig = Pick<EnvironmentConfig, "project" | "name" | "accountId" | "region">;

/**
 * IAM writes denied to every bounded role: everything that creates or changes an identity, a
 * credential or a policy, and iam:PassRole. Wildcards cover families (Put*, Attach*, Update*, ...);
 * the Create actions are listed one by one because iam:CreateServiceLinkedRole is the one IAM
 * action a compute role needs (below).
 */
export const BOUNDARY_DENIED_IAM_ACTIONS = [
  "iam:Add*", "iam:Attach*", "iam:Change*", "iam:CreateAccessKey", "iam:CreateAccountAlias", "iam:CreateGroup", "iam:CreateInstanceProfile", "iam:CreateLoginProfile",
  "iam:CreateOpenIDConnectProvider", "iam:CreatePolicy", "iam:CreatePolicyVersion", "iam:CreateRole", "iam:CreateSAMLProvider", "iam:CreateServiceSpecificCredential",
  "iam:CreateUser", "iam:CreateVirtualMFADevice", "iam:Deactivate*", "iam:Delete*", "iam:Detach*", "iam:Disable*", "iam:Enable*", "iam:PassRole", "iam:Put*",
  "iam:Remove*", "iam:Reset*", "iam:Resync*", "iam:Set*", "iam:Tag*", "iam:Untag*", "iam:Update*", "iam:Upload*",
];

export function computeBoundaryStatements(cfg: BoundaryConfig, partition = "aws"): PolicyStatement[] {
  const n = names(cfg);
  const { region, accountId: account } = cfg;
  const arn = arnsIn({ region, accountId: account, partition }); // validates both
  const allow = (Sid: string, Action: string[], Resource: string[]): PolicyStatement => ({ Sid, Effect: "Allow", Action, Resource });
  const platformBuckets = [n.dataBucket, n.modelsBucket, n.artifactsBucket].map((b) => `arn:${partition}:s3:::${b}`);

  return [
    // Reads IAM cannot scope to a resource (Service Authorization Reference): EKS's control
    // plane, the VPC CNI, the node agent, the autoscaler and the NAT boot script describe EC2,
    // Auto Scaling and load balancers; SageMaker and the nodes log in to ECR; SageMaker
    // publishes its metrics (its own policy limits the namespace).
    allow("UnscopableReads", [
      "ec2:Describe*", "ec2:GetInstanceTypesFromInstanceRequirements", "autoscaling:Describe*", "elasticloadbalancing:Describe*", "ecr:GetAuthorizationToken",
      "cloudwatch:PutMetricData",
    ], ["*"]),
    // AmazonEKSClusterPolicy (volumes, security groups, routes, instance attributes for the
    // cloud provider), AmazonEKS_CNI_Policy (pod network interfaces and their IPs) and the NAT
    // instance's takeover of its fixed interface: EC2 in this account and region only.
    allow("Ec2InAccountRegion", [
      "ec2:AttachVolume", "ec2:DetachVolume", "ec2:CreateVolume", "ec2:DeleteVolume", "ec2:ModifyVolume", "ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup",
      "ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:CreateRoute", "ec2:DeleteRoute", "ec2:CreateTags", "ec2:ModifyInstanceAttribute",
      "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:AttachNetworkInterface", "ec2:DetachNetworkInterface", "ec2:ModifyNetworkInterfaceAttribute",
      "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses",
    ], [arn("ec2", "*")]),
    // AmazonEKSClusterPolicy: the load balancers of Kubernetes Services, in this account and region.
    allow("LoadBalancersInAccountRegion", [
      "elasticloadbalancing:AddTags", "elasticloadbalancing:ApplySecurityGroupsToLoadBalancer", "elasticloadbalancing:AttachLoadBalancerToSubnets",
      "elasticloadbalancing:ConfigureHealthCheck", "elasticloadbalancing:CreateListener", "elasticloadbalancing:CreateLoadBalancer",
      "elasticloadbalancing:CreateLoadBalancerListeners", "elasticloadbalancing:CreateLoadBalancerPolicy", "elasticloadbalancing:CreateTargetGroup",
      "elasticloadbalancing:DeleteListener", "elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:DeleteLoadBalancerListeners",
      "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:DeregisterInstancesFromLoadBalancer", "elasticloadbalancing:DeregisterTargets",
      "elasticloadbalancing:DetachLoadBalancerFromSubnets", "elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyLoadBalancerAttributes",
      "elasticloadbalancing:ModifyTargetGroup", "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:RegisterInstancesWithLoadBalancer",
      "elasticloadbalancing:RegisterTargets", "elasticloadbalancing:SetLoadBalancerPoliciesForBackendServer", "elasticloadbalancing:SetLoadBalancerPoliciesOfListener",
    ], [arn("elasticloadbalancing", "*")]),
    // AmazonEKSClusterPolicy updates groups; the cluster autoscaler scales and trims them (its
    // own policy: only groups tagged for this cluster).
    allow("AutoScalingGroupsInAccountRegion", ["autoscaling:UpdateAutoScalingGroup", "autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"], [arn("autoscaling", "autoScalingGroup:*:autoScalingGroupName/*")]),
    // AmazonEKSWorkerNodePolicy (the node reads its cluster; EKS Pod Identity's agent) and the
    // autoscaler's node group reads: this environment's cluster only.
    allow("OwnCluster", ["eks:DescribeCluster", "eks:DescribeNodegroup", "eks-auth:AssumeRoleForPodIdentity"], [arn("eks", `cluster/${n.cluster}`), arn("eks", `nodegroup/${n.cluster}/*/*`)]),
    // AmazonEKSClusterPolicy reads keys (the cluster's secrets key).
    allow("DescribeKeys", ["kms:DescribeKey"], [arn("kms", "key/*")]),
    // AmazonEC2ContainerRegistryReadOnly and the SageMaker role: pull only, from this region's
    // registries of any account (the platform's repositories; EKS's add-on images and
    // SageMaker's framework images live in AWS's accounts). No push, no repository change.
    allow("PullImages", [
      "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "ecr:GetRepositoryPolicy", "ecr:DescribeRepositories", "ecr:ListImages",
      "ecr:DescribeImages", "ecr:GetLifecyclePolicy", "ecr:GetLifecyclePolicyPreview", "ecr:ListTagsForResource", "ecr:DescribeImageScanFindings",
    ], [`arn:${partition}:ecr:${region}:*:repository/*`]),
    // The SageMaker role: objects of the platform's three buckets (never the state or backup bucket).
    allow("PlatformObjects", ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"], platformBuckets.map((b) => `${b}/*`)),
    allow("ListPlatformBuckets", ["s3:ListBucket"], platformBuckets),
    // The SageMaker role: its training and endpoint logs.
    allow("SageMakerLogs", ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], [arn("logs", "log-group:/aws/sagemaker/*")]),
    {
      // The one IAM action a compute role needs (AmazonEKSClusterPolicy): the load balancers'
      // service-linked role, which is AWS's own and grants the caller nothing.
      Sid: "LoadBalancerServiceLinkedRole",
      Effect: "Allow",
      Action: ["iam:CreateServiceLinkedRole"],
      Resource: [`arn:${partition}:iam::${account}:role/aws-service-role/elasticloadbalancing.amazonaws.com/*`],
      Condition: { StringEquals: { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" } },
    },

    // ---- never identities, other roles, the organization or the account --------------------
    // No compute role needs any of these. IRSA (the cluster autoscaler) is sts:AssumeRoleWithWebIdentity
    // called by the pod with its own token, unsigned, so no compute role's permissions are used;
    // EKS Pod Identity is eks-auth:AssumeRoleForPodIdentity above.
    { Sid: "DenyIdentityChanges", Effect: "Deny", Action: BOUNDARY_DENIED_IAM_ACTIONS, Resource: ["*"] },
    {
      Sid: "DenyAssumingRoles",
      Effect: "Deny",
      Action: ["sts:AssumeRole", "sts:AssumeRoleWithSAML", "sts:AssumeRoleWithWebIdentity", "sts:AssumeRoot", "sts:GetFederationToken"],
      Resource: ["*"],
    },
    { Sid: "DenyOrganizationAndAccount", Effect: "Deny", Action: ["organizations:*", "account:*"], Resource: ["*"] },
  ];
}
