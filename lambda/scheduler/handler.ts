/**
 * Lambda entry: validate the event and the environment, run the core, log, return the summary.
 * Throws after every target was tried if any failed, so the DLQ and the error alarm fire.
 */
import { Logger } from "@aws-lambda-powertools/logger";
import { defaultClients } from "./aws";
import { runScheduler, SchedulerFailedError } from "./core";
import { Env } from "./env";
import { parseEvent } from "./event";
import type { Summary } from "./types";

const logger = new Logger({ serviceName: "scheduler" });

export async function handler(event: unknown): Promise<Summary> {
  const request = parseEvent(event); // before any AWS client is touched
  const env = Env.fromProcess();
  logger.appendKeys({ action: request.action, dryRun: request.dryRun, scheduleName: env.scheduleName });
  const summary = await runScheduler(request, env, { clients: defaultClients(env.region), logger });
  logger.info("summary", { totals: summary.totals, durationMs: summary.durationMs });
  if (summary.totals.failed > 0) {
    const err = new SchedulerFailedError(summary);
    logger.error("scheduler failed", { summary });
    throw err;
  }
  return summary;
}
