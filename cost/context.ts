/**
 * The pricing context of one estimate: the model, the prices, the checked usage profile, the
 * schedules, and the warnings collected on the way. Built once per estimate; whatever it
 * memoises (running hours per schedule tag, firings, timezone offsets) dies with it.
 */
import { z } from "zod";
import { TerraformModel, TfResource } from "../terraform";
import { Hours, ScheduleModel } from "./hours";
import { Pricer, PricingContext } from "./pricer";
import { PriceTable } from "./prices";
import { Calendar } from "./schedule";
import { checkProfile, formatPath, UsageError, UsageProfile } from "./usage";

export interface ContextInput {
  readonly env: string;
  readonly model: TerraformModel;
  readonly usage: UsageProfile;
  readonly prices: PriceTable;
  readonly pricers: readonly Pricer[];
  readonly asOf: Date;
  /** The profile was written for another synthesis (--compare): unknown addresses warn. */
  readonly lenient?: boolean;
}

export interface BuiltContext extends PricingContext {
  readonly warnings: readonly string[];
  /** Every resource a pricer asked hours of whose hours stop/start events switch (the week strip's rows), in the order asked. */
  switched(): readonly { readonly resource: TfResource; readonly hours: Hours }[];
}

export function pricingContext(input: ContextInput): BuiltContext {
  const warnings: string[] = [];
  const warn = (message: string) => {
    if (!warnings.includes(message)) warnings.push(message);
  };
  const profile = checkProfile(input.usage, { model: input.model, pricers: input.pricers, prices: input.prices, lenient: input.lenient, warn });
  const hoursPerMonth = input.prices.hoursPerMonth;
  const year = profile.scheduleYear ?? input.asOf.getUTCFullYear();
  const calendar = new Calendar();
  const schedules = new ScheduleModel(input.model, year, hoursPerMonth, calendar, warn);
  const file = input.usage.file;
  const switched = new Map<TfResource, Hours>();
  return {
    env: input.env,
    model: input.model,
    prices: input.prices,
    asOf: input.asOf,
    year,
    horizonMonths: profile.horizonMonths,
    hoursPerMonth,
    spotDiscount: profile.spotDiscount,
    calendar,
    schedules,
    warnings,
    usage<U>(schema: z.ZodType<U>, r: TfResource) {
      const { raw, given } = profile.entry(r);
      const parsed = schema.safeParse(raw);
      // checkProfile parsed the entry with the owning pricer's schema; a pricer that reads
      // another type's usage with its own schema ends up here
      if (!parsed.success) throw new UsageError(`${file}: ${formatPath(["resources", r.address])}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
      return { value: parsed.data, given };
    },
    section<S>(key: string, schema: z.ZodType<S>) {
      const raw = profile.section(key);
      if (raw === undefined) return undefined;
      const parsed = schema.safeParse(raw);
      if (!parsed.success) throw new UsageError(`${file}: ${formatPath([key])}: ${parsed.error.issues.map((i) => i.message).join("; ")}`);
      return parsed.data;
    },
    hours: (r) => {
      const h = schedules.hours(r);
      if (h.events.length > 0) switched.set(r, h);
      return h;
    },
    switched: () => [...switched].map(([resource, hours]) => ({ resource, hours })),
    resource: (address, path) => profile.resolve(address, typeof path === "string" ? path.split(".") : path),
    usageError: (path, message) => new UsageError(`${file}: ${formatPath(path)}: ${message}`),
    warn,
  };
}
