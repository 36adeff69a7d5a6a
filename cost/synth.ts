/**
 * Reads an environment's synthesized stacks (cdktf.out/stacks/<env>-<kind>/cdk.tf.json) into a
 * flat list of resources, and resolves the "${type.logicalId.attr}" references the estimate
 * needs to join resources (a lifecycle configuration to its bucket, a schedule to its function).
 */
import * as fs from "fs";
import * as path from "path";

export const STACK_KINDS = ["data", "compute", "ops"] as const;

export interface SynthResource {
  readonly stack: string;
  readonly type: string;
  readonly id: string;
  readonly attrs: Record<string, any>;
}

export interface SynthEnvironment {
  readonly env: string;
  readonly outdir: string;
  readonly stacks: readonly string[];
  readonly missingStacks: readonly string[];
  readonly resources: readonly SynthResource[];
  /** region of the aws provider, if the stacks set one */
  readonly region?: string;
}

export class SynthNotFoundError extends Error {}

export function readSynth(outdir: string, env: string, opts: { allowEmpty?: boolean } = {}): SynthEnvironment {
  const stacksDir = path.join(outdir, "stacks");
  if (!fs.existsSync(stacksDir)) {
    if (opts.allowEmpty) return { env, outdir, stacks: [], missingStacks: STACK_KINDS.map((k) => `${env}-${k}`), resources: [] };
    throw new SynthNotFoundError(
      `no synthesized stacks in ${path.resolve(outdir)} (missing ${stacksDir}); run \`npx cdktf synth\` first or pass --out <cdktf.out dir>`,
    );
  }
  const resources: SynthResource[] = [];
  const stacks: string[] = [];
  const missing: string[] = [];
  let region: string | undefined;
  for (const kind of STACK_KINDS) {
    const name = `${env}-${kind}`;
    const file = path.join(stacksDir, name, "cdk.tf.json");
    if (!fs.existsSync(file)) {
      missing.push(name);
      continue;
    }
    stacks.push(name);
    const json = JSON.parse(fs.readFileSync(file, "utf8"));
    const aws = json.provider?.aws;
    const r = Array.isArray(aws) ? aws[0]?.region : aws?.region;
    if (!region && typeof r === "string" && !r.includes("${")) region = r;
    for (const [type, byId] of Object.entries<Record<string, any>>(json.resource ?? {})) {
      for (const [id, attrs] of Object.entries(byId)) resources.push({ stack: name, type, id, attrs });
    }
  }
  if (stacks.length === 0 && !opts.allowEmpty) {
    const present = fs.readdirSync(stacksDir).join(", ") || "none";
    throw new SynthNotFoundError(
      `no stacks of environment ${env} in ${path.resolve(stacksDir)} (expected ${STACK_KINDS.map((k) => `${env}-${k}`).join(", ")}; found: ${present}); ` +
        `run \`npx cdktf synth\` first`,
    );
  }
  return { env, outdir, stacks, missingStacks: missing, resources, region };
}

export class ResourceIndex {
  private readonly byKey = new Map<string, SynthResource>();
  constructor(readonly resources: readonly SynthResource[]) {
    for (const r of resources) {
      // within a stack first; the bare key is the fallback across stacks
      this.byKey.set(`${r.stack}:${r.type}.${r.id}`, r);
      if (!this.byKey.has(`${r.type}.${r.id}`)) this.byKey.set(`${r.type}.${r.id}`, r);
    }
  }

  ofType(type: string): SynthResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** The resource a "${type.id.attr}" reference points at, or undefined for a literal. */
  target(ref: unknown, fromStack?: string): SynthResource | undefined {
    if (typeof ref !== "string") return undefined;
    const m = /^\$\{(?:data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\.[^}]*)?\}$/.exec(ref.trim());
    if (!m) return undefined;
    return (fromStack && this.byKey.get(`${fromStack}:${m[1]}.${m[2]}`)) || this.byKey.get(`${m[1]}.${m[2]}`);
  }

  /** Whether `ref` (literal or reference) designates resource `r`, judged by its name attribute. */
  refersTo(ref: unknown, r: SynthResource, nameAttr: string, fromStack?: string): boolean {
    const t = this.target(ref, fromStack);
    if (t) return t.type === r.type && t.id === r.id;
    return typeof ref === "string" && ref === r.attrs[nameAttr];
  }
}

/** cdktf writes single nested blocks as an object or a one-element list: accept both. */
export function one<T = any>(v: unknown): T | undefined {
  if (Array.isArray(v)) return v[0] as T;
  return (v ?? undefined) as T | undefined;
}

export function many<T = any>(v: unknown): T[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]) as T[];
}

/** A human label for a resource: its name attribute when literal, else the logical id. */
export function label(r: SynthResource, ...attrs: string[]): string {
  for (const a of attrs) {
    const v = r.attrs[a];
    if (typeof v === "string" && !v.includes("${")) return v;
  }
  return r.id;
}

export function tagsOf(r: SynthResource): Record<string, string> {
  return { ...(r.attrs.tags_all ?? {}), ...(r.attrs.tags ?? {}) };
}
