/**
 * cost/README.md's "Adding a resource type" shows a pricer file and its test: both run here,
 * from the README's own text, so the example cannot drift from the code.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const ROOT = path.join(__dirname, "..", "..");
const readme = fs.readFileSync(path.join(ROOT, "cost", "README.md"), "utf8");

/** The ```ts block whose first line is `// <file>`. */
function snippet(file: string): string {
  const m = new RegExp("```ts\\n// " + file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "\\n([\\s\\S]*?)```").exec(readme);
  if (!m) throw new Error(`cost/README.md has no \`\`\`ts block starting with // ${file}`);
  return m[1];
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-readme-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const pricerSrc = snippet("cost/pricers/ebs-volume.ts").replace(/from "\.\.\/pricer"/g, `from ${JSON.stringify(path.join(ROOT, "cost", "pricer"))}`);
fs.writeFileSync(path.join(dir, "ebs-volume.ts"), pricerSrc);
// the test snippet, as a module that registers its tests when called
const testSrc = snippet("test/cost/pricers/ebs-volume.test.ts")
  .replace(/from "\.\.\/\.\.\/\.\.\/cost\/pricers\/ebs-volume"/, 'from "./ebs-volume"')
  .replace(/from "\.\/helpers"/, `from ${JSON.stringify(path.join(__dirname, "pricers", "helpers"))}`);
const imports = testSrc.split("\n").filter((l) => l.startsWith("import "));
const body = testSrc.split("\n").filter((l) => !l.startsWith("import ")).join("\n");
fs.writeFileSync(path.join(dir, "example.ts"), `${imports.join("\n")}\nexport function register(test: jest.It): void {\n${body}\n}\n`);

describe("cost/README.md: adding a resource type", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const example: { register: (t: jest.It) => void } = require(path.join(dir, "example.ts"));
  example.register(test);
});

test("the README's example test asserts something (its tests run above)", () => {
  expect(body).toMatch(/expect\(/);
  expect(pricerSrc).toMatch(/export const \w+/);
});
