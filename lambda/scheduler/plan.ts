/**
 * The scheduler's decisions as pure functions: no AWS, no clock, no I/O. core.ts gathers the
 * facts, asks these what to do, and does it.
 */
import type { Action, EndpointRecord, NodegroupRecord, Outcome, Scaling, Tags, TargetResult } from "./types";
import { gate, GateFacts, GateVerdict, KeepAlive, parseKeepAlive } from "../shared/office-hours";

export const SCHEDULE_TAG = "Schedule";

// ---- the override and the skip dates (asked before any target is looked at) -----------------

/**
 * Whether a scheduled run acts at all: a keep-alive in force holds stop and stop-idle, a skip
 * date holds start (lambda/shared/office-hours.ts, shared with the compute lifetime's teardown
 * and restore). `keepAliveValue` is the SSM parameter's value, if there is one: a malformed one
 * throws (naming the parameter), so a broken override never reads as "no override".
 */
export function scheduledRunVerdict(action: Action, now: Date, facts: Omit<GateFacts, "keepAlive">, keepAlive?: { name: string; value: string | undefined }): GateVerdict {
  const k: KeepAlive | undefined = keepAlive?.value !== undefined ? parseKeepAlive(keepAlive.name, keepAlive.value) : undefined;
  return gate(action, now.getTime(), { ...facts, keepAlive: k });
}
export const AUTOSTOP_TAG = "AutoStop";

/** Tagged Schedule=<scheduleName> exactly (tag values are case-sensitive in AWS). */
export function isScheduled(tags: Tags | undefined, scheduleName: string): boolean {
  return (tags ?? {})[SCHEDULE_TAG] === scheduleName;
}

/** The reason a resource must never be touched, or undefined. `AutoStop=false` (any case) protects. */
export function protectionReason(tags: Tags | undefined): string | undefined {
  const v = (tags ?? {})[AUTOSTOP_TAG];
  return v !== undefined && v.trim().toLowerCase() === "false" ? `protected by tag ${AUTOSTOP_TAG}=${v}` : undefined;
}

export function isScaledToZero(s: Scaling): boolean {
  return s.minSize === 0 && s.desiredSize === 0;
}

export function scalingEquals(a: Scaling, b: Scaling): boolean {
  return a.minSize === b.minSize && a.desiredSize === b.desiredSize && a.maxSize === b.maxSize;
}

/** What a stop sets: min 0 / desired 0, max kept (EKS rejects max 0). */
export function stoppedScaling(current: Scaling): Scaling {
  return { minSize: 0, desiredSize: 0, maxSize: Math.max(1, current.maxSize) };
}

/**
 * The sizes start puts back: the record's min and desired, and its max unless somebody raised
 * the max while the group was stopped (stop keeps max, so a higher one was set by hand): that
 * one is kept, not reverted. undefined when the group already runs at them.
 */
export function scalingToRestore(current: Scaling, record: NodegroupRecord | undefined): Scaling | undefined {
  if (!record) return undefined;
  const target = { ...record.scaling, maxSize: Math.max(record.scaling.maxSize, current.maxSize) };
  return scalingEquals(current, target) ? undefined : target;
}

export const fmtScaling = (s: Scaling) => `min ${s.minSize}/desired ${s.desiredSize}/max ${s.maxSize}`;

export interface NodegroupFacts {
  readonly status: string;
  readonly arn: string;
  readonly scaling: Scaling;
  readonly tags: Tags;
  /** ON_DEMAND or SPOT (what an avoided hour is priced at) */
  readonly capacityType?: string;
  readonly instanceTypes?: readonly string[];
}

export type NodegroupDecision =
  | { readonly do: "skip"; readonly reason: string; readonly dropRecord?: boolean }
  | { readonly do: "wait"; readonly reason: string }
  | {
      readonly do: "stop";
      readonly target: Scaling;
      /** write: no record yet; keep: the first stop's record stays; replace: stale record of an earlier group. */
      readonly record: "write" | "keep" | "replace";
      readonly reason: string;
    }
  | { readonly do: "start"; readonly target: Scaling; readonly reason: string };

