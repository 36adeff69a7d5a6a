/**
 * One typed model of Terraform JSON: the stacks of a `cdktf.out`, or any directory of Terraform
 * JSON or HCL (see load.ts). Policy rules and cost pricers read only this model; nothing else in
 * the project knows the JSON's shape.
 *
 *   const model = await loadTerraform("cdktf.out", { stacks: (s) => s.startsWith("dev-") });
 *   for (const b of model.ofType("aws_s3_bucket")) {
 *     const lc = model.referencing("aws_s3_bucket_lifecycle_configuration", "bucket", b);
 *   }
 *
 * Joins work three ways, as Terraform users write them: by expression (`${aws_s3_bucket.b.id}`,
 * resolved inside the referring stack, where Terraform resolves it), by the target's name
 * (`bucket = "my-bucket"`) and by ARN literal (`arn:aws:s3:::my-bucket`).
 */
import { parseTraversal, Reference, referencesIn, wholeInterpolation } from "./hcl";

export type Mode = "managed" | "data";
export type Attrs = Readonly<Record<string, any>>;

/** One Terraform document (a cdktf stack, or a directory's files merged). */
export class TfStack {
  /** Region of the default `aws` provider when it is a literal. */
  readonly region?: string;
  /** The account of the default `aws` provider: its `allowed_account_ids` when that names exactly one. */
  readonly accountId?: string;
  readonly defaultTags: Readonly<Record<string, string>>;
  private readonly aliasTags = new Map<string, Record<string, string>>();

  constructor(
    readonly name: string,
    /** The file(s) it was read from. */
    readonly files: readonly string[],
    readonly doc: Attrs,
  ) {
    let region: string | undefined;
    let account: string | undefined;
    let tags: Record<string, string> = {};
    for (const p of blocks(doc.provider?.aws)) {
      const t = literalStrings(block(p.default_tags)?.tags);
      if (p.alias) this.aliasTags.set(`aws.${p.alias}`, t);
      else {
        tags = t;
        region = literal(p.region);
        const ids = Array.isArray(p.allowed_account_ids) ? p.allowed_account_ids : [];
        account = ids.length === 1 ? literal(ids[0]) : undefined;
      }
    }
    this.region = region;
    this.accountId = account;
    this.defaultTags = tags;
  }

  /** The default tags of the provider a resource uses (`provider = "aws.alias"` or the default). */
  providerTags(provider: unknown): Readonly<Record<string, string>> {
    return (typeof provider === "string" && this.aliasTags.get(provider.replace(/^\$\{|\}$/g, ""))) || this.defaultTags;
  }
}

/** A resource or data source. */
export class TfResource {
  readonly address: string;
  /** cdktf construct path (`dev-data/DataBucket/Resource`), else `<stack>/<address>`. */
  readonly path: string;

  constructor(
    readonly mode: Mode,
    readonly type: string,
    readonly name: string,
    readonly stack: TfStack,
    readonly attrs: Attrs,
  ) {
    this.address = `${mode === "data" ? "data." : ""}${type}.${name}`;
    const p = attrs["//"]?.metadata?.path;
    this.path = typeof p === "string" ? p : `${stack.name}/${this.address}`;
  }

  /** A single nested block (cdktf writes an object or a one-element list). */
  block(attr: string): Attrs | undefined {
    return block(this.attrs[attr]);
  }

  blocks(attr: string): Attrs[] {
    return blocks(this.attrs[attr]);
  }

  /** The attribute when it is a literal string (no `${...}`), else undefined. */
  str(attr: string): string | undefined {
    return literal(this.attrs[attr]);
  }

  /** The attribute as a number when it is a literal number (or numeric string). */
  num(attr: string): number | undefined {
    return literalNumber(this.attrs[attr]);
  }

  toString(): string {
    return `${this.stack.name}:${this.address}`;
  }
}

