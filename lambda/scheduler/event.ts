/** The only event the scheduler accepts: { action: "stop" | "start" | "stop-idle", dryRun?: boolean }. */
import { SchedulerRequest } from "./core";
import { ACTIONS, Action } from "./types";

const ALLOWED_KEYS = new Set(["action", "dryRun"]);

export class InvalidEventError extends Error {
  name = "InvalidEventError";
}

/**
 * Validates before anything touches AWS. Unknown keys are rejected, not ignored: a caller who
 * sends `{ action: "stop", scheduleName: "prod" }` or `{ action: "stop", dryrun: true }` expects
 * something this function would silently not do.
 */
export function parseEvent(event: unknown): SchedulerRequest {
  if (event === null || typeof event !== "object" || Array.isArray(event)) {
    throw new InvalidEventError(`event must be an object like {"action":"stop"}, got ${describe(event)}`);
  }
  const e = event as Record<string, unknown>;
  const extra = Object.keys(e).filter((k) => !ALLOWED_KEYS.has(k));
  if (extra.length) throw new InvalidEventError(`event has unknown field(s) ${extra.join(", ")}; allowed: action, dryRun`);
  if (typeof e.action !== "string" || !(ACTIONS as readonly string[]).includes(e.action)) {
    throw new InvalidEventError(`event.action must be one of ${ACTIONS.join(", ")}, got ${describe(e.action)}`);
  }
  if (e.dryRun !== undefined && typeof e.dryRun !== "boolean") {
    throw new InvalidEventError(`event.dryRun must be a boolean when given, got ${describe(e.dryRun)}`);
  }
  return { action: e.action as Action, dryRun: e.dryRun === true };
}

function describe(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 80)}...` : s;
}
