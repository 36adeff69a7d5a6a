import { cronMatches, parseCron, CronError } from "../../config/cron";

describe("AWS cron parsing", () => {
  test("weekday 19:00", () => {
    const c = parseCron("cron(0 19 ? * MON-FRI *)");
    expect([...c.hours]).toEqual([19]);
    expect([...c.daysOfWeek!]).toEqual([2, 3, 4, 5, 6]);
    expect(c.daysOfMonth).toBeNull();
    expect(c.years).toBeNull();
  });

  test("lists, steps and names", () => {
    const c = parseCron("cron(0/15 8-18/2 ? JAN,JUL SUN,SAT 2026-2027)");
    expect([...c.minutes]).toEqual([0, 15, 30, 45]);
    expect([...c.hours]).toEqual([8, 10, 12, 14, 16, 18]);
    expect([...c.months]).toEqual([1, 7]);
    expect([...c.daysOfWeek!]).toEqual([1, 7]);
    expect([...c.years!]).toEqual([2026, 2027]);
  });

  test("matches a wall-clock time", () => {
    const c = parseCron("cron(0 7 ? * MON-FRI *)");
    // 2026-11-24 is a Tuesday (AWS weekday 3)
    expect(cronMatches(c, { year: 2026, month: 11, day: 24, weekday: 3, hour: 7, minute: 0 })).toBe(true);
    expect(cronMatches(c, { year: 2026, month: 11, day: 29, weekday: 1, hour: 7, minute: 0 })).toBe(false);
    expect(cronMatches(c, { year: 2026, month: 11, day: 24, weekday: 3, hour: 7, minute: 1 })).toBe(false);
  });

  test.each([
    ["rate(1 hour)", /is not of the form cron/],
    ["cron(0 19 ? * MON-FRI)", /has 5 fields/],
    ["cron(60 19 ? * MON-FRI *)", /minutes value 60 is outside 0-59/],
    ["cron(0 19 ? * FOO *)", /day-of-week value 'FOO'/],
    ["cron(0 19 ? * FRI-MON *)", /runs backwards/],
    ["cron(0 19 L * ? *)", /L, W and # are not supported/],
    ["cron(0 19 ? * ? *)", /exactly one of day-of-month and day-of-week/],
    ["cron(0 ? 1 * ? *)", /only allowed in the day fields/],
    ["cron(0 19 1 * ? */0)", /step '0' must be a positive integer/],
  ])("fails when the expression is %s", (expr, message) => {
    expect(() => parseCron(expr)).toThrow(CronError);
    expect(() => parseCron(expr)).toThrow(message);
  });
});
