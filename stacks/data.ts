/**
 * `<env>-data`: persistent. Buckets that tier themselves down, ECR with expiring images, the
 * alert topic, budget, anomaly detection, cost-allocation tags, the log groups that must
 * outlive compute, and the permissions boundary of the compute stack's roles (here because this
 * stack deploys before compute, is never the compute lifetime's build to deploy, and stays while
 * compute comes and goes). A teardown never destroys this stack unless asked.
 */
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import { CeCostAllocationTag } from "@cdktf/provider-aws/lib/ce-cost-allocation-tag";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { PlatformStack, PlatformStackProps } from "./platform-stack";
import { LifecycleRuleProps, StorageClass, TieredBucket } from "../modules/tiered-bucket";
import { EcrRepository } from "../modules/ecr-repository";
import { AlertTopic } from "../modules/alert-topic";
import { Budget } from "../modules/budget";
import { AnomalyMonitor } from "../modules/anomaly-monitor";
import { LogGroup } from "../modules/log-group";
import { REQUIRED_TAG_KEYS } from "../modules/tags";
import { policyJson } from "../modules/iam";
import { computeBoundaryStatements } from "../cli/ops/compute-boundary";

/** The mission's per-prefix lifecycle, applied to every platform bucket. */
export const MISSION_LIFECYCLE_RULES: readonly LifecycleRuleProps[] = [
  { id: "raw-to-intelligent-tiering", prefix: "raw/", transitions: [{ days: 30, storageClass: StorageClass.INTELLIGENT_TIERING }] },
  { id: "silver-to-intelligent-tiering", prefix: "silver/", transitions: [{ days: 30, storageClass: StorageClass.INTELLIGENT_TIERING }] },
  {
    id: "artifacts-to-archive",
    prefix: "artifacts/",
    transitions: [
      { days: 90, storageClass: StorageClass.GLACIER_IR },
      { days: 180, storageClass: StorageClass.DEEP_ARCHIVE },
    ],
  },
  {
    id: "logs-to-archive",
    prefix: "logs/",
    transitions: [
      { days: 90, storageClass: StorageClass.GLACIER_IR },
      { days: 180, storageClass: StorageClass.DEEP_ARCHIVE },
    ],
  },
  { id: "tmp-expire", prefix: "tmp/", tags: { temporary: "true" }, expireAfterDays: 7 },
];

export class DataStack extends PlatformStack {
  readonly buckets: Record<"data" | "models" | "artifacts", TieredBucket>;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, "data", props);
    const cfg = this.config;
    const n = this.names;
    const sandbox = cfg.name === "sandbox";

    this.buckets = {
      data: new TieredBucket(this, "DataBucket", {
        bucketName: n.dataBucket,
        rules: MISSION_LIFECYCLE_RULES,
        // The prefixes the lifecycle moves into Intelligent-Tiering; a data/ filter (as first
        // specified) would match nothing this platform writes.
        intelligentTiering: { prefixes: ["raw/", "silver/"], archiveAccessDays: 90, deepArchiveAccessDays: 180 },
        forceDestroy: sandbox,
      }),
      models: new TieredBucket(this, "ModelsBucket", { bucketName: n.modelsBucket, rules: MISSION_LIFECYCLE_RULES, forceDestroy: sandbox }),
      artifacts: new TieredBucket(this, "ArtifactsBucket", { bucketName: n.artifactsBucket, rules: MISSION_LIFECYCLE_RULES, forceDestroy: sandbox }),
    };

    const repos = (["training", "inference"] as const).map(
      (kind) =>
        new EcrRepository(this, `${kind === "training" ? "Training" : "Inference"}Repository`, {
          name: n.ecrRepository(kind),
          immutableTags: cfg.ecr.immutableTags,
          keepUntagged: cfg.ecr.keepUntagged,
          keepPerPrefix: cfg.ecr.keepPerPrefix,
          tagPrefixes: cfg.ecr.tagPrefixes,
          keepTotal: cfg.ecr.keepTotal,
          forceDelete: sandbox,
        }),
    );

    const alerts = new AlertTopic(this, "Alerts", { topicName: n.alertTopic, accountId: cfg.accountId, emails: cfg.notificationEmails });

    new Budget(this, "Budget", {
      name: n.prefix,
      monthlyLimitUsd: cfg.budget.monthlyLimitUsd,
      project: cfg.project,
      emails: cfg.notificationEmails,
      topicArn: alerts.topic.arn,
    });
    new AnomalyMonitor(this, "CostAnomaly", {
      name: n.prefix,
      project: cfg.project,
      topicArn: alerts.topic.arn,
      thresholdUsd: cfg.budget.anomalyThresholdUsd,
    });
    // Tags only show in Cost Explorer and budgets once activated for cost allocation.
    for (const key of REQUIRED_TAG_KEYS) {
      new CeCostAllocationTag(this, `CostAllocationTag-${key}`, { tagKey: key, status: "Active" });
    }

    const retentionInDays = cfg.logs.retentionInDays;
    const cls = cfg.logs.classes;
    new LogGroup(this, "EksControlPlaneLogs", { name: n.logGroups.eks, retentionInDays, logGroupClass: cls.eks });
    new LogGroup(this, "AppLogs", { name: n.logGroups.app, retentionInDays, logGroupClass: cls.app });
    new LogGroup(this, "TrainingLogs", { name: n.logGroups.training, retentionInDays, logGroupClass: cls.training });
    new LogGroup(this, "EndpointLogs", { name: n.logGroups.endpoint, retentionInDays, logGroupClass: cls.endpoint });

    // The ceiling of every compute role; the compute lifetime's build may create those roles only
    // with it (cli/ops/compute-boundary.ts, cli/ops/iam.ts).
    new IamPolicy(this, "ComputeBoundary", {
      name: n.computeBoundaryPolicy,
      description: `${n.prefix}: permissions boundary of the compute stack's roles`,
      policy: policyJson(computeBoundaryStatements(cfg)),
    });

    new TerraformOutput(this, "data_bucket", { value: this.buckets.data.bucket.bucket });
    new TerraformOutput(this, "models_bucket", { value: this.buckets.models.bucket.bucket });
    new TerraformOutput(this, "artifacts_bucket", { value: this.buckets.artifacts.bucket.bucket });
    new TerraformOutput(this, "training_repository_url", { value: repos[0].repository.repositoryUrl });
    new TerraformOutput(this, "inference_repository_url", { value: repos[1].repository.repositoryUrl });
    new TerraformOutput(this, "alert_topic_arn", { value: alerts.topic.arn });
  }
}
