/**
 * Conformance: for every check id a rule claims (and every other tool's id it names as the
 * same), at least one compliant and one non-compliant case, written here from the check's
 * documented condition (Checkov's and Trivy's sources and pages), on hand-built Terraform JSON.
 * Edge cases the public checks are known for are cases of their own: mixed-case actions,
 * Effect omitted, account principals, prefix-scoped lifecycle rules, companions joined by name
 * or ARN, jsonencode(...) and aws_iam_policy_document forms, IAM on users and groups.
 */
import { modelOf } from "../../terraform";
import { claimedChecks, evaluate } from "../../policy/evaluate";
import { RULES } from "../../policy/rules";
import { REQUIRED_TAG_KEYS } from "../../modules/tags";

type Blocks = Record<string, Record<string, Record<string, unknown>>>;
interface Doc {
  readonly resource?: Blocks;
  readonly data?: Blocks;
  readonly provider?: unknown;
}
interface Case {
  readonly name: string;
  readonly stacks: Record<string, Doc>;
  readonly env?: string;
}

const NOW = new Date("2026-11-30T00:00:00Z");
const tags = Object.fromEntries(REQUIRED_TAG_KEYS.map((k) => [k, k === "Environment" ? "dev" : "x"]));
const provider = { aws: [{ region: "us-east-1", allowed_account_ids: ["111111111111"], default_tags: [{ tags }] }] };

/** Runs every rule over the stacks; the results for `id` (excepted or not: the list is not applied here). */
function run(c: Case, id: string) {
  const model = modelOf(Object.entries(c.stacks).map(([name, d]) => ({ name, doc: { provider, ...d } })));
  return evaluate(model, { env: c.env ?? "dev", asOf: NOW, exceptions: [] }).filter((r) => r.id === id);
}

