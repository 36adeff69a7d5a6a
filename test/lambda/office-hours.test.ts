/**
 * The schedule model the scheduler and the compute lifetime share: windows, crons, the wanted
 * state across DST weeks, skip dates, the keep-alive override and its expiry, and the gate.
 */
import {
  gate,
  KeepAlive,
  keepAliveActive,
  localTime,
  parseDays,
  parseKeepAlive,
  parseUntil,
  switchCrons,
  wantedState,
  weekIntervals,
  workingHoursProblems,
  zonedInstant,
} from "../../lambda/shared/office-hours";
import { firings } from "../../cost/schedule";

const LONDON = "Europe/London";
const OFFICE = [{ days: "MON-FRI", from: "07:00", to: "19:00" }];
const WEEKDAYS = [{ days: "MON-FRI", from: "00:00", to: "24:00" }];
const at = (iso: string) => Date.parse(iso);
const keep = (until: string): KeepAlive => ({ version: 1, until, setAt: "2026-06-01T17:00:00Z", setBy: "alice" });

describe("windows", () => {
  test("days: names, lists, ranges, ranges that wrap", () => {
    expect(parseDays("MON-FRI")).toEqual([1, 2, 3, 4, 5]);
    expect(parseDays("sat,sun")).toEqual([0, 6]);
    expect(parseDays("FRI-MON")).toEqual([0, 1, 5, 6]);
    expect(parseDays("MON-FRY")).toBeUndefined();
    expect(parseDays("")).toBeUndefined();
  });

  test("office hours: one span per weekday, crons as the scheduler always had them", () => {
    expect(weekIntervals(OFFICE)).toHaveLength(5);
    expect(switchCrons(OFFICE)).toEqual({ start: ["cron(0 7 ? * MON-FRI *)"], stop: ["cron(0 19 ? * MON-FRI *)"] });
    expect(switchCrons(OFFICE, 30).start).toEqual(["cron(30 6 ? * MON-FRI *)"]);
  });

  test("whole weekdays merge into one span: restore on Sunday evening, teardown at Saturday 00:00", () => {
    expect(weekIntervals(WEEKDAYS)).toEqual([{ start: 1440, end: 6 * 1440 }]);
    expect(switchCrons(WEEKDAYS, 30)).toEqual({ start: ["cron(30 23 ? * SUN *)"], stop: ["cron(0 0 ? * SAT *)"] });
  });

  test("windows that touch merge (no teardown at midnight undone by a restore), also over the week's end", () => {
    const late = [{ days: "FRI", from: "18:00", to: "24:00" }, { days: "SAT", from: "00:00", to: "02:00" }];
    expect(switchCrons(late)).toEqual({ start: ["cron(0 18 ? * FRI *)"], stop: ["cron(0 2 ? * SAT *)"] });
    const weekend = [{ days: "SAT", from: "20:00", to: "24:00" }, { days: "SUN", from: "00:00", to: "03:00" }];
    expect(weekIntervals(weekend)).toEqual([{ start: 6 * 1440 + 1200, end: 7 * 1440 + 180 }]);
  });

  test("different times per day give one cron per time", () => {
    const hours = [{ days: "MON-THU", from: "07:00", to: "19:00" }, { days: "FRI", from: "07:00", to: "16:00" }];
    expect(switchCrons(hours)).toEqual({ start: ["cron(0 7 ? * MON-FRI *)"], stop: ["cron(0 16 ? * FRI *)", "cron(0 19 ? * MON-THU *)"] });
  });

  test.each([
    ["no windows", [], ""],
    ["an empty window", [{ days: "MON", from: "09:00", to: "09:00" }], "0.to"],
    ["overlapping windows", [{ days: "MON-FRI", from: "07:00", to: "19:00" }, { days: "WED", from: "18:00", to: "20:00" }], "1"],
    ["a bad time", [{ days: "MON", from: "25:00", to: "26:00" }], "0.from"],
  ])("fails when the hours have %s", (_n, hours, path) => {
    const problems = workingHoursProblems(hours);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => p.path.join("."))).toContain(path);
  });
});

