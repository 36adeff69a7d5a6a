/**
 * Policy as code over the synthesized Terraform JSON of a stack. Each rule lives in its own
 * file under rules/, is named after the public check it mirrors (Checkov / Trivy / cdk-nag), and
 * reports violations that fail synth unless the exception list (exceptions.ts) names them.
 */
import { EnvironmentConfig } from "../../config/types";

export interface SynthResource {
  readonly type: string;
  readonly name: string;
  /** Terraform address: `<type>.<name>` */
  readonly address: string;
  /** Construct path, e.g. `dev-data/DataBucket/Resource` */
  readonly path: string;
  readonly attrs: Readonly<Record<string, any>>;
}

export interface Violation {
  readonly ruleId: string;
  readonly path: string;
  readonly message: string;
}

export interface PolicyRule {
  /** The id reviewers know: the Checkov id where one exists, else `RF_<NAME>` (this project's). */
  readonly id: string;
  /** Ids of the same check in other tools (Trivy AVD, cdk-nag). */
  readonly aliases: readonly string[];
  readonly description: string;
  check(ctx: RuleContext): Violation[];
}

/** A synthesized stack (`cdk.tf.json`) with helpers for joining resources by reference. */
export class RuleContext {
  readonly resources: readonly SynthResource[];

  constructor(
    readonly doc: Readonly<Record<string, any>>,
    readonly config: EnvironmentConfig,
  ) {
    const out: SynthResource[] = [];
    for (const [type, byName] of Object.entries<Record<string, any>>(doc.resource ?? {})) {
      for (const [name, attrs] of Object.entries<Record<string, any>>(byName)) {
        out.push({ type, name, address: `${type}.${name}`, path: attrs["//"]?.metadata?.path ?? `${type}.${name}`, attrs });
      }
    }
    this.resources = out;
  }

  ofType(type: string): SynthResource[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** Resources of `type` whose attribute `attr` refers to `target` (`${type.name.x}`) or equals `literal`. */
  referencing(type: string, attr: string, target: SynthResource, literal?: string): SynthResource[] {
    return this.ofType(type).filter((r) => refersTo(r.attrs[attr], target) || (literal !== undefined && r.attrs[attr] === literal));
  }

  violation(rule: PolicyRule, r: SynthResource | { path: string }, message: string): Violation {
    return { ruleId: rule.id, path: r.path, message };
  }
}

export function refersTo(value: unknown, target: SynthResource): boolean {
  return typeof value === "string" && value.includes(`\${${target.address}.`);
}

/** Terraform blocks may synthesize as an object or a one-element list. */
export function block(value: unknown): Record<string, any> | undefined {
  if (Array.isArray(value)) return value[0];
  if (value && typeof value === "object") return value as Record<string, any>;
  return undefined;
}

export function blocks(value: unknown): Record<string, any>[] {
  if (Array.isArray(value)) return value;
  if (value && typeof value === "object") return [value as Record<string, any>];
  return [];
}

/** Parses a JSON policy document attribute; unresolved Terraform expressions give undefined. */
export function policyDocument(value: unknown): { Statement: any[] } | undefined {
  if (typeof value !== "string") return typeof value === "object" && value ? (value as any) : undefined;
  try {
    const doc = JSON.parse(value);
    return { ...doc, Statement: Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement] };
  } catch {
    return undefined;
  }
}

export function asArray<T>(v: T | T[] | undefined): T[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}
