/**
 * The emulator gaps (sandbox/EMULATOR_GAPS.md) seen through the real Terraform AWS provider.
 *
 * One configuration (fixtures/platform/*.tf) holds every resource type the platform deploys,
 * configured the way the stacks use them (budgets with SNS/e-mail subscribers and a tag cost
 * filter, anomaly monitor + subscription, cost allocation tags, tiered buckets, KMS, SNS/SQS,
 * ECR, VPC with NAT and S3 endpoint, EKS cluster + SPOT node group on a launch template, IRSA,
 * SageMaker model / endpoint configs / endpoint with autoscaling, scheduler Lambda with DLQ,
 * logging and X-Ray, EventBridge Scheduler and rules, alarms), with provider default_tags.
 * It is applied once, planned again (the plan must be empty: everything read back as written),
 * inspected through the Tagging API and Cost Explorer, and destroyed. One configuration, not
 * one per service, because each init/apply/destroy costs tens of seconds on this machine and
 * the provider's own propagation waits (SQS ~25 s, S3 lifecycle ~55 s, EKS delete ~45 s)
 * then overlap.
 *
 * Needs TF_PROVIDER_MIRROR (a filesystem mirror holding hashicorp/aws 5.100.0) and python3
 * with moto; Terraform reuses the plugin cache of tools/terraform-cli.ts.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CostExplorerClient, GetCostAndUsageCommand } from "@aws-sdk/client-cost-explorer";
import {
  GetResourcesCommand,
  GetResourcesCommandInput,
  ResourceGroupsTaggingAPIClient,
  ResourceTagMapping,
} from "@aws-sdk/client-resource-groups-tagging-api";
import { Emulator, startEmulator } from "../../sandbox/emulator";
import { awsClientConfig, EMULATOR_CREDENTIALS } from "../../lambda/shared/aws-client";
import { ensureMirrorEnv, MIRROR_ENV, terraformEnv } from "../../tools/terraform-cli";

const FIXTURE = path.join(__dirname, "fixtures", "platform");
const REGION = "us-east-1";
// index.js exporting an async handler: the Lambda's code (never invoked here)
const LAMBDA_ZIP_B64 =
  "UEsDBBQAAAAAAAAAIVzWydcdLgAAAC4AAAAIAAAAaW5kZXguanNleHBvcnRzLmhhbmRsZXIgPSBhc3luYyAoKSA9PiAoeyBvazogdHJ1ZSB9KTsKUEsBAhQDFAAAAAAAAAAhXNbJ1x0uAAAALgAAAAgAAAAAAAAAAAAAAIABAAAAAGluZGV4LmpzUEsFBgAAAAABAAEANgAAAFQAAAAAAA==";

let emu: Emulator | undefined;
let workDir: string;
let tfEnv: NodeJS.ProcessEnv;
const done = { init: false, apply: false };

interface TfResult {
  readonly code: number | null;
  readonly output: string;
}

function terraform(args: readonly string[], timeoutMs: number): Promise<TfResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("terraform", [...args], { cwd: workDir, env: tfEnv, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => {
      child.kill("SIGINT");
      setTimeout(() => child.kill("SIGKILL"), 5000).unref();
    }, timeoutMs);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** The lines a reader needs when a step fails: errors, or the resources a plan would change. */
function explain(r: TfResult): string {
  const lines = r.output.split("\n");
  const interesting = lines.filter((l) => /Error|error:|^\s+# |forces replacement|^\s+[~+-] |Plan:/.test(l));
  return (interesting.length ? interesting : lines.slice(-60)).slice(0, 200).join("\n");
}

function requireStep(step: keyof typeof done): void {
  if (!done[step]) throw new Error(`skipped: terraform ${step} did not succeed (see its test)`);
}

const sdkConfig = () => awsClientConfig({ region: REGION, emulatorEndpoint: emu!.endpoint });

async function allResources(input: GetResourcesCommandInput): Promise<ResourceTagMapping[]> {
  const client = new ResourceGroupsTaggingAPIClient(sdkConfig());
  const out: ResourceTagMapping[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new GetResourcesCommand({ ...input, PaginationToken: token }));
    out.push(...(page.ResourceTagMappingList ?? []));
    token = page.PaginationToken || undefined;
  } while (token);
  return out;
}

