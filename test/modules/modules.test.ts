import { Aspects, Testing, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketIntelligentTieringConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-intelligent-tiering-configuration";
import { EcrRepository as EcrRepositoryResource } from "@cdktf/provider-aws/lib/ecr-repository";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { CeAnomalySubscription } from "@cdktf/provider-aws/lib/ce-anomaly-subscription";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { SagemakerEndpointConfiguration } from "@cdktf/provider-aws/lib/sagemaker-endpoint-configuration";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { StorageClass, TieredBucket } from "../../modules/tiered-bucket";
import { EcrRepository, ecrLifecycleRules } from "../../modules/ecr-repository";
import { applyEcrLifecycle, EcrImage } from "../../modules/ecr-lifecycle-sim";
import { SpotNodeGroup } from "../../modules/spot-node-group";
import { Budget } from "../../modules/budget";
import { AnomalyMonitor } from "../../modules/anomaly-monitor";
import { LogGroup } from "../../modules/log-group";
import { ScheduledFunction } from "../../modules/scheduled-function";
import { SageMakerEndpoint } from "../../modules/sagemaker-endpoint";
import { Network, subnetCidr } from "../../modules/network";
import { AlertTopic } from "../../modules/alert-topic";
import { CostReaderRole } from "../../modules/cost-reader-role";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { costReportPolicyStatements } from "../../cost/iam";
import { PermissionsBoundary, Role } from "../../modules/iam";

const BUNDLE = `${__dirname}/../fixtures/scheduler.zip`;

function synth(build: (scope: Construct) => void): string {
  return Testing.synthScope((scope) => build(scope));
}

/** For constructs that create assets: they need a real stack. */
function synthStack(build: (scope: Construct) => void): string {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  build(stack);
  return Testing.synth(stack);
}

describe("TieredBucket", () => {
  const out = synth((s) => {
    new TieredBucket(s, "B", {
      bucketName: "b",
      rules: [
        { id: "raw", prefix: "raw/", transitions: [{ days: 30, storageClass: StorageClass.INTELLIGENT_TIERING }] },
        { id: "art", prefix: "artifacts/", transitions: [{ days: 90, storageClass: StorageClass.GLACIER_IR }, { days: 180, storageClass: StorageClass.DEEP_ARCHIVE }] },
        { id: "tmp", prefix: "tmp/", tags: { temporary: "true" }, expireAfterDays: 7 },
      ],
      intelligentTiering: { prefixes: ["raw/", "silver/"] },
    });
  });

  test("lifecycle: per-prefix transitions, tag-filtered expiry, housekeeping", () => {
    expect(out).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
      rule: expect.arrayContaining([
        expect.objectContaining({
          id: "housekeeping",
          noncurrent_version_expiration: [{ noncurrent_days: 30 }],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
        }),
        expect.objectContaining({ id: "raw", filter: [{ prefix: "raw/" }], transition: [{ days: 30, storage_class: "INTELLIGENT_TIERING" }] }),
        expect.objectContaining({
          id: "art",
          transition: [
            { days: 90, storage_class: "GLACIER_IR" },
            { days: 180, storage_class: "DEEP_ARCHIVE" },
          ],
        }),
        expect.objectContaining({ id: "tmp", filter: [{ and: [{ prefix: "tmp/", tags: { temporary: "true" } }] }], expiration: [{ days: 7 }] }),
      ]),
    });
  });

  test("Intelligent-Tiering archive tiers", () => {
    expect(out).toHaveResourceWithProperties(S3BucketIntelligentTieringConfiguration, {
      name: "archive-silver",
      filter: { prefix: "silver/" },
      tiering: [
        { access_tier: "ARCHIVE_ACCESS", days: 90 },
        { access_tier: "DEEP_ARCHIVE_ACCESS", days: 180 },
      ],
    });
  });

  test.each([
    ["a prefix without a slash", { id: "x", prefix: "raw" }, /prefix must end with '\/'/],
    ["transitions out of order", { id: "x", prefix: "a/", transitions: [{ days: 90, storageClass: StorageClass.GLACIER_IR }, { days: 30, storageClass: StorageClass.DEEP_ARCHIVE }] }, /must come after GLACIER_IR at 90 days/],
    ["STANDARD_IA left before 30 days", { id: "x", prefix: "a/", transitions: [{ days: 30, storageClass: StorageClass.STANDARD_IA }, { days: 40, storageClass: StorageClass.GLACIER_IR }] }, /must stay 30 days in STANDARD_IA/],
    ["expiry before the last transition", { id: "x", prefix: "a/", transitions: [{ days: 90, storageClass: StorageClass.GLACIER_IR }], expireAfterDays: 30 }, /expireAfterDays must be >= 1 and after the last transition \(90\)/],
  ])("fails when a rule has %s", (_n, rule, message) => {
    expect(() => synth((s) => new TieredBucket(s, "B", { bucketName: "b", rules: [rule as any] }))).toThrow(message);
  });

  test("fails when the deep archive tier is not after the archive tier", () => {
    expect(() => synth((s) => new TieredBucket(s, "B", { bucketName: "b", intelligentTiering: { prefixes: ["raw/"], archiveAccessDays: 200, deepArchiveAccessDays: 180 } }))).toThrow(
      /deepArchiveAccessDays must be 180-730 and > archiveAccessDays \(200\)/,
    );
  });
});

