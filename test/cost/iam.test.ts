/**
 * The cost reader role's statements (cost/iam.ts): read only, "*" only where AWS has no resource
 * type, and covering every call cost/report.ts makes: the report runs here against fake clients
 * that record each command, with data in every section so every call site is reached. The
 * emulator test (test/emulator/least-privilege.test.ts) and the sandbox run it as the role.
 */
import { costReportPolicyStatements } from "../../cost/iam";
import { costReport, ReportClients, Sender } from "../../cost/report";
import { actionMatches } from "../../terraform";
import { UNSCOPABLE_ACTIONS } from "../../policy/rules/iam-wildcard-resource";

const statements = costReportPolicyStatements({ region: "eu-west-1", accountId: "111122223333" });
const granted = (action: string) => statements.some((s) => s.Action.some((a) => actionMatches(a, action)));

// SDK command -> the IAM action AWS authorizes it as, where the names differ
const ACTION_OF: Record<string, string> = { "s3:ListBuckets": "s3:ListAllMyBuckets", "s3:GetBucketLifecycleConfiguration": "s3:GetLifecycleConfiguration" };

function recordingClients(): { clients: ReportClients; calls: string[] } {
  const calls: string[] = [];
  const answers: Record<string, unknown> = {
    GetCostAndUsage: { ResultsByTime: [{ TimePeriod: { Start: "2026-01-01" }, Groups: [{ Keys: ["Amazon S3"], Metrics: { UnblendedCost: { Amount: "1", Unit: "USD" } } }] }] },
    ListBuckets: { Buckets: [{ Name: "b" }] },
    GetBucketLifecycleConfiguration: {},
    DescribeLogGroups: { logGroups: [{ logGroupName: "/g" }] },
    ListEndpoints: { Endpoints: [{ EndpointName: "e" }] },
    DescribeEndpoint: { EndpointConfigName: "c", ProductionVariants: [{ VariantName: "v" }] },
    GetMetricStatistics: { Datapoints: [] },
    DescribeEndpointConfig: { ProductionVariants: [{ InstanceType: "ml.m5.large", InitialInstanceCount: 1 }] },
    ListClusters: { clusters: ["k"] },
    ListNodegroups: { nodegroups: ["n"] },
    DescribeNodegroup: { nodegroup: { capacityType: "ON_DEMAND", instanceTypes: ["m5.large"], scalingConfig: { desiredSize: 1 } } },
    DescribeRepositories: { repositories: [{ repositoryName: "r" }] },
    GetLifecyclePolicy: {},
    DescribeImages: { imageDetails: [] },
  };
  const client = (service: string): Sender => ({
    async send(command: { constructor: { name: string } }) {
      const op = command.constructor.name.replace(/Command$/, "");
      calls.push(ACTION_OF[`${service}:${op}`] ?? `${service}:${op}`);
      if (!(op in answers)) throw new Error(`no fake answer for ${op}`);
      return answers[op];
    },
  });
  return {
    calls,
    clients: { ce: client("ce"), s3: client("s3"), logs: client("logs"), sagemaker: client("sagemaker"), cloudwatch: client("cloudwatch"), eks: client("eks"), ecr: client("ecr") },
  };
}

describe("costReportPolicyStatements", () => {
  test("read only: every action is a Get, List or Describe", () => {
    for (const s of statements) for (const a of s.Action) expect(a).toMatch(/^[a-z0-9-]+:(Get|List|Describe)[A-Za-z]+$/);
  });

  test('Resource "*" only for actions AWS cannot scope (the list CKV_AWS_355 uses)', () => {
    const star = statements.filter((s) => s.Resource.includes("*")).flatMap((s) => s.Action);
    expect(star.length).toBeGreaterThan(0);
    for (const a of star) expect({ a, unscopable: UNSCOPABLE_ACTIONS.some((u) => actionMatches(u, a)) }).toEqual({ a, unscopable: true });
    for (const s of statements.filter((x) => !x.Resource.includes("*"))) {
      for (const r of s.Resource) expect(r).toMatch(/^arn:aws:(s3:::\*|(sagemaker|eks|ecr):eu-west-1:111122223333:)/);
    }
  });

  test("covers every call the report makes, and nothing it does not", async () => {
    const { clients, calls } = recordingClients();
    const report = await costReport({ env: "dev", clients, now: new Date("2026-02-01T00:00:00Z") });
    expect(report.errors).toEqual([]);
    const made = new Set(calls);
    expect(made.size).toBe(14);
    for (const a of made) expect({ a, granted: granted(a) }).toEqual({ a, granted: true });
    const allowed = new Set(statements.flatMap((s) => s.Action));
    expect([...allowed].filter((a) => !made.has(a))).toEqual([]);
  });

  test.each([
    ["fails when the account id is not 12 digits", { accountId: "123" }, /accountId must be 12 digits/],
    ["fails when the region is malformed", { region: "Europe" }, /region must look like/],
  ])("%s", (_n, bad, msg) => {
    expect(() => costReportPolicyStatements({ region: "eu-west-1", accountId: "111122223333", ...bad })).toThrow(msg);
  });
});
