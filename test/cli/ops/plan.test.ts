/** Pure decisions of the ops CLI: no AWS, no emulator. */
import { InvalidArgumentError } from "commander";
import { loadEnvironment } from "../../../config";
import {
  arnKind,
  backupId,
  backupIdFlag,
  ManifestExpectations,
  backoffDelayMs,
  classifyLeftovers,
  confirmDecision,
  deployOrder,
  destroyOrder,
  diffManifest,
  instanceTypeFlag,
  intFlag,
  jobName,
  keyValueFlag,
  latestBackup,
  Manifest,
  parseDuration,
  parseManifest,
  planRestore,
  spotSaving,
  stacksToDestroy,
  validateSpotTimes,
} from "../../../cli/ops/plan";
import { buildServerlessConfig, buildTrainingJobRequest, buildTuningJobRequest } from "../../../cli/ops/requests";
import { imagesBeyondRetention, isClusterOwned } from "../../../cli/ops/cleanup";
import { arnId } from "../../../cli/ops/verify";
import { formatTable } from "../../../cli/table";

const dev = loadEnvironment("dev");
const AT = new Date("2026-11-24T16:05:09.123Z");

describe("flags", () => {
  test("intFlag accepts whole numbers in range", () => {
    expect(intFlag("--n", 1, 10)("7")).toBe(7);
  });
  test.each(["abc", "1.5", "-3", "", "0", "11"])("fails when intFlag gets '%s'", (v) => {
    expect(() => intFlag("--n", 1, 10)(v)).toThrow(InvalidArgumentError);
  });
  test.each([
    ["90s", 90],
    ["30m", 1800],
    ["24h", 86400],
    ["7d", 604800],
    ["120", 120],
    ["1.5h", 5400],
  ])("parseDuration(%s) = %d s", (v, sec) => expect(parseDuration(v)).toBe(sec));
  test.each(["", "h", "-1h", "0", "3w", "abc"])("fails when the duration is '%s'", (v) => {
    expect(() => parseDuration(v)).toThrow(InvalidArgumentError);
  });
  test("key=value flags accumulate and keep '=' in values", () => {
    expect(keyValueFlag("b=x=y", keyValueFlag("a=1"))).toEqual({ a: "1", b: "x=y" });
    expect(() => keyValueFlag("novalue")).toThrow(InvalidArgumentError);
  });
  test("instance types must be SageMaker ml.* types", () => {
    expect(instanceTypeFlag("ml.g5.2xlarge")).toBe("ml.g5.2xlarge");
    expect(() => instanceTypeFlag("m5.xlarge")).toThrow(/ml\.m5\.xlarge/);
  });
});

describe("confirmation", () => {
  const base = { env: "dev", yes: false, dryRun: false, isTty: false, prodAcknowledged: false };
  test("dry run is the default without a terminal, and says it refuses to act", () => {
    expect(confirmDecision(base)).toEqual({ mode: "dry-run", reason: expect.stringMatching(/refusing to act without --yes/) });
  });
  test("--yes acts", () => expect(confirmDecision({ ...base, yes: true })).toEqual({ mode: "go" }));
  test("a terminal without --yes asks for the environment name", () => expect(confirmDecision({ ...base, isTty: true })).toEqual({ mode: "prompt", expect: "dev" }));
  test("--dry-run wins over --yes", () => expect(confirmDecision({ ...base, yes: true, dryRun: true }).mode).toBe("dry-run"));
  test("fails when prod is acted on without --i-understand-prod, even with --yes", () => {
    expect(confirmDecision({ ...base, env: "prod", yes: true })).toEqual({ mode: "refuse", reason: expect.stringMatching(/--i-understand-prod/) });
    expect(confirmDecision({ ...base, env: "prod", isTty: true }).mode).toBe("refuse");
  });
  test("prod with the flag acts; a prod dry run needs no flag", () => {
    expect(confirmDecision({ ...base, env: "prod", yes: true, prodAcknowledged: true }).mode).toBe("go");
    expect(confirmDecision({ ...base, env: "prod", dryRun: true }).mode).toBe("dry-run");
  });
});

