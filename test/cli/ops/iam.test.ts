/**
 * The compute lifetime's CodeBuild role (cli/ops/iam.ts), proved on the policy document itself:
 * the emulator does not evaluate IAM conditions, so these tests do what IAM would with the
 * statements' actions and resources. A condition can only narrow an Allow, so "no Allow matches,
 * conditions ignored" proves an action is denied; where a test says something is allowed, the
 * condition it carries is asserted beside it.
 */
import { actionMatches, resourceMatches } from "../../../terraform";
import { ENVIRONMENTS } from "../../../config";
import { names } from "../../../config/naming";
import { BOUNDED_ROLE_ACTIONS, COMPUTE_MANAGED_POLICIES, computeLifetimePolicyStatements, computeRoleNames, PERMISSION_CHANGING_ACTIONS, policyDocuments } from "../../../cli/ops/iam";
import { allows } from "../../iam-eval";
import { UNSCOPABLE_ACTIONS } from "../../../policy/rules/iam-wildcard-resource";
import type { PolicyStatement } from "../../../lambda/scheduler/iam";

const dev = ENVIRONMENTS.dev;
const n = names(dev);
const statements = computeLifetimePolicyStatements(dev);
const A = "111111111111";
const R = "us-east-1";

const matches = (s: PolicyStatement, action: string, resource: string) => s.Action.some((a) => actionMatches(a, action)) && s.Resource.some((r) => resourceMatches(r, resource));
/** What IAM would decide, conditions aside (they only narrow an Allow; the Denies here have none). */
function allowed(action: string, resource: string, st: readonly PolicyStatement[] = statements): PolicyStatement | undefined {
  if (st.some((s) => s.Effect === "Deny" && matches(s, action, resource))) return undefined;
  return st.find((s) => s.Effect === "Allow" && matches(s, action, resource));
}

describe("the compute lifetime's role: what its job needs", () => {
  test.each([
    ["sts:GetCallerIdentity", "*"],
    ["s3:GetObject", `arn:aws:s3:::${n.stateBucket}/retail-forecast/dev/data.tfstate`],
    ["s3:GetObject", `arn:aws:s3:::${n.stateBucket}/${n.lifetimeSourceKey}`],
    ["s3:PutObject", `arn:aws:s3:::${n.stateBucket}/retail-forecast/dev/compute.tfstate`],
    ["s3:PutObject", `arn:aws:s3:::${n.stateBucket}/retail-forecast/dev/compute.tfstate.tflock`],
    ["s3:PutObject", `arn:aws:s3:::${n.stateBucket}/retail-forecast/dev/ops-run.lock`],
    ["ssm:PutParameter", `arn:aws:ssm:${R}:${A}:parameter${n.lastRunParameter}`],
    ["ssm:GetParameter", `arn:aws:ssm:${R}:${A}:parameter${n.keepAliveParameter}`],
    ["ssm:DeleteParameter", `arn:aws:ssm:${R}:${A}:parameter${n.schedulerRecordPrefix}/nodegroups/retail-forecast-dev/retail-forecast-dev-api`],
    ["sns:Publish", n.alertTopicArn],
    ["logs:PutLogEvents", `arn:aws:logs:${R}:${A}:log-group:${n.lifetimeLogGroup}:log-stream:abc`],
    ["scheduler:UpdateSchedule", `arn:aws:scheduler:${R}:${A}:schedule/default/${n.schedulerSchedule("stop")}`],
    ["eks:CreateCluster", `arn:aws:eks:${R}:${A}:cluster/${n.cluster}`],
    ["eks:DeleteNodegroup", `arn:aws:eks:${R}:${A}:nodegroup/${n.cluster}/${n.nodeGroup("api")}/0a1b`],
    ["iam:CreateRole", `arn:aws:iam::${A}:role/${n.prefix}-node`],
    ["iam:PassRole", `arn:aws:iam::${A}:role/${n.cluster}-cluster`],
    ["iam:CreateInstanceProfile", `arn:aws:iam::${A}:instance-profile/${n.natInstance}`],
    ["sagemaker:CreateEndpoint", `arn:aws:sagemaker:${R}:${A}:endpoint/${n.endpoint}`],
    ["autoscaling:CreateAutoScalingGroup", `arn:aws:autoscaling:${R}:${A}:autoScalingGroup:uuid:autoScalingGroupName/${n.natInstance}`],
    ["ec2:CreateVpc", `arn:aws:ec2:${R}:${A}:vpc/*`],
    ["ec2:DeleteNatGateway", `arn:aws:ec2:${R}:${A}:natgateway/nat-0123`],
    ["kms:CreateKey", "*"],
  ])("allows %s on %s", (action, resource) => {
    expect(allowed(action, resource)).toBeDefined();
  });

  test("creates and changes EC2 and KMS resources only tagged Environment=dev, and passes roles only to the service they are for", () => {
    expect(allowed("ec2:CreateVpc", `arn:aws:ec2:${R}:${A}:vpc/*`)!.Condition).toEqual({ StringEquals: { "aws:RequestTag/Environment": "dev" } });
    expect(allowed("ec2:DeleteNatGateway", `arn:aws:ec2:${R}:${A}:natgateway/nat-0123`)!.Condition).toEqual({ StringEquals: { "aws:ResourceTag/Environment": "dev" } });
    expect(allowed("kms:ScheduleKeyDeletion", `arn:aws:kms:${R}:${A}:key/k`)!.Condition).toEqual({ StringEquals: { "aws:ResourceTag/Environment": "dev" } });
    expect(allowed("kms:CreateKey", "*")!.Condition).toEqual({ StringEquals: { "aws:RequestTag/Environment": "dev" } });
    expect(allowed("iam:PassRole", `arn:aws:iam::${A}:role/${n.sagemakerRole}`)!.Condition).toEqual({ StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } });
    expect(allowed("iam:AttachRolePolicy", `arn:aws:iam::${A}:role/${n.prefix}-node`)!.Condition).toEqual({
      ArnEquals: { "iam:PolicyARN": [...COMPUTE_MANAGED_POLICIES] },
      StringEquals: { "iam:PermissionsBoundary": n.computeBoundaryArn },
    });
    const ec2Writes = statements.filter((s) => s.Effect === "Allow" && s.Action.some((a) => /^ec2:(?!Describe)/.test(a)));
    for (const s of ec2Writes) {
      if (s.Sid === "Ec2LaunchFromTemplates") continue; // the validation Auto Scaling and EKS make of a launch template
      expect({ sid: s.Sid, condition: s.Condition }).toEqual({ sid: s.Sid, condition: expect.anything() });
    }
  });
});

