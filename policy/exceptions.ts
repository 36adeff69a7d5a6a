/**
 * The one reviewed list of deliberate policy exceptions: check id, resource, reason. Two kinds:
 *  - waivers of a check this project enforces, for the resources named;
 *  - public checks this project deliberately does not enforce because they fight cost
 *    (POLICY.md, "Rules that fight cost"): no rule here claims them, but `policy skips` turns
 *    them into the scanners' skip configuration so Checkov and Trivy agree.
 * `resource` is a glob (`*` matches anything, `/` included) over the construct path
 * (`dev-compute/Cluster/Resource`) or `<stack>/<address>` for Terraform that cdktf did not write.
 * `npm run policy -- exceptions` prints the list. Change it in a pull request like code.
 */
export interface PolicyException {
  /** A check id (Checkov's where the check is Checkov's; an RF_ id for the project's own). */
  readonly ruleId: string;
  readonly resource: string;
  readonly reason: string;
  /** @default - every environment (an environment-scoped exception never applies where the environment is unknown) */
  readonly environments?: readonly string[];
}

const OUTSIDE_PROD = ["dev", "staging", "sandbox"];

export const POLICY_EXCEPTIONS: readonly PolicyException[] = [
  {
    ruleId: "CKV_AWS_98",
    resource: "*-compute/ForecastEndpoint/Config",
    environments: ["dev", "staging"],
    reason: "serverless endpoint configs reject kms_key_arn (no instance storage to encrypt); real-time configs in prod and sandbox use the environment key",
  },
  {
    ruleId: "CKV_AWS_145",
    resource: "*",
    reason:
      "SSE-S3 (AES256) instead of SSE-KMS, by cost: with the AWS-managed aws/s3 key SSE-KMS adds no access boundary (its key policy lets every principal of the account use it through S3), so only a customer key would buy anything, at $1/month per key plus $0.03 per 10,000 requests (every GET/PUT without S3 Bucket Keys) and kms:Decrypt grants for every reader (SageMaker, the backup CLI, CI); the data is non-regulated forecasting input. Revisit if the data becomes sensitive.",
  },
  {
    ruleId: "CKV_AWS_51",
    resource: "*-data/*Repository/Resource",
    environments: OUTSIDE_PROD,
    reason: "mutable tags outside prod: CI re-pushes moving dev tags; prod repositories are IMMUTABLE (config ecr.immutableTags)",
  },
  {
    ruleId: "CKV_AWS_136",
    resource: "*-data/*Repository/Resource",
    reason:
      "ECR encrypts at rest with AES256 by default; KMS adds a KMS request per layer pull, and changing encryption_type replaces the repository (every image is deleted). Images hold no secrets",
  },
  {
    ruleId: "CKV_AWS_37",
    resource: "*-compute/Cluster/Resource",
    environments: OUTSIDE_PROD,
    reason: "all five control-plane log types outside prod: api, controllerManager and scheduler logs are high volume; audit + authenticator stay on (RF_EKS_LOG_MINIMUM, enforced)",
  },
  {
    ruleId: "CKV_AWS_88",
    resource: "*-compute/Network/NatInstance/LaunchTemplate",
    reason:
      "the NAT instance (network.egress nat-instance) is the egress: its primary interface's public IP carries the private subnets' traffic out and reaches the EC2 API at boot; it accepts only the VPC's CIDR (its security group) and runs nothing else. The node launch templates stay without public IPs (enforced)",
  },
  // Public checks not enforced, by cost decision (POLICY.md, "Rules that fight cost").
  {
    ruleId: "CKV_AWS_338",
    resource: "*",
    reason: "log retention >= 365 days: non-regulated platform logs; retention by cost policy (config logs.retentionInDays); the audit trail is CloudTrail",
  },
  {
    ruleId: "CKV_AWS_158",
    resource: "*",
    reason: "a KMS key per log group costs $1/month each plus a key policy per group; platform logs are low sensitivity and CloudWatch encrypts them at rest",
  },
  {
    ruleId: "CKV_AWS_18",
    resource: "*",
    reason: "S3 access logging writes an object per request batch; CloudTrail data events are enabled per bucket where an audit needs them",
  },
  {
    ruleId: "CKV_AWS_144",
    resource: "*",
    reason: "cross-region replication doubles storage; the data stack is persistent and teardown backs up to the backup bucket",
  },
  {
    ruleId: "CKV2_AWS_62",
    resource: "*",
    reason: "no consumer for S3 event notifications",
  },
  {
    ruleId: "CKV_AWS_39",
    resource: "*-compute/Cluster/Resource",
    reason: "a private-only endpoint needs VPN or in-VPC runners; the public endpoint is limited to network.eksPublicAccessCidrs (CKV_AWS_38 enforced)",
  },
  {
    ruleId: "CKV_AWS_117",
    resource: "*-ops/Scheduler/Function",
    reason: "the scheduler only calls AWS APIs; in a VPC it would need NAT or endpoints and its ENIs slow teardown by up to ~45 min (as AWS Instance Scheduler)",
  },
  {
    ruleId: "CKV_AWS_272",
    resource: "*-ops/Scheduler/Function",
    reason: "code signing needs a signing profile and pipeline; the bundle is built and deployed by the reviewed pipeline",
  },
  {
    ruleId: "CKV_AWS_341",
    resource: "*-compute/NodeGroup-*/LaunchTemplate",
    reason: "IMDS hop limit 2: the cluster autoscaler uses IRSA but other add-ons may still read node credentials; lower to 1 once every pod uses IRSA",
  },
];

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

/**
 * The exception that waives check `ruleId` for the resource at construct path `path` (or
 * `<stack>/<address>`), in environment `env` (undefined: unknown, and then only exceptions
 * for every environment apply).
 */
export function isExcepted(
  ruleId: string,
  paths: string | readonly string[],
  env: string | undefined,
  list: readonly PolicyException[] = POLICY_EXCEPTIONS,
): PolicyException | undefined {
  const ps = typeof paths === "string" ? [paths] : paths;
  return list.find(
    (e) => e.ruleId === ruleId && (!e.environments || (env !== undefined && e.environments.includes(env))) && ps.some((p) => globToRegExp(e.resource).test(p)),
  );
}
