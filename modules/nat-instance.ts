/**
 * A NAT instance for the private subnets of a small environment: one Graviton instance
 * (t4g.nano: $3/month on demand, about a third of that on spot, against $32.85/month plus
 * $0.045/GB for a NAT gateway), kept alive by an Auto Scaling group of one.
 *
 *   new NatInstance(this, "NatInstance", { name: "retail-forecast-dev-nat", vpcId, vpcCidr: "10.10.0.0/16",
 *     subnetId: publicSubnet.id, instanceType: "t4g.nano", spot: true, instanceTags });
 *
 * The private route tables point at a fixed network interface (source/destination check off),
 * not at the instance: when the instance dies (a spot interruption, a failed status check) the
 * group launches another, which attaches the same interface at boot, so no route is ever
 * repointed and Terraform's routes never drift. At boot the instance also switches off the
 * source/destination check of its own primary interface (traffic leaves through it, masqueraded
 * to its public IP) and enables forwarding. IMDSv2 only, hop limit 1 (nothing on it runs in a
 * container).
 *
 * What it trades against a NAT gateway: one instance in one AZ (a NAT gateway is zonal too, and
 * dev has one), a few minutes without egress while a replacement boots, a few Gbit/s of
 * bandwidth, and an instance to patch (each replacement boots the latest Amazon Linux 2023 AMI,
 * resolved from SSM at launch). Props:
 *  - `instanceType`: a Graviton type (arm64 AMI);
 *  - `spot`: spot capacity for the instance (@default false);
 *  - `instanceTags`: cost tags for the instance and its volume.
 */
import { Construct } from "constructs";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Role } from "./iam";

/** The AMI the launch template resolves at every launch (no Terraform drift when AWS publishes a new one). */
export const NAT_INSTANCE_AMI = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64";
/** Instance families with an arm64 (Graviton) AMI, which NAT_INSTANCE_AMI is. */
export const GRAVITON_FAMILIES = ["t4g", "c6g", "c7g", "m6g", "m7g"] as const;

export interface NatInstanceProps {
  readonly name: string;
  readonly vpcId: string;
  /** Traffic from this CIDR is forwarded. */
  readonly vpcCidr: string;
  /** A public subnet (a route to the internet gateway). */
  readonly subnetId: string;
  readonly instanceType: string;
  /** @default false */
  readonly spot?: boolean;
  readonly instanceTags: Readonly<Record<string, string>>;
  /** @default 8 */
  readonly rootVolumeGb?: number;
}

/** The boot script: take over the fixed interface (found by its Name tag), forward and masquerade. */
export function natUserData(name: string): string {
  return `#!/bin/bash
# NAT instance boot (modules/nat-instance.ts): attach the fixed interface the private routes
# target, stop dropping forwarded packets, masquerade them out of the primary interface.
set -euo pipefail
TOKEN=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 300")
md() { curl -sS -H "X-aws-ec2-metadata-token: $TOKEN" "http://169.254.169.254/latest/meta-data/$1"; }
ID=$(md instance-id)
export AWS_DEFAULT_REGION=$(md placement/region)
ENI=$(aws ec2 describe-network-interfaces --filters Name=tag:Name,Values=${name} --query 'NetworkInterfaces[0].NetworkInterfaceId' --output text)
aws ec2 modify-instance-attribute --instance-id "$ID" --no-source-dest-check
# the instance this one replaces may still hold the interface for a minute or two
for attempt in $(seq 1 60); do
  state=$(aws ec2 describe-network-interfaces --network-interface-ids "$ENI" --query 'NetworkInterfaces[0].Status' --output text)
  if [ "$state" = "available" ]; then aws ec2 attach-network-interface --network-interface-id "$ENI" --instance-id "$ID" --device-index 1 && break; fi
  sleep 10
done
dnf install -y iptables-nft
cat > /etc/sysctl.d/90-nat.conf <<'CONF'
net.ipv4.ip_forward = 1
net.ipv4.conf.all.rp_filter = 0
net.ipv4.conf.default.rp_filter = 0
CONF
sysctl --system
OUT=$(ip route show default | awk '{print $5; exit}')
iptables -t nat -A POSTROUTING -o "$OUT" -j MASQUERADE
`;
}

