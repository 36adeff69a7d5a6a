/**
 * Every policy rule, against a compliant and a non-compliant piece of synthesized Terraform.
 * Documents are built by hand in the shape cdktf writes (`resource.<type>.<name>`), so each rule
 * is tested in isolation from the stacks.
 */
import { ENVIRONMENTS } from "../../config";
import { EnvironmentConfig } from "../../config/types";
import { RULES } from "../../modules/policy/rules";
import { PolicyRule, RuleContext } from "../../modules/policy/types";
import { REQUIRED_TAG_KEYS } from "../../modules/tags";

type Res = [type: string, name: string, attrs: Record<string, unknown>];

function doc(resources: Res[], provider: Record<string, unknown> = goodProvider()): Record<string, any> {
  const resource: Record<string, Record<string, unknown>> = {};
  for (const [type, name, attrs] of resources) {
    resource[type] = resource[type] ?? {};
    resource[type][name] = { ...attrs, "//": { metadata: { path: `dev-test/${name}` } } };
  }
  return { provider: { aws: [provider] }, resource };
}

function goodProvider() {
  return { default_tags: [{ tags: Object.fromEntries(REQUIRED_TAG_KEYS.map((k) => [k, k === "Environment" ? "dev" : "x"])) }] };
}

const ref = (type: string, name: string, attr = "id") => `\${${type}.${name}.${attr}}`;
const pj = (statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

function bucket(overrides: Partial<Record<string, Record<string, unknown> | null>> = {}): Res[] {
  const b = ref("aws_s3_bucket", "b");
  const parts: Record<string, Res> = {
    pab: ["aws_s3_bucket_public_access_block", "pab", { bucket: b, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }],
    sse: ["aws_s3_bucket_server_side_encryption_configuration", "sse", { bucket: b, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }] }],
    ver: ["aws_s3_bucket_versioning", "ver", { bucket: b, versioning_configuration: { status: "Enabled" } }],
    pol: [
      "aws_s3_bucket_policy",
      "pol",
      { bucket: b, policy: pj([{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } }]) },
    ],
    lc: [
      "aws_s3_bucket_lifecycle_configuration",
      "lc",
      { bucket: b, rule: [{ id: "h", status: "Enabled", noncurrent_version_expiration: [{ noncurrent_days: 30 }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }] },
    ],
    own: ["aws_s3_bucket_ownership_controls", "own", { bucket: b, rule: { object_ownership: "BucketOwnerEnforced" } }],
  };
  const out: Res[] = [["aws_s3_bucket", "b", { bucket: "x" }]];
  for (const [k, r] of Object.entries(parts)) {
    const o = overrides[k];
    if (o === null) continue;
    out.push([r[0], r[1], { ...r[2], ...(o ?? {}) }]);
  }
  return out;
}

const ecr = (attrs: Record<string, unknown> = {}, withLifecycle = true): Res[] => [
  ["aws_ecr_repository", "r", { name: "r", image_scanning_configuration: { scan_on_push: true }, image_tag_mutability: "IMMUTABLE", ...attrs }],
  ...(withLifecycle ? [["aws_ecr_lifecycle_policy", "lp", { repository: ref("aws_ecr_repository", "r", "name"), policy: "{}" }] as Res] : []),
];

const cluster = (attrs: Record<string, unknown> = {}): Res[] => [
  [
    "aws_eks_cluster",
    "c",
    {
      enabled_cluster_log_types: ["audit", "authenticator"],
      encryption_config: { resources: ["secrets"], provider: { key_arn: ref("aws_kms_key", "k", "arn") } },
      vpc_config: { endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] },
      ...attrs,
    },
  ],
];

const lt: Res = [
  "aws_launch_template",
  "lt",
  {
    metadata_options: { http_tokens: "required" },
    tag_specifications: ["instance", "volume"].map((resource_type) => ({ resource_type, tags: Object.fromEntries(REQUIRED_TAG_KEYS.map((k) => [k, "x"])) })),
  },
];
const nodeGroup = (attrs: Record<string, unknown> = {}): Res => [
  "aws_eks_node_group",
  "ng",
  { capacity_type: "SPOT", launch_template: { id: ref("aws_launch_template", "lt"), version: "1" }, ...attrs },
];

const fn = (attrs: Record<string, unknown> = {}): Res[] => [
  ["aws_cloudwatch_log_group", "lg", { name: "/aws/lambda/f", retention_in_days: 7 }],
  [
    "aws_lambda_function",
    "f",
    {
      runtime: "nodejs22.x",
      reserved_concurrent_executions: 1,
      tracing_config: { mode: "Active" },
      dead_letter_config: { target_arn: ref("aws_sqs_queue", "q", "arn") },
      logging_config: { log_group: ref("aws_cloudwatch_log_group", "lg", "name") },
      ...attrs,
    },
  ],
];

