import { loadBalancer } from "../../../cost/pricers/load-balancer";
import { expectConsistent, lineNamed, price } from "./helpers";

const only = { pricers: [loadBalancer] };
const cluster = { aws_eks_cluster: { C: { name: "acme" } } };

describe("load-balancer pricer", () => {
  test("the Kubernetes ALBs follow the cluster's hours: 24/7 today", () => {
    const e = price(cluster, { kubernetesLoadBalancers: { count: 2, averageLcu: 3 } }, only);
    const [c] = e.components;
    expect(c.optimizedMonthlyUsd).toBeCloseTo(2 * 730 * (0.0225 + 3 * 0.008), 9);
    expect(lineNamed(c.lines.optimized, "ALB hours").hours?.reason).toMatch(/^the hours of cluster acme: runs 24\/7/);
    expectConsistent(c);
  });

  test("the profile's hoursPerMonth wins; the baseline stays 24/7", () => {
    const e = price(cluster, { kubernetesLoadBalancers: { count: 1, averageLcu: 1, hoursPerMonth: 100 } }, only);
    const [c] = e.components;
    expect(lineNamed(c.lines.optimized, "ALB hours").quantity).toBe(100);
    expect(lineNamed(c.lines.baseline, "ALB hours").quantity).toBe(730);
  });

  test("no cluster, no load balancer", () => {
    expect(price({}, { kubernetesLoadBalancers: { count: 1, averageLcu: 1 } }, only).components).toEqual([]);
  });

  test("fails on a fractional count, naming the field and what is allowed", () => {
    expect(() => price(cluster, { kubernetesLoadBalancers: { count: 1.5 } }, only)).toThrow('test-usage.json: kubernetesLoadBalancers.count: 1.5 is not allowed; expected an integer');
  });
});
