#!/usr/bin/env node
/**
 * Runs a TypeScript entry (the cdktf app) with plain node: esbuild bundles the project's own
 * code into .gen/ (dependencies stay in node_modules) in tens of milliseconds, then node runs it.
 * No type-check here (`npm run typecheck` is the gate) and no source-map hook: cdktf captures a
 * stack trace for every token, and mapping those through source maps dominated synth time.
 *
 *   node tools/run-ts.js main.ts [args...]
 */
const path = require("path");
const esbuild = require("esbuild");

const root = path.resolve(__dirname, "..");
const entry = path.resolve(process.argv[2] || "main.ts");
const outfile = path.join(root, ".gen", path.relative(root, entry).replace(/\.ts$/, ".js"));
esbuild.buildSync({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  packages: "external",
  logLevel: "error",
});
process.argv.splice(1, 2, outfile);
require(outfile);
