import * as fs from "fs";
import * as os from "os";
import * as path from "path";

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