/** Per resource type: the attribute that names it, and the service and resource part of its ARN. */
interface Identity {
  readonly nameAttr: string;
  readonly service: string;
  /** The ARN's resource part for a name (a RegExp source, name already escaped). */
  readonly arnResource: (name: string) => string;
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const IDENTITIES: Readonly<Record<string, Identity>> = {
  aws_s3_bucket: { nameAttr: "bucket", service: "s3", arnResource: (n) => esc(n) },
  aws_sns_topic: { nameAttr: "name", service: "sns", arnResource: (n) => esc(n) },
  aws_sqs_queue: { nameAttr: "name", service: "sqs", arnResource: (n) => esc(n) },
  aws_lambda_function: { nameAttr: "function_name", service: "lambda", arnResource: (n) => `function:${esc(n)}(?::[^:]+)?` },
  aws_iam_role: { nameAttr: "name", service: "iam", arnResource: (n) => `role/(?:.*/)?${esc(n)}` },
  aws_iam_policy: { nameAttr: "name", service: "iam", arnResource: (n) => `policy/(?:.*/)?${esc(n)}` },
  aws_iam_user: { nameAttr: "name", service: "iam", arnResource: (n) => `user/(?:.*/)?${esc(n)}` },
  aws_iam_group: { nameAttr: "name", service: "iam", arnResource: (n) => `group/(?:.*/)?${esc(n)}` },
  aws_ecr_repository: { nameAttr: "name", service: "ecr", arnResource: (n) => `repository/${esc(n)}` },
  aws_cloudwatch_log_group: { nameAttr: "name", service: "logs", arnResource: (n) => `log-group:${esc(n)}(?::\\*)?` },
  aws_eks_cluster: { nameAttr: "name", service: "eks", arnResource: (n) => `cluster/${esc(n)}` },
  aws_eks_node_group: { nameAttr: "node_group_name", service: "eks", arnResource: (n) => `nodegroup/[^/]+/${esc(n)}(?:/.*)?` },
  aws_sagemaker_endpoint: { nameAttr: "name", service: "sagemaker", arnResource: (n) => `endpoint/${esc(n.toLowerCase())}` },
  aws_sagemaker_endpoint_configuration: { nameAttr: "name", service: "sagemaker", arnResource: (n) => `endpoint-config/${esc(n.toLowerCase())}` },
  aws_sagemaker_model: { nameAttr: "name", service: "sagemaker", arnResource: (n) => `model/${esc(n.toLowerCase())}` },
  aws_cloudwatch_event_rule: { nameAttr: "name", service: "events", arnResource: (n) => `rule/(?:[^/]+/)?${esc(n)}` },
  aws_scheduler_schedule: { nameAttr: "name", service: "scheduler", arnResource: (n) => `schedule/[^/]+/${esc(n)}` },
  aws_kms_alias: { nameAttr: "name", service: "kms", arnResource: (n) => esc(n) },
  aws_codebuild_project: { nameAttr: "name", service: "codebuild", arnResource: (n) => `project/${esc(n)}` },
  aws_ssm_parameter: { nameAttr: "name", service: "ssm", arnResource: (n) => `parameter/?${esc(n.replace(/^\//, ""))}` },
  aws_cloudwatch_metric_alarm: { nameAttr: "alarm_name", service: "cloudwatch", arnResource: (n) => `alarm:${esc(n)}` },
  aws_launch_template: { nameAttr: "name", service: "ec2", arnResource: () => "(?!)" },
  aws_budgets_budget: { nameAttr: "name", service: "budgets", arnResource: (n) => `budget/${esc(n)}` },
  aws_sfn_state_machine: { nameAttr: "name", service: "states", arnResource: (n) => `stateMachine:${esc(n)}` },
};

/** The parts of an ARN, or undefined for anything else. */
export function parseArn(value: string): { partition: string; service: string; region: string; account: string; resource: string } | undefined {
  const m = /^arn:([^:]+):([^:]+):([^:]*):([^:]*):(.+)$/.exec(value);
  return m ? { partition: m[1], service: m[2], region: m[3], account: m[4], resource: m[5] } : undefined;
}

export class TerraformModel {
  readonly resources: readonly TfResource[];
  readonly dataSources: readonly TfResource[];
  private readonly byType = new Map<string, TfResource[]>();
  private readonly byAddress = new Map<string, TfResource>();
  private readonly byName = new Map<string, TfResource[]>();
  private refsCache = new WeakMap<TfResource, Reference[]>();