describe("EcrRepository", () => {
  test("scan on push and the budgeted lifecycle rules", () => {
    const out = synth((s) => new EcrRepository(s, "R", { name: "r", immutableTags: true }));
    expect(out).toHaveResourceWithProperties(EcrRepositoryResource, { image_tag_mutability: "IMMUTABLE", image_scanning_configuration: { scan_on_push: true } });
    const rules = ecrLifecycleRules({ keepUntagged: 1, keepPerPrefix: 2, tagPrefixes: ["prod", "stage", "dev"], keepTotal: 10 });
    expect(rules.map((r) => [r.rulePriority, r.selection.tagStatus, r.selection.countNumber])).toEqual([
      [1, "untagged", 1],
      [10, "tagged", 2],
      [11, "tagged", 2],
      [12, "tagged", 2],
      [100, "any", 3],
    ]);
  });

  test("fails when the per-rule counts leave nothing for the total", () => {
    expect(() => ecrLifecycleRules({ keepUntagged: 3, keepPerPrefix: 3, tagPrefixes: ["prod", "stage", "dev"], keepTotal: 10 })).toThrow(
      /keepTotal \(10\) must exceed keepUntagged \+ keepPerPrefix x 3 prefixes \(12\)/,
    );
  });

  test("the total of 10 holds for any mix of pushed images (ECR priority semantics)", () => {
    const rules = ecrLifecycleRules({ keepUntagged: 1, keepPerPrefix: 2, tagPrefixes: ["prod", "stage", "dev"], keepTotal: 10 });
    let seed = 7;
    const rand = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const kinds = ["", "prod-", "stage-", "dev-", "feature-", "v"];
    for (let trial = 0; trial < 200; trial++) {
      const images: EcrImage[] = Array.from({ length: 5 + Math.floor(rand() * 60) }, (_, i) => {
        const k = kinds[Math.floor(rand() * kinds.length)];
        return { digest: `d${i}`, tags: k === "" ? [] : [`${k}${i}`], pushedAt: i };
      });
      const kept = applyEcrLifecycle(rules, images);
      expect(kept.length).toBeLessThanOrEqual(10);
      const newestProd = images.filter((i) => i.tags[0]?.startsWith("prod-")).slice(-2);
      for (const img of newestProd) expect(kept).toContain(img);
    }
  });

  test("the naive 'any, keep 10' last rule would NOT cap the total (why the counts are budgeted)", () => {
    const naive = ecrLifecycleRules({ keepUntagged: 1, keepPerPrefix: 2, tagPrefixes: ["prod", "stage", "dev"], keepTotal: 10 }).map((r) =>
      r.selection.tagStatus === "any" ? { ...r, selection: { ...r.selection, countNumber: 10 } } : r,
    );
    const images: EcrImage[] = Array.from({ length: 40 }, (_, i) => ({ digest: `d${i}`, tags: [`${["prod", "stage", "dev", "x"][i % 4]}-${i}`], pushedAt: i }));
    expect(applyEcrLifecycle(naive, images).length).toBe(16);
  });
});

