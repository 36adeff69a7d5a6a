/** The function's configuration, read once from the environment and frozen. */
import { assertRecordPrefix } from "./records";
import { isDate } from "../shared/office-hours";

export const DEFAULT_IDLE_WINDOW_HOURS = 24;
export const DEFAULT_IDLE_INVOCATIONS_THRESHOLD = 1;

/**
 * The idle sweep's settings, as the environment config validates them and the function reads
 * them (one rule, passed through as is): an endpoint is idle with fewer than the threshold
 * invocations over the window. CloudWatch keeps 1-minute data for 15 days, so at most 336 h;
 * a threshold of 0 would never find anything idle.
 */
export const IDLE_WINDOW_HOURS_RANGE = { min: 1, max: 336 } as const;
export const IDLE_INVOCATIONS_THRESHOLD_RANGE = { min: 1, max: 1_000_000_000 } as const;

export class Env {
  private constructor(
    readonly scheduleName: string,
    readonly region: string,
    readonly recordPrefix: string,
    readonly idleWindowHours: number,
    readonly idleInvocationsThreshold: number,
    /** The override and skip dates the function honours; undefined without TIMEZONE. */
    readonly honour?: { readonly timezone: string; readonly skipDates: readonly string[]; readonly keepAliveParameter?: string },
  ) {
    Object.freeze(this);
  }

  /**
   * Throws naming the variable that is missing or bad:
   *   SCHEDULE_NAME, AWS_REGION, RECORD_PREFIX              required
   *   IDLE_WINDOW_HOURS            @default 24  (1..336, CloudWatch keeps 1-minute data 15 days)
   *   IDLE_INVOCATIONS_THRESHOLD   @default 1   (>= 1: below it an endpoint is idle)
   *   TIMEZONE                     IANA zone of the skip dates; unset: no skip dates, no keep-alive
   *   SKIP_DATES                   YYYY-MM-DD,... (start does nothing on them)
   *   KEEP_ALIVE_PARAMETER         SSM parameter of the keep-alive override (stop and stop-idle wait for it)
   */
  static fromProcess(env: NodeJS.ProcessEnv = process.env): Env {
    const required = (name: string) => {
      const v = env[name]?.trim();
      if (!v) throw new Error(`environment variable ${name} is required but is not set`);
      return v;
    };
    const int = (name: string, dflt: number, min: number, max: number) => {
      const raw = env[name]?.trim();
      if (raw === undefined || raw === "") return dflt;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min || n > max) throw new Error(`environment variable ${name} must be an integer from ${min} to ${max}, got "${raw}"`);
      return n;
    };
    const scheduleName = required("SCHEDULE_NAME");
    const region = required("AWS_REGION");
    const recordPrefix = assertRecordPrefix(required("RECORD_PREFIX")); // its message names RECORD_PREFIX
    const timezone = env.TIMEZONE?.trim();
    let honour: Env["honour"];
    if (timezone) {
      try {
        new Intl.DateTimeFormat("en-US", { timeZone: timezone });
      } catch {
        throw new Error(`environment variable TIMEZONE must be an IANA timezone such as Europe/London, got "${timezone}"`);
      }
      const skipDates = (env.SKIP_DATES ?? "").split(",").map((d) => d.trim()).filter(Boolean);
      const bad = skipDates.filter((d) => !isDate(d));
      if (bad.length) throw new Error(`environment variable SKIP_DATES must be dates YYYY-MM-DD separated by commas, got "${bad.join(",")}"`);
      const keepAliveParameter = env.KEEP_ALIVE_PARAMETER?.trim() || undefined;
      if (keepAliveParameter && !/^(\/[a-zA-Z0-9_.-]+)+$/.test(keepAliveParameter)) throw new Error(`environment variable KEEP_ALIVE_PARAMETER must be an SSM path, got "${keepAliveParameter}"`);
      honour = { timezone, skipDates, keepAliveParameter };
    }
    return new Env(
      scheduleName,
      region,
      recordPrefix,
      int("IDLE_WINDOW_HOURS", DEFAULT_IDLE_WINDOW_HOURS, IDLE_WINDOW_HOURS_RANGE.min, IDLE_WINDOW_HOURS_RANGE.max),
      int("IDLE_INVOCATIONS_THRESHOLD", DEFAULT_IDLE_INVOCATIONS_THRESHOLD, IDLE_INVOCATIONS_THRESHOLD_RANGE.min, IDLE_INVOCATIONS_THRESHOLD_RANGE.max),
      honour,
    );
  }
}
