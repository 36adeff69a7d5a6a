/**
 * Running hours of a resource that an on/off schedule pair switches, computed from the real
 * cron expressions in the timezone the scheduler evaluates them in (EventBridge Scheduler's
 * `schedule_expression_timezone`). Minute by minute in UTC, each instant converted to the
 * schedule's wall clock, so daylight-saving changes land where they really do: a window from
 * Saturday 00:00 to Monday 00:00 London time lasts 47 h over the March change and 49 h over the
 * October one. As EventBridge Scheduler does, a time the spring change skips does not fire, and a
 * time the autumn change repeats fires once. The calendar (L, W, #, years) is croner's, through
 * config/cron.ts; croner's own timezone firing runs a skipped time after the gap instead.
 */
import { CronSchedule, cronMatches, parseCron } from "../config/cron";

export type ScheduleAction = "stop" | "start";

export interface ScheduleEvent {
  readonly action: ScheduleAction;
  readonly cron: CronSchedule;
  /** IANA timezone; "UTC" when the schedule has none. */
  readonly timezone: string;
}

export interface WallClock {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  /** 1 = SUN ... 7 = SAT, as AWS cron numbers days */
  readonly weekday: number;
  readonly hour: number;
  readonly minute: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(tz, f);
  }
  return f;
}

/** UTC offset of `tz` at instant `ms`, in minutes (London in summer: +60). */
export function utcOffsetMinutes(tz: string, ms: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) {
    if (p.type !== "literal") parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / MINUTE);
}

/**
 * Offsets of one timezone, memoised per UTC day: at most one change a day (true of every zone
 * in use), located to the minute by bisection. Two Intl calls a day instead of one a minute.
 */
class OffsetCache {
  private readonly days = new Map<number, { off0: number; changeAt: number; off1: number }>();
  constructor(private readonly tz: string) {}

  at(ms: number): number {
    const d = Math.floor(ms / DAY);
    let e = this.days.get(d);
    if (!e) {
      const start = d * DAY;
      const off0 = utcOffsetMinutes(this.tz, start);
      const off1 = utcOffsetMinutes(this.tz, start + DAY);
      let changeAt = Infinity;
      if (off0 !== off1) {
        let lo = start; // offset off0
        let hi = start + DAY; // offset off1
        while (hi - lo > MINUTE) {
          const mid = lo + Math.floor((hi - lo) / MINUTE / 2) * MINUTE;
          if (utcOffsetMinutes(this.tz, mid) === off0) lo = mid;
          else hi = mid;
        }
        changeAt = hi;
      }
      e = { off0, changeAt, off1 };
      this.days.set(d, e);
    }
    return ms >= e.changeAt ? e.off1 : e.off0;
  }
}

const offsetCaches = new Map<string, OffsetCache>();
function offsets(tz: string): OffsetCache {
  let c = offsetCaches.get(tz);
  if (!c) {
    formatter(tz); // throws RangeError for an unknown zone, before any counting
    c = new OffsetCache(tz);
    offsetCaches.set(tz, c);
  }
  return c;
}

export function wallClock(ms: number, tz: string): WallClock {
  const local = new Date(ms + offsets(tz).at(ms) * MINUTE);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    weekday: local.getUTCDay() + 1,
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
  };
}

/** UTC instants (ms) in [fromMs, toMs) at which the cron fires in `tz`. */
export function firings(cron: CronSchedule | string, tz: string, fromMs: number, toMs: number): number[] {
  const ev: ScheduleEvent = { action: "stop", cron: typeof cron === "string" ? parseCron(cron) : cron, timezone: tz };
  return eventFirings(ev, Math.ceil(fromMs / MINUTE) * MINUTE, toMs);
}

export interface RunningTime {
  readonly hours: number;
  readonly windowHours: number;
  /** hours / windowHours */
  readonly fraction: number;
  readonly stops: number;
  readonly starts: number;
}

const BLOCK = 15 * MINUTE;
const HOUR = 60 * MINUTE;

/**
 * Whether the wall-clock time at `t` already happened before the clocks went back (the second
 * 01:30 of an October night in London). EventBridge Scheduler runs such a time once, and skips
 * a time that a forward change skips (no instant has that wall clock, so the walk never meets it).
 */
function isRepeatedWallTime(cache: OffsetCache, t: number): boolean {
  const now = cache.at(t);
  const before = cache.at(t - 3 * HOUR); // a clock change moves by at most an hour; one change a day
  if (before <= now) return false;
  const first = t - (before - now) * MINUTE;
  return cache.at(first) === before;
}