describe("step order and lifetimes", () => {
  test("teardown destroys compute only by default; ops and data only when asked, consumers first", () => {
    expect(destroyOrder()).toEqual(["compute"]);
    expect(destroyOrder({ includeOps: true })).toEqual(["ops", "compute"]);
    expect(destroyOrder({ includeData: true })).toEqual(["compute", "data"]);
    expect(destroyOrder({ includeOps: true, includeData: true })).toEqual(["ops", "compute", "data"]);
  });
  test("restore deploys compute always, data and ops when asked or when their state says they are gone, producers first", () => {
    expect(deployOrder({}, { data: "deployed", compute: "empty", ops: "deployed" })).toEqual(["compute"]);
    expect(deployOrder({}, { data: "empty", compute: "empty", ops: "absent" })).toEqual(["data", "compute", "ops"]);
    expect(deployOrder({ includeOps: true }, { data: "deployed", ops: "deployed" })).toEqual(["compute", "ops"]);
    expect(deployOrder({ includeData: true })).toEqual(["data", "compute"]);
  });
  test("stacks already destroyed or never deployed are skipped, so a rerun finishes the job", () => {
    const r = stacksToDestroy({ "dev-ops": "empty", "dev-compute": "deployed" }, ["dev-ops", "dev-compute"]);
    expect(r).toEqual({ destroy: ["dev-compute"], skip: { "dev-ops": expect.stringMatching(/already destroyed/) } });
  });
  test("fails when no stack of the set was ever deployed", () => {
    expect(stacksToDestroy({ "dev-ops": "absent", "dev-compute": "absent" }, ["dev-ops", "dev-compute"]).error).toMatch(/never deployed/);
  });
});