beforeAll(async () => {
  // as every script of the project finds it: TF_PROVIDER_MIRROR, else a mirror on disk
  if (!ensureMirrorEnv()) {
    throw new Error(
      `${MIRROR_ENV} is not set and no mirror was found on disk: these tests run the real hashicorp/aws provider, installed from a filesystem mirror. ` +
        `Set ${MIRROR_ENV} to the folder holding registry.terraform.io/hashicorp/aws/5.100.0 (e.g. /opt/tf-plugins).`,
    );
  }
  emu = await startEmulator({ startTimeoutMs: 90_000 });
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "emulator-platform-"));
  for (const f of fs.readdirSync(FIXTURE).filter((n) => n.endsWith(".tf"))) {
    fs.copyFileSync(path.join(FIXTURE, f), path.join(workDir, f));
  }
  fs.writeFileSync(path.join(workDir, "fn.zip"), Buffer.from(LAMBDA_ZIP_B64, "base64"));

  const env: NodeJS.ProcessEnv = {
    ...terraformEnv(process.env),
    AWS_ACCESS_KEY_ID: EMULATOR_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: EMULATOR_CREDENTIALS.secretAccessKey,
    AWS_SESSION_TOKEN: EMULATOR_CREDENTIALS.sessionToken,
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    // fail fast on an emulator 500 instead of the SDK's long retry ladder
    AWS_MAX_ATTEMPTS: "3",
    // the provider's endpoints {} block is what is under test, not AWS_ENDPOINT_URL
    TF_VAR_endpoint: emu.endpoint,
  };
  for (const k of ["AWS_ENDPOINT_URL", "AWS_PROFILE", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "TF_LOG"]) delete env[k];
  tfEnv = env;
}, 120_000);

