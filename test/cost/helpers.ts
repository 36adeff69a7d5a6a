import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { main } from "../../cli/cost";

export const FIXTURE_OUT = path.join(__dirname, "fixtures", "synth");
/** The fixture's usage profile: keyed by the fixture's own addresses. */
export const FIXTURE_USAGE = path.join(__dirname, "fixtures", "usage");

const made: string[] = [];

/** Removes every copy editedCopy made (call in afterAll). */
export function removeCopies(): void {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** A writable copy of the fixture synthesis, edited by `edit(stackName, json)`. */
export function editedCopy(edit: (stack: string, json: any) => void, from = FIXTURE_OUT): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cost-synth-"));
  made.push(dir);
  for (const stack of fs.readdirSync(path.join(from, "stacks"))) {
    const src = path.join(from, "stacks", stack, "cdk.tf.json");
    if (!fs.existsSync(src)) continue;
    const json = JSON.parse(fs.readFileSync(src, "utf8"));
    edit(stack, json);
    fs.mkdirSync(path.join(dir, "stacks", stack), { recursive: true });
    fs.writeFileSync(path.join(dir, "stacks", stack, "cdk.tf.json"), JSON.stringify(json));
  }
  return dir;
}

/** Runs the cost CLI in-process and captures what it prints. */
export async function runCostCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const o = jest.spyOn(process.stdout, "write").mockImplementation((s: any) => ((out += s), true));
  const e = jest.spyOn(process.stderr, "write").mockImplementation((s: any) => ((err += s), true));
  try {
    return { code: await main(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}
