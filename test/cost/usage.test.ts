/**
 * The usage profile is checked against the synthesis it prices: every key names a resource by
 * Terraform address, every value fits its pricer's schema. Each failure names the file, the
 * path, the value and what is allowed.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { estimate } from "../../cost/estimate";
import { loadUsage, UsageError } from "../../cost/usage";
import { modelOf } from "../../terraform";
import { prices, priceStacks } from "./pricers/helpers";

const stacks = {
  "dev-data": { aws_s3_bucket: { DataBucket_E3889A50: { bucket: "acme-data", "//": { metadata: { path: "dev-data/DataBucket/Resource" } } } } },
  "dev-compute": { aws_vpc: { Network_1C6012B5: { cidr_block: "10.0.0.0/16" } }, aws_iam_role: { Role: { name: "r" } } },
  "dev-ops": { aws_cloudwatch_log_group: { Logs: { name: "/acme/fn" } } },
};
const check = (profile: Record<string, unknown>, o: { lenient?: boolean } = {}) => priceStacks(stacks, profile, { file: "cost/usage/dev.json", ...o });

describe("usage profile keys", () => {
  test("fails on an address the synthesis does not have, naming the stacks and the resources of that type", () => {
    expect(() => check({ resources: { "aws_s3_bucket.Nope": {} } })).toThrow(
      'cost/usage/dev.json: resources."aws_s3_bucket.Nope": no such resource in dev-data, dev-compute, dev-ops; aws_s3_bucket resources: aws_s3_bucket.DataBucket_E3889A50 (dev-data/DataBucket/Resource)',
    );
  });

  test("fails on a construct path, pointing at the address to use instead", () => {
    expect(() => check({ resources: { "dev-data/DataBucket": {} } })).toThrow(
      'cost/usage/dev.json: resources."dev-data/DataBucket": a construct path; name the resource by its Terraform address: aws_s3_bucket.DataBucket_E3889A50',
    );
  });

  test("fails on a key that is not an address at all (the old substring keys)", () => {
    expect(() => check({ resources: { "-data-": {} } })).toThrow(/resources."-data-": not a Terraform address; expected <type>.<name>/);
  });

  test("fails on a type no pricer takes usage for, listing the types that do", () => {
    expect(() => check({ resources: { "aws_iam_role.Role": {} } })).toThrow(
      /resources."aws_iam_role.Role": no pricer prices aws_iam_role; types with usage: aws_cloudwatch_log_group, aws_codebuild_project, aws_ecr_repository, aws_eks_node_group, aws_lambda_function, aws_s3_bucket, aws_sagemaker_endpoint, aws_vpc$/,
    );
    expect(() => check({ defaults: { aws_sqs_queue: {} } })).toThrow(/defaults.aws_sqs_queue: aws_sqs_queue takes no usage/);
  });

  test("fails on an unknown field, listing the allowed ones", () => {
    expect(() => check({ resources: { "aws_vpc.Network_1C6012B5": { natGbPerMonth: 5 } } })).toThrow(
      'cost/usage/dev.json: resources."aws_vpc.Network_1C6012B5".natGbPerMonth: unknown key; allowed: natProcessedGbPerMonth, s3TrafficGbPerMonth',
    );
    expect(() => check({ network: {} })).toThrow(/cost\/usage\/dev.json: network: unknown key; allowed: \$comment, env, description, horizonMonths, scheduleYear, spotDiscount, defaults, resources, logGroupsOutsideTerraform, kubernetesLoadBalancers, sagemakerTraining/);
  });

  test("fails on a value outside its schema, with path, value and the bound", () => {
    expect(() => check({ resources: { "aws_cloudwatch_log_group.Logs": { ingestGbPerDay: -1 } } })).toThrow(
      'cost/usage/dev.json: resources."aws_cloudwatch_log_group.Logs".ingestGbPerDay: -1 is not allowed; must be >= 0',
    );
    expect(() => check({ resources: { "aws_cloudwatch_log_group.Logs": { ingestGbPerDay: "1" } } })).toThrow('ingestGbPerDay: "1" is not allowed; expected a number');
    expect(() => check({ horizonMonths: 0 })).toThrow("cost/usage/dev.json: horizonMonths: 0 is not allowed; must be >= 1");
  });

  test("lists every problem at once, one per line", () => {
    try {
      check({ resources: { "aws_s3_bucket.Nope": {}, "aws_cloudwatch_log_group.Logs": { ingestGbPerDay: -1 } } });
      throw new Error("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(UsageError);
      expect((e as Error).message.split("\n")).toHaveLength(2);
    }
  });

  test("fails on a spot discount for an instance family the price table does not know", () => {
    expect(() => check({ spotDiscount: { zz9: 0.5 } })).toThrow(/spotDiscount.zz9: not an instance family or type of cost\/prices\/us-east-1.json; allowed: .*t3/);
    expect(() => check({ spotDiscount: { t3: 1 } })).toThrow("spotDiscount.t3: 1 is not allowed; must be < 1");
  });

  test("an address in two stacks must say which: <stack>:<address>", () => {
    const twice = { ...stacks, "dev-ops": { aws_cloudwatch_log_group: { Logs: { name: "/acme/fn" } } }, "dev-data": { aws_cloudwatch_log_group: { Logs: { name: "/acme/app" } } } };
    const run = (resources: Record<string, unknown>) => priceStacks(twice, { resources }, { file: "p.json" });
    expect(() => run({ "aws_cloudwatch_log_group.Logs": { ingestGbPerDay: 1 } })).toThrow(
      'p.json: resources."aws_cloudwatch_log_group.Logs": aws_cloudwatch_log_group.Logs is in dev-data and dev-ops; write <stack>:aws_cloudwatch_log_group.Logs',
    );
    const e = run({ "dev-data:aws_cloudwatch_log_group.Logs": { ingestGbPerDay: 1 } });
    const logs = e.components.find((c) => c.id === "logs")!;
    expect(logs.lines.optimized.map((l) => l.resource)).toEqual(["dev-data:aws_cloudwatch_log_group.Logs", "dev-data:aws_cloudwatch_log_group.Logs"]);
  });

  test("a profile written for another synthesis (the base of --compare) warns about what that one lacks", () => {
    const e = check({ resources: { "aws_s3_bucket.Nope": {} } }, { lenient: true });
    expect(e.warnings).toEqual([expect.stringMatching(/^cost\/usage\/dev.json: resources."aws_s3_bucket.Nope": no such resource in .* \(usage not applied to this synthesis\)$/)]);
    // a value outside its schema is still an error
    expect(() => check({ horizonMonths: -3 }, { lenient: true })).toThrow(/horizonMonths/);
  });
});

describe("usage profile files", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "usage-"));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("fails when the file is missing, not JSON, or for another environment", () => {
    expect(() => loadUsage("dev", dir)).toThrow(/no usage profile for environment dev: .*dev.json does not exist/);
    fs.writeFileSync(path.join(dir, "dev.json"), "{ nope");
    expect(() => loadUsage("dev", dir)).toThrow(/dev.json: not JSON/);
    fs.writeFileSync(path.join(dir, "dev.json"), JSON.stringify({ env: "prod" }));
    expect(() => loadUsage("dev", dir)).toThrow(/dev.json: env is "prod", expected "dev"/);
  });

  test("an edited profile is read again on the next estimate (nothing cached)", () => {
    const model = modelOf([{ name: "dev-ops", doc: { resource: { aws_cloudwatch_log_group: { Logs: { name: "/acme/fn" } } } } }]);
    const run = (gb: number) => {
      fs.writeFileSync(path.join(dir, "dev.json"), JSON.stringify({ env: "dev", resources: { "aws_cloudwatch_log_group.Logs": { ingestGbPerDay: gb } } }));
      return estimate({ env: "dev", model, usage: loadUsage("dev", dir), prices }).optimizedMonthlyUsd;
    };
    expect(run(2)).toBeCloseTo(2 * run(1), 1);
  });
});
