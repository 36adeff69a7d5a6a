import { PolicyRule } from "../types";
import { EcrImmutableTags } from "./ecr-immutable-tags";
import { EcrLifecycle } from "./ecr-lifecycle";
import { EcrScanOnPush } from "./ecr-scan-on-push";
import { EksImdsV2 } from "./eks-imdsv2";
import { EksLogging } from "./eks-logging";
import { EksNoSsh } from "./eks-no-ssh";
import { EksPublicEndpoint } from "./eks-public-endpoint";
import { EksSecretsEncryption } from "./eks-secrets-encryption";
import { IamNoAdmin } from "./iam-no-admin";
import { IamNoWildcardAction } from "./iam-no-wildcard-action";
import { IamNoWildcardResource } from "./iam-no-wildcard-resource";
import { LambdaConcurrency } from "./lambda-concurrency";
import { LambdaDlq } from "./lambda-dlq";
import { LambdaPermissionSourceArn } from "./lambda-permission-source-arn";
import { LambdaRuntime } from "./lambda-runtime";
import { LambdaTracing } from "./lambda-tracing";
import { LogRetention } from "./log-retention";
import { RequiredTags } from "./required-tags";
import { S3Encryption } from "./s3-encryption";
import { S3Lifecycle } from "./s3-lifecycle";
import { S3Ownership } from "./s3-ownership";
import { S3PublicAccessBlock } from "./s3-public-access-block";
import { S3TlsOnly } from "./s3-tls-only";
import { S3Versioning } from "./s3-versioning";
import { SageMakerEndpointKms } from "./sagemaker-endpoint-kms";
import { SageMakerNetworkIsolation } from "./sagemaker-network-isolation";
import { SnsEncryption } from "./sns-encryption";
import { SnsRestrictedPublishers } from "./sns-restricted-publishers";
import { SpotOutsideProd } from "./spot-outside-prod";

export const RULES: readonly PolicyRule[] = [
  S3PublicAccessBlock, S3Encryption, S3Versioning, S3TlsOnly, S3Lifecycle, S3Ownership,
  EcrScanOnPush, EcrImmutableTags, EcrLifecycle,
  EksSecretsEncryption, EksLogging, EksPublicEndpoint, EksImdsV2, EksNoSsh,
  LambdaDlq, LambdaConcurrency, LambdaTracing, LambdaPermissionSourceArn, LambdaRuntime,
  IamNoWildcardAction, IamNoWildcardResource, IamNoAdmin,
  SnsEncryption, SnsRestrictedPublishers,
  LogRetention, SageMakerEndpointKms, SageMakerNetworkIsolation,
  RequiredTags, SpotOutsideProd,
];
