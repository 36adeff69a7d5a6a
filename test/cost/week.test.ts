import { parseCron } from "../../config/cron";
import { Hours } from "../../cost/hours";
import { runningIntervals, runningTime, ScheduleEvent } from "../../cost/schedule";
import { weekStrip } from "../../cost/week";

const ev = (action: "stop" | "start", cron: string, timezone = "Europe/London"): ScheduleEvent => ({ action, cron: parseCron(cron), timezone });
const OFFICE = [ev("stop", "cron(0 19 ? * MON-FRI *)"), ev("start", "cron(0 7 ? * MON-FRI *)")];
const hours = (events: ScheduleEvent[]): Hours => ({ value: 261, reason: "261.0 h/month from the office-hours schedule", note: "", events });

describe("running intervals (the week strip's bars)", () => {
  test("office hours: five stretches 07:00-19:00 London, 60 h, the same total runningTime counts", () => {
    const from = Date.UTC(2026, 0, 5);
    const to = Date.UTC(2026, 0, 12);
    const r = runningIntervals(OFFICE, from, to);
    expect(r.intervals.map((i) => [new Date(i.from).toISOString(), new Date(i.to).toISOString()])[0]).toEqual(["2026-01-05T07:00:00.000Z", "2026-01-05T19:00:00.000Z"]);
    expect(r.intervals).toHaveLength(5);
    const sum = r.intervals.reduce((s, i) => s + i.to - i.from, 0) / 3_600_000;
    expect(sum).toBe(60);
    expect(runningTime(OFFICE, from, to).hours).toBe(sum);
  });

  test("no stop event: one stretch over the whole window", () => {
    expect(runningIntervals([OFFICE[1]], 0, 3_600_000).intervals).toEqual([{ from: 0, to: 3_600_000 }]);
  });

  test("a window opening while stopped starts with nothing up until the start fires", () => {
    // Sat 2026-01-10 .. Tue 2026-01-13: up Monday 07:00-19:00 only
    const r = runningIntervals(OFFICE, Date.UTC(2026, 0, 10), Date.UTC(2026, 0, 13));
    expect(r.intervals).toEqual([{ from: Date.UTC(2026, 0, 12, 7), to: Date.UTC(2026, 0, 12, 19) }]);
  });
});

describe("weekStrip", () => {
  test("a row per switched resource, bars at wall-clock hours since Monday in the schedules' timezone", () => {
    // 2026-06-03 is a Wednesday; London is on BST (UTC+1): 07:00 local is 06:00 UTC
    const w = weekStrip([{ resource: "dev-compute:aws_eks_node_group.api", label: "EKS node group api", hours: hours(OFFICE) }], new Date("2026-06-03T12:00:00Z"))!;
    expect(w.weekOf).toBe("2026-06-01");
    expect(w.timezone).toBe("Europe/London");
    expect(w.rows).toHaveLength(1);
    expect(w.rows[0].intervals).toEqual([0, 1, 2, 3, 4].map((d) => ({ from: d * 24 + 7, to: d * 24 + 19 })));
    expect(w.rows[0].hoursUp).toBe(60);
    expect(w.rows[0].reason).toMatch(/office-hours/);
  });

  test("the week of the October clock change is one hour longer, and the bars stay at 07:00-19:00 wall clock", () => {
    // London falls back on Sunday 2026-10-25; a resource up 24/7 from Saturday 00:00 to Monday 00:00 shows 49 h
    const weekend = [ev("start", "cron(0 0 ? * SAT *)"), ev("stop", "cron(0 0 ? * MON *)")];
    const w = weekStrip([{ resource: "r", label: "weekend", hours: hours(weekend) }], new Date("2026-10-21T12:00:00Z"))!;
    expect(w.weekOf).toBe("2026-10-19");
    expect(w.rows[0].hoursUp).toBe(49);
    expect(w.rows[0].intervals).toEqual([{ from: 120, to: 168 }]);
  });

  test("resources that run 24/7 (no events) get no row; none switched: no strip", () => {
    expect(weekStrip([{ resource: "r", label: "always", hours: hours([]) }], new Date())).toBeUndefined();
  });
});
