/**
 * Least privilege proven by running under it, in seconds: the emulator enforcing IAM for role
 * sessions (sandbox/emulator/patches/iam_enforcement.py), roles built from the same statement
 * functions the stacks use, the tools run with credentials from sts:AssumeRole. The end-to-end
 * sandbox run does the same against the deployed stacks (sandbox/least-privilege.ts); here each
 * role also loses one statement, and the tool's own output must name the denied action.
 */
import { AddRoleToInstanceProfileCommand, CreateInstanceProfileCommand, CreateRoleCommand, DeleteInstanceProfileCommand, GetInstanceProfileCommand, DeleteRolePolicyCommand, GetRoleCommand, GetUserCommand, IAMClient, RemoveRoleFromInstanceProfileCommand, PutRolePolicyCommand, UpdateAssumeRolePolicyCommand } from "@aws-sdk/client-iam";
import { PutBucketLifecycleConfigurationCommand } from "@aws-sdk/client-s3";
import { DeleteClusterCommand, DeleteNodegroupCommand, DescribeNodegroupCommand, EKSClient, ListClustersCommand } from "@aws-sdk/client-eks";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { CloudWatchLogsClient, CreateLogGroupCommand, DeleteLogGroupCommand, PutRetentionPolicyCommand } from "@aws-sdk/client-cloudwatch-logs";
import { CreateRepositoryCommand, ECRClient } from "@aws-sdk/client-ecr";
import { DescribeInstancesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetScheduleCommand, SchedulerClient, UpdateScheduleCommand } from "@aws-sdk/client-scheduler";
import { GetBucketIntelligentTieringConfigurationCommand, HeadBucketCommand, ListBucketsCommand, S3Client } from "@aws-sdk/client-s3";
import { ListEndpointsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { GetCostAndUsageCommand, CostExplorerClient } from "@aws-sdk/client-cost-explorer";
import { AwsCredentials, awsClientConfig } from "../../lambda/shared/aws-client";
import { loadEnvironment } from "../../config";
import { names } from "../../config/naming";
import type { EnvironmentConfig } from "../../config/types";
import { schedulerStatementsFor } from "../../stacks/ops";
import type { PolicyStatement } from "../../lambda/shared/policy";
import { costReportPolicyStatements } from "../../cost/iam";
import { costReport, reportToTable } from "../../cost/report";
import { formatSummary, scheduleCommand } from "../../cli/schedule";
import { SchedulerFailedError } from "../../lambda/scheduler/core";
import { teardown } from "../../cli/ops/teardown";
import { opsContext } from "../../cli/ops/context";
import { main as opsMain } from "../../cli/ops";
import { restore } from "../../cli/ops/restore";
import { assumeRole, decisionsSince, judge, lastDecision, opsContextAsRole, RoleSession, trustedPrincipals } from "../../sandbox/least-privilege";
import { opsFixtures, opsSuite } from "../cli/ops/helpers";
import { computeLifetimePolicyStatements } from "../../cli/ops/iam";
import { lifetimeCommand } from "../../modules/lifetime-build";
import { MONDAY_1900 } from "../../sandbox/lifetime";
import { opsCliStatements } from "../fixtures/ops-role";
import * as fx from "../lambda/emulator/fixtures";
import { spawnSync } from "child_process";
import { REPO_ROOT } from "../../tools/cdktf";
import { actionMatches } from "../../terraform";
import { UNSCOPABLE_ACTIONS } from "../../policy/rules/iam-wildcard-resource";
import { allows } from "../iam-eval";

jest.setTimeout(120_000);

const s = opsSuite({ enforceIam: true, startTimeoutMs: 90_000 });
const f = opsFixtures(() => s.ctx);
let cfg: EnvironmentConfig;
let n: ReturnType<typeof names>;
const admin = () => awsClientConfig({ region: "us-east-1", emulatorEndpoint: s.emu.endpoint });
const as = (session: RoleSession | AwsCredentials) => awsClientConfig({ region: "us-east-1", emulatorEndpoint: s.emu.endpoint, credentials: "credentials" in session ? session.credentials : session });

/** The role as the stacks make it (modules/iam.ts Role): a trust, one inline policy holding `statements`. */
async function putRole(name: string, principal: Record<string, unknown>, statements: readonly PolicyStatement[]): Promise<void> {
  const iam = new IAMClient(admin());
  const trust = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }] });
  await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust })).catch(async (err) => {
    if (err.name !== "EntityAlreadyExistsException" && err.name !== "EntityAlreadyExists") throw err;
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: trust }));
  });
  await iam.send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: `${name}-policy` })).catch(() => undefined);
  await iam.send(new PutRolePolicyCommand({ RoleName: name, PolicyName: `${name}-policy`, PolicyDocument: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }));
}

const without = (statements: readonly PolicyStatement[], sid: string) => {
  if (!statements.some((x) => x.Sid === sid)) throw new Error(`no statement ${sid} to remove`);
  return statements.filter((x) => x.Sid !== sid);
};

const withoutAction = (statements: readonly PolicyStatement[], action: string) => {
  if (!statements.some((x) => x.Action.includes(action))) throw new Error(`no statement grants ${action}`);
  return statements.map((x) => ({ ...x, Action: x.Action.filter((a) => a !== action) })).filter((x) => x.Action.length);
};