describe("the compute lifetime's role: only this environment", () => {
  const staging = names(ENVIRONMENTS.staging);
  test.each([
    // another environment's names in this account (were two environments ever to share one)
    ["eks:DeleteCluster", `arn:aws:eks:${R}:${A}:cluster/${staging.cluster}`],
    ["sagemaker:DeleteEndpoint", `arn:aws:sagemaker:${R}:${A}:endpoint/${staging.endpoint}`],
    ["iam:PutRolePolicy", `arn:aws:iam::${A}:role/${staging.prefix}-node`],
    ["ssm:PutParameter", `arn:aws:ssm:${R}:${A}:parameter/retail-forecast/staging/lifetime/last-run`],
    ["s3:PutObject", `arn:aws:s3:::${staging.stateBucket}/retail-forecast/staging/compute.tfstate`],
    ["s3:GetObject", `arn:aws:s3:::${staging.stateBucket}/retail-forecast/staging/compute.tfstate`],
    ["s3:GetObject", `arn:aws:s3:::${n.stateBucket}/retail-forecast/staging/compute.tfstate`],
    // this environment's other stacks: data and ops state, their resources
    ["s3:PutObject", `arn:aws:s3:::${n.stateBucket}/retail-forecast/dev/data.tfstate`],
    ["s3:PutObject", `arn:aws:s3:::${n.stateBucket}/retail-forecast/dev/ops.tfstate`],
    ["s3:DeleteBucket", `arn:aws:s3:::${n.dataBucket}`],
    ["s3:DeleteObject", `arn:aws:s3:::${n.dataBucket}/silver/x`],
    ["ecr:BatchDeleteImage", `arn:aws:ecr:${R}:${A}:repository/${n.ecrRepository("training")}`],
    ["lambda:UpdateFunctionCode", `arn:aws:lambda:${R}:${A}:function:${n.schedulerFunction}`],
    ["sns:DeleteTopic", n.alertTopicArn],
    // another account or region
    ["eks:DeleteCluster", `arn:aws:eks:${R}:222222222222:cluster/${n.cluster}`],
    ["eks:DeleteCluster", `arn:aws:eks:eu-west-1:${A}:cluster/${n.cluster}`],
  ])("denies %s on %s", (action, resource) => {
    expect(allowed(action, resource)).toBeUndefined();
  });

  test("every ARN names this account (and this region where the service is regional); * only where IAM cannot scope the action", () => {
    for (const s of statements) {
      for (const r of s.Resource) {
        if (r === "*") {
          for (const a of s.Action) expect({ sid: s.Sid, action: a, unscopable: UNSCOPABLE_ACTIONS.some((u) => actionMatches(u, a)) }).toEqual({ sid: s.Sid, action: a, unscopable: true });
          continue;
        }
        expect(r).toMatch(new RegExp(`^arn:aws:(iam::${A}:|s3:::${n.stateBucket}|sns:${R}:${A}:|[a-z0-9-]+:${R}:${A}:|ec2:${R}::image/)`));
      }
    }
  });

  test("IAM writes reach only the compute stack's roles, the NAT instance's profile, the cluster's OIDC provider and service-linked roles", () => {
    const compute = computeRoleNames(dev).map((r) => `arn:aws:iam::${A}:role/${r}`);
    const writes = statements.filter((s) => s.Effect === "Allow" && s.Action.some((a) => /^iam:(Create|Delete|Put|Attach|Detach|Update|Tag|Untag|Add|Remove|Pass)/.test(a)));
    for (const s of writes) {
      for (const r of s.Resource) {
        expect([...compute, `arn:aws:iam::${A}:role/${n.schedulerScheduleRole}`, `arn:aws:iam::${A}:instance-profile/${n.natInstance}`, `arn:aws:iam::${A}:oidc-provider/oidc.eks.${R}.amazonaws.com/id/*`, `arn:aws:iam::${A}:role/aws-service-role/*`]).toContain(r);
      }
    }
    // the scheduler's schedule role is only passed back (resume), never written
    const scheduleRole = `arn:aws:iam::${A}:role/${n.schedulerScheduleRole}`;
    expect(statements.filter((s) => s.Effect === "Allow" && s.Resource.includes(scheduleRole)).flatMap((s) => s.Action)).toEqual(["iam:PassRole"]);
  });
});

