/**
 * cost/refresh-prices.ts against a fake GetProducts that answers from small records written
 * here by hand (prices made up for the test, in the Price List's record shape). No AWS.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Filters, GetProducts, parsePriceListItem } from "../../cost/price-list";
import { isNotRefreshed, label, NOT_REFRESHED, priceEntries, REGIONS, usagetypeMatches } from "../../cost/price-entries";
import { availablePriceRegions, loadPriceTable, PRICES_DIR, PriceTable } from "../../cost/prices";
import { main, parseArgs, refresh } from "../../cost/refresh-prices";

// ---------------------------------------------------------------- the fake Price List

interface Rec {
  readonly service: string;
  readonly family?: string;
  readonly attrs: Readonly<Record<string, string>>;
  /** One price, or tiers as [beginRange, usd]. */
  readonly usd: number | readonly (readonly [number, number])[];
  readonly unit?: string;
}

let skuSeq = 0;
/** A PriceList record as GetProducts returns it (parsed), on-demand term only. */
function item(r: Rec, location: string): object {
  const sku = `SKU${++skuSeq}`;
  const tiers = typeof r.usd === "number" ? [[0, r.usd] as const] : r.usd;
  const priceDimensions = Object.fromEntries(
    tiers.map(([begin, usd], i) => [
      `${sku}.TERM.DIM${i}`,
      { unit: r.unit ?? "Units", beginRange: String(begin), endRange: i + 1 < tiers.length ? String(tiers[i + 1][0]) : "Inf", pricePerUnit: { USD: usd.toFixed(10) } },
    ]),
  );
  return {
    product: { sku, productFamily: r.family, attributes: { servicecode: r.service, location, ...r.attrs } },
    terms: { OnDemand: { [`${sku}.TERM`]: { sku, priceDimensions } } },
  };
}

/** GetProducts over `recs`: TERM_MATCH on the attributes and the product family, like the service. */
function fakeApi(location: string, recs: readonly Rec[]) {
  const calls: { service: string; filters: Filters }[] = [];
  const items = recs.map((r) => ({ r, json: item(r, location) }));
  const getProducts: GetProducts = async (service, filters) => {
    calls.push({ service, filters });
    return items
      .filter(({ r }) => r.service === service)
      .filter(({ r }) => Object.entries(filters).every(([k, v]) => (k === "productFamily" ? r.family === v : k === "location" ? v === location : r.attrs[k] === v)))
      .map(({ json }) => json);
  };
  return { getProducts, calls };
}

const table = (region: string): PriceTable => loadPriceTable(region);
const r6 = (x: number) => Number(x.toFixed(6));

