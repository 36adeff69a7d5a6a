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
    ["cron(0 19 ? * 2W *)", /day-of-week value '2W' is not a number or name/],
    ["cron(0 19 ? L 5 *)", /month value 'L' is not a number or name \(allowed: 1-12 or JAN/],
    ["cron(0 19 ? * 8 *)", /day-of-week value 8 is outside 1-7/],
    ["cron(0 19 ? * 0 *)", /day-of-week value 0 is outside 1-7/],
    ["cron(0 19 1 * ? 1969)", /year value 1969 is outside 1970-2199/],
    ["cron(0 19 1 * ? 2200)", /year value 2200 is outside 1970-2199/],
    ["cron(/5 19 1 * ? *)", /minutes step '5' must be a positive integer after a start value/],
    ["cron(0 19 ? * 3#6 *)", /day-of-week '3#6' is not valid: nth weekday out of range/],
    ["cron(0 19 1#2 * ? *)", /'#' is not allowed in day-of-month/],
    ["cron(0 19 1 * L *)", /exactly one of day-of-month and day-of-week/],
    ["cron(0 19 ? * MON ?)", /only allowed in the day fields/],
    ["cron(0 19 ? * ? *)", /exactly one of day-of-month and day-of-week/],
    ["cron(0 ? 1 * ? *)", /only allowed in the day fields/],
    ["cron(0 19 1 * ? */0)", /step '0' must be a positive integer/],
  ])("fails when the expression is %s", (expr, message) => {
    expect(() => parseCron(expr)).toThrow(CronError);
    expect(() => parseCron(expr)).toThrow(message);
  });
});

describe("AWS cron wildcards the library reads: L, W, #, the year field", () => {
  // 2026: Jan 31 is a Saturday, Feb 15 a Sunday
  const on = (expr: string, y: number, mo: number, d: number, h = 12, mi = 0) => cronMatches(parseCron(expr), { year: y, month: mo, day: d, hour: h, minute: mi });

  test("L in day-of-month is the last day of each month", () => {
    expect(on("cron(0 12 L * ? *)", 2026, 2, 28)).toBe(true);
    expect(on("cron(0 12 L * ? *)", 2028, 2, 28)).toBe(false); // leap year: the 29th
    expect(on("cron(0 12 L * ? *)", 2028, 2, 29)).toBe(true);
    expect(on("cron(0 12 L * ? *)", 2026, 3, 30)).toBe(false);
  });

  test("W is the weekday nearest the day, within the month; LW the last weekday", () => {
    expect(on("cron(0 12 15W * ? *)", 2026, 2, 16)).toBe(true); // the 15th is a Sunday: Monday
    expect(on("cron(0 12 15W * ? *)", 2026, 2, 15)).toBe(false);
    expect(on("cron(0 12 LW * ? *)", 2026, 1, 30)).toBe(true); // the 31st is a Saturday: Friday
    expect(on("cron(0 12 LW * ? *)", 2026, 1, 31)).toBe(false);
  });

  test("# is the nth weekday of the month; 6L (and FRIL) the last Friday; L alone Saturday", () => {
    expect(on("cron(0 12 ? * 3#2 *)", 2026, 1, 13)).toBe(true); // second Tuesday
    expect(on("cron(0 12 ? * TUE#2 *)", 2026, 1, 6)).toBe(false); // first Tuesday
    expect(on("cron(0 12 ? * 6L *)", 2026, 1, 30)).toBe(true);
    expect(on("cron(0 12 ? * FRIL *)", 2026, 1, 30)).toBe(true);
    expect(on("cron(0 12 ? * 6L *)", 2026, 1, 23)).toBe(false);
    expect(on("cron(0 12 ? * L *)", 2026, 1, 31)).toBe(true);
    expect(on("cron(0 12 ? * L *)", 2026, 1, 30)).toBe(false);
  });

  test("the year field limits the years, ranges and steps included", () => {
    expect(on("cron(0 12 1 1 ? 2027-2029/2)", 2027, 1, 1)).toBe(true);
    expect(on("cron(0 12 1 1 ? 2027-2029/2)", 2028, 1, 1)).toBe(false);
    expect(on("cron(0 12 1 1 ? 2027-2029/2)", 2029, 1, 1)).toBe(true);
    expect([...parseCron("cron(0 12 1 1 ? 2027-2029/2)").years!]).toEqual([2027, 2029]);
  });

  test("names are case-insensitive, as AWS reads them", () => {
    expect([...parseCron("cron(0 7 ? jan mon-fri *)").daysOfWeek!]).toEqual([2, 3, 4, 5, 6]);
  });
});
