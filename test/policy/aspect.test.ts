import { Testing } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { loadEnvironment } from "../../config";
import { DataStack } from "../../stacks/data";
import { ComputeStack } from "../../stacks/compute";
import { isExcepted, POLICY_EXCEPTIONS } from "../../policy/exceptions";
import { renderExceptions } from "../../policy/cli";
import { RULES } from "../../policy/rules";

describe("policy aspect on real stacks", () => {
  test("fails synth when a bare bucket is added, naming rule, path and reason", () => {
    const app = Testing.app();
    const stack = new DataStack(app, { config: loadEnvironment("dev") });
    new S3Bucket(stack, "Careless", { bucket: "careless" });
    expect(() => Testing.synth(stack, true)).toThrow(/policy CKV2_AWS_6: dev-data\/Careless: bucket has no aws_s3_bucket_public_access_block/);
    expect(() => Testing.synth(stack, true)).toThrow(/policy CKV2_AWS_61: dev-data\/Careless: bucket has no lifecycle configuration/);
    expect(() => Testing.synth(stack, true)).toThrow(/policy AVD-AWS-0094: dev-data\/Careless/);
  });

  test("fails synth when a log group keeps logs forever", () => {
    const app = Testing.app();
    const stack = new DataStack(app, { config: loadEnvironment("dev") });
    new CloudwatchLogGroup(stack, "Forever", { name: "/forever" });
    expect(() => Testing.synth(stack, true)).toThrow(/policy CKV_AWS_66: dev-data\/Forever: retention_in_days is not set/);
  });

  test("fails synth when a node group runs on demand outside prod", () => {
    const app = Testing.app();
    const stack = new ComputeStack(app, { config: loadEnvironment("staging") });
    const ng = stack.node.findAll().find((c) => c instanceof EksNodeGroup) as EksNodeGroup;
    ng.capacityType = "ON_DEMAND";
    expect(() => Testing.synth(stack, true)).toThrow(/policy RF_SPOT_OUTSIDE_PROD: staging-compute\/NodeGroup-api\/Resource/);
  });

  test("the serverless endpoint config is excepted from CKV_AWS_98 in dev, not in prod", () => {
    expect(isExcepted("CKV_AWS_98", "dev-compute/ForecastEndpoint/Config", "dev")).toBeDefined();
    expect(isExcepted("CKV_AWS_98", "prod-compute/ForecastEndpoint/Config", "prod")).toBeUndefined();
    expect(isExcepted("CKV_AWS_98", "dev-compute/Other/Config", "dev")).toBeUndefined();
  });

  test("every exception has a reason; the command prints rules and exceptions", () => {
    for (const e of POLICY_EXCEPTIONS) expect(e.reason.length).toBeGreaterThan(20);
    const out = renderExceptions();
    expect(out).toContain(`Rules (${RULES.length})`);
    expect(out).toMatch(/CKV_AWS_338 +\* \[not checked here; scanners skip it\]/);
    expect(out).toMatch(/CKV_AWS_145 +\* \[waived here\]/);
    expect(JSON.parse(renderExceptions("json")).exceptions).toHaveLength(POLICY_EXCEPTIONS.length);
  });

  test("an environment-scoped exception never applies where the environment is unknown", () => {
    expect(isExcepted("CKV_AWS_37", "dev-compute/Cluster/Resource", "dev")).toBeDefined();
    expect(isExcepted("CKV_AWS_37", "dev-compute/Cluster/Resource", undefined)).toBeUndefined();
    expect(isExcepted("CKV_AWS_37", "prod-compute/Cluster/Resource", "prod")).toBeUndefined();
    expect(isExcepted("CKV_AWS_145", "x/aws_s3_bucket.b", undefined)).toBeDefined();
  });
});
