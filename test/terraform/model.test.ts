import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
  accountPrincipals,
  actionMatches,
  attachedDocuments,
  decodePolicy,
  documentsHeldBy,
  grants,
  holdersOf,
  isInternetAccessible,
  isPublic,
  loadTerraform,
  loadTerraformSync,
  modelOf,
  referencesIn,
  resourceMatches,
  Statement,
  TerraformLoadError,
} from "../../terraform";
import { jsonencodeArgument, parseHclLiteral, Unresolved } from "../../terraform/hcl";

const doc = (resource: Record<string, any>, extra: Record<string, any> = {}) => ({ resource, ...extra });

describe("references", () => {
  it("finds every block reference inside interpolations, data sources included", () => {
    const refs = referencesIn('${aws_s3_bucket.b.arn}/*:${data.aws_iam_policy_document.d.json} ${var.x} ${local.y}');
    expect(refs).toEqual([
      { mode: "managed", type: "aws_s3_bucket", name: "b", attr: "arn" },
      { mode: "data", type: "aws_iam_policy_document", name: "d", attr: "json" },
    ]);
  });

  it("ignores escaped $${ and plain text", () => {
    expect(referencesIn("$${aws_s3_bucket.b.arn} aws_s3_bucket.b.arn")).toEqual([]);
  });

  it("reads references inside function calls and indexes", () => {
    expect(referencesIn("${element(aws_subnet.private[*].id, 0)}").map((r) => `${r.type}.${r.name}`)).toEqual(["aws_subnet.private"]);
  });
});

describe("HCL literals (jsonencode)", () => {
  it("parses cdktf's jsonencode form with quoted keys and nested templates", () => {
    const v = jsonencodeArgument('${jsonencode({"Version" = "2012-10-17", "Statement" = [{"Effect" = "Allow", "Resource" = "${aws_s3_bucket.b.arn}/*"}]})}');
    expect(v).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Resource: "${aws_s3_bucket.b.arn}/*" }] });
  });

  it("parses hand-written HCL: bare keys, newlines without commas, comments, bare references", () => {
    const v = parseHclLiteral(`{
      # a comment
      Version = "2012-10-17"
      Statement = [{ Effect: "Deny", Action = ["s3:*"], Resource = aws_s3_bucket.b.arn, N = 3, B = true, Z = null }]
    }`);
    expect(v).toEqual({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: ["s3:*"], Resource: "${aws_s3_bucket.b.arn}", N: 3, B: true, Z: null }] });
  });

  it("returns Unresolved for a function call instead of guessing", () => {
    const v = jsonencodeArgument("${jsonencode(merge(local.a, { x = 1 }))}");
    expect(v).toBeInstanceOf(Unresolved);
  });

  it("is undefined for anything that is not jsonencode", () => {
    expect(jsonencodeArgument("${aws_iam_policy.p.policy}")).toBeUndefined();
    expect(jsonencodeArgument('{"a":1}')).toBeUndefined();
  });
});

