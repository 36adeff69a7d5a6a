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

export interface EksClusterProps {
  readonly name: string;
  readonly version: string;
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