// the policy the ops stack deploys, from the same function
const schedulerStatements = () => schedulerStatementsFor(cfg);
const costStatements = () => costReportPolicyStatements({ region: cfg.region, accountId: cfg.accountId });

/** Python lines run with `c`, a botocore client of `service` signed as `session` (botocore, like the Go SDK in Terraform's provider, signs no x-amz-content-sha256). */
function botocore(session: RoleSession, service: string, ...lines: string[]) {
  const { accessKeyId, secretAccessKey, sessionToken } = session.credentials;
  const script = [
    "import boto3, sys",
    `c = boto3.client('${service}', region_name='us-east-1', endpoint_url=sys.argv[1], aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3], aws_session_token=sys.argv[4])`,
    ...lines,
  ].join("\n");
  return spawnSync(process.env.PYTHON ?? "python3", ["-c", script, s.emu.endpoint, accessKeyId, secretAccessKey, sessionToken!], { encoding: "utf8" });
}

/** The decisions the emulator made for `session` (or a principal ARN) while `fn` ran. */
async function during<T>(session: RoleSession | string, fn: () => Promise<T>): Promise<{ value: T; calls: Awaited<ReturnType<typeof decisionsSince>>["decisions"] }> {
  const mark = await lastDecision(s.emu.endpoint);
  const value = await fn();
  const principal = typeof session === "string" ? session : session.principalArn;
  const calls = (await decisionsSince(s.emu.endpoint, mark)).decisions.filter((d) => d.principal === principal);
  return { value, calls };
}

/** The data stack's app log group, as Terraform makes it (tags, retention) and removes it. */
async function appLogGroup(verb: "create" | "delete") {
  const logs = new CloudWatchLogsClient(admin());
  if (verb === "delete") return void (await logs.send(new DeleteLogGroupCommand({ logGroupName: n.logGroups.app })));
  await logs.send(new CreateLogGroupCommand({ logGroupName: n.logGroups.app, tags: { Environment: "sandbox", Stack: "sandbox-data" } }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: n.logGroups.app, retentionInDays: 7 }));
}

beforeAll(async () => {
  s.ctx = opsContext("sandbox", { emulatorEndpoint: s.emu.endpoint, log: s.log }); // the administrator's, for the fixtures
  cfg = loadEnvironment("sandbox", { emulatorEndpoint: s.emu.endpoint });
  n = names(cfg);
  const c = fx.emulatorClients(s.emu.endpoint);
  const scheduled = { Schedule: cfg.schedule.name, Environment: "sandbox" };
  await fx.createCluster(c.eks, n.cluster, scheduled);
  await fx.createNodegroup(c.eks, n.cluster, n.nodeGroup("api"), { minSize: 2, desiredSize: 2, maxSize: 5 }, scheduled);
  await fx.createEndpoint(c.sagemaker, n.endpoint, scheduled);
  await f.bucket(n.stateBucket, "sandbox-bootstrap");
  await f.bucket(n.backupBucket, "sandbox-bootstrap");
  for (const b of f.dataBuckets()) await f.bucket(b, "sandbox-data");
  await s.ctx.clients.s3.send(
    new PutBucketLifecycleConfigurationCommand({ Bucket: n.dataBucket, LifecycleConfiguration: { Rules: [{ ID: "expire", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 7 } }] } }),
  );
  await appLogGroup("create");
  await new ECRClient(admin()).send(new CreateRepositoryCommand({ repositoryName: n.ecrRepository("training") }));
  await f.deployOps(`arn:aws:iam::${cfg.accountId}:role/${n.schedulerFunction}-schedules`);
  await putRole(n.schedulerFunction, { Service: "lambda.amazonaws.com" }, schedulerStatements());
  await putRole(n.costReaderRole, { AWS: [...cfg.costReaders] }, costStatements());
});