describe("TerraformModel", () => {
  const model = modelOf([
    {
      name: "dev-data",
      doc: doc(
        {
          aws_s3_bucket: {
            data: { bucket: "acme-data", tags: { Schedule: "office-hours" }, "//": { metadata: { path: "dev-data/DataBucket/Resource" } } },
            logs: { bucket: "acme-logs" },
          },
          aws_s3_bucket_lifecycle_configuration: {
            byRef: { bucket: "${aws_s3_bucket.data.id}" },
            byName: { bucket: "acme-logs" },
          },
          aws_s3_bucket_policy: { byArn: { bucket: "arn:aws:s3:::acme-logs", policy: "{}" } },
          aws_sns_topic: { alerts: { name: "acme-alerts" } },
          aws_sns_topic_policy: { p: { arn: "arn:aws:sns:us-east-1:111111111111:acme-alerts", policy: "{}" } },
        },
        { provider: { aws: [{ region: "us-east-1", default_tags: [{ tags: { Project: "acme", Environment: "dev" } }] }] } },
      ),
    },
    {
      name: "prod-data",
      doc: doc({ aws_s3_bucket: { data: { bucket: "acme-prod-data" } }, aws_s3_bucket_lifecycle_configuration: { byRef: { bucket: "${aws_s3_bucket.data.id}" } } }),
    },
  ]);
  const [devData, devLogs] = model.ofType("aws_s3_bucket");
  const prodData = model.ofType("aws_s3_bucket")[2];

  it("indexes resources with address, stack, construct path and a fallback path", () => {
    expect(devData.address).toBe("aws_s3_bucket.data");
    expect(devData.stack.name).toBe("dev-data");
    expect(devData.path).toBe("dev-data/DataBucket/Resource");
    expect(devLogs.path).toBe("dev-data/aws_s3_bucket.logs");
    expect(model.stack("dev-data")?.region).toBe("us-east-1");
  });

  it("joins companions by expression (same stack only), by name and by ARN literal", () => {
    expect(model.referencing("aws_s3_bucket_lifecycle_configuration", "bucket", devData).map((r) => r.toString())).toEqual([
      "dev-data:aws_s3_bucket_lifecycle_configuration.byRef",
    ]);
    expect(model.referencing("aws_s3_bucket_lifecycle_configuration", "bucket", prodData).map((r) => r.toString())).toEqual([
      "prod-data:aws_s3_bucket_lifecycle_configuration.byRef",
    ]);
    expect(model.referencing("aws_s3_bucket_lifecycle_configuration", "bucket", devLogs).map((r) => r.name)).toEqual(["byName"]);
    expect(model.referencing("aws_s3_bucket_policy", "bucket", devLogs).map((r) => r.name)).toEqual(["byArn"]);
    const topic = model.ofType("aws_sns_topic")[0];
    expect(model.referencing("aws_sns_topic_policy", "arn", topic).map((r) => r.name)).toEqual(["p"]);
  });

  it("resolves a reference in the referring stack and a literal name anywhere", () => {
    const lc = model.ofType("aws_s3_bucket_lifecycle_configuration")[2];
    expect(model.resolve(lc.attrs.bucket, lc)).toBe(prodData);
    expect(model.resolve("acme-logs", lc)).toBe(devLogs);
    expect(model.resolve("${aws_s3_bucket.data.id}-suffix", lc)).toBeUndefined();
    expect(model.resolve("no-such-bucket", lc)).toBeUndefined();
  });

  it("merges provider default tags under the resource's own tags", () => {
    expect(model.tagsOf(devData)).toEqual({ Project: "acme", Environment: "dev", Schedule: "office-hours" });
  });

  it("finds referrers by expression", () => {
    expect(model.referrers(devData).map((r) => r.name)).toEqual(["byRef"]);
  });

  it("subsets by stack", () => {
    expect(model.subset((s) => s.name.startsWith("prod-")).ofType("aws_s3_bucket")).toHaveLength(1);
  });
});