describe("SpotNodeGroup", () => {
  const props = {
    clusterName: "c",
    name: "c-api",
    nodeRoleArn: "arn:aws:iam::1:role/n",
    subnetIds: ["s1", "s2"],
    instanceTypes: ["t3.medium", "t3a.medium", "t2.medium"],
    minSize: 2,
    maxSize: 5,
    desiredSize: 2,
    labels: { app: "retail-api" },
    tags: { Schedule: "office-hours" },
    instanceTags: { Project: "p", Environment: "dev" },
  };
  const out = synth((s) => new SpotNodeGroup(s, "NG", props));

  test("SPOT over diversified types, autoscaler tags, scheduler-proof lifecycle", () => {
    expect(out).toHaveResourceWithProperties(EksNodeGroup, {
      capacity_type: "SPOT",
      instance_types: ["t3.medium", "t3a.medium", "t2.medium"],
      scaling_config: { min_size: 2, max_size: 5, desired_size: 2 },
      labels: { app: "retail-api" },
      tags: expect.objectContaining({ Schedule: "office-hours", "k8s.io/cluster-autoscaler/enabled": "true", "k8s.io/cluster-autoscaler/c": "owned" }),
      lifecycle: { ignore_changes: ["scaling_config[0].desired_size", "scaling_config[0].min_size"] },
      update_config: { max_unavailable: 1 },
    });
  });

  test("launch template enforces IMDSv2 and tags instances and volumes", () => {
    expect(out).toHaveResourceWithProperties(LaunchTemplate, {
      metadata_options: expect.objectContaining({ http_tokens: "required" }),
      tag_specifications: [
        { resource_type: "instance", tags: expect.objectContaining({ Project: "p", Environment: "dev", Name: "c-api" }) },
        { resource_type: "volume", tags: expect.objectContaining({ Project: "p" }) },
      ],
    });
  });

  test.each([
    ["desired above max", { desiredSize: 6 }, /desiredSize must be in \[minSize, maxSize\] = \[2, 5\], got 6/],
    ["max is zero", { maxSize: 0, minSize: 0, desiredSize: 0 }, /maxSize must be >= 1/],
    ["SPOT with one type", { instanceTypes: ["t3.medium"] }, /at least two instanceTypes/],
  ])("fails when %s", (_n, patch, message) => {
    expect(() => synth((s) => new SpotNodeGroup(s, "NG", { ...props, ...patch }))).toThrow(message);
  });
});

describe("Budget and anomaly detection", () => {
  test("80 % / 100 % actual and 100 % forecast to e-mail and SNS, filtered by Project", () => {
    const out = synth((s) => new Budget(s, "B", { name: "b", monthlyLimitUsd: 500, project: "p", emails: ["a@b.co"], topicArn: "arn:t" }));
    expect(out).toHaveResourceWithProperties(BudgetsBudget, {
      limit_amount: "500.00",
      time_unit: "MONTHLY",
      cost_filter: [{ name: "TagKeyValue", values: ["user:Project$p"] }],
      notification: [80, 100, 100].map((threshold, i) =>
        expect.objectContaining({
          threshold,
          notification_type: i < 2 ? "ACTUAL" : "FORECASTED",
          subscriber_email_addresses: ["a@b.co"],
          subscriber_sns_topic_arns: ["arn:t"],
        }),
      ),
    });
  });

  test("fails when the budget limit is not positive", () => {
    expect(() => synth((s) => new Budget(s, "B", { name: "b", monthlyLimitUsd: 0, project: "p", emails: ["a@b.co"], topicArn: "t" }))).toThrow(/monthlyLimitUsd must be > 0, got 0/);
  });

  test("anomaly subscription with an absolute threshold", () => {
    const out = synth((s) => new AnomalyMonitor(s, "A", { name: "a", project: "p", topicArn: "arn:t", thresholdUsd: 50 }));
    expect(out).toHaveResourceWithProperties(CeAnomalySubscription, {
      frequency: "IMMEDIATE",
      threshold_expression: { dimension: { key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", match_options: ["GREATER_THAN_OR_EQUAL"], values: ["50"] } },
    });
  });
});

describe("AlertTopic", () => {
  test("only the alerting services may publish", () => {
    const out = synth((s) => new AlertTopic(s, "T", { topicName: "t", accountId: "111111111111", emails: ["a@b.co"] }));
    const policy = JSON.parse(Object.values<any>(JSON.parse(out).resource.aws_sns_topic_policy)[0].policy);
    expect(policy.Statement).toHaveLength(1);
    expect(policy.Statement[0].Principal.Service.sort()).toEqual(["budgets.amazonaws.com", "cloudwatch.amazonaws.com", "costalerts.amazonaws.com", "events.amazonaws.com"]);
    expect(out).toHaveResource(SnsTopicPolicy);
  });
});

describe("LogGroup", () => {
  test("retention is set", () => {
    expect(synth((s) => new LogGroup(s, "L", { name: "/x", retentionInDays: 7 }))).toHaveResourceWithProperties(CloudwatchLogGroup, { retention_in_days: 7 });
  });
  test("fails when retention is a value CloudWatch rejects", () => {
    expect(() => synth((s) => new LogGroup(s, "L", { name: "/x", retentionInDays: 10 }))).toThrow(/retentionInDays must be one of 1, 3, 5, 7/);
  });
});

describe("CostReaderRole", () => {
  const statements = costReportPolicyStatements({ region: "eu-west-1", accountId: "111111111111" });
  const reader = "arn:aws:iam::111111111111:role/platform-engineers";

  test("assumed only by the named principals, with the read-only policy inline", () => {
    const out = synth((s) => new CostReaderRole(s, "CostReader", { roleName: "rf-dev-cost-reader", trustedPrincipalArns: [reader], statements }));
    expect(out).toHaveResourceWithProperties(IamRole, {
      name: "rf-dev-cost-reader",
      assume_role_policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: [reader] }, Action: "sts:AssumeRole" }] }),
    });
    expect(out).toHaveResourceWithProperties(IamRolePolicy, { policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) });
  });

  test.each([
    ["fails when no principal is named", [], /at least one IAM role or user ARN, got none/],
    ["fails when the principal is the account root (CKV_AWS_61)", ["arn:aws:iam::111111111111:root"], /"arn:aws:iam::111111111111:root" is not allowed/],
    ["fails when the principal is a wildcard (CKV_AWS_60)", ["*"], /"\*" is not allowed/],
  ])("%s", (_n, principals, msg) => {
    expect(() => synth((s) => new CostReaderRole(s, "R", { roleName: "r", trustedPrincipalArns: principals, statements }))).toThrow(msg);
  });

  test("fails when a statement could change something", () => {
    const write = [...statements, { Sid: "Oops", Effect: "Allow" as const, Action: ["s3:PutObject"], Resource: ["*"] }];
    expect(() => synth((s) => new CostReaderRole(s, "R", { roleName: "r", trustedPrincipalArns: [reader], statements: write }))).toThrow(/statement Oops: a cost reader only reads; s3:PutObject/);
  });
});

