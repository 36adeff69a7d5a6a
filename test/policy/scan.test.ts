/**
 * `npm run policy -- scan|exceptions|skips` end to end on this platform's own synthesized
 * stacks (all four environments) and on input that is not Terraform.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";
import { buildApp } from "../../app";
import { main } from "../../policy/cli";
import { claimedChecks } from "../../policy/evaluate";
import { POLICY_EXCEPTIONS } from "../../policy/exceptions";

const BUNDLE = path.join(__dirname, "..", "fixtures", "scheduler.zip");
let dir: string;
let out: string;

async function cli(...argv: string[]) {
  let stdout = "";
  let stderr = "";
  const code = await main(argv, { out: (s) => (stdout += s), err: (s) => (stderr += s) });
  return { code, stdout, stderr };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-scan-"));
  out = path.join(dir, "cdktf.out");
  // validations on: synth itself fails on an unexcepted finding in any one stack
  buildApp({ outdir: out, schedulerBundle: BUNDLE, emulatorEndpoint: "http://127.0.0.1:4566" }).synth();
}, 60_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe("policy scan", () => {
  test("the platform's 16 stacks are clean, with the exception list applied (exit 0)", async () => {
    const r = await cli("scan", out);
    expect(r.stdout).toMatch(/^policy: clean \(\d+ excepted findings/);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
  });

  test("no waiver is stale: every exception of a claimed check still excepts a finding of the platform", async () => {
    const j = JSON.parse((await cli("scan", out, "--format", "json")).stdout);
    const claimed = new Set(claimedChecks().map((c) => c.id));
    const used = new Set(j.findings.filter((f: any) => f.excepted).map((f: any) => `${f.id} ${f.excepted.resource}`));
    for (const e of POLICY_EXCEPTIONS.filter((x) => claimed.has(x.ruleId))) expect([e.ruleId, used.has(`${e.ruleId} ${e.resource}`)]).toEqual([e.ruleId, true]);
  });

  test("one stack's directory, JSON: every finding is excepted with its reason", async () => {
    const r = await cli("scan", path.join(out, "stacks", "prod-data"), "--format", "json");
    const j = JSON.parse(r.stdout);
    expect(j.summary.failing).toBe(0);
    expect(j.findings.length).toBeGreaterThan(0);
    for (const f of j.findings) expect(f.excepted.reason.length).toBeGreaterThan(20);
    expect(j.findings.find((f: any) => f.id === "CKV_AWS_145")).toMatchObject({ stack: "prod-data", file: expect.stringMatching(/prod-data\/cdk\.tf\.json$/), line: expect.any(Number) });
    expect(j.findings.find((f: any) => f.id === "CKV_AWS_145").line).toBeGreaterThan(1);
  });

  test("fails when the scheduler loses its KMS grant: the cross-stack rule sees compute and ops together (exit 1)", async () => {
    const broken = path.join(dir, "broken");
    for (const s of ["sandbox-compute", "sandbox-ops"]) fs.mkdirSync(path.join(broken, "stacks", s), { recursive: true });
    fs.copyFileSync(path.join(out, "stacks", "sandbox-compute", "cdk.tf.json"), path.join(broken, "stacks", "sandbox-compute", "cdk.tf.json"));
    const ops = JSON.parse(fs.readFileSync(path.join(out, "stacks", "sandbox-ops", "cdk.tf.json"), "utf8"));
    const policies = ops.resource.aws_iam_role_policy;
    const scheduler = Object.values<any>(policies).find((p) => p.policy.includes("KmsGrantForRecreatedEndpoints"));
    const doc = JSON.parse(scheduler.policy);
    doc.Statement = doc.Statement.filter((s: any) => s.Sid !== "KmsGrantForRecreatedEndpoints");
    scheduler.policy = JSON.stringify(doc);
    fs.writeFileSync(path.join(broken, "stacks", "sandbox-ops", "cdk.tf.json"), JSON.stringify(ops, null, 2));
    const r = await cli("scan", broken);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/RF_KMS_ENDPOINT_GRANT +sandbox-ops:aws_iam_role\.Scheduler_Role_\w+ \(sandbox-ops\/Scheduler\/Role\/Resource\)/);
    expect(r.stdout).toMatch(/nothing allows kms:CreateGrant on that key: recreating the endpoint fails on AWS/);
    expect(r.stdout).toMatch(/1 finding fails policy/);
  });

  test("SARIF 2.1.0 as GitHub code scanning reads it", async () => {
    const bad = path.join(dir, "bad.tf.json");
    fs.writeFileSync(bad, JSON.stringify({ resource: { aws_s3_bucket: { careless: { bucket: "careless" } } } }, null, 2));
    const r = await cli("scan", bad, "--format", "sarif", "--env", "dev");
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout);
    expect(s.version).toBe("2.1.0");
    expect(s.$schema).toMatch(/sarif-2\.1\.0/);
    const run = s.runs[0];
    expect(run.tool.driver.name).toBe("retail-forecast-policy");
    expect(run.tool.driver.rules.map((x: any) => x.id)).toEqual(claimedChecks().map((c) => c.id));
    expect(run.results.length).toBeGreaterThan(5);
    for (const res of run.results) {
      expect(run.tool.driver.rules[res.ruleIndex].id).toBe(res.ruleId);
      expect(res.level).toBe("error");
      expect(res.message.text).toMatch(/^bad:(aws_s3_bucket\.careless|provider\.aws): /);
      const loc = res.locations[0].physicalLocation;
      expect(loc.artifactLocation.uri).toMatch(/bad\.tf\.json$/);
      // the resource's own line; the missing provider block has none
      expect(loc.region.startLine).toBe(res.message.text.includes("careless") ? 4 : 1);
    }
    // the exception list applies in SARIF too: SSE-S3 is excepted everywhere
    expect(run.results.map((x: any) => x.ruleId)).not.toContain("CKV_AWS_145");
  });

  test("HCL goes through loadTerraform; an unknown environment is said on stderr", async () => {
    const hcl = path.join(dir, "hcl");
    fs.mkdirSync(hcl);
    fs.writeFileSync(path.join(hcl, "main.tf"), 'resource "aws_eks_node_group" "ng" {\n  capacity_type = "ON_DEMAND"\n}\n');
    const r = await cli("scan", hcl);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/environment of stack hcl unknown .*RF_SPOT_OUTSIDE_PROD treats it as outside prod/);
    expect(r.stdout).toMatch(/RF_SPOT_OUTSIDE_PROD +hcl:aws_eks_node_group\.ng/);
  });

  test.each([
    ["a file that is not JSON", "oops {", /is not JSON/],
    ["JSON that is not Terraform", JSON.stringify({ name: "pkg", version: "1.0.0" }), /is not Terraform JSON: top-level keys name, version/],
  ])("fails with exit 2 and one line on %s", async (_n, text, msg) => {
    const f = path.join(dir, `input-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(f, text);
    const r = await cli("scan", f);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(msg);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });

  test.each([
    [["scan", "x", "--format", "html"], /--format: 'html' is not one of text, json, sarif/],
    [["scan", "x", "--env", "Prod!"], /--env: 'Prod!' is not an environment name/],
    [["scan", "x", "--as-of", "tomorrow"], /--as-of: expected a date YYYY-MM-DD, got 'tomorrow'/],
    [["skips", "--format", "kics"], /--format: 'kics' is not one of checkov, trivy/],
    [["scan", path.join(os.tmpdir(), "no-such-dir-policy")], /does not exist/],
  ])("fails with exit 2 on bad input %j, before reading anything", async (argv, msg) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(msg);
  });
});

describe("policy skips: the exception list as the scanners' configuration", () => {
  test("checkov: global exceptions skip, scoped ones soft-fail", async () => {
    const r = await cli("skips", "--format", "checkov");
    expect(r.code).toBe(0);
    const y = parse(r.stdout);
    expect(y["skip-check"]).toEqual(expect.arrayContaining(["CKV_AWS_338", "CKV_AWS_145", "CKV_AWS_158"]));
    expect(y["soft-fail-on"]).toEqual(expect.arrayContaining(["CKV_AWS_51", "CKV_AWS_37", "CKV_AWS_98", "CKV_AWS_39"]));
    expect(y["skip-check"]).not.toContain("CKV_AWS_37");
    for (const id of [...y["skip-check"], ...y["soft-fail-on"]]) expect(id).toMatch(/^CKV2?_AWS_\d+$/);
    const all = new Set(POLICY_EXCEPTIONS.map((e) => e.ruleId).filter((id) => /^CKV/.test(id)));
    expect(new Set([...y["skip-check"], ...y["soft-fail-on"]])).toEqual(all);
  });

  test("trivy: each exception's Trivy ids, scoped to the stack files of its environments", async () => {
    const r = await cli("skips", "--format", "trivy");
    const y = parse(r.stdout);
    const byId = (id: string) => y.misconfigurations.filter((m: any) => m.id === id);
    expect(byId("AVD-AWS-0038")[0].paths).toEqual(["stacks/dev-compute/cdk.tf.json", "stacks/staging-compute/cdk.tf.json", "stacks/sandbox-compute/cdk.tf.json"]);
    expect(byId("AVD-AWS-0031")[0].paths).toEqual(["stacks/dev-data/cdk.tf.json", "stacks/staging-data/cdk.tf.json", "stacks/sandbox-data/cdk.tf.json"]);
    expect(byId("AVD-AWS-0132")[0].paths).toEqual(["stacks/*/cdk.tf.json"]);
    expect(byId("AVD-AWS-0038")[0].statement).toMatch(/^CKV_AWS_37 \*-compute\/Cluster\/Resource: /);
  });

  test("exceptions: every exception names a check some tool has", async () => {
    for (const e of POLICY_EXCEPTIONS) expect(e.ruleId).toMatch(/^(CKV2?_AWS_\d+|AVD-AWS-\d{4}|RF_[A-Z0-9_]+|AwsSolutions-\w+)$/);
    const r = await cli("exceptions", "--format", "json");
    expect(JSON.parse(r.stdout).exceptions.find((e: any) => e.ruleId === "CKV_AWS_338").enforcedHere).toBe(false);
  });
});

test("policy/README.md lists every check id the rules claim", () => {
  const readme = fs.readFileSync(path.join(__dirname, "..", "..", "policy", "README.md"), "utf8");
  for (const c of claimedChecks()) expect(readme).toContain(`| \`${c.id}\``);
});