/** A complete catalog for eu-west-1 (usage types prefixed "EU-"), with lookalikes that must not be picked. */
function euCatalog(): Rec[] {
  const t = table("eu-west-1");
  const recs: Rec[] = [];
  for (const [type, was] of Object.entries(t.ec2.onDemandHourly)) {
    const attrs = { instanceType: type, operatingSystem: "Linux", tenancy: "Shared", preInstalledSw: "NA", capacitystatus: "Used", licenseModel: "No License required", usagetype: `EU-BoxUsage:${type}` };
    recs.push({ service: "AmazonEC2", family: "Compute Instance", attrs, usd: r6(was * 1.25), unit: "Hrs" });
    recs.push({ service: "AmazonEC2", family: "Compute Instance", attrs: { ...attrs, operatingSystem: "Windows" }, usd: r6(was * 2), unit: "Hrs" });
  }
  const sm = { ...t.sagemaker.trainingHourly, ...t.sagemaker.hostingHourly };
  for (const type of Object.keys(sm)) {
    if (t.sagemaker.trainingHourly[type]) recs.push({ service: "AmazonSageMaker", attrs: { instanceName: type, usagetype: `EU-Train:${type}` }, usd: r6(t.sagemaker.trainingHourly[type] * 1.25), unit: "Hrs" });
    if (t.sagemaker.hostingHourly[type]) recs.push({ service: "AmazonSageMaker", attrs: { instanceName: type, usagetype: `EU-Host:${type}` }, usd: r6(t.sagemaker.hostingHourly[type] * 1.25), unit: "Hrs" });
    recs.push({ service: "AmazonSageMaker", attrs: { instanceName: type, usagetype: `EU-AsyncInf:${type}` }, usd: 9, unit: "Hrs" });
  }
  // S3 storage by class and lifecycle transitions by destination: usage type (or operation) -> made-up price
  const s3Storage: [string, number][] = [
    ["SIA", 0.013], ["ZIA", 0.0105], ["GIR", 0.0045], ["GDA", 0.0011], ["INT-FA", 0.0241], ["INT-IA", 0.0131], ["INT-AIA", 0.0046], ["INT-AA", 0.0039], ["INT-DAA", 0.00105],
  ];
  for (const [cls, usd] of s3Storage) recs.push({ service: "AmazonS3", family: "Storage", attrs: { usagetype: `EU-TimedStorage-${cls}-ByteHrs` }, usd, unit: "GB-Mo" });
  recs.push({ service: "AmazonS3", family: "Storage", attrs: { usagetype: "EU-TimedStorage-GlacierByteHrs" }, usd: 0.0038, unit: "GB-Mo" });
  recs.push({ service: "AmazonS3", family: "Storage", attrs: { usagetype: "EU-TimedStorage-SIA-SmObjects" }, usd: 0.013, unit: "GB-Mo" });
  const transitions: [string, string, number][] = [
    ["Tier4", "S3-SIATransition", 0.000011], ["Tier4", "S3-ZIATransition", 0.000012], ["Tier4", "S3-INTTransition", 0.000013],
    ["Tier4", "S3-GIRTransition", 0.000022], ["Tier3", "S3-GlacierTransition", 0.000033], ["Tier3", "S3-GDATransition", 0.000055], ["Tier1", "PutObject", 0.0000054],
  ];
  for (const [tier, operation, usd] of transitions) recs.push({ service: "AmazonS3", family: "API Request", attrs: { usagetype: `EU-Requests-${tier}`, operation }, usd, unit: "Requests" });
  recs.push(
    { service: "AmazonEC2", family: "Storage", attrs: { volumeApiName: "gp3", usagetype: "EU-EBS:VolumeUsage.gp3" }, usd: 0.0968, unit: "GB-Mo" },
    { service: "AmazonEC2", family: "Storage", attrs: { volumeApiName: "gp2", usagetype: "EU-EBS:VolumeUsage.gp2" }, usd: 0.121, unit: "GB-Mo" },
    { service: "AmazonS3", family: "Storage", attrs: { usagetype: "EU-TimedStorage-ByteHrs", volumeType: "Standard" }, usd: [[0, 0.024], [51200, 0.023]], unit: "GB-Mo" },
    { service: "AmazonS3", family: "Storage", attrs: { usagetype: "EU-TimedStorage-ByteHrs", volumeType: "Tables" }, usd: 0.0265, unit: "GB-Mo" },
  );
  // service, product family, usage type, made-up price (or [beginRange, price] tiers), unit; lookalikes included
  const byUsagetype: [string, string | undefined, string, Rec["usd"], string][] = [
    ["AmazonEKS", "Compute", "EU-AmazonEKS-Hours:perCluster", 0.11, "Hours"],
    ["AmazonEKS", "Compute", "EU-AmazonEKS-Hours:extendedSupport", 0.55, "Hours"],
    ["AmazonEC2", "NAT Gateway", "EU-NatGateway-Hours", 0.05, "Hrs"],
    ["AmazonEC2", "NAT Gateway", "EU-NatGateway-Bytes", 0.052, "GB"],
    ["AmazonVPC", "VpcEndpoint", "EU-VpcEndpoint-Hours", 0.012, "Hrs"],
    ["AmazonVPC", "VpcEndpoint", "EU-VpcEndpoint-Bytes", [[0, 0.011], [1048576, 0.007], [5242880, 0.0045]], "GB"],
    ["AmazonVPC", undefined, "EU-PublicIPv4:InUseAddress", 0.0055, "Hrs"],
    ["AmazonVPC", undefined, "EU-PublicIPv4:IdleAddress", 0.0055, "Hrs"],
    ["AWSELB", "Load Balancer-Application", "EU-LoadBalancerUsage", 0.027, "Hrs"],
    ["AWSELB", "Load Balancer-Application", "EU-TS-LoadBalancerUsage", 0.0061, "Hrs"],
    ["AWSELB", "Load Balancer-Application", "EU-LCUUsage", 0.0085, "LCU-Hrs"],
    ["AmazonS3", undefined, "EU-Monitoring-Automation-INT", 0.0000028, "Objects"],
    ["AmazonCloudWatch", "Data Payload", "EU-DataProcessing-Bytes", 0.6, "GB"],
    ["AmazonCloudWatch", "Data Payload", "EU-DataProcessingIA-Bytes", 0.3, "GB"],
    ["AmazonCloudWatch", "Data Payload", "EU-VendedLog-Bytes", [[0, 0.6], [10240, 0.3]], "GB"],
    ["AmazonCloudWatch", "Storage Snapshot", "EU-TimedStorage-ByteHrs", 0.032, "GB-Mo"],
    ["AmazonCloudWatch", "Alarm", "EU-CW:AlarmMonitorUsage", [[0, 0], [10, 0.11]], "Alarms"],
    ["AmazonCloudWatch", "Alarm", "EU-CW:HighResAlarmMonitorUsage", 0.33, "Alarms"],
    ["AmazonECR", "EC2 Container Registry", "EU-TimedStorage-ByteHrs", 0.11, "GB-Mo"],
    ["AWSLambda", "Serverless", "EU-Request", 0.00000022, "Requests"],
    ["AWSLambda", "Serverless", "EU-Request-ARM", 0.00000022, "Requests"],
    ["AWSLambda", "Serverless", "EU-Lambda-Edge-Request", 0.0000006, "Requests"],
    ["AWSLambda", "Serverless", "EU-Lambda-GB-Second", [[0, 0.0000175], [6e9, 0.0000158]], "Lambda-GB-Second"],
    ["AWSLambda", "Serverless", "EU-Lambda-GB-Second-ARM", 0.000014, "Lambda-GB-Second"],
    ["AWSQueueService", "API Request", "EU-Requests-RBP", [[0, 0], [1e6, 0.00000044]], "Requests"],
    ["AWSQueueService", "API Request", "EU-Requests-FIFO-RBP", 0.00000053, "Requests"],
    ["awskms", "Encryption Key", "eu-west-1-KMS-Keys", 1.1, "Keys"],
    ["AWSEvents", undefined, "EU-ScheduledInvocation", [[0, 0], [14e6, 0.0000011]], "Invocations"],
    ["AWSEvents", undefined, "EU-Event-64K-Chunks", 0.000001, "Events"],
    ["CodeBuild", "Compute", "EU-Build-Min:Linux:g1.small", 0.0055, "minutes"],
    ["CodeBuild", "Compute", "EU-Build-Min:Linux:g1.medium", 0.011, "minutes"],
    ["CodeBuild", "Compute", "EU-Build-Min:Linux:g1.large", 0.022, "minutes"],
    ["CodeBuild", "Compute", "EU-Build-Min:ARM:g1.small", 0.0034, "minutes"],
    ["CodeBuild", "Compute", "Global-Build-Min:Linux:g1.small", 0.0049, "minutes"],
  ];
  for (const [service, family, usagetype, usd, unit] of byUsagetype) recs.push({ service, family, attrs: { usagetype }, usd, unit });
  return recs;
}

