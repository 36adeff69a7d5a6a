/** Glue between the CLI (and the bench) and the estimate: env name -> model + usage + prices. */
import * as fs from "fs";
import * as path from "path";
import { ENVIRONMENTS, ENVIRONMENT_NAMES, EnvironmentName } from "../config";
import { PLATFORM_STACK_KINDS } from "../config/stacks";
import { loadTerraformSync, TerraformModel } from "../terraform";
import { estimate, Estimate } from "./estimate";
import { loadPriceTable } from "./prices";
import { loadUsage, USAGE_DIR, UsageError } from "./usage";


export class SynthNotFoundError extends Error {}

export function checkEnv(env: string): EnvironmentName {
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(env)) {
    throw new Error(`--env: unknown environment '${env}'; allowed: ${ENVIRONMENT_NAMES.join(", ")}`);
  }
  return env as EnvironmentName;
}

export interface EnvironmentModel {
  readonly model: TerraformModel;
  readonly missingStacks: readonly string[];
}

/**
 * The model of an environment's stacks in a cdktf output directory, in PLATFORM_STACK_KINDS order (the stacks that cost something).
 * `allowEmpty`: a directory without them is an empty model (a base branch before they existed).
 */
export function readEnvironment(outdir: string, env: string, opts: { allowEmpty?: boolean } = {}): EnvironmentModel {
  const stacksDir = path.join(outdir, "stacks");
  const names = PLATFORM_STACK_KINDS.map((k) => `${env}-${k}`);
  if (!fs.existsSync(stacksDir)) {
    if (opts.allowEmpty) return { model: new TerraformModel([]), missingStacks: names };
    throw new SynthNotFoundError(`no synthesized stacks in ${path.resolve(outdir)} (missing ${stacksDir}); run \`npx cdktf synth\` first or pass --synth <cdktf.out dir>`);
  }
  const present = names.filter((n) => fs.existsSync(path.join(stacksDir, n, "cdk.tf.json")));
  if (present.length === 0 && !opts.allowEmpty) {
    const found = fs.readdirSync(stacksDir).join(", ") || "none";
    throw new SynthNotFoundError(`no stacks of environment ${env} in ${path.resolve(stacksDir)} (expected ${names.join(", ")}; found: ${found}); run \`npx cdktf synth\` first`);
  }
  const stacks = present.flatMap((n) => loadTerraformSync(path.join(stacksDir, n)).stacks);
  return { model: new TerraformModel(stacks), missingStacks: names.filter((n) => !present.includes(n)) };
}

export interface EstimateEnvOptions {
  readonly env: string;
  /** @default "cdktf.out" */
  readonly outdir?: string;
  readonly asOf?: Date;
  /** Directory of <env>.json profiles. @default cost/usage */
  readonly usageDir?: string;
  /** The profile file itself. @default <usageDir>/<env>.json */
  readonly usageFile?: string;
  readonly pricesDir?: string;
  /** A synthesis without this environment's stacks estimates as empty (a base branch before the stacks existed). */
  readonly allowEmpty?: boolean;
  /** The profile was written for another synthesis (the base of a --compare): addresses it lacks warn. */
  readonly lenient?: boolean;
}

export function estimateEnvironment(o: EstimateEnvOptions): Estimate {
  const env = checkEnv(o.env);
  const { model, missingStacks } = readEnvironment(o.outdir ?? "cdktf.out", env, { allowEmpty: o.allowEmpty });
  const usage = loadUsage(env, o.usageDir ?? USAGE_DIR, o.usageFile);
  const region = model.stacks.map((s) => s.region).find((r) => r !== undefined) ?? ENVIRONMENTS[env].region;
  const prices = loadPriceTable(region, o.pricesDir);
  try {
    return estimate({ env, model, missingStacks, usage, prices, asOf: o.asOf, lenient: o.lenient });
  } catch (err) {
    // The profile follows the code; a cdktf.out synthesized before a resource was added lacks it.
    if (err instanceof UsageError && /: no such resource in /.test(err.message)) throw new UsageError(`${err.message}\n${staleHint(o.outdir ?? "cdktf.out", env)}`);
    throw err;
  }
}

/** When the synthesis lacks a resource the profile names: how old it is, and what to run if the code defines it. */
function staleHint(outdir: string, env: string): string {
  const stacks = PLATFORM_STACK_KINDS.map((k) => path.join(outdir, "stacks", `${env}-${k}`, "cdk.tf.json")).filter((f) => fs.existsSync(f));
  if (!stacks.length) return `${path.resolve(outdir)} holds no stacks of ${env}: run \`npx cdktf synth\``;
  const at = new Date(Math.min(...stacks.map((f) => fs.statSync(f).mtimeMs))).toISOString().replace(/\.\d+Z$/, "Z");
  return `the stacks in ${path.resolve(outdir)} were synthesized at ${at}: if the code defines that resource, they are older than the code; run \`npx cdktf synth\` (or pass --synth <dir>), else remove the key from the profile`;
}
