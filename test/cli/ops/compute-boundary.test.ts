/**
 * The compute roles' permissions boundary (cli/ops/compute-boundary.ts), proved on the document:
 * the emulator evaluates no boundary. A role's effective permission is its own policy AND the
 * boundary, so the escalation it closes is tested as "an inline policy the build could write
 * (`*` on `*`), intersected with the boundary", and what the roles need as "each of their
 * actions, on a resource of this environment, is within it".
 */
import { Testing } from "cdktf";
import { ENVIRONMENTS, ENVIRONMENT_NAMES } from "../../../config";
import { names } from "../../../config/naming";
import { BOUNDARY_DENIED_IAM_ACTIONS, computeBoundaryStatements } from "../../../cli/ops/compute-boundary";
import { COMPUTE_MANAGED_POLICIES, computeRoleNames } from "../../../cli/ops/iam";
import { ComputeStack } from "../../../stacks/compute";
import { allows, RequestContext, TestStatement } from "../../iam-eval";
import { actionMatches } from "../../../terraform";
import { UNSCOPABLE_ACTIONS } from "../../../policy/rules/iam-wildcard-resource";

const dev = ENVIRONMENTS.dev;
const n = names(dev);
const boundary = computeBoundaryStatements(dev);
const A = dev.accountId;
const R = dev.region;

/** What a bounded role may do when its own policy is `policy`. */
const effective = (policy: readonly TestStatement[], action: string, resource: string, context: RequestContext = {}) =>
  allows(policy, action, resource, context) && allows(boundary, action, resource, context);

const ADMIN: TestStatement[] = [{ Effect: "Allow", Action: "*", Resource: "*" }];

/**
 * The AWS-managed policies the compute roles attach, their actions as moto 5.2.1 ships them
 * (AmazonEKSClusterPolicy v10, AmazonEKSWorkerNodePolicy v3, AmazonEKS_CNI_Policy v6,
 * AmazonEC2ContainerRegistryReadOnly v3). AWS edits these in place: a new action there that the
 * boundary lacks is denied on AWS until the boundary gains it.
 */
const MANAGED_ACTIONS: Record<(typeof COMPUTE_MANAGED_POLICIES)[number], string[]> = {
  "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy": [
    "autoscaling:DescribeAutoScalingGroups", "autoscaling:UpdateAutoScalingGroup", "ec2:AttachVolume", "ec2:AuthorizeSecurityGroupIngress", "ec2:CreateRoute",
    "ec2:CreateSecurityGroup", "ec2:CreateTags", "ec2:CreateVolume", "ec2:DeleteRoute", "ec2:DeleteSecurityGroup", "ec2:DeleteVolume", "ec2:DescribeInstances",
    "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVolumes", "ec2:DescribeVolumesModifications", "ec2:DescribeVpcs",
    "ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeAvailabilityZones", "ec2:DetachVolume", "ec2:ModifyInstanceAttribute", "ec2:ModifyVolume",
    "ec2:RevokeSecurityGroupIngress", "ec2:DescribeAccountAttributes", "ec2:DescribeAddresses", "ec2:DescribeInternetGateways", "ec2:DescribeInstanceTopology",
    "elasticloadbalancing:AddTags", "elasticloadbalancing:ApplySecurityGroupsToLoadBalancer", "elasticloadbalancing:AttachLoadBalancerToSubnets",
    "elasticloadbalancing:ConfigureHealthCheck", "elasticloadbalancing:CreateListener", "elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateLoadBalancerListeners",
    "elasticloadbalancing:CreateLoadBalancerPolicy", "elasticloadbalancing:CreateTargetGroup", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:DeleteLoadBalancer",
    "elasticloadbalancing:DeleteLoadBalancerListeners", "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:DeregisterInstancesFromLoadBalancer",
    "elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeLoadBalancerPolicies", "elasticloadbalancing:DescribeLoadBalancers", "elasticloadbalancing:DescribeTargetGroupAttributes",
    "elasticloadbalancing:DescribeTargetGroups", "elasticloadbalancing:DescribeTargetHealth", "elasticloadbalancing:DetachLoadBalancerFromSubnets",
    "elasticloadbalancing:ModifyListener", "elasticloadbalancing:ModifyLoadBalancerAttributes", "elasticloadbalancing:ModifyTargetGroup",
    "elasticloadbalancing:ModifyTargetGroupAttributes", "elasticloadbalancing:RegisterInstancesWithLoadBalancer", "elasticloadbalancing:RegisterTargets",
    "elasticloadbalancing:SetLoadBalancerPoliciesForBackendServer", "elasticloadbalancing:SetLoadBalancerPoliciesOfListener", "kms:DescribeKey",
    "iam:CreateServiceLinkedRole", "ec2:DeleteNetworkInterface",
  ],
  "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy": [
    "ec2:DescribeInstances", "ec2:DescribeInstanceTypes", "ec2:DescribeRouteTables", "ec2:DescribeSecurityGroups", "ec2:DescribeSubnets", "ec2:DescribeVolumes",
    "ec2:DescribeVolumesModifications", "ec2:DescribeVpcs", "eks:DescribeCluster", "eks-auth:AssumeRoleForPodIdentity",
  ],
  "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy": [
    "ec2:AssignPrivateIpAddresses", "ec2:AttachNetworkInterface", "ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:DescribeInstances", "ec2:DescribeTags",
    "ec2:DescribeNetworkInterfaces", "ec2:DescribeInstanceTypes", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DetachNetworkInterface",
    "ec2:ModifyNetworkInterfaceAttribute", "ec2:UnassignPrivateIpAddresses", "ec2:CreateTags",
  ],
  "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly": [
    "ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:GetRepositoryPolicy", "ecr:DescribeRepositories", "ecr:ListImages",
    "ecr:DescribeImages", "ecr:BatchGetImage", "ecr:GetLifecyclePolicy", "ecr:GetLifecyclePolicyPreview", "ecr:ListTagsForResource", "ecr:DescribeImageScanFindings",
  ],
};