const IRELAND = REGIONS["eu-west-1"].location;

// ---------------------------------------------------------------- a writable copy of the tables

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "refresh-prices-"));
  for (const f of fs.readdirSync(PRICES_DIR)) fs.copyFileSync(path.join(PRICES_DIR, f), path.join(dir, f));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const now = () => new Date("2026-07-01T12:00:00Z");
const read = (region: string) => JSON.parse(fs.readFileSync(path.join(dir, `${region}.json`), "utf8"));

/** Runs main() in-process, capturing what it prints. */
async function run(argv: string[], getProducts?: GetProducts): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const o = jest.spyOn(process.stdout, "write").mockImplementation((s: any) => ((out += s), true));
  const e = jest.spyOn(process.stderr, "write").mockImplementation((s: any) => ((err += s), true));
  try {
    return { code: await main(argv, { getProducts, dir, now }), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

// ---------------------------------------------------------------- tests

describe("the requests", () => {
  test("asks every figure's service code with its filters, each distinct request once, all in the region's location", async () => {
    const api = fakeApi(IRELAND, euCatalog());
    await refresh("eu-west-1", { dir, now, getProducts: api.getProducts, dryRun: true });
    const t = table("eu-west-1");
    const loc = { location: IRELAND };
    const expected = [
      ...Object.keys(t.ec2.onDemandHourly).map((instanceType) => ({
        service: "AmazonEC2",
        filters: { ...loc, instanceType, operatingSystem: "Linux", tenancy: "Shared", preInstalledSw: "NA", capacitystatus: "Used", licenseModel: "No License required" },
      })),
      { service: "AmazonEC2", filters: { ...loc, productFamily: "Storage", volumeApiName: "gp3" } },
      { service: "AmazonEC2", filters: { ...loc, productFamily: "Storage", volumeApiName: "gp2" } },
      { service: "AmazonEC2", filters: { ...loc, productFamily: "NAT Gateway" } },
      { service: "AmazonEKS", filters: { ...loc, productFamily: "Compute" } },
      { service: "AmazonVPC", filters: { ...loc, productFamily: "VpcEndpoint" } },
      { service: "AmazonVPC", filters: loc },
      { service: "AWSELB", filters: { ...loc, productFamily: "Load Balancer-Application" } },
      { service: "AmazonS3", filters: loc },
      { service: "AmazonCloudWatch", filters: loc },
      { service: "AmazonECR", filters: loc },
      ...["ml.m5.large", "ml.m5.xlarge", "ml.m5.2xlarge", "ml.m5.4xlarge", "ml.c5.xlarge", "ml.c5.2xlarge", "ml.g4dn.xlarge", "ml.p3.2xlarge", "ml.t2.medium", "ml.t2.large", "ml.c5.large"].map(
        (instanceName) => ({ service: "AmazonSageMaker", filters: { ...loc, instanceName } }),
      ),
      { service: "AWSLambda", filters: { ...loc, productFamily: "Serverless" } },
      { service: "AWSQueueService", filters: loc },
      { service: "awskms", filters: { ...loc, productFamily: "Encryption Key" } },
      { service: "AWSEvents", filters: loc },
      { service: "CodeBuild", filters: loc },
    ];
    const key = (c: { service: string; filters: Filters }) => JSON.stringify([c.service, Object.entries(c.filters).sort()]);
    expect(api.calls.map(key).sort()).toEqual(expected.map(key).sort());
    expect(new Set(api.calls.map(key)).size).toBe(api.calls.length);
  });

  test("the region's usage-type prefix is derived, never spelled per entry: billing code, region code, bare only in us-east-1", () => {
    expect(usagetypeMatches("eu-west-1", "NatGateway-Hours", "EU-NatGateway-Hours")).toBe(true);
    expect(usagetypeMatches("eu-west-1", "KMS-Keys", "eu-west-1-KMS-Keys")).toBe(true);
    expect(usagetypeMatches("eu-west-1", "NatGateway-Hours", "NatGateway-Hours")).toBe(false);
    expect(usagetypeMatches("eu-west-1", "NatGateway-Hours", "EUW2-NatGateway-Hours")).toBe(false);
    expect(usagetypeMatches("eu-west-2", "NatGateway-Hours", "EUW2-NatGateway-Hours")).toBe(true);
    expect(usagetypeMatches("us-east-1", "NatGateway-Hours", "NatGateway-Hours")).toBe(true);
    expect(usagetypeMatches("us-east-1", "AmazonEKS-Hours:perCluster", "USE1-AmazonEKS-Hours:perCluster")).toBe(true);
    // a longer usage type that merely ends the same way is another product
    expect(usagetypeMatches("eu-west-1", "LoadBalancerUsage", "EU-TS-LoadBalancerUsage")).toBe(false);
    expect(usagetypeMatches("us-east-1", "Request", "Lambda-Edge-Request")).toBe(false);
    expect(usagetypeMatches("us-east-1", "Build-Min:Linux:g1.small", "Global-Build-Min:Linux:g1.small")).toBe(false);
    for (const e of priceEntries(table("eu-west-1"))) {
      expect(e.usagetype ?? "").not.toMatch(/^(USE1|USE2|USW2|EU|EUC1|EUW2|[a-z]{2}-[a-z]+-\d)-/);
    }
  });
});

describe("the answers", () => {
  test("takes every answered figure in the table's unit: per request -> per million or per 1,000, first paid tier, surcharge added", async () => {
    const api = fakeApi(IRELAND, euCatalog());
    const r = await refresh("eu-west-1", { dir, now, getProducts: api.getProducts });
    expect(r.missing).toEqual([]);
    expect(r.ambiguous).toEqual([]);
    expect(r.suspect).toEqual([]);
    expect(r.refreshed.length).toBe(priceEntries(table("eu-west-1")).length);
    const t = read("eu-west-1");
    expect(t.lambda.perMillionRequests).toBe(0.22); // 0.00000022 per request
    expect(t.lambda.perGbSecond).toBe(0.0000175); // first tier, not the cheaper one past 6 billion
    expect(t.sqs.perMillionRequests).toBe(0.44); // the $0 free tier skipped
    expect(t.scheduler.perMillionInvocations).toBe(1.1);
    expect(t.s3.transitionPer1000).toEqual({ STANDARD_IA: 0.011, ONEZONE_IA: 0.012, INTELLIGENT_TIERING: 0.013, GLACIER_IR: 0.022, GLACIER: 0.033, DEEP_ARCHIVE: 0.055 });
    expect(t.s3.itMonitoringPer1000Objects).toBe(0.0028);
    expect(t.s3.storageGbMonth.STANDARD).toBe(0.024); // volumeType Standard, not the other TimedStorage-ByteHrs product
    expect(t.s3.storageGbMonth.ONEZONE_IA).toBe(0.0105);
    expect(t.s3.storageGbMonth.GLACIER).toBe(0.0038);
    expect(t.s3.storageGbMonth.IT_ARCHIVE_INSTANT).toBe(0.0046);
    expect(t.s3.storageGbMonth.IT_DEEP_ARCHIVE).toBe(0.00105);
    expect(t.eks.controlPlaneHourly).toBe(0.11);
    expect(t.eks.extendedSupportHourly).toBe(0.66); // 0.11 cluster hour + 0.55 extended-support surcharge
    expect(t.vpc.publicIpv4Hourly).toBe(0.0055);
    expect(t.vpc.interfaceEndpointPerGb).toBe(0.011);
    expect(t.elb.albHourly).toBe(0.027); // not the trust store's TS-LoadBalancerUsage
    expect(t.cloudwatch.alarmMonthly).toBe(0.11);
    expect(t.logs).toEqual({ ingestPerGb: 0.6, ingestPerGbInfrequentAccess: 0.3, storageGbMonth: 0.032 });
    expect(t.kms.keyMonthly).toBe(1.1);
    expect(t.codebuild.perMinute).toEqual({ BUILD_GENERAL1_SMALL: 0.0055, BUILD_GENERAL1_MEDIUM: 0.011, BUILD_GENERAL1_LARGE: 0.022 });
    expect(t.ec2.onDemandHourly["t3.medium"]).toBe(0.057); // Linux, not the Windows record
    expect(t.sagemaker.hostingHourly["ml.m5.large"]).toBe(r6(0.1282 * 1.25));
    expect(t.sagemaker.trainingHourly["ml.p3.2xlarge"]).toBe(r6(4.2649 * 1.25));
    // what the Price List does not hold is left alone
    expect(t.ec2.spotDiscountByFamily).toEqual(table("eu-west-1").ec2.spotDiscountByFamily);
    expect(t.sagemaker.serverlessPerGbSecond).toBe(table("eu-west-1").sagemaker.serverlessPerGbSecond);
    expect(t.date).toBe("2026-07-01");
    expect(t.source).toMatch(/GetProducts, EU \(Ireland\).*none kept/);
  });

  test("us-east-1: bare and USE1- usage types both count, another region's prefix does not", async () => {
    const US = REGIONS["us-east-1"].location;
    const api = fakeApi(US, [
      { service: "AmazonEC2", family: "NAT Gateway", attrs: { usagetype: "NatGateway-Hours" }, usd: 0.046 },
      { service: "AmazonEC2", family: "NAT Gateway", attrs: { usagetype: "EU-NatGateway-Bytes" }, usd: 0.048 },
      { service: "AmazonEKS", family: "Compute", attrs: { usagetype: "USE1-AmazonEKS-Hours:perCluster" }, usd: 0.12 },
      { service: "awskms", family: "Encryption Key", attrs: { usagetype: "us-east-1-KMS-Keys" }, usd: 1.05 },
    ]);
    const r = await refresh("us-east-1", { dir, now, getProducts: api.getProducts });
    const t = read("us-east-1");
    expect([t.vpc.natGatewayHourly, t.eks.controlPlaneHourly, t.kms.keyMonthly]).toEqual([0.046, 0.12, 1.05]);
    expect(t.vpc.natGatewayPerGb).toBe(table("us-east-1").vpc.natGatewayPerGb);
    expect(r.missing).toContain("vpc.natGatewayPerGb");
  });

  test("a figure the API does not answer keeps its old value and is listed in missing (and in the table's source)", async () => {
    const api = fakeApi(IRELAND, euCatalog().filter((r) => r.attrs.usagetype !== "EU-PublicIPv4:InUseAddress" && r.attrs.usagetype !== "EU-CW:AlarmMonitorUsage"));
    const r = await refresh("eu-west-1", { dir, now, getProducts: api.getProducts });
    expect(r.missing).toEqual(["vpc.publicIpv4Hourly", "cloudwatch.alarmMonthly"]);
    const t = read("eu-west-1");
    expect(t.vpc.publicIpv4Hourly).toBe(0.005);
    expect(t.cloudwatch.alarmMonthly).toBe(0.1);
    expect(t.vpc.natGatewayHourly).toBe(0.05); // the rest is refreshed
    expect(t.source).toMatch(/kept from the previous table: vpc\.publicIpv4Hourly, cloudwatch\.alarmMonthly/);
  });

  test("a tier that is all free gives no price (listed as missing), not $0", async () => {
    const recs = euCatalog().map((r) => (r.attrs.usagetype === "EU-Requests-RBP" ? { ...r, usd: [[0, 0]] as const } : r));
    const r = await refresh("eu-west-1", { dir, now, getProducts: fakeApi(IRELAND, recs).getProducts });
    expect(r.missing).toEqual(["sqs.perMillionRequests"]);
    expect(read("eu-west-1").sqs.perMillionRequests).toBe(0.4);
  });

  test("several different prices for one figure are not taken as the first: old value kept, every candidate reported, exit 3", async () => {
    const recs = [...euCatalog(), { service: "AmazonEC2", family: "NAT Gateway", attrs: { usagetype: "EU-NatGateway-Hours", operation: "NatGateway2" }, usd: 0.07, unit: "Hrs" }];
    const api = fakeApi(IRELAND, recs);
    const r = await refresh("eu-west-1", { dir, now, getProducts: api.getProducts, dryRun: true });
    expect(r.ambiguous).toHaveLength(1);
    expect(r.ambiguous[0].path).toBe("vpc.natGatewayHourly");
    expect(r.ambiguous[0].candidates.map((c) => [c.usagetype, c.usd]).sort()).toEqual([
      ["EU-NatGateway-Hours", 0.05],
      ["EU-NatGateway-Hours", 0.07],
    ]);
    expect(r.table.vpc.natGatewayHourly).toBe(0.048);

    const cli = await run(["--region", "eu-west-1"], fakeApi(IRELAND, recs).getProducts);
    expect(cli.code).toBe(3);
    expect(cli.out).toMatch(/AMBIGUOUS \(old value kept\): vpc\.natGatewayHourly: SKU\d+ EU-NatGateway-Hours 0\.05\/Hrs; SKU\d+ EU-NatGateway-Hours 0\.07\/Hrs/);
    expect(read("eu-west-1").vpc.natGatewayHourly).toBe(0.048);
  });

  test("the same price from two products is one answer, not an ambiguity", async () => {
    const recs = [...euCatalog(), { service: "AmazonEC2", family: "NAT Gateway", attrs: { usagetype: "EU-NatGateway-Hours", operation: "NatGateway2" }, usd: 0.05 }];
    const r = await refresh("eu-west-1", { dir, now, getProducts: fakeApi(IRELAND, recs).getProducts, dryRun: true });
    expect(r.ambiguous).toEqual([]);
    expect(r.table.vpc.natGatewayHourly).toBe(0.05);
  });

  test("an answer more than 10x from the old value (a unit slip) is kept out and reported as suspect", async () => {
    // per million requests, as if the API had already scaled it: x 1e6 would make it 220,000 per million
    const recs = euCatalog().map((r) => (r.attrs.usagetype === "EU-Request" ? { ...r, usd: 0.22 } : r));
    const r = await refresh("eu-west-1", { dir, now, getProducts: fakeApi(IRELAND, recs).getProducts });
    expect(r.suspect).toEqual([expect.objectContaining({ path: "lambda.perMillionRequests", old: 0.2, answered: 220000 })]);
    expect(read("eu-west-1").lambda.perMillionRequests).toBe(0.2);
  });

  test("extended support is not refreshed without the cluster hour it is added to", async () => {
    const recs = euCatalog().filter((r) => r.attrs.usagetype !== "EU-AmazonEKS-Hours:perCluster");
    const r = await refresh("eu-west-1", { dir, now, getProducts: fakeApi(IRELAND, recs).getProducts });
    expect(r.missing).toEqual(["eks.controlPlaneHourly", "eks.extendedSupportHourly"]);
    expect(read("eu-west-1").eks).toMatchObject({ controlPlaneHourly: 0.1, extendedSupportHourly: 0.6 });
  });

  test("fails, writing nothing, when no figure at all is answered (wrong location, empty API)", async () => {
    const before = fs.readFileSync(path.join(dir, "eu-west-1.json"), "utf8");
    await expect(refresh("eu-west-1", { dir, now, getProducts: async () => [] })).rejects.toThrow(/no figure answered for eu-west-1 \(EU \(Ireland\)\).*nothing written/);
    expect(fs.readFileSync(path.join(dir, "eu-west-1.json"), "utf8")).toBe(before);
  });

  test("a new region starts from the us-east-1 table and says so", async () => {
    const api = fakeApi(REGIONS["us-west-2"].location, [{ service: "AmazonEC2", family: "NAT Gateway", attrs: { usagetype: "USW2-NatGateway-Hours" }, usd: 0.045 }]);
    await refresh("us-west-2", { dir, now, getProducts: api.getProducts });
    const t = read("us-west-2");
    expect(t.region).toBe("us-west-2");
    expect(t.vpc.natGatewayHourly).toBe(0.045);
    expect(t.source).toMatch(/not answered are us-east-1's/);
  });
});

describe("writing", () => {
  test("--dry-run prints the changes and writes nothing", async () => {
    const file = path.join(dir, "eu-west-1.json");
    const before = fs.readFileSync(file);
    const st = fs.statSync(file);
    const r = await run(["--region", "eu-west-1", "--dry-run"], fakeApi(IRELAND, euCatalog()).getProducts);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/lambda\.perMillionRequests: 0\.2 -> 0\.22/);
    expect(r.out).toMatch(/dry run, not written:/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.statSync(file).mtimeMs).toBe(st.mtimeMs);
    expect(fs.readdirSync(dir).sort()).toEqual(["eu-west-1.json", "us-east-1.json"]);
  });

  test("the table is replaced by a rename (never rewritten in place), leaves no temporary file, and a stale one from a killed run does not matter", async () => {
    const file = path.join(dir, "eu-west-1.json");
    const stale = path.join(dir, ".eu-west-1.json.tmp-999999");
    fs.writeFileSync(stale, '{"region": "eu-west-1", "ec2": {"onDem'); // half a JSON, as a kill leaves it
    const inode = fs.statSync(file).ino;
    const r = await run(["--region", "eu-west-1"], fakeApi(IRELAND, euCatalog()).getProducts);
    expect(r.code).toBe(0);
    expect(fs.statSync(file).ino).not.toBe(inode);
    expect(read("eu-west-1").lambda.perMillionRequests).toBe(0.22);
    expect(fs.readdirSync(dir).filter((f) => f.includes(".tmp-")).sort()).toEqual([path.basename(stale)]);
  });

  test("a request failing half way fails the run and leaves the table byte for byte; the rerun finishes the job", async () => {
    const file = path.join(dir, "eu-west-1.json");
    const before = fs.readFileSync(file, "utf8");
    const good = fakeApi(IRELAND, euCatalog());
    let n = 0;
    const flaky: GetProducts = async (s, f) => {
      if (++n === 12) throw new Error("GetProducts: HTTP 503: Service Unavailable");
      return good.getProducts(s, f);
    };
    const r = await run(["--region", "eu-west-1"], flaky);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/refresh-prices: GetProducts: HTTP 503/);
    expect(r.err).toMatch(/\[11\/\d+\] GetProducts/); // progress, one line a request
    expect(fs.readFileSync(file, "utf8")).toBe(before);
    const again = await run(["--region", "eu-west-1"], fakeApi(IRELAND, euCatalog()).getProducts);
    expect(again.code).toBe(0);
    expect(read("eu-west-1").lambda.perMillionRequests).toBe(0.22);
  });

  test("an edited table that is not JSON stops the run naming the file, before any request", async () => {
    fs.writeFileSync(path.join(dir, "eu-west-1.json"), "{ not json");
    const api = fakeApi(IRELAND, euCatalog());
    const r = await run(["--region", "eu-west-1"], api.getProducts);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/eu-west-1\.json: not a readable JSON price table/);
    expect(api.calls).toEqual([]);
  });
});