/** A record is only valid for the very group it was taken from (same ARN, i.e. not recreated since). */
export function recordMatches(record: NodegroupRecord | undefined, arn: string): record is NodegroupRecord {
  return record !== undefined && record.nodegroupArn === arn;
}

const WAITABLE_NODEGROUP = "is not ACTIVE";

export function planNodegroupStop(ng: NodegroupFacts, record: NodegroupRecord | undefined): NodegroupDecision {
  const protectedBy = protectionReason(ng.tags);
  if (protectedBy) return { do: "skip", reason: protectedBy };
  if (ng.status === "DELETING") return { do: "skip", reason: "node group is DELETING" };
  const valid = recordMatches(record, ng.arn);
  const stale = record !== undefined && !valid;
  if (isScaledToZero(ng.scaling)) {
    if (valid) return { do: "skip", reason: `already stopped (record of ${fmtScaling(record.scaling)} from ${record.stoppedAt} kept)` };
    return {
      do: "skip",
      reason: "already at min 0/desired 0 with no record of earlier sizes: nothing to stop, start will leave it alone",
      dropRecord: stale,
    };
  }
  if (ng.status !== "ACTIVE") return { do: "wait", reason: `node group ${WAITABLE_NODEGROUP} (${ng.status})` };
  const target = stoppedScaling(ng.scaling);
  if (valid) {
    return { do: "stop", target, record: "keep", reason: `scaled to zero; kept the first record (${fmtScaling(record.scaling)} from ${record.stoppedAt})` };
  }
  return {
    do: "stop",
    target,
    record: stale ? "replace" : "write",
    reason: `scaled to zero from ${fmtScaling(ng.scaling)}${stale ? " (replaced a record of an earlier group with this name)" : ""}`,
  };
}

export function planNodegroupStart(ng: NodegroupFacts, record: NodegroupRecord | undefined): NodegroupDecision {
  const protectedBy = protectionReason(ng.tags);
  if (protectedBy) return { do: "skip", reason: protectedBy };
  if (!record) return { do: "skip", reason: "no stop record: left as is" };
  if (!recordMatches(record, ng.arn)) {
    return { do: "skip", reason: "record belongs to an earlier node group with this name (recreated since): record removed, group left as is", dropRecord: true };
  }
  const target = scalingToRestore(ng.scaling, record);
  if (!target) return { do: "skip", reason: `already running at the recorded ${fmtScaling(ng.scaling)}: record removed`, dropRecord: true };
  if (ng.status === "DELETING") return { do: "skip", reason: "node group is DELETING" };
  if (ng.status !== "ACTIVE") return { do: "wait", reason: `node group ${WAITABLE_NODEGROUP} (${ng.status})` };
  const raised = target.maxSize > record.scaling.maxSize ? `; kept max ${target.maxSize}, raised while stopped (recorded max ${record.scaling.maxSize})` : "";
  return { do: "start", target, reason: `restored ${fmtScaling(target)} recorded at ${record.stoppedAt}${raised}` };
}

/** Endpoint statuses a stop may delete from. Others are mid-change (or Failed) and left alone. */
const STOPPABLE_ENDPOINT = new Set(["InService", "OutOfService"]);

export type EndpointStopDecision =
  | { readonly do: "skip"; readonly reason: string }
  | { readonly do: "stop"; readonly reason: string };

export function planEndpointStop(status: string | undefined, tags: Tags, hasRecord: boolean): EndpointStopDecision {
  const protectedBy = protectionReason(tags);
  if (protectedBy) return { do: "skip", reason: protectedBy };
  if (status === undefined) {
    return { do: "skip", reason: hasRecord ? "already stopped (endpoint gone, record kept)" : "endpoint no longer exists and nothing was recorded" };
  }
  if (!STOPPABLE_ENDPOINT.has(status)) return { do: "skip", reason: `endpoint is ${status}: not touched` };
  return { do: "stop", reason: `deleted (was ${status}); config and model kept` };
}

