import { schedulerPolicyStatements } from "../../lambda/scheduler/iam";
import { isScheduled, tagsForRecreate } from "../../lambda/scheduler/plan";
import { allows } from "../iam-eval";

const props = { region: "eu-west-1", accountId: "111122223333", scheduleName: "office-hours", recordPrefix: "/retail-forecast/dev/scheduler" };
const statements = schedulerPolicyStatements(props);
const READ_ONLY = /^(eks:(List|Describe)|sagemaker:(List|Describe)|events:List|cloudwatch:GetMetricData$|ssm:GetParameter)/;

describe("schedulerPolicyStatements", () => {
  test("no wildcard actions and unique Sids", () => {
    for (const s of statements) for (const a of s.Action) expect(a).not.toMatch(/\*/);
    expect(new Set(statements.map((s) => s.Sid)).size).toBe(statements.length);
  });

  test("Resource '*' only for the list/read actions AWS cannot scope", () => {
    const star = statements.filter((s) => s.Resource.includes("*")).flatMap((s) => s.Action);
    expect(star.sort()).toEqual(["cloudwatch:GetMetricData", "eks:ListClusters", "events:ListRules", "sagemaker:ListEndpoints"]);
  });

  test("every write is scoped to this account and region and, where AWS supports it, to the Schedule tag", () => {
    const writes = statements.filter((s) => s.Action.some((a) => !READ_ONLY.test(a)));
    expect(writes.length).toBeGreaterThan(0);
    for (const s of writes) {
      for (const r of s.Resource) expect(r).toMatch(/^arn:aws:(eks|sagemaker|events|ssm):eu-west-1:111122223333:/);
    }
    const tagScoped = (action: string) =>
      statements.filter((s) => s.Action.includes(action)).some((s) => s.Condition?.StringEquals?.["aws:ResourceTag/Schedule"] === "office-hours");
    for (const a of ["eks:UpdateNodegroupConfig", "sagemaker:DeleteEndpoint", "events:DisableRule", "events:EnableRule"]) expect(tagScoped(a)).toBe(true);
    const create = statements.find((s) => s.Action.includes("sagemaker:CreateEndpoint") && s.Resource.some((r) => r.includes(":endpoint/")));
    expect(create?.Condition).toEqual({ StringEquals: { "aws:RequestTag/Schedule": "office-hours" } });
  });

  test("stop records are reachable only under the record prefix", () => {
    const ssm = statements.filter((s) => s.Action.some((a) => a.startsWith("ssm:")));
    expect(ssm).toHaveLength(1);
    expect(ssm[0].Resource).toEqual([
      "arn:aws:ssm:eu-west-1:111122223333:parameter/retail-forecast/dev/scheduler",
      "arn:aws:ssm:eu-west-1:111122223333:parameter/retail-forecast/dev/scheduler/*",
    ]);
    expect(ssm[0].Action).toEqual(expect.arrayContaining(["ssm:PutParameter", "ssm:GetParametersByPath", "ssm:DeleteParameter"]));
  });

  test("covers every call the scheduler makes", () => {
    const actions = new Set(statements.flatMap((s) => s.Action));
    for (const a of [
      "eks:ListClusters", "eks:ListNodegroups", "eks:DescribeNodegroup", "eks:UpdateNodegroupConfig",
      "sagemaker:ListEndpoints", "sagemaker:ListTags", "sagemaker:DescribeEndpoint", "sagemaker:DeleteEndpoint", "sagemaker:CreateEndpoint", "sagemaker:AddTags",
      "events:ListRules", "events:ListTagsForResource", "events:DisableRule", "events:EnableRule",
      "cloudwatch:GetMetricData", "ssm:PutParameter", "ssm:GetParameter", "ssm:GetParametersByPath", "ssm:DeleteParameter",
    ]) expect(actions).toContain(a);
  });

  test.each([
    ["fails when the account id is not 12 digits", { accountId: "123" }, /accountId must be 12 digits/],
    ["fails when the schedule name is a wildcard", { scheduleName: "*" }, /scheduleName/],
    ["fails when the record prefix is not an SSM path", { recordPrefix: "scheduler/" }, /recordPrefix/],
    ["fails when the region is malformed", { region: "Europe" }, /region/],
  ])("%s", (_n, bad, msg) => {
    expect(() => schedulerPolicyStatements({ ...props, ...bad })).toThrow(msg);
  });
});