describe("the wanted state across DST weeks (Europe/London, clocks change 2026-03-29 and 2026-10-25)", () => {
  test.each([
    // the week before the spring change (GMT = UTC)
    ["2026-03-27T06:29:00Z", "down", "Fri 06:29 GMT: before the restore"],
    ["2026-03-27T06:30:00Z", "up", "Fri 06:30 GMT: the restore fires"],
    ["2026-03-27T18:59:00Z", "up", "Fri 18:59 GMT"],
    ["2026-03-27T19:00:00Z", "down", "Fri 19:00 GMT: the teardown fires"],
    // the week after (BST = UTC+1): the same wall clock, an hour earlier in UTC
    ["2026-03-30T05:29:00Z", "down", "Mon 06:29 BST"],
    ["2026-03-30T05:30:00Z", "up", "Mon 06:30 BST"],
    ["2026-03-30T18:00:00Z", "down", "Mon 19:00 BST"],
    ["2026-03-29T12:00:00Z", "down", "Sunday of the change"],
    // the autumn change
    ["2026-10-23T17:59:00Z", "up", "Fri 18:59 BST"],
    ["2026-10-26T06:30:00Z", "up", "Mon 06:30 GMT"],
    ["2026-10-26T05:30:00Z", "down", "Mon 05:30 GMT"],
  ])("%s is %s (%s)", (instant, want) => {
    expect(wantedState(at(instant), LONDON, OFFICE, 30)).toBe(want);
  });

  test("EventBridge fires the derived crons at the same wall clock on both sides of each change", () => {
    const crons = switchCrons(OFFICE, 30);
    const restores = firings(crons.start[0], LONDON, at("2026-03-26T00:00:00Z"), at("2026-04-01T00:00:00Z")).map((t) => new Date(t).toISOString());
    expect(restores).toEqual(["2026-03-26T06:30:00.000Z", "2026-03-27T06:30:00.000Z", "2026-03-30T05:30:00.000Z", "2026-03-31T05:30:00.000Z"]);
    const teardowns = firings(crons.stop[0], LONDON, at("2026-10-22T00:00:00Z"), at("2026-10-28T00:00:00Z")).map((t) => new Date(t).toISOString());
    expect(teardowns).toEqual(["2026-10-22T18:00:00.000Z", "2026-10-23T18:00:00.000Z", "2026-10-26T19:00:00.000Z", "2026-10-27T19:00:00.000Z"]);
  });

  test("a skip date is down all day; a restore the evening before a skipped window is down too", () => {
    expect(wantedState(at("2026-12-25T10:00:00Z"), LONDON, OFFICE, 30, ["2026-12-25"])).toBe("down");
    expect(wantedState(at("2026-12-24T10:00:00Z"), LONDON, OFFICE, 30, ["2026-12-25"])).toBe("up");
    // staging's window starts Monday 00:00: its restore fires Sunday 23:30, for Monday's date
    expect(wantedState(at("2026-05-03T22:35:00Z"), LONDON, WEEKDAYS, 30, [])).toBe("up");
    expect(wantedState(at("2026-05-03T22:35:00Z"), LONDON, WEEKDAYS, 30, ["2026-05-04"])).toBe("down");
  });
});

