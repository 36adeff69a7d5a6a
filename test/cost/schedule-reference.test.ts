/**
 * The day-by-day firing walk of cost/schedule.ts against the plain reading it replaced: every
 * UTC minute converted to the zone's wall clock and matched against the cron, a repeated wall-clock
 * minute counted once. Zones with DST
 * in both hemispheres, a half-hour DST shift (Lord Howe), odd offsets (Kathmandu, Chatham).
 */
import { cronMatches, parseCron } from "../../config/cron";
import { Calendar, firings, utcOffsetMinutes } from "../../cost/schedule";

const MINUTE = 60_000;

type WallClocks = { t: number; wc: Parameters<typeof cronMatches>[1] }[];

/** Every UTC minute of the window on the zone's wall clock, one Intl reading each. */
function wallClocks(tz: string, fromMs: number, toMs: number): WallClocks {
  const cal = new Calendar();
  const out: WallClocks = [];
  for (let t = fromMs; t < toMs; t += MINUTE) {
    const local = new Date(t + utcOffsetMinutes(tz, t, cal) * MINUTE);
    out.push({ t, wc: { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), weekday: local.getUTCDay() + 1, hour: local.getUTCHours(), minute: local.getUTCMinutes() } });
  }
  return out;
}

/** A wall-clock time the autumn change repeats fires once, the first time (as EventBridge Scheduler runs it). */
const minuteByMinute = (expr: string, clocks: WallClocks) => {
  const cron = parseCron(expr);
  const seen = new Set<string>();
  return clocks
    .filter((c) => {
      const key = `${c.wc.year}-${c.wc.month}-${c.wc.day} ${c.wc.hour}:${c.wc.minute}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return cronMatches(cron, c.wc);
    })
    .map((c) => c.t);
};

describe("firings: day-by-day walk equals the minute-by-minute reading", () => {
  const zones = ["Europe/London", "America/New_York", "Australia/Sydney", "Australia/Lord_Howe", "Asia/Kathmandu", "Pacific/Chatham", "UTC"];
  const crons = ["cron(0 7 ? * MON-FRI *)", "cron(30 1 * * ? *)", "cron(0/15 1-3 ? * SUN *)", "cron(45 2 ? * * *)", "cron(0 0 1 * ? *)", "cron(5 23 ? * SAT 2026)"];
  // windows around both DST changes of each hemisphere
  // around the 2026 changes: 29 Mar (EU), 5 Apr (AU, NZ), 27 Sep (NZ), 4 Oct (AU), 25 Oct (EU), 1 Nov (US)
  const windows: [number, number][] = [
    [Date.UTC(2026, 2, 28), Date.UTC(2026, 3, 6)],
    [Date.UTC(2026, 8, 26), Date.UTC(2026, 9, 5)],
    [Date.UTC(2026, 9, 24), Date.UTC(2026, 10, 2)],
  ];
  test.each(zones)("%s", (tz) => {
    for (const [a, b] of windows) {
      const clocks = wallClocks(tz, a + MINUTE, b);
      // an unaligned start as well: firings rounds it up to the minute
      for (const expr of crons) expect(firings(expr, tz, a + 1234, b)).toEqual(minuteByMinute(expr, clocks));
    }
  });
});
