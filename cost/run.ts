/** Glue between the CLI (and the bench) and the estimate: env name -> synth + usage + prices. */
import { ENVIRONMENTS, ENVIRONMENT_NAMES, EnvironmentName } from "../config";
import { estimate, Estimate } from "./estimate";
import { loadPriceTable } from "./prices";
import { readSynth } from "./synth";
import { loadUsage } from "./usage";

export function checkEnv(env: string): EnvironmentName {
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(env)) {
    throw new Error(`--env: unknown environment '${env}'; allowed: ${ENVIRONMENT_NAMES.join(", ")}`);
  }
  return env as EnvironmentName;
}

export interface EstimateEnvOptions {
  readonly env: string;
  /** @default "cdktf.out" */
  readonly outdir?: string;
  readonly asOf?: Date;
  readonly usageDir?: string;
  readonly pricesDir?: string;
  /** A synthesis without this environment's stacks estimates as empty (a base branch before the stacks existed). */
  readonly allowEmpty?: boolean;
}

export function estimateEnvironment(o: EstimateEnvOptions): Estimate {
  const env = checkEnv(o.env);
  const synth = readSynth(o.outdir ?? "cdktf.out", env, { allowEmpty: o.allowEmpty });
  const usage = loadUsage(env, o.usageDir);
  const prices = loadPriceTable(synth.region ?? ENVIRONMENTS[env].region, o.pricesDir);
  return estimate({ synth, usage, prices, asOf: o.asOf });
}
