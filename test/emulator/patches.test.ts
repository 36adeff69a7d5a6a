/**
 * The emulator patches' update / delete / error paths, through the SDK (seconds, no Terraform).
 * The create-and-read-back paths are proved with the real provider in platform-roundtrip.test.ts.
 */
import {
  ApplicationAutoScalingClient,
  DeregisterScalableTargetCommand,
  ListTagsForResourceCommand as ListScalingTagsCommand,
  RegisterScalableTargetCommand,
  TagResourceCommand as TagScalingCommand,
  UntagResourceCommand as UntagScalingCommand,
} from "@aws-sdk/client-application-auto-scaling";
import {
  BudgetsClient,
  CreateBudgetCommand,
  DeleteBudgetCommand,
  DescribeBudgetCommand,
  DescribeSubscribersForNotificationCommand,
  ListTagsForResourceCommand as ListBudgetTagsCommand,
  Notification,
  UntagResourceCommand as UntagBudgetCommand,
  UpdateBudgetCommand,
  UpdateSubscriberCommand,
} from "@aws-sdk/client-budgets";
import {
  CostExplorerClient,
  CreateAnomalyMonitorCommand,
  CreateAnomalySubscriptionCommand,
  DeleteAnomalyMonitorCommand,
  GetAnomalyMonitorsCommand,
  GetAnomalySubscriptionsCommand,
  ListCostAllocationTagsCommand,
  ListTagsForResourceCommand as ListCeTagsCommand,
  UpdateAnomalySubscriptionCommand,
  UpdateCostAllocationTagsStatusCommand,
} from "@aws-sdk/client-cost-explorer";
import { CreateLaunchTemplateCommand, CreateTagsCommand, DescribeLaunchTemplatesCommand, DescribeLaunchTemplateVersionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  CreateBucketCommand,
  DeleteBucketIntelligentTieringConfigurationCommand,
  GetBucketIntelligentTieringConfigurationCommand,
  ListBucketIntelligentTieringConfigurationsCommand,
  PutBucketIntelligentTieringConfigurationCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { AddTagsCommand, CreateEndpointConfigCommand, CreateModelCommand, ListTagsCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { Emulator, startEmulator } from "../../sandbox/emulator";
import { awsClientConfig, EMULATOR_ACCOUNT_ID } from "../../lambda/shared/aws-client";

jest.setTimeout(60_000);

let emu: Emulator;
const cfg = () => awsClientConfig({ region: "us-east-1", emulatorEndpoint: emu.endpoint });

beforeAll(async () => {
  emu = await startEmulator({ startTimeoutMs: 90_000 });
}, 120_000);
afterAll(async () => {
  await emu?.stop();
});

test("every patch module is applied", () => {
  expect(emu.patches).toEqual(
    expect.arrayContaining(["applicationautoscaling", "awslambda", "budgets", "ce", "ec2_launch_templates", "iam", "resourcegroupstaggingapi", "s3", "sagemaker"]),
  );
});

describe("budgets", () => {
  const budgets = () => new BudgetsClient(cfg());
  const AccountId = EMULATOR_ACCOUNT_ID;
  const note: Notification = { NotificationType: "ACTUAL", ComparisonOperator: "GREATER_THAN", Threshold: 100, ThresholdType: "PERCENTAGE" };
  const arn = `arn:aws:budgets::${AccountId}:budget/b1`;

  beforeAll(async () => {
    await budgets().send(
      new CreateBudgetCommand({
        AccountId,
        Budget: { BudgetName: "b1", BudgetType: "COST", TimeUnit: "MONTHLY", BudgetLimit: { Amount: "100", Unit: "USD" } },
        NotificationsWithSubscribers: [{ Notification: note, Subscribers: [{ SubscriptionType: "EMAIL", Address: "a@example.com" }] }],
        ResourceTags: [
          { Key: "Project", Value: "retail-forecast" },
          { Key: "Owner", Value: "platform" },
        ],
      }),
    );
  });

  test("UpdateBudget changes the limit and keeps the notifications", async () => {
    await budgets().send(
      new UpdateBudgetCommand({ AccountId, NewBudget: { BudgetName: "b1", BudgetType: "COST", TimeUnit: "MONTHLY", BudgetLimit: { Amount: "250", Unit: "USD" } } }),
    );
    expect((await budgets().send(new DescribeBudgetCommand({ AccountId, BudgetName: "b1" }))).Budget!.BudgetLimit!.Amount).toBe("250");
    const subs = await budgets().send(new DescribeSubscribersForNotificationCommand({ AccountId, BudgetName: "b1", Notification: note }));
    expect(subs.Subscribers).toEqual([{ SubscriptionType: "EMAIL", Address: "a@example.com" }]);
  });

  test("subscribers can be replaced", async () => {
    await budgets().send(
      new UpdateSubscriberCommand({
        AccountId,
        BudgetName: "b1",
        Notification: note,
        OldSubscriber: { SubscriptionType: "EMAIL", Address: "a@example.com" },
        NewSubscriber: { SubscriptionType: "EMAIL", Address: "b@example.com" },
      }),
    );
    const subs = await budgets().send(new DescribeSubscribersForNotificationCommand({ AccountId, BudgetName: "b1", Notification: note }));
    expect(subs.Subscribers).toEqual([{ SubscriptionType: "EMAIL", Address: "b@example.com" }]);
  });

  test("tags given at creation are listed, removed, and go with the budget", async () => {
    await budgets().send(new UntagBudgetCommand({ ResourceARN: arn, ResourceTagKeys: ["Owner"] }));
    expect((await budgets().send(new ListBudgetTagsCommand({ ResourceARN: arn }))).ResourceTags).toEqual([{ Key: "Project", Value: "retail-forecast" }]);
    await budgets().send(new DeleteBudgetCommand({ AccountId, BudgetName: "b1" }));
    await expect(budgets().send(new ListBudgetTagsCommand({ ResourceARN: arn }))).rejects.toMatchObject({ name: "NotFoundException" });
  });
});

describe("cost explorer", () => {
  const ce = () => new CostExplorerClient(cfg());

  test("anomaly monitors and subscriptions round-trip, update and fail on unknown ARNs", async () => {
    const { MonitorArn } = await ce().send(
      new CreateAnomalyMonitorCommand({
        AnomalyMonitor: { MonitorName: "m", MonitorType: "DIMENSIONAL", MonitorDimension: "SERVICE" },
        ResourceTags: [{ Key: "Project", Value: "retail-forecast" }],
      }),
    );
    expect(MonitorArn).toMatch(/^arn:aws:ce::123456789012:anomalymonitor\/[0-9a-f-]{36}$/);
    const mon = (await ce().send(new GetAnomalyMonitorsCommand({ MonitorArnList: [MonitorArn!] }))).AnomalyMonitors![0];
    expect(mon).toMatchObject({ MonitorName: "m", MonitorType: "DIMENSIONAL", MonitorDimension: "SERVICE", CreationDate: expect.stringMatching(/^\d{4}-\d\d-\d\d$/) });
    expect((await ce().send(new ListCeTagsCommand({ ResourceArn: MonitorArn }))).ResourceTags).toEqual([{ Key: "Project", Value: "retail-forecast" }]);

    const { SubscriptionArn } = await ce().send(
      new CreateAnomalySubscriptionCommand({
        AnomalySubscription: {
          SubscriptionName: "s",
          Frequency: "IMMEDIATE",
          MonitorArnList: [MonitorArn!],
          Subscribers: [{ Type: "SNS", Address: "arn:aws:sns:us-east-1:123456789012:alerts" }],
          ThresholdExpression: { Dimensions: { Key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", MatchOptions: ["GREATER_THAN_OR_EQUAL"], Values: ["50"] } },
        },
      }),
    );
    await ce().send(
      new UpdateAnomalySubscriptionCommand({
        SubscriptionArn,
        ThresholdExpression: { Dimensions: { Key: "ANOMALY_TOTAL_IMPACT_ABSOLUTE", MatchOptions: ["GREATER_THAN_OR_EQUAL"], Values: ["75"] } },
      }),
    );
    const sub = (await ce().send(new GetAnomalySubscriptionsCommand({ SubscriptionArnList: [SubscriptionArn!] }))).AnomalySubscriptions![0];
    expect(sub).toMatchObject({ AccountId: "123456789012", Frequency: "IMMEDIATE", Subscribers: [{ Type: "SNS", Status: "CONFIRMED", Address: expect.any(String) }] });
    expect(sub.ThresholdExpression!.Dimensions!.Values).toEqual(["75"]);

    await ce().send(new DeleteAnomalyMonitorCommand({ MonitorArn }));
    await expect(ce().send(new GetAnomalyMonitorsCommand({ MonitorArnList: [MonitorArn!] }))).rejects.toMatchObject({ name: "UnknownMonitorException" });
  });

  test("cost allocation tag status is kept and filtered", async () => {
    await ce().send(
      new UpdateCostAllocationTagsStatusCommand({
        CostAllocationTagsStatus: [
          { TagKey: "Project", Status: "Active" },
          { TagKey: "Owner", Status: "Inactive" },
        ],
      }),
    );
    const active = await ce().send(new ListCostAllocationTagsCommand({ Status: "Active" }));
    expect(active.CostAllocationTags).toEqual([expect.objectContaining({ TagKey: "Project", Type: "UserDefined", Status: "Active" })]);
  });
});

describe("s3 intelligent tiering", () => {
  const s3 = () => new S3Client({ ...cfg(), forcePathStyle: true });

  test("configurations are stored per id, listed, deleted, and unknown ids are 404", async () => {
    await s3().send(new CreateBucketCommand({ Bucket: "it-bucket" }));
    await s3().send(
      new PutBucketIntelligentTieringConfigurationCommand({
        Bucket: "it-bucket",
        Id: "archive",
        IntelligentTieringConfiguration: {
          Id: "archive",
          Status: "Enabled",
          Filter: { And: { Prefix: "features/", Tags: [{ Key: "Tier", Value: "cold" }] } },
          Tierings: [{ Days: 90, AccessTier: "ARCHIVE_ACCESS" }],
        },
      }),
    );
    const got = await s3().send(new GetBucketIntelligentTieringConfigurationCommand({ Bucket: "it-bucket", Id: "archive" }));
    expect(got.IntelligentTieringConfiguration).toEqual({
      Id: "archive",
      Status: "Enabled",
      Filter: { And: { Prefix: "features/", Tags: [{ Key: "Tier", Value: "cold" }] } },
      Tierings: [{ Days: 90, AccessTier: "ARCHIVE_ACCESS" }],
    });
    const list = await s3().send(new ListBucketIntelligentTieringConfigurationsCommand({ Bucket: "it-bucket" }));
    expect(list.IntelligentTieringConfigurationList!.map((c) => c.Id)).toEqual(["archive"]);
    await s3().send(new DeleteBucketIntelligentTieringConfigurationCommand({ Bucket: "it-bucket", Id: "archive" }));
    await expect(s3().send(new GetBucketIntelligentTieringConfigurationCommand({ Bucket: "it-bucket", Id: "archive" }))).rejects.toMatchObject({
      name: "NoSuchConfiguration",
      $metadata: { httpStatusCode: 404 },
    });
  });
});

test("application autoscaling target tags: add, remove, unknown ARN", async () => {
  const aas = new ApplicationAutoScalingClient(cfg());
  const target = { ServiceNamespace: "sagemaker" as const, ResourceId: "endpoint/e/variant/AllTraffic", ScalableDimension: "sagemaker:variant:DesiredInstanceCount" as const };
  const { ScalableTargetARN } = await aas.send(new RegisterScalableTargetCommand({ ...target, MinCapacity: 1, MaxCapacity: 2, Tags: { Project: "retail-forecast" } }));
  await aas.send(new TagScalingCommand({ ResourceARN: ScalableTargetARN, Tags: { Owner: "platform" } }));
  await aas.send(new UntagScalingCommand({ ResourceARN: ScalableTargetARN, TagKeys: ["Project"] }));
  expect((await aas.send(new ListScalingTagsCommand({ ResourceARN: ScalableTargetARN }))).Tags).toEqual({ Owner: "platform" });
  await aas.send(new DeregisterScalableTargetCommand(target));
  await expect(aas.send(new ListScalingTagsCommand({ ResourceARN: ScalableTargetARN }))).rejects.toMatchObject({ name: "ResourceNotFoundException" });
});

test("sagemaker AddTags replaces a key's value and endpoint configs are taggable by ARN", async () => {
  const sm = new SageMakerClient(cfg());
  await sm.send(new CreateModelCommand({ ModelName: "m1", ExecutionRoleArn: "arn:aws:iam::123456789012:role/sm", PrimaryContainer: { Image: "img" } }));
  const { EndpointConfigArn } = await sm.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: "c1",
      ProductionVariants: [{ VariantName: "AllTraffic", ModelName: "m1", ServerlessConfig: { MaxConcurrency: 1, MemorySizeInMB: 2048 } }],
      Tags: [{ Key: "Stack", Value: "a" }],
    }),
  );
  await sm.send(new AddTagsCommand({ ResourceArn: EndpointConfigArn, Tags: [{ Key: "Stack", Value: "b" }] }));
  expect((await sm.send(new ListTagsCommand({ ResourceArn: EndpointConfigArn }))).Tags).toEqual([{ Key: "Stack", Value: "b" }]);
});

test("launch template: own tags stay out of the version and follow CreateTags", async () => {
  const ec2 = new EC2Client(cfg());
  const { LaunchTemplate } = await ec2.send(
    new CreateLaunchTemplateCommand({
      LaunchTemplateName: "lt-tags",
      LaunchTemplateData: { TagSpecifications: [{ ResourceType: "instance", Tags: [{ Key: "Project", Value: "retail-forecast" }] }] },
      TagSpecifications: [{ ResourceType: "launch-template", Tags: [{ Key: "Stack", Value: "a" }] }],
    }),
  );
  const id = LaunchTemplate!.LaunchTemplateId!;
  const versions = await ec2.send(new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateId: id }));
  expect(versions.LaunchTemplateVersions![0].LaunchTemplateData!.TagSpecifications).toEqual([
    { ResourceType: "instance", Tags: [{ Key: "Project", Value: "retail-forecast" }] },
  ]);
  await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: "Stack", Value: "b" }] }));
  const lt = (await ec2.send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [id] }))).LaunchTemplates![0];
  expect(lt.Tags).toEqual([{ Key: "Stack", Value: "b" }]);
});

