/**
 * EKS control plane: secrets envelope-encrypted with KMS, control-plane logs into a log group
 * the data stack owns (with retention), public endpoint limited to given CIDRs, and the OIDC
 * provider for IRSA.
 */
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { EksCluster as EksClusterResource } from "@cdktf/provider-aws/lib/eks-cluster";
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Role } from "./iam";

/**
 * What EKS does once the cluster's Kubernetes version leaves standard support: STANDARD upgrades
 * it to the next version; EXTENDED keeps it, billed at $0.60/h instead of $0.10/h for up to 12
 * more months. Without upgrade_policy EKS applies EXTENDED.
 */
export const EKS_SUPPORT_TYPES = ["STANDARD", "EXTENDED"] as const;
export type EksSupportType = (typeof EKS_SUPPORT_TYPES)[number];

export interface EksClusterProps {
  readonly name: string;
  readonly version: string;
  /** upgrade_policy.support_type, always written (a cluster without one goes to extended support). */
  readonly supportType: EksSupportType;
  readonly subnetIds: readonly string[];
  readonly publicAccessCidrs: readonly string[];
  readonly logTypes: readonly string[];
  readonly secretsKey: KmsKey;
}

export class EksCluster extends Construct {
  readonly cluster: EksClusterResource;
  readonly oidcProvider: IamOpenidConnectProvider;
  /** OIDC issuer without scheme, as IRSA trust conditions need it. */
  readonly oidcIssuerHost: string;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    if (props.publicAccessCidrs.length === 0 || props.publicAccessCidrs.includes("0.0.0.0/0")) {
      throw new Error(`publicAccessCidrs must list specific CIDRs (never 0.0.0.0/0), got ${JSON.stringify(props.publicAccessCidrs)}`);
    }
    if (!(EKS_SUPPORT_TYPES as readonly string[]).includes(props.supportType)) {
      throw new Error(`supportType must be one of ${EKS_SUPPORT_TYPES.join(", ")}, got ${String(props.supportType)}`);
    }
    const role = new Role(this, "Role", {
      name: `${props.name}-cluster`,
      assumedBy: "eks.amazonaws.com",
      managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"],
    });
    this.cluster = new EksClusterResource(this, "Resource", {
      name: props.name,
      version: props.version,
      roleArn: role.role.arn,
      enabledClusterLogTypes: [...props.logTypes],
      vpcConfig: {
        subnetIds: [...props.subnetIds],
        endpointPrivateAccess: true,
        endpointPublicAccess: true,
        publicAccessCidrs: [...props.publicAccessCidrs],
      },
      encryptionConfig: { resources: ["secrets"], provider: { keyArn: props.secretsKey.arn } },
      upgradePolicy: { supportType: props.supportType },
      dependsOn: role.attachments,
    });
    this.oidcProvider = new IamOpenidConnectProvider(this, "Oidc", {
      url: this.cluster.identity.get(0).oidc.get(0).issuer,
      clientIdList: ["sts.amazonaws.com"],
      // Root CA of the EKS OIDC endpoints; IAM ignores it for them but the API still wants one.
      thumbprintList: ["9e99a48a9960b14926bb7f3b02e22da2b0ab7280"],
    });
    this.oidcIssuerHost = Fn.replace(this.cluster.identity.get(0).oidc.get(0).issuer, "https://", "");
  }
}
