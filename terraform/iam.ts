/**
 * IAM documents in every form Terraform accepts, decoded into one statement shape: a literal
 * JSON string, `jsonencode(...)` of a literal, an `aws_iam_policy_document` data source (with its
 * source/override documents), or an object. Read as the scanners read them: a statement without
 * `Effect` is an Allow, action names are case-insensitive, `Principal: "*"` and
 * `Principal: {AWS: "*"}` are both everyone.
 *
 * A document that cannot be read (a function call, a reference to another resource's policy,
 * an unresolved cdktf token) decodes to `{ undecided }` with the reason: a rule reports it as
 * "cannot decide", never as a pass.
 */
import { interpolations, jsonencodeArgument, parseTraversal, Unresolved, wholeInterpolation } from "./hcl";
import { Attrs, blocks, isUnresolvedToken, list, TerraformModel, TfResource } from "./model";

export type Effect = "Allow" | "Deny";

export interface Principal {
  /** `*` for `Principal: "*"`; else the key: AWS, Service, Federated, CanonicalUser. */
  readonly type: string;
  readonly values: readonly string[];
}

export interface Condition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

export interface Statement {
  readonly index: number;
  readonly sid?: string;
  readonly effect: Effect;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** undefined when the statement has no Principal (identity policies). */
  readonly principals?: readonly Principal[];
  readonly notPrincipals?: readonly Principal[];
  readonly conditions: readonly Condition[];
}

export type DocumentForm = "json" | "jsonencode" | "policy-document" | "object";

export interface PolicyDocument {
  readonly form: DocumentForm;
  readonly statements: readonly Statement[];
}

export type Decoded = { readonly doc: PolicyDocument; readonly undecided?: undefined } | { readonly doc?: undefined; readonly undecided: string };

/** Decodes a policy attribute's value, read from `from`'s stack. */
export function decodePolicy(model: TerraformModel, value: unknown, from: TfResource): Decoded {
  if (value === undefined || value === null || value === "") return { undecided: "no policy document" };
  if (typeof value === "object") return fromObject(value as Attrs, "object");
  if (typeof value !== "string") return { undecided: `policy is a ${typeof value}, not a document` };
  if (isUnresolvedToken(value)) return { undecided: `policy is an unresolved cdktf token (${value.slice(0, 60)})` };
  const inner = wholeInterpolation(value);
  if (inner !== undefined) {
    const enc = jsonencodeArgument(value);
    if (enc !== undefined) {
      if (enc instanceof Unresolved || typeof enc !== "object" || enc === null || Array.isArray(enc)) {
        return { undecided: `jsonencode of a non-literal value: ${shorten(inner)}` };
      }
      return fromObject(enc as Attrs, "jsonencode");
    }
    const ref = parseTraversal(inner.trim());
    if (ref?.mode === "data" && ref.type === "aws_iam_policy_document" && /^(minified_)?json$/.test(ref.attr)) {
      const ds = model.deref(ref, from);
      if (!ds) return { undecided: `${inner.trim()} is not in stack ${from.stack.name}` };
      return fromPolicyDocument(model, ds, new Set());
    }
    return { undecided: `policy is the expression ${shorten(inner)}` };
  }
  try {
    const parsed = parseTemplateJson(value);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return { undecided: "policy JSON is not an object" };
    return fromObject(parsed, "json");
  } catch (e) {
    return { undecided: `policy is not JSON (${(e as Error).message})` };
  }
}

/**
 * JSON.parse of a string template: Terraform interpolates `${...}` before the JSON is read, so
 * an interpolation may hold characters JSON would reject (`"${replace(x, "https://", "")}:sub"`).
 * Each one is swapped for a placeholder, parsed, then put back as written.
 */
function parseTemplateJson(value: string): any {
  const exprs = interpolations(value);
  if (!exprs.length) return JSON.parse(value);
  let i = 0;
  let out = "";
  let pos = 0;
  for (const e of exprs) {
    const at = value.indexOf("${" + e + "}", pos);
    out += value.slice(pos, at) + `\\u0000${i++}\\u0000`;
    pos = at + e.length + 3;
  }
  out += value.slice(pos);
  const restore = (v: any): any =>
    typeof v === "string"
      ? v.replace(/\u0000(\d+)\u0000/g, (_, n: string) => "${" + exprs[Number(n)] + "}")
      : Array.isArray(v)
        ? v.map(restore)
        : v && typeof v === "object"
          ? Object.fromEntries(Object.entries(v).map(([k, x]) => [restore(k), restore(x)]))
          : v;
  return restore(JSON.parse(out));
}

