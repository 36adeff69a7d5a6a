/**
 * The environments. A fork edits accountId, owner, emails and CIDRs here; everything else is a
 * cost decision with its reason next to it.
 */
import { EnvironmentConfig, EnvironmentName } from "./types";
import { EMULATOR_ACCOUNT_ID } from "../lambda/shared/aws-client";

/** The office's working hours, in the schedule's timezone: the scheduler's, and dev's compute lifetime. */
const OFFICE_HOURS = [{ days: "MON-FRI", from: "07:00", to: "19:00" }] as const;

/**
 * England and Wales bank holidays of 2026 (https://www.gov.uk/bank-holidays, 28 December is the
 * substitute for Boxing Day on a Saturday): environments stay down all day. Add the next year's
 * from https://www.gov.uk/bank-holidays.json before it starts.
 */
const UK_BANK_HOLIDAYS = ["2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"] as const;

/** Logs people read rarely and nothing extracts metrics from: Infrequent Access, half the ingestion price. */
const INFREQUENT_LOGS = { eks: "INFREQUENT_ACCESS", app: "INFREQUENT_ACCESS", training: "INFREQUENT_ACCESS", endpoint: "INFREQUENT_ACCESS" } as const;

const WEEKDAY_SCHEDULE = {
  name: "office-hours",
  timezone: "Europe/London",
  hours: OFFICE_HOURS,
  skipDates: UK_BANK_HOLIDAYS,
  idleCron: "cron(0 * ? * MON-FRI *)",
  idleWindowHours: 24,
  idleInvocationsThreshold: 1,
  enabled: true,
} as const;

// ECR hides an image claimed by a higher-priority rule from every lower rule, so "10 in total"
// only holds when the counts of all rules add up to it: 1 untagged + 2 x 3 prefixes + 3 others.
const ECR_DEFAULTS = {
  immutableTags: false,
  keepUntagged: 1,
  keepPerPrefix: 2,
  keepTotal: 10,
  tagPrefixes: ["prod", "stage", "dev"],
} as const;

const SAGEMAKER_IMAGES = {
  // Public SageMaker XGBoost image of us-east-1; replace for another region.
  modelImage: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
  trainingImage: "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1",
  modelDataKey: "retail-forecast/model.tar.gz",
} as const;

const DEV_NODE_GROUP = {
  instanceTypes: ["t3.medium", "t3a.medium", "t2.medium"],
  capacityType: "SPOT",
  minSize: 2,
  maxSize: 5,
  desiredSize: 2,
  diskSizeGb: 20,
  labels: { app: "retail-api" },
  scheduled: true,
} as const;

const DEV: EnvironmentConfig = {
  name: "dev",
  project: "retail-forecast",
  accountId: "111111111111",
  region: "us-east-1",
  costCenter: "ml-platform",
  owner: "platform-team",
  notificationEmails: ["platform-alerts@example.com"],
  budget: { monthlyLimitUsd: 500, anomalyThresholdUsd: 50 },
  logs: { retentionInDays: 7, classes: INFREQUENT_LOGS },
  network: {
    vpcCidr: "10.10.0.0/16",
    // A spot t4g.nano NAT instance: about $0.60/month over the working hours plus its public IP,
    // against $12 for a NAT gateway over the same hours plus $0.045/GB; it costs a few minutes
    // of egress when spot reclaims it (README, "Egress").
    egress: { mode: "nat-instance", instanceType: "t4g.nano", spot: true },
    eksPublicAccessCidrs: ["203.0.113.0/24"],
  },
  eks: { version: "1.35", supportType: "STANDARD", nodeSubnets: "private", logTypes: ["audit", "authenticator"], nodeGroups: { api: DEV_NODE_GROUP } },
  sagemaker: {
    ...SAGEMAKER_IMAGES,
    endpoint: { mode: "serverless", memorySizeInMb: 2048, maxConcurrency: 5 },
    endpointScheduled: false,
  },
  schedule: WEEKDAY_SCHEDULE,
  // Compute exists in office hours only, restored 30 minutes before they start.
  computeLifetime: { hours: OFFICE_HOURS, restoreLeadMinutes: 30 },
  ecr: ECR_DEFAULTS,
  backupPrefixes: ["silver/", "artifacts/"],
  // The team's SSO role; replace with yours (IAM refuses a trust naming a role that does not exist).
  costReaders: ["arn:aws:iam::111111111111:role/platform-engineers"],
};