afterAll(async () => {
  await emu?.stop();
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

test("terraform init installs hashicorp/aws from the mirror", async () => {
  const r = await terraform(["init", "-input=false", "-no-color"], 120_000);
  if (r.code !== 0) throw new Error(`terraform init failed:\n${explain(r)}`);
  done.init = true;
}, 130_000);

test("apply creates every resource against the emulator", async () => {
  requireStep("init");
  const r = await terraform(["apply", "-auto-approve", "-input=false", "-no-color"], 330_000);
  if (r.code !== 0) throw new Error(`terraform apply failed:\n${explain(r)}`);
  expect(r.output).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed/);
  expect(r.output).toContain('account_id = "123456789012"'); // STS GetCallerIdentity, not skipped
  done.apply = true;
}, 340_000);

test("a second plan shows no changes: every resource and tags_all read back as written", async () => {
  requireStep("apply");
  const r = await terraform(["plan", "-detailed-exitcode", "-input=false", "-no-color", "-lock=false"], 180_000);
  if (r.code !== 0) throw new Error(`second plan is not empty (exit ${r.code}):\n${explain(r)}`);
}, 190_000);

test("GetResources lists EKS, ECR, SageMaker and EventBridge resources with their tags", async () => {
  requireStep("apply");
  const tagged = await allResources({ TagFilters: [{ Key: "Environment", Values: ["sandbox"] }] });
  const arns = tagged.map((r) => r.ResourceARN!);
  for (const kind of [
    /:eks:us-east-1:123456789012:cluster\/retail-forecast-sandbox$/,
    /:eks:us-east-1:123456789012:nodegroup\/retail-forecast-sandbox\/spot-general\//,
    /:ecr:us-east-1:123456789012:repository\/retail-forecast\/train$/,
    /:sagemaker:us-east-1:123456789012:model\/retail-forecast-sandbox-model$/,
    /:sagemaker:us-east-1:123456789012:endpoint-config\/retail-forecast-sandbox-realtime$/,
    /:sagemaker:us-east-1:123456789012:endpoint\/retail-forecast-sandbox$/,
    /:events:us-east-1:123456789012:rule\/retail-forecast-sandbox-nightly-training$/,
    /:s3:::retail-forecast-sandbox-data$/,
    /:lambda:us-east-1:123456789012:function:retail-forecast-sandbox-scheduler$/,
  ]) {
    expect(arns).toEqual(expect.arrayContaining([expect.stringMatching(kind)]));
  }
  // every listed resource carries the provider's default tags
  for (const r of tagged) {
    expect(r.Tags).toEqual(expect.arrayContaining([{ Key: "Project", Value: "retail-forecast" }, { Key: "ManagedBy", Value: "cdktf" }]));
  }

  // the scheduler's discovery: by Schedule tag, restricted to the kinds it acts on
  const targets = await allResources({
    TagFilters: [{ Key: "Schedule", Values: ["office-hours"] }],
    ResourceTypeFilters: ["eks:nodegroup", "sagemaker:endpoint", "events:rule"],
  });
  expect(targets.map((r) => r.ResourceARN!.split(":")[2] + ":" + r.ResourceARN!.split(":")[5].split("/")[0]).sort()).toEqual([
    "eks:nodegroup",
    "events:rule",
    "sagemaker:endpoint",
  ]);
}, 60_000);

test("Cost Explorer answers GetCostAndUsage grouped by service and by Project tag", async () => {
  const ce = new CostExplorerClient(sdkConfig());
  const period = { Start: "2026-09-01", End: "2026-11-01" };
  const bySvc = await ce.send(
    new GetCostAndUsageCommand({ TimePeriod: period, Granularity: "MONTHLY", Metrics: ["UnblendedCost"], GroupBy: [{ Type: "DIMENSION", Key: "SERVICE" }] }),
  );
  expect(bySvc.ResultsByTime).toHaveLength(2);
  const sept = bySvc.ResultsByTime![0];
  expect(sept.TimePeriod).toEqual({ Start: "2026-09-01", End: "2026-10-01" });
  expect(sept.Groups!.map((g) => g.Keys![0])).toEqual(expect.arrayContaining(["Amazon SageMaker", "Amazon Elastic Container Service for Kubernetes"]));
  for (const g of sept.Groups!) {
    expect(g.Metrics!.UnblendedCost).toEqual({ Amount: expect.stringMatching(/^\d+\.\d+$/), Unit: "USD" });
  }

  const byTag = await ce.send(
    new GetCostAndUsageCommand({ TimePeriod: period, Granularity: "MONTHLY", Metrics: ["UnblendedCost"], GroupBy: [{ Type: "TAG", Key: "Project" }] }),
  );
  const keys = byTag.ResultsByTime![0].Groups!.map((g) => g.Keys![0]);
  expect(keys).toEqual(["Project$retail-forecast", "Project$"]);
  // deterministic: the same question gets the same figures, and the two views add up
  const again = await ce.send(
    new GetCostAndUsageCommand({ TimePeriod: period, Granularity: "MONTHLY", Metrics: ["UnblendedCost"], GroupBy: [{ Type: "TAG", Key: "Project" }] }),
  );
  expect(again.ResultsByTime).toEqual(byTag.ResultsByTime);
  const sum = (groups: { Metrics?: Record<string, { Amount?: string }> }[]) => groups.reduce((a, g) => a + Number(g.Metrics!.UnblendedCost.Amount), 0);
  expect(sum(byTag.ResultsByTime![0].Groups!)).toBeCloseTo(sum(sept.Groups!), 4);
}, 30_000);

test("destroy removes every resource", async () => {
  requireStep("apply");
  // -refresh=false: the plan above has just proved the state matches the emulator
  const r = await terraform(["destroy", "-auto-approve", "-input=false", "-no-color", "-refresh=false"], 330_000);
  if (r.code !== 0) throw new Error(`terraform destroy failed:\n${explain(r)}`);
  const left = await terraform(["state", "list"], 60_000);
  expect(left.output.trim()).toBe("");
}, 400_000);
