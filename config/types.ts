/**
 * Typed configuration of one environment. Values live in config/environments.ts. Where a value
 * is a construct's props as they are (capacity type, endpoint), the construct owns the type.
 */
import type { CapacityType } from "../modules/spot-node-group";
import type { RealtimeEndpointProps, ServerlessEndpointProps } from "../modules/sagemaker-endpoint";

export const ENVIRONMENT_NAMES = ["dev", "staging", "prod", "sandbox"] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

export type { CapacityType };

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
  };
  readonly network: {
    readonly vpcCidr: string;
    /** 1 outside prod (one shared NAT), one per AZ in prod. */
    readonly natGateways: number;
    /** CIDRs allowed to reach the public EKS API endpoint; never 0.0.0.0/0. */
    readonly eksPublicAccessCidrs: readonly string[];
  };
  readonly eks: {
    readonly version: string;
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
    readonly stopCron: string;
    readonly startCron: string;
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
  /** Data prefixes of the data bucket that a teardown backs up first. */
  readonly backupPrefixes: readonly string[];
  /**
   * IAM roles or users of this account (e.g. the team's SSO role) that may assume the read-only
   * role `cost report` runs as (`<project>-<env>-cost-reader`, in the ops stack). Named
   * principals, never the account (CKV_AWS_61); IAM refuses a trust naming one that does not exist.
   */
  readonly costReaders: readonly string[];
}
