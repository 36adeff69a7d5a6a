/**
 * `npm run check:cdktn`: proves that the community fork of CDKTF (CDK Terrain, `cdktn`)
 * synthesizes exactly the Terraform this project synthesizes today.
 *
 * It copies the project (the files git tracks or would track) to a temporary directory, points
 * `cdktf` at the fork through an npm alias (`"cdktf": "npm:cdktn@<version>"`, constructs 10.6, and
 * an `overrides` entry so that @cdktf/provider-aws and cdktf-cli take the same library), installs
 * it, synthesizes every stack of every environment there and here with the same inputs, and
 * compares the output file by file, apart from the version metadata cdktf writes into it. A
 * file whose JSON differs is a failure (exit 1), named with the first JSON path that differs;
 * a file with the same JSON written with other whitespace is listed, and fails only with
 * --bytes (cdktn 0.24 writes an empty object as `{}` where cdktf 0.21 writes `{` newline `}`).
 * Exit 2 when it could not run (install failed, ...).
 *
 *   npm run check:cdktn                       # cdktn 0.24.0, constructs 10.6.0
 *   CDKTN_VERSION=0.24.1 npm run check:cdktn  # another fork release
 *   npm run check:cdktn -- --bytes            # whitespace counts too
 *   npm run check:cdktn -- --keep             # leave the temporary copy for a look
 *
 * Not part of `npm test`: it needs a second `npm install` (about a minute from the npm cache).
 */
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..");
const CDKTN_VERSION = process.env.CDKTN_VERSION ?? "0.24.0";
const CONSTRUCTS_VERSION = process.env.CONSTRUCTS_VERSION ?? "10.6.0";
/** The same inputs on both sides: a fixed emulator address and the test bundle (synth only reads its hash). */
const SYNTH_ENV = {
  SANDBOX_ENDPOINT: "http://127.0.0.1:4566",
  SCHEDULER_BUNDLE: path.join(ROOT, "test", "fixtures", "scheduler.zip"),
  CHECKPOINT_DISABLE: "1",
};

export class CheckError extends Error {}

const say = (line: string) => process.stdout.write(`${line}\n`);

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): SpawnSyncReturns<string> {
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.error || r.status !== 0) {
    const tail = `${r.stderr ?? ""}${r.stdout ?? ""}`.trim().split("\n").slice(-15).join("\n");
    throw new CheckError(`${cmd} ${args.join(" ")} failed in ${cwd} (${r.error?.message ?? `exit ${r.status}`}):\n${tail}`);
  }
  return r;
}

/** The project as git sees it (tracked, plus new files not ignored): no node_modules, dist or cdktf.out. */
export function copyProject(to: string): number {
  const files = run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], ROOT).stdout.split("\0").filter(Boolean);
  let n = 0;
  for (const rel of files) {
    const from = path.join(ROOT, rel);
    if (!fs.existsSync(from)) continue; // deleted in the working tree
    fs.mkdirSync(path.dirname(path.join(to, rel)), { recursive: true });
    fs.copyFileSync(from, path.join(to, rel));
    n++;
  }
  return n;
}

/** package.json moved to the fork: the only hand edit (npm writes package-lock.json). */
export function forkPackageJson(pkg: Record<string, any>, cdktnVersion = CDKTN_VERSION, constructsVersion = CONSTRUCTS_VERSION): Record<string, any> {
  const deps = { ...pkg.dependencies };
  if (!deps.cdktf || !deps.constructs) throw new CheckError("package.json has no cdktf or constructs dependency to move");
  deps.cdktf = `npm:cdktn@${cdktnVersion}`;
  deps.constructs = constructsVersion;
  // provider-aws (peer cdktf ^0.21) and cdktf-cli (cdktf 0.21.0 exactly) take the root's choice
  return { ...pkg, dependencies: deps, overrides: { ...pkg.overrides, cdktf: "$cdktf", constructs: "$constructs" } };
}

/** Every file cdktf writes, with the library's version blanked (the only expected difference). */
export function readSynthOutput(outdir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(outdir, p), fs.readFileSync(p, "latin1"));
    }
  };
  walk(outdir);
  for (const [rel, text] of out) {
    if (rel.endsWith(".json")) out.set(rel, blankVersions(text));
  }
  return out;
}

/** cdktf's own version in the stacks' "//" metadata and in manifest.json. */
export function blankVersions(json: string): string {
  return json.replace(/("version": )"\d+\.\d+\.\d+[^"]*"/g, '$1"<version>"');
}

export interface Difference {
  readonly file: string;
  /** content: the JSON (or file) says something else; layout: the same JSON value written with other whitespace. */
  readonly kind: "content" | "layout";
  readonly detail: string;
}

