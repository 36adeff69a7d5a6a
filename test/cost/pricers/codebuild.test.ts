import { codebuild } from "../../../cost/pricers/codebuild";
import { expectConsistent, lifetime, lineNamed, price } from "./helpers";

const only = { pricers: [codebuild] };

describe("codebuild pricer (the compute lifetime's builds)", () => {
  test("each firing is a build of the profile's minutes; on a skip date a short one; no baseline", () => {
    const e = price(lifetime("dev-compute", { skipDates: ["2026-12-25", "2026-12-28"] }), {}, only);
    const [c] = e.components;
    const restore = lineNamed(c.lines.optimized, "restore builds (life-restore)");
    const teardown = lineNamed(c.lines.optimized, "teardown builds (life-teardown)");
    // 261 weekday firings in 2026, 2 of them on skip dates
    expect(restore.quantity).toBeCloseTo(((261 - 2) * 22 + 2 * 3) / 12, 9);
    expect(teardown.quantity).toBeCloseTo(((261 - 2) * 15 + 2 * 3) / 12, 9);
    expect(restore).toMatchObject({ unit: "min", unitPriceUsd: 0.005 });
    expect(restore.reason).toMatch(/^21\.58 builds\/month x 22 min \(usage profile\) \+ 0\.17 on skip dates x 3 min: every firing of cron\(30 6 \? \* MON-FRI \*\) Europe\/London in 2026$/);
    expect(c.lines.baseline).toEqual([]);
    expectConsistent(c);
  });

  test("a restore fires before the window's day: a skip date is the window's date (staging: Sunday 23:30 for Monday)", () => {
    const e = price(lifetime("dev-compute", { restore: "cron(30 23 ? * SUN *)", teardown: "cron(0 0 ? * SAT *)", skipDates: ["2026-05-04"], lead: 30 }), {}, only);
    expect(lineNamed(e.components[0].lines.optimized, "restore builds (life-restore)").reason).toMatch(/\+ 0\.08 on skip dates/);
  });

  test("the profile's minutes per build; fails on a compute type the price table lacks", () => {
    const e = price(lifetime(), { resources: { "aws_codebuild_project.Project": { minutesPerBuild: { restore: 30, teardown: 20 } } } }, only);
    expect(lineNamed(e.components[0].lines.optimized, "restore builds (life-restore)").quantity).toBeCloseTo((261 * 30) / 12, 9);
    const big = lifetime();
    (big.aws_codebuild_project.Project.environment as Record<string, unknown>).compute_type = "BUILD_GENERAL1_2XLARGE";
    expect(() => price(big, {}, only)).toThrow(/no CodeBuild price for BUILD_GENERAL1_2XLARGE in cost\/prices\/us-east-1\.json \(known: BUILD_GENERAL1_SMALL, BUILD_GENERAL1_MEDIUM, BUILD_GENERAL1_LARGE\)/);
  });
});
