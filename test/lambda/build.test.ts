/**
 * The app builds the scheduler bundle itself (lambda/build.ts ensureLambdaBundle): when the zip
 * is missing or an input changed, and never otherwise. Each test works on a copy of the
 * project's lambda/ sources (node_modules linked), so the repository's dist/ is not touched.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildManifestPath, bundleZipPath, ensureLambdaBundle, staleReason } from "../../lambda/build";

jest.setTimeout(60_000);

const REPO = path.resolve(__dirname, "..", "..");
let root: string;
let lines: string[];
const log = (l: string) => lines.push(l);
const ensure = () => ensureLambdaBundle("scheduler", log, root);

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "rf-build-"));
  for (const dir of ["lambda", "tools", "cost"]) fs.cpSync(path.join(REPO, dir), path.join(root, dir), { recursive: true });
  fs.copyFileSync(path.join(REPO, "package-lock.json"), path.join(root, "package-lock.json"));
  fs.symlinkSync(path.join(REPO, "node_modules"), path.join(root, "node_modules"));
  lines = [];
});

afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test("a fresh tree is built once, says so in one line, and is reused while nothing changes", async () => {
  expect(staleReason("scheduler", root)).toBe("dist/lambda/scheduler.zip is missing");
  const zip = await ensure();
  expect(zip).toBe(bundleZipPath("scheduler", root));
  expect(lines).toEqual([expect.stringMatching(/^scheduler bundle rebuilt \(dist\/lambda\/scheduler\.zip is missing\): dist\/lambda\/scheduler\.zip, [\d.]+ KB, in \d+ ms$/)]);
  const bytes = fs.readFileSync(zip);
  const mtime = fs.statSync(zip).mtimeMs;

  expect(staleReason("scheduler", root)).toBeUndefined();
  await ensure();
  expect(lines).toHaveLength(1);
  expect(fs.statSync(zip).mtimeMs).toBe(mtime);
  expect(fs.readFileSync(zip).equals(bytes)).toBe(true);
});

test("the bundle stays under 400 KB; each SDK client keeps only the name and version of its package.json (the user agent's)", async () => {
  await ensure();
  const code = fs.readFileSync(path.join(root, "dist", "lambda", "scheduler", "index.js"), "utf8");
  expect(code.length).toBeLessThanOrEqual(400 * 1024);
  const version = JSON.parse(fs.readFileSync(path.join(REPO, "node_modules", "@aws-sdk", "client-ssm", "package.json"), "utf8")).version;
  expect(code).toContain(`"@aws-sdk/client-ssm",version:"${version}"`);
  // what the whole package.json would have brought in
  expect(code).not.toMatch(/"@smithy\/types":"\^?\d/);
});

test("a changed source, a changed lockfile or a lost manifest rebuilds; the zip is the same bytes for the same code", async () => {
  const first = fs.readFileSync(await ensure());
  fs.appendFileSync(path.join(root, "lambda", "scheduler", "plan.ts"), "\n// a comment the minifier drops\n");
  expect(staleReason("scheduler", root)).toBe("lambda/scheduler/plan.ts changed");
  expect(fs.readFileSync(await ensure()).equals(first)).toBe(true); // deterministic: same code, same bytes

  fs.appendFileSync(path.join(root, "package-lock.json"), "\n");
  expect(staleReason("scheduler", root)).toBe("package-lock.json changed");
  await ensure();

  fs.writeFileSync(buildManifestPath("scheduler", root), "{ half a file");
  expect(staleReason("scheduler", root)).toMatch(/scheduler\.build\.json is missing or unreadable/);
  await ensure();
  expect(lines).toHaveLength(4);
  expect(staleReason("scheduler", root)).toBeUndefined();
});

test("a code change reaches the zip", async () => {
  const before = fs.readFileSync(await ensure());
  const plan = path.join(root, "lambda", "scheduler", "plan.ts");
  fs.writeFileSync(plan, fs.readFileSync(plan, "utf8").replace('export const AUTOSTOP_TAG = "AutoStop";', 'export const AUTOSTOP_TAG = "AutoStopV2";'));
  const after = fs.readFileSync(await ensure());
  expect(after.equals(before)).toBe(false);
});

test("fails when a source does not compile, naming why it rebuilt; the old zip is never reused for the broken source", async () => {
  await ensure();
  const core = path.join(root, "lambda", "scheduler", "core.ts");
  const good = fs.readFileSync(core, "utf8");
  fs.writeFileSync(core, `${good}\nexport const broken = ;\n`);
  await expect(ensure()).rejects.toThrow(/building the scheduler bundle \(lambda\/scheduler\/core\.ts changed\) failed: .*Unexpected ";"/s);
  // the old zip is still there, but its manifest no longer matches: never silently reused
  expect(staleReason("scheduler", root)).toBe("lambda/scheduler/core.ts changed");
  fs.writeFileSync(core, good);
  expect(staleReason("scheduler", root)).toBeUndefined();
});

test("fails on an unknown function, naming the known ones", async () => {
  await expect(ensureLambdaBundle("nope", log, root)).rejects.toThrow("unknown function 'nope'; known: scheduler");
});