describe("ScheduledFunction", () => {
  const props = {
    functionName: "f",
    bundlePath: BUNDLE,
    statements: [],
    schedules: [
      { name: "stop", cron: "cron(0 19 ? * MON-FRI *)", timezone: "Europe/London", input: { action: "stop" } },
      { name: "start", cron: "cron(0 7 ? * MON-FRI *)", timezone: "Europe/London", input: { action: "start" }, enabled: false },
    ],
    alertTopicArn: "arn:aws:sns:us-east-1:111111111111:t",
    logRetentionInDays: 7,
    region: "us-east-1",
    accountId: "111111111111",
  };
  const out = synthStack((s) => new ScheduledFunction(s, "S", props));

  test("function: reserved concurrency 1, X-Ray, DLQ, managed JSON logs, nodejs22.x", () => {
    expect(out).toHaveResourceWithProperties(LambdaFunction, {
      runtime: "nodejs22.x",
      reserved_concurrent_executions: 1,
      tracing_config: { mode: "Active" },
      dead_letter_config: { target_arn: expect.stringContaining("aws_sqs_queue.") },
      logging_config: { log_format: "JSON", log_group: expect.stringContaining("aws_cloudwatch_log_group.") },
    });
  });

  test("schedules in the configured timezone with a DLQ and retries on the target", () => {
    expect(out).toHaveResourceWithProperties(SchedulerSchedule, {
      name: "f-stop",
      schedule_expression: "cron(0 19 ? * MON-FRI *)",
      schedule_expression_timezone: "Europe/London",
      state: "ENABLED",
      target: expect.objectContaining({ input: '{"action":"stop"}', dead_letter_config: expect.anything(), retry_policy: expect.anything() }),
    });
    expect(out).toHaveResourceWithProperties(SchedulerSchedule, { name: "f-start", state: "DISABLED" });
  });

  test("alarms on errors and on DLQ depth go to the alert topic", () => {
    expect(out).toHaveResourceWithProperties(CloudwatchMetricAlarm, { metric_name: "Errors", alarm_actions: [props.alertTopicArn] });
    expect(out).toHaveResourceWithProperties(CloudwatchMetricAlarm, { metric_name: "ApproximateNumberOfMessagesVisible", alarm_actions: [props.alertTopicArn] });
  });

  test.each([
    ["a cron is malformed", { cron: "cron(0 19 * * MON-FRI *)" }, /exactly one of day-of-month and day-of-week/],
    ["a timezone is unknown", { timezone: "Europe/Atlantis" }, /timezone 'Europe\/Atlantis' is not an IANA timezone/],
  ])("fails when %s", (_n, patch, message) => {
    expect(() => synthStack((s) => new ScheduledFunction(s, "S", { ...props, schedules: [{ ...props.schedules[0], ...patch }] }))).toThrow(message);
  });
});