describe("backup manifests", () => {
  const ID = backupId(AT);
  const hex = (c: string) => c.repeat(64);
  const manifest: Manifest = {
    version: 1,
    env: "dev",
    backupId: ID,
    createdAt: AT.toISOString(),
    accountId: "111111111111",
    backupBucket: "b",
    prefixes: { data: ["silver/"], models: [""] },
    entries: [
      { source: "data", bucket: "d", key: "silver/a.parquet", size: 3, sha256: hex("a"), backupKey: `dev/${ID}/data/silver/a.parquet` },
      { source: "models", bucket: "m", key: "model.tar.gz", size: 5, sha256: hex("b"), backupKey: `dev/${ID}/models/model.tar.gz` },
    ],
    totalBytes: 8,
  };
  const expectations: ManifestExpectations = {
    env: "dev",
    backupId: ID,
    accountId: "111111111111",
    backupBucket: "b",
    buckets: { data: "d", models: "m", artifacts: "a" },
    backupPrefixes: ["silver/", "artifacts/"],
  };
  const parse = (m: unknown) => parseManifest(JSON.stringify(m), "s3://b/k", expectations);
  const withEntry = (patch: Partial<Manifest["entries"][number]>) => ({ ...manifest, entries: [{ ...manifest.entries[0], ...patch }, manifest.entries[1]] });

  test("backup ids sort by time and are S3-safe", () => {
    expect(backupId(AT)).toBe("2026-11-24T16-05-09-123Z");
    expect(backupId(new Date("2026-11-25T00:00:00Z")) > backupId(AT)).toBe(true);
  });
  test("latest backup is the newest manifest of that environment only", () => {
    const keys = ["dev/2026-11-01T00-00-00-000Z/manifest.json", "dev/2026-11-24T16-05-09-123Z/manifest.json", "devx/2027-01-01T00-00-00-000Z/manifest.json", "dev/2026-12-01T00-00-00-000Z/data/x", "dev/zzz-not-an-id/manifest.json"];
    expect(latestBackup("dev", keys)).toBe("2026-11-24T16-05-09-123Z");
    expect(latestBackup("staging", keys)).toBeUndefined();
  });
  test("fails when --backup is empty or not a backup id (it used to mean 'latest')", () => {
    expect(() => backupIdFlag("")).toThrow("--backup must be a backup id like 2026-11-24T16-05-09-123Z (omit the flag for the latest), got ''");
    expect(() => backupIdFlag("../prod/x")).toThrow(InvalidArgumentError);
    expect(backupIdFlag(ID)).toBe(ID);
  });
  test("restore copies what is missing or different and skips identical objects", () => {
    const actions = planRestore(manifest, new Map([["d/silver/a.parquet", { size: 3, sha256: hex("a") }]]));
    expect(actions.map((a) => [a.entry.key, a.do])).toEqual([
      ["silver/a.parquet", "skip"],
      ["model.tar.gz", "copy"],
    ]);
    expect(planRestore(manifest, new Map([["m/model.tar.gz", { size: 5, sha256: "zz" }]]))[1].reason).toBe("checksum differs");
  });
  test("diff reports missing and mismatched objects", () => {
    const d = diffManifest(manifest, new Map([["d/silver/a.parquet", { size: 3, sha256: "xx" }]]));
    expect(d).toEqual({ matching: 0, missing: ["s3://m/model.tar.gz"], mismatched: ["s3://d/silver/a.parquet"] });
    expect(diffManifest(manifest, new Map([["d/silver/a.parquet", { size: 3, sha256: hex("a") }], ["m/model.tar.gz", { size: 5, sha256: hex("b") }]])).matching).toBe(2);
  });
  test("a manifest this tool wrote for this environment passes", () => {
    expect(parse(manifest).entries).toHaveLength(2);
  });
  test("fails when a manifest is not JSON or not the tool's schema, naming the field and value", () => {
    expect(() => parseManifest("{", "s3://b/k")).toThrow("s3://b/k is not JSON");
    expect(() => parse({ ...manifest, version: 2 })).toThrow(/s3:\/\/b\/k is not a manifest this tool wrote: version is 2/);
    expect(() => parse(withEntry({ sha256: "aa" }))).toThrow(/entries\.0\.sha256 is "aa" \(64 lowercase hex digits\)/);
    expect(() => parse(withEntry({ size: -1 }))).toThrow(/entries\.0\.size is -1/);
    expect(() => parse({ ...manifest, extra: 1 })).toThrow(/not a manifest this tool wrote/);
    const { totalBytes: _t, ...noTotal } = manifest;
    expect(() => parse(noTotal)).toThrow(/totalBytes is missing/);
  });
  test("fails when a manifest is incomplete: entries cut short no longer add up to totalBytes", () => {
    expect(() => parse({ ...manifest, entries: manifest.entries.slice(0, 1) })).toThrow("s3://b/k: totalBytes is 8, but the entries add up to 3: the manifest was edited or cut short");
  });
  test("fails when a manifest names another backup, environment, account or backup bucket", () => {
    expect(() => parse({ ...manifest, backupId: "2026-01-01T00-00-00-000Z" })).toThrow(/backupId is "2026-01-01T00-00-00-000Z", but a backup of 'dev' at this place must say "2026-11-24T16-05-09-123Z"/);
    expect(() => parse({ ...manifest, env: "prod" })).toThrow(/env is "prod"/);
    expect(() => parse({ ...manifest, accountId: "222222222222" })).toThrow(/accountId is "222222222222"/);
    expect(() => parse({ ...manifest, backupBucket: "other" })).toThrow(/backupBucket is "other"/);
  });
  test("fails when an entry is out of scope: the state bucket, another bucket, another prefix, another backup's copy", () => {
    expect(() => parse(withEntry({ bucket: "retail-forecast-dev-tfstate-111111111111", key: "silver/a.parquet" }))).toThrow(
      /entry s3:\/\/retail-forecast-dev-tfstate-111111111111\/silver\/a\.parquet names bucket retail-forecast-dev-tfstate-111111111111, but data objects of 'dev' live in d \(never the state or backup bucket\)/,
    );
    expect(() => parse(withEntry({ key: "raw/a.csv", backupKey: `dev/${ID}/data/raw/a.csv` }))).toThrow(/entry s3:\/\/d\/raw\/a\.csv is outside the backup's prefixes for data \["silver\/"\]/);
    expect(() => parse({ ...manifest, prefixes: { data: [""], models: [""] } })).toThrow(/prefixes\.data \[""\] is outside what a configured backup of 'dev' covers/);
    expect(() => parse(withEntry({ backupKey: "dev/2020-01-01T00-00-00-000Z/data/silver/a.parquet" }))).toThrow(/has backupKey dev\/2020-01-01T00-00-00-000Z\/data\/silver\/a\.parquet, expected dev\/2026-11-24T16-05-09-123Z\/data\/silver\/a\.parquet/);
  });
  test("a full backup (taken before --include-data) may cover every prefix of all three buckets", () => {
    const full = { ...manifest, scope: "full", prefixes: { data: [""], models: [""], artifacts: [""] }, entries: [...manifest.entries, { source: "artifacts", bucket: "a", key: "x", size: 0, sha256: hex("c"), backupKey: `dev/${ID}/artifacts/x` }] };
    expect(parse(full).entries).toHaveLength(3);
  });
});

describe("spot training", () => {
  test("spot saving is 1 - billable / training", () => {
    expect(spotSaving(1000, 300)).toEqual({ trainingSec: 1000, billableSec: 300, savingPct: 70 });
    expect(spotSaving(3, 1).savingPct).toBe(66.7);
    expect(spotSaving(undefined, undefined).savingPct).toBeUndefined();
    expect(spotSaving(100, undefined).savingPct).toBeUndefined();
  });
  test("poll delays back off from 5 s to a 60 s ceiling", () => {
    expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelayMs(a))).toEqual([5000, 10000, 20000, 40000, 60000, 60000]);
  });
  test("fails when max wait is not greater than max runtime", () => {
    expect(() => validateSpotTimes(3600, 3600)).toThrow("--max-wait-sec (3600) must be greater than --max-runtime-sec (3600)");
    expect(() => validateSpotTimes(3600, 1800)).toThrow(/must be greater/);
    expect(() => validateSpotTimes(3600, 30 * 86400)).toThrow(/28 days/);
    expect(() => validateSpotTimes(3600, 7200)).not.toThrow();
  });
  test("job names fit SageMaker's limits", () => {
    expect(jobName("retail-forecast-dev-train", AT, 63)).toBe("retail-forecast-dev-train-261124160509");
    const short = jobName("a-very-long-prefix-for-tuning", AT, 32);
    expect(short.length).toBeLessThanOrEqual(32);
    expect(short).toMatch(/^[a-z0-9](-*[a-z0-9])*$/);
  });
  test("the training request uses config, names, managed spot, checkpoints and cost tags", () => {
    const r = buildTrainingJobRequest(dev, { now: AT, maxRuntimeSec: 1800, maxWaitSec: 3600 });
    expect(r).toMatchObject({
      TrainingJobName: "retail-forecast-dev-train-261124160509",
      AlgorithmSpecification: { TrainingImage: dev.sagemaker.trainingImage },
      RoleArn: `arn:aws:iam::${dev.accountId}:role/retail-forecast-dev-sagemaker`,
      EnableManagedSpotTraining: true,
      StoppingCondition: { MaxRuntimeInSeconds: 1800, MaxWaitTimeInSeconds: 3600 },
      CheckpointConfig: { S3Uri: `s3://retail-forecast-dev-artifacts-${dev.accountId}/checkpoints/retail-forecast-dev-train-261124160509/` },
      OutputDataConfig: { S3OutputPath: `s3://retail-forecast-dev-models-${dev.accountId}/training/` },
      ResourceConfig: { InstanceType: "ml.m5.xlarge", InstanceCount: 1 },
    });
    expect(Object.fromEntries(r.Tags!.map((t) => [t.Key, t.Value]))).toMatchObject({ Project: "retail-forecast", Environment: "dev", CostCenter: dev.costCenter, Owner: dev.owner });
  });
  test("max wait defaults to twice the runtime", () => {
    expect(buildTrainingJobRequest(dev, { maxRuntimeSec: 100 }).StoppingCondition).toEqual({ MaxRuntimeInSeconds: 100, MaxWaitTimeInSeconds: 200 });
  });
  test("fails when the job name is not a SageMaker name", () => {
    expect(() => buildTrainingJobRequest(dev, { jobName: "bad_name" })).toThrow(/letters, digits and hyphens/);
  });
  test("tuning jobs run every training job on managed spot", () => {
    const r = buildTuningJobRequest(dev, { now: AT, maxJobs: 4, maxParallel: 2 });
    expect(r.HyperParameterTuningJobName!.length).toBeLessThanOrEqual(32);
    expect(r.TrainingJobDefinition).toMatchObject({ EnableManagedSpotTraining: true, StoppingCondition: { MaxRuntimeInSeconds: 3600, MaxWaitTimeInSeconds: 7200 } });
    expect(() => buildTuningJobRequest(dev, { maxJobs: 1, maxParallel: 2 })).toThrow(/cannot exceed/);
  });
});