const one = (resource: Blocks, data?: Blocks): Record<string, Doc> => ({ "dev-x": { resource, data } });
const pj = (statements: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const enc = (obj: unknown): string => "${jsonencode(" + JSON.stringify(obj).replace(/":/g, '" =') + ")}";
const ref = (addr: string, attr = "id") => "${" + addr + "." + attr + "}";

// ---------------------------------------------------------------------------------------------
// S3 building blocks: a compliant bucket, parts of it replaced or removed per case

const B = "aws_s3_bucket.b";
function bucket(parts: Partial<Record<"pab" | "sse" | "ver" | "pol" | "lc" | "own", Record<string, unknown> | null>> = {}, bucketAttrs: Record<string, unknown> = {}): Blocks {
  const b = ref(B);
  const base: Record<string, [string, Record<string, unknown>]> = {
    pab: ["aws_s3_bucket_public_access_block", { bucket: b, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true }],
    sse: ["aws_s3_bucket_server_side_encryption_configuration", { bucket: b, rule: [{ apply_server_side_encryption_by_default: [{ sse_algorithm: "aws:kms" }], bucket_key_enabled: true }] }],
    ver: ["aws_s3_bucket_versioning", { bucket: b, versioning_configuration: { status: "Enabled" } }],
    pol: [
      "aws_s3_bucket_policy",
      {
        bucket: b,
        policy: pj([{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [ref(B, "arn"), `${ref(B, "arn")}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }]),
      },
    ],
    lc: [
      "aws_s3_bucket_lifecycle_configuration",
      { bucket: b, rule: [{ id: "all", status: "Enabled", filter: [{ prefix: "" }], noncurrent_version_expiration: [{ noncurrent_days: 30 }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }] },
    ],
    own: ["aws_s3_bucket_ownership_controls", { bucket: b, rule: { object_ownership: "BucketOwnerEnforced" } }],
  };
  const out: Blocks = { aws_s3_bucket: { b: { bucket: "acme-data", ...bucketAttrs } } };
  for (const [k, [type, attrs]] of Object.entries(base)) {
    const o = parts[k as keyof typeof parts];
    if (o === null) continue;
    (out[type] ??= {})[k] = { ...attrs, ...(o ?? {}) };
  }
  return out;
}
const lcRule = (r: Record<string, unknown>) => ({ lc: { rule: [{ id: "r", status: "Enabled", ...r }] } });

// Lambda, EKS, IAM building blocks

const fn = (attrs: Record<string, unknown> = {}): Blocks => ({
  aws_cloudwatch_log_group: { lg: { name: "/aws/lambda/f", retention_in_days: 7 } },
  aws_lambda_function: {
    f: {
      function_name: "f",
      runtime: "nodejs22.x",
      reserved_concurrent_executions: 1,
      tracing_config: { mode: "Active" },
      dead_letter_config: { target_arn: ref("aws_sqs_queue.q", "arn") },
      logging_config: { log_group: ref("aws_cloudwatch_log_group.lg", "name") },
      ...attrs,
    },
  },
});
const cluster = (attrs: Record<string, unknown> = {}): Blocks => ({
  aws_eks_cluster: {
    c: {
      name: "c",
      version: "1.35",
      enabled_cluster_log_types: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      encryption_config: { resources: ["secrets"], provider: { key_arn: ref("aws_kms_key.k", "arn") } },
      vpc_config: { endpoint_public_access: true, public_access_cidrs: ["203.0.113.0/24"] },
      upgrade_policy: { support_type: "STANDARD" },
      ...attrs,
    },
  },
});
const lt = (attrs: Record<string, unknown> = {}): Record<string, unknown> => ({
  name: "nodes",
  metadata_options: { http_tokens: "required" },
  tag_specifications: ["instance", "volume"].map((resource_type) => ({ resource_type, tags })),
  ...attrs,
});
const nodeGroup = (attrs: Record<string, unknown> = {}): Blocks => ({
  aws_launch_template: { lt: lt() },
  aws_eks_node_group: { ng: { node_group_name: "ng", capacity_type: "SPOT", launch_template: { id: ref("aws_launch_template.lt"), version: "1" }, ...attrs } },
});
const rolePolicy = (policy: unknown, type = "aws_iam_role_policy"): Blocks => ({ [type]: { p: { role: "r", user: "u", group: "g", policy } } });
const allow = (action: unknown, resource: unknown = "arn:aws:s3:::b/*", extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Action: action, Resource: resource, ...extra });
const trust = (statement: Record<string, unknown>): Blocks => ({ aws_iam_role: { r: { name: "r", assume_role_policy: pj([{ Effect: "Allow", Action: "sts:AssumeRole", ...statement }]) } } });
const repo = (attrs: Record<string, unknown> = {}): Blocks => ({
  aws_ecr_repository: { r: { name: "acme/app", image_tag_mutability: "IMMUTABLE", image_scanning_configuration: { scan_on_push: true }, encryption_configuration: [{ encryption_type: "KMS" }], ...attrs } },
  aws_ecr_lifecycle_policy: { lp: { repository: "acme/app", policy: "{}" } },
});
const topic = (statements: unknown[], attrs: Record<string, unknown> = {}): Blocks => ({
  aws_sns_topic: { t: { name: "alerts", kms_master_key_id: ref("aws_kms_key.k", "arn"), ...attrs } },
  aws_sns_topic_policy: { tp: { arn: ref("aws_sns_topic.t", "arn"), policy: pj(statements) } },
});
const publish = (principal: unknown, extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Principal: principal, Action: "sns:Publish", Resource: "*", ...extra });
const key = (attrs: Record<string, unknown> = {}): Blocks => ({
  aws_kms_key: { k: { enable_key_rotation: true, policy: pj([{ Sid: "Root", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "kms:*", Resource: "*" }]), ...attrs } },
});

// ---------------------------------------------------------------------------------------------

interface Cases {
  readonly good: Case[];
  readonly bad: Case[];
}
const c = (name: string, stacks: Record<string, Doc>, env?: string): Case => ({ name, stacks, env });

const FLAG_CASES = (flag: string): Cases => ({
  good: [c("all four flags on", one(bucket()))],
  bad: [c(`${flag} false`, one(bucket({ pab: { [flag]: false } }))), c(`${flag} absent (defaults to false)`, one(bucket({ pab: { [flag]: undefined } })))],
});
const TRIVY_FLAG_CASES = (flag: string): Cases => ({
  good: [c("all four flags on", one(bucket()))],
  bad: [c(`${flag} false`, one(bucket({ pab: { [flag]: false } }))), c("bucket without an access block", one(bucket({ pab: null })))],
});

const CASES: Record<string, Cases> = {
  CKV2_AWS_6: {
    good: [
      c("access block by reference", one(bucket())),
      c("access block joined by bucket name", one(bucket({ pab: { bucket: "acme-data" } }))),
      c("only acls and policy flags are required", one(bucket({ pab: { ignore_public_acls: false, restrict_public_buckets: false } }))),
    ],
    bad: [c("no access block", one(bucket({ pab: null }))), c("block_public_policy off", one(bucket({ pab: { block_public_policy: false } })))],
  },
  "AVD-AWS-0094": {
    good: [c("access block joined by ARN literal", one(bucket({ pab: { bucket: "arn:aws:s3:::acme-data", block_public_acls: false } })))],
    bad: [c("no access block", one(bucket({ pab: null })))],
  },
  CKV_AWS_53: FLAG_CASES("block_public_acls"),
  CKV_AWS_54: FLAG_CASES("block_public_policy"),
  CKV_AWS_55: FLAG_CASES("ignore_public_acls"),
  CKV_AWS_56: FLAG_CASES("restrict_public_buckets"),
  "AVD-AWS-0086": TRIVY_FLAG_CASES("block_public_acls"),
  "AVD-AWS-0087": TRIVY_FLAG_CASES("block_public_policy"),
  "AVD-AWS-0091": TRIVY_FLAG_CASES("ignore_public_acls"),
  "AVD-AWS-0093": TRIVY_FLAG_CASES("restrict_public_buckets"),
  "AVD-AWS-0088": {
    good: [c("SSE-S3 counts as encrypted", one(bucket({ sse: { rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }] } })))],
    bad: [c("no encryption configuration", one(bucket({ sse: null })))],
  },
  CKV_AWS_145: {
    good: [
      c("aws:kms", one(bucket())),
      c("aws:kms:dsse", one(bucket({ sse: { rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms:dsse" } }] } }))),
      c("deprecated inline block with aws:kms", one(bucket({ sse: null }, { server_side_encryption_configuration: { rule: { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" } } } }))),
    ],
    bad: [c("SSE-S3 (AES256) is not KMS", one(bucket({ sse: { rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }] } }))), c("no encryption", one(bucket({ sse: null })))],
  },
  CKV_AWS_21: {
    good: [c("versioning Enabled", one(bucket())), c("deprecated inline versioning", one(bucket({ ver: null }, { versioning: { enabled: true } })))],
    bad: [c("Suspended", one(bucket({ ver: { versioning_configuration: { status: "Suspended" } } }))), c("no versioning", one(bucket({ ver: null })))],
  },
  RF_S3_NONCURRENT_EXPIRY: {
    good: [c("whole-bucket noncurrent expiry", one(bucket()))],
    bad: [
      c("no noncurrent expiry", one(bucket(lcRule({ filter: [{ prefix: "" }], abort_incomplete_multipart_upload: { days_after_initiation: 7 } })))),
      c("noncurrent expiry scoped to one prefix", one(bucket(lcRule({ filter: [{ prefix: "tmp/" }], noncurrent_version_expiration: { noncurrent_days: 30 } })))),
    ],
  },
  "AwsSolutions-S10": {
    good: [
      c("Deny without TLS, by reference", one(bucket())),
      c(
        "policy joined by ARN literal, mixed-case action, jsonencode form",
        one(bucket({ pol: { bucket: "arn:aws:s3:::acme-data", policy: enc({ Statement: [{ Effect: "Deny", Principal: { AWS: "*" }, Action: ["S3:*"], Resource: ["arn:aws:s3:::acme-data", "arn:aws:s3:::acme-data/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }] }) } })),
      ),
    ],
    bad: [
      c("no policy", one(bucket({ pol: null }))),
      c("Deny covers the bucket but not its objects", one(bucket({ pol: { policy: pj([{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: ref(B, "arn"), Condition: { Bool: { "aws:SecureTransport": "false" } } }]) } }))),
    ],
  },
  CKV2_AWS_61: {
    good: [c("lifecycle by reference", one(bucket())), c("lifecycle joined by bucket name", one(bucket({ lc: { bucket: "acme-data" } })))],
    bad: [c("no lifecycle", one(bucket({ lc: null })))],
  },
  CKV_AWS_300: {
    good: [
      c("abort in a rule with an empty filter", one(bucket())),
      c("abort in a rule with no filter", one(bucket(lcRule({ abort_incomplete_multipart_upload: { days_after_initiation: 7 }, noncurrent_version_expiration: { noncurrent_days: 3 } })))),
    ],
    bad: [
      c("abort limited to one prefix", one(bucket(lcRule({ filter: [{ prefix: "raw/" }], abort_incomplete_multipart_upload: { days_after_initiation: 7 } })))),
      c("abort limited by an and-filter", one(bucket(lcRule({ filter: [{ and: [{ prefix: "", tags: { t: "1" } }] }], abort_incomplete_multipart_upload: { days_after_initiation: 7 } })))),
      c("abort in a Disabled rule", one(bucket({ lc: { rule: [{ id: "r", status: "Disabled", abort_incomplete_multipart_upload: { days_after_initiation: 7 } }] } }))),
    ],
  },
  CKV2_AWS_65: {
    good: [c("BucketOwnerEnforced", one(bucket()))],
    bad: [c("ObjectWriter", one(bucket({ own: { rule: { object_ownership: "ObjectWriter" } } })))],
  },
  RF_S3_OWNERSHIP_ENFORCED: {
    good: [c("BucketOwnerEnforced", one(bucket()))],
    bad: [c("no ownership controls", one(bucket({ own: null })))],
  },
  // ECR
  CKV_AWS_163: { good: [c("scan on push", one(repo()))], bad: [c("scan_on_push false", one(repo({ image_scanning_configuration: { scan_on_push: false } })))] },
  CKV_AWS_51: { good: [c("IMMUTABLE", one(repo()))], bad: [c("MUTABLE", one(repo({ image_tag_mutability: "MUTABLE" }))), c("unset (MUTABLE)", one(repo({ image_tag_mutability: undefined })))] },
  CKV_AWS_136: { good: [c("KMS", one(repo()))], bad: [c("AES256", one(repo({ encryption_configuration: [{ encryption_type: "AES256" }] }))), c("unset", one(repo({ encryption_configuration: undefined })))] },
  RF_ECR_LIFECYCLE: {
    good: [c("lifecycle joined by repository name", one(repo()))],
    bad: [c("no lifecycle policy", one({ aws_ecr_repository: repo().aws_ecr_repository }))],
  },
  CKV_AWS_32: {
    good: [
      c("account principal", one({ aws_ecr_repository_policy: { p: { repository: "acme/app", policy: pj([{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111111111111:root" }, Action: "ecr:BatchGetImage" }]) } } })),
      c("public principal limited by aws:PrincipalOrgID", one({ aws_ecr_repository_policy: { p: { repository: "acme/app", policy: pj([{ Effect: "Allow", Principal: "*", Action: "ecr:BatchGetImage", Condition: { StringEquals: { "aws:PrincipalOrgID": "o-123" } } }]) } } })),
    ],
    bad: [c("Principal *, Effect omitted", one({ aws_ecr_repository_policy: { p: { repository: "acme/app", policy: pj([{ Principal: "*", Action: "ecr:*" }]) } } }))],
  },
  // EKS
  CKV_AWS_58: { good: [c("secrets with a key", one(cluster()))], bad: [c("no encryption_config", one(cluster({ encryption_config: undefined }))), c("other resources only", one(cluster({ encryption_config: { resources: ["configmaps"], provider: { key_arn: "k" } } })))] },
  CKV_AWS_37: { good: [c("all five", one(cluster()))], bad: [c("audit and authenticator only", one(cluster({ enabled_cluster_log_types: ["audit", "authenticator"] })))] },
  RF_EKS_LOG_MINIMUM: { good: [c("audit and authenticator", one(cluster({ enabled_cluster_log_types: ["authenticator", "audit"] })))], bad: [c("api only", one(cluster({ enabled_cluster_log_types: ["api"] }))), c("none", one(cluster({ enabled_cluster_log_types: undefined })))] },
  CKV_AWS_38: {
    good: [c("limited CIDRs", one(cluster())), c("private endpoint only", one(cluster({ vpc_config: { endpoint_public_access: false } })))],
    bad: [c("0.0.0.0/0", one(cluster({ vpc_config: { endpoint_public_access: true, public_access_cidrs: ["0.0.0.0/0"] } }))), c("public by default, no CIDRs", one(cluster({ vpc_config: { subnet_ids: ["s"] } })))],
  },
  CKV_AWS_339: { good: [c("1.35 on 2026-11-30", one(cluster())), c("1.32 in extended support (until 2027-03-23)", one(cluster({ version: "1.32" })))], bad: [c("1.31 past extended support", one(cluster({ version: "1.31" }))), c("1.24", one(cluster({ version: "1.24" })))] },
  RF_EKS_SUPPORT_TYPE: {
    good: [
      c("STANDARD outside prod", one(cluster())),
      c("EXTENDED, explicitly, in prod", { "prod-x": { resource: cluster({ upgrade_policy: { support_type: "EXTENDED" } }) } }, "prod"),
      c("upgrade_policy written as a list of blocks (hcl2json)", one(cluster({ upgrade_policy: [{ support_type: "STANDARD" }] }))),
    ],
    bad: [
      c("no upgrade_policy (EKS applies extended support)", one(cluster({ upgrade_policy: undefined }))),
      c("upgrade_policy without a support type", one(cluster({ upgrade_policy: {} }))),
      c("EXTENDED outside prod", one(cluster({ upgrade_policy: { support_type: "EXTENDED" } }))),
    ],
  },
  RF_EKS_STANDARD_SUPPORT: { good: [c("1.34 in standard support", one(cluster({ version: "1.34" })))], bad: [c("1.32 in extended support", one(cluster({ version: "1.32" })))] },
  CKV_AWS_79: {
    good: [c("http_tokens required", one(nodeGroup())), c("metadata endpoint disabled", one({ aws_launch_template: { lt: lt({ metadata_options: { http_endpoint: "disabled" } }) } }))],
    bad: [c("http_tokens optional", one({ aws_launch_template: { lt: lt({ metadata_options: { http_tokens: "optional" } }) } })), c("instance without metadata_options", one({ aws_instance: { i: { ami: "ami-1" } } }))],
  },
  RF_EKS_NODES_LAUNCH_TEMPLATE: {
    good: [c("launch template by reference", one(nodeGroup())), c("launch template by name", one(nodeGroup({ launch_template: { name: "nodes", version: "1" } })))],
    bad: [c("no launch template", one(nodeGroup({ launch_template: undefined })))],
  },
  CKV_AWS_100: {
    good: [c("no remote access", one(nodeGroup())), c("SSH limited to a security group", one(nodeGroup({ remote_access: { ec2_ssh_key: "k", source_security_group_ids: ["sg-1"] } })))],
    bad: [c("SSH key, no source security groups", one(nodeGroup({ remote_access: { ec2_ssh_key: "k" } })))],
  },
  CKV_AWS_88: {
    good: [c("no network interfaces", one(nodeGroup())), c("interface without public IP", one({ aws_launch_template: { lt: lt({ network_interfaces: [{ associate_public_ip_address: "false" }] }) } }))],
    bad: [c("launch template hands out public IPs", one({ aws_launch_template: { lt: lt({ network_interfaces: [{ associate_public_ip_address: "true" }] }) } })), c("instance with a public IP", one({ aws_instance: { i: { associate_public_ip_address: true, metadata_options: { http_tokens: "required" } } } }))],
  },
  // Lambda and logs
  CKV_AWS_116: { good: [c("DLQ", one(fn()))], bad: [c("no DLQ", one(fn({ dead_letter_config: undefined })))] },
  CKV_AWS_115: { good: [c("reserved concurrency", one(fn())), c("reserved concurrency 0 is set", one(fn({ reserved_concurrent_executions: 0 })))], bad: [c("unset", one(fn({ reserved_concurrent_executions: undefined })))] },
  CKV_AWS_50: { good: [c("Active", one(fn())), c("PassThrough", one(fn({ tracing_config: { mode: "PassThrough" } })))], bad: [c("no tracing_config", one(fn({ tracing_config: undefined })))] },
  "AVD-AWS-0066": { good: [c("Active", one(fn()))], bad: [c("PassThrough", one(fn({ tracing_config: { mode: "PassThrough" } })))] },
  CKV_AWS_363: { good: [c("nodejs22.x", one(fn()))], bad: [c("nodejs16.x", one(fn({ runtime: "nodejs16.x" }))), c("python3.9", one(fn({ runtime: "python3.9" })))] },
  CKV_AWS_364: {
    good: [c("source_arn", one({ aws_lambda_permission: { p: { principal: "events.amazonaws.com", source_arn: "arn:aws:events:us-east-1:111111111111:rule/x" } } })), c("source_account", one({ aws_lambda_permission: { p: { principal: "s3.amazonaws.com", source_account: "111111111111" } } }))],
    bad: [c("service principal, no source", one({ aws_lambda_permission: { p: { principal: "events.amazonaws.com" } } }))],
  },
  "AVD-AWS-0067": {
    good: [c("source_arn", one({ aws_lambda_permission: { p: { principal: "events.amazonaws.com", source_arn: "arn:aws:events:us-east-1:111111111111:rule/x" } } }))],
    bad: [c("source_account only", one({ aws_lambda_permission: { p: { principal: "s3.amazonaws.com", source_account: "111111111111" } } }))],
  },
  CKV_AWS_301: {
    good: [c("service principal", one({ aws_lambda_permission: { p: { principal: "events.amazonaws.com", source_arn: "x" } } }))],
    bad: [c("principal *", one({ aws_lambda_permission: { p: { principal: "*" } } }))],
  },
  CKV_AWS_66: { good: [c("7 days", one(fn()))], bad: [c("no retention", one({ aws_cloudwatch_log_group: { lg: { name: "/x" } } })), c("0 (never expire)", one({ aws_cloudwatch_log_group: { lg: { name: "/x", retention_in_days: 0 } } }))] },
  RF_LAMBDA_LOG_GROUP: {
    good: [c("logging_config names the group", one(fn())), c("group named /aws/lambda/<function>", one(fn({ logging_config: undefined })))],
    bad: [c("no managed group", one({ aws_lambda_function: fn({ logging_config: undefined }).aws_lambda_function }))],
  },
  // IAM
  CKV_AWS_62: {
    good: [c("scoped grant", one(rolePolicy(pj([allow("s3:GetObject")]))))],
    bad: [
      c("* on *, Effect omitted", one(rolePolicy(pj([{ Action: "*", Resource: "*" }])))),
      c("* on * in a user policy", one(rolePolicy(pj([allow("*", "*")]), "aws_iam_user_policy"))),
      c("* on * from an aws_iam_policy_document", one({ aws_iam_group_policy: { p: { group: "g", policy: "${data.aws_iam_policy_document.d.json}" } } }, { aws_iam_policy_document: { d: { statement: [{ actions: ["*"], resources: ["*"] }] } } })),
    ],
  },
  CKV_AWS_274: {
    good: [c("ReadOnlyAccess", one({ aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } } }))],
    bad: [c("AdministratorAccess on a role", one({ aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" } } })), c("AdministratorAccess via managed_policy_arns", one({ aws_iam_role: { r: { name: "r", managed_policy_arns: ["arn:aws:iam::aws:policy/AdministratorAccess"] } } }))],
  },
  RF_IAM_NO_BROAD_MANAGED: {
    good: [c("ReadOnlyAccess", one({ aws_iam_group_policy_attachment: { a: { group: "g", policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } } }))],
    bad: [c("PowerUserAccess", one({ aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: "arn:aws:iam::aws:policy/PowerUserAccess" } } }))],
  },
  CKV_AWS_63: {
    good: [c("named actions", one(rolePolicy(pj([allow(["s3:GetObject"])])))), c("* in a Deny", one(rolePolicy(pj([{ Effect: "Deny", Action: "*", Resource: "*" }]))))],
    bad: [c("* in jsonencode", one(rolePolicy(enc({ Statement: [allow("*")] })))), c("* in a managed policy, Effect omitted", one(rolePolicy(pj([{ Action: ["*"], Resource: "x" }]), "aws_iam_policy")))],
  },
  RF_IAM_SERVICE_WILDCARD: {
    good: [c("named actions", one(rolePolicy(pj([allow(["s3:GetObject"])]))))],
    bad: [c("mixed-case service wildcard", one(rolePolicy(pj([allow(["S3:*"])])))), c("from an aws_iam_policy_document", one({ aws_iam_role_policy: { p: { role: "r", policy: "${data.aws_iam_policy_document.d.json}" } } }, { aws_iam_policy_document: { d: { statement: [{ actions: ["sqs:*"], resources: ["arn:aws:sqs:us-east-1:111111111111:q"] }] } } }))],
  },
  CKV_AWS_355: {
    good: [c("unscopable actions on *", one(rolePolicy(pj([allow(["ec2:Describe*", "xray:PutTraceSegments", "ECR:GetAuthorizationToken"], "*")])))), c("scopable action scoped", one(rolePolicy(pj([allow("eks:UpdateNodegroupConfig", "arn:aws:eks:us-east-1:111111111111:nodegroup/*/*/*")]))))],
    bad: [c("scopable action on *", one(rolePolicy(pj([allow(["ec2:DescribeInstances", "eks:UpdateNodegroupConfig"], "*")])))), c("service wildcard on * from a policy document", one({ aws_iam_role_policy: { p: { role: "r", policy: "${data.aws_iam_policy_document.d.json}" } } }, { aws_iam_policy_document: { d: { statement: [{ actions: ["ec2:*"], resources: ["*"] }] } } }))],
  },
  CKV_AWS_60: {
    good: [c("service principal", one(trust({ Principal: { Service: "lambda.amazonaws.com" } }))), c("public principal in a Deny", one({ aws_iam_role: { r: { assume_role_policy: pj([{ Effect: "Deny", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }]) } } }))],
    bad: [c("AWS *", one(trust({ Principal: { AWS: "*" } }))), c("Principal *, Effect omitted", one({ aws_iam_role: { r: { assume_role_policy: pj([{ Principal: "*", Action: "sts:AssumeRole" }]) } } }))],
  },
  CKV_AWS_61: {
    good: [
      c("a named role of another account", one(trust({ Principal: { AWS: "arn:aws:iam::999999999999:role/deployer" } }))),
      c("account root with sts:ExternalId, mixed-case action", one({ aws_iam_role: { r: { assume_role_policy: pj([{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::999999999999:root" }, Action: "STS:AssumeRole", Condition: { StringEquals: { "sts:ExternalId": "x" } } }]) } } })),
    ],
    bad: [c("account root", one(trust({ Principal: { AWS: "arn:aws:iam::999999999999:root" } }))), c("bare account id in a list", one(trust({ Principal: { AWS: ["arn:aws:iam::999999999999:role/x", "999999999999"] } })))],
  },
  CKV_AWS_40: {
    good: [c("role policy", one(rolePolicy(pj([allow("s3:GetObject")]))))],
    bad: [c("user policy", one(rolePolicy(pj([allow("s3:GetObject")]), "aws_iam_user_policy"))), c("policy attachment with users", one({ aws_iam_policy_attachment: { a: { name: "a", users: ["u"], policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } } }))],
  },
  RF_IAM_ROLES_ONLY: {
    good: [c("role attachment", one({ aws_iam_role_policy_attachment: { a: { role: "r", policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" } } }))],
    bad: [c("group policy", one(rolePolicy(pj([allow("s3:GetObject")]), "aws_iam_group_policy")))],
  },
  RF_IAM_PASSROLE_SCOPED: {
    good: [c("named role to one service", one(rolePolicy(pj([allow("iam:PassRole", "arn:aws:iam::111111111111:role/sm", { Condition: { StringEquals: { "iam:PassedToService": "sagemaker.amazonaws.com" } } })]))))],
    bad: [c("any role", one(rolePolicy(pj([allow("IAM:PassRole", "*")])))), c("named role, any service", one(rolePolicy(pj([allow("iam:Pass*", "arn:aws:iam::111111111111:role/sm")]))))],
  },
  RF_IAM_COMPUTE_BOUNDARY: (() => {
    const role = (attrs: Record<string, unknown>) => ({ aws_iam_role: { r: { name: "node", assume_role_policy: pj([{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }]), ...attrs } } });
    const boundary = "arn:aws:iam::111111111111:policy/acme-dev-compute-boundary";
    return {
      good: [
        c("compute role with the boundary", { "dev-compute": { resource: role({ permissions_boundary: boundary }) } }),
        c("boundary by reference to a managed policy", {
          "dev-compute": { resource: { ...role({ permissions_boundary: ref("aws_iam_policy.b", "arn") }), aws_iam_policy: { b: { name: "b", policy: pj([allow("ec2:DescribeInstances")]) } } } },
        }),
        c("a role outside a compute stack needs none", { "dev-ops": { resource: role({}) } }),
      ],
      bad: [
        c("compute role without a boundary", { "dev-compute": { resource: role({}) } }),
        c("an AWS-managed policy as boundary", { "dev-compute": { resource: role({ permissions_boundary: "arn:aws:iam::aws:policy/PowerUserAccess" }) } }),
        c("another account's policy", { "dev-compute": { resource: role({ permissions_boundary: "arn:aws:iam::999999999999:policy/acme-dev-compute-boundary" }) } }),
      ],
    };
  })(),
  // KMS, SQS, SNS
  CKV_AWS_7: { good: [c("rotation on", one(key())), c("asymmetric keys cannot rotate", one(key({ enable_key_rotation: false, customer_master_key_spec: "RSA_2048" })))], bad: [c("rotation off", one(key({ enable_key_rotation: false })))] },
  CKV2_AWS_64: {
    good: [c("inline policy", one(key())), c("aws_kms_key_policy by reference", one({ aws_kms_key: { k: { enable_key_rotation: true } }, aws_kms_key_policy: { p: { key_id: ref("aws_kms_key.k", "key_id"), policy: pj([]) } } }))],
    bad: [c("no policy", one(key({ policy: undefined })))],
  },
  CKV_AWS_33: {
    good: [c("account root", one(key()))],
    bad: [c("AWS * in an aws_kms_key_policy", one({ aws_kms_key: { k: { enable_key_rotation: true } }, aws_kms_key_policy: { p: { key_id: "k", policy: pj([{ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }]) } } })), c("Principal * inline, Effect omitted", one(key({ policy: pj([{ Principal: "*", Action: "kms:*", Resource: "*" }]) })))],
  },
  CKV_AWS_27: {
    good: [c("SQS-managed SSE", one({ aws_sqs_queue: { q: { name: "q", sqs_managed_sse_enabled: true } } })), c("KMS key", one({ aws_sqs_queue: { q: { name: "q", kms_master_key_id: "alias/aws/sqs" } } }))],
    bad: [c("neither", one({ aws_sqs_queue: { q: { name: "q" } } }))],
  },
  CKV_AWS_168: {
    good: [c("service principal with source ARN", one({ aws_sqs_queue: { q: { name: "q", sqs_managed_sse_enabled: true } }, aws_sqs_queue_policy: { p: { queue_url: ref("aws_sqs_queue.q", "url"), policy: pj([{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-1:111111111111:t" } } }]) } } }))],
    bad: [c("public, jsonencode form", one({ aws_sqs_queue: { q: { name: "q", sqs_managed_sse_enabled: true, policy: enc({ Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "SQS:SendMessage" }] }) } } }))],
  },
  CKV_AWS_26: { good: [c("KMS key", one(topic([publish({ Service: "budgets.amazonaws.com" })])))], bad: [c("no key", one(topic([publish({ Service: "budgets.amazonaws.com" })], { kms_master_key_id: undefined })))] },
  CKV_AWS_169: {
    good: [c("public principal limited by aws:SourceAccount", one(topic([publish("*", { Condition: { StringEquals: { "aws:SourceAccount": "111111111111" } } })])))],
    bad: [c("SNS:Publish to *", one(topic([publish("*", { Action: "SNS:Publish" })]))), c("AWS * with a negated condition", one(topic([publish({ AWS: "*" }, { Condition: { StringNotEquals: { "aws:SourceAccount": "1" } } })])))],
  },
  CKV_AWS_385: {
    good: [c("cross-account principal with a condition", one(topic([publish({ AWS: "arn:aws:iam::999999999999:root" }, { Condition: { StringEquals: { "aws:SourceArn": "x" } } })])))],
    bad: [c("cross-account principal, no condition", one(topic([publish({ AWS: "arn:aws:iam::999999999999:role/r" })])))],
  },
  RF_SNS_ALERT_PUBLISHERS: {
    good: [c("alerting services only", one(topic([publish({ Service: ["budgets.amazonaws.com", "costalerts.amazonaws.com", "cloudwatch.amazonaws.com"] })])))],
    bad: [
      c("mixed-case SNS:Publish to an account principal", one(topic([publish({ AWS: "arn:aws:iam::111111111111:root" }, { Action: "SNS:Publish" })]))),
      c("no topic policy", one({ aws_sns_topic: { t: { name: "alerts", kms_master_key_id: "k" } } })),
      c("another service", one(topic([publish({ Service: "s3.amazonaws.com" })]))),
    ],
  },
  // SageMaker, tags, spot
  CKV_AWS_98: { good: [c("key by reference", one({ aws_sagemaker_endpoint_configuration: { c: { kms_key_arn: ref("aws_kms_key.k", "arn") } } }))], bad: [c("no key", one({ aws_sagemaker_endpoint_configuration: { c: {} } }))] },
  CKV_AWS_370: { good: [c("isolated", one({ aws_sagemaker_model: { m: { enable_network_isolation: true } } }))], bad: [c("not isolated", one({ aws_sagemaker_model: { m: {} } }))] },
  RF_REQUIRED_TAGS: {
    good: [c("tagged provider and launch template", one(nodeGroup()))],
    bad: [c("a required tag blanked", one({ aws_s3_bucket: { b: { bucket: "x", tags: { Owner: "" } } } })), c("launch template without volume tags", one({ aws_launch_template: { lt: lt({ tag_specifications: [{ resource_type: "instance", tags }] }) } }))],
  },
  RF_SPOT_OUTSIDE_PROD: {
    good: [c("SPOT in dev", one(nodeGroup())), c("ON_DEMAND in prod", one(nodeGroup({ capacity_type: "ON_DEMAND" })), "prod")],
    bad: [c("ON_DEMAND in dev", one(nodeGroup({ capacity_type: "ON_DEMAND" }))), c("default capacity in staging", one(nodeGroup({ capacity_type: undefined })), "staging")],
  },
};

// The KMS grant for recreated endpoints: the role in one stack, the endpoint config in another.
const compute = (alias = "alias/acme-compute"): Doc => ({
  resource: {
    aws_kms_key: { k: { enable_key_rotation: true, policy: pj([]) } },
    aws_kms_alias: { a: { name: alias, target_key_id: ref("aws_kms_key.k", "key_id") } },
    aws_sagemaker_endpoint_configuration: { c: { name: "forecast-config", kms_key_arn: ref("aws_kms_key.k", "arn") } },
  },
});
const ops = (statements: unknown[]): Doc => ({
  resource: {
    aws_iam_role: { r: { name: "scheduler", assume_role_policy: pj([{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]) } },
    aws_iam_role_policy: { p: { role: ref("aws_iam_role.r"), policy: pj(statements) } },
  },
});
const create = allow("sagemaker:CreateEndpoint", "arn:aws:sagemaker:us-east-1:111111111111:endpoint-config/*");
const grantBy = (alias: string) => allow("kms:CreateGrant", "arn:aws:kms:us-east-1:111111111111:key/*", { Condition: { "ForAnyValue:StringEquals": { "kms:ResourceAliases": [alias] }, Bool: { "kms:GrantIsForAWSResource": "true" } } });
CASES.RF_KMS_ENDPOINT_GRANT = {
  good: [
    c("grant limited to the key's alias, across stacks", { "dev-compute": compute(), "dev-ops": ops([create, grantBy("alias/acme-compute")]) }),
    c("CreateEndpoint on another account's configs only", { "dev-compute": compute(), "dev-ops": ops([allow("sagemaker:CreateEndpoint", "arn:aws:sagemaker:us-east-1:999999999999:endpoint-config/*")]) }),
    c("grant in a managed policy attached by name", {
      "dev-compute": compute(),
      "dev-ops": {
        resource: {
          ...ops([create]).resource,
          aws_iam_policy: { m: { name: "kms", policy: pj([allow("kms:createGrant", "*")]) } },
          aws_iam_role_policy_attachment: { a: { role: "scheduler", policy_arn: ref("aws_iam_policy.m", "arn") } },
        },
      },
    }),
  ],
  bad: [
    c("no kms:CreateGrant (the sandbox's scheduler before the fix)", { "dev-compute": compute(), "dev-ops": ops([create]) }),
    c("grant limited to another alias", { "dev-compute": compute(), "dev-ops": ops([create, grantBy("alias/other")]) }),
  ],
};

const claimed = claimedChecks();
const allIds = [...new Set(claimed.flatMap((x) => [x.id, ...(x.check.same ?? [])]))];
const primaryOf = (id: string) => claimed.find((x) => x.id === id || x.check.same?.includes(id))!.id;

describe("conformance: every claimed id has compliant and non-compliant cases", () => {
  test("the case table covers every id the rules claim (and no other)", () => {
    const primaries = [...new Set(claimed.map((x) => x.id))].sort();
    expect(Object.keys(CASES).sort()).toEqual(primaries);
    expect(allIds.length).toBeGreaterThan(primaries.length);
  });

  describe.each(allIds.map((id) => [id] as const))("%s", (id) => {
    const cs = CASES[primaryOf(id)];
    test.each(cs.good.map((g) => [g.name, g] as const))("passes: %s", (_n, g) => {
      expect(run(g, primaryOf(id)).map((r) => `${r.subject.address}: ${r.message}`)).toEqual([]);
    });
    test.each(cs.bad.map((b) => [b.name, b] as const))("fails: %s", (_n, b) => {
      const rs = run(b, primaryOf(id));
      expect(rs.length).toBeGreaterThan(0);
      expect(rs.filter((r) => r.undecided).map((r) => r.message)).toEqual([]);
    });
  });

  test("every rule is registered once and every check id belongs to one rule", () => {
    expect(new Set(RULES.map((r) => r.name)).size).toBe(RULES.length);
    const ids = claimed.map((x) => x.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const x of claimed) if (/^RF_/.test(x.id)) expect(x.check.differs).toBeTruthy();
  });
});

describe("cannot decide: a resource a rule cannot read is reported with its address, never passed", () => {
  const undecided = (stacks: Record<string, Doc>, id: string) => run(c("u", stacks), id).filter((r) => r.undecided);

  test.each([
    ["an expression where a literal is judged", one(repo({ image_tag_mutability: "${var.mutability}" })), "CKV_AWS_51", "aws_ecr_repository.r"],
    ["an unresolved cdktf token", one(cluster({ version: "${TfToken[TOKEN.42]}" })), "CKV_AWS_339", "aws_eks_cluster.c"],
    ["an IAM document that is another resource's attribute", one(rolePolicy("${aws_iam_policy.other.policy}")), "CKV_AWS_63", "aws_iam_role_policy.p"],
    ["jsonencode of a function call", one(rolePolicy("${jsonencode(merge(local.a, local.b))}")), "CKV_AWS_355", "aws_iam_role_policy.p"],
    ["a trust policy that is an unresolved token", one({ aws_iam_role: { r: { assume_role_policy: "${TfToken[TOKEN.7]}" } } }), "CKV_AWS_61", "aws_iam_role.r"],
    ["a companion whose bucket is an expression over variables", one(bucket({ pab: { bucket: "${var.bucket}" } })), "CKV2_AWS_6", "aws_s3_bucket.b"],
    ["a bucket policy that cannot be decoded", one(bucket({ pol: { policy: "${data.external.p.result}" } })), "AwsSolutions-S10", "aws_s3_bucket.b"],
    ["a launch template given by an expression", one(nodeGroup({ launch_template: { id: "${var.lt}", version: "1" } })), "RF_EKS_NODES_LAUNCH_TEMPLATE", "aws_eks_node_group.ng"],
  ])("%s", (_n, stacks, id, address) => {
    const rs = undecided(stacks, id);
    expect(rs.map((r) => r.subject.address)).toContain(address);
    expect(rs[0].message).toMatch(/^cannot decide: /);
  });

  test("cannot decide fails like a violation unless excepted", () => {
    const model = modelOf([{ name: "dev-x", doc: { provider, ...one(repo({ image_tag_mutability: "${var.m}" }))["dev-x"] } }]);
    const r = evaluate(model, { env: "dev", asOf: NOW, exceptions: [] }).find((x) => x.id === "CKV_AWS_51")!;
    expect(r).toMatchObject({ undecided: true, excepted: undefined });
    const waived = evaluate(model, { env: "dev", asOf: NOW, exceptions: [{ ruleId: "CKV_AWS_51", resource: "dev-x/aws_ecr_repository.r", reason: "test" }] }).find((x) => x.id === "CKV_AWS_51")!;
    expect(waived.excepted?.reason).toBe("test");
  });
});
