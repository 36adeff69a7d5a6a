/**
 * The AWS Price List Query API (GetProducts), as cost/refresh-prices.ts uses it.
 *
 * @aws-sdk/client-pricing is not a dependency of this project, so the call is a plain `fetch`
 * of the JSON 1.1 protocol the client would make:
 *
 *   POST https://api.pricing.us-east-1.amazonaws.com/      (the API lives in us-east-1 and
 *   X-Amz-Target: AWSPriceListService.GetProducts           eu-central-1 only; any region's
 *   Content-Type: application/x-amz-json-1.1                 prices can be asked from there)
 *   {"ServiceCode":"AmazonEC2","Filters":[{"Type":"TERM_MATCH","Field":"instanceType","Value":"m5.large"},...],
 *    "FormatVersion":"aws_v1","MaxResults":100,"NextToken":...}
 *
 * signed with SigV4 (service "pricing") by @smithy/signature-v4, which every SDK v3 client
 * already brings. Each PriceList entry is a JSON string: product.attributes plus
 * terms.OnDemand.<sku.offerTerm>.priceDimensions.<id>.pricePerUnit.USD.
 *
 * The bulk API (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/<service>/current/<region>/index.json,
 * no signature) carries the same records, but AmazonEC2's file for one region is several
 * hundred MB; the Query API filters on the server.
 */
import { createHash, createHmac } from "crypto";
import { pages } from "../lambda/shared/pages";

const ENDPOINT = "https://api.pricing.us-east-1.amazonaws.com/";

/** TERM_MATCH filters: attribute name -> exact value. */
export type Filters = Readonly<Record<string, string>>;

/**
 * Every PriceList record (the parsed JSON object) of the products matching `filters` in
 * `serviceCode`, all pages. The one seam refresh() needs: tests pass a fake that answers from
 * hand-written records.
 */
export type GetProducts = (serviceCode: string, filters: Filters) => Promise<unknown[]>;

/** One product's on-demand price, as refresh() weighs it. */
export interface PriceListPrice {
  readonly sku: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly usd: number;
  readonly unit: string;
}

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

async function signedPost(target: string, body: object): Promise<any> {
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

/** The real GetProducts: SigV4-signed, every page (needs credentials with pricing:GetProducts). */
export const awsGetProducts: GetProducts = async (serviceCode, filters) => {
  const out: unknown[] = [];
  const page = (NextToken: string | undefined) =>
    signedPost("AWSPriceListService.GetProducts", {
      ServiceCode: serviceCode,
      FormatVersion: "aws_v1",
      Filters: Object.entries(filters).map(([Field, Value]) => ({ Type: "TERM_MATCH", Field, Value })),
      MaxResults: 100,
      NextToken,
    });
  for await (const res of pages(page, (p) => p.NextToken)) {
    for (const raw of res.PriceList ?? []) out.push(typeof raw === "string" ? JSON.parse(raw) : raw);
  }
  return out;
};

/**
 * One PriceList record -> its on-demand prices, one per term: the first PAID tier (lowest
 * beginRange with a price above zero), since a free tier is listed as a $0 first tier (SQS,
 * CloudWatch alarms, EventBridge Scheduler) and the price tables count no free tier. A term
 * whose every tier is $0 gives nothing.
 */
export function parsePriceListItem(item: any): PriceListPrice[] {
  const out: PriceListPrice[] = [];
  const attributes = item?.product?.attributes ?? {};
  for (const term of Object.values<any>(item?.terms?.OnDemand ?? {})) {
    const dims = Object.values<any>(term?.priceDimensions ?? {})
      .filter((d) => d?.pricePerUnit?.USD !== undefined)
      .sort((a, b) => Number(a.beginRange ?? 0) - Number(b.beginRange ?? 0));
    const paid = dims.find((d) => Number(d.pricePerUnit.USD) > 0);
    if (paid) out.push({ sku: String(item?.product?.sku ?? ""), attributes, usd: Number(paid.pricePerUnit.USD), unit: String(paid.unit ?? "") });
  }
  return out;
}