describe("the command line", () => {
  const oneLine = (s: string) => s.trimEnd().split("\n").length === 1;
  const allowed = "allowed: us-east-1, us-east-2, us-west-2, eu-west-1, eu-central-1, eu-west-2";

  test("fails when --region is missing, naming the flag and the allowed regions, on one line", async () => {
    for (const argv of [[], ["--dry-run"], ["--region"], ["--region", "--dry-run"]]) {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`refresh-prices: --region: missing; ${allowed}\n`);
    }
  });

  test("fails when --region is unknown, naming the flag, the value and the allowed regions, on one line", async () => {
    const r = await run(["--region", "ap-south-9"]);
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toBe(true);
    expect(r.err).toMatch(new RegExp(`^refresh-prices: --region: unknown region 'ap-south-9'; ${allowed}`));
  });

  test("fails on an unknown argument, naming it and the usage", async () => {
    const r = await run(["--regoin", "eu-west-1"]);
    expect(r.code).toBe(2);
    expect(oneLine(r.err)).toBe(true);
    expect(r.err).toMatch(/unknown argument '--regoin'; usage: npx tsx cost\/refresh-prices\.ts --region <region> \[--dry-run\]/);
  });

  test("parses --region, --region= and --dry-run", () => {
    expect(parseArgs(["--region", "eu-west-2", "--dry-run"])).toEqual({ region: "eu-west-2", dryRun: true });
    expect(parseArgs(["--region=us-east-1"])).toEqual({ region: "us-east-1", dryRun: false });
  });
});