export type EndpointStartDecision =
  | { readonly do: "create"; readonly reason: string }
  | { readonly do: "wait"; readonly reason: string }
  | { readonly do: "skip"; readonly reason: string; readonly dropRecord: boolean };

export function planEndpointStart(status: string | undefined, record: EndpointRecord): EndpointStartDecision {
  const protectedBy = protectionReason(record.tags);
  if (protectedBy) return { do: "skip", reason: protectedBy, dropRecord: false };
  if (status === undefined) return { do: "create", reason: `created from config ${record.endpointConfigName} (stopped by ${record.stoppedBy} at ${record.stoppedAt})` };
  if (status === "Deleting") return { do: "wait", reason: "endpoint is still Deleting" };
  return { do: "skip", reason: `already running (${status}), e.g. recreated by a deploy: record removed`, dropRecord: true };
}

/** Tags a recreated endpoint gets back: everything but the aws:* ones AWS reserves. */
export function tagsForRecreate(tags: Tags): Tags {
  return Object.fromEntries(Object.entries(tags).filter(([k]) => !k.toLowerCase().startsWith("aws:")));
}

export type RuleDecision = { readonly do: "skip"; readonly reason: string } | { readonly do: "disable" | "enable"; readonly reason: string };

export function planRule(action: "stop" | "start", rule: { state?: string; managedBy?: string; tags: Tags }): RuleDecision {
  const protectedBy = protectionReason(rule.tags);
  if (protectedBy) return { do: "skip", reason: protectedBy };
  if (rule.managedBy) return { do: "skip", reason: `managed by ${rule.managedBy}: not touched` };
  if (action === "stop") {
    if (rule.state === "ENABLED") return { do: "disable", reason: "disabled" };
    if (rule.state === "DISABLED") return { do: "skip", reason: "already disabled" };
  } else {
    if (rule.state === "DISABLED") return { do: "enable", reason: "enabled" };
    if (rule.state === "ENABLED") return { do: "skip", reason: "already enabled" };
  }
  return { do: "skip", reason: `state ${rule.state ?? "unknown"} is not managed by the scheduler` };
}

export interface EndpointActivity {
  readonly name: string;
  readonly status: string;
  readonly createdAt?: Date;
  /** Invocations summed over every variant in the window. */
  readonly invocations: number;
  readonly tags: Tags;
}

export interface IdleVerdict {
  readonly name: string;
  readonly idle: boolean;
  readonly reason: string;
}

/**
 * Which endpoints are idle: fewer than `threshold` invocations over the window. An endpoint
 * younger than the window has not had the chance to be used and is never idle.
 */
export function endpointsToStop(
  endpoints: readonly EndpointActivity[],
  opts: { readonly thresholdInvocations: number; readonly windowHours: number; readonly now: Date },
): IdleVerdict[] {
  const windowStart = opts.now.getTime() - opts.windowHours * 3_600_000;
  return endpoints.map((e) => {
    const protectedBy = protectionReason(e.tags);
    if (protectedBy) return { name: e.name, idle: false, reason: protectedBy };
    if (e.createdAt && e.createdAt.getTime() > windowStart) {
      return { name: e.name, idle: false, reason: `younger than the ${opts.windowHours} h idle window` };
    }
    if (e.invocations < opts.thresholdInvocations) {
      return { name: e.name, idle: true, reason: `idle: ${e.invocations} invocations in ${opts.windowHours} h < ${opts.thresholdInvocations}` };
    }
    return { name: e.name, idle: false, reason: `busy: ${e.invocations} invocations in ${opts.windowHours} h >= ${opts.thresholdInvocations}` };
  });
}

export function totals(results: readonly TargetResult[]): Record<Outcome, number> & { targets: number } {
  const t = { stopped: 0, started: 0, skipped: 0, failed: 0, targets: results.length };
  for (const r of results) t[r.outcome]++;
  return t;
}
