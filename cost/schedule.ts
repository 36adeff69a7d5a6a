/**
 * Running hours of a resource that an on/off schedule pair switches, computed from the real
 * cron expressions in the timezone the scheduler evaluates them in (EventBridge Scheduler's
 * `schedule_expression_timezone`). Every UTC instant is read on the schedule's wall clock, so
 * daylight-saving changes land where they really do: a window from Saturday 00:00 to Monday
 * 00:00 London time lasts 47 h over the March change and 49 h over the October one. As
 * EventBridge Scheduler does, a time the spring change skips does not fire, and a time the
 * autumn change repeats fires once.
 *
 * The only place in cost/ that reads AWS cron (config/cron.ts): swapping the parser for a
 * library changes this import and nothing else.
 */
import { CronSchedule, cronMatches, parseCron } from "../config/cron";
import { offsetMinutesAt, zoneFormatter } from "../lambda/shared/office-hours";

export { CronSchedule, parseCron };

/**
 * stop / start: the scheduler scales a resource to zero and back (it still exists).
 * teardown / restore: the compute lifetime destroys the resource's stack and deploys it again;
 * a restore brings it back running, at its configured size.
 */
export type ScheduleAction = "stop" | "start" | "teardown" | "restore";

export interface ScheduleEvent {
  readonly action: ScheduleAction;
  readonly cron: CronSchedule;
  /** IANA timezone; "UTC" when the schedule has none. */
  readonly timezone: string;
  /** Local dates (YYYY-MM-DD in `timezone`) on which a firing does nothing: skip dates. */
  readonly skipDates?: ReadonlySet<string>;
  /** A firing's date for skipDates is that of the firing plus this many minutes (a restore fires its lead time before the window's day). */
  readonly skipShiftMinutes?: number;
}

const OFF_ACTIONS: ReadonlySet<ScheduleAction> = new Set(["stop", "teardown"]);

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

/** The value memoised under `key`, made on first use. */
export function memo<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let v = map.get(key);
  if (v === undefined) {
    v = make();
    map.set(key, v);
  }
  return v;
}

/**
 * Timezone offsets of one estimate: each zone's formatter and its offsets per UTC day,
 * memoised for as long as the Calendar lives. An estimate makes one and passes it to every
 * call; nothing is cached at module level, so two estimates never share state.
 */
export class Calendar {
  private readonly zones = new Map<string, Zone>();

  /** Throws RangeError for an unknown IANA zone, before any counting. */
  zone(tz: string): Zone {
    return memo(this.zones, tz, () => new Zone(tz));
  }
}

interface DayOffsets {
  readonly off0: number;
  /** UTC instant of the day's offset change; Infinity when there is none */
  readonly changeAt: number;
  readonly off1: number;
}

/**
 * One timezone's offsets, memoised per UTC day. Offsets are read at week boundaries first; only
 * a week whose two ends differ is read day by day, and the day of the change is bisected to the
 * minute. That assumes at most one change a day and no change that is undone within the same
 * week (true of every zone in use: Morocco's Ramadan pause, the shortest, lasts about a month).
 * About 90 Intl readings a year instead of one a minute.
 */
class Zone {
  private readonly format?: Intl.DateTimeFormat;
  private readonly days = new Map<number, DayOffsets>();
  private readonly dayStarts = new Map<number, number>();
  private readonly weekStarts = new Map<number, number>();

  constructor(readonly tz: string) {
    // a zone that never changes needs no readings
    if (tz === "UTC" || tz === "Etc/UTC") return;
    this.format = zoneFormatter(tz);
  }

  /** UTC offset at instant `ms`, in minutes (London in summer: +60). */
  offsetAt(ms: number): number {
    return this.format ? offsetMinutesAt(this.format, ms) : 0;
  }

  /** Offset at 00:00 UTC of day `d` (days since the epoch). */
  private dayStart(d: number): number {
    return memo(this.dayStarts, d, () => {
      const w = Math.floor(d / 7) * 7;
      const a = this.weekStart(w);
      const b = this.weekStart(w + 7);
      return a === b ? a : this.offsetAt(d * DAY);
    });
  }

  private weekStart(d: number): number {
    return memo(this.weekStarts, d, () => this.offsetAt(d * DAY));
  }

