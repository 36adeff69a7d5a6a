/**
 * The dated price tables the cost estimate uses (cost/prices/<region>.json), bundled into the
 * function so that the dollars it reports as avoided are priced exactly as the estimate prices
 * them. The build cuts each file down to what the scheduler reads (price-subset.ts); here the
 * same cut is applied again, so tests (which load the whole files) see what the Lambda sees.
 * A test checks that every table in cost/prices/ is listed.
 */
import euWest1 from "../../cost/prices/eu-west-1.json";
import usEast1 from "../../cost/prices/us-east-1.json";
import { LambdaPrices, lambdaPrices } from "./price-subset";

export const BUNDLED_PRICE_TABLES: Readonly<Record<string, LambdaPrices>> = {
  "eu-west-1": lambdaPrices(euWest1),
  "us-east-1": lambdaPrices(usEast1),
};

/** The table of `region`, or undefined when none is bundled (dollars then go unreported, hours still count). */
export function bundledPriceTable(region: string): LambdaPrices | undefined {
  return BUNDLED_PRICE_TABLES[region];
}
