/**
 * cost report against the sandbox emulator (moto + project patches): Cost Explorer answers from
 * moto's documented result queue, the recommendations from real S3 / Logs / SageMaker /
 * CloudWatch / EKS / ECR state created here.
 */
import { CloudWatchClient, PutMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient, CreateLogGroupCommand, PutRetentionPolicyCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetCostAndUsageCommand } from "@aws-sdk/client-cost-explorer";
import { CreateRepositoryCommand, ECRClient, PutImageCommand, PutLifecyclePolicyCommand } from "@aws-sdk/client-ecr";
import { CreateClusterCommand, CreateNodegroupCommand, EKSClient } from "@aws-sdk/client-eks";
import { CreateBucketCommand, PutBucketLifecycleConfigurationCommand, S3Client } from "@aws-sdk/client-s3";
import { CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { costReport, reportToJson, reportToMarkdown, reportToTable } from "../../cost/report";
import { Emulator, emulatorEnv, startEmulator } from "../../sandbox/emulator";

jest.setTimeout(90_000);

const REGION = "us-east-1";
const NOW = new Date(Date.now() + 200 * 86_400_000); // images pushed today are "old" by then
const saved: Record<string, string | undefined> = {};
let emu: Emulator;

const day = (i: number) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10);
const usd = (n: number) => ({ UnblendedCost: { Amount: String(n), Unit: "USD" } });
// day i: EC2 10 + i (rising), S3 2 (flat), SageMaker 5 in the first half, 1 in the second
const SERVICE_RESULT = {
  ResultsByTime: Array.from({ length: 10 }, (_, i) => ({
    TimePeriod: { Start: day(i), End: day(i + 1) },
    Total: {},
    Groups: [
      { Keys: ["Amazon Elastic Compute Cloud - Compute"], Metrics: usd(10 + i) },
      { Keys: ["Amazon Simple Storage Service"], Metrics: usd(2) },
      { Keys: ["Amazon SageMaker"], Metrics: usd(i < 5 ? 5 : 1) },
    ],
    Estimated: false,
  })),
  DimensionValueAttributes: [],
};
const TAG_RESULT = {
  ResultsByTime: [
    {
      TimePeriod: { Start: day(0), End: day(10) },
      Total: {},
      Groups: [
        { Keys: ["Project$retail-forecast"], Metrics: usd(180) },
        { Keys: ["Project$"], Metrics: usd(20) },
      ],
      Estimated: false,
    },
  ],
  DimensionValueAttributes: [],
};

