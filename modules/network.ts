/**
 * VPC across two AZs: public subnets (NAT, load balancers), private subnets (nodes), an S3
 * gateway endpoint so S3 traffic never pays NAT processing, and `natGateways` NAT gateways
 * (1 shared outside prod: $32/month each plus traffic).
 *
 *   const net = new Network(this, "Network", { name: "retail-forecast-dev", cidr: "10.10.0.0/16",
 *     region: "us-east-1", natGateways: 1, clusterName: "retail-forecast-dev" });
 */
import { Construct } from "constructs";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { VpcEndpoint } from "@cdktf/provider-aws/lib/vpc-endpoint";

export interface NetworkProps {
  readonly name: string;
  /** A /16 to /24; split into four equal subnets. */
  readonly cidr: string;
  readonly region: string;
  /** 0, 1 (shared) or 2 (one per AZ). */
  readonly natGateways: number;
  /** Subnets are tagged for the EKS load balancer controller's discovery. */
  readonly clusterName: string;
}

function subnetCidr(cidr: string, index: number): string {
  const [base, bitsText] = cidr.split("/");
  const bits = Number(bitsText) + 2;
  const octets = base.split(".").map(Number);
  const ip = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const next = (ip + index * 2 ** (32 - bits)) >>> 0;
  return `${[24, 16, 8, 0].map((s) => (next >>> s) & 255).join(".")}/${bits}`;
}

export class Network extends Construct {
  readonly vpc: Vpc;
  readonly publicSubnets: Subnet[];
  readonly privateSubnets: Subnet[];
  readonly natGateways: NatGateway[];

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    if (props.natGateways < 0 || props.natGateways > 2) throw new Error(`natGateways must be 0, 1 or 2, got ${props.natGateways}`);
    const azs = ["a", "b"].map((s) => `${props.region}${s}`);
    this.vpc = new Vpc(this, "Resource", {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      tags: { Name: props.name },
    });
    const igw = new InternetGateway(this, "InternetGateway", { vpcId: this.vpc.id, tags: { Name: props.name } });

    this.publicSubnets = azs.map(
      (az, i) =>
        new Subnet(this, `Public-${az}`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: subnetCidr(props.cidr, i),
          mapPublicIpOnLaunch: false,
          tags: { Name: `${props.name}-public-${az}`, "kubernetes.io/role/elb": "1", [`kubernetes.io/cluster/${props.clusterName}`]: "shared" },
        }),
    );
    this.privateSubnets = azs.map(
      (az, i) =>
        new Subnet(this, `Private-${az}`, {
          vpcId: this.vpc.id,
          availabilityZone: az,
          cidrBlock: subnetCidr(props.cidr, i + 2),
          tags: { Name: `${props.name}-private-${az}`, "kubernetes.io/role/internal-elb": "1", [`kubernetes.io/cluster/${props.clusterName}`]: "shared" },
        }),
    );

    const publicRoutes = new RouteTable(this, "PublicRoutes", { vpcId: this.vpc.id, tags: { Name: `${props.name}-public` } });
    new Route(this, "PublicDefault", { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
    this.publicSubnets.forEach((s, i) => new RouteTableAssociation(this, `PublicAssoc-${azs[i]}`, { subnetId: s.id, routeTableId: publicRoutes.id }));

    this.natGateways = azs.slice(0, props.natGateways).map((az, i) => {
      const eip = new Eip(this, `NatIp-${az}`, { domain: "vpc", tags: { Name: `${props.name}-nat-${az}` } });
      return new NatGateway(this, `Nat-${az}`, {
        allocationId: eip.allocationId,
        subnetId: this.publicSubnets[i].id,
        tags: { Name: `${props.name}-${az}` },
        dependsOn: [igw],
      });
    });

    const privateRoutes = azs.map((az, i) => {
      const rt = new RouteTable(this, `PrivateRoutes-${az}`, { vpcId: this.vpc.id, tags: { Name: `${props.name}-private-${az}` } });
      if (this.natGateways.length > 0) {
        new Route(this, `PrivateDefault-${az}`, {
          routeTableId: rt.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: this.natGateways[i % this.natGateways.length].id,
        });
      }
      new RouteTableAssociation(this, `PrivateAssoc-${az}`, { subnetId: this.privateSubnets[i].id, routeTableId: rt.id });
      return rt;
    });

    new VpcEndpoint(this, "S3GatewayEndpoint", {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [publicRoutes.id, ...privateRoutes.map((r) => r.id)],
      tags: { Name: `${props.name}-s3` },
    });
  }
}

export { subnetCidr };
