import { schedulerPolicyStatements } from "../../lambda/scheduler/iam";

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
