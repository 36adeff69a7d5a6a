/**
 * Lambda entry: validate the event and the environment, run the core, log, return the summary.
 * Throws after every target was tried if any failed, so the DLQ and the error alarm fire.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { defaultClients } from "./aws";
import { runScheduler, SchedulerFailedError } from "./core";
import { Env } from "./env";
import { parseEvent } from "./event";
import { METRICS_NAMESPACE, publishRunMetrics } from "./metrics";
import type { Summary } from "./types";

const logger = new Logger({ serviceName: "scheduler" });
// dimension service = the function's name, so each environment's dashboard finds its own
const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: process.env.AWS_LAMBDA_FUNCTION_NAME || "scheduler" });

export async function handler(event: unknown): Promise<Summary> {
  const request = parseEvent(event); // before any AWS client is touched
  const env = Env.fromProcess();
  logger.appendKeys({ action: request.action, dryRun: request.dryRun, scheduleName: env.scheduleName });
  const summary = await runScheduler(request, env, { clients: defaultClients(env.region), logger });
  const avoided = publishRunMetrics(metrics, summary); // before a failure is thrown: failed runs count too
  logger.info("summary", { totals: summary.totals, durationMs: summary.durationMs, avoided });
  if (summary.totals.failed > 0) {
    const err = new SchedulerFailedError(summary);
    logger.error("scheduler failed", { summary });
    throw err;
  }
  return summary;
}