  constructor(readonly stacks: readonly TfStack[]) {
    const managed: TfResource[] = [];
    const data: TfResource[] = [];
    for (const stack of stacks) {
      for (const [mode, key, out] of [["managed", "resource", managed], ["data", "data", data]] as const) {
        for (const [type, byName] of Object.entries<Record<string, any>>(stack.doc[key] ?? {})) {
          for (const [name, attrs] of Object.entries<any>(byName ?? {})) {
            // hcl2json writes each instance as a one-element list
            const a = Array.isArray(attrs) ? attrs[0] ?? {} : attrs ?? {};
            const r = new TfResource(mode, type, name, stack, a);
            out.push(r);
            this.byAddress.set(`${stack.name}\u0000${r.address}`, r);
            if (mode === "managed") {
              const list = this.byType.get(type) ?? [];
              list.push(r);
              this.byType.set(type, list);
              const n = this.nameOf(r);
              if (n !== undefined) this.byName.set(`${type}\u0000${n}`, [...(this.byName.get(`${type}\u0000${n}`) ?? []), r]);
            }
          }
        }
      }
    }
    this.resources = managed;
    this.dataSources = data;
  }

  /** Managed resources of a type, in document order. */
  ofType(type: string): readonly TfResource[] {
    return this.byType.get(type) ?? [];
  }

  /** Data sources of a type. */
  dataOfType(type: string): readonly TfResource[] {
    return this.dataSources.filter((d) => d.type === type);
  }

  stack(name: string): TfStack | undefined {
    return this.stacks.find((s) => s.name === name);
  }

  /** A block by address (`aws_s3_bucket.x`, `data.aws_iam_policy_document.y`) in a stack. */
  get(stack: TfStack | string, address: string): TfResource | undefined {
    return this.byAddress.get(`${typeof stack === "string" ? stack : stack.name}\u0000${address}`);
  }

  /** A model of some of the stacks only. */
  subset(keep: (stack: TfStack) => boolean): TerraformModel {
    return new TerraformModel(this.stacks.filter(keep));
  }

  /** The literal name of a resource (its `bucket`, `name`, `function_name`, ...), if it has one. */
  nameOf(r: TfResource): string | undefined {
    const id = IDENTITIES[r.type];
    return r.str(id?.nameAttr ?? "name");
  }

  /** A human label: the literal name, else the logical name. */
  label(r: TfResource, ...attrs: string[]): string {
    for (const a of attrs) {
      const v = r.str(a);
      if (v !== undefined) return v;
    }
    return this.nameOf(r) ?? r.name;
  }

  /** Tags as AWS applies them: provider default tags, then the resource's own (literal values only). */
  tagsOf(r: TfResource): Readonly<Record<string, string>> {
    return { ...r.stack.providerTags(r.attrs.provider), ...literalStrings(r.attrs.tags_all), ...literalStrings(r.attrs.tags) };
  }

  /** Every reference an attribute value makes (deep: nested blocks, lists, strings). */
  referencesOf(r: TfResource): readonly Reference[] {
    let refs = this.refsCache.get(r);
    if (!refs) {
      refs = [];
      collectRefs(r.attrs, refs);
      this.refsCache.set(r, refs);
    }
    return refs;
  }

  /** The block a reference points at, looked up in the referring stack (where Terraform resolves it). */
  deref(ref: Reference, from: TfResource | TfStack): TfResource | undefined {
    const stack = from instanceof TfResource ? from.stack : from;
    return this.get(stack, `${ref.mode === "data" ? "data." : ""}${ref.type}.${ref.name}`);
  }