/** A resource of this environment an action of a managed policy acts on ("*" where IAM cannot scope it). */
function resourceFor(action: string): string {
  const service = action.split(":")[0];
  if (UNSCOPABLE_ACTIONS.some((u) => actionMatches(u, action))) return "*";
  switch (service) {
    case "ec2":
      return `arn:aws:ec2:${R}:${A}:network-interface/eni-0123`;
    case "elasticloadbalancing":
      return `arn:aws:elasticloadbalancing:${R}:${A}:loadbalancer/net/k8s-svc/0123`;
    case "autoscaling":
      return `arn:aws:autoscaling:${R}:${A}:autoScalingGroup:uuid:autoScalingGroupName/eks-${n.nodeGroup("api")}-0123`;
    case "kms":
      return `arn:aws:kms:${R}:${A}:key/0123`;
    case "eks":
    case "eks-auth":
      return `arn:aws:eks:${R}:${A}:cluster/${n.cluster}`;
    case "ecr":
      // an EKS add-on image in AWS's account
      return `arn:aws:ecr:${R}:602401143452:repository/amazon-k8s-cni`;
    case "iam":
      return `arn:aws:iam::${A}:role/aws-service-role/elasticloadbalancing.amazonaws.com/AWSServiceRoleForElasticLoadBalancing`;
    default:
      throw new Error(`no representative resource for ${action}`);
  }
}