describe("SageMakerEndpoint", () => {
  const base = { modelName: "m", endpointName: "e", endpointConfigName: "c", image: "i", modelDataUrl: "s3://b/k", executionRoleArn: "arn:r" };
  test("serverless: no instances, no key, no autoscaling", () => {
    const out = synth((s) => new SageMakerEndpoint(s, "E", { ...base, kmsKeyArn: "arn:k", endpoint: { mode: "serverless", memorySizeInMb: 2048, maxConcurrency: 5 } }));
    expect(out).toHaveResourceWithProperties(SagemakerEndpointConfiguration, {
      production_variants: [expect.objectContaining({ serverless_config: { memory_size_in_mb: 2048, max_concurrency: 5 } })],
    });
    expect(JSON.parse(out).resource.aws_sagemaker_endpoint_configuration).not.toHaveProperty("kms_key_arn");
    expect(out).not.toHaveResource(AppautoscalingPolicy);
  });
  test("real-time: KMS and target tracking on invocations per instance", () => {
    const out = synth((s) =>
      new SageMakerEndpoint(s, "E", { ...base, kmsKeyArn: "arn:k", endpoint: { mode: "realtime", instanceType: "ml.m5.large", initialInstanceCount: 1, minCapacity: 1, maxCapacity: 4, targetInvocationsPerInstance: 1000 } }),
    );
    expect(out).toHaveResourceWithProperties(SagemakerEndpointConfiguration, { kms_key_arn: "arn:k" });
    expect(out).toHaveResourceWithProperties(AppautoscalingPolicy, {
      target_tracking_scaling_policy_configuration: expect.objectContaining({
        target_value: 1000,
        predefined_metric_specification: { predefined_metric_type: "SageMakerVariantInvocationsPerInstance" },
      }),
    });
  });
});

describe("Network", () => {
  test("subnet maths", () => {
    expect([0, 1, 2, 3].map((i) => subnetCidr("10.10.0.0/16", i))).toEqual(["10.10.0.0/18", "10.10.64.0/18", "10.10.128.0/18", "10.10.192.0/18"]);
  });
  test("one NAT outside prod and an S3 gateway endpoint", () => {
    const out = synth((s) => new Network(s, "N", { name: "n", cidr: "10.10.0.0/16", region: "us-east-1", egress: { mode: "nat-gateway", count: 1 }, clusterName: "c" }));
    expect(Object.keys(JSON.parse(out).resource.aws_nat_gateway)).toHaveLength(1);
    expect(out).toHaveResourceWithProperties(NatGateway, {});
    expect(out).toHaveResourceWithProperties(VpcEndpoint, { service_name: "com.amazonaws.us-east-1.s3", vpc_endpoint_type: "Gateway" });
  });
});

