/**
 * The part of a dated price table (cost/prices/<region>.json) the scheduler prices avoided
 * hours with: EC2 on-demand and spot discounts (node groups) and SageMaker hosting (endpoints).
 * The Lambda build (lambda/build.ts) bundles each table through this function, so the function
 * carries about a third of each file and the subset can never drift from it: it is cut from the
 * file at every build.
 */
import type { PriceTable } from "../../cost/prices";

export type LambdaPrices = Pick<PriceTable, "region" | "currency" | "date" | "hoursPerMonth" | "ec2"> & {
  readonly sagemaker: Pick<PriceTable["sagemaker"], "hostingHourly">;
};

export function lambdaPrices(t: LambdaPrices): LambdaPrices {
  return {
    region: t.region,
    currency: t.currency,
    date: t.date,
    hoursPerMonth: t.hoursPerMonth,
    ec2: { onDemandHourly: t.ec2.onDemandHourly, spotDiscountByFamily: t.ec2.spotDiscountByFamily, defaultSpotDiscount: t.ec2.defaultSpotDiscount },
    sagemaker: { hostingHourly: t.sagemaker.hostingHourly },
  };
}