describe("the emulator enforces IAM for role sessions", () => {
  let nothing: RoleSession;
  beforeAll(async () => {
    await putRole("only-list-clusters", { Service: "lambda.amazonaws.com" }, [{ Sid: "One", Effect: "Allow", Action: ["EKS:listclusters"], Resource: ["*"] }]);
    nothing = await assumeRole(s.emu.endpoint, "only-list-clusters");
  });

  test("enforcement is on and the administrator (the credentials Terraform deploys with) is not restricted", async () => {
    expect((await decisionsSince(s.emu.endpoint, Number.MAX_SAFE_INTEGER)).enforcing).toBe(true);
    await expect(new EC2Client(admin()).send(new DescribeInstancesCommand({}))).resolves.toBeDefined();
  });

  test("an allowed action passes, matched case-insensitively (EKS:listclusters)", async () => {
    await expect(new EKSClient(as(nothing)).send(new ListClustersCommand({}))).resolves.toBeDefined();
  });

  test.each([
    ["EKS (REST-JSON)", () => new EKSClient(as(nothing)).send(new DescribeNodegroupCommand({ clusterName: n.cluster, nodegroupName: n.nodeGroup("api") })), "AccessDeniedException", /eks:DescribeNodegroup on resource: arn:aws:eks:us-east-1:123456789012:nodegroup\/retail-forecast-sandbox\/retail-forecast-sandbox-api\/\S+ because no identity-based policy allows/],
    ["SageMaker (JSON)", () => new SageMakerClient(as(nothing)).send(new ListEndpointsCommand({})), "AccessDeniedException", /sagemaker:ListEndpoints on resource: \*/],
    ["SSM (JSON)", () => new SSMClient(as(nothing)).send(new GetParameterCommand({ Name: "/x/y" })), "AccessDeniedException", /ssm:GetParameter on resource: arn:aws:ssm:us-east-1:123456789012:parameter\/x\/y/],
    ["Cost Explorer (JSON)", () => new CostExplorerClient(as(nothing)).send(new GetCostAndUsageCommand({ TimePeriod: { Start: "2026-01-01", End: "2026-01-02" }, Granularity: "DAILY", Metrics: ["UnblendedCost"] })), "AccessDeniedException", /ce:GetCostAndUsage/],
    ["EventBridge Scheduler (REST-JSON)", () => new SchedulerClient(as(nothing)).send(new GetScheduleCommand({ Name: `${n.schedulerFunction}-stop` })), "AccessDeniedException", /scheduler:GetSchedule on resource: arn:aws:scheduler:us-east-1:123456789012:schedule\/default\/retail-forecast-sandbox-scheduler-stop/],
    ["EC2 (EC2 query)", () => new EC2Client(as(nothing)).send(new DescribeInstancesCommand({})), "UnauthorizedOperation", /ec2:DescribeInstances/],
    ["S3 (REST-XML)", () => new S3Client(as(nothing)).send(new ListBucketsCommand({})), "AccessDenied", /s3:ListAllMyBuckets on resource: arn:aws:s3:::\*/],
    ["S3 Intelligent-Tiering (a route the emulator's s3 patch adds)", () => new S3Client(as(nothing)).send(new GetBucketIntelligentTieringConfigurationCommand({ Bucket: n.dataBucket, Id: "x" })), "AccessDenied", /s3:GetIntelligentTieringConfiguration on resource: arn:aws:s3:::retail-forecast-sandbox-data-123456789012 /],
  ])("%s: denied with the action and resource named", async (_service, call, name, message) => {
    const err = await call().then(() => undefined, (e: Error) => e);
    expect(err?.name).toBe(name);
    expect(err?.message).toMatch(message);
    expect(err?.message).toContain(nothing.principalArn);
  });

  test("a bodyless GET signed without x-amz-content-sha256 (as the Go SDK in Terraform's provider and botocore sign) passes the signature check", () => {
    // The JS SDK signs the empty payload's hash as a header; the Go SDK does not, and moto then
    // signed the request's headers as its payload (SignatureDoesNotMatch on every Terraform read).
    const out = botocore(nothing, "eks", "import json", "print(json.dumps(c.list_clusters()['clusters']))");
    expect(out.stderr).not.toMatch(/SignatureDoesNotMatch/);
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual(expect.any(Array));
  });

  test("a HEAD request's denial has no body to name the action in (as on AWS); the decision log names it", async () => {
    const { value, calls } = await during(nothing, () => new S3Client(as(nothing)).send(new HeadBucketCommand({ Bucket: n.stateBucket })).then(() => undefined, (e) => e));
    expect(value.$metadata.httpStatusCode).toBe(403);
    expect(calls).toEqual([expect.objectContaining({ action: "s3:ListBucket", resource: `arn:aws:s3:::${n.stateBucket}`, allowed: false, decision: "implicit-deny" })]);
  });

  test("an ARN-scoped statement allows only what it names; an explicit Deny wins; conditions are not evaluated (a known gap)", async () => {
    await putRole("scoped", { Service: "lambda.amazonaws.com" }, [
      { Sid: "Params", Effect: "Allow", Action: ["ssm:Get*"], Resource: [`arn:aws:ssm:us-east-1:${cfg.accountId}:parameter/a/*`] },
      { Sid: "NotTheSecret", Effect: "Deny", Action: ["ssm:GetParameter"], Resource: [`arn:aws:ssm:us-east-1:${cfg.accountId}:parameter/a/secret`] },
      { Sid: "Tagged", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: [`arn:aws:ssm:us-east-1:${cfg.accountId}:parameter/t/*`], Condition: { StringEquals: { "aws:ResourceTag/Team": "nobody" } } },
    ]);
    const scoped = await assumeRole(s.emu.endpoint, "scoped");
    const get = (name: string) => new SSMClient(as(scoped)).send(new GetParameterCommand({ Name: name })).then(() => "found", (e: Error) => e.name);
    const { value, calls } = await during(scoped, async () => [await get("/a/x"), await get("/b/x"), await get("/a/secret"), await get("/t/x")]);
    // authorized, then not found; denied; denied explicitly; allowed though the tag condition cannot hold
    expect(value).toEqual(["ParameterNotFound", "AccessDeniedException", "AccessDeniedException", "ParameterNotFound"]);
    expect(calls.map((d) => [d.decision, d.statement, d.conditionsIgnored])).toEqual([
      ["allow", "Params", false],
      ["implicit-deny", null, false],
      ["explicit-deny", "NotTheSecret", false],
      ["allow", "Tagged", true],
    ]);
  });

  test("iam:PassRole is checked on the role a call hands to a service (UpdateSchedule's target role)", async () => {
    const scheduleArn = `arn:aws:scheduler:us-east-1:${cfg.accountId}:schedule/default/${n.schedulerFunction}-*`;
    const schedule = await s.ctx.clients.scheduler.send(new GetScheduleCommand({ Name: `${n.schedulerFunction}-stop` }));
    const update = async (session: RoleSession) => {
      const client = new SchedulerClient(as(session));
      const { Name, ScheduleExpression, ScheduleExpressionTimezone, FlexibleTimeWindow, Target, State } = schedule;
      return client.send(new UpdateScheduleCommand({ Name, ScheduleExpression, ScheduleExpressionTimezone, FlexibleTimeWindow, Target, State })).then(() => "updated", (e: Error) => e.message);
    };
    await putRole("pauser", { Service: "codebuild.amazonaws.com" }, [{ Sid: "Update", Effect: "Allow", Action: ["scheduler:GetSchedule", "scheduler:UpdateSchedule"], Resource: [scheduleArn] }]);
    expect(await update(await assumeRole(s.emu.endpoint, "pauser"))).toMatch(
      new RegExp(`iam:PassRole on resource: arn:aws:iam::${cfg.accountId}:role/${n.schedulerFunction}-schedules because no identity-based policy allows`),
    );
    await putRole("pauser", { Service: "codebuild.amazonaws.com" }, [
      { Sid: "Update", Effect: "Allow", Action: ["scheduler:GetSchedule", "scheduler:UpdateSchedule"], Resource: [scheduleArn] },
      { Sid: "Pass", Effect: "Allow", Action: ["iam:PassRole"], Resource: [`arn:aws:iam::${cfg.accountId}:role/${n.schedulerFunction}-schedules`] },
    ]);
    expect(await update(await assumeRole(s.emu.endpoint, "pauser"))).toBe("updated");
  });

  test("iam:GetUser without a name from a role session is a ValidationError, as on AWS; a query-protocol denial is ErrorResponse/Error (the Go SDK's shape)", async () => {
    const mark = await lastDecision(s.emu.endpoint);
    const iam = new IAMClient(as(nothing));
    const err = await iam.send(new GetUserCommand({})).then(() => undefined, (e: Error) => e);
    expect({ name: err?.name, message: err?.message }).toEqual({ name: "ValidationError", message: "Must specify userName when calling with non-User credentials" });
    const denied = await iam.send(new GetRoleCommand({ RoleName: "only-list-clusters" })).then(() => undefined, (e: Error & { $response?: unknown }) => e);
    expect(denied?.name).toBe("AccessDenied");
    expect(denied?.message).toMatch(/iam:GetRole on resource: arn:aws:iam::\d+:role\/only-list-clusters/);
    // the body as the Go SDK's awsquery reader wants it: one Error under ErrorResponse
    const raw = botocore(
      nothing,
      "iam",
      "c.meta.events.register('after-call.iam.GetRole', lambda http_response, **kw: print(http_response.text))",
      "try: c.get_role(RoleName='only-list-clusters')\nexcept Exception: pass",
    );
    expect(raw.stdout).toMatch(/<ErrorResponse><Error><Type>Sender<\/Type><Code>AccessDenied<\/Code>/);
    const log = (await decisionsSince(s.emu.endpoint, mark)).decisions.filter((d) => d.principal === nothing.principalArn);
    expect(log.map((d) => [d.action, d.decision])).toEqual([["iam:GetUser", "invalid"], ["iam:GetRole", "implicit-deny"], ["iam:GetRole", "implicit-deny"]]);
    expect(() => judge("get-user", log.slice(0, 1))).not.toThrow();
    expect(judge("get-user", log.slice(0, 1))).toMatch(/1 answered ValidationError as on AWS \(iam:GetUser\)/);
  });

  test("instance-profile calls are authorized on the profile, not on the role they name; adding a role also needs iam:PassRole on it", async () => {
    const account = cfg.accountId;
    const profile = (name: string) => `arn:aws:iam::${account}:instance-profile/${name}`;
    await putRole("profiled", { Service: "ec2.amazonaws.com" }, [{ Sid: "Who", Effect: "Allow", Action: ["sts:GetCallerIdentity"], Resource: ["*"] }]);
    const statements: PolicyStatement[] = [
      { Sid: "Profile", Effect: "Allow", Action: ["iam:CreateInstanceProfile", "iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile"], Resource: [profile("lp-one")] },
    ];
    await putRole("profiler", { Service: "codebuild.amazonaws.com" }, statements);
    const iam = async () => new IAMClient(as(await assumeRole(s.emu.endpoint, "profiler")));
    const run = (p: Promise<unknown>) => p.then(() => "ok", (e: Error) => e.message);
    expect(await run((await iam()).send(new CreateInstanceProfileCommand({ InstanceProfileName: "lp-one" })))).toBe("ok");
    expect(await run((await iam()).send(new CreateInstanceProfileCommand({ InstanceProfileName: "lp-two" })))).toMatch(`iam:CreateInstanceProfile on resource: ${profile("lp-two")}`);
    expect(await run((await iam()).send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "lp-one", RoleName: "profiled" })))).toMatch(`iam:PassRole on resource: arn:aws:iam::${account}:role/profiled`);
    await putRole("profiler", { Service: "codebuild.amazonaws.com" }, [...statements, { Sid: "Pass", Effect: "Allow", Action: ["iam:PassRole"], Resource: [`arn:aws:iam::${account}:role/profiled`] }]);
    expect(await run((await iam()).send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: "lp-one", RoleName: "profiled" })))).toBe("ok");
    expect(await run((await iam()).send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: "lp-one", RoleName: "profiled" })))).toBe("ok");
    expect(await run((await iam()).send(new DeleteInstanceProfileCommand({ InstanceProfileName: "lp-one" })))).toBe("ok");

    // a path is part of the ARN: calls that do not carry it are checked on the profile's real ARN
    await putRole("profiler", { Service: "codebuild.amazonaws.com" }, [
      { Sid: "Profile", Effect: "Allow", Action: ["iam:CreateInstanceProfile", "iam:GetInstanceProfile", "iam:DeleteInstanceProfile"], Resource: [profile("eks/*")] },
      { Sid: "Wrong", Effect: "Allow", Action: ["iam:GetInstanceProfile"], Resource: [profile("lp-pathed")] },
    ]);
    expect(await run((await iam()).send(new CreateInstanceProfileCommand({ InstanceProfileName: "lp-pathed", Path: "/eks/" })))).toBe("ok");
    expect(await run((await iam()).send(new GetInstanceProfileCommand({ InstanceProfileName: "lp-pathed" })))).toBe("ok");
    await putRole("profiler", { Service: "codebuild.amazonaws.com" }, [{ Sid: "Wrong", Effect: "Allow", Action: ["iam:GetInstanceProfile"], Resource: [profile("lp-pathed")] }]);
    expect(await run((await iam()).send(new GetInstanceProfileCommand({ InstanceProfileName: "lp-pathed" })))).toMatch(`iam:GetInstanceProfile on resource: ${profile("eks/lp-pathed")}`);
    await new IAMClient(admin()).send(new DeleteInstanceProfileCommand({ InstanceProfileName: "lp-pathed" }));
  });
});