describe("the gate every scheduled action passes", () => {
  const facts = { timezone: LONDON, skipDates: ["2026-12-25"], hours: OFFICE, leadMinutes: 30 };

  test("the 19:00 teardown and stop run; a keep-alive holds both, and expires by itself", () => {
    const t = at("2026-06-01T18:00:00Z"); // Mon 19:00 BST
    expect(gate("teardown", t, facts).run).toBe(true);
    expect(gate("stop", t, facts).run).toBe(true);
    const held = gate("teardown", t, { ...facts, keepAlive: keep("2026-06-01T21:00:00Z") });
    expect(held).toEqual({ run: false, reason: expect.stringMatching(/^keep-alive until 2026-06-01T21:00:00Z \(set by alice/) });
    expect(gate("stop", t, { ...facts, keepAlive: keep("2026-06-01T21:00:00Z") }).run).toBe(false);
    expect(gate("stop-idle", t, { ...facts, keepAlive: keep("2026-06-01T21:00:00Z") }).run).toBe(false);
    // at the expiry (the one-time schedule keep-alive leaves behind fires then) the teardown runs
    expect(gate("teardown", at("2026-06-01T21:00:00Z"), { ...facts, keepAlive: keep("2026-06-01T21:00:00Z") }).run).toBe(true);
    // a keep-alive never holds what brings things up
    expect(gate("start", at("2026-06-02T06:00:00Z"), { ...facts, keepAlive: keep("2026-06-02T21:00:00Z") }).run).toBe(true);
  });

  test("on a skip date nothing comes up: start and restore are skipped, teardown still runs", () => {
    expect(gate("restore", at("2026-12-25T06:30:00Z"), facts)).toEqual({ run: false, reason: "2026-12-25 is a skip date (Europe/London): the environment stays down all day" });
    expect(gate("start", at("2026-12-25T07:00:00Z"), facts).run).toBe(false);
    expect(gate("teardown", at("2026-12-25T19:00:00Z"), facts).run).toBe(true);
    expect(gate("restore", at("2026-12-24T06:30:00Z"), facts).run).toBe(true);
  });

  test("a build that starts hours late never tears down the working day nor restores at night", () => {
    expect(gate("teardown", at("2026-06-02T08:10:00Z"), facts)).toEqual({ run: false, reason: expect.stringMatching(/wants the environment up: a late teardown would cut into working hours/) });
    expect(gate("restore", at("2026-06-02T21:30:00Z"), facts)).toEqual({ run: false, reason: expect.stringMatching(/wants the environment down$/) });
    expect(gate("restore", at("2026-06-02T05:45:00Z"), facts).run).toBe(true); // 06:45 BST, a quarter late
  });
});

describe("keep-alive", () => {
  const now = at("2026-06-01T16:00:00Z"); // Mon 17:00 BST

  test("--until as HH:MM today, a local date and time, or ISO with an offset", () => {
    expect(parseUntil("22:00", now, LONDON).toISOString()).toBe("2026-06-01T21:00:00.000Z");
    expect(parseUntil("2026-06-02T08:30", now, LONDON).toISOString()).toBe("2026-06-02T07:30:00.000Z");
    expect(parseUntil("2026-06-03T20:00:00Z", now, LONDON).toISOString()).toBe("2026-06-03T20:00:00.000Z");
    expect(parseUntil("2026-06-03T20:00:00+02:00", now, LONDON).toISOString()).toBe("2026-06-03T18:00:00.000Z");
  });

  test("a local time in winter and across the autumn change", () => {
    expect(parseUntil("2026-10-26T22:00", at("2026-10-24T12:00:00Z"), LONDON).toISOString()).toBe("2026-10-26T22:00:00.000Z");
    expect(zonedInstant("2026-10-25", 90, LONDON)).toBe(at("2026-10-25T00:30:00Z")); // 01:30 happens twice: the first
    expect(localTime(zonedInstant("2026-03-29", 90, LONDON), LONDON).minute).toBe(150); // 01:30 never happens: 02:30 BST
  });

  test.each([
    ["in the past", "16:00", /--until: "16:00" is not allowed \(it is in the past \(now is 2026-06-01T16:00:00.000Z\); a time within the next 7 days/],
    ["more than 7 days ahead", "2026-06-09T18:00", /is not allowed \(it is more than 7 days ahead;/],
    ["not a time", "tonight", /--until: "tonight" is not allowed \(not a time this command reads; a time within the next 7 days: HH:MM \(today, Europe\/London\)/],
    ["not a date", "2026-02-30T10:00", /not a date and time/],
  ])("fails when --until is %s", (_n, text, message) => {
    expect(() => parseUntil(text, now, LONDON)).toThrow(message);
  });

  test("the record: active until its expiry, a malformed one is an error naming the parameter", () => {
    const k = parseKeepAlive("/p/dev/lifetime/keep-alive", JSON.stringify(keep("2026-06-01T21:00:00Z")));
    expect(keepAliveActive(k, at("2026-06-01T20:59:59Z"))).toBe(true);
    expect(keepAliveActive(k, at("2026-06-01T21:00:00Z"))).toBe(false);
    expect(keepAliveActive(undefined, now)).toBe(false);
    expect(() => parseKeepAlive("/p/dev/lifetime/keep-alive", '{"until":"soon"}')).toThrow(/keep-alive parameter \/p\/dev\/lifetime\/keep-alive is not a keep-alive record/);
  });
});
