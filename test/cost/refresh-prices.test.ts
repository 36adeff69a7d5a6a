import { LOCATIONS, parsePriceListItem } from "../../cost/refresh-prices";
import { availablePriceRegions, loadPriceTable } from "../../cost/prices";

describe("price tables", () => {
  test("every table in the repo is dated, sourced and has a Price List location for refresh", () => {
    const regions = availablePriceRegions();
    expect(regions).toEqual(expect.arrayContaining(["us-east-1", "eu-west-1"]));
    for (const r of regions) {
      const t = loadPriceTable(r);
      expect(t.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(t.source.length).toBeGreaterThan(20);
      expect(LOCATIONS[r]).toBeDefined();
      expect(t.ec2.onDemandHourly["t3.medium"]).toBeGreaterThan(0);
    }
  });

  test("fails naming the region without a table and how to create one", () => {
    expect(() => loadPriceTable("ap-south-2")).toThrow(/no price table for region ap-south-2.*refresh-prices\.ts --region ap-south-2/);
  });

  test("parses a Price List GetProducts record (first tier of the on-demand term)", () => {
    const item = {
      product: { attributes: { instanceType: "m5.large", location: "US East (N. Virginia)" } },
      terms: {
        OnDemand: {
          "SKU.JRTCKXETXF": {
            priceDimensions: {
              "SKU.JRTCKXETXF.6YS6EN2CT7": { unit: "Hrs", beginRange: "0", pricePerUnit: { USD: "0.0960000000" } },
            },
          },
        },
      },
    };
    expect(parsePriceListItem(item)).toEqual([{ attributes: item.product.attributes, usd: 0.096, unit: "Hrs" }]);
    expect(parsePriceListItem({})).toEqual([]);
  });
});
