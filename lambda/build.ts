/**
 * Bundles each Lambda into one minified file, dist/lambda/<fn>/index.js, that exports the
 * handler. Run by `npm run build:lambda` (before synth: stacks take the bundle path).
 *
 *   npx tsx lambda/build.ts            # every function
 *   npx tsx lambda/build.ts scheduler  # one
 */
import { build, Plugin } from "esbuild";
import * as fs from "fs";
import * as path from "path";
import { zipDirectory } from "../tools/zip";

export interface LambdaFunctionSpec {
  /** Directory under lambda/ (and under dist/lambda/). */
  readonly name: string;
  readonly entry: string;
}

export const FUNCTIONS: readonly LambdaFunctionSpec[] = [{ name: "scheduler", entry: "lambda/scheduler/handler.ts" }];

const ROOT = path.resolve(__dirname, "..");

export function bundlePath(name: string): string {
  return path.join(ROOT, "dist", "lambda", name, "index.js");
}

/** The deployable archive (deterministic zip of the bundle directory) the stacks reference. */
export function bundleZipPath(name: string): string {
  return path.join(ROOT, "dist", "lambda", `${name}.zip`);
}

/**
 * Lambda gets its credentials in environment variables; the SDK's full provider chain (and the
 * STS/SSO clients inside it) is replaced by lambda/shared/lambda-credentials.ts in the bundle.
 */
const envCredentialsOnly: Plugin = {
  name: "env-credentials-only",
  setup(b) {
    b.onResolve({ filter: /^@aws-sdk\/credential-provider-node$/ }, () => ({
      path: path.join(ROOT, "lambda", "shared", "lambda-credentials.ts"),
    }));
  },
};

export async function buildLambda(fn: LambdaFunctionSpec): Promise<{ name: string; outfile: string; bytes: number; zipBytes: number }> {
  const outfile = bundlePath(fn.name);
  await build({
    entryPoints: [path.join(ROOT, fn.entry)],
    outfile,
    bundle: true,
    minify: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    mainFields: ["module", "main"],
    legalComments: "none",
    logLevel: "warning",
    // Nothing external: the bundle pins the project's one SDK version, not the runtime's.
    plugins: [envCredentialsOnly],
  });
  const zip = zipDirectory(path.dirname(outfile), bundleZipPath(fn.name));
  return { name: fn.name, outfile, bytes: fs.statSync(outfile).size, zipBytes: zip.length };
}

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !FUNCTIONS.some((f) => f.name === w));
  if (unknown.length) throw new Error(`unknown function(s) ${unknown.join(", ")}; known: ${FUNCTIONS.map((f) => f.name).join(", ")}`);
  for (const fn of FUNCTIONS.filter((f) => wanted.length === 0 || wanted.includes(f.name))) {
    const r = await buildLambda(fn);
    console.log(
      `${r.name.padEnd(12)} ${(r.bytes / 1024).toFixed(1).padStart(8)} KB  ${path.relative(ROOT, r.outfile)}; ${(r.zipBytes / 1024).toFixed(1)} KB zipped ${path.relative(ROOT, bundleZipPath(r.name))}`,
    );
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(`build:lambda failed: ${(err as Error).message}`);
    process.exit(1);
  });
}