beforeAll(async () => {
  emu = await startEmulator();
  const env = emulatorEnv(emu.endpoint, REGION);
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  // moto's documented queue: the report's first distinct request gets the first result
  const res = await fetch(`${emu.endpoint}/moto-api/static/ce/cost-and-usage-results`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ results: [SERVICE_RESULT, TAG_RESULT] }),
  });
  expect(res.status).toBe(201);

  const s3 = new S3Client({ region: REGION, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: "rf-no-lifecycle" }));
  await s3.send(new CreateBucketCommand({ Bucket: "rf-tiered" }));
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: "rf-tiered",
      LifecycleConfiguration: { Rules: [{ ID: "tmp", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 7 } }] },
    }),
  );

  const logs = new CloudWatchLogsClient({ region: REGION });
  await logs.send(new CreateLogGroupCommand({ logGroupName: "/rf/forever" }));
  await logs.send(new CreateLogGroupCommand({ logGroupName: "/rf/kept-7d" }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: "/rf/kept-7d", retentionInDays: 7 }));

  const sm = new SageMakerClient({ region: REGION });
  await sm.send(
    new CreateModelCommand({
      ModelName: "rf-model",
      ExecutionRoleArn: "arn:aws:iam::123456789012:role/sm",
      PrimaryContainer: { Image: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1" },
    }),
  );
  for (const name of ["rf-idle", "rf-busy"]) {
    await sm.send(
      new CreateEndpointConfigCommand({
        EndpointConfigName: `${name}-config`,
        ProductionVariants: [{ VariantName: "AllTraffic", ModelName: "rf-model", InstanceType: "ml.m5.large", InitialInstanceCount: 1 }],
      }),
    );
    await sm.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: `${name}-config` }));
  }
  await new CloudWatchClient({ region: REGION }).send(
    new PutMetricDataCommand({
      Namespace: "AWS/SageMaker",
      MetricData: [
        {
          MetricName: "Invocations",
          Dimensions: [
            { Name: "EndpointName", Value: "rf-busy" },
            { Name: "VariantName", Value: "AllTraffic" },
          ],
          Timestamp: new Date(NOW.getTime() - 3600_000),
          Value: 42,
        },
      ],
    }),
  );

  const eks = new EKSClient({ region: REGION });
  await eks.send(
    new CreateClusterCommand({ name: "rf", roleArn: "arn:aws:iam::123456789012:role/eks", resourcesVpcConfig: { subnetIds: ["subnet-1", "subnet-2"] } }),
  );
  for (const [name, capacityType] of [
    ["od", "ON_DEMAND"],
    ["spot", "SPOT"],
  ] as const) {
    await eks.send(
      new CreateNodegroupCommand({
        clusterName: "rf",
        nodegroupName: name,
        nodeRole: "arn:aws:iam::123456789012:role/node",
        subnets: ["subnet-1"],
        capacityType,
        instanceTypes: ["m5.large"],
        scalingConfig: { minSize: 1, maxSize: 3, desiredSize: 2 },
      }),
    );
  }

  const ecr = new ECRClient({ region: REGION });
  await ecr.send(new CreateRepositoryCommand({ repositoryName: "rf/no-policy" }));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: "rf/with-policy" }));
  await ecr.send(
    new PutLifecyclePolicyCommand({
      repositoryName: "rf/with-policy",
      lifecyclePolicyText: JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 5 }, action: { type: "expire" } }] }),
    }),
  );
  const manifest = JSON.stringify({ schemaVersion: 2, mediaType: "application/vnd.docker.distribution.manifest.v2+json", config: { digest: "sha256:" + "a".repeat(64), size: 1, mediaType: "application/vnd.docker.container.image.v1+json" }, layers: [] });
  await ecr.send(new PutImageCommand({ repositoryName: "rf/no-policy", imageManifest: manifest, imageTag: "dev-1" }));
});

afterAll(async () => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await emu?.stop();
});

describe("cost report against the emulator", () => {
  let report: Awaited<ReturnType<typeof costReport>>;
  beforeAll(async () => {
    report = await costReport({ env: "sandbox", days: 10, now: NOW });
  });

  test("Cost Explorer figures: total, by service, by Project tag, daily trend, top drivers", () => {
    expect(report.errors).toEqual([]);
    // EC2 sum(10..19) = 145, S3 20, SageMaker 25 + 5 = 30
    expect(report.totalUsd).toBeCloseTo(195, 6);
    expect(report.byService.map((s) => [s.service, s.usd])).toEqual([
      ["Amazon Elastic Compute Cloud - Compute", 145],
      ["Amazon SageMaker", 30],
      ["Amazon Simple Storage Service", 20],
    ]);
    expect(report.byProject).toEqual([
      { project: "retail-forecast", usd: 180, sharePercent: 90 },
      { project: "(no Project tag)", usd: 20, sharePercent: 10 },
    ]);
    expect(report.daily).toHaveLength(10);
    expect(report.daily[0]).toEqual({ date: day(0), usd: 17 });
    expect(report.daily[9]).toEqual({ date: day(9), usd: 22 });
    const sm = report.topDrivers.find((d) => d.service === "Amazon SageMaker")!;
    expect(sm.trendPercent).toBeCloseTo(-80, 6);
    expect(report.topDrivers[0].trendPercent).toBeGreaterThan(0);
  });

  test("recommends lifecycle for the bucket without one, and only for it", () => {
    const r = report.recommendations.filter((x) => x.kind === "bucket-without-lifecycle").map((x) => x.resource);
    expect(r).toContain("s3://rf-no-lifecycle");
    expect(r).not.toContain("s3://rf-tiered");
  });

  test("recommends retention for the log group that never expires", () => {
    const r = report.recommendations.filter((x) => x.kind === "log-group-without-retention").map((x) => x.resource);
    expect(r).toEqual(["/rf/forever"]);
  });

  test("flags the endpoint without invocations as idle, not the busy one, with its monthly cost", () => {
    const r = report.recommendations.filter((x) => x.kind === "idle-endpoint");
    expect(r.map((x) => x.resource)).toEqual(["rf-idle"]);
    expect(r[0].estMonthlySavingsUsd).toBeCloseTo(0.115 * 730, 6);
  });

  test("flags the on-demand node group, not the spot one", () => {
    const r = report.recommendations.filter((x) => x.kind === "on-demand-node-group");
    expect(r.map((x) => x.resource)).toEqual(["rf/od"]);
    expect(r[0].estMonthlySavingsUsd).toBeCloseTo(0.096 * 0.65 * 2 * 730, 6);
  });

  test("flags the repository without lifecycle policy and its old images", () => {
    expect(report.recommendations.filter((x) => x.kind === "repository-without-lifecycle").map((x) => x.resource)).toEqual(["rf/no-policy"]);
    expect(report.recommendations.filter((x) => x.kind === "old-images").map((x) => x.resource)).toEqual(["rf/no-policy"]);
  });

  test("renders as table, Markdown and JSON", () => {
    expect(reportToTable(report)).toMatch(/by Project tag:\n\s+retail-forecast\s+\$180\.00\s+90\.0%/);
    expect(reportToMarkdown(report)).toContain("| Amazon SageMaker | $30.00 | 15.4% | -80.0% |");
    expect((reportToJson(report) as any).totalUsd).toBe(195);
  });
});

