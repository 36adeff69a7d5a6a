/**
 * Loads Terraform into the model from what users have on disk:
 *   - a cdktf output directory (`cdktf.out`: every `stacks/<name>/cdk.tf.json` is a stack);
 *   - one stack's directory (`cdktf.out/stacks/dev-data`, holding `cdk.tf.json`);
 *   - any directory of Terraform JSON (`*.tf.json`) and HCL (`*.tf`): one stack named after the
 *     directory, its files merged as Terraform merges a module's files;
 *   - a single `.tf.json`, `.json` or `.tf` file.
 * HCL goes through @cdktf/hcl2json (the converter cdktf-cli already ships), which is
 * asynchronous; JSON-only input can use the synchronous `loadTerraformSync`.
 */
import * as fs from "fs";
import * as path from "path";
import { TerraformModel, TfStack } from "./model";

/** Input that is not Terraform (or not there): the scan command exits 2 on it. */
export class TerraformLoadError extends Error {
  name = "TerraformLoadError";
}

export interface LoadOptions {
  /** Keep only the stacks this accepts (by name). @default every stack */
  readonly stacks?: (name: string) => boolean;
}

const TOP_LEVEL_KEYS = ["resource", "data", "provider", "terraform", "module", "variable", "output", "locals"];

interface Source {
  readonly stack: string;
  readonly file: string;
}

/** The files to read, grouped by stack. */
function sources(target: string): Source[] {
  const abs = path.resolve(target);
  if (!fs.existsSync(abs)) throw new TerraformLoadError(`${target} does not exist`);
  if (fs.statSync(abs).isFile()) {
    const base = path.basename(abs);
    const stack = base === "cdk.tf.json" ? path.basename(path.dirname(abs)) : base.replace(/(\.tf)?\.json$|\.tf$/, "");
    return [{ stack, file: abs }];
  }
  const stacksDir = path.join(abs, "stacks");
  if (fs.existsSync(stacksDir) && fs.statSync(stacksDir).isDirectory()) {
    const found = fs
      .readdirSync(stacksDir)
      .sort()
      .map((name) => ({ stack: name, file: path.join(stacksDir, name, "cdk.tf.json") }))
      .filter((s) => fs.existsSync(s.file));
    if (found.length) return found;
  }
  if (fs.existsSync(path.join(abs, "cdk.tf.json"))) return [{ stack: path.basename(abs), file: path.join(abs, "cdk.tf.json") }];
  const files = fs
    .readdirSync(abs)
    .filter((f) => f.endsWith(".tf.json") || f.endsWith(".tf"))
    .sort()
    .map((f) => ({ stack: path.basename(abs), file: path.join(abs, f) }));
  if (!files.length) {
    throw new TerraformLoadError(
      `no Terraform in ${target}: expected a cdktf output directory (stacks/<name>/cdk.tf.json), a stack directory with cdk.tf.json, or *.tf.json / *.tf files`,
    );
  }
  return files;
}

function parseJson(file: string, text: string): Record<string, any> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new TerraformLoadError(`${file} is not JSON: ${(e as Error).message}`);
  }
  return checkShape(file, doc);
}

function checkShape(file: string, doc: unknown): Record<string, any> {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new TerraformLoadError(`${file} is not Terraform JSON: the top level is not an object`);
  const keys = Object.keys(doc).filter((k) => k !== "//");
  if (!keys.some((k) => TOP_LEVEL_KEYS.includes(k))) {
    throw new TerraformLoadError(
      `${file} is not Terraform JSON: top-level keys ${keys.length ? keys.join(", ") : "(none)"}; expected some of ${TOP_LEVEL_KEYS.join(", ")}`,
    );
  }
  return doc as Record<string, any>;
}

/** Merges a directory's documents the way Terraform merges a module's files; a block defined twice is an error. */
function merge(stack: string, parts: { file: string; doc: Record<string, any> }[]): Record<string, any> {
  if (parts.length === 1) return parts[0].doc;
  const out: Record<string, any> = {};
  const seen = new Map<string, string>();
  for (const { file, doc } of parts) {
    for (const [key, value] of Object.entries(doc)) {
      if (key === "resource" || key === "data") {
        const target = (out[key] ??= {});
        for (const [type, byName] of Object.entries<Record<string, any>>(value ?? {})) {
          target[type] ??= {};
          for (const [name, attrs] of Object.entries(byName ?? {})) {
            const addr = `${key === "data" ? "data." : ""}${type}.${name}`;
            if (seen.has(addr)) throw new TerraformLoadError(`${addr} is defined twice in ${stack}: ${seen.get(addr)} and ${file}`);
            seen.set(addr, file);
            target[type][name] = attrs;
          }
        }
      } else if (key === "provider") {
        const target = (out.provider ??= {});
        for (const [name, cfg] of Object.entries<any>(value ?? {})) target[name] = [...(Array.isArray(target[name]) ? target[name] : target[name] ? [target[name]] : []), ...(Array.isArray(cfg) ? cfg : [cfg])];
      } else if (value && typeof value === "object" && !Array.isArray(value)) {
        out[key] = { ...(out[key] ?? {}), ...value };
      } else out[key] = value;
    }
  }
  return out;
}

function build(files: Source[], read: (s: Source) => Record<string, any>, opts: LoadOptions): TerraformModel {
  const byStack = new Map<string, { file: string; doc: Record<string, any> }[]>();
  for (const s of files) {
    if (opts.stacks && !opts.stacks(s.stack)) continue;
    byStack.set(s.stack, [...(byStack.get(s.stack) ?? []), { file: s.file, doc: read(s) }]);
  }
  return new TerraformModel([...byStack].map(([name, parts]) => new TfStack(name, parts.map((p) => p.file), merge(name, parts))));
}

/** Loads JSON input synchronously; `.tf` files need `loadTerraform`. */
export function loadTerraformSync(target: string, opts: LoadOptions = {}): TerraformModel {
  return build(sources(target), (s) => {
    if (s.file.endsWith(".tf")) throw new TerraformLoadError(`${s.file} is HCL: use loadTerraform (asynchronous) to read it`);
    return parseJson(s.file, fs.readFileSync(s.file, "utf8"));
  }, opts);
}

/** Loads any supported input; HCL through @cdktf/hcl2json. */
export async function loadTerraform(target: string, opts: LoadOptions = {}): Promise<TerraformModel> {
  const files = sources(target);
  const hcl = new Map<string, Record<string, any>>();
  const tfFiles = files.filter((s) => s.file.endsWith(".tf") && (!opts.stacks || opts.stacks(s.stack)));
  if (tfFiles.length) {
    const { parse } = await import("@cdktf/hcl2json");
    for (const s of tfFiles) {
      let doc: unknown;
      try {
        doc = await parse(path.basename(s.file), fs.readFileSync(s.file, "utf8"));
      } catch (e) {
        throw new TerraformLoadError(`${s.file} is not valid HCL: ${String((e as Error).message ?? e).split("\n")[0]}`);
      }
      // an HCL file of comments or variables only is valid Terraform with nothing to model
      hcl.set(s.file, doc && typeof doc === "object" && !Object.keys(doc).length ? {} : checkShape(s.file, doc));
    }
  }
  return build(files, (s) => hcl.get(s.file) ?? parseJson(s.file, fs.readFileSync(s.file, "utf8")), opts);
}

/** A model of documents already in memory (the policy check inside synth). */
export function modelOf(docs: readonly { name: string; doc: Record<string, any>; file?: string }[]): TerraformModel {
  return new TerraformModel(docs.map((d) => new TfStack(d.name, d.file ? [d.file] : [], d.doc)));
}
