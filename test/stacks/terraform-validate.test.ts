/**
 * `terraform validate` of every synthesized stack of every environment, through the provider
 * mirror when TF_PROVIDER_MIRROR is set (offline machines), else the registry. No backend init:
 * validation needs no state and no credentials.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { promisify } from "util";
import { buildApp } from "../../app";
import { assertTerraform, ensureMirrorEnv, terraformEnv } from "../../tools/terraform-cli";

const run = promisify(execFile);
const BUNDLE = path.join(__dirname, "..", "fixtures", "scheduler.zip");
let outdir: string;
let stacks: string[];

jest.setTimeout(240_000);

beforeAll(() => {
  assertTerraform();
  ensureMirrorEnv();
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), "rf-validate-"));
  buildApp({ outdir, schedulerBundle: BUNDLE, emulatorEndpoint: "http://127.0.0.1:4566" }).synth();
  stacks = fs.readdirSync(path.join(outdir, "stacks")).sort();
});

afterAll(() => {
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
});

async function validate(stack: string): Promise<{ stack: string; valid: boolean; diagnostics: string }> {
  const cwd = path.join(outdir, "stacks", stack);
  const env = terraformEnv();
  try {
    await run("terraform", ["init", "-backend=false", "-input=false", "-no-color"], { cwd, env, maxBuffer: 1 << 24 });
  } catch (e: any) {
    return { stack, valid: false, diagnostics: `terraform init failed (set TF_PROVIDER_MIRROR on offline machines):\n${e.stderr || e.stdout}` };
  }
  const { stdout } = await run("terraform", ["validate", "-json", "-no-color"], { cwd, env, maxBuffer: 1 << 24 }).catch((e) => e);
  const result = JSON.parse(stdout);
  return { stack, valid: result.valid, diagnostics: (result.diagnostics ?? []).map((d: any) => `${d.severity}: ${d.summary} ${d.detail ?? ""}`).join("\n") };
}

test("every stack of every environment is valid Terraform", async () => {
  expect(stacks).toHaveLength(16);
  const results: Awaited<ReturnType<typeof validate>>[] = [];
  // Two at a time: provider start-up dominates and the machines have two cores.
  const queue = [...stacks];
  await Promise.all(
    [0, 1].map(async () => {
      for (let s = queue.shift(); s; s = queue.shift()) results.push(await validate(s));
    }),
  );
  const invalid = results.filter((r) => !r.valid);
  expect(invalid.map((r) => `${r.stack}: ${r.diagnostics}`)).toEqual([]);
  expect(results.map((r) => r.stack).sort()).toEqual(stacks);
});