test('the emulator takes Resource "*" for exactly the actions the policy rules call unscopable (CKV_AWS_355), and resolves a resource for the others', () => {
  const dump = spawnSync(process.env.PYTHON ?? "python3", ["-c", "import json, sys; sys.path.insert(0, 'sandbox/emulator'); from patches import iam_enforcement as m; print(json.dumps({a: f is m.STAR for a, f in m.RESOURCES.items()}))"], {
    cwd: REPO_ROOT,
    encoding: "utf8",
  });
  expect(dump.stderr).toBe("");
  const table: Record<string, boolean> = JSON.parse(dump.stdout);
  expect(Object.keys(table).length).toBeGreaterThan(20);
  for (const [action, star] of Object.entries(table)) {
    expect({ action, star, unscopable: UNSCOPABLE_ACTIONS.some((u) => actionMatches(u, action)) }).toEqual({ action, star, unscopable: star });
  }
});

describe("the scheduler core as the scheduler's role", () => {
  test("stop and start complete with every call allowed, writes included; the trust names lambda.amazonaws.com", async () => {
    const role = await assumeRole(s.emu.endpoint, n.schedulerFunction);
    expect(trustedPrincipals(role.trust)).toEqual(["lambda.amazonaws.com"]);
    const { value: summaries, calls } = await during(role, async () => [
      await scheduleCommand({ action: "stop", env: "sandbox", emulatorEndpoint: s.emu.endpoint, credentials: role.credentials }),
      await scheduleCommand({ action: "start", env: "sandbox", emulatorEndpoint: s.emu.endpoint, credentials: role.credentials }),
    ]);
    expect(summaries.map((x) => x.results.map((r) => `${r.kind} ${r.outcome}`).sort())).toEqual([
      ["endpoint stopped", "nodegroup stopped", "rule stopped"],
      ["endpoint started", "nodegroup started", "rule started"],
    ]);
    expect(judge(role.roleName, calls)).toMatch(/^\d+ calls, \d+ actions, all allowed/);
    for (const a of ["eks:UpdateNodegroupConfig", "sagemaker:DeleteEndpoint", "sagemaker:CreateEndpoint", "sagemaker:AddTags", "events:DisableRule", "events:EnableRule", "ssm:PutParameter", "ssm:DeleteParameter"]) {
      expect(calls.map((d) => d.action)).toContain(a);
    }
  });

  test("without the node-group statement, stop fails that target naming eks:UpdateNodegroupConfig, tries every other target, and the output says so", async () => {
    await putRole(n.schedulerFunction, { Service: "lambda.amazonaws.com" }, without(schedulerStatements(), "EksScaleScheduledNodegroups"));
    const role = await assumeRole(s.emu.endpoint, n.schedulerFunction);
    try {
      const err = await scheduleCommand({ action: "stop", env: "sandbox", emulatorEndpoint: s.emu.endpoint, credentials: role.credentials }).then(
        () => undefined,
        (e) => e,
      );
      expect(err).toBeInstanceOf(SchedulerFailedError);
      expect(err.message).toMatch(/nodegroup retail-forecast-sandbox\/retail-forecast-sandbox-api: AccessDeniedException: User: \S+ is not authorized to perform: eks:UpdateNodegroupConfig/);
      const printed = formatSummary((err as SchedulerFailedError).summary); // what `ops schedule` prints before exiting 1
      expect(printed).toMatch(/nodegroup\s+retail-forecast-sandbox\/retail-forecast-sandbox-api\s+failed\s+AccessDeniedException: .*eks:UpdateNodegroupConfig/);
      expect(printed).toMatch(/endpoint\s+retail-forecast-sandbox-forecast\s+stopped/);
      const scaling = (await s.ctx.clients.eks.send(new DescribeNodegroupCommand({ clusterName: n.cluster, nodegroupName: n.nodeGroup("api") }))).nodegroup!.scalingConfig;
      expect(scaling).toEqual({ minSize: 2, desiredSize: 2, maxSize: 5 });
    } finally {
      await putRole(n.schedulerFunction, { Service: "lambda.amazonaws.com" }, schedulerStatements());
      const whole = await assumeRole(s.emu.endpoint, n.schedulerFunction);
      await scheduleCommand({ action: "start", env: "sandbox", emulatorEndpoint: s.emu.endpoint, credentials: whole.credentials });
    }
  });

  test("the Lambda handler with the role's credentials in its environment (as Lambda runs it) throws naming the denied action", async () => {
    await putRole(n.schedulerFunction, { Service: "lambda.amazonaws.com" }, without(schedulerStatements(), "SsmStopRecords"));
    const role = await assumeRole(s.emu.endpoint, n.schedulerFunction);
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: s.emu.endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: role.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: role.credentials.secretAccessKey,
      AWS_SESSION_TOKEN: role.credentials.sessionToken,
      SCHEDULE_NAME: cfg.schedule.name,
      RECORD_PREFIX: n.schedulerRecordPrefix,
    });
    const logged: string[] = [];
    const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => (logged.push(String(chunk)), true));
    const errOut = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => (logged.push(String(chunk)), true));
    try {
      let handler!: (e: unknown) => Promise<unknown>;
      jest.isolateModules(() => {
        handler = require("../../lambda/scheduler/handler").handler;
      });
      const err = await handler({ action: "stop", dryRun: true }).then(() => undefined, (e) => e);
      expect(err?.message).toMatch(/not authorized to perform: ssm:GetParametersByPath on resource: arn:aws:ssm:us-east-1:123456789012:parameter\/retail-forecast\/sandbox\/scheduler\//);
      expect(logged.join("")).toMatch(/"message":"scheduler failed".*ssm:GetParametersByPath/);
    } finally {
      out.mockRestore();
      errOut.mockRestore();
      process.env = saved;
      await putRole(n.schedulerFunction, { Service: "lambda.amazonaws.com" }, schedulerStatements());
    }
  });
});

