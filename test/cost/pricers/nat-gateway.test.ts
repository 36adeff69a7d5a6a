import { natGateway } from "../../../cost/pricers/nat-gateway";
import { expectConsistent, lineNamed, price } from "./helpers";

const only = { pricers: [natGateway] };
const vpc = (id: string) => ({ [id]: { cidr_block: "10.0.0.0/16" } });
const subnet = (vpcId: string, az: string) => ({ vpc_id: `\${aws_vpc.${vpcId}.id}`, availability_zone: az });

describe("nat-gateway pricer", () => {
  test("without an S3 gateway endpoint the VPC's S3 traffic pays NAT processing; interface endpoints per AZ", () => {
    const e = price(
      {
        aws_vpc: vpc("V"),
        aws_subnet: { A: subnet("V", "us-east-1a"), B: subnet("V", "us-east-1b"), C: subnet("V", "us-east-1c") },
        aws_nat_gateway: { N: { subnet_id: "${aws_subnet.A.id}" } },
        aws_vpc_endpoint: { Ecr: { vpc_id: "${aws_vpc.V.id}", service_name: "com.amazonaws.us-east-1.ecr.api", vpc_endpoint_type: "Interface", subnet_ids: ["${aws_subnet.A.id}", "${aws_subnet.B.id}"] } },
      },
      { resources: { "aws_vpc.V": { natProcessedGbPerMonth: 10, s3TrafficGbPerMonth: 100 } } },
      only,
    );
    const [c] = e.components;
    expect(lineNamed(c.lines.optimized, "NAT data processed").quantity).toBe(110);
    expect(lineNamed(c.lines.optimized, "N hours")).toMatchObject({ quantity: 730, unitPriceUsd: 0.045 });
    expect(lineNamed(c.lines.optimized, "Ecr hours").quantity).toBe(2 * 730);
    // baseline: one NAT per AZ (3)
    expect(lineNamed(c.lines.baseline, "NAT gateway hours").quantity).toBe(3 * 730);
    expect(c.assumptions).toContain("no S3 gateway endpoint: 100 GB/month of S3 traffic pays NAT processing");
    expectConsistent(c);
  });

  test("two VPCs: each one's traffic and gateway endpoint count for itself", () => {
    const e = price(
      {
        aws_vpc: { ...vpc("A"), ...vpc("B") },
        aws_subnet: { Sa: subnet("A", "us-east-1a"), Sb: subnet("B", "us-east-1a") },
        aws_nat_gateway: { Na: { subnet_id: "${aws_subnet.Sa.id}" }, Nb: { subnet_id: "${aws_subnet.Sb.id}" } },
        aws_vpc_endpoint: { S3: { vpc_id: "${aws_vpc.A.id}", service_name: "com.amazonaws.us-east-1.s3" } },
      },
      { resources: { "aws_vpc.A": { s3TrafficGbPerMonth: 100 }, "aws_vpc.B": { s3TrafficGbPerMonth: 50 } } },
      only,
    );
    const [c] = e.components;
    expect(lineNamed(c.lines.optimized, "A NAT data processed").quantity).toBe(0);
    expect(lineNamed(c.lines.optimized, "A S3 gateway endpoint traffic").quantity).toBe(100);
    expect(lineNamed(c.lines.optimized, "B NAT data processed").quantity).toBe(50);
    expect(e.warnings).toEqual([]);
  });

  test("no VPC and no NAT: nothing to price", () => {
    expect(price({ aws_sqs_queue: { Q: {} } }, {}, only).components).toEqual([]);
  });
});
