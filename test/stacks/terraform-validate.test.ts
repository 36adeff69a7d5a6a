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
import { App } from "cdktf";
import { buildApp } from "../../app";
import { loadEnvironment } from "../../config";
import { ComputeStack } from "../../stacks/compute";
import type { EnvironmentConfig } from "../../config/types";
import { assertTerraform, ensureMirrorEnv, terraformEnv } from "../../tools/terraform-cli";

const run = promisify(execFile);
const BUNDLE = path.join(__dirname, "..", "fixtures", "scheduler.zip");
let outdir: string;
let stacks: string[];
let variantsOut: string;

/** dev's compute stack with each other egress (dev itself is nat-instance, staging nat-gateway x1, prod x2). */
const EGRESS_VARIANTS: Record<string, (c: EnvironmentConfig) => EnvironmentConfig> = {
  "dev-compute-egress-none": (c) => ({ ...c, network: { ...c.network, egress: { mode: "none" } }, eks: { ...c.eks, nodeSubnets: "public" } }),
  "dev-compute-egress-nat-gateway": (c) => ({ ...c, network: { ...c.network, egress: { mode: "nat-gateway", count: 1 } } }),
  "dev-compute-egress-nat-instance-on-demand": (c) => ({ ...c, network: { ...c.network, egress: { mode: "nat-instance", instanceType: "t4g.micro", spot: false } } }),
};

jest.setTimeout(240_000);

beforeAll(() => {
  assertTerraform();
  ensureMirrorEnv();
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), "rf-validate-"));
  buildApp({ outdir, schedulerBundle: BUNDLE, emulatorEndpoint: "http://127.0.0.1:4566" }).synth();
  stacks = fs.readdirSync(path.join(outdir, "stacks")).sort();
  // the egress variants, each a compute stack of its own (validations, policy rules included, on)
  variantsOut = fs.mkdtempSync(path.join(os.tmpdir(), "rf-validate-egress-"));
  for (const [name, vary] of Object.entries(EGRESS_VARIANTS)) {
    const app = new App({ outdir: path.join(variantsOut, name) });
    new ComputeStack(app, { config: vary(loadEnvironment("dev")) });
    app.synth();
  }
});

afterAll(() => {
  if (outdir) fs.rmSync(outdir, { recursive: true, force: true });
  if (variantsOut) fs.rmSync(variantsOut, { recursive: true, force: true });
});

async function validate(stack: string, cwd = path.join(outdir, "stacks", stack)): Promise<{ stack: string; valid: boolean; diagnostics: string }> {
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

test("every egress variant of the compute stack (none with public nodes, one NAT gateway, an on-demand NAT instance) is valid Terraform", async () => {
  const results = [];
  for (const name of Object.keys(EGRESS_VARIANTS)) results.push(await validate(name, path.join(variantsOut, name, "stacks", "dev-compute")));
  expect(results.filter((r) => !r.valid).map((r) => `${r.stack}: ${r.diagnostics}`)).toEqual([]);
  expect(results).toHaveLength(3);
});
