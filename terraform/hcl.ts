/**
 * Terraform expressions inside Terraform JSON strings: the references they make
 * (`${aws_s3_bucket.data.arn}`) and, for `${jsonencode(...)}`, the literal value they encode.
 *
 * cdktf writes `Fn.jsonencode(obj)` as `"${jsonencode({\"Version\" = \"2012-10-17\", ...})}"`
 * and hand-written HCL as `jsonencode({ Version = "2012-10-17" ... })`; both are HCL object and
 * tuple literals. The parser below reads exactly that literal subset (objects, tuples, strings
 * with `${...}` templates, numbers, booleans, null, bare references). Anything else (a function
 * call, a `for` expression, arithmetic) is not evaluated: it is returned as an `Unresolved` so a
 * caller can say "cannot decide" instead of guessing. It is synchronous on purpose: the policy
 * check runs inside cdktf's synth, which has no await.
 */

/** A reference to another block: `${aws_s3_bucket.data.arn}` -> { mode: "managed", type, name, attr }. */
export interface Reference {
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  /** The attribute path after the name (`arn`, `json`, `tags.Name`), "" when none. */
  readonly attr: string;
}

/** A value the literal parser could not evaluate; `text` is the expression as written. */
export class Unresolved {
  constructor(readonly text: string) {}
  toString(): string {
    return "${" + this.text + "}";
  }
}

const TRAVERSAL = /(?:^|[^A-Za-z0-9_.])((?:data\.)?[a-z][a-z0-9_]*\.[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_*]+|\[[^\]]*\])*)/g;
const NON_BLOCK_ROOTS = new Set(["var", "local", "module", "each", "count", "path", "terraform", "self"]);

/** Every block reference made inside the `${...}` interpolations of a string. */
export function referencesIn(value: string): Reference[] {
  const out: Reference[] = [];
  for (const expr of interpolations(value)) {
    for (const m of expr.matchAll(TRAVERSAL)) {
      const ref = parseTraversal(m[1]);
      if (ref) out.push(ref);
    }
  }
  return out;
}

/** The text of each top-level `${...}` in a string (nested braces and strings respected). */
export function interpolations(value: string): string[] {
  const out: string[] = [];
  let i = 0;
  while ((i = value.indexOf("${", i)) >= 0) {
    if (i > 0 && value[i - 1] === "$") {
      i += 2; // `$${` is an escaped literal
      continue;
    }
    const end = matchingBrace(value, i + 1);
    if (end < 0) break;
    out.push(value.slice(i + 2, end));
    i = end + 1;
  }
  return out;
}

/** Whether the whole string is one interpolation: `${...}`. */
export function wholeInterpolation(value: string): string | undefined {
  const v = value.trim();
  if (!v.startsWith("${")) return undefined;
  const end = matchingBrace(v, 1);
  return end === v.length - 1 ? v.slice(2, end) : undefined;
}

function matchingBrace(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i = skipString(s, i);
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}") {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function skipString(s: string, quote: number): number {
  for (let i = quote + 1; i < s.length; i++) {
    if (s[i] === "\\") i++;
    else if (s[i] === '"') return i;
    else if (s[i] === "$" && s[i + 1] === "{") {
      const end = matchingBrace(s, i + 1);
      if (end < 0) return s.length;
      i = end;
    }
  }
  return s.length;
}

export function parseTraversal(text: string): Reference | undefined {
  const parts = text.replace(/\[[^\]]*\]/g, "").split(".");
  const data = parts[0] === "data";
  const [type, name, ...rest] = data ? parts.slice(1) : parts;
  if (!type || !name || NON_BLOCK_ROOTS.has(type) || !/^[a-z][a-z0-9]*_[a-z0-9_]+$/.test(type)) return undefined;
  return { mode: data ? "data" : "managed", type, name, attr: rest.join(".") };
}

// ---------------------------------------------------------------------------------------------
// The literal subset of HCL expressions

type Value = string | number | boolean | null | Value[] | { [k: string]: Value } | Unresolved;

/**
 * The value a `jsonencode(...)` interpolation encodes, or undefined when `value` is not one.
 * Returns an `Unresolved` when the argument is not a literal.
 */
