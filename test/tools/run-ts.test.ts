/**
 * tools/run-ts.js (how cdktf runs the app): the esbuild bundle in .gen/ is reused while its
 * inputs hash the same, and rebuilt as soon as any file it was built from changes.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "..", "..");
const dir = path.join(ROOT, ".gen", "test-entries", String(process.pid));
const entry = path.join(dir, "entry.ts");
const helper = path.join(dir, "helper.ts");
const out = path.join(ROOT, ".gen", path.relative(ROOT, entry).replace(/\.ts$/, ".js"));

const run = () => {
  const r = spawnSync(process.execPath, [path.join(ROOT, "tools", "run-ts.js"), entry, "arg1"], { cwd: ROOT, encoding: "utf8" });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
};

beforeAll(() => {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(entry, 'import { value } from "./helper";\nconsole.log(`${value} ${process.argv[2]}`);\n');
  fs.writeFileSync(helper, 'export const value: string = "one";\n');
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
});

test("builds once, reuses the bundle while nothing changed, rebuilds when an imported file changes", () => {
  expect(run()).toBe("one arg1");
  const built = fs.statSync(out).mtimeMs;
  expect(run()).toBe("one arg1");
  expect(fs.statSync(out).mtimeMs).toBe(built);

  fs.writeFileSync(helper, 'export const value: string = "two";\n');
  expect(run()).toBe("two arg1");
});

test("a lost or half-written manifest means a rebuild, never a stale bundle", () => {
  fs.writeFileSync(`${out}.inputs.json`, "{ half");
  fs.writeFileSync(helper, 'export const value: string = "three";\n');
  expect(run()).toBe("three arg1");
  expect(Object.keys(JSON.parse(fs.readFileSync(`${out}.inputs.json`, "utf8")).inputs)).toContain(path.relative(ROOT, helper));
});
