/**
 * Refreshes cost/prices/<region>.json from the AWS Price List Query API (GetProducts).
 *
 *   npx tsx cost/refresh-prices.ts --region us-east-1 [--dry-run]
 *
 * Needs AWS credentials (any identity with pricing:GetProducts) and internet access; it is not
 * run by tests or CI. @aws-sdk/client-pricing is not a dependency of this project, so the call
 * is a plain `fetch` of the JSON 1.1 protocol the client would make:
 *
 *   POST https://api.pricing.us-east-1.amazonaws.com/      (the API lives in us-east-1 and
 *   X-Amz-Target: AWSPriceListService.GetProducts           eu-central-1 only; any region's
 *   Content-Type: application/x-amz-json-1.1                 prices can be asked from there)
 *   {"ServiceCode":"AmazonEC2","Filters":[{"Type":"TERM_MATCH","Field":"instanceType","Value":"m5.large"},...],
 *    "FormatVersion":"aws_v1","NextToken":...}
 *
 * signed with SigV4 (service "pricing") by @smithy/signature-v4, which every SDK v3 client
 * already brings. Each PriceList entry is a JSON string: product.attributes plus
 * terms.OnDemand.<sku.offerTerm>.priceDimensions.<id>.pricePerUnit.USD. Only the figures the
 * table holds are refreshed; keys the API does not answer keep their old value and are listed.
 * Spot discounts are not in the Price List (they move hourly): keep the table's long-run
 * averages, or derive them from the EC2 Spot Advisor / spot price history.
 *
 * The bulk API (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<service>/current/<region>/index.json,
 * no signature) carries the same records, but AmazonEC2's file for one region is several GB;
 * the Query API filters on the server.
 */
import { createHash, createHmac } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { PriceTable, PRICES_DIR } from "./prices";
import { pages } from "../lambda/shared/pages";

const ENDPOINT = "https://api.pricing.us-east-1.amazonaws.com/";

/** The Price List names regions by their long location name. */
export const LOCATIONS: Record<string, string> = {
  "us-east-1": "US East (N. Virginia)",
  "us-east-2": "US East (Ohio)",
  "us-west-2": "US West (Oregon)",
  "eu-west-1": "EU (Ireland)",
  "eu-central-1": "EU (Frankfurt)",
  "eu-west-2": "EU (London)",
};

type Filter = Record<string, string>;

