/**
 * ECR repositories, one component for all: the profile's weekly pushes with its tag mix, the
 * repository's lifecycle policy applied after each week (modules/ecr-lifecycle-sim.ts, the
 * project's one simulator), average images stored x image size. Baseline: every image kept.
 */
import { z } from "zod";
import { applyEcrLifecycle, EcrImage, EcrPolicyRule, parseEcrLifecyclePolicy } from "../../modules/ecr-lifecycle-sim";
import { DAYS_PER_MONTH } from "../lifecycle";
import { component, line, LineItem, Pricer, usd } from "../pricer";
import { strictObject } from "../usage";

export const RepositoryUsage = strictObject({
  pushesPerWeek: z.number().min(0).default(0),
  imageSizeGb: z.number().min(0).default(0),
  /** Images already in the repository when the horizon starts. */
  initialImages: z.int().min(0).default(0),
  /** Share of pushes per tag kind: "untagged" or a tag prefix ("dev", "prod", ...). */
  tagMix: z.record(z.string(), z.number().min(0)).default({ untagged: 1 }),
});

const WEEK_MS = 7 * 86_400_000;

/**
 * Weekly pushes over the horizon with the tag mix; after each week the policy runs. Pushes of a
 * week are stamped at its start, a millisecond apart in push order (newest last).
 */
export function simulateEcr(u: { pushesPerWeek: number; initialImages: number; tagMix: Readonly<Record<string, number>> }, rules: readonly EcrPolicyRule[], months: number) {
  const weeks = Math.round((months * DAYS_PER_MONTH) / 7);
  const mix = Object.entries(u.tagMix);
  const total = mix.reduce((s, [, w]) => s + w, 0) || 1;
  let images: EcrImage[] = [];
  let pushed = 0;
  const kind = (i: number) => {
    // deterministic low-discrepancy draw over the mix
    const x = (i * 0.6180339887) % 1;
    let acc = 0;
    for (const [k, w] of mix) {
      acc += w / total;
      if (x < acc) return k;
    }
    return mix[mix.length - 1]?.[0] ?? "untagged";
  };
  const push = (week: number) => {
    const k = kind(pushed);
    pushed++;
    images.push({ digest: `sha256:${pushed}`, tags: k === "untagged" ? [] : [`${k}-${pushed}`], pushedAt: week * WEEK_MS + pushed });
  };
  for (let i = 0; i < u.initialImages; i++) push(-1);
  let baseSum = 0;
  let keptSum = 0;
  let carry = 0;
  for (let w = 0; w < weeks; w++) {
    carry += u.pushesPerWeek;
    while (carry >= 1) {
      push(w);
      carry -= 1;
    }
    if (rules.length) images = applyEcrLifecycle(rules, images, w * WEEK_MS + pushed);
    baseSum += pushed;
    keptSum += images.length;
  }
  return { baselineAvgImages: baseSum / weeks, keptAvgImages: keptSum / weeks, keptFinal: images.length };
}

export const ecrRepository: Pricer = {
  name: "ecr-repository",
  types: ["aws_ecr_repository", "aws_ecr_lifecycle_policy"],
  usage: { aws_ecr_repository: RepositoryUsage },
  price(ctx) {
    const { model, prices } = ctx;
    const months = ctx.horizonMonths;
    const repos = model.ofType("aws_ecr_repository");
    if (!repos.length) return [];
    const price = prices.ecr.storageGbMonth;
    const a: string[] = [`${usd(price)}/GB-month, averaged over ${months} months`];
    const baseline: LineItem[] = [];
    const optimized: LineItem[] = [];
    for (const r of repos) {
      const name = model.label(r, "name");
      const { value: u, given } = ctx.usage(RepositoryUsage, r);
      if (!given && u.pushesPerWeek === 0 && u.initialImages === 0) {
        a.push(`${name}: no pushes in the usage profile: 0`);
        continue;
      }
      const pol = model.referencing("aws_ecr_lifecycle_policy", "repository", r)[0];
      let rules: EcrPolicyRule[] = [];
      try {
        rules = pol ? parseEcrLifecyclePolicy(pol.attrs.policy) : [];
      } catch (e) {
        throw new Error(`${pol?.toString()}: ${(e as Error).message}`);
      }
      const sim = simulateEcr(u, rules, months);
      const opts = { resource: r };
      const b = line(`${name} images`, sim.baselineAvgImages * u.imageSizeGb, "GB-month", price, `${sim.baselineAvgImages.toFixed(0)} images on average x ${u.imageSizeGb} GB, every image kept`, opts);
      const o = line(
        `${name} images`,
        sim.keptAvgImages * u.imageSizeGb,
        "GB-month",
        price,
        `${sim.keptAvgImages.toFixed(0)} images on average x ${u.imageSizeGb} GB, ${rules.length ? `the lifecycle policy applied weekly (${sim.keptFinal} kept at steady state)` : "no lifecycle policy"}`,
        opts,
      );
      baseline.push(b);
      optimized.push(o);
      a.push(
        `${name}: ${u.pushesPerWeek} pushes/week x ${u.imageSizeGb} GB; ${rules.length ? `lifecycle keeps ${sim.keptFinal} image(s) at steady state` : "no lifecycle policy: keeps every image"}; ` +
          `avg images ${sim.baselineAvgImages.toFixed(0)} -> ${sim.keptAvgImages.toFixed(0)}: ${usd(b.monthlyUsd)} -> ${usd(o.monthlyUsd)}`,
      );
    }
    a.push("baseline: every image kept; layers shared between images not deduplicated");
    return [component("ecr", "ECR repositories", "ecr", { baseline, optimized }, a)];
  },
};