const shorten = (s: string) => (s.length > 80 ? `${s.slice(0, 77)}...` : s).replace(/\s+/g, " ");

function strings(v: unknown): string[] {
  return list(v).map((x) => (typeof x === "string" ? x : String(x)));
}

function principalsOf(v: unknown): Principal[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (v === "*") return [{ type: "*", values: ["*"] }];
  if (typeof v === "string") return [{ type: "AWS", values: [v] }];
  if (typeof v !== "object") return [];
  return Object.entries(v as Attrs).map(([type, values]) => ({ type, values: strings(values) }));
}

function conditionsOf(v: unknown): Condition[] {
  const out: Condition[] = [];
  if (!v || typeof v !== "object") return out;
  for (const [test, byKey] of Object.entries(v as Attrs)) {
    if (!byKey || typeof byKey !== "object") continue;
    for (const [variable, values] of Object.entries(byKey as Attrs)) out.push({ test, variable, values: strings(values) });
  }
  return out;
}

function fromObject(doc: Attrs, form: DocumentForm): Decoded {
  const raw = doc.Statement ?? doc.statement;
  if (raw === undefined) return { undecided: "document has no Statement" };
  const statements = list<Attrs>(raw).map((s, index): Statement => {
    const e = typeof s.Effect === "string" ? s.Effect : undefined;
    return {
      index,
      sid: typeof s.Sid === "string" ? s.Sid : undefined,
      // the scanners read a missing Effect as Allow (IAM would reject the document)
      effect: e !== undefined && e.toLowerCase() === "deny" ? "Deny" : "Allow",
      actions: strings(s.Action),
      notActions: strings(s.NotAction),
      resources: strings(s.Resource),
      notResources: strings(s.NotResource),
      principals: principalsOf(s.Principal),
      notPrincipals: principalsOf(s.NotPrincipal),
      conditions: conditionsOf(s.Condition),
    };
  });
  return { doc: { form, statements } };
}

function fromPolicyDocument(model: TerraformModel, ds: TfResource, seen: Set<TfResource>): Decoded {
  if (seen.has(ds)) return { undecided: `${ds.address} includes itself` };
  seen.add(ds);
  const statements: Statement[] = [];
  // source documents come first, then this document's statements, then overrides (by Sid)
  for (const attr of ["source_policy_documents", "override_policy_documents"]) {
    for (const src of list(ds.attrs[attr])) {
      const d = typeof src === "string" ? decodeNested(model, src, ds, seen) : { undecided: `${attr} holds a ${typeof src}` };
      if (d.undecided) return { undecided: `${ds.address}.${attr}: ${d.undecided}` };
      if (attr === "source_policy_documents") statements.push(...d.doc!.statements);
      else for (const s of d.doc!.statements) replaceBySid(statements, s);
    }
    if (attr === "source_policy_documents") {
      for (const s of blocks(ds.attrs.statement)) replaceBySid(statements, statementBlock(s, statements.length));
    }
  }
  return { doc: { form: "policy-document", statements: statements.map((s, index) => ({ ...s, index })) } };
}

function decodeNested(model: TerraformModel, value: string, from: TfResource, seen: Set<TfResource>): Decoded {
  const inner = wholeInterpolation(value);
  const ref = inner !== undefined ? parseTraversal(inner.trim()) : undefined;
  if (ref?.mode === "data" && ref.type === "aws_iam_policy_document") {
    const ds = model.deref(ref, from);
    return ds ? fromPolicyDocument(model, ds, seen) : { undecided: `${inner} is not in stack ${from.stack.name}` };
  }
  return decodePolicy(model, value, from);
}

function replaceBySid(statements: Statement[], s: Statement): void {
  const i = s.sid ? statements.findIndex((x) => x.sid === s.sid) : -1;
  if (i >= 0) statements[i] = s;
  else statements.push(s);
}