  day(d: number): DayOffsets {
    return memo(this.days, d, () => {
      const start = d * DAY;
      const off0 = this.dayStart(d);
      const off1 = this.dayStart(d + 1);
      let changeAt = Infinity;
      if (off0 !== off1) {
        let lo = start; // offset off0
        let hi = start + DAY; // offset off1
        while (hi - lo > MINUTE) {
          const mid = lo + Math.floor((hi - lo) / MINUTE / 2) * MINUTE;
          if (this.offsetAt(mid) === off0) lo = mid;
          else hi = mid;
        }
        changeAt = hi;
      }
      return { off0, changeAt, off1 };
    });
  }

  at(ms: number): number {
    const e = this.day(Math.floor(ms / DAY));
    return ms >= e.changeAt ? e.off1 : e.off0;
  }
}

/** UTC offset of `tz` at instant `ms`, in minutes (London in summer: +60). */
export function utcOffsetMinutes(tz: string, ms: number, cal = new Calendar()): number {
  return cal.zone(tz).offsetAt(ms);
}

export function wallClock(ms: number, tz: string, cal = new Calendar()): WallClock {
  const local = new Date(ms + cal.zone(tz).at(ms) * MINUTE);
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
export function firings(cron: CronSchedule | string, tz: string, fromMs: number, toMs: number, cal = new Calendar()): number[] {
  const ev: ScheduleEvent = { action: "stop", cron: typeof cron === "string" ? parseCron(cron) : cron, timezone: tz };
  return eventFirings(ev, Math.ceil(fromMs / MINUTE) * MINUTE, toMs, cal);
}

export interface RunningTime {
  readonly hours: number;
  readonly windowHours: number;
  /** hours / windowHours */
  readonly fraction: number;
  readonly stops: number;
  readonly starts: number;
}

/**
 * Firing instants of one event in [fromMs, toMs), day by day: a UTC day has at most two spans
 * of constant offset; each span is a stretch of local wall clock, in which the cron's
 * (hour, minute) pairs of every local date whose day fields match are the firings. Local
 * times that a spring-forward skips never fire; those an autumn fall-back repeats fire once,
 * in the first pass (EventBridge Scheduler's documented behaviour).
 */
function eventFirings(ev: ScheduleEvent, fromMs: number, toMs: number, cal: Calendar): number[] {
  const out: number[] = [];
  if (toMs <= fromMs) return out;
  const zone = cal.zone(ev.timezone);
  const hours = [...ev.cron.hours].sort((a, b) => a - b);
  const minutes = [...ev.cron.minutes].sort((a, b) => a - b);
  // `seenUntil`: local wall-clock ms already covered by the span before a fall-back
  const span = (a: number, b: number, offset: number, seenUntil = -Infinity) => {
    const shift = offset * MINUTE;
    for (let d = Math.floor((a + shift) / DAY); d * DAY < b + shift; d++) {
      const date = new Date(d * DAY);
      // the day fields decide; hour and minute are given ones the cron has
      const day = { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate(), weekday: date.getUTCDay() + 1, hour: hours[0], minute: minutes[0] };
      if (!cronMatches(ev.cron, day)) continue;
      for (const h of hours) {
        for (const m of minutes) {
          const t = d * DAY + (h * 60 + m) * MINUTE - shift;
          if (!(t >= a && t < b && t >= fromMs && t < toMs && t + shift >= seenUntil)) continue;
          if (ev.skipDates?.size && ev.skipDates.has(new Date(t + shift + (ev.skipShiftMinutes ?? 0) * MINUTE).toISOString().slice(0, 10))) continue;
          out.push(t);
        }
      }
    }
  };
  for (let d = Math.floor(fromMs / DAY); d * DAY < toMs; d++) {
    const { off0, changeAt, off1 } = zone.day(d);
    const end = (d + 1) * DAY;
    span(d * DAY, Math.min(changeAt, end), off0);
    if (changeAt < end) span(changeAt, end, off1, off1 < off0 ? changeAt + off0 * MINUTE : -Infinity);
  }
  return out;
}

/** The changes the events make in [warm-up start, toMs), in order: in the same minute what switches off acts first, so that a start wins. */
function changesOf(events: readonly ScheduleEvent[], fromMs: number, toMs: number, warmupDays: number, cal: Calendar): { t: number; action: ScheduleAction }[] {
  const begin = Math.ceil((fromMs - warmupDays * DAY) / MINUTE) * MINUTE;
  const changes: { t: number; action: ScheduleAction }[] = [];
  for (const e of events) for (const t of eventFirings(e, begin, toMs, cal)) changes.push({ t, action: e.action });
  return changes.sort((a, b) => a.t - b.t || Number(!OFF_ACTIONS.has(a.action)) - Number(!OFF_ACTIONS.has(b.action)));
}

/**
 * A resource's state under the scheduler (on: not scaled to zero) and the compute lifetime
 * (exists: its stack is deployed). It runs when both hold. A restore deploys it running, at its
 * configured size, whatever the scheduler last did.
 */
class RunState {
  exists = true;
  on = true;
  get running(): boolean {
    return this.exists && this.on;
  }
  apply(action: ScheduleAction): void {
    if (action === "stop") this.on = false;
    else if (action === "start") this.on = true;
    else if (action === "teardown") this.exists = false;
    else {
      this.exists = true;
      this.on = true;
    }
  }
}

/** A stretch of time a switched resource is up: UTC ms, [from, to). */
export interface Interval {
  readonly from: number;
  readonly to: number;
}

/**
 * When a resource is up in [fromMs, toMs): the stretches in which it runs under the events
 * (the same reading as runningTime: deployed resources run, a warm-up settles the state, start
 * wins a tie, a stop and a teardown combine). No stop or teardown: one stretch over the window.
 */
export function runningIntervals(events: readonly ScheduleEvent[], fromMs: number, toMs: number, warmupDays = 8, cal = new Calendar()): { intervals: Interval[]; stops: number; starts: number } {
  if (!events.some((e) => OFF_ACTIONS.has(e.action))) return { intervals: toMs > fromMs ? [{ from: fromMs, to: toMs }] : [], stops: 0, starts: 0 };
  const intervals: Interval[] = [];
  const state = new RunState();
  let since = fromMs;
  let stops = 0;
  let starts = 0;
  for (const c of changesOf(events, fromMs, toMs, warmupDays, cal)) {
    if (c.t < fromMs) {
      state.apply(c.action);
      continue;
    }
    const was = state.running;
    state.apply(c.action);
    if (was && !state.running && c.t > since) intervals.push({ from: since, to: c.t });
    if (!was && state.running) since = c.t;
    if (OFF_ACTIONS.has(c.action)) stops++;
    else starts++;
  }
  if (state.running && toMs > since) intervals.push({ from: since, to: toMs });
  return { intervals, stops, starts };
}

/**
 * Hours a resource runs in [fromMs, toMs). It starts running (deployed resources run) and the
 * events switch it; a warm-up before the window settles the state, so a window that opens on
 * a Saturday begins stopped. Stop and start in the same minute: start wins. No stop or teardown
 * at all: it runs throughout. A scheduler stop and a lifetime teardown combine: it runs while
 * its stack exists and the scheduler has not stopped it.
 */
export function runningTime(events: readonly ScheduleEvent[], fromMs: number, toMs: number, warmupDays = 8, cal = new Calendar()): RunningTime {
  const windowMinutes = Math.round((toMs - fromMs) / MINUTE);
  const windowHours = windowMinutes / 60;
  const { intervals, stops, starts } = runningIntervals(events, fromMs, toMs, warmupDays, cal);
  const onMs = intervals.reduce((s, i) => s + (i.to - i.from), 0);
  const hours = Math.round(onMs / MINUTE) / 60;
  return { hours, windowHours, fraction: windowHours ? hours / windowHours : 0, stops, starts };
}

/**
 * Firings of `fire` in [fromMs, toMs) that happen while `switches` (stop/start, teardown/restore
 * events) leave the thing running: a training rule the scheduler disables at night only fires by day.
 */
export function activeFirings(fire: ScheduleEvent, switches: readonly ScheduleEvent[], fromMs: number, toMs: number, warmupDays = 8, cal = new Calendar()): number {
  const fires = eventFirings(fire, fromMs, toMs, cal);
  if (!switches.some((e) => OFF_ACTIONS.has(e.action))) return fires.length;
  const changes = changesOf(switches, fromMs, toMs, warmupDays, cal);
  const state = new RunState();
  let i = 0;
  let n = 0;
  for (const t of fires) {
    // a switch in the same minute acts first
    while (i < changes.length && changes[i].t <= t) state.apply(changes[i++].action);
    if (state.running) n++;
  }
  return n;
}

/**
 * Average running hours per month over a whole calendar year (both DST changes, every
 * weekday-to-month alignment), scaled to the price table's hours per month (730 = 8760 / 12).
 */
export function monthlyRunningHours(events: readonly ScheduleEvent[], year: number, hoursPerMonth = 730, cal = new Calendar()): RunningTime & { monthlyHours: number } {
  const r = runningTime(events, Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1), 8, cal);
  return { ...r, monthlyHours: r.fraction * hoursPerMonth };
}
