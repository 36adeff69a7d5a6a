/**
 * What a start tells about the night before: the stop record says when the target stopped and
 * what ran before, so the hours it stayed down, and what they would have cost, follow. Pure
 * functions; prices come from the dated table the estimate uses (lambda/scheduler/prices.ts)
 * and the estimate's own lookups (cost/prices.ts), so both price an hour the same way.
 *
 * Counted only on a real start (never on a dry run or a skip): a target someone brought back
 * early is found running and its record removed, and those hours are not claimed.
 */
import { ec2OnDemandHourly, sagemakerHourly, spotDiscount } from "../../cost/prices";
import type { LambdaPrices } from "./price-subset";
import type { EndpointRecord, NodegroupRecord } from "./types";

export interface Avoided {
  /** node-hours (nodes x hours) the group did not run */
  readonly nodeHours: number;
  /** hours the endpoint did not exist */
  readonly endpointHours: number;
  /** what they would have cost; undefined when they could not be priced (see `pricing`) */
  readonly usd?: number;
  /** the stop time the hours are counted from */
  readonly since: string;
  /** how the dollars were priced, or why they were not */
  readonly pricing: string;
}

const HOUR = 3_600_000;

function hoursSince(stoppedAt: string, now: Date): number {
  const t = Date.parse(stoppedAt);
  if (Number.isNaN(t)) return 0;
  return Math.max(0, (now.getTime() - t) / HOUR);
}

function priced(fn: () => { usd: number; pricing: string }): { usd?: number; pricing: string } {
  try {
    return fn();
  } catch (err) {
    return { pricing: `not priced: ${err instanceof Error ? err.message : String(err)}` };
  }
}

export interface NodegroupCapacity {
  /** ON_DEMAND or SPOT @default ON_DEMAND */
  readonly capacityType?: string;
  /** @default t3.medium (EKS's default) */
  readonly instanceTypes?: readonly string[];
}

/** The recorded desired size x the hours since the stop, at the average hourly price of the group's instance mix (spot discount by family, as the estimate prices it). */
export function nodegroupAvoided(record: NodegroupRecord, capacity: NodegroupCapacity, now: Date, prices: LambdaPrices | undefined): Avoided {
  const hours = hoursSince(record.stoppedAt, now);
  const nodeHours = record.scaling.desiredSize * hours;
  const base = { nodeHours, endpointHours: 0, since: record.stoppedAt };
  if (!prices) return { ...base, pricing: "not priced: no price table bundled for this region" };
  const types = capacity.instanceTypes?.length ? capacity.instanceTypes : ["t3.medium"];
  const spot = capacity.capacityType === "SPOT";
  return {
    ...base,
    ...priced(() => {
      const hourly = types.reduce((s, t) => s + ec2OnDemandHourly(prices, t) * (spot ? 1 - spotDiscount(prices, t) : 1), 0) / types.length;
      return { usd: nodeHours * hourly, pricing: `${spot ? "SPOT" : "ON_DEMAND"} ${types.join(", ")} at $${hourly.toFixed(4)}/node-h (prices of ${prices.date})` };
    }),
  };
}

export interface EndpointVariant {
  /** undefined for a serverless variant */
  readonly instanceType?: string;
  readonly instanceCount: number;
}

/** Hours since the stop; dollars for the real-time variants' instances (a serverless variant costs nothing idle). */
export function endpointAvoided(record: EndpointRecord, variants: readonly EndpointVariant[] | undefined, now: Date, prices: LambdaPrices | undefined): Avoided {
  const endpointHours = hoursSince(record.stoppedAt, now);
  const base = { nodeHours: 0, endpointHours, since: record.stoppedAt };
  if (!prices) return { ...base, pricing: "not priced: no price table bundled for this region" };
  if (!variants) return { ...base, pricing: `not priced: endpoint config ${record.endpointConfigName} could not be read` };
  return {
    ...base,
    ...priced(() => {
      const hourly = variants.reduce((s, v) => s + (v.instanceType ? sagemakerHourly(prices, v.instanceType, "hosting") * v.instanceCount : 0), 0);
      const what = variants.map((v) => (v.instanceType ? `${v.instanceCount} x ${v.instanceType}` : "serverless")).join(" + ") || "no variants";
      return { usd: endpointHours * hourly, pricing: `${what} at $${hourly.toFixed(4)}/h (prices of ${prices.date})` };
    }),
  };
}