describe("cost report as the cost reader role", () => {
  test("the whole report with every call allowed and no errors; the trust names the configured readers", async () => {
    const role = await assumeRole(s.emu.endpoint, n.costReaderRole);
    expect(trustedPrincipals(role.trust)).toEqual([...cfg.costReaders]);
    const { value: report, calls } = await during(role, () => costReport({ env: "sandbox", emulatorEndpoint: s.emu.endpoint, credentials: role.credentials }));
    expect(report.errors).toEqual([]);
    expect(report.totalUsd).toBeGreaterThan(0);
    expect(judge(role.roleName, calls)).toMatch(/all allowed/);
    expect(new Set(calls.map((d) => d.action))).toEqual(
      new Set([
        "ce:GetCostAndUsage", "s3:ListAllMyBuckets", "s3:GetLifecycleConfiguration", "logs:DescribeLogGroups", "sagemaker:ListEndpoints", "sagemaker:DescribeEndpoint",
        "sagemaker:DescribeEndpointConfig", "cloudwatch:GetMetricStatistics", "eks:ListClusters", "eks:ListNodegroups", "eks:DescribeNodegroup",
        "ecr:DescribeRepositories", "ecr:GetLifecyclePolicy", "ecr:DescribeImages",
      ]),
    );
  });

  test("without the Cost Explorer statement, the report's errors and its printed table name ce:GetCostAndUsage", async () => {
    await putRole(n.costReaderRole, { AWS: [...cfg.costReaders] }, without(costStatements(), "CostExplorer"));
    try {
      const role = await assumeRole(s.emu.endpoint, n.costReaderRole);
      const report = await costReport({ env: "sandbox", emulatorEndpoint: s.emu.endpoint, credentials: role.credentials });
      expect(report.errors).toEqual([
        expect.stringMatching(/^Cost Explorer by service: AccessDeniedException: User: \S+ is not authorized to perform: ce:GetCostAndUsage/),
        expect.stringMatching(/^Cost Explorer by Project tag: AccessDeniedException: .*ce:GetCostAndUsage/),
      ]);
      expect(reportToTable(report)).toMatch(/errors:\n {2}! Cost Explorer by service: AccessDeniedException: .*ce:GetCostAndUsage/);
    } finally {
      await putRole(n.costReaderRole, { AWS: [...cfg.costReaders] }, costStatements());
    }
  });
});