describe("KMS grant for recreated endpoints (what the emulator cannot check)", () => {
  const alias = "alias/retail-forecast-sandbox-compute";
  const withKey = schedulerPolicyStatements({ ...props, endpointKmsKeyAliases: [alias] });
  const covers = (s: { Resource: string[] }, keyArn: string) => s.Resource.some((r) => new RegExp(`^${r.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(keyArn));
  const key = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

  test("no KMS statement without keys", () => {
    expect(statements.some((s) => s.Action.some((a) => a.startsWith("kms:")))).toBe(false);
  });

  test("kms:CreateGrant on this account's keys carrying the alias, for grants to AWS resources only", () => {
    const grant = withKey.find((s) => s.Action.includes("kms:CreateGrant"))!;
    expect(grant).toEqual({
      Sid: "KmsGrantForRecreatedEndpoints",
      Effect: "Allow",
      Action: ["kms:CreateGrant"],
      Resource: ["arn:aws:kms:eu-west-1:111122223333:key/*"],
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" }, "ForAnyValue:StringEquals": { "kms:ResourceAliases": [alias] } },
    });
    expect(covers(grant, key)).toBe(true);
    expect(covers(grant, key.replace("111122223333", "999999999999"))).toBe(false);
  });

  test("kms:DescribeKey is not behind kms:GrantIsForAWSResource (absent from DescribeKey, so it would deny)", () => {
    const describe = withKey.find((s) => s.Action.includes("kms:DescribeKey"))!;
    expect(describe.Condition).toEqual({ "ForAnyValue:StringEquals": { "kms:ResourceAliases": [alias] } });
  });

  test.each([["*"], ["alias/aws/sagemaker"], ["arn:aws:kms:eu-west-1:111122223333:key/x"]])("fails when an alias is %s", (bad) => {
    expect(() => schedulerPolicyStatements({ ...props, endpointKmsKeyAliases: [bad] })).toThrow(/customer key aliases/);
  });

  test("reads the keep-alive override and nothing else of the lifetime's parameters", () => {
    const withKeepAlive = schedulerPolicyStatements({ ...props, keepAliveParameter: "/retail-forecast/dev/lifetime/keep-alive" });
    const read = withKeepAlive.find((s) => s.Sid === "ReadKeepAlive");
    expect(read).toEqual({ Sid: "ReadKeepAlive", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: ["arn:aws:ssm:eu-west-1:111122223333:parameter/retail-forecast/dev/lifetime/keep-alive"] });
    expect(statements.find((s) => s.Sid === "ReadKeepAlive")).toBeUndefined();
  });
});

/**
 * Tag and KMS conditions: the emulator does not evaluate Condition blocks
 * (sandbox/emulator/patches/iam_enforcement.py), so what AWS would decide is checked here, with
 * the request context AWS builds for each call, against the scheduler's own choice of targets.
 * Condition keys as the Service Authorization Reference lists them for each action:
 *   EKS        https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelastickubernetesservice.html
 *   SageMaker  https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsagemaker.html
 *   EventBridge https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoneventbridge.html
 *   KMS        https://docs.aws.amazon.com/service-authorization/latest/reference/list_awskeymanagementservice.html
 *              and https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html (kms:GrantIsForAWSResource)
 * A key an action does not support is absent from its request context: an Allow conditioned on
 * it never applies, and the call is denied on AWS while the emulator lets it through.
 */
describe("conditions the emulator cannot evaluate", () => {
  const alias = "alias/retail-forecast-dev-compute";
  const all = schedulerPolicyStatements({ ...props, endpointKmsKeyAliases: [alias] });
  const arn = (service: string, resource: string) => `arn:aws:${service}:eu-west-1:111122223333:${resource}`;
  const nodegroup = arn("eks", "nodegroup/retail-forecast-dev/retail-forecast-dev-api/0a1b2c3d");
  const endpoint = arn("sagemaker", "endpoint/retail-forecast-dev-forecast");
  const rule = arn("events", "rule/retail-forecast-dev-scheduled-training");
  const key = arn("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab");
  const resourceTags = (tags: Record<string, string>) => Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:ResourceTag/${k}`, v]));

  // action -> condition keys AWS puts in its request context (from the pages above)
  const SUPPORTED: Record<string, readonly string[]> = {
    "eks:UpdateNodegroupConfig": ["aws:ResourceTag/${TagKey}"],
    "sagemaker:DeleteEndpoint": ["aws:ResourceTag/${TagKey}", "sagemaker:ResourceTag/${TagKey}"],
    "sagemaker:CreateEndpoint": ["aws:RequestTag/${TagKey}", "aws:TagKeys", "aws:ResourceTag/${TagKey}", "sagemaker:ResourceTag/${TagKey}"],
    "sagemaker:AddTags": ["aws:RequestTag/${TagKey}", "aws:TagKeys", "aws:ResourceTag/${TagKey}", "sagemaker:ResourceTag/${TagKey}"],
    "events:DisableRule": ["aws:ResourceTag/${TagKey}"],
    "events:EnableRule": ["aws:ResourceTag/${TagKey}"],
    "kms:CreateGrant": ["kms:GrantIsForAWSResource", "kms:ResourceAliases", "kms:CallerAccount", "kms:ViaService", "kms:GrantOperations"],
    "kms:DescribeKey": ["kms:ResourceAliases", "kms:CallerAccount", "kms:ViaService"],
  };
  const keyPattern = (k: string) => new RegExp(`^${k.split("${TagKey}").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("[^/]+")}$`, "i");

  test("every condition key the policy uses is one AWS supplies for each action it conditions", () => {
    const conditioned = all.filter((s) => s.Condition);
    expect(conditioned.length).toBeGreaterThan(0);
    for (const s of conditioned) {
      for (const action of s.Action) {
        const supported = SUPPORTED[action];
        expect({ action, supported: supported !== undefined }).toEqual({ action, supported: true });
        for (const k of Object.values(s.Condition!).flatMap((o) => Object.keys(o))) {
          expect({ action, key: k, supported: supported.some((p) => keyPattern(p).test(k)) }).toEqual({ action, key: k, supported: true });
        }
      }
    }
  });

  const writes = [["eks:UpdateNodegroupConfig", nodegroup], ["sagemaker:DeleteEndpoint", endpoint], ["events:DisableRule", rule], ["events:EnableRule", rule]] as const;

  test("every target the scheduler acts on satisfies the policy's aws:ResourceTag condition (no AccessDenied on AWS)", () => {
    const cases: Record<string, string>[] = [{ Schedule: "office-hours" }, { Schedule: "office-hours", Environment: "dev" }];
    for (const tags of cases) {
      expect(isScheduled(tags, props.scheduleName)).toBe(true);
      for (const [action, resource] of writes) expect({ action, allowed: allows(all, action, resource, resourceTags(tags)) }).toEqual({ action, allowed: true });
    }
  });

  test("the role cannot write to what another schedule or nobody scheduled, though the emulator would let it", () => {
    const cases: Record<string, string>[] = [{ Schedule: "other-hours" }, { Environment: "dev" }, {}];
    for (const tags of cases) {
      expect(isScheduled(tags, props.scheduleName)).toBe(false);
      for (const [action, resource] of writes) expect({ tags, action, allowed: allows(all, action, resource, resourceTags(tags)) }).toEqual({ tags, action, allowed: false });
    }
    // IAM compares the tag key of aws:ResourceTag/<key> case-insensitively: a `schedule` tag
    // satisfies the condition, while the scheduler only acts on `Schedule` (the safe direction)
    expect(isScheduled({ schedule: "office-hours" }, props.scheduleName)).toBe(false);
    expect(allows(all, "eks:UpdateNodegroupConfig", nodegroup, resourceTags({ schedule: "office-hours" }))).toBe(true);
  });

  test("recreating an endpoint from its stop record sends the Schedule tag that aws:RequestTag requires (CreateEndpoint and the AddTags it implies)", () => {
    const recorded = { Schedule: "office-hours", Environment: "dev", "aws:cloudformation:stack-name": "x" };
    const tags = tagsForRecreate(recorded);
    const context = { ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])), "aws:TagKeys": Object.keys(tags) };
    for (const action of ["sagemaker:CreateEndpoint", "sagemaker:AddTags"]) expect(allows(all, action, endpoint, context)).toBe(true);
    expect(allows(all, "sagemaker:CreateEndpoint", arn("sagemaker", "endpoint-config/retail-forecast-dev-forecast-config"), context)).toBe(true);
    // without the tag AWS refuses: an endpoint the scheduler did not stop cannot be created by it
    expect(allows(all, "sagemaker:CreateEndpoint", endpoint, { "aws:RequestTag/Environment": "dev", "aws:TagKeys": ["Environment"] })).toBe(false);
  });

  test("kms:CreateGrant only for a grant to an AWS service, on a key carrying the compute key's alias", () => {
    const grant = (ctx: Record<string, string | string[]>) => allows(all, "kms:CreateGrant", key, ctx);
    expect(grant({ "kms:GrantIsForAWSResource": "true", "kms:ResourceAliases": [alias] })).toBe(true);
    expect(grant({ "kms:GrantIsForAWSResource": "false", "kms:ResourceAliases": [alias] })).toBe(false);
    expect(grant({ "kms:GrantIsForAWSResource": "true", "kms:ResourceAliases": ["alias/something-else"] })).toBe(false);
    expect(allows(all, "kms:DescribeKey", key, { "kms:ResourceAliases": [alias] })).toBe(true);
  });

  test("the scheduler passes no role to any service (nothing for RF_IAM_PASSROLE_SCOPED to scope)", () => {
    expect(all.some((s) => s.Action.some((a) => /^iam:/i.test(a)))).toBe(false);
  });
});
