/**
 * End to end in the sandbox, with the real cdktf CLI and Terraform against the emulator: deploy
 * every sandbox stack once, put data in, `ops teardown sandbox --yes` (backup, pause, clean-up,
 * destroy ops then compute, verify), check only data/bootstrap remain, lose some data,
 * `ops restore sandbox`, verify again and check the data against the backup manifest.
 *
 * Needs terraform >= 1.10 and hashicorp/aws 5.100.0 from the registry or TF_PROVIDER_MIRROR
 * (found on disk by tools/terraform-cli.ts when the registry is unreachable). Takes minutes.
 */
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { DescribeClusterCommand } from "@aws-sdk/client-eks";
import { Emulator, startEmulator } from "../../sandbox/emulator";
import { main } from "../../cli/ops";
import { opsContext, OpsContext } from "../../cli/ops/context";
import { runCdktf, stackState } from "../../cli/ops/stacks";
import { currentFacts, loadManifest } from "../../cli/ops/backup";
import { verifyEnvironment } from "../../cli/ops/verify";
import { diffManifest } from "../../cli/ops/plan";

jest.setTimeout(30 * 60_000);


let emu: Emulator;
let ctx: OpsContext;
const lines: string[] = [];
const log = (l: string) => {
  lines.push(l);
  if (process.env.OPS_E2E_VERBOSE) process.stdout.write(`${l}\n`);
};
const timings: Record<string, number> = {};
async function timed<T>(name: string, f: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  try {
    return await f();
  } finally {
    timings[name] = Date.now() - t0;
  }
}

async function cli(argv: string[]) {
  const err = jest.spyOn(process.stderr, "write");
  try {
    const code = await main(argv, { emulatorEndpoint: emu.endpoint, log, isTty: false });
    return { code, stderr: err.mock.calls.map((c) => String(c[0])).join("") };
  } finally {
    err.mockRestore();
  }
}

beforeAll(async () => {
  // OPS_E2E_ENDPOINT: an emulator started by hand (to read its log when something fails)
  const external = process.env.OPS_E2E_ENDPOINT;
  emu = external ? { endpoint: external, port: Number(new URL(external).port), patches: [], stop: async () => undefined } : await startEmulator({ startTimeoutMs: 60_000 });
  ctx = opsContext("sandbox", { emulatorEndpoint: emu.endpoint, log });
});
afterAll(async () => {
  await emu?.stop();
  process.stdout.write(`ops e2e timings (s): ${Object.entries(timings).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(", ")}\n`);
});

const put = (bucket: string, key: string, body: string) => ctx.clients.s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
const read = async (bucket: string, key: string) => (await ctx.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();

test("deploy, teardown compute+ops, verify, restore, verify, data matches the manifest", async () => {
  // GIVEN the whole sandbox deployed with the real cdktf CLI
  await timed("deploy bootstrap + data", async () => {
    for (const stack of ["sandbox-bootstrap", "sandbox-data"]) await runCdktf("deploy", stack, ctx);
  });
  await put(ctx.names.dataBucket, "silver/sales/2026-11.parquet", "sales-november");
  await put(ctx.names.dataBucket, "artifacts/features.json", '{"lags":[1,7,28]}');
  await put(ctx.names.modelsBucket, ctx.cfg.sagemaker.modelDataKey, "model-bytes");
  await timed("deploy compute + ops", async () => {
    for (const stack of ["sandbox-compute", "sandbox-ops"]) await runCdktf("deploy", stack, ctx);
  });
  expect(await stackState(ctx, "compute")).toBe("deployed");
  expect(await stackState(ctx, "ops")).toBe("deployed");

  // WHEN the dry run: nothing changes
  const dry = await timed("teardown dry run", () => cli(["teardown", "sandbox"]));
  expect(dry.code).toBe(0);
  expect(await stackState(ctx, "compute")).toBe("deployed");

  // WHEN the teardown for real
  lines.length = 0;
  const down = await timed("teardown --yes", () => cli(["teardown", "sandbox", "--yes"]));
  const downLog = lines.join("\n");
  expect({ code: down.code, stderr: down.stderr, tail: down.code ? downLog.slice(-3000) : "" }).toEqual({ code: 0, stderr: "", tail: "" });
  expect(downLog).toMatch(/destroy sandbox-ops\s+done/);
  expect(downLog).toMatch(/destroy sandbox-compute\s+done/);
  expect(await stackState(ctx, "compute")).toBe("empty");
  expect(await stackState(ctx, "ops")).toBe("empty");
  await expect(ctx.clients.eks.send(new DescribeClusterCommand({ name: ctx.names.cluster }))).rejects.toThrow();
  const after = await timed("verify after teardown", () => verifyEnvironment(ctx, ["sandbox-bootstrap", "sandbox-data"]));
  expect(after.rows.filter((r) => !r.expected)).toEqual([]);
  expect(after.rows.some((r) => r.stack === "sandbox-data")).toBe(true);
  const backupId = /backup (\S+Z)/.exec(downLog.split("\n").reverse().find((l) => /^teardown sandbox: complete/.test(l)) ?? "")?.[1];
  expect(backupId).toBeDefined();

  // a rerun is safe and quick: nothing left to destroy
  const again = await timed("teardown rerun", () => cli(["teardown", "sandbox", "--yes"]));
  expect(again.code).toBe(0);

  // WHEN data is lost and the environment restored
  await ctx.clients.s3.send(new DeleteObjectCommand({ Bucket: ctx.names.dataBucket, Key: "silver/sales/2026-11.parquet" }));
  lines.length = 0;
  const up = await timed("restore", () => cli(["restore", "sandbox", "--backup", backupId!]));
  expect({ code: up.code, stderr: up.stderr, tail: up.code ? lines.join("\n").slice(-3000) : "" }).toEqual({ code: 0, stderr: "", tail: "" });

  // THEN compute and ops are back, data matches the manifest, training resumed
  expect(await stackState(ctx, "compute")).toBe("deployed");
  expect(await stackState(ctx, "ops")).toBe("deployed");
  expect((await ctx.clients.eks.send(new DescribeClusterCommand({ name: ctx.names.cluster }))).cluster?.name).toBe(ctx.names.cluster);
  const manifest = await loadManifest(ctx, backupId);
  expect(diffManifest(manifest, await currentFacts(ctx, manifest))).toMatchObject({ missing: [], mismatched: [] });
  expect(await read(ctx.names.dataBucket, "silver/sales/2026-11.parquet")).toBe("sales-november");
  const restored = await timed("verify after restore", () => verifyEnvironment(ctx, ["sandbox-bootstrap", "sandbox-data", "sandbox-compute", "sandbox-ops"]));
  expect(restored.rows.filter((r) => !r.expected)).toEqual([]);
});
