import * as fs from "fs";
import * as path from "path";
import { Pricer } from "../../../cost/pricer";
import { PRICERS } from "../../../cost/pricers";
import { price } from "./helpers";

const DIR = path.join(__dirname, "..", "..", "..", "cost", "pricers");

describe("the pricer registry", () => {
  test("every file in cost/pricers/ exports a pricer that is registered, and each has its test", () => {
    for (const f of fs.readdirSync(DIR).filter((x) => x.endsWith(".ts") && x !== "index.ts")) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod: Record<string, unknown> = require(path.join(DIR, f));
      const exported = Object.values(mod).filter((v): v is Pricer => PRICERS.includes(v as Pricer));
      expect([f, exported.length]).toEqual([f, 1]);
      expect(fs.existsSync(path.join(__dirname, f.replace(/\.ts$/, ".test.ts")))).toBe(true);
    }
  });

  test("names are unique; each type's usage and each profile section belong to one pricer", () => {
    const names = PRICERS.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    const owners = PRICERS.flatMap((p) => Object.keys(p.usage ?? {}));
    expect(new Set(owners).size).toBe(owners.length);
    const sections = PRICERS.flatMap((p) => (p.section ? [p.section.key] : []));
    expect(new Set(sections).size).toBe(sections.length);
    for (const p of PRICERS) for (const t of Object.keys(p.usage ?? {})) expect([p.name, p.types.includes(t)]).toEqual([p.name, true]);
  });

  test("every usage schema has a default for every field (what makes per-type defaults and unnamed resources work)", () => {
    for (const p of PRICERS) for (const [type, schema] of Object.entries(p.usage ?? {})) expect([type, schema.safeParse({}).success]).toEqual([type, true]);
  });

  test("the estimate is the sum of what every pricer returns", () => {
    const e = price(
      { aws_eks_cluster: { C: { name: "c" } }, aws_cloudwatch_log_group: { G: { name: "/g" } }, aws_kms_key: { K: {} } },
      { resources: { "aws_cloudwatch_log_group.G": { ingestGbPerDay: 1 } }, kubernetesLoadBalancers: { count: 1 } },
    );
    expect(e.components.map((c) => c.category)).toEqual(["eks-control-plane", "logs", "load-balancer", "public-ipv4", "platform"]);
    expect(e.optimizedMonthlyUsd).toBeCloseTo(e.components.reduce((s, c) => s + c.optimizedMonthlyUsd, 0), 9);
    expect(e.baselineMonthlyUsd).toBeCloseTo(e.components.reduce((s, c) => s + c.baselineMonthlyUsd, 0), 9);
  });
});
