/**
 * The usage profile of an environment (cost/usage/<env>.json): what the stacks cannot say (how
 * much is stored and how fast it grows, how much is logged, how often images are pushed, how
 * much is trained and served), keyed by Terraform address:
 *
 *   {
 *     "env": "dev",
 *     "defaults":  { "aws_cloudwatch_log_group": { "storedPerIngestedRatio": 0.15 } },
 *     "resources": { "aws_cloudwatch_log_group.AppLogs_C5DF83A6": { "ingestGbPerDay": 1 } },
 *     "sagemakerTraining": { ... }
 *   }
 *
 * A resource's usage is its entry over the defaults of its type over the pricer's own defaults;
 * each pricer owns the schema of the types it reads (cost/pricers/*.ts) and of its top-level
 * section. Every key is checked against the model and the schemas: an address that is not in
 * the synthesis, a type no pricer takes usage for, a value outside its schema, each is an error
 * that names the file, the path, the value and what is allowed.
 */
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { TerraformModel, TfResource } from "../terraform";
import { Pricer } from "./pricer";
import { PriceTable } from "./prices";

export const USAGE_DIR = path.join(__dirname, "usage");

/** A profile as read, before it is checked against a synthesis. */
export interface UsageProfile {
  /** Where it came from; messages start with it. */
  readonly file: string;
  readonly doc: unknown;
}

export class UsageError extends Error {
  name = "UsageError";
}

const shown = (file: string) => {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
};

/** Reads cost/usage/<env>.json (or `file`); the profile must say it is for `env`. */
export function loadUsage(env: string, dir = USAGE_DIR, file = path.join(dir, `${env}.json`)): UsageProfile {
  if (!fs.existsSync(file)) {
    throw new UsageError(`no usage profile for environment ${env}: ${shown(file)} does not exist (copy cost/usage/dev.json and edit it)`);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`${shown(file)}: not JSON: ${(e as Error).message}`);
  }
  const found = doc && typeof doc === "object" && "env" in doc ? (doc as { env: unknown }).env : undefined;
  if (found !== env) throw new UsageError(`${shown(file)}: env is ${JSON.stringify(found)}, expected ${JSON.stringify(env)}`);
  return { file: shown(file), doc };
}

// ---------------------------------------------------------------------------------------------
// messages

/** `resources."aws_s3_bucket.X".prefixes."raw/".storedGb` */
export function formatPath(segments: readonly PropertyKey[]): string {
  return segments
    .map((s, i) => (typeof s === "number" ? `[${s}]` : /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(String(s)) ? `${i ? "." : ""}${String(s)}` : `${i ? "." : ""}${JSON.stringify(String(s))}`))
    .join("");
}

function valueAt(doc: unknown, segments: readonly PropertyKey[]): unknown {
  let v = doc;
  for (const s of segments) {
    if (!v || typeof v !== "object") return undefined;
    v = (v as Record<PropertyKey, unknown>)[s];
  }
  return v;
}

