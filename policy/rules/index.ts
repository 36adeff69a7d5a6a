/** Every policy rule, one per file. Add a rule: a file beside these, a line here, its cases in test/policy/conformance.test.ts. */
import { Rule } from "../rule";
import { Ec2LaunchTemplate } from "./ec2-launch-template";
import { Ecr } from "./ecr";
import { EksCluster } from "./eks-cluster";
import { EksVersion } from "./eks-version";
import { IamAdmin } from "./iam-admin";
import { IamComputeBoundary } from "./iam-compute-boundary";
import { IamPassRole } from "./iam-pass-role";
import { IamTrust } from "./iam-trust";
import { IamUsersGroups } from "./iam-users-groups";
import { IamWildcardAction } from "./iam-wildcard-action";
import { IamWildcardResource } from "./iam-wildcard-resource";
import { KmsEndpointGrant } from "./kms-endpoint-grant";
import { KmsKey } from "./kms-key";
import { LambdaFunction } from "./lambda-function";
import { LambdaPermission } from "./lambda-permission";
import { LogRetention } from "./log-retention";
import { RequiredTags } from "./required-tags";
import { S3Encryption } from "./s3-encryption";
import { S3Lifecycle } from "./s3-lifecycle";
import { S3Ownership } from "./s3-ownership";
import { S3PublicAccessBlock } from "./s3-public-access-block";
import { S3TlsOnly } from "./s3-tls-only";
import { S3Versioning } from "./s3-versioning";
import { SageMaker } from "./sagemaker";
import { Sns } from "./sns";
import { SnsAlertPublishers } from "./sns-alert-publishers";
import { SpotOutsideProd } from "./spot-outside-prod";
import { Sqs } from "./sqs";

export const RULES: readonly Rule[] = [
  S3PublicAccessBlock, S3Encryption, S3Versioning, S3TlsOnly, S3Lifecycle, S3Ownership,
  Ecr,
  EksCluster, EksVersion, Ec2LaunchTemplate,
  LambdaFunction, LambdaPermission, LogRetention,
  IamAdmin, IamWildcardAction, IamWildcardResource, IamTrust, IamUsersGroups, IamPassRole, IamComputeBoundary,
  KmsKey, KmsEndpointGrant,
  Sqs, Sns, SnsAlertPublishers,
  SageMaker, RequiredTags, SpotOutsideProd,
];
