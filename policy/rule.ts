/**
 * What a policy rule is: a small function over the Terraform model (terraform/) that returns
 * findings. A rule claims public check ids (Checkov, Trivy, cdk-nag) only where it means what
 * that check means; where the project wants something else it uses a project id (RF_...) and
 * says how it differs. Each finding names exactly one id, so the exception list, the scanners'
 * skip configuration and the conformance suite all speak per id.
 *
 * A rule that cannot read what it must judge (an expression synth did not resolve, an IAM
 * document the model cannot decode) reports "cannot decide" for that resource, never a pass.
 */
import { AttachedDocument, attachedDocuments, block, decodePolicy, isExpression, isUnresolvedToken, TerraformModel, TfResource, TfStack } from "../terraform";

/** What a finding is about: a resource, a data source, or a stack-level block (`provider.aws`). */
export interface Subject {
  readonly stack: TfStack;
  readonly address: string;
  /** cdktf construct path, else `<stack>/<address>`. */
  readonly path: string;
}

export interface Finding {
  /** The one check id this finding is for (a key of the rule's `checks`). */
  readonly id: string;
  readonly subject: Subject;
  readonly message: string;
  /** The rule could not read what it must judge: "cannot decide", which fails like a violation. */
  readonly undecided?: boolean;
}

export interface Check {
  /** The condition, as the public check documents it (or the project's, for RF_ ids). */
  readonly meaning: string;
  /** Other tools' ids with exactly this meaning (e.g. the Trivy AVD id of a Checkov check). */
  readonly same?: readonly string[];
  /** RF_ ids: the public check it departs from, and how. */
  readonly differs?: string;
}

export interface RuleContext {
  readonly model: TerraformModel;
  /** The environment a stack belongs to; undefined when unknown (see policy/README.md). */
  env(stack: TfStack): string | undefined;
  /** The day the rules judge dates against (EKS support windows). */
  readonly asOf: Date;
  /** Every IAM document of the model, decoded once per evaluation. */
  documents(): readonly AttachedDocument[];
}

export interface Rule {
  /** The file's name: `s3-encryption`. */
  readonly name: string;
  readonly checks: Readonly<Record<string, Check>>;
  check(ctx: RuleContext): Finding[];
}

export function context(model: TerraformModel, env: (stack: TfStack) => string | undefined, asOf = new Date()): RuleContext {
  let docs: AttachedDocument[] | undefined;
  return { model, env, asOf, documents: () => (docs ??= attachedDocuments(model)) };
}

export const fail = (id: string, subject: Subject, message: string): Finding => ({ id, subject, message });
export const cannotDecide = (id: string, subject: Subject, reason: string): Finding => ({ id, subject, message: `cannot decide: ${reason}`, undecided: true });

/** A stack-level subject: the `aws` provider block. */
export const providerOf = (stack: TfStack): Subject => ({ stack, address: "provider.aws", path: `${stack.name}/provider.aws` });

/** A nested attribute (`metadata_options.http_tokens`), blocks read as cdktf and hcl2json write them. */
export function attr(r: TfResource, path: string): unknown {
  let v: unknown = r.attrs;
  for (const part of path.split(".")) {
    if (v === undefined || v === null) return undefined;
    v = (block(v) ?? {})[part];
  }
  return v;
}

/** A value a rule cannot judge: an expression or an unresolved cdktf token. */
export const opaque = (v: unknown): boolean => isExpression(v) || isUnresolvedToken(v) || (Array.isArray(v) && v.some(opaque));

/**
 * Judges one attribute: "cannot decide" when it is an expression, a finding when `ok` rejects
 * the literal value, nothing when it passes.
 */
export function judge(id: string, r: TfResource, path: string, ok: (v: any) => boolean, message: (v: any) => string): Finding[] {
  const v = attr(r, path);
  if (opaque(v)) return [cannotDecide(id, r, `${path} is the expression ${JSON.stringify(v)}`)];
  return ok(v) ? [] : [fail(id, r, message(v))];
}

/** Literal true, also as cdktf sometimes writes booleans ("true"). */
export const isTrue = (v: unknown): boolean => v === true || v === "true";

/**
 * Companions of `target` (its policy, lifecycle, ...): resources of `type` whose `attr`
 * designates it by expression, name or ARN. `unknown` are those of the same stack whose `attr`
 * designates nothing the model knows (an expression over variables, a function): one of them
 * may be the companion, so a rule that finds none must not call the target non-compliant.
 */
export function companions(ctx: RuleContext, type: string, attrName: string, target: TfResource): { found: TfResource[]; unknown: TfResource[] } {
  const found = ctx.model.referencing(type, attrName, target);
  const unknown = ctx.model
    .ofType(type)
    .filter((r) => r.stack === target.stack && !found.includes(r) && opaque(r.attrs[attrName]) && !ctx.model.resolve(r.attrs[attrName], r));
  return { found, unknown };
}

/** The finding when a required companion is missing: "cannot decide" if an unreadable one may be it. */
export function missingCompanion(id: string, target: TfResource, c: { unknown: TfResource[] }, message: string): Finding {
  return c.unknown.length
    ? cannotDecide(id, target, `${message}, unless it is ${c.unknown.map((u) => u.address).join(" or ")} (whose target is an expression)`)
    : fail(id, target, message);
}

/**
 * An attribute that must be set: any literal or expression counts (a reference to a key is as
 * good as its ARN); only absent, null or "" fails.
 */
export function present(id: string, r: TfResource, path: string, message: string): Finding[] {
  const v = attr(r, path);
  return v === undefined || v === null || v === "" ? [fail(id, r, message)] : [];
}

/**
 * A resource's own policy documents, decoded: its companion policy resources (`type` joined by
 * `attrName`) and its inline `policy` attribute. `none` when it has no policy at all: the
 * finding for that (or "cannot decide", when an unreadable companion may be it).
 */
export function resourcePolicies(ctx: RuleContext, type: string, attrName: string, target: TfResource, id: string, noneMessage: string) {
  const c = companions(ctx, type, attrName, target);
  const owners = [...c.found, ...(target.attrs.policy !== undefined ? [target] : [])];
  return {
    none: owners.length ? undefined : missingCompanion(id, target, c, noneMessage),
    policies: owners.map((owner) => ({ owner, decoded: decodePolicy(ctx.model, owner.attrs.policy, owner) })),
  };
}