describe("the compute boundary: an admin inline policy the build could write stays inside it", () => {
  const otherRole = `arn:aws:iam::${A}:role/SomeoneElse`;
  test.each([
    ["iam:CreateUser", `arn:aws:iam::${A}:user/backdoor`],
    ["iam:CreateAccessKey", `arn:aws:iam::${A}:user/admin`],
    ["iam:PutRolePolicy", otherRole],
    ["iam:PutRolePolicy", `arn:aws:iam::${A}:role/${n.prefix}-node`],
    ["iam:AttachRolePolicy", `arn:aws:iam::${A}:role/${n.lifetimeRole}`],
    ["iam:CreateRole", `arn:aws:iam::${A}:role/${n.prefix}-x`],
    ["iam:UpdateAssumeRolePolicy", otherRole],
    ["iam:DeleteRolePermissionsBoundary", `arn:aws:iam::${A}:role/${n.prefix}-node`],
    ["iam:CreatePolicyVersion", n.computeBoundaryArn],
    ["iam:PassRole", otherRole],
    ["sts:AssumeRole", otherRole],
    ["sts:AssumeRole", `arn:aws:iam::222222222222:role/OrganizationAccountAccessRole`],
    ["organizations:CreateAccount", "*"],
    ["organizations:LeaveOrganization", "*"],
    ["account:PutAlternateContact", "*"],
    // what the build itself may not do either: its state, the data stack's buckets beyond objects, the functions
    ["s3:GetObject", `arn:aws:s3:::${n.stateBucket}/${n.stateKey("compute")}`],
    ["s3:DeleteBucket", `arn:aws:s3:::${n.dataBucket}`],
    ["lambda:UpdateFunctionCode", `arn:aws:lambda:${R}:${A}:function:${n.schedulerFunction}`],
    ["ec2:RunInstances", `arn:aws:ec2:${R}:${A}:instance/*`],
    ["eks:DeleteCluster", `arn:aws:eks:${R}:${A}:cluster/${n.cluster}`],
    ["kms:Decrypt", `arn:aws:kms:${R}:${A}:key/0123`],
    ["secretsmanager:GetSecretValue", `arn:aws:secretsmanager:${R}:${A}:secret:x`],
    // another region or account
    ["ec2:CreateVolume", `arn:aws:ec2:eu-west-1:${A}:volume/*`],
    ["elasticloadbalancing:DeleteLoadBalancer", `arn:aws:elasticloadbalancing:${R}:222222222222:loadbalancer/app/x/1`],
  ])("denies %s on %s", (action, resource) => {
    expect(allows(ADMIN, action, resource)).toBe(true); // the inline policy alone would allow it
    expect(effective(ADMIN, action, resource, { "iam:AWSServiceName": "iam.amazonaws.com", "iam:PermissionsBoundary": n.computeBoundaryArn })).toBe(false);
  });

  test("the explicit Denies cover IAM writes and role assumption even if the Allows were widened to everything", () => {
    const widened = [...boundary, { Sid: "Oops", Effect: "Allow" as const, Action: ["*"], Resource: ["*"] }];
    const role = `arn:aws:iam::${A}:role/x`;
    for (const action of ["iam:CreateUser", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:CreateRole", "iam:PassRole", "iam:UpdateAssumeRolePolicy", "iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeleteRolePermissionsBoundary", "iam:TagRole", "sts:AssumeRole", "organizations:InviteAccountToOrganization", "account:CloseAccount"]) {
      expect({ action, allowed: allows(widened, action, role) }).toEqual({ action, allowed: false });
    }
    // the one IAM action a compute role needs stays possible: AWS's own service-linked role for load balancers
    expect(allows(widened, "iam:CreateServiceLinkedRole", resourceFor("iam:CreateServiceLinkedRole"), { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" })).toBe(true);
  });

  test("the only IAM action it allows is the load balancers' service-linked role, and only for that service", () => {
    const iamAllows = boundary.filter((s) => s.Effect === "Allow").flatMap((s) => s.Action.filter((a) => a.startsWith("iam:")));
    expect(iamAllows).toEqual(["iam:CreateServiceLinkedRole"]);
    const slr = resourceFor("iam:CreateServiceLinkedRole");
    expect(allows(boundary, "iam:CreateServiceLinkedRole", slr, { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" })).toBe(true);
    expect(allows(boundary, "iam:CreateServiceLinkedRole", `arn:aws:iam::${A}:role/aws-service-role/eks.amazonaws.com/x`, { "iam:AWSServiceName": "eks.amazonaws.com" })).toBe(false);
    expect(BOUNDARY_DENIED_IAM_ACTIONS.some((d) => actionMatches(d, "iam:CreateServiceLinkedRole"))).toBe(false);
  });

  test("no Allow grants a whole service or every action", () => {
    for (const s of boundary.filter((x) => x.Effect === "Allow")) for (const a of s.Action) expect(a).not.toMatch(/(^\*$|:\*$)/);
  });

  test("fails when the account id is not 12 digits", () => {
    expect(() => computeBoundaryStatements({ ...dev, accountId: "12345" })).toThrow('accountId must be 12 digits, got "12345"');
  });
});

describe("the compute boundary: what the compute roles do is within it", () => {
  test.each(COMPUTE_MANAGED_POLICIES.map((p) => [p]))("every action of %s, on this environment's resources", (policy) => {
    const context = { "iam:AWSServiceName": "elasticloadbalancing.amazonaws.com" };
    const outside = MANAGED_ACTIONS[policy].filter((a) => !allows(boundary, a, resourceFor(a), context));
    expect(outside).toEqual([]);
  });

  describe.each(ENVIRONMENT_NAMES.map((e) => [e]))("%s: every statement of every compute role's inline policy", (env) => {
    const cfg = ENVIRONMENTS[env];
    const envBoundary = computeBoundaryStatements(cfg);
    const synth = JSON.parse(Testing.synth(new ComputeStack(Testing.app(), { config: cfg }))) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    const roles = synth.resource.aws_iam_role;
    const policies = Object.values(synth.resource.aws_iam_role_policy ?? {});

    test("every role carries the boundary, and the roles are exactly computeRoleNames", () => {
      expect(Object.values(roles).map((r) => r.permissions_boundary)).toEqual(Object.values(roles).map(() => names(cfg).computeBoundaryArn));
      // the NAT instance's role exists only with a NAT instance for egress
      const roleNames = Object.values(roles).map((r) => r.name as string).sort();
      expect(roleNames).toEqual(computeRoleNames(cfg).filter((r) => cfg.network.egress.mode === "nat-instance" || r !== names(cfg).natInstance).sort());
    });

    test("each (action, resource) is allowed by the boundary", () => {
      expect(policies.length).toBeGreaterThanOrEqual(2);
      const outside: string[] = [];
      for (const p of policies) {
        for (const s of JSON.parse(p.policy as string).Statement as TestStatement[]) {
          for (const action of [s.Action].flat()) {
            for (const resource of [s.Resource].flat()) {
              // a role's own wildcards name any region and account: check this environment's
              const concrete = resource === "*" ? "*" : resource.replace(/^arn:aws:([a-z0-9-]+):\*:\*:/, `arn:aws:$1:${cfg.region}:${cfg.accountId}:`).replace(/\*/g, "x");
              const ctx: RequestContext = Object.fromEntries(Object.values(s.Condition ?? {}).flatMap((kv) => Object.entries(kv).map(([k, v]) => [k, [v].flat()[0].replace(/\*/g, "x")])));
              if (!allows(envBoundary, action, concrete, ctx)) outside.push(`${s.Sid}: ${action} on ${concrete}`);
            }
          }
        }
      }
      expect(outside).toEqual([]);
    });
  });
});