describe("issue 12 patches: CodeBuild, log group class, EKS upgrade policy", () => {
  test("codebuild: concurrentBuildLimit and projectVisibility read back; UpdateProject; StartBuild applies the schedule's override", async () => {
    const { CodeBuildClient, CreateProjectCommand, BatchGetProjectsCommand, UpdateProjectCommand, StartBuildCommand, BatchGetBuildsCommand } = await import("@aws-sdk/client-codebuild");
    const cb = new CodeBuildClient(cfg());
    await cb.send(
      new CreateProjectCommand({
        name: "life",
        source: { type: "S3", location: "bucket/key.zip", buildspec: "{}" },
        artifacts: { type: "NO_ARTIFACTS" },
        environment: { type: "LINUX_CONTAINER", computeType: "BUILD_GENERAL1_SMALL", image: "img", environmentVariables: [{ name: "LIFETIME_ACTION", value: "none", type: "PLAINTEXT" }] },
        serviceRole: `arn:aws:iam::${EMULATOR_ACCOUNT_ID}:role/r`,
        concurrentBuildLimit: 1,
      }),
    );
    const [p] = (await cb.send(new BatchGetProjectsCommand({ names: ["life"] }))).projects!;
    expect(p).toMatchObject({ concurrentBuildLimit: 1, projectVisibility: "PRIVATE" });
    await cb.send(new UpdateProjectCommand({ name: "life", concurrentBuildLimit: 2, description: "changed" }));
    expect((await cb.send(new BatchGetProjectsCommand({ names: ["life"] }))).projects![0]).toMatchObject({ concurrentBuildLimit: 2, description: "changed" });
    const build = (await cb.send(new StartBuildCommand({ projectName: "life", environmentVariablesOverride: [{ name: "LIFETIME_ACTION", value: "restore", type: "PLAINTEXT" }] }))).build!;
    const [got] = (await cb.send(new BatchGetBuildsCommand({ ids: [build.id!] }))).builds!;
    expect(got.environment?.environmentVariables).toEqual([{ name: "LIFETIME_ACTION", value: "restore", type: "PLAINTEXT" }]);
  });

  test("logs: logGroupClass kept and returned (STANDARD when not given)", async () => {
    const { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } = await import("@aws-sdk/client-cloudwatch-logs");
    const logs = new CloudWatchLogsClient(cfg());
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/ia", logGroupClass: "INFREQUENT_ACCESS" }));
    await logs.send(new CreateLogGroupCommand({ logGroupName: "/std" }));
    const groups = (await logs.send(new DescribeLogGroupsCommand({}))).logGroups!;
    expect(Object.fromEntries(groups.filter((g) => ["/ia", "/std"].includes(g.logGroupName!)).map((g) => [g.logGroupName, g.logGroupClass]))).toEqual({ "/ia": "INFREQUENT_ACCESS", "/std": "STANDARD" });
  });

  test("eks: upgradePolicy kept from CreateCluster (EXTENDED when not given) and changed by UpdateClusterConfig", async () => {
    const { EKSClient, CreateClusterCommand, DescribeClusterCommand, UpdateClusterConfigCommand } = await import("@aws-sdk/client-eks");
    const eks = new EKSClient(cfg());
    const vpc = { subnetIds: ["subnet-1", "subnet-2"] };
    await eks.send(new CreateClusterCommand({ name: "std", roleArn: `arn:aws:iam::${EMULATOR_ACCOUNT_ID}:role/r`, resourcesVpcConfig: vpc, upgradePolicy: { supportType: "STANDARD" } }));
    await eks.send(new CreateClusterCommand({ name: "dflt", roleArn: `arn:aws:iam::${EMULATOR_ACCOUNT_ID}:role/r`, resourcesVpcConfig: vpc }));
    expect((await eks.send(new DescribeClusterCommand({ name: "std" }))).cluster?.upgradePolicy).toEqual({ supportType: "STANDARD" });
    expect((await eks.send(new DescribeClusterCommand({ name: "dflt" }))).cluster?.upgradePolicy).toEqual({ supportType: "EXTENDED" });
    const u = await eks.send(new UpdateClusterConfigCommand({ name: "dflt", upgradePolicy: { supportType: "STANDARD" } }));
    expect(u.update).toMatchObject({ type: "UpgradePolicyUpdate", status: "Successful" });
    expect((await eks.send(new DescribeClusterCommand({ name: "dflt" }))).cluster?.upgradePolicy).toEqual({ supportType: "STANDARD" });
  });
});