function statementBlock(s: Attrs, index: number): Statement {
  const principals = (attr: string): Principal[] | undefined => {
    const ps = blocks(s[attr]);
    if (!ps.length) return undefined;
    return ps.map((p) => (p.type === "*" ? { type: "*", values: strings(p.identifiers) } : { type: String(p.type), values: strings(p.identifiers) }));
  };
  return {
    index,
    sid: typeof s.sid === "string" ? s.sid : undefined,
    effect: typeof s.effect === "string" && s.effect.toLowerCase() === "deny" ? "Deny" : "Allow",
    actions: strings(s.actions),
    notActions: strings(s.not_actions),
    resources: strings(s.resources),
    notResources: strings(s.not_resources),
    principals: principals("principals"),
    notPrincipals: principals("not_principals"),
    conditions: blocks(s.condition).map((c) => ({ test: String(c.test), variable: String(c.variable), values: strings(c.values) })),
  };
}

// ---------------------------------------------------------------------------------------------
// Where documents live

export type DocumentKind = "identity" | "trust" | "resource";

export interface AttachedDocument {
  /** The resource carrying the document attribute. */
  readonly owner: TfResource;
  readonly attr: string;
  readonly kind: DocumentKind;
  /** identity documents: who holds it (role, user, group) or a managed policy. */
  readonly holder?: "role" | "user" | "group" | "managed-policy";
  readonly decoded: Decoded;
}

/** [type, attribute, kind, holder]: every place a policy document sits on a resource. */
const DOCUMENT_ATTRS: readonly [string, string, DocumentKind, AttachedDocument["holder"]?][] = [
  ["aws_iam_role", "assume_role_policy", "trust"],
  ["aws_iam_role_policy", "policy", "identity", "role"],
  ["aws_iam_user_policy", "policy", "identity", "user"],
  ["aws_iam_group_policy", "policy", "identity", "group"],
  ["aws_iam_policy", "policy", "identity", "managed-policy"],
  ["aws_s3_bucket", "policy", "resource"],
  ["aws_s3_bucket_policy", "policy", "resource"],
  ["aws_sns_topic", "policy", "resource"],
  ["aws_sns_topic_policy", "policy", "resource"],
  ["aws_sqs_queue", "policy", "resource"],
  ["aws_sqs_queue_policy", "policy", "resource"],
  ["aws_kms_key", "policy", "resource"],
  ["aws_kms_key_policy", "policy", "resource"],
  ["aws_ecr_repository_policy", "policy", "resource"],
  ["aws_ecr_registry_policy", "policy", "resource"],
  ["aws_secretsmanager_secret_policy", "policy", "resource"],
  ["aws_cloudwatch_log_resource_policy", "policy_document", "resource"],
];