export const ENVIRONMENTS: Readonly<Record<EnvironmentName, EnvironmentConfig>> = {
  dev: DEV,
  staging: {
    name: "staging",
    project: "retail-forecast",
    accountId: "222222222222",
    region: "us-east-1",
    costCenter: "ml-platform",
    owner: "platform-team",
    notificationEmails: ["platform-alerts@example.com"],
    budget: { monthlyLimitUsd: 1500, anomalyThresholdUsd: 100 },
    logs: { retentionInDays: 14, classes: INFREQUENT_LOGS },
    network: { vpcCidr: "10.20.0.0/16", egress: { mode: "nat-gateway", count: 1 }, eksPublicAccessCidrs: ["203.0.113.0/24"] },
    eks: {
      version: "1.35",
      supportType: "STANDARD",
      nodeSubnets: "private",
      logTypes: ["audit", "authenticator"],
      nodeGroups: { api: { ...DEV_NODE_GROUP, instanceTypes: ["m5.large", "m5a.large", "m6i.large", "m6a.large"], maxSize: 6 } },
    },
    sagemaker: {
      ...SAGEMAKER_IMAGES,
      endpoint: { mode: "serverless", memorySizeInMb: 3072, maxConcurrency: 10 },
      endpointScheduled: false,
    },
    schedule: WEEKDAY_SCHEDULE,
    // Staging runs soak tests and nightly jobs through the week: compute from Monday 00:00 to
    // Saturday 00:00, gone at weekends.
    computeLifetime: { hours: [{ days: "MON-FRI", from: "00:00", to: "24:00" }], restoreLeadMinutes: 30 },
    ecr: ECR_DEFAULTS,
    backupPrefixes: ["silver/", "artifacts/"],
    costReaders: ["arn:aws:iam::222222222222:role/platform-engineers"],
  },
  prod: {
    name: "prod",
    project: "retail-forecast",
    accountId: "333333333333",
    region: "us-east-1",
    costCenter: "ml-platform",
    owner: "platform-team",
    notificationEmails: ["platform-alerts@example.com", "finops@example.com"],
    budget: { monthlyLimitUsd: 5000, anomalyThresholdUsd: 250 },
    logs: { retentionInDays: 30, classes: { eks: "STANDARD", app: "STANDARD", training: "STANDARD", endpoint: "STANDARD" } },
    // One NAT per AZ in prod: an AZ outage must not cut the other AZ's egress.
    network: { vpcCidr: "10.30.0.0/16", egress: { mode: "nat-gateway", count: 2 }, eksPublicAccessCidrs: ["203.0.113.0/24"] },
    eks: {
      version: "1.35",
      // Prod chooses when to upgrade: extended support, explicitly, priced by date in the estimate.
      supportType: "EXTENDED",
      nodeSubnets: "private",
      // All five in prod (CKV_AWS_37): the control plane's full trail where it matters; outside
      // prod only audit + authenticator, by cost (policy/exceptions.ts).
      logTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      nodeGroups: {
        // On-demand floor keeps the API up through a spot reclaim storm.
        base: {
          instanceTypes: ["m6i.large"],
          capacityType: "ON_DEMAND",
          minSize: 2,
          maxSize: 3,
          desiredSize: 2,
          diskSizeGb: 30,
          labels: { app: "retail-api", capacity: "on-demand" },
          scheduled: false,
        },
        burst: {
          instanceTypes: ["m5.large", "m5a.large", "m6i.large", "m6a.large", "m7i.large"],
          capacityType: "SPOT",
          minSize: 0,
          maxSize: 10,
          desiredSize: 1,
          diskSizeGb: 30,
          labels: { app: "retail-api", capacity: "spot" },
          scheduled: false,
        },
      },
    },
    sagemaker: {
      ...SAGEMAKER_IMAGES,
      endpoint: {
        mode: "realtime",
        instanceType: "ml.m5.large",
        initialInstanceCount: 1,
        minCapacity: 1,
        maxCapacity: 4,
        targetInvocationsPerInstance: 1000,
      },
      endpointScheduled: false,
    },
    // Prod serves customers around the clock: schedules exist but are created disabled.
    schedule: { ...WEEKDAY_SCHEDULE, enabled: false },
    computeLifetime: "always",
    ecr: { ...ECR_DEFAULTS, immutableTags: true },
    backupPrefixes: ["silver/", "artifacts/"],
    costReaders: ["arn:aws:iam::333333333333:role/platform-engineers"],
  },
  // The dev platform against the local emulator, with a real-time endpoint so that the scheduler
  // has one to stop and start in the sandbox flow.
  sandbox: {
    ...DEV,
    name: "sandbox",
    accountId: EMULATOR_ACCOUNT_ID,
    notificationEmails: ["sandbox@example.com"],
    // Stands for the team's role; the sandbox flow assumes the cost reader role as the emulator's
    // administrator (sandbox/least-privilege.ts).
    costReaders: [`arn:aws:iam::${EMULATOR_ACCOUNT_ID}:role/platform-engineers`],
    budget: { monthlyLimitUsd: 100, anomalyThresholdUsd: 10 },
    network: { ...DEV.network, vpcCidr: "10.40.0.0/16" },
    sagemaker: {
      ...DEV.sagemaker,
      endpoint: {
        mode: "realtime",
        instanceType: "ml.t2.medium",
        initialInstanceCount: 1,
        minCapacity: 1,
        maxCapacity: 2,
        targetInvocationsPerInstance: 100,
      },
      endpointScheduled: true,
    },
  },
};