describe("IAM documents", () => {
  const model = modelOf([
    {
      name: "s",
      doc: doc(
        {
          aws_iam_role: {
            r: {
              name: "r",
              assume_role_policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "sts:AssumeRole" }] }),
              inline_policy: [{ name: "i", policy: JSON.stringify({ Statement: { Action: "S3:GetObject", Resource: "*" } }) }],
            },
          },
          aws_iam_role_policy: {
            enc: { role: "${aws_iam_role.r.id}", policy: '${jsonencode({"Statement" = [{"Effect" = "Allow", "Action" = ["sqs:*"], "Resource" = "*"}]})}' },
            ds: { role: "${aws_iam_role.r.id}", policy: "${data.aws_iam_policy_document.d.json}" },
            opaque: { role: "${aws_iam_role.r.id}", policy: "${aws_iam_policy.other.policy}" },
            token: { role: "${aws_iam_role.r.id}", policy: "${TfToken[TOKEN.12]}" },
          },
          aws_iam_user_policy: { u: { user: "bob", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) } },
          aws_sns_topic_policy: {
            t: { arn: "x", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "SNS:Publish", Resource: "*" }] }) },
          },
        },
        {
          data: {
            aws_iam_policy_document: {
              base: { statement: [{ sid: "Base", actions: ["s3:ListBucket"], resources: ["*"] }] },
              d: {
                source_policy_documents: ["${data.aws_iam_policy_document.base.json}"],
                statement: [
                  { sid: "Pub", effect: "Allow", actions: ["sns:Publish"], resources: ["*"], principals: [{ type: "AWS", identifiers: ["*"] }] },
                  { effect: "Deny", not_actions: ["iam:*"], resources: ["*"], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] },
                ],
              },
            },
          },
        },
      ),
    },
  ]);
  const docs = attachedDocuments(model);
  const find = (owner: string, attr = "policy") => docs.find((d) => d.owner.name === owner && d.attr === attr)!;

  it("decodes literal JSON, a missing Effect as Allow, a single Statement object", () => {
    const inline = find("r", "inline_policy[0].policy");
    expect(inline.kind).toBe("identity");
    expect(inline.decoded.doc?.statements[0]).toMatchObject({ effect: "Allow", actions: ["S3:GetObject"], resources: ["*"] });
  });

  it("decodes literal JSON whose interpolations hold quotes (Terraform interpolates before JSON is read)", () => {
    const v = '{"Statement":[{"Principal":{"Federated":"${aws_iam_openid_connect_provider.o.arn}"},"Condition":{"StringEquals":{"${replace(aws_eks_cluster.c.identity[0].oidc[0].issuer, "https://", "")}:sub":"system:serviceaccount:kube-system:ca"}}}]}';
    const d = decodePolicy(model, v, model.resources[0]).doc!;
    expect(d.statements[0].principals).toEqual([{ type: "Federated", values: ["${aws_iam_openid_connect_provider.o.arn}"] }]);
    expect(d.statements[0].conditions[0].variable).toBe('${replace(aws_eks_cluster.c.identity[0].oidc[0].issuer, "https://", "")}:sub');
  });

  it("decodes jsonencode(...) literals", () => {
    expect(find("enc").decoded.doc).toMatchObject({ form: "jsonencode", statements: [{ actions: ["sqs:*"] }] });
  });

  it("decodes aws_iam_policy_document data sources with their source documents", () => {
    const d = find("ds").decoded.doc!;
    expect(d.form).toBe("policy-document");
    expect(d.statements.map((s) => s.sid ?? s.effect)).toEqual(["Base", "Pub", "Deny"]);
    expect(isPublic(d.statements[1].principals)).toBe(true);
    expect(d.statements[2]).toMatchObject({ effect: "Deny", notActions: ["iam:*"], conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] });
  });

  it("says why a document cannot be decided instead of passing it", () => {
    expect(find("opaque").decoded.undecided).toMatch(/expression aws_iam_policy.other.policy/);
    expect(find("token").decoded.undecided).toMatch(/unresolved cdktf token/);
    expect(decodePolicy(model, "not json", model.resources[0]).undecided).toMatch(/not JSON/);
  });

  it("finds trust, user and resource documents", () => {
    const trust = find("r", "assume_role_policy");
    expect(trust.kind).toBe("trust");
    expect(accountPrincipals(trust.decoded.doc!.statements[0].principals)).toEqual(["arn:aws:iam::999999999999:root"]);
    expect(find("u").holder).toBe("user");
    const topic = find("t").decoded.doc!.statements[0];
    expect(isPublic(topic.principals)).toBe(true);
    expect(grants(topic, "sns:Publish")).toBe(true);
  });

  it("matches actions case-insensitively with wildcards, and NotAction as everything else", () => {
    expect(actionMatches("SNS:Pub*", "sns:Publish")).toBe(true);
    expect(actionMatches("s3:Get?bject", "s3:GetObject")).toBe(true);
    expect(actionMatches("s3:Get*", "s3:PutObject")).toBe(false);
    const notIam = { index: 0, effect: "Allow" as const, actions: [], notActions: ["iam:*"], resources: ["*"], notResources: [], conditions: [] };
    expect(grants(notIam, "s3:DeleteBucket")).toBe(true);
    expect(grants(notIam, "IAM:PassRole")).toBe(false);
  });
});

