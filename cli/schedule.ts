/**
 * `schedule stop|start|stop-idle --env <env> [--dry-run]`: the scheduler Lambda's core, run
 * from a laptop or CI with the caller's credentials, for one environment.
 *
 *   npx tsx cli/schedule.ts stop --env dev --dry-run
 *   SANDBOX_ENDPOINT=http://127.0.0.1:5000 npx tsx cli/schedule.ts start --env sandbox
 *
 * The ops CLI mounts it with `program.addCommand(scheduleProgram())`, or calls
 * `scheduleCommand({...})` directly. Region, schedule name, idle settings and the record prefix
 * come from the environment's config, so the CLI and the deployed function act on the same
 * resources and read each other's stop records.
 */
import { Command, CommanderError } from "commander";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { assertEnvironmentName, loadEnvironment } from "../config";
import { names } from "../config/naming";
import { createClients, SchedulerClients } from "../lambda/scheduler/aws";
import { runScheduler, SchedulerFailedError, SchedulerLogger } from "../lambda/scheduler/core";
import { ACTIONS, Action, Summary } from "../lambda/scheduler/types";
import { AwsCredentials, awsClientConfig } from "../lambda/shared/aws-client";
import { formatTable } from "./table";

export interface ScheduleCommandOptions {
  readonly action: string;
  /** dev | staging | prod | sandbox */
  readonly env: string;
  /** @default false */
  readonly dryRun?: boolean;
  /** @default - the environment's region */
  readonly region?: string;
  /** @default - the environment's schedule name (value of the Schedule tag) */
  readonly scheduleName?: string;
  /** Sandbox only: the emulator. @default - $SANDBOX_ENDPOINT */
  readonly emulatorEndpoint?: string;
  /** Act as this identity (a session of the scheduler's role). @default - the default credential chain, or the emulator's */
  readonly credentials?: AwsCredentials;
  /** One line per target as it completes. @default - silent */
  readonly logger?: SchedulerLogger;
  /** Test seam: clients to use instead of building them. */
  readonly clients?: SchedulerClients;
  /** Test seam: the clock (skip dates, keep-alive expiry). @default - the system clock */
  readonly now?: () => Date;
}

/**
 * Runs the scheduler for an environment and returns the summary. Throws an Error with a
 * one-line message on bad input (unknown environment or action, sandbox without emulator,
 * credentials for another account), and SchedulerFailedError (carrying the summary) after
 * every target was tried if any failed.
 */
export async function scheduleCommand(opts: ScheduleCommandOptions): Promise<Summary> {
  validateScheduleFlags(opts);
  const emulatorEndpoint = opts.env === "sandbox" ? (opts.emulatorEndpoint ?? process.env.SANDBOX_ENDPOINT) : undefined;
  const cfg = loadEnvironment(opts.env, { emulatorEndpoint });
  if (cfg.name === "sandbox" && !cfg.emulatorEndpoint) {
    throw new Error("the sandbox environment runs against the local emulator: set SANDBOX_ENDPOINT (npm start prints it)");
  }
  const region = opts.region ?? cfg.region;
  const target = { region, emulatorEndpoint: cfg.emulatorEndpoint, credentials: opts.credentials };
  const clients = opts.clients ?? createClients(target);

  if (!opts.clients) {
    // Like the stacks' allowed_account_ids: never act on an account the config does not name.
    const sts = new STSClient(awsClientConfig(target));
    const { Account } = await sts.send(new GetCallerIdentityCommand({}));
    if (Account !== cfg.accountId) {
      throw new Error(`credentials are for account ${Account}, but environment '${cfg.name}' is account ${cfg.accountId}: refusing to act`);
    }
  }

  const summary = await runScheduler(
    { action: opts.action as Action, dryRun: opts.dryRun ?? false },
    {
      scheduleName: opts.scheduleName ?? cfg.schedule.name,
      region,
      recordPrefix: names(cfg).schedulerRecordPrefix, // the deployed function's RECORD_PREFIX too
      idleWindowHours: cfg.schedule.idleWindowHours,
      idleInvocationsThreshold: cfg.schedule.idleInvocationsThreshold,
      // by hand as on schedule: a keep-alive holds stop, a skip date holds start (`ops keep-alive <env> --clear` lifts one)
      honour: { timezone: cfg.schedule.timezone, skipDates: cfg.schedule.skipDates, keepAliveParameter: names(cfg).keepAliveParameter },
    },
    { clients, logger: opts.logger, now: opts.now },
  );
  if (summary.totals.failed > 0) throw new SchedulerFailedError(summary);
  return summary;
}