describe("the compute lifetime's role: never its own permissions", () => {
  const own = `arn:aws:iam::${A}:role/${n.lifetimeRole}`;
  test.each(PERMISSION_CHANGING_ACTIONS.map((a) => [a]))("denies %s on its own role and policies, the ops stack's roles and its schedules' role", (action) => {
    for (const r of [own, `arn:aws:iam::${A}:policy/${n.lifetimeRole}-1`, `arn:aws:iam::${A}:role/${n.lifetimeScheduleRole}`, `arn:aws:iam::${A}:role/${n.schedulerFunction}`]) {
      expect(allowed(action, r)).toBeUndefined();
    }
  });

  test("an explicit Deny covers its own role even if an Allow were added for every role", () => {
    const widened: PolicyStatement[] = [...statements, { Sid: "Oops", Effect: "Allow", Action: ["iam:PutRolePolicy", "iam:AttachRolePolicy"], Resource: [`arn:aws:iam::${A}:role/*`] }];
    expect(allowed("iam:PutRolePolicy", own, widened)).toBeUndefined();
    expect(allowed("iam:AttachRolePolicy", own, widened)).toBeUndefined();
  });

  test.each([
    ["codebuild:UpdateProject", `arn:aws:codebuild:${R}:${A}:project/${n.lifetimeProject}`],
    ["codebuild:DeleteProject", `arn:aws:codebuild:${R}:${A}:project/${n.lifetimeProject}`],
    ["scheduler:UpdateSchedule", `arn:aws:scheduler:${R}:${A}:schedule/default/${n.lifetimeSchedule("teardown")}`],
    ["scheduler:DeleteSchedule", `arn:aws:scheduler:${R}:${A}:schedule/default/${n.lifetimeSchedule("restore")}`],
    ["events:PutTargets", `arn:aws:events:${R}:${A}:rule/${n.lifetimeFailureRule}`],
    ["sts:AssumeRole", `arn:aws:iam::${A}:role/${n.prefix}-node`],
    ["iam:CreatePolicyVersion", `arn:aws:iam::${A}:policy/${n.lifetimeRole}-2`],
  ])("denies %s on %s (what starts it, what alerts on it, what it could assume)", (action, resource) => {
    expect(allowed(action, resource)).toBeUndefined();
  });
});

