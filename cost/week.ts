/**
 * The week strip: when each switched part of an environment is up during one week, on the wall
 * clock of its schedules' timezone. Built from the same running hours the pricers charge
 * (`ctx.hours(r)`, cost/hours.ts): every resource whose hours come from stop/start events gets
 * a row, so whatever plugs into ctx.hours later (a compute lifetime) gets its rows too.
 *
 * The week is the one (Monday 00:00 to Monday 00:00, local) that holds the estimate's date.
 * A week with a clock change shows it: its up-time is counted in real hours, its bars sit at
 * wall-clock positions.
 */
import { Hours } from "./hours";
import { Calendar, runningIntervals, wallClock } from "./schedule";

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface WeekRow {
  /** the component the resource is priced in (or the resource when none names it) */
  readonly label: string;
  /** `<stack>:<address>` */
  readonly resource: string;
  /** hours up in this week (real hours, so a clock change counts) */
  readonly hoursUp: number;
  /** average hours a month, as priced, and why */
  readonly perMonth: number;
  readonly reason: string;
  /** stretches up, in hours since local Monday 00:00 (0-168) */
  readonly intervals: readonly { readonly from: number; readonly to: number }[];
}

export interface WeekStrip {
  /** local date of the Monday, YYYY-MM-DD */
  readonly weekOf: string;
  readonly timezone: string;
  readonly rows: readonly WeekRow[];
}

export interface Switched {
  readonly resource: string;
  readonly label: string;
  readonly hours: Hours;
}

const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The week strip of `switched` for the week holding `asOf`; undefined when nothing is switched. */
export function weekStrip(switched: readonly Switched[], asOf: Date, cal = new Calendar()): WeekStrip | undefined {
  const withEvents = switched.filter((s) => s.hours.events.length > 0);
  if (withEvents.length === 0) return undefined;
  // the environment's schedules share one timezone; a row in another one is drawn on the first one's clock
  const timezone = withEvents[0].hours.events[0].timezone;
  const zone = cal.zone(timezone);
  const w = wallClock(asOf.getTime(), timezone, cal);
  const back = (w.weekday + 5) % 7; // days since Monday (AWS numbers SUN = 1)
  const mondayLocal = Date.UTC(w.year, w.month - 1, w.day - back);
  // local wall-clock ms -> UTC ms (the offset read at the instant itself, once corrected)
  const toUtc = (local: number) => {
    const guess = local - zone.at(local) * MINUTE;
    return local - zone.at(guess) * MINUTE;
  };
  const from = toUtc(mondayLocal);
  const to = toUtc(mondayLocal + 7 * DAY);
  const local = (ms: number) => (ms + zone.at(ms) * MINUTE - mondayLocal) / HOUR;
  const rows = withEvents.map((s) => {
    const { intervals } = runningIntervals(s.hours.events, from, to, 8, cal);
    return {
      label: s.label,
      resource: s.resource,
      hoursUp: intervals.reduce((sum, i) => sum + (i.to - i.from), 0) / HOUR,
      perMonth: s.hours.value,
      reason: s.hours.reason,
      intervals: intervals.map((i) => ({ from: local(i.from), to: local(i.to) })),
    };
  });
  return { weekOf: isoDate(mondayLocal), timezone, rows };
}