describe("npm run cost -- report", () => {
  test("prints JSON from the emulator with the default clients, and rejects a bad --days", async () => {
    const { main } = await import("../../cli/cost");
    let out = "";
    let err = "";
    const o = jest.spyOn(process.stdout, "write").mockImplementation((s: any) => ((out += s), true));
    const e = jest.spyOn(process.stderr, "write").mockImplementation((s: any) => ((err += s), true));
    try {
      expect(await main(["report", "--env", "sandbox", "--days", "3", "--format", "json"])).toBe(0);
      expect(await main(["report", "--env", "sandbox", "--days", "0"])).not.toBe(0);
    } finally {
      o.mockRestore();
      e.mockRestore();
    }
    const j = JSON.parse(out);
    expect(j.period.days).toBe(3);
    expect(j.recommendations.map((r: any) => r.kind)).toContain("bucket-without-lifecycle");
    expect(err).toMatch(/--days: expected an integer 1-365, got '0'/);
  });
});

describe("cost report with an injected Cost Explorer client", () => {
  test("follows NextPageToken and keeps going when one section is denied", async () => {
    const pages = [
      { ResultsByTime: [{ TimePeriod: { Start: day(0) }, Groups: [{ Keys: ["AWS Lambda"], Metrics: usd(1) }] }], NextPageToken: "p2" },
      { ResultsByTime: [{ TimePeriod: { Start: day(1) }, Groups: [{ Keys: ["AWS Lambda"], Metrics: usd(2) }] }] },
    ];
    const seen: (string | undefined)[] = [];
    const ce = {
      send: async (cmd: any) => {
        expect(cmd).toBeInstanceOf(GetCostAndUsageCommand);
        if (cmd.input.GroupBy[0].Type === "TAG") throw Object.assign(new Error("not allowed"), { name: "AccessDeniedException" });
        seen.push(cmd.input.NextPageToken);
        return cmd.input.NextPageToken ? pages[1] : pages[0];
      },
    };
    const denied = { send: async () => Promise.reject(Object.assign(new Error("denied"), { name: "AccessDenied" })) };
    const r = await costReport({ env: "dev", days: 2, now: new Date("2026-01-03T00:00:00Z"), clients: { ce, s3: denied, logs: denied, sagemaker: denied, cloudwatch: denied, eks: denied, ecr: denied } });
    expect(seen).toEqual([undefined, "p2"]);
    expect(r.totalUsd).toBe(3);
    expect(r.errors.join("\n")).toMatch(/Cost Explorer by Project tag: AccessDeniedException/);
    expect(r.errors).toHaveLength(6);
  });
});
