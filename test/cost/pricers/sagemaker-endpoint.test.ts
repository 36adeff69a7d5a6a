import { sagemakerEndpoint } from "../../../cost/pricers/sagemaker-endpoint";
import { expectConsistent, lineNamed, officeHours, price, priceStacks } from "./helpers";

const only = { pricers: [sagemakerEndpoint] };
const config = (variant: Record<string, unknown>) => ({ Cfg: { name: "acme-cfg", production_variants: [{ variant_name: "AllTraffic", ...variant }] } });

describe("sagemaker-endpoint pricer", () => {
  test("real-time: the autoscaling floor x the hours the scheduler leaves it up", () => {
    const e = priceStacks(
      {
        "dev-compute": {
          aws_sagemaker_endpoint_configuration: config({ instance_type: "ml.m5.large", initial_instance_count: 1 }),
          aws_sagemaker_endpoint: { Ep: { name: "acme", endpoint_config_name: "${aws_sagemaker_endpoint_configuration.Cfg.name}", tags: { Schedule: "office-hours" } } },
          aws_appautoscaling_target: { T: { service_namespace: "sagemaker", resource_id: "endpoint/acme/variant/AllTraffic", min_capacity: 2, max_capacity: 4 } },
        },
        "dev-ops": officeHours(),
      },
      {},
      only,
    );
    const [c] = e.components;
    const l = lineNamed(c.lines.optimized, "AllTraffic instance hours");
    expect(l.quantity).toBeCloseTo(2 * 261, 6);
    expect(l.unitPriceUsd).toBe(0.115);
    expect(l.reason).toMatch(/autoscaling 2-4 \(priced at the floor\)/);
    expect(lineNamed(c.lines.baseline, "AllTraffic instance hours").quantity).toBe(1460);
    expectConsistent(c);
  });

  test("serverless: GB-seconds and data from the endpoint's usage, against the profile's real-time baseline", () => {
    const e = price(
      {
        aws_sagemaker_endpoint_configuration: config({ serverless_config: { memory_size_in_mb: 1024, max_concurrency: 2 } }),
        aws_sagemaker_endpoint: { Ep: { name: "acme", endpoint_config_name: "acme-cfg" } },
      },
      { resources: { "aws_sagemaker_endpoint.Ep": { invocationsPerDay: 1000, avgDurationMs: 200, baselineInstanceType: "ml.m5.large", baselineInstanceCount: 2 } } },
      only,
    );
    const [c] = e.components;
    expect(lineNamed(c.lines.optimized, "AllTraffic compute").quantity).toBeCloseTo(1000 * (365 / 12) * 0.2 * 1, 6);
    expect(lineNamed(c.lines.optimized, "AllTraffic data processed").quantity).toBeCloseTo((1000 * (365 / 12) * 2) / 1024 / 1024, 9);
    expect(c.baselineMonthlyUsd).toBeCloseTo(2 * 730 * 0.115, 9);
    expectConsistent(c);
  });

  test("fails on a baseline instance type that is not an ml. type, naming path and value", () => {
    expect(() => price({ aws_sagemaker_endpoint: { Ep: { name: "acme" } } }, { resources: { "aws_sagemaker_endpoint.Ep": { baselineInstanceType: "m5.large" } } }, only)).toThrow(
      'test-usage.json: resources."aws_sagemaker_endpoint.Ep".baselineInstanceType: "m5.large" is not allowed; an ml.<family>.<size> instance type',
    );
  });
});
