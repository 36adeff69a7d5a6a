/**
 * Base of every environment stack: AWS provider with the cost-allocation default tags and the
 * environment's account pinned, S3 backend with native lockfile locking, and (sandbox only)
 * both pointed at the local emulator. Policy aspects run on every stack.
 */
import { Aspects, LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider, AwsProviderEndpoints } from "@cdktf/provider-aws/lib/provider";
import { EnvironmentConfig } from "../config/types";
import { names, Names } from "../config/naming";
import { RequiredTagKey, requiredTags } from "../modules/tags";
import { PolicyAspect } from "../policy/aspect";

import type { StackKind } from "../config/stacks";

export type { StackKind };

export interface PlatformStackProps {
  readonly config: EnvironmentConfig;
}

/** Services the platform uses; in the sandbox each is pointed at the emulator. */
const EMULATED_SERVICES = [
  "applicationautoscaling", "autoscaling", "budgets", "ce", "cloudwatch", "cloudwatchlogs", "codebuild", "ec2", "ecr", "eks", "events", "iam", "kms",
  "lambda", "s3", "sagemaker", "scheduler", "sns", "sqs", "ssm", "sts", "resourcegroupstaggingapi",
] as const;

/**
 * The provider against the emulator. No credentials here: as in an account, Terraform takes them
 * from its environment, so whoever runs it decides who it acts as: the emulator's administrator
 * (`npm start`'s deploy, the ops CLI by default: emulatorProcessEnv) or a role session (the
 * compute lifetime's scheduled teardown and restore, sandbox/lifetime.ts).
 */
export function emulatorProviderSettings(endpoint: string) {
  const endpoints: AwsProviderEndpoints = Object.fromEntries(EMULATED_SERVICES.map((s) => [s, endpoint]));
  return {
    endpoints: [endpoints],
    skipCredentialsValidation: true,
    skipMetadataApiCheck: "true",
    skipRegionValidation: true,
    s3UsePathStyle: true,
    // A dead emulator should fail in seconds, not after the SDK's nine attempts.
    maxRetries: 3,
  };
}

export abstract class PlatformStack extends TerraformStack {
  readonly config: EnvironmentConfig;
  readonly names: Names;
  readonly kind: StackKind;
  /** The cost-allocation tags of this stack (provider default_tags; node groups copy them to instances). */
  readonly requiredTags: Record<RequiredTagKey, string>;

  constructor(scope: Construct, kind: StackKind, props: PlatformStackProps) {
    const n = names(props.config);
    super(scope, n.stackName(kind));
    this.config = props.config;
    this.names = n;
    this.kind = kind;
    const cfg = props.config;
    const emulator = cfg.emulatorEndpoint;
    this.requiredTags = requiredTags({ project: cfg.project, environment: cfg.name, costCenter: cfg.costCenter, owner: cfg.owner }, n.stackName(kind));

    new AwsProvider(this, "aws", {
      region: cfg.region,
      allowedAccountIds: [cfg.accountId],
      defaultTags: [{ tags: this.requiredTags }],
      ...(emulator ? emulatorProviderSettings(emulator) : {}),
    });

    if (kind === "bootstrap") {
      // The state bucket cannot hold its own state: bootstrap keeps local state, once per account.
      new LocalBackend(this, { path: `terraform.${n.stackName(kind)}.tfstate` });
      Aspects.of(this).add(new PolicyAspect({ environment: cfg.name }));
      return;
    }
    const backend = new S3Backend(this, {
      bucket: n.stateBucket,
      key: n.stateKey(kind),
      region: cfg.region,
      encrypt: true,
      allowedAccountIds: [cfg.accountId],
      ...(emulator
        ? {
            endpoints: { s3: emulator, sts: emulator, iam: emulator },
            usePathStyle: true,
            skipCredentialsValidation: true,
            skipMetadataApiCheck: true,
            skipRegionValidation: true,
            // credentials from the environment, as the provider's (emulatorProviderSettings)
          }
        : {}),
    });
    // cdktf 0.21's S3Backend has no field for Terraform 1.10's native S3 locking.
    backend.addOverride("use_lockfile", true);

    Aspects.of(this).add(new PolicyAspect({ environment: cfg.name }));
  }
}
