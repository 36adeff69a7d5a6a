/**
 * Typed configuration of one environment. Values live in config/environments.ts. Where a value
 * is a construct's props as they are (capacity type, endpoint), the construct owns the type.
 */
import type { CapacityType } from "../modules/spot-node-group";
import type { RealtimeEndpointProps, ServerlessEndpointProps } from "../modules/sagemaker-endpoint";
import type { WorkingHours } from "../lambda/shared/office-hours";
import type { LogGroupClass } from "../modules/log-group";
import type { EksSupportType } from "../modules/eks-cluster";
import type { EgressProps } from "../modules/network";

export const ENVIRONMENT_NAMES = ["dev", "staging", "prod", "sandbox"] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

export type { CapacityType, WorkingHours, LogGroupClass, EksSupportType };

/**
 * How private subnets reach the internet (modules/network.ts owns the shapes):
 * - nat-gateway: `count` managed NAT gateways (1 shared, or 2: one per AZ);
 * - nat-instance: one small Graviton instance behind a fixed network interface, replaced by its
 *   Auto Scaling group when it dies (spot when `spot`);
 * - none: no NAT; nodes need public subnets with public IPs (`eks.nodeSubnets: "public"`).
 */
export type EgressConfig = EgressProps;

/** The log groups of the data stack that take a class from config. */
export const LOG_GROUP_KEYS = ["eks", "app", "training", "endpoint"] as const;
export type LogGroupKey = (typeof LOG_GROUP_KEYS)[number];

/**
 * When the compute stack exists. `always` (prod), or working hours in `schedule.timezone`:
 * outside them a CodeBuild project in the ops stack tears compute down, and restores it
 * `restoreLeadMinutes` before the next window starts. `schedule.skipDates` are down all day.
 */
export type ComputeLifetime =
  | "always"
  | {
      readonly hours: WorkingHours;
      /**
       * How long before a window starts the restore begins, so the cluster is ready when the day
       * starts. 30: EKS control planes take 15 minutes on average to create
       * (aws/containers-roadmap#1227), a managed node group a few more, the build itself
       * (provisioning, npm ci, terraform init) about 5, plus a margin.
       */
      readonly restoreLeadMinutes: number;
    };

export interface NodeGroupConfig {
  /** Diversified instance types: spot capacity is drawn from every pool listed. */
  readonly instanceTypes: readonly string[];
  readonly capacityType: CapacityType;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  readonly diskSizeGb: number;
  readonly labels: Readonly<Record<string, string>>;
  /** Stopped out of hours by the scheduler (tagged Schedule=<schedule name>). */
  readonly scheduled: boolean;
}

export type ServerlessEndpointConfig = ServerlessEndpointProps;
export type RealtimeEndpointConfig = RealtimeEndpointProps;

export interface EnvironmentConfig {
  readonly name: EnvironmentName;
  readonly project: string;
  readonly accountId: string;
  readonly region: string;
  readonly costCenter: string;
  readonly owner: string;
  /**
   * Sandbox only: the local AWS emulator every provider and the backend talk to. Filled in by
   * main.ts from SANDBOX_ENDPOINT; never set for a real account.
   */
  readonly emulatorEndpoint?: string;
  readonly notificationEmails: readonly string[];
  readonly budget: {
    readonly monthlyLimitUsd: number;
    /** Cost anomaly subscription: alert when an anomaly's total impact reaches this. */
    readonly anomalyThresholdUsd: number;
  };
  readonly logs: {
    /** Retention of every log group the platform creates. */
    readonly retentionInDays: number;
    /**
     * Class of each data-stack log group. INFREQUENT_ACCESS halves ingestion but has no metric
     * filters, subscriptions, Live Tail or embedded-metric extraction; a group's class cannot
     * change after creation (changing it here replaces the group, and its logs go).
     */
    readonly classes: Readonly<Record<LogGroupKey, LogGroupClass>>;
  };
  readonly network: {
    readonly vpcCidr: string;
    readonly egress: EgressConfig;
    /** CIDRs allowed to reach the public EKS API endpoint; never 0.0.0.0/0. */
    readonly eksPublicAccessCidrs: readonly string[];
  };
  readonly eks: {
    readonly version: string;
    /**
     * upgrade_policy.support_type. STANDARD outside prod: past its standard-support date the
     * cluster is upgraded instead of billed at the extended-support rate ($0.60/h, not $0.10/h).
     */
    readonly supportType: EksSupportType;
    /** Where nodes run: private subnets behind the egress, or public subnets with public IPs (egress none). */
    readonly nodeSubnets: "private" | "public";
    /** Control-plane log types; audit + authenticator at least. */
    readonly logTypes: readonly ("api" | "audit" | "authenticator" | "controllerManager" | "scheduler")[];
    readonly nodeGroups: Readonly<Record<string, NodeGroupConfig>>;
  };
  readonly sagemaker: {
    readonly modelImage: string;
    readonly trainingImage: string;
    /** Key of model.tar.gz in the models bucket. */
    readonly modelDataKey: string;
    readonly endpoint: ServerlessEndpointConfig | RealtimeEndpointConfig;
    /** Endpoint is stopped out of hours by the scheduler. */
    readonly endpointScheduled: boolean;
  };
  readonly schedule: {
    /** Value of the Schedule tag the scheduler acts on. */
    readonly name: string;
    /** IANA timezone of the cron expressions (EventBridge Scheduler evaluates them there). */
    readonly timezone: string;
    /** Working hours in `timezone`: the scheduler starts at each window's start and stops at its end. */
    readonly hours: WorkingHours;
    /**
     * Dates (YYYY-MM-DD in `timezone`) the environment stays down all day: nothing starts or is
     * restored (the scheduler and the compute lifetime both honour them).
     */
    readonly skipDates: readonly string[];
    /** Idle-endpoint sweep. */
    readonly idleCron: string;
    readonly idleWindowHours: number;
    readonly idleInvocationsThreshold: number;
    /** false creates the schedules DISABLED (prod stays up; the function is still deployed). */
    readonly enabled: boolean;
  };
  readonly ecr: {
    /** Immutable tags: on in prod (CKV_AWS_51). */
    readonly immutableTags: boolean;
    readonly keepUntagged: number;
    readonly keepPerPrefix: number;
    readonly keepTotal: number;
    readonly tagPrefixes: readonly string[];
  };
  readonly computeLifetime: ComputeLifetime;
  /** Data prefixes of the data bucket that a teardown backs up first. */
  readonly backupPrefixes: readonly string[];
  /**
   * IAM roles or users of this account (e.g. the team's SSO role) that may assume the read-only
   * role `cost report` runs as (`<project>-<env>-cost-reader`, in the ops stack). Named
   * principals, never the account (CKV_AWS_61); IAM refuses a trust naming one that does not exist.
   */
  readonly costReaders: readonly string[];
}