const REGION_RE = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/;

/** Every flag, before the environment's preconditions (emulator, credentials) are looked at. */
export function validateScheduleFlags(opts: Pick<ScheduleCommandOptions, "action" | "env" | "region" | "scheduleName">): void {
  if (!(ACTIONS as readonly string[]).includes(opts.action)) {
    throw new Error(`unknown action '${opts.action}' (allowed: ${ACTIONS.join(", ")})`);
  }
  assertEnvironmentName(opts.env);
  if (opts.region !== undefined && !REGION_RE.test(opts.region)) throw new Error(`--region must be an AWS region like eu-west-2, got '${opts.region}'`);
  if (opts.scheduleName !== undefined && !/^[\w.:/=+@ -]{1,256}$/.test(opts.scheduleName)) {
    throw new Error(`--schedule-name must be a tag value (1-256 letters, digits, spaces and _ . : / = + - @), got '${opts.scheduleName}'`);
  }
}

/** A plain-text table of the summary, one row per target. */
export function formatSummary(summary: Summary): string {
  const t = summary.totals;
  return [
    `${summary.action}${summary.dryRun ? " (dry run)" : ""} Schedule=${summary.scheduleName} in ${summary.region}: ` +
      (summary.skipped ? `nothing done: ${summary.skipped}` : `${t.targets} targets, ${t.stopped} stopped, ${t.started} started, ${t.skipped} skipped, ${t.failed} failed (${summary.durationMs} ms)`),
    ...(summary.results.length ? [formatTable(["KIND", "ID", "OUTCOME", "REASON"], summary.results.map((r) => [r.kind, r.id, r.outcome, r.reason]))] : []),
  ].join("\n");
}

/** The `schedule` command, ready to mount under the ops CLI. */
export function scheduleProgram(): Command {
  return new Command("schedule")
    .description("stop or start the scheduled resources of an environment now (what the scheduler Lambda does out of hours)")
    .argument("<action>", ACTIONS.join(" | "))
    .requiredOption("--env <env>", "environment: dev, staging, prod or sandbox")
    .option("--dry-run", "only report what would change", false)
    .option("--region <region>", "override the environment's region")
    .option("--schedule-name <name>", "override the Schedule tag value")
    .option("--json", "print the summary as JSON", false)
    .action(async (action: string, o: { env: string; dryRun: boolean; region?: string; scheduleName?: string; json: boolean }) => {
      const print = (s: Summary) => console.log(o.json ? JSON.stringify(s, null, 2) : formatSummary(s));
      try {
        print(await scheduleCommand({ action, env: o.env, dryRun: o.dryRun, region: o.region, scheduleName: o.scheduleName }));
      } catch (err) {
        if (err instanceof SchedulerFailedError) print(err.summary);
        throw err;
      }
    });
}

export async function main(argv: string[]): Promise<number> {
  const program = scheduleProgram().exitOverride().configureOutput({ writeErr: (s) => process.stderr.write(s) });
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2; // commander already printed it
    const msg = err instanceof SchedulerFailedError ? `${err.summary.totals.failed} target(s) failed` : (err as Error).message.replace(/\s*\n\s*/g, " ");
    process.stderr.write(`schedule: ${msg}\n`);
    return 1;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