/** The first place two JSON values differ, as a path: `resource.aws_s3_bucket.Data.tags`. */
export function firstJsonDifference(a: unknown, b: unknown, at = ""): string | undefined {
  if (JSON.stringify(a) === JSON.stringify(b)) return undefined;
  if (a && b && typeof a === "object" && typeof b === "object" && Array.isArray(a) === Array.isArray(b)) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    for (const k of [...new Set([...ka, ...kb])]) {
      const d = firstJsonDifference((a as any)[k], (b as any)[k], at ? `${at}.${k}` : k);
      if (d) return d;
    }
    return `${at || "(top)"}: keys in another order (today ${ka.join(",")}; fork ${kb.join(",")})`;
  }
  const show = (v: unknown) => (v === undefined ? "(absent)" : JSON.stringify(v)?.slice(0, 200));
  return `${at || "(top)"}: today ${show(a)}, fork ${show(b)}`;
}

export function compareOutputs(today: Map<string, string>, fork: Map<string, string>): Difference[] {
  const diffs: Difference[] = [];
  for (const file of [...new Set([...today.keys(), ...fork.keys()])].sort()) {
    const a = today.get(file);
    const b = fork.get(file);
    if (a === b) continue;
    if (a === undefined) diffs.push({ file, kind: "content", detail: "only in the fork's output" });
    else if (b === undefined) diffs.push({ file, kind: "content", detail: "missing from the fork's output" });
    else if (file.endsWith(".json")) {
      const where = firstJsonDifference(JSON.parse(a), JSON.parse(b));
      diffs.push(where ? { file, kind: "content", detail: where } : { file, kind: "layout", detail: "same JSON value, other whitespace" });
    } else diffs.push({ file, kind: "content", detail: `the bytes differ (${a.length} and ${b.length} bytes)` });
  }
  return diffs;
}

function synth(projectDir: string, outdir: string): void {
  fs.rmSync(outdir, { recursive: true, force: true });
  run(process.execPath, [path.join(projectDir, "tools", "run-ts.js"), path.join(projectDir, "main.ts")], projectDir, {
    ...process.env,
    ...SYNTH_ENV,
    PLATFORM_ENVS: "dev,staging,prod,sandbox",
    CDKTF_OUTDIR: outdir,
  });
}

async function main(): Promise<number> {
  const keep = process.argv.includes("--keep");
  const strictBytes = process.argv.includes("--bytes");
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "rf-cdktn-"));
  const copy = path.join(work, "project");
  try {
    say(`check:cdktn: cdktf -> npm:cdktn@${CDKTN_VERSION}, constructs ${CONSTRUCTS_VERSION}, in ${copy}`);
    say(`  [1/4] copied ${copyProject(copy)} files`);
    const pkgFile = path.join(copy, "package.json");
    fs.writeFileSync(pkgFile, JSON.stringify(forkPackageJson(JSON.parse(fs.readFileSync(pkgFile, "utf8"))), null, 2) + "\n");
    const t0 = Date.now();
    say("  [2/4] npm install (the fork, from the npm registry or its cache) ...");
    run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--ignore-scripts"], copy);
    const lib = JSON.parse(fs.readFileSync(path.join(copy, "node_modules", "cdktf", "package.json"), "utf8"));
    const cons = JSON.parse(fs.readFileSync(path.join(copy, "node_modules", "constructs", "package.json"), "utf8"));
    const cliLib = path.join(copy, "node_modules", "cdktf-cli", "node_modules", "cdktf", "package.json");
    say(`        installed in ${((Date.now() - t0) / 1000).toFixed(0)} s: node_modules/cdktf is ${lib.name}@${lib.version}, constructs ${cons.version}` +
      `${fs.existsSync(cliLib) ? `; cdktf-cli keeps its own ${JSON.parse(fs.readFileSync(cliLib, "utf8")).name}` : "; cdktf-cli uses the same library"}`);
    if (lib.name !== "cdktn") throw new CheckError(`node_modules/cdktf is ${lib.name}@${lib.version}, not the fork: the alias did not take`);

    say("  [3/4] synthesizing every stack with today's library and with the fork's ...");
    const todayOut = path.join(work, "today.out");
    const forkOut = path.join(work, "fork.out");
    synth(ROOT, todayOut);
    synth(copy, forkOut);

    const today = readSynthOutput(todayOut);
    const fork = readSynthOutput(forkOut);
    const stacks = [...today.keys()].filter((f) => f.endsWith("cdk.tf.json")).length;
    const diffs = compareOutputs(today, fork);
    const content = diffs.filter((d) => d.kind === "content");
    const layout = diffs.filter((d) => d.kind === "layout");
    say(`  [4/4] compared ${today.size} files (${stacks} stacks), version metadata aside: ${content.length} with other content, ${layout.length} with other whitespace only`);
    for (const d of diffs) say(`    ${d.kind === "content" ? "DIFFERS" : "layout "} ${d.file}: ${d.detail}`);
    if (content.length || (strictBytes && layout.length)) {
      say(`check:cdktn: FAILED: the fork's output is not the same${content.length ? "" : " byte for byte (--bytes)"}`);
      return 1;
    }
    say(`check:cdktn: the fork synthesizes the same Terraform JSON${layout.length ? " (byte for byte apart from the whitespace of empty {} and [] noted above)" : ", byte for byte"}`);
    return 0;
  } finally {
    if (keep) say(`  kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`check:cdktn: could not run: ${(err as Error).message}\n`);
      process.exit(2);
    },
  );
}