/** Every leaf of a table (numbers and strings) but its metadata and "$" comments. */
function leaves(obj: any, at: string[] = []): string[][] {
  const META = new Set(["region", "currency", "date", "source"]);
  return Object.entries(obj).flatMap(([k, v]) => {
    if (k.startsWith("$") || (at.length === 0 && META.has(k))) return [];
    return v !== null && typeof v === "object" ? leaves(v, [...at, k]) : [[...at, k]];
  });
}

/** Figures of `t` with neither a refresh entry nor a place in NOT_REFRESHED. */
function uncovered(t: PriceTable): string[] {
  const refreshed = new Set(priceEntries(t).map((e) => label(e.path)));
  return leaves(t)
    .filter((p) => !refreshed.has(label(p)) && !isNotRefreshed(p))
    .map(label);
}

describe("every figure is accounted for", () => {
  const tables = availablePriceRegions().map((r) => loadPriceTable(r));

  test("each table's figures are refreshed or listed in NOT_REFRESHED with a reason", () => {
    for (const t of tables) expect(uncovered(t)).toEqual([]);
  });

  test("fails for a figure added to the table without an entry (the check can fail)", () => {
    const t: any = structuredClone(tables[0]);
    t.lambda.perGbSecondArm = 0.0000133334;
    t.s3.storageGbMonth.EXPRESS_ONEZONE = 0.16;
    expect(uncovered(t)).toEqual(["s3.storageGbMonth.EXPRESS_ONEZONE", "lambda.perGbSecondArm"]);
  });

  test("entries point at numbers in the table, once each, none also listed as not refreshed", () => {
    for (const t of tables) {
      const entries = priceEntries(t);
      for (const e of entries) {
        expect([label(e.path), typeof e.path.reduce((o: any, k) => o?.[k], t)]).toEqual([label(e.path), "number"]);
        expect([label(e.path), isNotRefreshed(e.path)]).toEqual([label(e.path), false]);
        expect(e.source.length).toBeGreaterThan(5);
      }
      expect(new Set(entries.map((e) => label(e.path))).size).toBe(entries.length);
    }
  });

  test("every NOT_REFRESHED line matches a figure and says why (the list cannot rot)", () => {
    const all = tables.flatMap((t) => leaves(t));
    for (const n of NOT_REFRESHED) {
      expect([label(n.path), all.some((p) => n.path.length === p.length && n.path.every((s, i) => s === "*" || s === p[i]))]).toEqual([label(n.path), true]);
      expect(n.why.length).toBeGreaterThan(20);
    }
  });

  test("every table in the repo is dated, sourced and has a Price List location for refresh", () => {
    for (const r of availablePriceRegions()) {
      const t = loadPriceTable(r);
      expect(t.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(t.source.length).toBeGreaterThan(20);
      expect(REGIONS[r]).toBeDefined();
    }
  });
});

describe("price tables and records", () => {
  test("fails naming the region without a table and how to create one", () => {
    expect(() => loadPriceTable("ap-south-2")).toThrow(/no price table for region ap-south-2.*refresh-prices\.ts --region ap-south-2/);
  });

  test("parses a Price List record: the first paid tier of the on-demand term; all-free or empty gives nothing", () => {
    const rec = (tiers: [string, string][]) => ({
      product: { sku: "ABC", attributes: { usagetype: "EU-Requests-RBP" } },
      terms: {
        OnDemand: {
          "ABC.T": { priceDimensions: Object.fromEntries(tiers.map(([begin, usd], i) => [`ABC.T.${i}`, { unit: "Requests", beginRange: begin, pricePerUnit: { USD: usd } }])) },
        },
      },
    });
    // listed out of order on purpose: the tier order is beginRange's, not the record's
    expect(parsePriceListItem(rec([["100000000000", "0.0000003200"], ["0", "0.0000000000"], ["1000000", "0.0000004000"]]))).toEqual([
      { sku: "ABC", attributes: { usagetype: "EU-Requests-RBP" }, usd: 0.0000004, unit: "Requests" },
    ]);
    expect(parsePriceListItem(rec([["0", "0.0000000000"]]))).toEqual([]);
    expect(parsePriceListItem({})).toEqual([]);
  });
});