const rolePolicy = (statements: unknown[]): Res => ["aws_iam_role_policy", "rp", { policy: pj(statements) }];

const topic = (statements: unknown[], kms: string | null = "k"): Res[] => [
  ["aws_sns_topic", "t", kms ? { kms_master_key_id: kms } : {}],
  ["aws_sns_topic_policy", "tp", { arn: ref("aws_sns_topic", "t", "arn"), policy: pj(statements) }],
];
const publish = (principal: unknown) => ({ Sid: "P", Effect: "Allow", Principal: principal, Action: "sns:Publish", Resource: "*" });

interface Case {
  readonly good: Res[];
  readonly bad: Res[];
  readonly message: RegExp;
  readonly env?: EnvironmentConfig;
  readonly badProvider?: Record<string, unknown>;
}

const CASES: Record<string, Case> = {
  CKV2_AWS_6: { good: bucket(), bad: bucket({ pab: { restrict_public_buckets: false } }), message: /leaves restrict_public_buckets off/ },
  CKV_AWS_145: {
    good: bucket({ sse: { rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" }, bucket_key_enabled: true }] } }),
    bad: bucket({ sse: { rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" } }] } }),
    message: /bucket_key_enabled/,
  },
  CKV_AWS_21: { good: bucket(), bad: bucket({ ver: { versioning_configuration: { status: "Suspended" } } }), message: /versioning is not Enabled/ },
  "AwsSolutions-S10": { good: bucket(), bad: bucket({ pol: null }), message: /aws:SecureTransport/ },
  CKV2_AWS_61: {
    good: bucket(),
    bad: bucket({ lc: { rule: [{ id: "h", status: "Enabled", noncurrent_version_expiration: { noncurrent_days: 30 } }] } }),
    message: /does not abort incomplete multipart uploads/,
  },
  CKV2_AWS_65: { good: bucket(), bad: bucket({ own: { rule: { object_ownership: "ObjectWriter" } } }), message: /not BucketOwnerEnforced/ },
  CKV_AWS_163: { good: ecr(), bad: ecr({ image_scanning_configuration: { scan_on_push: false } }), message: /scan_on_push/ },
  CKV_AWS_51: { good: ecr(), bad: ecr({ image_tag_mutability: "MUTABLE" }), message: /IMMUTABLE in prod/, env: ENVIRONMENTS.prod },
  RF_ECR_LIFECYCLE: { good: ecr(), bad: ecr({}, false), message: /no aws_ecr_lifecycle_policy/ },
  CKV_AWS_58: { good: cluster(), bad: cluster({ encryption_config: undefined }), message: /encryption_config for 'secrets'/ },
  CKV_AWS_37: { good: cluster(), bad: cluster({ enabled_cluster_log_types: ["api"] }), message: /missing: audit, authenticator/ },
  CKV_AWS_38: {
    good: cluster(),
    bad: cluster({ vpc_config: { endpoint_public_access: true, public_access_cidrs: ["0.0.0.0/0"] } }),
    message: /contains 0\.0\.0\.0\/0/,
  },
  CKV_AWS_79: {
    good: [lt, nodeGroup()],
    bad: [["aws_launch_template", "lt", { ...lt[2], metadata_options: { http_tokens: "optional" } }], nodeGroup()],
    message: /http_tokens is not 'required'/,
  },
  CKV_AWS_100: { good: [lt, nodeGroup()], bad: [lt, nodeGroup({ remote_access: { ec2_ssh_key: "k" } })], message: /opens SSH/ },
  CKV_AWS_116: { good: fn(), bad: fn({ dead_letter_config: undefined }), message: /dead_letter_config/ },
  CKV_AWS_115: { good: fn(), bad: fn({ reserved_concurrent_executions: undefined }), message: /reserved_concurrent_executions/ },
  CKV_AWS_50: { good: fn(), bad: fn({ tracing_config: { mode: "PassThrough" } }), message: /tracing_config\.mode/ },
  CKV_AWS_364: {
    good: [["aws_lambda_permission", "p", { principal: "events.amazonaws.com", source_arn: "arn:aws:events:::rule/x" }]],
    bad: [["aws_lambda_permission", "p", { principal: "events.amazonaws.com" }]],
    message: /no source_arn/,
  },
  CKV_AWS_363: { good: fn(), bad: fn({ runtime: "nodejs16.x" }), message: /nodejs16\.x is not one of/ },
  CKV_AWS_63: {
    good: [rolePolicy([{ Sid: "S", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::b/*"] }])],
    bad: [rolePolicy([{ Sid: "S", Effect: "Allow", Action: ["s3:*"], Resource: ["arn:aws:s3:::b/*"] }])],
    message: /statement S allows s3:\*/,
  },
  CKV_AWS_355: {
    good: [rolePolicy([{ Sid: "S", Effect: "Allow", Action: ["ec2:DescribeInstances", "eks:ListClusters"], Resource: "*" }])],
    bad: [rolePolicy([{ Sid: "S", Effect: "Allow", Action: ["ec2:DescribeInstances", "eks:UpdateNodegroupConfig"], Resource: "*" }])],
    message: /grants eks:UpdateNodegroupConfig on Resource "\*"/,
  },
  CKV_AWS_62: {
    good: [["aws_iam_role", "r", { assume_role_policy: pj([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]) }]],
    bad: [["aws_iam_role", "r", { assume_role_policy: pj([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }]) }]],
    message: /any principal/,
  },
  CKV_AWS_26: { good: topic([publish({ Service: "budgets.amazonaws.com" })]), bad: topic([publish({ Service: "budgets.amazonaws.com" })], null), message: /kms_master_key_id/ },
  CKV_AWS_385: {
    good: topic([publish({ Service: ["budgets.amazonaws.com", "costalerts.amazonaws.com", "cloudwatch.amazonaws.com"] })]),
    bad: topic([publish({ AWS: "*" })]),
    message: /lets .* publish; allowed/,
  },
  CKV_AWS_66: {
    good: fn(),
    bad: [["aws_cloudwatch_log_group", "lg", { name: "/x" }]],
    message: /retention_in_days is not set/,
  },
  CKV_AWS_98: {
    good: [["aws_sagemaker_endpoint_configuration", "c", { kms_key_arn: "arn:aws:kms:::key/x" }]],
    bad: [["aws_sagemaker_endpoint_configuration", "c", {}]],
    message: /kms_key_arn/,
  },
  CKV_AWS_370: {
    good: [["aws_sagemaker_model", "m", { enable_network_isolation: true }]],
    bad: [["aws_sagemaker_model", "m", {}]],
    message: /enable_network_isolation/,
  },
  RF_REQUIRED_TAGS: {
    good: [lt],
    bad: [lt],
    badProvider: { default_tags: [{ tags: { Project: "p" } }] },
    message: /default_tags miss Environment, CostCenter, Owner, ManagedBy, Stack/,
  },
  RF_SPOT_OUTSIDE_PROD: { good: [lt, nodeGroup()], bad: [lt, nodeGroup({ capacity_type: "ON_DEMAND" })], message: /SPOT is required outside prod/ },
};

function run(rule: PolicyRule, resources: Res[], env: EnvironmentConfig, provider?: Record<string, unknown>) {
  return rule.check(new RuleContext(doc(resources, provider), env));
}

describe("policy rules", () => {
  test("every rule has a compliant and a non-compliant case", () => {
    expect(Object.keys(CASES).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  describe.each(RULES.map((r) => [r.id, r] as const))("%s", (id, rule) => {
    const c = CASES[id];
    const env = c.env ?? ENVIRONMENTS.dev;
    test("passes compliant Terraform", () => {
      expect(run(rule, c.good, env)).toEqual([]);
    });
    test("fails non-compliant Terraform, naming the resource and the reason", () => {
      const v = run(rule, c.bad, env, c.badProvider);
      expect(v.length).toBeGreaterThan(0);
      expect(v[0].ruleId).toBe(id);
      expect(v.map((x) => x.message).join("\n")).toMatch(c.message);
    });
  });

  test("ECR immutability is only enforced in prod", () => {
    const rule = RULES.find((r) => r.id === "CKV_AWS_51")!;
    expect(run(rule, ecr({ image_tag_mutability: "MUTABLE" }), ENVIRONMENTS.dev)).toEqual([]);
  });

  test("ON_DEMAND is allowed in prod", () => {
    const rule = RULES.find((r) => r.id === "RF_SPOT_OUTSIDE_PROD")!;
    expect(run(rule, [lt, nodeGroup({ capacity_type: "ON_DEMAND" })], ENVIRONMENTS.prod)).toEqual([]);
  });

  test("a Lambda without a managed log group fails log retention", () => {
    const rule = RULES.find((r) => r.id === "CKV_AWS_66")!;
    const v = run(rule, fn({ logging_config: undefined }), ENVIRONMENTS.dev);
    expect(v.map((x) => x.message)).toEqual([expect.stringMatching(/Lambda would create one without retention/)]);
  });
});
