#!/usr/bin/env node
/**
 * Runs a TypeScript entry (the cdktf app) with plain node: esbuild bundles the project's own
 * code into .gen/ (dependencies stay in node_modules), then node runs it. No type-check here
 * (`npm run typecheck` is the gate) and no source-map hook: cdktf captures a stack trace for
 * every token, and mapping those through source maps dominated synth time.
 *
 * The bundle is reused while the files it was built from hash the same (kept beside it in
 * <out>.inputs.json): checking a few dozen files takes milliseconds, starting esbuild ~70 ms.
 *
 *   node tools/run-ts.js main.ts [args...]
 */
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const entry = path.resolve(process.argv[2] || "main.ts");
const outfile = path.join(root, ".gen", path.relative(root, entry).replace(/\.ts$/, ".js"));
const manifestFile = `${outfile}.inputs.json`;
// What else decides the output: this runner's options and the compiler settings esbuild reads.
const RUNNER_INPUTS = ["tools/run-ts.js", "tsconfig.json"];

const hash = (rel) => {
  try {
    return crypto.createHash("sha256").update(fs.readFileSync(path.join(root, rel))).digest("hex");
  } catch {
    return "missing";
  }
};

function upToDate() {
  try {
    const m = JSON.parse(fs.readFileSync(manifestFile, "utf8"));
    return fs.existsSync(outfile) && Object.entries(m.inputs).every(([rel, h]) => hash(rel) === h);
  } catch {
    return false;
  }
}

function writeAtomic(file, data) {
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, data);
  fs.renameSync(tmp, file);
}

if (!upToDate()) {
  const esbuild = require("esbuild");
  const result = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    packages: "external",
    logLevel: "error",
    metafile: true,
    write: false,
  });
  const inputs = {};
  for (const rel of [...Object.keys(result.metafile.inputs), ...RUNNER_INPUTS].sort()) inputs[rel] = hash(rel);
  fs.mkdirSync(path.dirname(outfile), { recursive: true });
  // the bundle first, its manifest last: a run killed in between rebuilds next time
  writeAtomic(outfile, result.outputFiles[0].contents);
  writeAtomic(manifestFile, JSON.stringify({ esbuild: esbuild.version, inputs }, null, 2) + "\n");
}
process.argv.splice(1, 2, outfile);
require(outfile);