/**
 * Firing instants of one event in [fromMs, toMs), walking 15-minute UTC blocks: every UTC
 * offset in use is a multiple of 15 minutes and changes on such a boundary, so a block has one
 * offset and lies inside one local hour; only minutes the cron names are looked at.
 */
function eventFirings(ev: ScheduleEvent, fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  const cache = offsets(ev.timezone);
  for (let b = Math.floor(fromMs / BLOCK) * BLOCK; b < toMs; b += BLOCK) {
    const localMinuteOfDay = Math.floor(((((b + cache.at(b) * MINUTE) % DAY) + DAY) % DAY) / MINUTE);
    if (!ev.cron.hours.has(Math.floor(localMinuteOfDay / 60))) continue;
    const m0 = localMinuteOfDay % 60;
    for (let k = 0; k < 15; k++) {
      if (!ev.cron.minutes.has(m0 + k)) continue;
      const t = b + k * MINUTE;
      if (t >= fromMs && t < toMs && cronMatches(ev.cron, wallClock(t, ev.timezone)) && !isRepeatedWallTime(cache, t)) out.push(t);
    }
  }
  return out;
}

/**
 * Hours a resource runs in [fromMs, toMs). It starts running (deployed resources run) and the
 * events switch it; a warm-up before the window settles the state, so a window that opens on
 * a Saturday begins stopped. Stop and start in the same minute: start wins. No stop event at
 * all: it runs throughout.
 */
export function runningTime(events: readonly ScheduleEvent[], fromMs: number, toMs: number, warmupDays = 8): RunningTime {
  const windowMinutes = Math.round((toMs - fromMs) / MINUTE);
  const windowHours = windowMinutes / 60;
  if (!events.some((e) => e.action === "stop")) return { hours: windowHours, windowHours, fraction: 1, stops: 0, starts: 0 };
  const begin = Math.ceil((fromMs - warmupDays * DAY) / MINUTE) * MINUTE;
  const changes: { t: number; on: boolean }[] = [];
  for (const e of events) for (const t of eventFirings(e, begin, toMs)) changes.push({ t, on: e.action === "start" });
  // same minute: the stop first, so that the start wins
  changes.sort((a, b) => a.t - b.t || Number(a.on) - Number(b.on));
  let on = true;
  let since = fromMs;
  let onMs = 0;
  let stops = 0;
  let starts = 0;
  for (const c of changes) {
    if (c.t < fromMs) {
      on = c.on;
      continue;
    }
    if (on) onMs += c.t - since;
    since = c.t;
    on = c.on;
    if (c.on) starts++;
    else stops++;
  }
  if (on) onMs += toMs - since;
  const hours = Math.round(onMs / MINUTE) / 60;
  return { hours, windowHours, fraction: windowHours ? hours / windowHours : 0, stops, starts };
}

/**
 * Firings of `fire` in [fromMs, toMs) that happen while `switches` (stop/start events) leave
 * the thing running: a training rule the scheduler disables at night only fires by day.
 */
export function activeFirings(fire: ScheduleEvent, switches: readonly ScheduleEvent[], fromMs: number, toMs: number, warmupDays = 8): number {
  const fires = eventFirings(fire, fromMs, toMs);
  if (!switches.some((e) => e.action === "stop")) return fires.length;
  const begin = Math.ceil((fromMs - warmupDays * DAY) / MINUTE) * MINUTE;
  const changes: { t: number; on: boolean }[] = [];
  for (const e of switches) for (const t of eventFirings(e, begin, toMs)) changes.push({ t, on: e.action === "start" });
  changes.sort((a, b) => a.t - b.t || Number(a.on) - Number(b.on));
  let on = true;
  let i = 0;
  let n = 0;
  for (const t of fires) {
    // a switch in the same minute acts first
    while (i < changes.length && changes[i].t <= t) on = changes[i++].on;
    if (on) n++;
  }
  return n;
}

/**
 * Average running hours per month over a whole calendar year (both DST changes, every
 * weekday-to-month alignment), scaled to the price table's hours per month (730 = 8760 / 12).
 */
export function monthlyRunningHours(events: readonly ScheduleEvent[], year: number, hoursPerMonth = 730): RunningTime & { monthlyHours: number } {
  const r = runningTime(events, Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1));
  return { ...r, monthlyHours: r.fraction * hoursPerMonth };
}
