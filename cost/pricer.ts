/**
 * What a pricer is and what it returns. A pricer reads the Terraform model (never cdktf
 * constructs, never the file system) through the pricing context, and turns the resources of
 * its kind plus their usage into components: a baseline and an optimised figure, each the sum
 * of line items that say what was counted, at which price, and why.
 *
 *   export const natGateway: Pricer = {
 *     name: "nat-gateway",
 *     types: ["aws_nat_gateway"],
 *     usage: { aws_vpc: VpcUsage },
 *     price(ctx) { ... return [component(...)]; },
 *   };
 *
 * Registered in one list, cost/pricers/index.ts; estimate() runs them in that order.
 */
import { z } from "zod";
import { TerraformModel, TfResource } from "../terraform";
import { Hours, ScheduleModel } from "./hours";
import { PriceTable } from "./prices";
import { Calendar } from "./schedule";

/** What a component is; a new pricer may bring a new one. */
export type Category =
  | "eks-control-plane"
  | "eks-node-group"
  | "s3"
  | "logs"
  | "load-balancer"
  | "ecr"
  | "sagemaker-training"
  | "sagemaker-endpoint"
  | "nat"
  | "platform"
  | (string & {});

export interface LineItem {
  /** What is counted; unique within its component and scenario, so two estimates can be compared line by line. */
  readonly name: string;
  /** The resource priced (`<stack>:<address>`), when the line prices one. */
  readonly resource?: string;
  readonly quantity: number;
  /** Of the quantity: "h", "node-h", "GB", "GB-month", "GB-s", "1M requests", "1k objects", "month". */
  readonly unit: string;
  readonly unitPriceUsd: number;
  /** quantity x unit price */
  readonly monthlyUsd: number;
  /** Running hours per month behind the quantity, and where they came from. */
  readonly hours?: { readonly perMonth: number; readonly reason: string };
  /** One line: where the quantity came from. */
  readonly reason: string;
}

export interface ComponentCost {
  readonly id: string;
  readonly name: string;
  readonly category: Category;
  /** sum of the baseline lines */
  readonly baselineMonthlyUsd: number;
  /** sum of the optimised lines */
  readonly optimizedMonthlyUsd: number;
  readonly savingsPercent: number;
  /** The model in prose, one finding per entry (what the table's --verbose prints). */
  readonly assumptions: string[];
  readonly lines: { readonly baseline: readonly LineItem[]; readonly optimized: readonly LineItem[] };
  /** Storage models: average GB per storage class (or Intelligent-Tiering tier) in each month of the horizon, optimised. */
  readonly storageByMonth?: readonly StorageMonth[];
}

export interface StorageMonth {
  /** 1-based month of the horizon */
  readonly month: number;
  readonly gbByClass: Readonly<Record<string, number>>;
}

export function savingsPercent(baseline: number, optimized: number): number {
  return baseline > 0 ? ((baseline - optimized) / baseline) * 100 : 0;
}

/** A line item; its amount is quantity x unit price. */
export function line(
  name: string,
  quantity: number,
  unit: string,
  unitPriceUsd: number,
  reason: string,
  extra: { readonly resource?: TfResource; readonly hours?: Pick<Hours, "value" | "reason"> } = {},
): LineItem {
  return {
    name,
    ...(extra.resource ? { resource: extra.resource.toString() } : {}),
    quantity,
    unit,
    unitPriceUsd,
    monthlyUsd: quantity * unitPriceUsd,
    ...(extra.hours ? { hours: { perMonth: extra.hours.value, reason: extra.hours.reason } } : {}),
    reason,
  };
}

const sum = (lines: readonly LineItem[]) => lines.reduce((s, l) => s + l.monthlyUsd, 0);

/** A component whose figures are the sums of its lines. */
export function component(
  id: string,
  name: string,
  category: Category,
  lines: { readonly baseline: readonly LineItem[]; readonly optimized: readonly LineItem[] },
  assumptions: string[],
  extra: { readonly storageByMonth?: readonly StorageMonth[] } = {},
): ComponentCost {
  const names = new Set<string>();
  for (const l of [...lines.baseline.map((x) => `baseline ${x.name}`), ...lines.optimized.map((x) => `optimized ${x.name}`)]) {
    if (names.has(l)) throw new Error(`component ${id}: two ${l} lines (line names are what --compare matches on)`);
    names.add(l);
  }
  const baselineMonthlyUsd = sum(lines.baseline);
  const optimizedMonthlyUsd = sum(lines.optimized);
  return {
    id,
    name,
    category,
    baselineMonthlyUsd,
    optimizedMonthlyUsd,
    savingsPercent: savingsPercent(baselineMonthlyUsd, optimizedMonthlyUsd),
    assumptions,
    lines,
    ...(extra.storageByMonth ? { storageByMonth: extra.storageByMonth } : {}),
  };
}

/** Usage of one resource: the profile's entry over the type's defaults, parsed by the pricer's schema. */
export interface Usage<U> {
  readonly value: U;
  /** The profile names this resource (else the value is the type's defaults). */
  readonly given: boolean;
}

export interface PricingContext {
  readonly env: string;
  readonly model: TerraformModel;
  readonly prices: PriceTable;
  readonly asOf: Date;
  /** Calendar year the schedules are evaluated over. */
  readonly year: number;
  /** Months the storage models run over; the monthly figure is their average. */
  readonly horizonMonths: number;
  readonly hoursPerMonth: number;
  /** The profile's spot discount overrides, by instance family or type. */
  readonly spotDiscount: Readonly<Record<string, number>>;
  readonly calendar: Calendar;
  /** The schedules of the stacks: running hours and firings of what they switch. */
  readonly schedules: ScheduleModel;
  /** Usage of `r` from the profile (resources."<address>" over defaults."<type>"), parsed by `schema`. */
  usage<U>(schema: z.ZodType<U>, r: TfResource): Usage<U>;
  /** A top-level section of the profile (usage of what Terraform does not create), or undefined when absent. */
  section<S>(key: string, schema: z.ZodType<S>): S | undefined;
  /**
   * Running hours a month of `r`, with the reason: 24/7, or the schedules that switch it. The
   * one place hours come from (a compute lifetime plugs in here).
   */
  hours(r: TfResource): Hours;
  /**
   * The resource a profile field names by address (`path` is the field, for the message). An
   * address not in the model is an error, or a warning when the profile was written for
   * another synthesis (--compare).
   */
  resource(address: string, path: string | readonly PropertyKey[]): TfResource | undefined;
  /** An error about the profile at `path` (to throw), naming the file. */
  usageError(path: readonly PropertyKey[], message: string): Error;
  warn(message: string): void;
}

export interface Pricer {
  /** Names the pricer in messages and the README. */
  readonly name: string;
  /** Resource types it prices. */
  readonly types: readonly string[];
  /**
   * Usage per resource type the profile may give, under resources."<address>" and
   * defaults."<type>". Every field has a default.
   */
  readonly usage?: Readonly<Record<string, z.ZodType>>;
  /** A top-level section of the profile: usage that no Terraform resource carries. */
  readonly section?: { readonly key: string; readonly schema: z.ZodType };
  price(ctx: PricingContext): readonly ComponentCost[];
}

// ---------------------------------------------------------------------------------------------
// text helpers shared by the pricers

export const usd = (n: number) => `$${n.toFixed(2)}`;
/** hourly rates need more digits than monthly sums */
export const usdh = (n: number) => `$${n.toFixed(4)}`;
export const pct = (n: number) => `${(n * 100).toFixed(0)}%`;
