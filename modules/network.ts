/**
 * VPC across two AZs: public subnets (NAT, load balancers), private subnets (nodes), an S3
 * gateway endpoint so S3 traffic never pays NAT processing, and the egress of the private
 * subnets, one of:
 *  - `nat-gateway`: `count` managed NAT gateways (1 shared outside prod, $32.85/month each plus
 *    $0.045/GB processed; 2 in prod, one per AZ);
 *  - `nat-instance`: one small Graviton instance (modules/nat-instance.ts) behind a fixed network
 *    interface that the private routes target, replaced by its Auto Scaling group when it dies;
 *  - `none`: no route out of the private subnets. Nodes then need the public subnets, which
 *    hand out public IPs (`publicNodes`); interface endpoints for ECR, STS, EC2 and Logs would be
 *    the other way, at $7.30/month per endpoint per AZ, more than a NAT instance.
 *
 *   const net = new Network(this, "Network", { name: "retail-forecast-dev", cidr: "10.10.0.0/16",
 *     region: "us-east-1", egress: { mode: "nat-gateway", count: 1 }, clusterName: "retail-forecast-dev",
 *     instanceTags: stack.requiredTags });
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
import { NatInstance } from "./nat-instance";

/** The egress of the private subnets (see the header). */
export type EgressProps =
  | { readonly mode: "nat-gateway"; readonly count: number }
  | {
      readonly mode: "nat-instance";
      /** A Graviton type (t4g.nano is enough for a dev environment's egress). */
      readonly instanceType: string;
      /** Spot capacity: an interruption costs a few minutes of egress while the group replaces the instance. */
      readonly spot: boolean;
    }
  | { readonly mode: "none" };

export const EGRESS_MODES = ["nat-gateway", "nat-instance", "none"] as const;

export interface NetworkProps {
  readonly name: string;
  /** A /16 to /24; split into four equal subnets. */
  readonly cidr: string;
  readonly region: string;
  readonly egress: EgressProps;
  /** Subnets are tagged for the EKS load balancer controller's discovery. */
  readonly clusterName: string;
  /**
   * The public subnets give instances launched in them public IPs (nodes run there when the
   * egress is `none`). @default false
   */
  readonly publicNodes?: boolean;
  /** Cost tags for what a NAT instance launches (default_tags do not reach instances and volumes). */
  readonly instanceTags?: Readonly<Record<string, string>>;
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
  readonly natInstance?: NatInstance;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const egress = props.egress;
    if (egress.mode === "nat-gateway" && ![1, 2].includes(egress.count)) throw new Error(`egress.count must be 1 (shared) or 2 (one per AZ), got ${egress.count}`);
    if (!(EGRESS_MODES as readonly string[]).includes(egress.mode)) throw new Error(`egress.mode must be one of ${EGRESS_MODES.join(", ")}, got ${String(egress.mode)}`);
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
          mapPublicIpOnLaunch: props.publicNodes ?? false,
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

    const natCount = egress.mode === "nat-gateway" ? egress.count : 0;
    this.natGateways = azs.slice(0, natCount).map((az, i) => {
      const eip = new Eip(this, `NatIp-${az}`, { domain: "vpc", tags: { Name: `${props.name}-nat-${az}` } });
      return new NatGateway(this, `Nat-${az}`, {
        allocationId: eip.allocationId,
        subnetId: this.publicSubnets[i].id,
        tags: { Name: `${props.name}-${az}` },
        dependsOn: [igw],
      });
    });

    if (egress.mode === "nat-instance") {
      this.natInstance = new NatInstance(this, "NatInstance", {
        name: `${props.name}-nat`,
        vpcId: this.vpc.id,
        vpcCidr: props.cidr,
        subnetId: this.publicSubnets[0].id,
        instanceType: egress.instanceType,
        spot: egress.spot,
        instanceTags: props.instanceTags ?? {},
      });
    }

    const privateRoutes = azs.map((az, i) => {
      const rt = new RouteTable(this, `PrivateRoutes-${az}`, { vpcId: this.vpc.id, tags: { Name: `${props.name}-private-${az}` } });
      if (this.natGateways.length > 0) {
        new Route(this, `PrivateDefault-${az}`, {
          routeTableId: rt.id,
          destinationCidrBlock: "0.0.0.0/0",
          natGatewayId: this.natGateways[i % this.natGateways.length].id,
        });
      } else if (this.natInstance) {
        // The fixed interface, not the instance: a replacement attaches it at boot, the route stays.
        new Route(this, `PrivateDefault-${az}`, { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", networkInterfaceId: this.natInstance.networkInterface.id });
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
