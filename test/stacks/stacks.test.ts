/**
 * One synth per stack, validations (policy rules) on, plus a snapshot: a reviewer sees every
 * Terraform change of a pull request in the snapshot diff.
 */
import { Testing, TerraformStack } from "cdktf";
import { ENVIRONMENT_NAMES, EnvironmentName, loadEnvironment, PLATFORM_STACK_KINDS, STACK_KINDS, StackKind } from "../../config";
import { BootstrapStack } from "../../stacks/bootstrap";
import { DataStack } from "../../stacks/data";
import { ComputeStack } from "../../stacks/compute";
import { OpsStack } from "../../stacks/ops";
import { REQUIRED_TAG_KEYS } from "../../modules/tags";

const BUNDLE = `${__dirname}/../fixtures/scheduler.zip`;

const synthesized = new Map<string, any>();

function stackFor(env: EnvironmentName, kind: StackKind): TerraformStack {
  const app = Testing.app();
  const config = loadEnvironment(env, env === "sandbox" ? { emulatorEndpoint: "http://127.0.0.1:4566" } : {});
  switch (kind) {
    case "bootstrap":
      return new BootstrapStack(app, { config });
    case "data":
      return new DataStack(app, { config });
    case "compute":
      return new ComputeStack(app, { config });
    case "ops":
      return new OpsStack(app, { config, schedulerBundle: BUNDLE });
  }
}

/** Asset paths and hashes change with the bundle, not with the infrastructure. */
function stable(json: string): any {
  return JSON.parse(json.replace(/"source_code_hash": "[^"]*"/g, '"source_code_hash": "<hash>"').replace(/assets\/[^"]*/g, "assets/<bundle>"));
}

beforeAll(() => {
  for (const env of ENVIRONMENT_NAMES) {
    for (const kind of STACK_KINDS) {
      synthesized.set(`${env}-${kind}`, stable(Testing.synth(stackFor(env, kind), true)));
    }
  }
});

const res = (doc: any, type: string): any[] => Object.values(doc.resource?.[type] ?? {});

describe.each(ENVIRONMENT_NAMES)("%s", (env) => {
  test.each(STACK_KINDS)("%s stack synthesizes with validations on and matches its snapshot", (kind) => {
    expect(synthesized.get(`${env}-${kind}`)).toMatchSnapshot();
  });

  test("backends: S3 with native lockfile, key per env and stack, pinned account", () => {
    for (const kind of PLATFORM_STACK_KINDS) {
      const s3 = synthesized.get(`${env}-${kind}`).terraform.backend.s3;
      expect(s3).toMatchObject({ use_lockfile: true, key: `retail-forecast/${env}/${kind}.tfstate`, allowed_account_ids: [loadEnvironment(env).accountId] });
    }
    expect(synthesized.get(`${env}-bootstrap`).terraform.backend.local).toBeDefined();
  });

  test("provider: pinned account and every required cost-allocation tag", () => {
    for (const kind of STACK_KINDS) {
      const aws = synthesized.get(`${env}-${kind}`).provider.aws[0];
      expect(aws.allowed_account_ids).toEqual([loadEnvironment(env).accountId]);
      expect(Object.keys(aws.default_tags[0].tags).sort()).toEqual([...REQUIRED_TAG_KEYS].sort());
      expect(aws.default_tags[0].tags).toMatchObject({ Environment: env, ManagedBy: "cdktf", Stack: `${env}-${kind}` });
    }
  });
});

