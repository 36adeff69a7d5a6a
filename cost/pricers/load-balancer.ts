/**
 * The Application Load Balancers that the AWS Load Balancer Controller creates for the
 * cluster's Ingress objects: not in Terraform, so their count and load come from the profile's
 * kubernetesLoadBalancers section. Up as long as the cluster is (the Ingress objects persist
 * while nodes are stopped): the cluster's hours, unless the profile says otherwise. The same in
 * the baseline, at 24/7.
 */
import { z } from "zod";
import { component, line, Pricer } from "../pricer";
import { strictObject } from "../usage";

export const KubernetesLoadBalancers = strictObject({
  count: z.int().min(0).default(0),
  /** Load Balancer Capacity Units in use on average. */
  averageLcu: z.number().min(0).default(1),
  /** @default the cluster's running hours */
  hoursPerMonth: z.number().min(0).max(745).optional(),
  /** Subnets (AZs) each internet-facing load balancer spans: one public IPv4 each. @default the public subnets tagged for them, at least 2 */
  subnets: z.int().min(1).max(6).optional(),
});

export const loadBalancer: Pricer = {
  name: "load-balancer",
  types: [],
  section: { key: "kubernetesLoadBalancers", schema: KubernetesLoadBalancers },
  price(ctx) {
    const lb = ctx.section("kubernetesLoadBalancers", KubernetesLoadBalancers);
    // only with a cluster whose ingress would create them
    const cluster = ctx.model.ofType("aws_eks_cluster")[0];
    if (!lb || lb.count === 0 || !cluster) return [];
    const hpm = ctx.hoursPerMonth;
    const clusterHours = ctx.hours(cluster);
    const hours = lb.hoursPerMonth !== undefined ? { value: lb.hoursPerMonth, reason: "usage profile (kubernetesLoadBalancers.hoursPerMonth)" } : { value: clusterHours.value, reason: `the hours of cluster ${ctx.model.label(cluster, "name")}: ${clusterHours.reason}` };
    const { albHourly, albLcuHourly } = ctx.prices.elb;
    const lines = (h: { value: number; reason: string }) => [
      line("ALB hours", lb.count * h.value, "h", albHourly, `${lb.count} ALB(s) created by the AWS Load Balancer Controller (not in Terraform)`, { hours: h }),
      line("LCU hours", lb.count * h.value * lb.averageLcu, "LCU-h", albLcuHourly, `${lb.averageLcu} LCU on average (usage profile)`, { hours: h }),
    ];
    return [
      component("load-balancer", "Application Load Balancer (Kubernetes ingress)", "load-balancer", { baseline: lines({ value: hpm, reason: "24/7 (baseline)" }), optimized: lines(hours) }, [
        `${lb.count} ALB(s) created by the AWS Load Balancer Controller (not in Terraform), ${hours.value.toFixed(1)} h/month, ${lb.averageLcu} LCU average`,
        clusterHours.value < ctx.hoursPerMonth
          ? "up while the cluster exists: it stays while nodes are stopped (the Ingress object persists), a teardown deletes it with what else Kubernetes created"
          : "the ALB stays up while nodes are stopped (the Ingress object persists)",
      ]),
    ];
  },
};