describe("loading", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "tfmodel-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("loads a cdktf.out directory as one stack per stacks/<name>", () => {
    for (const s of ["dev-data", "dev-ops"]) {
      fs.mkdirSync(path.join(dir, "stacks", s), { recursive: true });
      fs.writeFileSync(path.join(dir, "stacks", s, "cdk.tf.json"), JSON.stringify(doc({ aws_sqs_queue: { q: { name: `${s}-q` } } })));
    }
    const m = loadTerraformSync(dir);
    expect(m.stacks.map((s) => s.name)).toEqual(["dev-data", "dev-ops"]);
    expect(loadTerraformSync(dir, { stacks: (n) => n.endsWith("-ops") }).resources.map((r) => r.toString())).toEqual(["dev-ops:aws_sqs_queue.q"]);
    expect(loadTerraformSync(path.join(dir, "stacks", "dev-data")).stacks[0].name).toBe("dev-data");
  });

  it("merges a directory of .tf.json and .tf files into one stack (HCL through hcl2json)", async () => {
    fs.writeFileSync(path.join(dir, "a.tf.json"), JSON.stringify(doc({ aws_s3_bucket: { b: { bucket: "x" } } })));
    fs.writeFileSync(
      path.join(dir, "b.tf"),
      `resource "aws_iam_role_policy" "p" {\n  role = "r"\n  policy = jsonencode({\n    Statement = [{ Effect = "Allow", Action = "s3:*", Resource = "\${aws_s3_bucket.b.arn}/*" }]\n  })\n}\n`,
    );
    const m = await loadTerraform(dir);
    expect(m.stacks).toHaveLength(1);
    const p = m.ofType("aws_iam_role_policy")[0];
    expect(decodePolicy(m, p.attrs.policy, p).doc?.statements[0]).toMatchObject({ actions: ["s3:*"], resources: ["${aws_s3_bucket.b.arn}/*"] });
    expect(m.referrers(m.ofType("aws_s3_bucket")[0]).map((r) => r.name)).toEqual(["p"]);
    expect(() => loadTerraformSync(dir)).toThrow(/HCL: use loadTerraform/);
  });

  it("fails when a block is defined twice across a directory's files", () => {
    for (const f of ["a.tf.json", "b.tf.json"]) fs.writeFileSync(path.join(dir, f), JSON.stringify(doc({ aws_s3_bucket: { b: {} } })));
    expect(() => loadTerraformSync(dir)).toThrow(/aws_s3_bucket.b is defined twice/);
  });

  it("fails with TerraformLoadError on a file that is not JSON, not Terraform, or missing", () => {
    const bad = path.join(dir, "x.json");
    fs.writeFileSync(bad, "{oops");
    expect(() => loadTerraformSync(bad)).toThrow(TerraformLoadError);
    expect(() => loadTerraformSync(bad)).toThrow(/is not JSON/);
    fs.writeFileSync(bad, JSON.stringify({ name: "package", version: "1.0.0" }));
    expect(() => loadTerraformSync(bad)).toThrow(/is not Terraform JSON: top-level keys name, version/);
    expect(() => loadTerraformSync(path.join(dir, "nope"))).toThrow(/does not exist/);
    expect(() => loadTerraformSync(fs.mkdtempSync(path.join(dir, "empty-")))).toThrow(/no Terraform in/);
  });

  it("fails with TerraformLoadError on invalid HCL", async () => {
    fs.writeFileSync(path.join(dir, "bad.tf"), 'resource "x" {\n');
    await expect(loadTerraform(dir)).rejects.toThrow(TerraformLoadError);
  });
});