describe("what the mission asks of the synthesized platform", () => {
  test("dev node group: SPOT t3/t3a/t2 medium, 2..5, desired 2, app=retail-api", () => {
    const [ng] = res(synthesized.get("dev-compute"), "aws_eks_node_group");
    expect(ng).toMatchObject({
      capacity_type: "SPOT",
      instance_types: ["t3.medium", "t3a.medium", "t2.medium"],
      scaling_config: { min_size: 2, max_size: 5, desired_size: 2 },
      labels: { app: "retail-api" },
      tags: { Schedule: "office-hours" },
    });
  });

  test("prod keeps an on-demand floor and bursts on spot; one NAT per AZ; staging one NAT gateway; dev a spot NAT instance (issue 12)", () => {
    const groups = res(synthesized.get("prod-compute"), "aws_eks_node_group");
    expect(groups.map((g) => g.capacity_type).sort()).toEqual(["ON_DEMAND", "SPOT"]);
    expect(res(synthesized.get("prod-compute"), "aws_nat_gateway")).toHaveLength(2);
    expect(res(synthesized.get("staging-compute"), "aws_nat_gateway")).toHaveLength(1);
    expect(res(synthesized.get("dev-compute"), "aws_nat_gateway")).toHaveLength(0);
    const [lt] = res(synthesized.get("dev-compute"), "aws_launch_template").filter((t) => /-nat$/.test(t.name));
    expect(lt).toMatchObject({ instance_type: "t4g.nano", instance_market_options: { market_type: "spot" } });
    expect(res(synthesized.get("dev-compute"), "aws_autoscaling_group")).toEqual([expect.objectContaining({ min_size: 1, max_size: 1, desired_capacity: 1 })]);
  });

  test("data buckets carry the mission's lifecycle per prefix", () => {
    const lcs = res(synthesized.get("dev-data"), "aws_s3_bucket_lifecycle_configuration");
    expect(lcs).toHaveLength(3);
    for (const lc of lcs) {
      const byId = Object.fromEntries(lc.rule.map((r: any) => [r.id, r]));
      expect(byId["raw-to-intelligent-tiering"].transition).toEqual([{ days: 30, storage_class: "INTELLIGENT_TIERING" }]);
      expect(byId["silver-to-intelligent-tiering"].transition).toEqual([{ days: 30, storage_class: "INTELLIGENT_TIERING" }]);
      for (const id of ["artifacts-to-archive", "logs-to-archive"]) {
        expect(byId[id].transition).toEqual([
          { days: 90, storage_class: "GLACIER_IR" },
          { days: 180, storage_class: "DEEP_ARCHIVE" },
        ]);
      }
      expect(byId["tmp-expire"]).toMatchObject({ filter: [{ and: [{ prefix: "tmp/", tags: { temporary: "true" } }] }], expiration: [{ days: 7 }] });
    }
  });

  test("log groups keep 7 days in dev and 30 in prod; dev's data-stack groups are Infrequent Access, prod's Standard (issue 12)", () => {
    expect(res(synthesized.get("dev-data"), "aws_cloudwatch_log_group").map((g) => [g.retention_in_days, g.log_group_class])).toEqual(Array(4).fill([7, "INFREQUENT_ACCESS"]));
    expect(res(synthesized.get("prod-data"), "aws_cloudwatch_log_group").every((g) => g.retention_in_days === 30 && g.log_group_class === undefined)).toBe(true);
    // the scheduler's own group stays Standard (embedded metrics need it)
    expect(res(synthesized.get("dev-ops"), "aws_cloudwatch_log_group").map((g) => [g.name, g.retention_in_days, g.log_group_class])).toEqual([
      ["/aws/codebuild/retail-forecast-dev-compute-lifetime", 7, undefined],
      ["/aws/lambda/retail-forecast-dev-scheduler", 7, undefined],
    ]);
  });

  test("EKS logs into the data stack's log group name, which EKS would otherwise create without retention", () => {
    const [cluster] = res(synthesized.get("dev-compute"), "aws_eks_cluster");
    const names = res(synthesized.get("dev-data"), "aws_cloudwatch_log_group").map((g) => g.name);
    expect(names).toContain(`/aws/eks/${cluster.name}/cluster`);
  });

  test("scheduler: stop 19:00, start 07:00 weekdays in the configured timezone; prod schedules disabled", () => {
    const schedules = res(synthesized.get("dev-ops"), "aws_scheduler_schedule").filter((s) => /-scheduler-/.test(s.name));
    const byAction = schedules.map((s) => [JSON.parse(s.target.input).action, s.schedule_expression, s.schedule_expression_timezone, s.state]).sort();
    expect(byAction).toEqual([
      ["start", "cron(0 7 ? * MON-FRI *)", "Europe/London", "ENABLED"],
      ["stop", "cron(0 19 ? * MON-FRI *)", "Europe/London", "ENABLED"],
      ["stop-idle", "cron(0 * ? * MON-FRI *)", "Europe/London", "ENABLED"],
    ]);
    expect(res(synthesized.get("prod-ops"), "aws_scheduler_schedule").every((s) => s.state === "DISABLED")).toBe(true);
  });

  test("compute lifetime (issue 12): dev restores 06:30 and tears down 19:00 weekdays, each schedule a templated StartBuild of the project; staging's week; prod has none", () => {
    const lifetime = (env: string) =>
      res(synthesized.get(`${env}-ops`), "aws_scheduler_schedule")
        .filter((s) => /-lifetime-/.test(s.name))
        .map((s) => [s.name, s.schedule_expression, s.schedule_expression_timezone, s.target.arn, JSON.parse(s.target.input).environmentVariablesOverride[0].value]);
    expect(lifetime("dev")).toEqual([
      ["retail-forecast-dev-lifetime-restore", "cron(30 6 ? * MON-FRI *)", "Europe/London", expect.stringMatching(/^\$\{aws_codebuild_project\.[\w]+\.arn\}$/), "restore"],
      ["retail-forecast-dev-lifetime-teardown", "cron(0 19 ? * MON-FRI *)", "Europe/London", expect.stringMatching(/^\$\{aws_codebuild_project\.[\w]+\.arn\}$/), "teardown"],
    ]);
    expect(lifetime("staging").map((l) => [l[1], l[4]])).toEqual([
      ["cron(30 23 ? * SUN *)", "restore"],
      ["cron(0 0 ? * SAT *)", "teardown"],
    ]);
    expect(lifetime("prod")).toEqual([]);
    expect(res(synthesized.get("prod-ops"), "aws_codebuild_project")).toEqual([]);
  });

  test("sandbox points provider and backend at the emulator; real environments never do", () => {
    const sb = synthesized.get("sandbox-data");
    expect(sb.provider.aws[0].endpoints[0].s3).toBe("http://127.0.0.1:4566");
    expect(sb.terraform.backend.s3.endpoints).toEqual({ s3: "http://127.0.0.1:4566", sts: "http://127.0.0.1:4566", iam: "http://127.0.0.1:4566" });
    for (const env of ["dev", "staging", "prod"]) {
      expect(JSON.stringify(synthesized.get(`${env}-data`))).not.toMatch(/127\.0\.0\.1/);
    }
  });
});
