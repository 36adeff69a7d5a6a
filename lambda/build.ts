/**
 * Bundles each Lambda into one minified file, dist/lambda/<fn>/index.js, that exports the
 * handler, and its deterministic zip, dist/lambda/<fn>.zip, which the stacks reference.
 *
 *   npx tsx lambda/build.ts            # every function, always (npm run build:lambda)
 *   npx tsx lambda/build.ts scheduler  # one
 *
 * The cdktf app (main.ts) calls ensureLambdaBundle() instead: it rebuilds only when the zip is
 * missing or an input changed, judged by a content hash of the inputs esbuild read last time
 * (the project's files it bundled, package-lock.json for the dependencies, and this build's own
 * code), kept in dist/lambda/<fn>.build.json. The check reads a few dozen files; a rebuild is
 * esbuild's API in the same process, a few hundred milliseconds.
 */
import { createHash } from "crypto";
import type { Plugin } from "esbuild";
import * as fs from "fs";
import * as path from "path";
import { writeAtomic } from "../tools/write-atomic";
import { lambdaPrices } from "./scheduler/price-subset";
import { zipEntries } from "../tools/zip";

export interface LambdaFunctionSpec {
  /** Directory under lambda/ (and under dist/lambda/). */
  readonly name: string;
  readonly entry: string;
}

export const FUNCTIONS: readonly LambdaFunctionSpec[] = [{ name: "scheduler", entry: "lambda/scheduler/handler.ts" }];

const ROOT = path.resolve(__dirname, "..");

export function bundlePath(name: string, root = ROOT): string {
  return path.join(root, "dist", "lambda", name, "index.js");
}

/** The deployable archive (deterministic zip of the bundle directory) the stacks reference. */
export function bundleZipPath(name: string, root = ROOT): string {
  return path.join(root, "dist", "lambda", `${name}.zip`);
}

/** What the last build read, with each file's sha256: the cache key of the zip beside it. */
export function buildManifestPath(name: string, root = ROOT): string {
  return path.join(root, "dist", "lambda", `${name}.build.json`);
}

/**
 * Inputs that esbuild does not list but that change the output: the dependency versions
 * (node_modules is hashed through the lockfile, not file by file) and this build's options.
 */
const BUILD_INPUTS = ["package-lock.json", "lambda/build.ts", "lambda/scheduler/price-subset.ts", "tools/zip.ts", "tools/write-atomic.ts"];

interface BuildManifest {
  readonly version: 1;
  readonly esbuild: string;
  /** Path relative to the repository root -> sha256 of its content. */
  readonly inputs: Readonly<Record<string, string>>;
}

/** Price tables go into a bundle cut down to what the functions read (lambda/scheduler/price-subset.ts). */
const priceSubset: Plugin = {
  name: "price-subset",
  setup(b) {
    b.onLoad({ filter: /[\\/]cost[\\/]prices[\\/][a-z0-9-]+\.json$/ }, (args) => ({
      contents: JSON.stringify(lambdaPrices(JSON.parse(fs.readFileSync(args.path, "utf8")))),
      loader: "json",
    }));
  },
};

/**
 * The SDK clients import their whole package.json for one field, the version in the user agent
 * (`packageInfo.version` in runtimeConfig.js): about 2 KB of dependency lists per client in the
 * bundle. The bundle keeps the name and version only.
 */
const packageVersionOnly: Plugin = {
  name: "package-version-only",
  setup(b) {
    b.onLoad({ filter: /[\\/]node_modules[\\/]@aws-sdk[\\/]client-[a-z0-9-]+[\\/]package\.json$/ }, (args) => {
      const { name, version } = JSON.parse(fs.readFileSync(args.path, "utf8")) as { name: string; version: string };
      return { contents: JSON.stringify({ name, version }), loader: "json" };
    });
  },
};

/**
 * Lambda gets its credentials in environment variables; the SDK's full provider chain (and the
 * STS/SSO clients inside it) is replaced by lambda/shared/lambda-credentials.ts in the bundle.
 */
const envCredentialsOnly = (root: string): Plugin => ({
  name: "env-credentials-only",
  setup(b) {
    b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: path.join(root, "lambda", "shared", "lambda-credentials.ts"),
    }));
  },
});

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

function hashFile(root: string, rel: string): string | undefined {
  try {
    return sha256(fs.readFileSync(path.join(root, rel)));
  } catch {
    return undefined; // deleted or renamed: the bundle is stale
  }
}

export interface BuildResult {
  readonly name: string;
  readonly outfile: string;
  readonly zipFile: string;
  readonly bytes: number;
  readonly zipBytes: number;
  readonly ms: number;
}

