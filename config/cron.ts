/**
 * AWS cron expressions, as EventBridge and EventBridge Scheduler take them:
 * `cron(minutes hours day-of-month month day-of-week year)`, with `?` in exactly one of the
 * two day fields, `L`, `W` and `#`, and a year field. Config validation, the scheduled-function
 * construct and the cost estimate (running hours from real schedules) share this one reading.
 *
 * The calendar (lists, ranges, steps, names, L, W, #, years) is croner's (Quartz weekday
 * numbering, 1 = SUN). This file adds what is AWS's own: the `cron(...)` form, six fields,
 * the `?` rule, which operators each field takes, the value ranges (years 1970-2199), and
 * messages that name the field and the value. It does not use croner's timezone firing: AWS
 * skips a time that a clock change skips, where croner runs it after the gap; cost/schedule.ts
 * walks the instants itself.
 */
import { Cron, CronPattern } from "croner";

export interface CronSchedule {
  readonly expression: string;
  /** Values the field names (the cost model walks only these minutes and hours). */
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  /** Days named as plain values; null when the field is `?`. L and W are applied by cronMatches. */
  readonly daysOfMonth: ReadonlySet<number> | null;
  readonly months: ReadonlySet<number>;
  /** 1 = SUN ... 7 = SAT (AWS numbering); null when the field is `?`. # and L are applied by cronMatches. */
  readonly daysOfWeek: ReadonlySet<number> | null;
  /** null when every year */
  readonly years: ReadonlySet<number> | null;
  /** croner's reading of the same expression, on a UTC wall clock. */
  readonly calendar: Cron;
  /** Equal for two expressions that fire at the same times (`MON-FRI` and `2-6`, say). */
  readonly signature: string;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Letters and signs AWS allows in the field besides digits, names and `, - *`. */
  readonly operators: string;
}

/** AWS's table of fields, values and wildcards (EventBridge "Cron expressions" reference). */
const FIELDS: readonly FieldSpec[] = [
  { name: "minutes", min: 0, max: 59, operators: "/" },
  { name: "hours", min: 0, max: 23, operators: "/" },
  { name: "day-of-month", min: 1, max: 31, operators: "/?LW" },
  { name: "month", min: 1, max: 12, names: MONTHS, operators: "/" },
  { name: "day-of-week", min: 1, max: 7, names: DAYS, operators: "?L#" },
  { name: "year", min: 1970, max: 2199, operators: "/" },
];

const CRONER_OPTIONS = { mode: "7-part", alternativeWeekdays: true, sloppyRanges: true } as const;

export class CronError extends Error {}

const allowedValues = (spec: FieldSpec) => (spec.names ? `${spec.min}-${spec.max} or ${spec.names.join(",")}` : `${spec.min}-${spec.max}`);

/** What croner cannot be told: AWS's operators per field, its value ranges, names only where AWS has them. */
function checkField(field: string, spec: FieldSpec, expr: string): void {
  for (const ch of field) {
    if (/[0-9A-Za-z,*-]/.test(ch) || spec.operators.includes(ch)) continue;
    throw new CronError(`${expr}: '${ch}' is not allowed in ${spec.name} '${field}' (allowed: ${allowedValues(spec)}, the wildcards , - * ${spec.operators.split("").join(" ")})`);
  }
  // L (and W) as AWS places them: day-of-month L, LW, 15W; day-of-week L, 6L, FRIL (6#L is croner's too)
  const modifier = spec.operators.includes("W") ? /^(\w*?)(LW|L|W)$/i : spec.operators.includes("L") ? /^(\w*?)(L)$/i : undefined;
  for (const part of field.split(",")) {
    if (part === "") throw new CronError(`${expr}: empty list item in ${spec.name}`);
    const [range, step, ...more] = part.split("/");
    if (more.length > 0) throw new CronError(`${expr}: more than one '/' in ${spec.name} '${part}'`);
    if (step !== undefined && (range === "" || !/^\d+$/.test(step) || Number(step) < 1)) {
      throw new CronError(`${expr}: ${spec.name} step '${step}' must be a positive integer after a start value or '*' ('${part}')`);
    }
    // the values around '-', before '#' (the nth weekday, 1-5 or L, is croner's to check)
    for (const token of range.split("#")[0].split("-")) {
      const value = (modifier?.exec(token)?.[1] ?? token).toUpperCase();
      if (value === "" || value === "*" || value === "?") continue;
      if (/^\d+$/.test(value)) {
        const n = Number(value);
        if (n < spec.min || n > spec.max) throw new CronError(`${expr}: ${spec.name} value ${n} is outside ${spec.min}-${spec.max}`);
      } else if (!spec.names?.includes(value)) {
        throw new CronError(`${expr}: ${spec.name} value '${token}' is not a number or name (allowed: ${allowedValues(spec)})`);
      }
    }
  }
}