function show(v: unknown): string {
  if (v === undefined) return "missing";
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** One line per zod issue: path, value, what is allowed. */
function describeIssues(error: z.ZodError, doc: unknown, prefix: readonly PropertyKey[]): string[] {
  const out: string[] = [];
  for (const iss of error.issues) {
    const at = [...prefix, ...iss.path];
    const value = valueAt(doc, iss.path);
    switch (iss.code) {
      case "unrecognized_keys":
        for (const k of iss.keys) out.push(`${formatPath([...at, k])}: unknown key; ${iss.message}`);
        break;
      case "invalid_value":
        out.push(`${formatPath(at)}: ${show(value)} is not allowed; one of ${iss.values.map((v) => JSON.stringify(v)).join(", ")}`);
        break;
      case "too_small":
        out.push(`${formatPath(at)}: ${show(value)} is not allowed; must be ${iss.inclusive ? ">=" : ">"} ${String(iss.minimum)}`);
        break;
      case "too_big":
        out.push(`${formatPath(at)}: ${show(value)} is not allowed; must be ${iss.inclusive ? "<=" : "<"} ${String(iss.maximum)}`);
        break;
      case "invalid_type":
        out.push(`${formatPath(at)}: ${show(value)} is not allowed; expected ${iss.expected === "int" ? "an integer" : `a${/^[aeiou]/.test(iss.expected) ? "n" : ""} ${iss.expected}`}`);
        break;
      default:
        out.push(`${formatPath(at)}: ${show(value)} is not allowed; ${iss.message}`);
    }
  }
  return out;
}

/** A strict object whose unknown-key message lists the allowed keys. */
export function strictObject<T extends z.ZodRawShape>(shape: T) {
  return z.strictObject(shape, { error: (iss) => (iss.code === "unrecognized_keys" ? `allowed: ${Object.keys(shape).join(", ")}` : undefined) });
}

// ---------------------------------------------------------------------------------------------
// checking a profile against a synthesis

const ADDRESS = /^(?:([A-Za-z0-9_.-]+):)?((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z0-9_-]+)$/;

export interface CheckedProfile {
  readonly horizonMonths: number;
  readonly scheduleYear?: number;
  readonly spotDiscount: Readonly<Record<string, number>>;
  /** The raw usage of `r`: the profile's entry over its type's defaults. */
  entry(r: TfResource): { readonly raw: Readonly<Record<string, unknown>>; readonly given: boolean };
  /** A top-level section as written (parsed by its pricer's schema), or undefined. */
  section(key: string): unknown;
  /** The resource at an address named in the profile (`path` for the message). */
  resolve(address: string, path: readonly PropertyKey[]): TfResource | undefined;
}

export interface CheckOptions {
  readonly model: TerraformModel;
  readonly pricers: readonly Pricer[];
  readonly prices: PriceTable;
  /**
   * The profile was written for another synthesis (the base branch of a --compare): an
   * address it names that this synthesis lacks is a warning, not an error.
   */
  readonly lenient?: boolean;
  readonly warn: (message: string) => void;
}

/** Checks every key of the profile; throws one UsageError listing every problem. */
export function checkProfile(profile: UsageProfile, o: CheckOptions): CheckedProfile {
  const problems: string[] = [];
  const usageOf = new Map<string, { pricer: string; schema: z.ZodType }>();
  const priced = new Set<string>();
  const sections: Record<string, z.ZodType> = {};
  for (const p of o.pricers) {
    p.types.forEach((t) => priced.add(t));
    for (const [type, schema] of Object.entries(p.usage ?? {})) usageOf.set(type, { pricer: p.name, schema });
    if (p.section) sections[p.section.key] = p.section.schema.optional();
  }
  const top = strictObject({
    $comment: z.string().optional(),
    env: z.string(),
    description: z.string().optional(),
    horizonMonths: z.int().min(1).max(120).default(12),
    scheduleYear: z.int().min(1970).max(2199).optional(),
    spotDiscount: z.record(z.string(), z.number().min(0).lt(1)).default({}),
    defaults: z.record(z.string(), z.unknown()).default({}),
    resources: z.record(z.string(), z.unknown()).default({}),
    ...sections,
  });
  const parsed = top.safeParse(profile.doc);
  if (!parsed.success) throw new UsageError(describeIssues(parsed.error, profile.doc, []).map((l) => `${profile.file}: ${l}`).join("\n"));
  const doc = parsed.data;
  const withUsage = [...usageOf.keys()].sort();

  // spot discount overrides: an instance family or type the price table knows
  const types = Object.keys(o.prices.ec2.onDemandHourly);
  const families = new Set(types.map((t) => t.split(".")[0]));
  for (const k of Object.keys(doc.spotDiscount)) {
    if (!families.has(k) && !types.includes(k)) {
      problems.push(`${formatPath(["spotDiscount", k])}: not an instance family or type of cost/prices/${o.prices.region}.json; allowed: ${[...families].sort().join(", ")} or an instance type`);
    }
  }

  const typeProblem = (type: string) =>
    priced.has(type)
      ? `${type} takes no usage: the pricer reads everything from the Terraform; types with usage: ${withUsage.join(", ")}`
      : `no pricer prices ${type}; types with usage: ${withUsage.join(", ")}`;

  // per-type defaults
  const defaults = new Map<string, Record<string, unknown>>();
  for (const [type, value] of Object.entries(doc.defaults)) {
    const owner = usageOf.get(type);
    if (!owner) {
      problems.push(`${formatPath(["defaults", type])}: ${typeProblem(type)}`);
      continue;
    }
    const r = owner.schema.safeParse(value);
    if (!r.success) problems.push(...describeIssues(r.error, value, ["defaults", type]));
    else defaults.set(type, value as Record<string, unknown>);
  }

  // resources by address
  const stacks = o.model.stacks.map((s) => s.name).join(", ") || "(no stacks)";
  const unknownAddress = (key: string, address: string, pathTo: readonly PropertyKey[]) => {
    const type = address.replace(/^data\./, "").split(".")[0];
    const same = o.model.ofType(type).map((r) => `${r.address} (${r.path})`);
    const byPath = o.model.resources.find((r) => r.path === key || r.path.replace(/\/Resource$/, "") === key);
    const hint = byPath
      ? `; ${key} is the construct path of ${byPath.address}: keys are Terraform addresses`
      : same.length
        ? `; ${type} resources: ${same.join(", ")}`
        : "";
    const named = pathTo[pathTo.length - 1] === key ? "" : ` ${JSON.stringify(key)}:`;
    const msg = `${formatPath(pathTo)}:${named} no such resource in ${stacks}${hint}`;
    if (o.lenient) o.warn(`${profile.file}: ${msg} (usage not applied to this synthesis)`);
    else problems.push(msg);
  };
  const resolve = (key: string, pathTo: readonly PropertyKey[]): TfResource | undefined => {
    const m = ADDRESS.exec(key);
    if (!m) {
      const byPath = o.model.resources.find((r) => r.path === key || r.path.replace(/\/Resource$/, "") === key);
      if (byPath) problems.push(`${formatPath(pathTo)}: a construct path; name the resource by its Terraform address: ${byPath.address}`);
      else problems.push(`${formatPath(pathTo)}: not a Terraform address; expected <type>.<name> (or <stack>:<type>.<name>), e.g. aws_s3_bucket.DataBucket_E3889A50`);
      return undefined;
    }
    const [, stack, address] = m;
    const hits = stack ? [o.model.get(stack, address)].filter((r): r is TfResource => !!r) : o.model.stacks.map((s) => o.model.get(s, address)).filter((r): r is TfResource => !!r);
    if (hits.length === 0) {
      unknownAddress(key, address, pathTo);
      return undefined;
    }
    if (hits.length > 1) {
      problems.push(`${formatPath(pathTo)}: ${address} is in ${hits.map((h) => h.stack.name).join(" and ")}; write <stack>:${address}`);
      return undefined;
    }
    return hits[0];
  };

  const entries = new Map<TfResource, Record<string, unknown>>();
  for (const [key, value] of Object.entries(doc.resources)) {
    const m = ADDRESS.exec(key);
    if (m) {
      const type = m[2].replace(/^data\./, "").split(".")[0];
      if (!usageOf.has(type)) {
        problems.push(`${formatPath(["resources", key])}: ${typeProblem(type)}`);
        continue;
      }
    }
    const r = resolve(key, ["resources", key]);
    if (!r) continue;
    if (entries.has(r)) {
      problems.push(`${formatPath(["resources", key])}: ${r.toString()} is named twice in resources`);
      continue;
    }
    const owner = usageOf.get(r.type)!;
    const parsedEntry = owner.schema.safeParse(value);
    if (!parsedEntry.success) {
      problems.push(...describeIssues(parsedEntry.error, value, ["resources", key]));
      continue;
    }
    entries.set(r, value as Record<string, unknown>);
  }
  if (problems.length) throw new UsageError(problems.map((l) => `${profile.file}: ${l}`).join("\n"));

  return {
    horizonMonths: doc.horizonMonths,
    scheduleYear: doc.scheduleYear,
    spotDiscount: doc.spotDiscount,
    entry(r) {
      const own = entries.get(r);
      return { raw: { ...(defaults.get(r.type) ?? {}), ...(own ?? {}) }, given: own !== undefined };
    },
    section(key) {
      return (doc as Record<string, unknown>)[key];
    },
    resolve(address, pathTo) {
      const r = resolve(address, pathTo);
      if (problems.length) throw new UsageError(problems.splice(0).map((l) => `${profile.file}: ${l}`).join("\n"));
      return r;
    },
  };
}
