/** Stack lifetimes are written once and say the same everywhere: the code, --help, README.md and cli/README.md. */
import * as fs from "fs";
import * as path from "path";
import { opsProgram } from "../../../cli/ops";
import { destroyOrder, deployOrder, STACK_LIFETIMES } from "../../../cli/ops/plan";

const REPO = path.resolve(__dirname, "..", "..", "..");
const read = (f: string) => fs.readFileSync(path.join(REPO, f), "utf8");
const row = (text: string, stack: string) => text.split("\n").find((l) => l.startsWith(`| \`${stack}\``)) ?? "";

test("the code: a teardown destroys compute, and ops / data only when asked", () => {
  expect(destroyOrder()).toEqual(["compute"]);
  expect(destroyOrder({ includeOps: true, includeData: true })).toEqual(["ops", "compute", "data"]);
  expect(deployOrder({}, { data: "deployed", ops: "deployed" })).toEqual(["compute"]);
});

test("--help of teardown states every lifetime and offers both flags", () => {
  const help = opsProgram().commands.find((c) => c.name() === "teardown")!.helpInformation().replace(/\s+/g, " ");
  for (const l of Object.values(STACK_LIFETIMES)) expect(help).toContain(l);
  expect(help).toContain("--include-ops");
  expect(help).toContain("--include-data");
});

test("README.md's stack table and teardown section say the same", () => {
  const readme = read("README.md");
  expect(row(readme, "<env>-compute")).toContain("ephemeral (every teardown destroys it, restore deploys it)");
  expect(row(readme, "<env>-ops")).toContain("persistent (a teardown destroys it only with `--include-ops`)");
  expect(row(readme, "<env>-data")).toContain("persistent (a teardown destroys it only with `--include-data`");
  expect(readme).toContain("What a teardown destroys (the lifetimes of \"What gets built\"): `<env>-compute` always;\n`<env>-ops` only with `--include-ops`; `<env>-data` only with `--include-data`;");
});

test("cli/README.md's lifetime table says the same", () => {
  const cli = read("cli/README.md");
  expect(row(cli, "<env>-compute")).toMatch(/\| ephemeral \| always destroyed \| always deployed \|/);
  expect(row(cli, "<env>-ops")).toMatch(/\| persistent .*\| only with `--include-ops` \|/);
  expect(row(cli, "<env>-data")).toMatch(/\| persistent .*\| only with `--include-data`, after a checked backup of every object \|/);
});
