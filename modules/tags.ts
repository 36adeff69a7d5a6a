import { EnvironmentConfig } from "../config/types";

export const REQUIRED_TAG_KEYS = ["Project", "Environment", "CostCenter", "Owner", "ManagedBy", "Stack"] as const;
export type RequiredTagKey = (typeof REQUIRED_TAG_KEYS)[number];

/** The cost-allocation tags every taggable resource of a stack carries (provider default_tags). */
export function requiredTags(cfg: EnvironmentConfig, stackName: string): Record<RequiredTagKey, string> {
  return {
    Project: cfg.project,
    Environment: cfg.name,
    CostCenter: cfg.costCenter,
    Owner: cfg.owner,
    ManagedBy: "cdktf",
    Stack: stackName,
  };
}

/** Tag that puts a resource under the out-of-hours scheduler. */
export function scheduleTags(cfg: EnvironmentConfig, scheduled: boolean): Record<string, string> {
  return scheduled ? { Schedule: cfg.schedule.name } : {};
}
