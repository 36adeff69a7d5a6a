import { applyEcrLifecycle, parseEcrLifecyclePolicy } from "../../../modules/ecr-lifecycle-sim";
import { ecrRepository, simulateEcr } from "../../../cost/pricers/ecr";
import { expectConsistent, lineNamed, price } from "./helpers";

const only = { pricers: [ecrRepository] };
const policy = (rules: unknown[]) => JSON.stringify({ rules });
const keepAny = (n: number) => ({ rulePriority: 1, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: n }, action: { type: "expire" } });

describe("ecr-repository pricer", () => {
  test("the lifecycle policy caps the images kept; the baseline keeps every push", () => {
    const e = price(
      {
        aws_ecr_repository: { R: { name: "acme/app" } },
        aws_ecr_lifecycle_policy: { P: { repository: "${aws_ecr_repository.R.name}", policy: policy([keepAny(5)]) } },
      },
      { resources: { "aws_ecr_repository.R": { pushesPerWeek: 10, imageSizeGb: 1 } } },
      only,
    );
    const [c] = e.components;
    const kept = lineNamed(c.lines.optimized, "acme/app images");
    expect(kept.quantity).toBeLessThanOrEqual(5);
    expect(kept.quantity).toBeGreaterThan(4.5);
    // 52 weeks of 10 pushes: 265 on average
    expect(lineNamed(c.lines.baseline, "acme/app images").quantity).toBeCloseTo(265, 0);
    expectConsistent(c);
  });

  test("without a lifecycle policy every image is kept", () => {
    const e = price({ aws_ecr_repository: { R: { name: "acme/app" } } }, { resources: { "aws_ecr_repository.R": { pushesPerWeek: 10, imageSizeGb: 1 } } }, only);
    const [c] = e.components;
    expect(c.optimizedMonthlyUsd).toBeCloseTo(c.baselineMonthlyUsd, 9);
    expect(c.assumptions.join("\n")).toMatch(/no lifecycle policy: keeps every image/);
  });

  test("an age rule keeps the pushes of the last countNumber days (whole days, as ECR counts them)", () => {
    const rules = parseEcrLifecyclePolicy(policy([{ rulePriority: 1, selection: { tagStatus: "any", countType: "sinceImagePushed", countUnit: "days", countNumber: 14 } }]));
    // evaluated weekly: pushes of this week, last week and the week before are 0, 7 and 14 days old
    expect(simulateEcr({ pushesPerWeek: 7, initialImages: 0, tagMix: { untagged: 1 } }, rules, 12).keptFinal).toBe(21);
    const day = 86_400_000;
    const imgs = [0, 13, 14, 15].map((d) => ({ digest: `d${d}`, tags: [], pushedAt: 100 * day - d * day - 5 }));
    expect(applyEcrLifecycle(rules, imgs, 100 * day).map((i) => i.digest)).toEqual(["d0", "d13", "d14"]);
  });

  test("fails naming the policy resource when its document is not JSON", () => {
    expect(() =>
      price(
        { aws_ecr_repository: { R: { name: "acme/app" } }, aws_ecr_lifecycle_policy: { P: { repository: "acme/app", policy: "{not json" } } },
        { resources: { "aws_ecr_repository.R": { pushesPerWeek: 1, imageSizeGb: 1 } } },
        only,
      ),
    ).toThrow(/dev-x:aws_ecr_lifecycle_policy.P: ECR lifecycle policy is not JSON/);
  });
});