describe("teardown and restore as a role (the seam for the role the scheduled cycle runs as)", () => {
  const opsRole = "ops-cli-test-role";
  const prepare = async () => {
    await f.deployedState("data", 3);
    await f.deployedState("compute", 4);
    await f.put(n.dataBucket, "silver/sales.parquet", "silver-bytes");
  };
  /** cdktf faked as the administrator (Terraform's own permissions are not the ops CLI's): a destroy takes the stack's resources with it. */
  const cdktf = (calls: string[]) =>
    f.fakeCdktf(calls, {
      before: async (verb, kind) => {
        if (verb === "destroy" && kind === "compute") {
          const eks = s.ctx.clients.eks;
          await eks.send(new DeleteNodegroupCommand({ clusterName: n.cluster, nodegroupName: n.nodeGroup("api") })).catch(() => undefined);
          await eks.send(new DeleteClusterCommand({ name: n.cluster })).catch(() => undefined);
        }
        if (kind === "data") await appLogGroup(verb === "destroy" ? "delete" : "create");
      },
    });

  test("teardown --yes, then restore, complete as a role holding only the ops CLI's statements; every call allowed", async () => {
    await putRole(opsRole, { Service: "codebuild.amazonaws.com" }, opsCliStatements(cfg));
    await prepare();
    const calls: string[] = [];
    const ctx = await opsContextAsRole("sandbox", opsRole, { emulatorEndpoint: s.emu.endpoint, log: s.log });
    // cdktf and Terraform get the same session as the SDK clients
    expect(ctx.childEnv.AWS_ACCESS_KEY_ID).toBe((await ctx.clients.s3.config.credentials()).accessKeyId);
    expect(ctx.childEnv.AWS_ACCESS_KEY_ID).not.toBe("testing");
    const { value, calls: decisions } = await during(`arn:aws:sts::${cfg.accountId}:assumed-role/${opsRole}/ops-sandbox`, async () => {
      const t = await teardown(ctx, { yes: true, isTty: false, cdktf: cdktf(calls) });
      const r = await restore(ctx, { cdktf: cdktf(calls) });
      // with data: a checked backup of every object, the buckets emptied (versions too), restored from the backup
      const td = await teardown(ctx, { yes: true, isTty: false, includeData: true, cdktf: cdktf(calls) });
      const rd = await restore(ctx, { cdktf: cdktf(calls) });
      return { t, r, td, rd };
    });
    if (![value.t.ok, value.r.ok, value.td.ok, value.rd.ok].every(Boolean)) console.log(s.output());
    expect([value.t.ok, value.r.ok, value.td.ok, value.rd.ok]).toEqual([true, true, true, true]);
    expect(value.rd.manifest?.backupId).toBe(value.td.backupId);
    expect(await f.read(n.dataBucket, "silver/sales.parquet")).toBe("silver-bytes");
    expect(calls).toEqual(["destroy sandbox-compute", "deploy sandbox-compute", "destroy sandbox-compute", "destroy sandbox-data", "deploy sandbox-data", "deploy sandbox-compute"]);
    expect(judge(opsRole, decisions)).toMatch(/all allowed/);
    for (const a of ["scheduler:UpdateSchedule", "iam:PassRole", "events:DisableRule", "events:EnableRule", "s3:PutObject", "s3:GetObject", "s3:DeleteObjectVersion", "tag:GetResources"]) {
      expect(decisions.map((d) => d.action)).toContain(a);
    }
  });

  test("without iam:PassRole on the schedules' role, the pause step fails naming iam:PassRole and the teardown reports FAILED (it goes on to destroy compute, by design)", async () => {
    await putRole(opsRole, { Service: "codebuild.amazonaws.com" }, without(opsCliStatements(cfg), "SchedulesPassRole"));
    await prepare();
    const calls: string[] = [];
    const ctx = await opsContextAsRole("sandbox", opsRole, { emulatorEndpoint: s.emu.endpoint, log: s.log });
    const t = await teardown(ctx, { yes: true, isTty: false, cdktf: cdktf(calls) });
    expect(t.ok).toBe(false);
    const pause = t.steps.find((x) => x.step === "pause")!;
    expect(pause.status).toBe("failed");
    expect(pause.detail).toMatch(
      new RegExp(`^3 of 4 failed: schedule ${n.schedulerFunction}-start: User: \\S+ is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/${n.schedulerFunction}-schedules`),
    );
    expect(s.output()).toMatch(/teardown sandbox: FAILED/);
    expect(t.left).toMatch(/Some steps failed \(above\)\. Rerun to finish/);
    // the rule needs no role: it was paused; the schedules were not
    expect(await f.scheduleStates()).toEqual({ start: "ENABLED", stop: "ENABLED", "stop-idle": "ENABLED" });
  });

  test("without s3:ListBucket on the data buckets, `ops teardown --include-data` refuses before changing anything and names it (a HEAD request's 403 has no message of its own)", async () => {
    await putRole(opsRole, { Service: "codebuild.amazonaws.com" }, without(opsCliStatements(cfg), "DataBuckets"));
    await prepare();
    const calls: string[] = [];
    const session = await assumeRole(s.emu.endpoint, opsRole);
    const printed: string[] = [];
    const stderr = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => (printed.push(String(chunk)), true));
    let code: number;
    try {
      code = await opsMain(["teardown", "sandbox", "--yes", "--include-data"], { emulatorEndpoint: s.emu.endpoint, log: s.log, cdktf: cdktf(calls), credentials: session.credentials, isTty: false });
    } finally {
      stderr.mockRestore();
    }
    expect(code).toBe(1);
    expect(calls).toEqual([]);
    expect(printed.join("")).toMatch(/^ops: access denied: not authorized to perform s3:ListBucket on arn:aws:s3:::retail-forecast-sandbox-data-123456789012 /m);
    expect(await f.scheduleStates()).toEqual({ start: "ENABLED", stop: "ENABLED", "stop-idle": "ENABLED" });
  });

  test("without tag:GetResources, the verify after a teardown fails naming it rather than falling back to the per-service listings", async () => {
    await putRole(opsRole, { Service: "codebuild.amazonaws.com" }, withoutAction(opsCliStatements(cfg), "tag:GetResources"));
    await prepare();
    const ctx = await opsContextAsRole("sandbox", opsRole, { emulatorEndpoint: s.emu.endpoint, log: s.log });
    const t = await teardown(ctx, { yes: true, isTty: false, cdktf: cdktf([]) });
    expect(t.ok).toBe(false);
    expect(t.steps.find((x) => x.step === "verify")).toMatchObject({ status: "failed", detail: expect.stringMatching(/not authorized to perform: tag:GetResources on resource: \*/) });
    expect(s.output()).not.toMatch(/relying on the per-service listings/);
    await restore(await opsContextAsRole("sandbox", opsRole, { emulatorEndpoint: s.emu.endpoint, log: s.log }), { cdktf: cdktf([]) });
  });

  test("the scheduled teardown as the compute lifetime's role (the policy the ops stack deploys): every call allowed; without PauseSchedulerSchedules the run fails naming the action (compute is still destroyed, by design: paused or not, the schedules find nothing to stop)", async () => {
    const lifetimeRole = n.lifetimeRole;
    const scheduled = async (statements: readonly PolicyStatement[]) => {
      await putRole(lifetimeRole, { Service: "codebuild.amazonaws.com" }, statements);
      await prepare();
      const calls: string[] = [];
      const session = await assumeRole(s.emu.endpoint, lifetimeRole, "AWSCodeBuild-test");
      const { value: code, calls: decisions } = await during(session, () =>
        opsMain(lifetimeCommand("teardown", cfg.name), { emulatorEndpoint: s.emu.endpoint, log: s.log, cdktf: cdktf(calls), credentials: session.credentials, isTty: false, now: () => MONDAY_1900 }),
      );
      return { code, calls, decisions };
    };
    const full = await scheduled(computeLifetimePolicyStatements(cfg));
    if (full.code !== 0) console.log(s.output());
    expect(full.code).toBe(0);
    expect(full.calls).toEqual(["destroy sandbox-compute"]);
    expect(judge(lifetimeRole, full.decisions)).toMatch(/all allowed/);
    for (const a of ["scheduler:UpdateSchedule", "iam:PassRole", "events:DisableRule", "ssm:PutParameter", "tag:GetResources"]) expect(full.decisions.map((d) => d.action)).toContain(a);
    await restore(s.ctx, { cdktf: cdktf([]) });

    const cut = await scheduled(without(computeLifetimePolicyStatements(cfg), "PauseSchedulerSchedules"));
    expect(cut.code).toBe(1);
    expect(cut.calls).toEqual(["destroy sandbox-compute"]);
    expect(cut.decisions.filter((d) => !d.allowed).map((d) => d.action)).toContain("scheduler:GetSchedule");
    expect(s.output()).toMatch(/not authorized to perform: scheduler:GetSchedule on resource: arn:aws:scheduler:/);
    await restore(s.ctx, { cdktf: cdktf([]) });
  });

  test("the ops role's iam:PassRole is for EventBridge Scheduler only: iam:PassedToService, which the emulator does not evaluate", () => {
    const role = `arn:aws:iam::${cfg.accountId}:role/${n.schedulerFunction}-schedules`;
    const statements = opsCliStatements(cfg);
    expect(allows(statements, "iam:PassRole", role, { "iam:PassedToService": "scheduler.amazonaws.com" })).toBe(true);
    expect(allows(statements, "iam:PassRole", role, { "iam:PassedToService": "lambda.amazonaws.com" })).toBe(false);
    expect(allows(statements, "iam:PassRole", `arn:aws:iam::${cfg.accountId}:role/anything-else`, { "iam:PassedToService": "scheduler.amazonaws.com" })).toBe(false);
  });
});
