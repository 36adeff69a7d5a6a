/**
 * AWS cron expressions, as EventBridge and EventBridge Scheduler take them:
 * `cron(minutes hours day-of-month month day-of-week year)`, with `?` in exactly one of the
 * two day fields. Parsed into explicit value sets so that config validation and the cost
 * estimate (running hours from real schedules) share one reading.
 */

export interface CronSchedule {
  readonly expression: string;
  readonly minutes: ReadonlySet<number>;
  readonly hours: ReadonlySet<number>;
  /** null when the field is `?` */
  readonly daysOfMonth: ReadonlySet<number> | null;
  readonly months: ReadonlySet<number>;
  /** 1 = SUN ... 7 = SAT (AWS numbering); null when the field is `?` */
  readonly daysOfWeek: ReadonlySet<number> | null;
  /** null when every year */
  readonly years: ReadonlySet<number> | null;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

interface FieldSpec {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly FieldSpec[] = [
  { name: "minutes", min: 0, max: 59 },
  { name: "hours", min: 0, max: 23 },
  { name: "day-of-month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12, names: MONTHS },
  { name: "day-of-week", min: 1, max: 7, names: DAYS },
  { name: "year", min: 1970, max: 2199 },
];

export class CronError extends Error {}

function parseValue(token: string, spec: FieldSpec, expr: string): number {
  const upper = token.toUpperCase();
  if (spec.names) {
    const idx = spec.names.indexOf(upper);
    if (idx >= 0) return idx + 1;
  }
  if (!/^\d+$/.test(token)) {
    const allowed = spec.names ? `${spec.min}-${spec.max} or ${spec.names.join(",")}` : `${spec.min}-${spec.max}`;
    throw new CronError(`${expr}: ${spec.name} value '${token}' is not a number or name (allowed: ${allowed})`);
  }
  const n = Number(token);
  if (n < spec.min || n > spec.max) {
    throw new CronError(`${expr}: ${spec.name} value ${n} is outside ${spec.min}-${spec.max}`);
  }
  return n;
}

function parseField(field: string, spec: FieldSpec, expr: string): Set<number> | null {
  if (field === "?") return null;
  const out = new Set<number>();
  for (const part of field.split(",")) {
    if (part === "") throw new CronError(`${expr}: empty list item in ${spec.name}`);
    const [rangePart, stepPart, ...rest] = part.split("/");
    if (rest.length > 0) throw new CronError(`${expr}: more than one '/' in ${spec.name} '${part}'`);
    let lo: number;
    let hi: number;
    if (rangePart === "*") {
      lo = spec.min;
      hi = spec.max;
    } else if (rangePart.includes("-")) {
      const [a, b] = rangePart.split("-");
      lo = parseValue(a, spec, expr);
      hi = parseValue(b, spec, expr);
      if (hi < lo) throw new CronError(`${expr}: ${spec.name} range '${rangePart}' runs backwards`);
    } else {
      lo = parseValue(rangePart, spec, expr);
      hi = stepPart !== undefined ? spec.max : lo;
    }
    let step = 1;
    if (stepPart !== undefined) {
      if (!/^\d+$/.test(stepPart) || Number(stepPart) < 1) {
        throw new CronError(`${expr}: ${spec.name} step '${stepPart}' must be a positive integer`);
      }
      step = Number(stepPart);
    }
    for (let v = lo; v <= hi; v += step) out.add(v);
  }
  return out;
}

/** Parses `cron(...)`; throws CronError naming the bad field. L, W and # are not supported. */
export function parseCron(expression: string): CronSchedule {
  const m = /^cron\((.*)\)$/.exec(expression.trim());
  if (!m) throw new CronError(`'${expression}' is not of the form cron(min hour day-of-month month day-of-week year)`);
  const fields = m[1].trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new CronError(`'${expression}' has ${fields.length} fields; AWS cron takes 6 (min hour day-of-month month day-of-week year)`);
  }
  // Month and day names (JUL, WED) contain L and W: strip them before looking for the operators.
  if (fields.some((f) => /[LW#]/i.test(f.replace(/[A-Z]{3}/gi, "")))) {
    throw new CronError(`'${expression}': L, W and # are not supported by this project`);
  }
  const [dom, dow] = [fields[2], fields[4]];
  if ((dom === "?") === (dow === "?")) {
    throw new CronError(`'${expression}': exactly one of day-of-month and day-of-week must be '?'`);
  }
  for (const i of [0, 1, 3, 5]) {
    if (fields[i] === "?") throw new CronError(`'${expression}': '?' is only allowed in the day fields`);
  }
  const sets = fields.map((f, i) => parseField(f, FIELDS[i], expression));
  return {
    expression,
    minutes: sets[0]!,
    hours: sets[1]!,
    daysOfMonth: sets[2],
    months: sets[3]!,
    daysOfWeek: sets[4],
    years: fields[5] === "*" ? null : sets[5],
  };
}

/** Whether a wall-clock time (in the schedule's own timezone) matches the schedule. */
export function cronMatches(
  cron: CronSchedule,
  t: { year: number; month: number; day: number; weekday: number; hour: number; minute: number },
): boolean {
  if (!cron.minutes.has(t.minute) || !cron.hours.has(t.hour) || !cron.months.has(t.month)) return false;
  if (cron.years && !cron.years.has(t.year)) return false;
  if (cron.daysOfMonth && !cron.daysOfMonth.has(t.day)) return false;
  if (cron.daysOfWeek && !cron.daysOfWeek.has(t.weekday)) return false;
  return true;
}

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