describe("serverless config", () => {
  const current = { EndpointConfigName: "c1", ProductionVariants: [{ VariantName: "AllTraffic", ModelName: "m", InstanceType: "ml.t2.medium" as const, InitialInstanceCount: 1 }] };
  test("keeps models and variants, drops instances", () => {
    const r = buildServerlessConfig("ep", current, { now: AT, memorySizeInMb: 3072, maxConcurrency: 10 });
    expect(r.ProductionVariants).toEqual([{ VariantName: "AllTraffic", ModelName: "m", ServerlessConfig: { MemorySizeInMB: 3072, MaxConcurrency: 10 } }]);
    expect(r.EndpointConfigName).toBe("ep-serverless-261124160509");
  });
  test("fails when already serverless or memory is not a step of 1024", () => {
    expect(() => buildServerlessConfig("ep", { EndpointConfigName: "c", ProductionVariants: [{ VariantName: "v", ServerlessConfig: { MemorySizeInMB: 2048, MaxConcurrency: 1 } }] })).toThrow(/already serverless/);
    expect(() => buildServerlessConfig("ep", current, { memorySizeInMb: 1500 })).toThrow(/must be one of/);
  });
});

describe("clean-up and verify decisions", () => {
  test("Kubernetes-created resources are recognised by either controller's tag", () => {
    expect(isClusterOwned({ "elbv2.k8s.aws/cluster": "c" }, "c")).toBe(true);
    expect(isClusterOwned({ "kubernetes.io/cluster/c": "owned" }, "c")).toBe(true);
    expect(isClusterOwned({ "kubernetes.io/cluster/other": "owned" }, "c")).toBe(false);
  });
  test("ECR images beyond the repository's rules are the ones to delete", () => {
    const images = Array.from({ length: dev.ecr.keepUntagged + 3 }, (_, i) => ({ digest: `sha256:${i}`, tags: [], pushedAt: i }));
    const expire = imagesBeyondRetention(dev, images);
    expect(expire.map((i) => i.digest)).toEqual(["sha256:0", "sha256:1", "sha256:2"].slice(0, 3));
  });
  test("leftovers of kept stacks and the backups are expected; the rest is not", () => {
    const rows = classifyLeftovers(
      [
        { kind: "s3:bucket", id: "arn:aws:s3:::data", stack: "dev-data", source: "tagging" },
        { kind: "s3:bucket", id: "arn:aws:s3:::backup", stack: "-", source: "tagging" },
        { kind: "eks:cluster", id: "arn:aws:eks:us-east-1:1:cluster/c", stack: "dev-compute", source: "service" },
        { kind: "sagemaker:endpoint", id: "arn:aws:sagemaker:us-east-1:1:endpoint/x", stack: "-", source: "service" },
        { kind: "kms:key", id: "arn:aws:kms:us-east-1:1:key/k1", stack: "dev-compute", source: "tagging" },
        { kind: "kms:key", id: "arn:aws:kms:us-east-1:1:key/k2", stack: "-", source: "tagging" },
        { kind: "sagemaker:training-job", id: "arn:aws:sagemaker:us-east-1:1:training-job/j", stack: "dev-ops-cli", source: "tagging" },
      ],
      ["dev-data", "dev-bootstrap"],
      ["arn:aws:s3:::backup"],
    );
    expect(rows.map((r) => [r.expected, r.why])).toEqual([
      [true, "belongs to dev-data (kept)"],
      [true, "kept on purpose (backups)"],
      [false, "dev-compute was destroyed"],
      [false, "not managed by any kept stack"],
      [true, "dev-compute was destroyed: key pending deletion (KMS waits 7-30 days)"],
      [false, "not managed by any kept stack"],
      [true, "job history (no running cost)"],
    ]);
  });
  test.each([
    ["arn:aws:s3:::my-bucket", "s3:bucket", "my-bucket"],
    ["arn:aws:eks:us-east-1:1:cluster/c1", "eks:cluster", "c1"],
    ["arn:aws:sagemaker:us-east-1:1:endpoint/ep", "sagemaker:endpoint", "ep"],
    ["arn:aws:logs:us-east-1:1:log-group:/aws/eks/c/cluster", "logs:log-group", "/aws/eks/c/cluster"],
    ["arn:aws:lambda:us-east-1:1:function:fn", "lambda:function", "fn"],
    ["arn:aws:ec2:us-east-1:1:natgateway/nat-1", "ec2:natgateway", "nat-1"],
    ["arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/lb/123", "elasticloadbalancing:loadbalancer", "app/lb/123"],
  ])("%s is %s named %s", (arn, kind, id) => {
    expect(arnKind(arn)).toBe(kind);
    expect(arnId(arn)).toBe(id);
  });
  test("tables pad columns and trim trailing space", () => {
    expect(formatTable(["A", "BB"], [["xyz", "1"]])).toBe("A    BB\nxyz  1");
  });
  test("tables measure display width: wide characters and colour codes keep the columns aligned", () => {
    expect(formatTable(["NAME", "X"], [["数据", "1"], ["\u001b[31mred\u001b[0m", "2"], ["abcd", "3"]])).toBe("NAME  X\n数据  1\n\u001b[31mred\u001b[0m   2\nabcd  3");
  });
});

describe("cdktf invocation", () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { cdktfArgs } = require("../../../tools/cdktf") as typeof import("../../../tools/cdktf");
  test("destroy/deploy one stack from the ops synth, no prompt, no synth again", () => {
    expect(cdktfArgs("destroy", ["dev-ops"], { outdir: "/o", skipSynth: true, env: {} })).toEqual([
      "destroy", "dev-ops", "--output", "/o", "--auto-approve", "--ignore-missing-stack-dependencies", "--skip-synth",
    ]);
  });
  test("with a provider mirror, cdktf never runs `terraform providers lock` (it would ask the registry)", () => {
    expect(cdktfArgs("deploy", ["dev-compute"], { outdir: "/o", env: { TF_PROVIDER_MIRROR: "/opt/tf-plugins" } })).toContain("--skip-provider-lock");
    expect(cdktfArgs("deploy", ["dev-compute"], { outdir: "/o", env: {} })).not.toContain("--skip-provider-lock");
  });
});