/** Builds `fn` below `root` (the repository; tests pass a copy). */
export async function buildLambda(fn: LambdaFunctionSpec, root = ROOT): Promise<BuildResult> {
  const started = Date.now();
  const esbuild = await import("esbuild");
  const outfile = bundlePath(fn.name, root);
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [path.join(root, fn.entry)],
    outfile,
    bundle: true,
    minify: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    mainFields: ["module", "main"],
    legalComments: "none",
    logLevel: "warning",
    metafile: true,
    write: false,
    // Nothing external: the bundle pins the project's one SDK version, not the runtime's.
    plugins: [envCredentialsOnly(root), priceSubset, packageVersionOnly],
  });
  const code = Buffer.from(result.outputFiles[0].contents);
  const zip = zipEntries([{ name: "index.js", data: code }]);
  const inputs: Record<string, string> = {};
  const projectFiles = Object.keys(result.metafile.inputs).filter((p) => !p.startsWith("node_modules/"));
  for (const rel of [...projectFiles, ...BUILD_INPUTS].sort()) inputs[rel] = hashFile(root, rel) ?? "missing";
  const manifest: BuildManifest = { version: 1, esbuild: esbuild.version, inputs };
  // The zip first and the manifest last: killed in between, the old manifest no longer matches and the next synth rebuilds.
  writeAtomic(outfile, code, { createDir: true });
  writeAtomic(bundleZipPath(fn.name, root), zip, { createDir: true });
  writeAtomic(buildManifestPath(fn.name, root), JSON.stringify(manifest, null, 2) + "\n", { createDir: true });
  return { name: fn.name, outfile, zipFile: bundleZipPath(fn.name, root), bytes: code.length, zipBytes: zip.length, ms: Date.now() - started };
}

/** Why the zip cannot be reused, or undefined when every input hashes as it did at the last build. */
export function staleReason(name: string, root = ROOT): string | undefined {
  if (!fs.existsSync(bundleZipPath(name, root))) return `${path.relative(root, bundleZipPath(name, root))} is missing`;
  let manifest: BuildManifest;
  try {
    manifest = JSON.parse(fs.readFileSync(buildManifestPath(name, root), "utf8")) as BuildManifest;
  } catch {
    return `${path.relative(root, buildManifestPath(name, root))} is missing or unreadable`;
  }
  if (manifest.version !== 1 || typeof manifest.inputs !== "object" || manifest.inputs === null) return "the build manifest is of another version";
  const changed = Object.entries(manifest.inputs)
    .filter(([rel, hash]) => hashFile(root, rel) !== hash)
    .map(([rel]) => rel);
  if (changed.length === 0) return undefined;
  return changed.length === 1 ? `${changed[0]} changed` : `${changed.length} inputs changed (${changed.slice(0, 3).join(", ")}${changed.length > 3 ? ", ..." : ""})`;
}

/**
 * The function's zip, built first when it is missing or stale (one line through `log` then).
 * What the cdktf app calls before synth, so `npx cdktf synth|diff|deploy` need no build step.
 */
export async function ensureLambdaBundle(name: string, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`), root = ROOT): Promise<string> {
  const fn = FUNCTIONS.find((f) => f.name === name);
  if (!fn) throw new Error(`unknown function '${name}'; known: ${FUNCTIONS.map((f) => f.name).join(", ")}`);
  const reason = staleReason(name, root);
  if (reason === undefined) return bundleZipPath(name, root);
  let r: BuildResult;
  try {
    r = await buildLambda(fn, root);
  } catch (err) {
    throw new Error(`building the ${name} bundle (${reason}) failed: ${(err as Error).message}`);
  }
  log(`${name} bundle rebuilt (${reason}): ${path.relative(root, r.zipFile)}, ${(r.zipBytes / 1024).toFixed(1)} KB, in ${r.ms} ms`);
  return r.zipFile;
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !FUNCTIONS.some((f) => f.name === w));
  if (unknown.length) throw new Error(`unknown function(s) ${unknown.join(", ")}; known: ${FUNCTIONS.map((f) => f.name).join(", ")}`);
  for (const fn of FUNCTIONS.filter((f) => wanted.length === 0 || wanted.includes(f.name))) {
    const r = await buildLambda(fn);
    console.log(
      `${r.name.padEnd(12)} ${(r.bytes / 1024).toFixed(1).padStart(8)} KB  ${path.relative(ROOT, r.outfile)}; ${(r.zipBytes / 1024).toFixed(1)} KB zipped ${path.relative(ROOT, r.zipFile)}`,
    );
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`build:lambda failed: ${(err as Error).message}`);
    process.exit(1);
  });
}