class Sha256 {
  private readonly h;
  constructor(secret?: string | Uint8Array) {
    this.h = secret ? createHmac("sha256", secret) : createHash("sha256");
  }
  update(data: string | Uint8Array) {
    this.h.update(data);
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
}

async function signedFetch(target: string, body: object): Promise<any> {
  const { SignatureV4 } = await import("@smithy/signature-v4");
  const { defaultProvider } = await import("@aws-sdk/credential-provider-node");
  const signer = new SignatureV4({ service: "pricing", region: "us-east-1", credentials: defaultProvider(), sha256: Sha256 as any });
  const url = new URL(ENDPOINT);
  const payload = JSON.stringify(body);
  const req = await signer.sign({
    method: "POST",
    protocol: url.protocol,
    hostname: url.hostname,
    path: "/",
    headers: { host: url.hostname, "content-type": "application/x-amz-json-1.1", "x-amz-target": target },
    body: payload,
  });
  const res = await fetch(ENDPOINT, { method: "POST", headers: req.headers as Record<string, string>, body: payload });
  const text = await res.text();
  if (!res.ok) throw new Error(`${target}: HTTP ${res.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text);
}

/** Every on-demand USD price per unit of the products matching `filter`. */
export async function getProducts(serviceCode: string, filter: Filter): Promise<{ attributes: Record<string, string>; usd: number; unit: string }[]> {
  const out: { attributes: Record<string, string>; usd: number; unit: string }[] = [];
  const fetch = (NextToken: string | undefined) =>
    signedFetch("AWSPriceListService.GetProducts", {
      ServiceCode: serviceCode,
      FormatVersion: "aws_v1",
      Filters: Object.entries(filter).map(([Field, Value]) => ({ Type: "TERM_MATCH", Field, Value })),
      MaxResults: 100,
      NextToken,
    });
  for await (const res of pages(fetch, (p) => p.NextToken)) {
    for (const raw of res.PriceList ?? []) out.push(...parsePriceListItem(typeof raw === "string" ? JSON.parse(raw) : raw));
  }
  return out;
}

/** One PriceList record -> its on-demand price dimensions (tiered prices: the first tier). */
export function parsePriceListItem(item: any): { attributes: Record<string, string>; usd: number; unit: string }[] {
  const out: { attributes: Record<string, string>; usd: number; unit: string }[] = [];
  for (const term of Object.values<any>(item?.terms?.OnDemand ?? {})) {
    const dims = Object.values<any>(term.priceDimensions ?? {}).sort((a, b) => Number(a.beginRange ?? 0) - Number(b.beginRange ?? 0));
    const d = dims[0];
    if (d?.pricePerUnit?.USD !== undefined) out.push({ attributes: item.product?.attributes ?? {}, usd: Number(d.pricePerUnit.USD), unit: d.unit });
  }
  return out;
}

async function single(
  service: string,
  filter: Filter,
  what: string,
  missing: string[],
  pick: (attributes: Record<string, string>) => boolean = () => true,
): Promise<number | undefined> {
  const hits = (await getProducts(service, filter)).filter((h) => h.usd > 0 && pick(h.attributes));
  if (hits.length === 0) {
    missing.push(what);
    return undefined;
  }
  return hits[0].usd;
}

export async function refresh(region: string, dryRun = false): Promise<{ table: PriceTable; missing: string[] }> {
  const location = LOCATIONS[region];
  if (!location) throw new Error(`--region: no Price List location name known for ${region}; add it to LOCATIONS in cost/refresh-prices.ts`);
  const file = path.join(PRICES_DIR, `${region}.json`);
  const template: any = JSON.parse(fs.readFileSync(fs.existsSync(file) ? file : path.join(PRICES_DIR, "us-east-1.json"), "utf8"));
  const t = structuredClone(template);
  t.region = region;
  const missing: string[] = [];
  const set = (obj: any, key: string, v: number | undefined) => {
    if (v !== undefined) obj[key] = v;
  };

  for (const type of Object.keys(t.ec2.onDemandHourly)) {
    set(
      t.ec2.onDemandHourly,
      type,
      await single(
        "AmazonEC2",
        { location, instanceType: type, operatingSystem: "Linux", tenancy: "Shared", preInstalledSw: "NA", capacitystatus: "Used", licenseModel: "No License required" },
        `ec2 ${type}`,
        missing,
      ),
    );
  }
  set(t.ebs, "gp3GbMonth", await single("AmazonEC2", { location, productFamily: "Storage", volumeApiName: "gp3" }, "ebs gp3", missing));
  set(t.eks, "controlPlaneHourly", await single("AmazonEKS", { location, operation: "CreateOperation" }, "eks control plane", missing));
  set(t.vpc, "natGatewayHourly", await single("AmazonEC2", { location, productFamily: "NAT Gateway" }, "nat hourly", missing, (a) => /NatGateway-Hours$/.test(a.usagetype ?? "")));
  set(t.vpc, "natGatewayPerGb", await single("AmazonEC2", { location, productFamily: "NAT Gateway" }, "nat per GB", missing, (a) => /NatGateway-Bytes$/.test(a.usagetype ?? "")));
  set(t.elb, "albHourly", await single("AWSELB", { location, productFamily: "Load Balancer-Application" }, "alb hourly", missing, (a) => /LoadBalancerUsage$/.test(a.usagetype ?? "")));
  for (const [cls, volumeType] of Object.entries({ STANDARD: "Standard", STANDARD_IA: "Standard - Infrequent Access", GLACIER_IR: "Glacier Instant Retrieval", DEEP_ARCHIVE: "Glacier Deep Archive" })) {
    set(t.s3.storageGbMonth, cls, await single("AmazonS3", { location, productFamily: "Storage", volumeType }, `s3 ${cls}`, missing));
  }
  set(t.logs, "ingestPerGb", await single("AmazonCloudWatch", { location, productFamily: "Data Payload", group: "Ingested Logs" }, "logs ingestion", missing));
  for (const type of Object.keys(t.sagemaker.hostingHourly)) {
    set(t.sagemaker.hostingHourly, type, await single("AmazonSageMaker", { location, instanceName: type, component: "Hosting" }, `sagemaker hosting ${type}`, missing));
  }
  for (const type of Object.keys(t.sagemaker.trainingHourly)) {
    set(t.sagemaker.trainingHourly, type, await single("AmazonSageMaker", { location, instanceName: type, component: "Training" }, `sagemaker training ${type}`, missing));
  }
  t.date = new Date().toISOString().slice(0, 10);
  t.source = `AWS Price List Query API (GetProducts, ${location}), refreshed by cost/refresh-prices.ts; ${missing.length ? `kept from the previous table: ${missing.join(", ")}` : "every figure answered"}; spot discounts are long-run averages`;
  if (!dryRun) fs.writeFileSync(file, JSON.stringify(t, null, 2) + "\n");
  return { table: t as PriceTable, missing };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const i = args.indexOf("--region");
  const region = i >= 0 ? args[i + 1] : undefined;
  if (!region) {
    process.stderr.write("usage: npx tsx cost/refresh-prices.ts --region <region> [--dry-run]\n");
    process.exit(2);
  }
  refresh(region, args.includes("--dry-run")).then(
    ({ missing }) => {
      process.stdout.write(`cost/prices/${region}.json refreshed${missing.length ? `; not answered (kept): ${missing.join(", ")}` : ""}\n`);
    },
    (err) => {
      process.stderr.write(`refresh-prices: ${err.message}\n`);
      process.exit(1);
    },
  );
}