describe("IAM helpers for rules", () => {
  const st = (over: Partial<Statement>): Statement => ({ index: 0, effect: "Allow", actions: ["sns:Publish"], notActions: [], resources: ["*"], notResources: [], conditions: [], ...over });

  it("matches resource ARNs with wildcards, case-sensitively", () => {
    expect(resourceMatches("arn:aws:kms:us-east-1:111111111111:key/*", "arn:aws:kms:us-east-1:111111111111:key/abc")).toBe(true);
    expect(resourceMatches("arn:aws:kms:*:111111111111:key/?bc", "arn:aws:kms:eu-west-1:111111111111:key/abc")).toBe(true);
    expect(resourceMatches("arn:aws:s3:::Bucket", "arn:aws:s3:::bucket")).toBe(false);
  });

  it("reads a public statement as internet accessible unless a condition limits the callers", () => {
    expect(isInternetAccessible(st({ principals: [{ type: "*", values: ["*"] }] }))).toBe(true);
    expect(isInternetAccessible(st({ principals: [{ type: "AWS", values: ["*"] }], conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: ["111111111111"] }] }))).toBe(false);
    expect(isInternetAccessible(st({ principals: [{ type: "AWS", values: ["*"] }], conditions: [{ test: "StringNotEquals", variable: "aws:SourceAccount", values: ["1"] }] }))).toBe(true);
    expect(isInternetAccessible(st({ principals: [{ type: "AWS", values: ["*"] }], conditions: [{ test: "StringLike", variable: "aws:PrincipalOrgID", values: ["*"] }] }))).toBe(true);
    expect(isInternetAccessible(st({ principals: [{ type: "Service", values: ["budgets.amazonaws.com"] }] }))).toBe(false);
    expect(isInternetAccessible(st({ effect: "Deny", principals: [{ type: "*", values: ["*"] }] }))).toBe(false);
  });

  it("finds who holds an identity document: inline, by reference, by name, through managed-policy attachments", () => {
    const pol = JSON.stringify({ Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] });
    const m = modelOf([
      {
        name: "s",
        doc: doc({
          aws_iam_role: { r: { name: "runner", inline_policy: [{ name: "i", policy: pol }] }, other: { name: "other" } },
          aws_iam_role_policy: { byRef: { role: "${aws_iam_role.r.id}", policy: pol } },
          aws_iam_user: { u: { name: "bob" } },
          aws_iam_user_policy: { byName: { user: "bob", policy: pol } },
          aws_iam_policy: { managed: { name: "m", policy: pol } },
          aws_iam_role_policy_attachment: { a: { role: "runner", policy_arn: "${aws_iam_policy.managed.arn}" } },
          aws_iam_policy_attachment: { b: { name: "b", roles: ["${aws_iam_role.other.name}"], users: ["bob"], policy_arn: "arn:aws:iam::111111111111:policy/m" } },
        }, { provider: { aws: [{ region: "us-east-1", allowed_account_ids: ["111111111111"] }] } }),
      },
    ]);
    const docs = attachedDocuments(m);
    const holders = (owner: string) => holdersOf(m, docs.find((d) => d.owner.name === owner && d.attr === "policy")!).map((h) => h.name).sort();
    expect(holders("byRef")).toEqual(["r"]);
    expect(holders("byName")).toEqual(["u"]);
    expect(holders("managed")).toEqual(["other", "r", "u"]);
    const role = m.ofType("aws_iam_role")[0];
    expect(documentsHeldBy(m, role, docs).map((d) => `${d.owner.name}.${d.attr}`).sort()).toEqual(["byRef.policy", "managed.policy", "r.inline_policy[0].policy"]);
    expect(m.stack("s")?.accountId).toBe("111111111111");
  });
});
