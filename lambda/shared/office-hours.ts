/**
 * Working hours: the one schedule model of the resource scheduler (node groups, endpoints and
 * rules stopped and started by tag) and of the compute lifetime (the compute stack torn down and
 * restored by a CodeBuild project), with the skip dates and the keep-alive override both honour.
 * No cdktf and no cron library here: the scheduler Lambda bundles this file.
 *
 *   const hours = [{ days: "MON-FRI", from: "07:00", to: "19:00" }];       // in the env's timezone
 *   workingHoursProblems(hours)          // [] or what is wrong, each with its path and what is allowed
 *   switchCrons(hours)                   // { start: ["cron(0 7 ? * MON-FRI *)"], stop: ["cron(0 19 ? * MON-FRI *)"] }
 *   switchCrons(hours, 30).start         // ["cron(30 6 ? * MON-FRI *)"]: the restore, 30 minutes early
 *   wantedState(now, "Europe/London", hours, 30)   // "up" | "down"
 *   gate("teardown", now, { timezone, hours, leadMinutes: 30, skipDates, keepAlive })
 *
 * A window is a set of days and a wall-clock span in the environment's IANA timezone, the way
 * AWS Instance Scheduler's periods are: `{ days: "MON-FRI", from: "07:00", to: "19:00" }`.
 * `to` may be "24:00"; windows that touch (FRI 18:00-24:00 and SAT 00:00-02:00) merge, so no
 * teardown fires at midnight only to be undone by a restore. Times are wall-clock times: across
 * a DST change 07:00 is still 07:00, as EventBridge Scheduler evaluates crons in a timezone.
 */

export const DAY_NAMES = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"] as const;
const DAY = 1440;
const WEEK = 7 * DAY;
/** The most a keep-alive may reach ahead (the issue's bound: an override is temporary). */
export const KEEP_ALIVE_MAX_DAYS = 7;

export interface HoursWindow {
  /** MON-FRI, SAT,SUN, MON,WED,FRI, FRI-MON (wraps), SUN..SAT. */
  readonly days: string;
  /** HH:MM, 00:00-23:59. */
  readonly from: string;
  /** HH:MM after `from`, up to 24:00. */
  readonly to: string;
}

export type WorkingHours = readonly HoursWindow[];

/** What is wrong with a value, for the config's messages: path (under the field), value, what is allowed. */
export interface Problem {
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  readonly allowed: string;
}

// ---- parsing ------------------------------------------------------------------------------

const DAYS_ALLOWED = "days as SUN..SAT: a name, a list (MON,WED) or a range (MON-FRI; FRI-MON wraps)";

/** Day numbers (0 = SUN ... 6 = SAT) of a days expression; undefined when it is not one. */
export function parseDays(days: unknown): number[] | undefined {
  if (typeof days !== "string" || days.trim() === "") return undefined;
  const out = new Set<number>();
  for (const part of days.toUpperCase().split(",")) {
    const ends = part.trim().split("-");
    const idx = ends.map((d) => (DAY_NAMES as readonly string[]).indexOf(d.trim()));
    if (ends.length > 2 || idx.some((i) => i < 0)) return undefined;
    if (idx.length === 1) out.add(idx[0]);
    else for (let d = idx[0]; ; d = (d + 1) % 7) {
      out.add(d);
      if (d === idx[1]) break;
    }
  }
  return [...out].sort((a, b) => a - b);
}

/** Minutes after midnight of HH:MM; "24:00" only where `end` allows it. */
export function parseTime(t: unknown, end = false): number | undefined {
  if (typeof t !== "string") return undefined;
  const m = /^(\d{2}):(\d{2})$/.exec(t);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59) return undefined;
  if (h === 24 && min === 0 && end) return DAY;
  return h <= 23 ? h * 60 + min : undefined;
}

