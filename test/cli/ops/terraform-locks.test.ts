/**
 * Real cdktf and Terraform against the emulator's S3 backend (`use_lockfile`), on a stack of
 * Terraform's built-in `terraform_data` with a provisioner that takes a few seconds: no
 * provider to install, so the locks and signals are proven without deploying the platform.
 * The state sits where the sandbox's compute stack keeps it, so the ops CLI reads the lock as
 * it would read a real one.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Emulator, emulatorEnv, startEmulator } from "../../../sandbox/emulator";
import { opsContext, OpsContext } from "../../../cli/ops/context";
import { describeStateLock, readStateLock } from "../../../cli/ops/locks";
import { stackFacts } from "../../../cli/ops/stacks";
import { CdktfError, CdktfInterruptedError, runCdktf } from "../../../tools/cdktf";
import { assertTerraform } from "../../../tools/terraform-cli";
import { opsFixtures } from "./helpers";

jest.setTimeout(180_000);

let emu: Emulator;
let ctx: OpsContext;
let tmp: string;
const f = opsFixtures(() => ctx);
const STACK = "sandbox-compute";

beforeAll(async () => {
  assertTerraform();
  emu = await startEmulator();
  ctx = opsContext("sandbox", { emulatorEndpoint: emu.endpoint, log: () => undefined });
  await f.bucket(ctx.names.stateBucket, "sandbox-bootstrap");
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "rf-tf-locks-"));
});
afterAll(async () => {
  await emu?.stop();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * A synthesized cdktf output with one stack: terraform_data whose create and destroy each take
 * `sec` seconds, or (with `releaseFile`) last until that file exists (at most two minutes): a
 * lock held as long as the test needs, however slow a busy machine makes the other apply.
 */
function synth(name: string, sec: number, releaseFile?: string): string {
  const hold = releaseFile ? `i=0; while [ ! -f '${releaseFile}' ] && [ $i -lt 1200 ]; do sleep 0.1; i=$((i+1)); done` : `sleep ${sec}`;
  const out = path.join(tmp, name);
  fs.mkdirSync(path.join(out, "stacks", STACK), { recursive: true });
  fs.writeFileSync(
    path.join(out, "manifest.json"),
    JSON.stringify({
      version: "0.21.0",
      stacks: { [STACK]: { name: STACK, constructPath: STACK, annotations: [], dependencies: [], stackMetadataPath: `stacks/${STACK}/metadata.json`, synthesizedStackPath: `stacks/${STACK}/cdk.tf.json`, workingDirectory: `stacks/${STACK}` } },
    }),
  );
  fs.writeFileSync(path.join(out, "stacks", STACK, "metadata.json"), "{}");
  fs.writeFileSync(
    path.join(out, "stacks", STACK, "cdk.tf.json"),
    JSON.stringify({
      "//": { metadata: { backend: "s3", stackName: STACK, version: "0.21.0" }, outputs: {} },
      terraform: {
        backend: {
          s3: {
            bucket: ctx.names.stateBucket,
            key: ctx.names.stateKey("compute"),
            region: "us-east-1",
            access_key: "testing",
            secret_key: "testing",
            endpoints: { s3: emu.endpoint },
            use_path_style: true,
            use_lockfile: true,
            skip_credentials_validation: true,
            skip_metadata_api_check: true,
            skip_region_validation: true,
            skip_requesting_account_id: true,
          },
        },
      },
      resource: {
        terraform_data: {
          slow: {
            input: "x",
            provisioner: [{ "local-exec": { command: hold } }, { "local-exec": { when: "destroy", command: hold } }],
          },
        },
      },
    }),
  );
  return out;
}

const env = () => ({ ...process.env, ...emulatorEnv(emu.endpoint), SANDBOX_ENDPOINT: emu.endpoint });
async function until(what: string, check: () => Promise<boolean>, ms = 60_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test("two concurrent applies of one stack: the second fails on the S3 lock, and the ops CLI reads that lock's id, holder and operation", async () => {
  const release = path.join(tmp, "release-first-apply");
  const first = runCdktf("deploy", [STACK], { env: env(), outdir: synth("first", 0, release), skipSynth: true });
  await until("the first apply to take the lock", async () => !!(await readStateLock(ctx, "compute")));
  const lock = (await readStateLock(ctx, "compute"))!;
  expect(lock).toMatchObject({ stack: STACK, operation: "apply", who: expect.stringMatching(/@/), id: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  expect(describeStateLock(lock)).toMatch(/^sandbox-compute is locked: lock [0-9a-f-]{36}, apply by .+@.+ since \d{4}-.*Z \(\d+ s ago\)$/);

  const second = await runCdktf("deploy", [STACK], { env: env(), outdir: synth("second", 6), skipSynth: true })
    .then(
      () => new Error("the second apply went through"),
      (e) => e,
    )
    .finally(() => fs.writeFileSync(release, "")); // the first apply may finish now
  expect(second).toBeInstanceOf(CdktfError);
  expect((second as CdktfError).message).toMatch(/cdktf deploy sandbox-compute exited with 1: .*Error acquiring the state lock/);
  expect((second as CdktfError).tail).toContain(lock.id);

  await first;
  expect(await readStateLock(ctx, "compute")).toBeUndefined();
  expect((await stackFacts(ctx, "compute")).state).toBe("deployed");
});

test("an interrupted destroy (the ops CLI's SIGTERM, passed on once): Terraform stops, saves its state and releases the lock; the rerun destroys", async () => {
  const out = synth("destroy", 20);
  const abort = new AbortController();
  const destroying = runCdktf("destroy", [STACK], { env: env(), outdir: out, skipSynth: true, signal: abort.signal }).then(
    () => new Error("the destroy was not interrupted"),
    (e) => e,
  );
  await until("the destroy to take the lock", async () => !!(await readStateLock(ctx, "compute")));
  await new Promise((r) => setTimeout(r, 1500)); // into the destroy provisioner
  const t0 = Date.now();
  abort.abort();
  const err = await destroying;
  expect(err).toBeInstanceOf(CdktfInterruptedError);
  expect((err as CdktfInterruptedError).killed).toBe(false);
  expect(Date.now() - t0).toBeLessThan(15_000); // stopped, did not sit out the 20 s provisioner
  expect(await readStateLock(ctx, "compute")).toBeUndefined();
  expect((await stackFacts(ctx, "compute")).state).toBe("deployed"); // the state was saved: the resource is still recorded

  await runCdktf("destroy", [STACK], { env: env(), outdir: synth("rerun", 0), skipSynth: true });
  expect((await stackFacts(ctx, "compute")).state).toBe("empty");
});
