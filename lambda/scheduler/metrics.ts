/**
 * The scheduler's metrics, written as CloudWatch embedded metric format (EMF) log lines by
 * Powertools Metrics: CloudWatch Logs turns each line into metric data points, with no
 * PutMetricData call and no IAM permission beyond writing its logs.
 *
 * Per run, namespace RetailForecast/Scheduler, dimension service = the function's name:
 *   TargetsStopped, TargetsStarted, TargetsSkipped, TargetsFailed   (Count)
 *   NodeHoursAvoided, EndpointHoursAvoided                           (Count: hours since each started target's stop)
 *   DollarsAvoided                                                   (None: USD at the estimate's dated prices)
 * A dry run changes nothing and publishes nothing.
 */
import type { Summary } from "./types";

export const METRICS_NAMESPACE = "RetailForecast/Scheduler";

/** The metric names, as CloudWatch shows them; the ops dashboard graphs these. */
export const SCHEDULER_METRICS = {
  stopped: "TargetsStopped",
  started: "TargetsStarted",
  skipped: "TargetsSkipped",
  failed: "TargetsFailed",
  nodeHoursAvoided: "NodeHoursAvoided",
  endpointHoursAvoided: "EndpointHoursAvoided",
  dollarsAvoided: "DollarsAvoided",
} as const;

/** What of Powertools' Metrics this uses (a test passes the real one). */
export interface MetricsSink {
  addMetric(name: string, unit: "Count" | "None", value: number): unknown;
  addMetadata(key: string, value: string): unknown;
  publishStoredMetrics(): unknown;
}

export interface RunTotals {
  readonly nodeHoursAvoided: number;
  readonly endpointHoursAvoided: number;
  readonly dollarsAvoided: number;
  /** started targets whose dollars could not be priced */
  readonly unpriced: readonly string[];
}

export function avoidedTotals(summary: Summary): RunTotals {
  let nodeHoursAvoided = 0;
  let endpointHoursAvoided = 0;
  let dollarsAvoided = 0;
  const unpriced: string[] = [];
  for (const r of summary.results) {
    if (!r.avoided) continue;
    nodeHoursAvoided += r.avoided.nodeHours;
    endpointHoursAvoided += r.avoided.endpointHours;
    if (r.avoided.usd === undefined) unpriced.push(`${r.kind} ${r.id}: ${r.avoided.pricing}`);
    else dollarsAvoided += r.avoided.usd;
  }
  return { nodeHoursAvoided, endpointHoursAvoided, dollarsAvoided, unpriced };
}

/** Adds one run's metrics and publishes them (one EMF line). Returns the totals, or undefined for a dry run. */
export function publishRunMetrics(metrics: MetricsSink, summary: Summary): RunTotals | undefined {
  if (summary.dryRun) return undefined;
  const m = SCHEDULER_METRICS;
  metrics.addMetadata("action", summary.action);
  metrics.addMetric(m.stopped, "Count", summary.totals.stopped);
  metrics.addMetric(m.started, "Count", summary.totals.started);
  metrics.addMetric(m.skipped, "Count", summary.totals.skipped);
  metrics.addMetric(m.failed, "Count", summary.totals.failed);
  const t = avoidedTotals(summary);
  metrics.addMetric(m.nodeHoursAvoided, "Count", t.nodeHoursAvoided);
  metrics.addMetric(m.endpointHoursAvoided, "Count", t.endpointHoursAvoided);
  metrics.addMetric(m.dollarsAvoided, "None", t.dollarsAvoided);
  metrics.publishStoredMetrics();
  return t;
}