export class NatInstance extends Construct {
  readonly networkInterface: NetworkInterface;
  readonly launchTemplate: LaunchTemplate;
  readonly group: AutoscalingGroup;

  constructor(scope: Construct, id: string, props: NatInstanceProps) {
    super(scope, id);
    const family = props.instanceType.split(".")[0];
    if (!(GRAVITON_FAMILIES as readonly string[]).includes(family)) {
      throw new Error(`instanceType must be a Graviton type (${GRAVITON_FAMILIES.join(", ")}: the AMI is arm64), got ${props.instanceType}`);
    }
    const sg = new SecurityGroup(this, "SecurityGroup", {
      name: props.name,
      description: `${props.name}: forwards the VPC's traffic to the internet`,
      vpcId: props.vpcId,
      ingress: [{ description: "from the VPC", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: [props.vpcCidr] }],
      egress: [{ description: "to the internet", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
      tags: { Name: props.name },
    });
    this.networkInterface = new NetworkInterface(this, "Interface", {
      subnetId: props.subnetId,
      securityGroups: [sg.id],
      sourceDestCheck: false,
      description: `${props.name}: the private routes' target; the NAT instance attaches it at boot`,
      tags: { Name: props.name },
    });
    const role = new Role(this, "Role", {
      name: props.name,
      assumedBy: "ec2.amazonaws.com",
      statements: [
        {
          // DescribeNetworkInterfaces is not resource-scoped in IAM.
          Sid: "ReadInterfaces",
          Effect: "Allow",
          Action: ["ec2:DescribeNetworkInterfaces"],
          Resource: "*",
        },
        {
          // Attach the fixed interface to this group's instances, switch off their own check.
          Sid: "TakeOverInterface",
          Effect: "Allow",
          Action: ["ec2:AttachNetworkInterface", "ec2:ModifyInstanceAttribute"],
          Resource: ["arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:*:*:network-interface/*"],
          Condition: { StringEquals: { "aws:ResourceTag/Name": props.name } },
        },
      ],
    });
    const profile = new IamInstanceProfile(this, "Profile", { name: props.name, role: role.role.name });
    const tags = { ...props.instanceTags, Name: props.name };
    this.launchTemplate = new LaunchTemplate(this, "LaunchTemplate", {
      name: props.name,
      imageId: NAT_INSTANCE_AMI,
      instanceType: props.instanceType,
      updateDefaultVersion: true,
      iamInstanceProfile: { arn: profile.arn },
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      // The primary interface's public IP carries the traffic out (and reaches the EC2 API at boot).
      networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "true", securityGroups: [sg.id], deleteOnTermination: "true" }],
      instanceMarketOptions: props.spot ? { marketType: "spot", spotOptions: { instanceInterruptionBehavior: "terminate" } } : undefined,
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: props.rootVolumeGb ?? 8, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } }],
      // a literal (the interface is found by its Name tag): base64 here, no Terraform function
      userData: Buffer.from(natUserData(props.name)).toString("base64"),
      tagSpecifications: [
        { resourceType: "instance", tags },
        { resourceType: "volume", tags },
      ],
    });
    this.group = new AutoscalingGroup(this, "Group", {
      name: props.name,
      minSize: 1,
      maxSize: 1,
      desiredCapacity: 1,
      vpcZoneIdentifier: [props.subnetId],
      healthCheckType: "EC2",
      healthCheckGracePeriod: 120,
      launchTemplate: { id: this.launchTemplate.id, version: "$Latest" },
      // Auto Scaling groups take no default_tags; the instances get theirs from the launch template.
      tag: Object.entries(props.instanceTags).map(([key, value]) => ({ key, value, propagateAtLaunch: false })),
    });
  }
}