/** Every policy document in the model, decoded (or with the reason it cannot be). */
export function attachedDocuments(model: TerraformModel): AttachedDocument[] {
  const out: AttachedDocument[] = [];
  for (const [type, attr, kind, holder] of DOCUMENT_ATTRS) {
    for (const r of model.ofType(type)) {
      if (r.attrs[attr] === undefined) continue;
      out.push({ owner: r, attr, kind, holder, decoded: decodePolicy(model, r.attrs[attr], r) });
    }
  }
  // inline_policy blocks on roles (the deprecated but valid form)
  for (const r of model.ofType("aws_iam_role")) {
    blocks(r.attrs.inline_policy).forEach((p, i) => {
      if (p.policy !== undefined) out.push({ owner: r, attr: `inline_policy[${i}].policy`, kind: "identity", holder: "role", decoded: decodePolicy(model, p.policy, r) });
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading statements

/** IAM action matching: case-insensitive, `*` and `?` wildcards in the pattern. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map((p) => p.split("?").map((q) => q.replace(/[.+^${}()|[\]\\]/g, "\\$&")).join(".")).join(".*")}$`, "i");
  return re.test(action);
}

/** Whether an Allow statement grants `action` (Action patterns, or NotAction that leaves it in). */
export function grants(s: Statement, action: string): boolean {
  if (s.effect !== "Allow") return false;
  if (s.actions.length) return s.actions.some((a) => actionMatches(a, action));
  if (s.notActions.length) return !s.notActions.some((a) => actionMatches(a, action));
  return false;
}

/** Everyone: `Principal: "*"`, `{AWS: "*"}` (anonymous included). */
export function isPublic(principals: readonly Principal[] | undefined): boolean {
  return !!principals?.some((p) => (p.type === "*" || p.type === "AWS") && p.values.includes("*"));
}

/** Account principals: an account id or `arn:aws:iam::<id>:root` (the whole account, any of its identities). */
export function accountPrincipals(principals: readonly Principal[] | undefined): string[] {
  return (principals ?? [])
    .filter((p) => p.type === "AWS")
    .flatMap((p) => p.values)
    .filter((v) => /^\d{12}$/.test(v) || /^arn:aws[a-z-]*:iam::\d{12}:root$/.test(v));
}

/**
 * IAM resource matching: `pattern` (a statement's Resource, with `*` and `?` wildcards) covers
 * `arn`. Case-sensitive, as IAM compares resource ARNs.
 */
export function resourceMatches(pattern: string, arn: string): boolean {
  const re = new RegExp(`^${pattern.split("*").map((p) => p.split("?").map((q) => q.replace(/[.+^${}()|[\]\\]/g, "\\$&")).join(".")).join(".*")}$`);
  return re.test(arn);
}

/**
 * Condition keys that limit a public principal to known callers (an account, an organisation,
 * a source resource or network). A public statement restricted by one is not open to the
 * internet; that is how the scanners' policy libraries read it.
 */
const LIMITING_CONDITION_KEYS = [
  "aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip",
  "aws:principalorgid", "aws:principalaccount", "aws:principalarn", "aws:principalorgpaths", "aws:userid", "aws:username",
  "kms:calleraccount", "kms:viaservice",
];

/** An Allow to everyone that no condition limits to known callers. */
export function isInternetAccessible(s: Statement): boolean {
  if (s.effect !== "Allow" || !isPublic(s.principals)) return false;
  const limited = s.conditions.some(
    (c) => !/IfExists$|(^|:)(StringNot|ArnNot|NotIpAddress)/i.test(c.test) && LIMITING_CONDITION_KEYS.includes(c.variable.toLowerCase()) && !c.values.includes("*"),
  );
  return !limited;
}

/** Who holds an identity document: the role, user or group it is written on or attached to. */
export function holdersOf(model: TerraformModel, d: AttachedDocument): TfResource[] {
  if (d.kind !== "identity") return [];
  const one = (attr: string, type: string) => {
    const r = model.resolve(d.owner.attrs[attr], d.owner, [type]);
    return r ? [r] : [];
  };
  switch (d.holder) {
    case "role":
      return d.owner.type === "aws_iam_role" ? [d.owner] : one("role", "aws_iam_role");
    case "user":
      return one("user", "aws_iam_user");
    case "group":
      return one("group", "aws_iam_group");
    case "managed-policy": {
      const out: TfResource[] = [];
      for (const [type, attr, target] of MANAGED_ATTACHMENTS) {
        for (const a of model.referencing(type, "policy_arn", d.owner)) {
          for (const v of list(a.attrs[attr])) {
            const h = model.resolve(v, a, [target]);
            if (h && !out.includes(h)) out.push(h);
          }
        }
      }
      return out;
    }
    default:
      return [];
  }
}

/** [attachment type, attribute naming the holder(s), holder type]. */
const MANAGED_ATTACHMENTS: readonly [string, string, string][] = [
  ["aws_iam_role_policy_attachment", "role", "aws_iam_role"],
  ["aws_iam_user_policy_attachment", "user", "aws_iam_user"],
  ["aws_iam_group_policy_attachment", "group", "aws_iam_group"],
  ["aws_iam_policy_attachment", "roles", "aws_iam_role"],
  ["aws_iam_policy_attachment", "users", "aws_iam_user"],
  ["aws_iam_policy_attachment", "groups", "aws_iam_group"],
];

/** Every identity document a role, user or group holds (inline, policy resources, attached managed policies in the model). */
export function documentsHeldBy(model: TerraformModel, holder: TfResource, docs: readonly AttachedDocument[] = attachedDocuments(model)): AttachedDocument[] {
  return docs.filter((d) => d.kind === "identity" && holdersOf(model, d).includes(holder));
}