  /**
   * What a value designates: the block of a `${type.name.attr}` expression (in `from`'s stack),
   * else the resource whose name or ARN the literal is (same stack preferred). `types` limits
   * the literal lookup.
   */
  resolve(value: unknown, from: TfResource | TfStack, types?: readonly string[]): TfResource | undefined {
    if (typeof value !== "string") return undefined;
    const inner = wholeInterpolation(value);
    if (inner !== undefined) {
      const ref = parseTraversal(inner.trim());
      return ref && /^[A-Za-z0-9_.\-[\]"*]+$/.test(inner.trim()) ? this.deref(ref, from) : undefined;
    }
    if (value.includes("${")) return undefined;
    const stack = from instanceof TfResource ? from.stack : from;
    const hits = this.byLiteral(value, types);
    return hits.find((h) => h.stack === stack) ?? hits[0];
  }

  /** Resources whose name is `value`, or whose ARN `value` is. */
  private byLiteral(value: string, types?: readonly string[]): TfResource[] {
    const arn = parseArn(value);
    const candidates = types ?? Object.keys(IDENTITIES);
    const out: TfResource[] = [];
    for (const type of candidates) {
      if (!arn) {
        out.push(...(this.byName.get(`${type}\u0000${value}`) ?? []));
        continue;
      }
      const id = IDENTITIES[type];
      if (!id || id.service !== arn.service) continue;
      for (const r of this.ofType(type)) {
        const n = this.nameOf(r);
        if (n !== undefined && new RegExp(`^${id.arnResource(n)}$`).test(arn.resource)) out.push(r);
      }
    }
    return out;
  }

  /** Whether `value` designates `target`: by expression, by name, or by ARN literal. */
  refersTo(value: unknown, target: TfResource, from: TfResource | TfStack): boolean {
    if (typeof value !== "string") return false;
    const stack = from instanceof TfResource ? from.stack : from;
    if (value.includes("${")) {
      return stack === target.stack && referencesIn(value).some((ref) => ref.mode === target.mode && ref.type === target.type && ref.name === target.name);
    }
    return this.byLiteral(value, [target.type]).includes(target);
  }

  /** Resources of `type` whose attribute `attr` designates `target` (a companion: policy, lifecycle, ...). */
  referencing(type: string, attr: string, target: TfResource): TfResource[] {
    return this.ofType(type).filter((r) => this.refersTo(r.attrs[attr], target, r));
  }

  /** Resources (of `type`, if given) with any attribute referring to `target` by expression. */
  referrers(target: TfResource, type?: string): TfResource[] {
    const pool = type ? this.ofType(type) : this.resources;
    return pool.filter(
      (r) => r.stack === target.stack && this.referencesOf(r).some((ref) => ref.mode === target.mode && ref.type === target.type && ref.name === target.name),
    );
  }
}

function collectRefs(v: unknown, out: Reference[]): void {
  if (typeof v === "string") {
    if (v.includes("${")) out.push(...referencesIn(v));
  } else if (Array.isArray(v)) for (const x of v) collectRefs(x, out);
  else if (v && typeof v === "object") for (const [k, x] of Object.entries(v)) if (k !== "//") collectRefs(x, out);
}

/** Terraform blocks may synthesize as an object or a one-element list. */
export function block(value: unknown): Attrs | undefined {
  if (Array.isArray(value)) return value[0];
  if (value && typeof value === "object") return value as Attrs;
  return undefined;
}

export function blocks(value: unknown): Attrs[] {
  if (Array.isArray(value)) return value.filter((v) => v && typeof v === "object");
  if (value && typeof value === "object") return [value as Attrs];
  return [];
}

/** A list attribute's elements (a single value counts as a list of one). */
export function list<T = unknown>(value: unknown): T[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as T[];
}

/** The value when it is a literal string (no interpolation), else undefined. */
export function literal(value: unknown): string | undefined {
  return typeof value === "string" && !value.includes("${") ? value : undefined;
}

export function literalNumber(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "string" && value.trim() !== "" && !value.includes("${") && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/** Whether a value is (or contains) a Terraform expression that synth did not turn into a literal. */
export function isExpression(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

/** cdktf's placeholder for a token it failed to resolve: never a value a rule may judge. */
export function isUnresolvedToken(value: unknown): boolean {
  return typeof value === "string" && /\$\{TfToken\[|\bTOKEN\.\d+/.test(value);
}

function literalStrings(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const obj = block(v);
  if (!obj) return out;
  for (const [k, x] of Object.entries(obj)) if (typeof x === "string" && !x.includes("${")) out[k] = x;
  return out;
}
