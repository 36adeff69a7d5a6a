/**
 * Cost-allocation and scheduler tags.
 *
 *   requiredTags({ project: "retail-forecast", environment: "dev", costCenter: "ml-platform", owner: "platform-team" }, "dev-data")
 *   scheduleTags("office-hours", true)   // { Schedule: "office-hours" }
 */
export const REQUIRED_TAG_KEYS = ["Project", "Environment", "CostCenter", "Owner", "ManagedBy", "Stack"] as const;
export type RequiredTagKey = (typeof REQUIRED_TAG_KEYS)[number];

/** Who pays for a resource: the values of the cost-allocation tags. */
export interface CostAllocationProps {
  readonly project: string;
  readonly environment: string;
  readonly costCenter: string;
  readonly owner: string;
}

/** The cost-allocation tags every taggable resource of a stack carries (provider default_tags). */
export function requiredTags(props: CostAllocationProps, stackName: string): Record<RequiredTagKey, string> {
  return {
    Project: props.project,
    Environment: props.environment,
    CostCenter: props.costCenter,
    Owner: props.owner,
    ManagedBy: "cdktf",
    Stack: stackName,
  };
}

/** The tag that puts a resource under the out-of-hours scheduler (whose SCHEDULE_NAME is `scheduleName`). */
export function scheduleTags(scheduleName: string, scheduled: boolean): Record<string, string> {
  return scheduled ? { Schedule: scheduleName } : {};
}