export function jsonencodeArgument(value: string): Value | undefined {
  const inner = wholeInterpolation(value);
  if (inner === undefined) return undefined;
  const m = /^\s*jsonencode\s*\(/.exec(inner);
  if (!m) return undefined;
  const p = new Parser(inner, m[0].length);
  try {
    const v = p.value();
    p.ws();
    if (inner[p.pos] !== ")" || inner.slice(p.pos + 1).trim() !== "") return new Unresolved(inner);
    return v;
  } catch {
    return new Unresolved(inner);
  }
}

/** Parses one HCL literal expression (exported for tests). */
export function parseHclLiteral(text: string): Value {
  const p = new Parser(text, 0);
  const v = p.value();
  p.ws();
  if (p.pos !== text.length) throw new Error(`unexpected ${JSON.stringify(text.slice(p.pos, p.pos + 20))} at ${p.pos}`);
  return v;
}

class NotLiteral extends Error {}

class Parser {
  constructor(
    private readonly s: string,
    public pos: number,
  ) {}

  ws(): void {
    for (;;) {
      const c = this.s[this.pos];
      if (c === " " || c === "\t" || c === "\n" || c === "\r") this.pos++;
      else if (c === "#" || (c === "/" && this.s[this.pos + 1] === "/")) {
        while (this.pos < this.s.length && this.s[this.pos] !== "\n") this.pos++;
      } else if (c === "/" && this.s[this.pos + 1] === "*") {
        const end = this.s.indexOf("*/", this.pos + 2);
        this.pos = end < 0 ? this.s.length : end + 2;
      } else return;
    }
  }

  value(): Value {
    this.ws();
    const c = this.s[this.pos];
    if (c === "{") return this.object();
    if (c === "[") return this.tuple();
    if (c === '"') return this.string();
    if (c === "-" || (c >= "0" && c <= "9")) return this.number();
    const word = /^[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_*-]+|\[[^\]]*\])*/.exec(this.s.slice(this.pos));
    if (!word) throw new NotLiteral(`unexpected ${JSON.stringify(c)}`);
    this.pos += word[0].length;
    if (word[0] === "true") return true;
    if (word[0] === "false") return false;
    if (word[0] === "null") return null;
    this.ws();
    if (this.s[this.pos] === "(") throw new NotLiteral(`function call ${word[0]}(...)`);
    // a bare reference keeps its meaning as the interpolation Terraform would write
    return "${" + word[0] + "}";
  }

  object(): { [k: string]: Value } {
    const out: { [k: string]: Value } = {};
    this.pos++; // {
    for (;;) {
      this.ws();
      if (this.s[this.pos] === "}") {
        this.pos++;
        return out;
      }
      let key: string;
      if (this.s[this.pos] === '"') key = this.string();
      else {
        const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(this.s.slice(this.pos));
        if (!m) throw new NotLiteral("object key");
        key = m[0];
        this.pos += key.length;
      }
      this.ws();
      const sep = this.s[this.pos];
      if (sep !== "=" && sep !== ":") throw new NotLiteral(`expected = after ${key}`);
      this.pos++;
      out[key] = this.value();
      this.ws();
      if (this.s[this.pos] === ",") this.pos++;
    }
  }

  tuple(): Value[] {
    const out: Value[] = [];
    this.pos++; // [
    for (;;) {
      this.ws();
      if (this.s[this.pos] === "]") {
        this.pos++;
        return out;
      }
      out.push(this.value());
      this.ws();
      if (this.s[this.pos] === ",") this.pos++;
      else if (this.s[this.pos] !== "]") throw new NotLiteral("expected , or ]");
    }
  }

  string(): string {
    const end = skipString(this.s, this.pos);
    if (end >= this.s.length) throw new NotLiteral("unterminated string");
    const raw = this.s.slice(this.pos + 1, end);
    this.pos = end + 1;
    // HCL escapes are JSON's plus \uNNNN; templates (${...}) stay as written.
    return raw.replace(/\\(u[0-9a-fA-F]{4}|["\\nrt])/g, (_, e: string) =>
      e[0] === "u" ? String.fromCharCode(parseInt(e.slice(1), 16)) : ({ '"': '"', "\\": "\\", n: "\n", r: "\r", t: "\t" } as Record<string, string>)[e],
    );
  }

  number(): number {
    const m = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.pos));
    if (!m) throw new NotLiteral("number");
    this.pos += m[0].length;
    return Number(m[0]);
  }
}
