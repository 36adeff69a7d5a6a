import { parseCron } from "../../config/cron";
import { activeFirings, firings, monthlyRunningHours, runningTime, ScheduleEvent, utcOffsetMinutes, wallClock } from "../../cost/schedule";

const ev = (action: "stop" | "start", cron: string, timezone = "Europe/London"): ScheduleEvent => ({ action, cron: parseCron(cron), timezone });
const OFFICE = [ev("stop", "cron(0 19 ? * MON-FRI *)"), ev("start", "cron(0 7 ? * MON-FRI *)")];
const iso = (ms: number) => new Date(ms).toISOString();

describe("schedule hours", () => {
  test("weekday 07:00-19:00 is 60 h in an ordinary week", () => {
    // Mon 2026-01-05 .. Mon 2026-01-12 (GMT, no change)
    const r = runningTime(OFFICE, Date.UTC(2026, 0, 5), Date.UTC(2026, 0, 12));
    expect(r.hours).toBe(60);
    expect(r.stops).toBe(5);
    expect(r.starts).toBe(5);
  });

  test("the window opening on a weekend starts stopped (state settled by the warm-up)", () => {
    // Sat 2026-01-10 00:00 .. Mon 2026-01-12 00:00: Friday 19:00 stopped it
    expect(runningTime(OFFICE, Date.UTC(2026, 0, 10), Date.UTC(2026, 0, 12)).hours).toBe(0);
  });

  test("London crons fire at 07:00 UTC in GMT and 06:00 UTC after the March change", () => {
    const f = firings("cron(0 7 ? * MON-FRI *)", "Europe/London", Date.UTC(2026, 2, 27), Date.UTC(2026, 2, 31));
    expect(f.map(iso)).toEqual(["2026-03-27T07:00:00.000Z", "2026-03-30T06:00:00.000Z"]);
    expect(utcOffsetMinutes("Europe/London", Date.UTC(2026, 2, 29, 0, 59))).toBe(0);
    expect(utcOffsetMinutes("Europe/London", Date.UTC(2026, 2, 29, 1, 0))).toBe(60);
    expect(wallClock(Date.UTC(2026, 2, 29, 1, 0), "Europe/London")).toMatchObject({ hour: 2, minute: 0, weekday: 1 });
  });

  test("a Saturday-to-Monday window lasts 47 h over the March change and 49 h over the October one", () => {
    const weekend = [ev("start", "cron(0 0 ? * SAT *)"), ev("stop", "cron(0 0 ? * MON *)")];
    expect(runningTime(weekend, Date.UTC(2026, 2, 27), Date.UTC(2026, 2, 31)).hours).toBe(47);
    expect(runningTime(weekend, Date.UTC(2026, 9, 23), Date.UTC(2026, 9, 27)).hours).toBe(49);
    // an ordinary weekend: 48
    expect(runningTime(weekend, Date.UTC(2026, 0, 9), Date.UTC(2026, 0, 13)).hours).toBe(48);
  });

  test("office hours stay 60 h in the week London changes clocks (the change falls on Sunday)", () => {
    expect(runningTime(OFFICE, Date.UTC(2026, 2, 23), Date.UTC(2026, 2, 30)).hours).toBe(60);
    expect(runningTime(OFFICE, Date.UTC(2026, 2, 30), Date.UTC(2026, 3, 6)).hours).toBe(60);
  });

  test("the same crons in another timezone fire at other UTC instants", () => {
    const ny = firings("cron(0 7 ? * MON-FRI *)", "America/New_York", Date.UTC(2026, 0, 5), Date.UTC(2026, 0, 6, 23));
    expect(ny.map(iso)).toEqual(["2026-01-05T12:00:00.000Z", "2026-01-06T12:00:00.000Z"]);
    // between the US change (8 Mar) and the UK change (29 Mar) New York is 4 h behind London, not 5
    const wk = firings("cron(0 7 ? * MON-FRI *)", "America/New_York", Date.UTC(2026, 2, 16), Date.UTC(2026, 2, 17));
    expect(wk.map(iso)).toEqual(["2026-03-16T11:00:00.000Z"]);
  });

  test("monthly hours over 2026: 261 weekdays x 12 h / 12 months = 261 h; no stop schedule = 730 h", () => {
    const r = monthlyRunningHours(OFFICE, 2026);
    expect(r.monthlyHours).toBeCloseTo(261, 6);
    expect(r.stops).toBe(261);
    expect(monthlyRunningHours([OFFICE[1]], 2026).monthlyHours).toBe(730);
  });

  test("a stop without any start keeps it stopped after the first stop", () => {
    const r = runningTime([OFFICE[0]], Date.UTC(2026, 0, 5), Date.UTC(2026, 0, 12));
    expect(r.hours).toBe(0);
  });

  test("fails on an unknown timezone", () => {
    expect(() => firings("cron(0 7 ? * MON-FRI *)", "Europe/Atlantis", 0, 60_000)).toThrow(RangeError);
  });

  test("a rule the scheduler pauses out of hours fires only while it is enabled", () => {
    const y0 = Date.UTC(2026, 0, 1);
    const y1 = Date.UTC(2027, 0, 1);
    const noon = ev("start", "cron(0 12 ? * MON-FRI *)", "UTC");
    const night = ev("start", "cron(0 2 ? * * *)", "UTC");
    expect(activeFirings(noon, OFFICE, y0, y1)).toBe(261);
    expect(activeFirings(night, OFFICE, y0, y1)).toBe(0);
    expect(activeFirings(night, [], y0, y1)).toBe(365);
    // 06:30 UTC is 07:30 in London summer (running) but 06:30 in winter (stopped)
    const early = ev("start", "cron(30 6 ? * MON-FRI *)", "UTC");
    const n = activeFirings(early, OFFICE, y0, y1);
    expect(n).toBeGreaterThan(100);
    expect(n).toBeLessThan(261);
  });

  test("as EventBridge Scheduler: a time the spring change skips does not fire; one the autumn change repeats fires once", () => {
    // London 2026: 01:00-02:00 does not exist on 29 March; 01:00-02:00 happens twice on 25 October
    const spring = firings("cron(30 1 * * ? *)", "Europe/London", Date.UTC(2026, 2, 28), Date.UTC(2026, 2, 31));
    expect(spring.map(iso)).toEqual(["2026-03-28T01:30:00.000Z", "2026-03-30T00:30:00.000Z"]);
    const autumn = firings("cron(30 1 * * ? *)", "Europe/London", Date.UTC(2026, 9, 24), Date.UTC(2026, 9, 27));
    expect(autumn.map(iso)).toEqual(["2026-10-24T00:30:00.000Z", "2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"]);
    // every 20 minutes through the repeated hour: 01:00, 01:20, 01:40 once each, then 02:00 GMT
    const interval = firings("cron(0/20 1-2 * * ? *)", "Europe/London", Date.UTC(2026, 9, 25, 0), Date.UTC(2026, 9, 25, 3));
    expect(interval.map(iso)).toEqual([
      "2026-10-25T00:00:00.000Z", "2026-10-25T00:20:00.000Z", "2026-10-25T00:40:00.000Z",
      "2026-10-25T02:00:00.000Z", "2026-10-25T02:20:00.000Z", "2026-10-25T02:40:00.000Z",
    ]);
  });

  test("L, W and # fire in the schedule's timezone", () => {
    const y0 = Date.UTC(2026, 0, 1);
    const y1 = Date.UTC(2027, 0, 1);
    // last day of the month at 18:00 New York: 12 firings a year, each on that local day
    const last = firings("cron(0 18 L * ? *)", "America/New_York", y0, y1);
    expect(last).toHaveLength(12);
    expect(iso(last[1])).toBe("2026-02-28T23:00:00.000Z");
    expect(iso(last[5])).toBe("2026-06-30T22:00:00.000Z");
    // the second Tuesday, 09:00 London: in summer that is 08:00 UTC
    const patch = firings("cron(0 9 ? * 3#2 *)", "Europe/London", y0, y1);
    expect(patch).toHaveLength(12);
    expect(patch.map(iso).slice(0, 2)).toEqual(["2026-01-13T09:00:00.000Z", "2026-02-10T09:00:00.000Z"]);
    expect(iso(patch[6])).toBe("2026-07-14T08:00:00.000Z");
    // the weekday nearest the 15th, and only in 2026 of a 2026-2027 schedule window
    const payroll = firings("cron(0 6 15W * ? 2026)", "UTC", y0, Date.UTC(2028, 0, 1));
    expect(payroll).toHaveLength(12);
    expect(iso(payroll[1])).toBe("2026-02-16T06:00:00.000Z");
    // a stop on the last Friday keeps the resource down until the next start
    const monthEnd = [ev("stop", "cron(0 18 ? * 6L *)", "UTC"), ev("start", "cron(0 8 ? * MON *)", "UTC")];
    // Mon 26 Jan 00:00 to Mon 2 Feb 00:00: running until Friday 30 January 18:00, then stopped
    expect(runningTime(monthEnd, Date.UTC(2026, 0, 26), Date.UTC(2026, 1, 2)).hours).toBe(4 * 24 + 18);
  });
});