/** croner's reading of one field alone, so that its complaint names the field. */
function cronerField(field: string, index: number, spec: FieldSpec, expr: string): CronPattern {
  const fields = ["*", "*", "*", "*", "*", "*"];
  fields[index] = field;
  try {
    return new CronPattern(`0 ${fields.join(" ")}`, undefined, CRONER_OPTIONS);
  } catch (e) {
    const why = (e as Error).message.replace(/^CronPattern:\s*/, "");
    if (/larger than to value/.test(why)) throw new CronError(`${expr}: ${spec.name} range in '${field}' runs backwards`);
    throw new CronError(`${expr}: ${spec.name} '${field}' is not valid: ${why}`);
  }
}

const setOf = (flags: readonly number[], offset: number, from = 0, to = flags.length - 1): Set<number> => {
  const out = new Set<number>();
  for (let i = from; i <= to; i++) if (flags[i]) out.add(i + offset);
  return out;
};

const parsed = new Map<string, CronSchedule>();

/** Parses `cron(...)`; throws CronError naming the field and the value. The same text gives the same (immutable) schedule. */
export function parseCron(expression: string): CronSchedule {
  let schedule = parsed.get(expression);
  if (!schedule) {
    schedule = parseUncached(expression);
    parsed.set(expression, schedule);
  }
  return schedule;
}

function parseUncached(expression: string): CronSchedule {
  const m = /^cron\((.*)\)$/.exec(expression.trim());
  if (!m) throw new CronError(`'${expression}' is not of the form cron(min hour day-of-month month day-of-week year)`);
  const fields = m[1].trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new CronError(`'${expression}' has ${fields.length} fields; AWS cron takes 6 (min hour day-of-month month day-of-week year)`);
  }
  const [dom, dow] = [fields[2], fields[4]];
  if ((dom === "?") === (dow === "?")) {
    throw new CronError(`'${expression}': exactly one of day-of-month and day-of-week must be '?'`);
  }
  for (const i of [0, 1, 3, 5]) {
    if (fields[i].includes("?")) throw new CronError(`'${expression}': '?' is only allowed in the day fields`);
  }
  fields.forEach((f, i) => checkField(f, FIELDS[i], expression));
  // AWS: L alone in day-of-week is the last day of the week, Saturday (croner wants a number).
  const aws = fields.map((f, i) => (i === 4 && f.toUpperCase() === "L" ? "7" : f));
  const patterns = aws.map((f, i) => cronerField(f, i, FIELDS[i], expression));
  let calendar: Cron;
  let whole: CronPattern;
  try {
    whole = new CronPattern(`0 ${aws.join(" ")}`, undefined, CRONER_OPTIONS);
    calendar = new Cron(`0 ${aws.join(" ")}`, { ...CRONER_OPTIONS, utcOffset: 0, paused: true });
  } catch (e) {
    throw new CronError(`${expression}: ${(e as Error).message.replace(/^CronPattern:\s*/, "")}`);
  }
  const [mins, hrs, days, months, weekdays, years] = patterns;
  return {
    expression,
    minutes: setOf(mins.minute, 0),
    hours: setOf(hrs.hour, 0),
    daysOfMonth: dom === "?" ? null : setOf(days.day, 1),
    months: setOf(months.month, 1),
    daysOfWeek: dow === "?" ? null : setOf(weekdays.dayOfWeek, 1, 0, 6),
    years: years.starYear ? null : setOf(years.year, 0, FIELDS[5].min, FIELDS[5].max),
    calendar,
    signature: signature(whole),
  };
}

function signature(p: CronPattern): string {
  const on = (flags: readonly number[], from = 0, to = flags.length - 1) => flags.slice(from, to + 1).map((v, i) => (v ? `${i + from}:${v}` : "")).filter(Boolean).join(",");
  const year = FIELDS[5];
  return [
    on(p.minute), on(p.hour), on(p.day), on(p.month), on(p.dayOfWeek), p.starYear ? "*" : on(p.year, year.min, year.max),
    on(p.nearestWeekdays), p.lastDayOfMonth, p.lastWeekday, p.starDOM, p.starDOW,
  ].join("|");
}

/** Whether a wall-clock time (in the schedule's own timezone) matches the schedule, L, W and # included. */
export function cronMatches(
  cron: CronSchedule,
  t: { year: number; month: number; day: number; weekday?: number; hour: number; minute: number },
): boolean {
  if (!cron.minutes.has(t.minute) || !cron.hours.has(t.hour)) return false;
  // minutes and hours take no modifiers, so the calendar's verdict is one per day (an hourly cron asks 24 times)
  let days = dayVerdicts.get(cron);
  if (!days) dayVerdicts.set(cron, (days = new Map()));
  const day = (t.year * 13 + t.month) * 32 + t.day;
  let ok = days.get(day);
  if (ok === undefined) {
    ok = cron.calendar.match(new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute)));
    days.set(day, ok);
  }
  return ok;
}

const dayVerdicts = new WeakMap<CronSchedule, Map<number, boolean>>();

const timeZones = new Map<string, boolean>();

export function isValidTimeZone(tz: string): boolean {
  if (!tz || tz !== tz.trim()) return false;
  let ok = timeZones.get(tz);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: tz });
      ok = true;
    } catch {
      ok = false;
    }
    timeZones.set(tz, ok);
  }
  return ok;
}
