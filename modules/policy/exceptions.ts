/**
 * The one reviewed list of deliberate policy exceptions: rule id, resource (construct path glob,
 * `*` matches anything), reason. Two kinds:
 *  - waivers of a rule this project enforces, for a named resource;
 *  - public checks this project deliberately does not enforce because they fight cost
 *    (POLICY.md's second table), kept here so a reviewer sees the decision and its reason.
 * `npm run policy:exceptions` prints it. Change it in a pull request like code.
 */
import { EnvironmentName } from "../../config/types";

export interface PolicyException {
  readonly ruleId: string;
  /** Construct path glob, e.g. `*-compute/Endpoint/Config`. */
  readonly resource: string;
  readonly reason: string;
  /** @default - every environment */
  readonly environments?: readonly EnvironmentName[];
}

export const POLICY_EXCEPTIONS: readonly PolicyException[] = [
  {
    ruleId: "CKV_AWS_98",
    resource: "*-compute/ForecastEndpoint/Config",
    environments: ["dev", "staging"],
    reason: "serverless endpoint configs reject kms_key_arn (no instance storage to encrypt); real-time configs in prod and sandbox use the environment key",
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
  {
    ruleId: "CKV_AWS_37",
    resource: "*-compute/Cluster/Resource",
    environments: ["dev", "staging", "sandbox"],
    reason: "strict form (all five log types): api, controllerManager and scheduler logs are high volume; audit + authenticator stay on (enforced)",
  },
];

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split("*").map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
}

/** Whether a violation of `ruleId` at construct path `path` is waived in `env`. */
export function isExcepted(ruleId: string, path: string, env: EnvironmentName, list = POLICY_EXCEPTIONS): PolicyException | undefined {
  return list.find(
    (e) => e.ruleId === ruleId && (!e.environments || e.environments.includes(env)) && globToRegExp(e.resource).test(path),
  );
}
