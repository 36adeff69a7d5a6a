/**
 * The cost estimate of one environment: the Terraform model of its stacks priced with the
 * dated price table and its usage profile, per component, as a baseline (on-demand, 24/7,
 * STANDARD storage, nothing expires) against what the stacks configure. Build the context,
 * run every pricer (cost/pricers/index.ts), add up.
 */
import { TerraformModel } from "../terraform";
import { pricingContext } from "./context";
import { ComponentCost, Pricer, savingsPercent } from "./pricer";
import { PRICERS } from "./pricers";
import { PriceTable } from "./prices";
import { UsageProfile } from "./usage";
import { weekStrip, WeekStrip } from "./week";

export type { Category, ComponentCost, LineItem } from "./pricer";
export { savingsPercent } from "./pricer";

export interface Estimate {
  readonly env: string;
  readonly region: string;
  readonly asOf: string;
  readonly priceTable: { readonly region: string; readonly date: string; readonly source: string };
  readonly horizonMonths: number;
  readonly stacks: readonly string[];
  readonly missingStacks: readonly string[];
  readonly baselineMonthlyUsd: number;
  readonly optimizedMonthlyUsd: number;
  readonly savingsPercent: number;
  readonly components: readonly ComponentCost[];
  readonly warnings: readonly string[];
  /** When each switched part is up in the week of asOf; undefined when nothing is switched. */
  readonly week?: WeekStrip;
}

export interface EstimateInput {
  readonly env: string;
  /** The environment's stacks. */
  readonly model: TerraformModel;
  readonly usage: UsageProfile;
  readonly prices: PriceTable;
  /** Date of the estimate (EKS support windows, default schedule year). @default now */
  readonly asOf?: Date;
  /** Stacks of the environment that were not synthesized: their resources are not priced. */
  readonly missingStacks?: readonly string[];
  /** The profile was written for another synthesis (the base of a --compare): addresses it lacks warn. */
  readonly lenient?: boolean;
  /** @default every pricer */
  readonly pricers?: readonly Pricer[];
}

export function estimate(input: EstimateInput): Estimate {
  const asOf = input.asOf ?? new Date();
  const pricers = input.pricers ?? PRICERS;
  const missingStacks = input.missingStacks ?? [];
  const ctx = pricingContext({ ...input, asOf, pricers });
  const components = pricers.flatMap((p) => p.price(ctx));
  const baselineMonthlyUsd = components.reduce((s, c) => s + c.baselineMonthlyUsd, 0);
  const optimizedMonthlyUsd = components.reduce((s, c) => s + c.optimizedMonthlyUsd, 0);
  // a row is labelled by the component whose lines price its resource
  const owner = (r: string) => components.find((c) => c.lines.optimized.some((l) => l.resource === r))?.name ?? r;
  const week = weekStrip(
    ctx.switched().map((s) => ({ resource: s.resource.toString(), label: owner(s.resource.toString()), hours: s.hours })),
    asOf,
    ctx.calendar,
  );
  return {
    env: input.env,
    region: input.prices.region,
    asOf: asOf.toISOString().slice(0, 10),
    priceTable: { region: input.prices.region, date: input.prices.date, source: input.prices.source },
    horizonMonths: ctx.horizonMonths,
    stacks: input.model.stacks.map((s) => s.name),
    missingStacks,
    baselineMonthlyUsd,
    optimizedMonthlyUsd,
    savingsPercent: savingsPercent(baselineMonthlyUsd, optimizedMonthlyUsd),
    components,
    week,
    warnings: [...(missingStacks.length ? [`stacks not synthesized: ${missingStacks.join(", ")} (their resources are not priced)`] : []), ...ctx.warnings],
  };
}