const fmtMinute = (m: number) => `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
/** "MON 07:00" for a minute of the week (0 = SUN 00:00). */
export const weekTime = (m: number) => `${DAY_NAMES[Math.floor((((m % WEEK) + WEEK) % WEEK) / DAY)]} ${fmtMinute((((m % DAY) + DAY) % DAY))}`;

/** A span of the week in minutes from SUN 00:00; `end` may pass WEEK when it wraps into the next week. */
export interface WeekInterval {
  readonly start: number;
  readonly end: number;
}

/** Each problem of the windows, empty when they are a usable schedule. */
export function workingHoursProblems(hours: unknown): Problem[] {
  if (!Array.isArray(hours) || hours.length === 0) {
    return [{ path: [], value: hours, allowed: "at least one window { days, from, to }: empty hours would leave nothing running" }];
  }
  const problems: Problem[] = [];
  const spans: { i: number; day: number; from: number; to: number }[] = [];
  hours.forEach((w: Partial<HoursWindow>, i) => {
    if (!w || typeof w !== "object") return void problems.push({ path: [i], value: w, allowed: "a window { days, from, to }" });
    const days = parseDays(w.days);
    const from = parseTime(w.from);
    const to = parseTime(w.to, true);
    if (!days) problems.push({ path: [i, "days"], value: w.days, allowed: DAYS_ALLOWED });
    if (from === undefined) problems.push({ path: [i, "from"], value: w.from, allowed: "a time HH:MM from 00:00 to 23:59" });
    if (to === undefined) problems.push({ path: [i, "to"], value: w.to, allowed: "a time HH:MM up to 24:00" });
    else if (from !== undefined && to <= from) {
      problems.push({ path: [i, "to"], value: w.to, allowed: `a time after from (${w.from}): the window would be empty` });
    }
    if (days && from !== undefined && to !== undefined && to > from) for (const day of days) spans.push({ i, day, from, to });
  });
  for (let a = 0; a < spans.length; a++) {
    for (let b = a + 1; b < spans.length; b++) {
      const x = spans[a];
      const y = spans[b];
      if (x.i === y.i || x.day !== y.day || x.to <= y.from || y.to <= x.from) continue;
      const at = `${DAY_NAMES[x.day]} ${fmtMinute(Math.max(x.from, y.from))}-${fmtMinute(Math.min(x.to, y.to))}`;
      problems.push({ path: [y.i], value: hours[y.i], allowed: `a window that does not overlap window [${x.i}] (both cover ${at})` });
      b = spans.length; // one report per pair of windows is enough
    }
  }
  return problems;
}

/** The windows as merged spans of the week, in order of start. Throws when they are not valid (validate first). */
export function weekIntervals(hours: WorkingHours): WeekInterval[] {
  const bad = workingHoursProblems(hours);
  if (bad.length) throw new Error(`working hours: ${bad.map((p) => `[${p.path.join(".")}] ${JSON.stringify(p.value)}: ${p.allowed}`).join("; ")}`);
  const raw: WeekInterval[] = [];
  for (const w of hours) {
    const from = parseTime(w.from)!;
    const to = parseTime(w.to, true)!;
    for (const d of parseDays(w.days)!) raw.push({ start: d * DAY + from, end: d * DAY + to });
  }
  raw.sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const r of raw) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ ...r });
  }
  // SAT ...-24:00 touching SUN 00:00-...: one span over the week's end
  if (merged.length > 1 && merged[merged.length - 1].end >= WEEK && merged[0].start === 0) {
    const first = merged.shift()!;
    merged[merged.length - 1].end = WEEK + first.end;
  }
  return merged;
}

/** True when the windows leave no moment down: a lifetime that never ends is `always`. */
export function coversWholeWeek(intervals: readonly WeekInterval[]): boolean {
  return intervals.reduce((s, i) => s + (i.end - i.start), 0) >= WEEK;
}

/** The down spans between the windows: [end of one window, start of the next). */
export function downWindows(intervals: readonly WeekInterval[]): WeekInterval[] {
  return intervals.map((cur, k) => {
    const next = intervals[(k + 1) % intervals.length];
    let start = next.start;
    while (start < cur.end) start += WEEK;
    return { start: cur.end, end: start };
  });
}

// ---- crons --------------------------------------------------------------------------------

/** MON-FRI for 1..5, SAT,SUN kept as a list, three or more consecutive days as a range. */
function dayField(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    if (j - i >= 2) parts.push(`${DAY_NAMES[sorted[i]]}-${DAY_NAMES[sorted[j]]}`);
    else for (let k = i; k <= j; k++) parts.push(DAY_NAMES[sorted[k]]);
    i = j + 1;
  }
  return parts.join(",");
}

/** One AWS cron per time of day, each with the days it fires on. */
function cronsAt(minutesOfWeek: readonly number[]): string[] {
  const byTime = new Map<number, number[]>();
  for (const m of minutesOfWeek) {
    const w = ((m % WEEK) + WEEK) % WEEK;
    const t = w % DAY;
    byTime.set(t, [...(byTime.get(t) ?? []), Math.floor(w / DAY)]);
  }
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([t, days]) => `cron(${t % 60} ${Math.floor(t / 60)} ? * ${dayField(days)} *)`);
}

/**
 * The crons that switch the windows on and off, in the windows' timezone: `start` at each
 * window's start, `leadMinutes` early (the restore of a compute stack needs time to be ready),
 * `stop` at each window's end.
 */
export function switchCrons(hours: WorkingHours, leadMinutes = 0): { readonly start: string[]; readonly stop: string[] } {
  const intervals = weekIntervals(hours);
  return { start: cronsAt(intervals.map((i) => i.start - leadMinutes)), stop: cronsAt(intervals.map((i) => i.end)) };
}

/** Schedule names for the crons of one action: `stop`, or `stop-1`, `stop-2` when the hours need several. */
export function numbered(action: string, crons: readonly string[]): { name: string; cron: string }[] {
  return crons.map((cron, i) => ({ name: crons.length === 1 ? action : `${action}-${i + 1}`, cron }));
}

/** A readable form: "MON-FRI 07:00-19:00". */
export function describeHours(hours: WorkingHours): string {
  return hours.map((w) => `${w.days} ${w.from}-${w.to}`).join(", ");
}

// ---- clocks -------------------------------------------------------------------------------

/** A formatter that reads an instant on `tz`'s wall clock (callers that read many keep it). Throws RangeError for an unknown zone. */
export function zoneFormatter(tz: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" });
}

/** UTC offset of a zone at instant `ms`, in minutes (London in summer: +60), read with its formatter. */
export function offsetMinutesAt(format: Intl.DateTimeFormat, ms: number): number {
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(ms))) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour % 24, parts.minute, parts.second);
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000);
}

export interface LocalTime {
  readonly date: string;
  /** 0 = SUN ... 6 = SAT */
  readonly weekday: number;
  /** minutes after local midnight */
  readonly minute: number;
}

/** An instant on `tz`'s wall clock. */
export function localTime(ms: number, tz: string): LocalTime {
  const local = new Date(ms + offsetMinutesAt(zoneFormatter(tz), ms) * 60_000);
  return { date: local.toISOString().slice(0, 10), weekday: local.getUTCDay(), minute: local.getUTCHours() * 60 + local.getUTCMinutes() };
}

/**
 * The instant a wall-clock time of `tz` names. A time a spring change skips is read with the
 * offset before the change (it lands an hour later); a repeated autumn time is its first pass.
 */
export function zonedInstant(date: string, minuteOfDay: number, tz: string): number {
  const [y, mo, d] = date.split("-").map(Number);
  const wall = Date.UTC(y, mo - 1, d) + minuteOfDay * 60_000;
  const f = zoneFormatter(tz);
  const before = wall - offsetMinutesAt(f, wall - 12 * 3600_000) * 60_000;
  const after = wall - offsetMinutesAt(f, wall + 12 * 3600_000) * 60_000;
  const real = [before, after].filter((t) => t + offsetMinutesAt(f, t) * 60_000 === wall);
  return real.length ? Math.min(...real) : before;
}

// ---- skip dates, wanted state -------------------------------------------------------------

export const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/** YYYY-MM-DD that names a real day. */
export function isDate(s: unknown): s is string {
  if (typeof s !== "string" || !DATE_RE.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function isSkipDate(ms: number, tz: string, skipDates: readonly string[]): boolean {
  return skipDates.includes(localTime(ms, tz).date);
}

/**
 * What the windows want at an instant: "up" from `leadMinutes` before a window's start to its
 * end, else "down". A skip date (in the timezone) is down all day.
 */
export function wantedState(ms: number, tz: string, hours: WorkingHours, leadMinutes = 0, skipDates: readonly string[] = []): "up" | "down" {
  const t = localTime(ms, tz);
  const m = t.weekday * DAY + t.minute;
  for (const i of weekIntervals(hours)) {
    for (const shift of [-WEEK, 0, WEEK]) {
      const start = i.start - leadMinutes + shift;
      if (m < start || m >= i.end + shift) continue;
      // the date of the window's start decides a skip (a restore at 23:30 for a window at 00:00 is the next day's)
      const windowDate = localTime(ms + (i.start + shift - m) * 60_000, tz).date;
      return skipDates.includes(windowDate) ? "down" : "up";
    }
  }
  return "down";
}

// ---- keep-alive -----------------------------------------------------------------------------

/** The temporary override, as `ops keep-alive` writes it to SSM (`<lifetime prefix>/keep-alive`). */
export interface KeepAlive {
  readonly version: 1;
  /** ISO 8601 instant; the override is over from then on, without anyone removing it. */
  readonly until: string;
  readonly setAt: string;
  readonly setBy: string;
  readonly reason?: string;
}

/** Parses the parameter's value; a malformed one is an error naming the parameter, never "no override". */
export function parseKeepAlive(name: string, value: string): KeepAlive {
  let v: Record<string, unknown> | undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    if (parsed && typeof parsed === "object" && !Array.isArray(parsed)) v = parsed as Record<string, unknown>;
  } catch {
    // reported below
  }
  if (!v || v.version !== 1 || typeof v.until !== "string" || Number.isNaN(Date.parse(v.until)) || typeof v.setAt !== "string" || typeof v.setBy !== "string") {
    throw new Error(`keep-alive parameter ${name} is not a keep-alive record ({"version":1,"until":"<ISO time>","setAt":...,"setBy":...}): ${value.slice(0, 200)}`);
  }
  return v as unknown as KeepAlive;
}

export const keepAliveActive = (k: KeepAlive | undefined, now: number): boolean => k !== undefined && now < Date.parse(k.until);

const UNTIL_ALLOWED = (tz: string) =>
  `a time within the next ${KEEP_ALIVE_MAX_DAYS} days: HH:MM (today, ${tz}), YYYY-MM-DDTHH:MM (${tz}), or ISO 8601 with an offset (2026-06-02T22:00:00Z)`;

/** `--until` of `ops keep-alive`: a time after now and at most 7 days ahead. Throws naming the flag, the value and what is allowed. */
export function parseUntil(text: string, now: number, tz: string): Date {
  const bad = (why: string) => new Error(`--until: ${JSON.stringify(text)} is not allowed (${why}; ${UNTIL_ALLOWED(tz)})`);
  const s = text.trim();
  let at: number;
  const hhmm = /^(\d{2}:\d{2})$/.exec(s);
  const local = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})$/.exec(s);
  if (hhmm) {
    const m = parseTime(hhmm[1]);
    if (m === undefined) throw bad("not a time of day");
    at = zonedInstant(localTime(now, tz).date, m, tz);
  } else if (local) {
    const m = parseTime(local[2]);
    if (!isDate(local[1]) || m === undefined) throw bad("not a date and time");
    at = zonedInstant(local[1], m, tz);
  } else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) {
    at = Date.parse(s);
    if (Number.isNaN(at)) throw bad("not a time");
  } else {
    throw bad("not a time this command reads");
  }
  if (at <= now) throw bad(`it is in the past (now is ${new Date(now).toISOString()})`);
  if (at - now > KEEP_ALIVE_MAX_DAYS * 86_400_000) throw bad(`it is more than ${KEEP_ALIVE_MAX_DAYS} days ahead`);
  return new Date(at);
}

// ---- the gate every scheduled action passes ----------------------------------------------------

export type ScheduledAction = "stop" | "start" | "stop-idle" | "teardown" | "restore";

export interface GateFacts {
  readonly timezone: string;
  readonly skipDates: readonly string[];
  readonly keepAlive?: KeepAlive;
  /** The compute lifetime's windows: teardown and restore only act when they agree. */
  readonly hours?: WorkingHours;
  readonly leadMinutes?: number;
}

export type GateVerdict = { readonly run: true; readonly reason: string } | { readonly run: false; readonly reason: string };

/**
 * Whether a scheduled action runs now:
 *  - a keep-alive that has not expired holds every action that takes something down
 *    (stop, stop-idle, teardown);
 *  - on a skip date nothing comes up (start, restore): the environment stays down all day;
 *  - the lifetime's teardown and restore act only when the windows want that state now, so a
 *    build that starts hours late (a queue, a retry) never tears down the working day or
 *    restores at night.
 */
export function gate(action: ScheduledAction, now: number, f: GateFacts): GateVerdict {
  const down = action === "stop" || action === "stop-idle" || action === "teardown";
  if (down && f.keepAlive && keepAliveActive(f.keepAlive, now)) {
    return { run: false, reason: `keep-alive until ${f.keepAlive.until} (set by ${f.keepAlive.setBy} at ${f.keepAlive.setAt}${f.keepAlive.reason ? `: ${f.keepAlive.reason}` : ""})` };
  }
  const lead = action === "restore" ? (f.leadMinutes ?? 0) : 0;
  if (!down && f.skipDates.length) {
    const day = localTime(now + lead * 60_000, f.timezone).date;
    if (f.skipDates.includes(day)) return { run: false, reason: `${day} is a skip date (${f.timezone}): the environment stays down all day` };
  }
  if ((action === "teardown" || action === "restore") && f.hours) {
    const want = wantedState(now, f.timezone, f.hours, f.leadMinutes ?? 0, f.skipDates);
    const local = localTime(now, f.timezone);
    const at = `${DAY_NAMES[local.weekday]} ${local.date} ${fmtMinute(local.minute)} ${f.timezone}`;
    if (action === "teardown" && want === "up") return { run: false, reason: `at ${at} the compute lifetime (${describeHours(f.hours)}) wants the environment up: a late teardown would cut into working hours` };
    if (action === "restore" && want === "down") return { run: false, reason: `at ${at} the compute lifetime (${describeHours(f.hours)}, restore ${f.leadMinutes ?? 0} min early) wants the environment down` };
  }
  return { run: true, reason: down ? "no keep-alive in force" : "not a skip date" };
}
