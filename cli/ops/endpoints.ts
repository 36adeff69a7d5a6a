/**
 * `ops endpoints list | stop-idle | to-serverless`. stop-idle is the scheduler's own stop-idle
 * (lambda/scheduler/core.ts) with the threshold and window given here, so it leaves the same
 * SSM stop records and `ops schedule start --env <env>` brings the endpoints back.
 */
import {
  CreateEndpointConfigCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  UpdateEndpointCommand,
} from "@aws-sdk/client-sagemaker";
import * as schedAws from "../../lambda/scheduler/aws";
import { runScheduler } from "../../lambda/scheduler/core";
import { isScheduled } from "../../lambda/scheduler/plan";
import { endpointRecordsPath, parseEndpointRecord, schedulerRecordPrefix } from "../../lambda/scheduler/records";
import type { Summary } from "../../lambda/scheduler/types";
import { formatSummary } from "../schedule";
import { assertAccount, OpsContext, OpsError } from "./context";
import { errorLine } from "../../lambda/shared/errors";
import { formatTable } from "../table";
import { buildServerlessConfig, opsTags, ServerlessOptions } from "./requests";

export interface EndpointRow {
  readonly name: string;
  readonly status: string;
  readonly capacity: string;
  readonly invocations: number | undefined;
  readonly schedule: string;
}

export async function listEndpointRows(ctx: OpsContext, windowSec: number, now = new Date()): Promise<EndpointRow[]> {
  const sm = ctx.clients.sagemaker;
  const live = await schedAws.listEndpoints(sm);
  const facts = await Promise.all(live.map((e) => schedAws.describeEndpoint(sm, e.name)));
  const described = live.map((e, i) => ({ e, f: facts[i] })).filter((x) => x.f);
  const sums = await schedAws.endpointInvocations(
    ctx.clients.cloudwatch,
    described.map((x) => ({ name: x.e.name, variants: x.f!.variants })),
    new Date(now.getTime() - windowSec * 1000),
    now,
  );
  const rows: EndpointRow[] = [];
  for (const { e, f } of described) {
    let capacity = "?";
    try {
      const cfg = await sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: f!.configName }));
      capacity = (cfg.ProductionVariants ?? [])
        .map((v) => (v.ServerlessConfig ? `serverless ${v.ServerlessConfig.MemorySizeInMB} MB x${v.ServerlessConfig.MaxConcurrency}` : `${v.InstanceType} x${v.InitialInstanceCount}`))
        .join(", ");
    } catch (err) {
      capacity = `config ${f!.configName}: ${errorLine(err)}`;
    }
    const tags = await schedAws.endpointTags(sm, e.arn);
    rows.push({ name: e.name, status: f!.status, capacity, invocations: sums.get(e.name), schedule: isScheduled(tags, ctx.cfg.schedule.name) ? tags.Schedule : tags.Schedule ? `${tags.Schedule} (other)` : "-" });
  }
  // Endpoints the scheduler stopped no longer exist: their records say they will come back.
  for (const r of await schedAws.listRecords(ctx.clients.ssm, endpointRecordsPath(schedulerRecordPrefix(ctx.cfg)))) {
    try {
      const rec = parseEndpointRecord(r.name, r.value);
      if (!rows.some((x) => x.name === rec.endpointName)) {
        rows.push({ name: rec.endpointName, status: `Stopped by ${rec.stoppedBy} at ${rec.stoppedAt}`, capacity: `config ${rec.endpointConfigName}`, invocations: undefined, schedule: rec.scheduleName });
      }
    } catch {
      // a malformed record is the scheduler's to report
    }
  }
  return rows.sort((a, b) => a.name.localeCompare(b.name));
}

export function formatEndpointRows(rows: readonly EndpointRow[], windowLabel: string): string {
  if (!rows.length) return "no SageMaker endpoints";
  return formatTable(
    ["ENDPOINT", "STATUS", "CAPACITY", `INVOCATIONS (${windowLabel})`, "SCHEDULE"],
    rows.map((r) => [r.name, r.status, r.capacity, r.invocations === undefined ? "-" : String(r.invocations), r.schedule]),
  );
}

export interface StopIdleOptions {
  readonly thresholdInvocations: number;
  readonly windowSec: number;
  /** Act; without it a dry run. */
  readonly yes?: boolean;
  readonly now?: () => Date;
}

/** The scheduler's stop-idle with this threshold and window: same tag rule, same records. */
export async function stopIdle(ctx: OpsContext, o: StopIdleOptions): Promise<Summary> {
  await assertAccount(ctx);
  const summary = await runScheduler(
    { action: "stop-idle", dryRun: !o.yes },
    {
      scheduleName: ctx.cfg.schedule.name,
      region: ctx.cfg.region,
      recordPrefix: schedulerRecordPrefix(ctx.cfg),
      idleWindowHours: o.windowSec / 3600,
      idleInvocationsThreshold: o.thresholdInvocations,
    },
    { clients: ctx.clients, now: o.now },
  );
  ctx.log(formatSummary(summary));
  if (!o.yes) ctx.log("dry run: nothing stopped; add --yes to stop the idle endpoints (ops schedule start brings them back)");
  return summary;
}

export interface ToServerlessOptions extends ServerlessOptions {
  readonly yes?: boolean;
}

export async function toServerless(ctx: OpsContext, endpoint: string, o: ToServerlessOptions = {}): Promise<{ configName: string; sent: boolean }> {
  await assertAccount(ctx);
  const sm = ctx.clients.sagemaker;
  const ep = await schedAws.describeEndpoint(sm, endpoint);
  if (!ep) throw new OpsError(`endpoint ${endpoint} does not exist in ${ctx.cfg.region}`);
  if (ep.status !== "InService") throw new OpsError(`endpoint ${endpoint} is ${ep.status}: UpdateEndpoint needs InService`);
  const current = await sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: ep.configName }));
  let input;
  try {
    input = buildServerlessConfig(endpoint, current, o);
  } catch (err) {
    throw new OpsError((err as Error).message);
  }
  const tags = await schedAws.endpointTags(sm, ep.arn);
  ctx.log(`${endpoint}: ${ep.configName} -> ${input.EndpointConfigName} (${input.ProductionVariants!.map((v) => `${v.VariantName}: ${v.ModelName}, serverless ${v.ServerlessConfig!.MemorySizeInMB} MB x${v.ServerlessConfig!.MaxConcurrency}`).join("; ")})`);
  if (tags.ManagedBy === "cdktf") {
    ctx.log(`note: ${endpoint} is Terraform's: the next deploy puts its config back; set sagemaker.endpoint.mode = "serverless" in config/environments.ts to keep it`);
  }
  if (!o.yes) {
    ctx.log("dry run: nothing changed; add --yes to create the config and update the endpoint");
    return { configName: input.EndpointConfigName!, sent: false };
  }
  await sm.send(new CreateEndpointConfigCommand({ ...input, Tags: opsTags(ctx.cfg, { Endpoint: endpoint }) }));
  try {
    await sm.send(new UpdateEndpointCommand({ EndpointName: endpoint, EndpointConfigName: input.EndpointConfigName }));
  } catch (err) {
    throw new OpsError(`UpdateEndpoint ${endpoint} -> ${input.EndpointConfigName} failed (the new config is kept; rerun to retry): ${errorLine(err)}`);
  }
  const after = await sm.send(new DescribeEndpointCommand({ EndpointName: endpoint }));
  ctx.log(`UpdateEndpoint sent: ${endpoint} is ${after.EndpointStatus}; the old config ${ep.configName} is kept for a rollback`);
  return { configName: input.EndpointConfigName!, sent: true };
}