describe("the compute lifetime's role: not above the compute boundary (conditions evaluated as IAM would)", () => {
  const boundary = n.computeBoundaryArn;
  const role = (name: string) => `arn:aws:iam::${A}:role/${name}`;
  const computeRoles = computeRoleNames(dev).map(role);
  const attach = (policy: string, pb?: string) => ({ "iam:PolicyARN": policy, ...(pb ? { "iam:PermissionsBoundary": pb } : {}) });

  test.each(computeRoles.map((r) => [r]))("creates %s and writes, removes and attaches its policies only with the boundary", (r) => {
    for (const action of BOUNDED_ROLE_ACTIONS) {
      expect({ action, withBoundary: allows(statements, action, r, { "iam:PermissionsBoundary": boundary }) }).toEqual({ action, withBoundary: true });
      expect({ action, without: allows(statements, action, r, {}) }).toEqual({ action, without: false });
      expect({ action, another: allows(statements, action, r, { "iam:PermissionsBoundary": `arn:aws:iam::${A}:policy/other` }) }).toEqual({ action, another: false });
      // the same name in another account's boundary ARN is another policy
      expect(allows(statements, action, r, { "iam:PermissionsBoundary": `arn:aws:iam::222222222222:policy/${n.computeBoundaryPolicy}` })).toBe(false);
    }
    for (const action of ["iam:AttachRolePolicy", "iam:DetachRolePolicy"]) {
      expect(allows(statements, action, r, attach(COMPUTE_MANAGED_POLICIES[0], boundary))).toBe(true);
      expect(allows(statements, action, r, attach(COMPUTE_MANAGED_POLICIES[0]))).toBe(false);
      expect(allows(statements, action, r, attach("arn:aws:iam::aws:policy/AdministratorAccess", boundary))).toBe(false);
    }
  });

  test("never removes the boundary from a compute role, even if an Allow for it were added", () => {
    const widened: PolicyStatement[] = [...statements, { Sid: "Oops", Effect: "Allow", Action: ["iam:DeleteRolePermissionsBoundary"], Resource: [`arn:aws:iam::${A}:role/*`] }];
    for (const r of computeRoles) {
      expect(allows(statements, "iam:DeleteRolePermissionsBoundary", r, { "iam:PermissionsBoundary": boundary })).toBe(false);
      expect(allows(widened, "iam:DeleteRolePermissionsBoundary", r, { "iam:PermissionsBoundary": boundary })).toBe(false);
    }
  });

  test.each(PERMISSION_CHANGING_ACTIONS.map((a) => [a]))("denies %s on the boundary policy itself, even if an Allow were added", (action) => {
    const widened: PolicyStatement[] = [...statements, { Sid: "Oops", Effect: "Allow", Action: [action], Resource: [`arn:aws:iam::${A}:policy/*`] }];
    expect(allows(widened, action, boundary, { "iam:PermissionsBoundary": boundary })).toBe(false);
  });

  test("touches no role outside the compute stack's, with or without the boundary", () => {
    const roleActions = [...BOUNDED_ROLE_ACTIONS, "iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:DeleteRole", "iam:UpdateAssumeRolePolicy", "iam:TagRole", "iam:GetRole"];
    const others = [n.lifetimeRole, n.schedulerFunction, n.costReaderRole, `${n.prefix}-admin`, `${n.prefix}-node2`, "Admin", `${names(ENVIRONMENTS.staging).prefix}-node`].map(role);
    for (const r of others) {
      for (const action of roleActions) {
        const ctx = { "iam:PermissionsBoundary": boundary, "iam:PolicyARN": COMPUTE_MANAGED_POLICIES[0] };
        expect({ r, action, allowed: allows(statements, action, r, ctx) }).toEqual({ r, action, allowed: false });
      }
    }
  });
});

describe("the documents", () => {
  test("fit IAM's managed-policy size (6,144 characters) and quota (10 per role); Sids are unique", () => {
    const docs = policyDocuments(statements);
    expect(docs.length).toBeLessThanOrEqual(10);
    for (const d of docs) expect(d.length).toBeLessThanOrEqual(6144);
    expect(docs.flatMap((d) => JSON.parse(d).Statement)).toEqual(JSON.parse(JSON.stringify(statements)));
    expect(new Set(statements.map((s) => s.Sid)).size).toBe(statements.length);
    for (const s of statements) for (const a of s.Action) expect(a).not.toBe("*");
  });

  test("fails when the account id is not 12 digits, and when one statement alone is over the limit", () => {
    expect(() => computeLifetimePolicyStatements({ ...dev, accountId: "1234" })).toThrow(/accountId must be 12 digits/);
    expect(() => policyDocuments(statements, 100)).toThrow(/statement Identity alone is \d+ characters, over the 100 of a managed policy/);
  });
});
