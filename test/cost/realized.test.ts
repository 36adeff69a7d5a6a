import * as fs from "fs";
import * as path from "path";
import { Estimate } from "../../cost/estimate";
import { compareRealized, lastFullMonth, SERVICE_RULES, SERVICES, serviceOf } from "../../cost/realized";

const golden = (env: string) => JSON.parse(fs.readFileSync(path.join(__dirname, "golden", `${env}-estimate.json`), "utf8"));
const ALL_SERVICES = Object.values(SERVICES) as string[];

describe("estimate lines -> Cost Explorer services", () => {
  test.each(["dev", "prod"])("every line of the %s estimate (real synthesis) maps to a Cost Explorer service", (env) => {
    const e = golden(env);
    const unmapped: string[] = [];
    for (const c of e.components) {
      for (const l of [...c.lines.baseline, ...c.lines.optimized]) {
        const svc = serviceOf(c, l);
        if (!svc || !ALL_SERVICES.includes(svc)) unmapped.push(`${c.name}: ${l.name}`);
      }
    }
    expect(unmapped).toEqual([]);
  });

  test.each([
    ["eks-control-plane", "control plane hours", undefined, "Amazon Elastic Container Service for Kubernetes"],
    ["eks-node-group", "node hours", "dev-compute:aws_eks_node_group.NodeGroup-api", "Amazon Elastic Compute Cloud - Compute"],
    ["eks-node-group", "root volumes", "dev-compute:aws_eks_node_group.NodeGroup-api", "EC2 - Other"],
    ["nat", "Network_Nat-us-east-1a hours", "dev-compute:aws_nat_gateway.Network_Nat", "EC2 - Other"],
    ["nat", "NAT data processed", undefined, "EC2 - Other"],
    ["nat", "Network_Ecr hours", "dev-compute:aws_vpc_endpoint.Network_Ecr", "Amazon Virtual Private Cloud"],
    ["s3", "raw/ IT_ARCHIVE", "dev-data:aws_s3_bucket.Data", "Amazon Simple Storage Service"],
    ["logs", "/retail-forecast/dev/app ingestion", undefined, "AmazonCloudWatch"],
    ["load-balancer", "ALB hours", undefined, "Amazon Elastic Load Balancing"],
    ["ecr", "retail-forecast-dev/training images", undefined, "Amazon EC2 Container Registry (ECR)"],
    ["sagemaker-endpoint", "AllTraffic instance hours", undefined, "Amazon SageMaker"],
    ["sagemaker-training", "training instance hours", undefined, "Amazon SageMaker"],
    ["platform", "retail-forecast-dev-scheduler requests", "dev-ops:aws_lambda_function.Scheduler_Function", "AWS Lambda"],
    ["platform", "CloudWatch alarms", undefined, "AmazonCloudWatch"],
    ["platform", "KMS keys", undefined, "AWS Key Management Service"],
    ["platform", "SQS queues", undefined, "Amazon Simple Queue Service"],
    ["platform", "EventBridge Scheduler invocations", undefined, "Amazon EventBridge"],
  ])("%s / %s -> %s", (category, name, resource, service) => {
    expect(serviceOf({ category }, { name, resource })).toBe(service);
  });

  test("the office-hours lines map: public IPv4 to Amazon VPC, the NAT instance's hours to EC2 - Compute, builds to CodeBuild", () => {
    expect(serviceOf({ category: "public-ipv4" }, { name: "NAT gateway EIPs" })).toBe("Amazon Virtual Private Cloud");
    expect(serviceOf({ category: "nat" }, { name: "instance hours", resource: "dev-compute:aws_autoscaling_group.Nat" })).toBe("Amazon Elastic Compute Cloud - Compute");
    expect(serviceOf({ category: "nat" }, { name: "root volume", resource: "dev-compute:aws_autoscaling_group.Nat" })).toBe("EC2 - Other");
    expect(serviceOf({ category: "codebuild" }, { name: "teardown builds" })).toBe("AWS CodeBuild");
  });

  test("a line of a category no rule knows maps to nothing (reported as unmapped, not guessed)", () => {
    expect(serviceOf({ category: "glue-crawler" }, { name: "crawler hours" })).toBeUndefined();
    expect(SERVICE_RULES.every((r) => ALL_SERVICES.includes(r.service))).toBe(true);
  });
});

describe("lastFullMonth", () => {
  test.each([
    ["2026-03-15T10:00:00Z", "2026-02-01", "2026-03-01", 28],
    ["2026-01-01T00:00:00Z", "2025-12-01", "2026-01-01", 31],
    ["2026-05-31T23:59:59Z", "2026-04-01", "2026-05-01", 30],
  ])("%s -> %s .. %s", (now, start, end, days) => {
    expect(lastFullMonth(new Date(now))).toEqual({ start, end, days });
  });
});

describe("compareRealized", () => {
  const line = (name: string, monthlyUsd: number) => ({ name, quantity: 1, unit: "h", unitPriceUsd: monthlyUsd, monthlyUsd, reason: "" });
  const comp = (category: string, lines: ReturnType<typeof line>[]) => ({ id: category, name: category, category, baselineMonthlyUsd: 0, optimizedMonthlyUsd: 0, savingsPercent: 0, assumptions: [], lines: { baseline: [], optimized: lines } });
  const e = { env: "dev", components: [comp("eks-control-plane", [line("control plane hours", 73)]), comp("s3", [line("raw/ STANDARD", 100)]), comp("mystery", [line("thing", 5)])] } as unknown as Estimate;
  // a 730-hour month: the estimate as is
  const month = { start: "2026-01-01", end: "2026-01-31", days: 730 / 24 };

  test("flags a service more than 20 % over its estimate, not one exactly 20 % over; names what to look at", () => {
    const c = compareRealized(e, new Map([["Amazon Elastic Container Service for Kubernetes", 73 * 1.2], [SERVICES.s3, 120.01]]), month, { filter: "Environment=dev" });
    const eks = c.rows.find((r) => r.service === SERVICES.eks)!;
    const s3 = c.rows.find((r) => r.service === SERVICES.s3)!;
    expect(eks).toMatchObject({ flagged: false, note: undefined });
    expect(eks.overPercent).toBeCloseTo(20, 6);
    expect(s3.flagged).toBe(true);
    expect(s3.note).toMatch(/^20 % over the estimate; look at lifecycle rules whose prefixes do not match .*; then correct cost\/usage\/dev.json/);
  });

  test("a billed service the estimate does not price is flagged; an unmapped line is listed", () => {
    const c = compareRealized(e, new Map([["Amazon Route 53", 3]]), month, { filter: "Environment=dev" });
    expect(c.rows.find((r) => r.service === "Amazon Route 53")).toMatchObject({ flagged: true, estimatedUsd: 0, realizedUsd: 3, note: expect.stringMatching(/^billed but not in the estimate/) });
    expect(c.unmapped).toEqual(["mystery: thing (category mystery)"]);
  });

  test("the estimate is scaled to the month's days: a 31-day month at the estimated daily rate is not over", () => {
    const c = compareRealized(e, new Map([[SERVICES.eks, (73 * 31 * 24) / 730]]), { start: "2026-01-01", end: "2026-02-01", days: 31 }, { filter: "Environment=dev" });
    const eks = c.rows.find((r) => r.service === SERVICES.eks)!;
    expect(eks.estimatedUsd).toBeCloseTo((73 * 31 * 24) / 730, 6);
    expect(eks.overPercent).toBeCloseTo(0, 6);
  });
});