describe("Network egress (issue 12)", () => {
  const network = (egress: ConstructorParameters<typeof Network>[2]["egress"], publicNodes = false) =>
    JSON.parse(synth((s) => new Network(s, "N", { name: "n", cidr: "10.10.0.0/16", region: "us-east-1", egress, clusterName: "c", publicNodes, instanceTags: { Environment: "dev" } })));
  const routes = (doc: any) => Object.values(doc.resource.aws_route ?? {}) as any[];

  test("nat-instance: a spot Graviton instance behind a fixed interface the private routes target, IMDSv2, source/destination check off, replaced by its group", () => {
    const doc = network({ mode: "nat-instance", instanceType: "t4g.nano", spot: true });
    expect(doc.resource.aws_nat_gateway).toBeUndefined();
    const eni = Object.values(doc.resource.aws_network_interface)[0] as any;
    expect(eni).toMatchObject({ source_dest_check: false, tags: { Name: "n-nat" } });
    const privateDefaults = routes(doc).filter((r) => r.network_interface_id);
    expect(privateDefaults).toHaveLength(2);
    for (const r of privateDefaults) expect(r.network_interface_id).toMatch(/aws_network_interface\.N_NatInstance_Interface_[A-F0-9]+\.id/);
    const lt = Object.values(doc.resource.aws_launch_template)[0] as any;
    expect(lt).toMatchObject({
      image_id: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64",
      instance_type: "t4g.nano",
      metadata_options: { http_tokens: "required", http_put_response_hop_limit: 1 },
      instance_market_options: { market_type: "spot" },
    });
    expect(Buffer.from(lt.user_data, "base64").toString()).toMatch(/attach-network-interface .*--device-index 1[\s\S]*MASQUERADE/);
    const asg = Object.values(doc.resource.aws_autoscaling_group)[0] as any;
    expect(asg).toMatchObject({ min_size: 1, max_size: 1, desired_capacity: 1, health_check_type: "EC2" });
    expect(asg.tag).toContainEqual({ key: "Environment", value: "dev", propagate_at_launch: false });
  });

  test("nat-gateway with two per AZ routes each private subnet to its own", () => {
    const doc = network({ mode: "nat-gateway", count: 2 });
    expect(Object.keys(doc.resource.aws_nat_gateway)).toHaveLength(2);
    expect(new Set(routes(doc).filter((r) => r.nat_gateway_id).map((r) => r.nat_gateway_id)).size).toBe(2);
  });

  test("none: no NAT, no route out of the private subnets; the public subnets hand out public IPs for the nodes", () => {
    const doc = network({ mode: "none" }, true);
    expect(doc.resource.aws_nat_gateway).toBeUndefined();
    expect(doc.resource.aws_autoscaling_group).toBeUndefined();
    expect(routes(doc).filter((r) => r.nat_gateway_id || r.network_interface_id)).toEqual([]);
    const subnets = Object.values(doc.resource.aws_subnet) as any[];
    expect(subnets.filter((s) => s.map_public_ip_on_launch === true).map((s) => s.tags.Name).sort()).toEqual(["n-public-us-east-1a", "n-public-us-east-1b"]);
  });

  test("fails when the NAT instance is not Graviton, or the gateway count is not 1 or 2", () => {
    expect(() => network({ mode: "nat-instance", instanceType: "t3.nano", spot: false })).toThrow(/instanceType must be a Graviton type .* got t3\.nano/);
    expect(() => network({ mode: "nat-gateway", count: 3 })).toThrow(/egress\.count must be 1 \(shared\) or 2 \(one per AZ\), got 3/);
  });
});

describe("log class and support tier (issue 12)", () => {
  test("INFREQUENT_ACCESS is written; STANDARD (the API's default) is left unset so existing groups see no change", () => {
    const doc = JSON.parse(
      synth((s) => {
        new LogGroup(s, "Ia", { name: "/a", retentionInDays: 7, logGroupClass: "INFREQUENT_ACCESS" });
        new LogGroup(s, "Std", { name: "/b", retentionInDays: 7, logGroupClass: "STANDARD" });
      }),
    );
    const groups = Object.values(doc.resource.aws_cloudwatch_log_group) as any[];
    expect(groups.find((g) => g.name === "/a").log_group_class).toBe("INFREQUENT_ACCESS");
    expect(groups.find((g) => g.name === "/b").log_group_class).toBeUndefined();
    expect(() => synth((s) => new LogGroup(s, "X", { name: "/c", retentionInDays: 7, logGroupClass: "COLD" as never }))).toThrow(/logGroupClass must be one of STANDARD, INFREQUENT_ACCESS, got COLD/);
  });
});

describe("PermissionsBoundary", () => {
  const arn = "arn:aws:iam::111111111111:policy/acme-dev-compute-boundary";
  test("sets permissions_boundary on every role under the scope, through Role or a plain IamRole", () => {
    const out = JSON.parse(
      synth((scope) => {
        Aspects.of(scope).add(new PermissionsBoundary(arn));
        new Role(scope, "Made", { name: "made", assumedBy: "ec2.amazonaws.com" });
        new IamRole(scope, "Plain", { name: "plain", assumeRolePolicy: "{}" });
      }),
    );
    expect(Object.values(out.resource.aws_iam_role).map((r) => (r as { permissions_boundary?: string }).permissions_boundary)).toEqual([arn, arn]);
  });

  test("fails when the ARN is not a managed policy's", () => {
    expect(() => new PermissionsBoundary("arn:aws:iam::111111111111:role/x")).toThrow(
      'policyArn must be a managed policy ARN (arn:<partition>:iam::<account>:policy/<name>), got "arn:aws:iam::111111111111:role/x"',
    );
  });
});
