/**
 * The scheduler: find the targets tagged Schedule=<scheduleName>, decide (plan.ts), act
 * (aws.ts), one result per target. Shared by the Lambda handler and `ops schedule`.
 *
 *   const summary = await runScheduler({ action: "stop", dryRun: false }, settings, { clients });
 *   if (summary.totals.failed) throw new SchedulerFailedError(summary);
 *
 * Every target is attempted: an error becomes that target's "failed" result, never an early
 * exit. A listing that fails becomes one failed result for its kind (id "*").
 */
import { createLimiter } from "../shared/concurrency";
import { retry, RetryOptions } from "../shared/retry";
import { errorMessage, errorName } from "../shared/errors";
import * as aws from "./aws";
import type { SchedulerClients } from "./aws";
import {
  endpointsToStop,
  isScheduled,
  scheduledRunVerdict,
  planEndpointStart,
  planEndpointStop,
  planNodegroupStart,
  planNodegroupStop,
  planRule,
  tagsForRecreate,
  totals,
} from "./plan";
import type { NodegroupFacts } from "./plan";
import {
  endpointRecordName,
  endpointRecordsPath,
  nodegroupRecordName,
  nodegroupRecordsPath,
  parseEndpointRecord,
  parseNodegroupRecord,
  serializeRecord,
} from "./records";
import type { LambdaPrices } from "./price-subset";
import { endpointAvoided, nodegroupAvoided } from "./avoided";
import { bundledPriceTable } from "./prices";
import type { Action, EndpointRecord, NodegroupRecord, Summary, TargetKind, TargetResult, Tags } from "./types";

export interface SchedulerRequest {
  readonly action: Action;
  readonly dryRun: boolean;
}

export interface SchedulerSettings {
  /** Value of the Schedule tag to act on. */
  readonly scheduleName: string;
  readonly region: string;
  /** SSM path under which stop records live, e.g. /retail-forecast/dev/scheduler. */
  readonly recordPrefix: string;
  /** stop-idle: look back this many hours. */
  readonly idleWindowHours: number;
  /** stop-idle: fewer invocations than this over the window is idle. */
  readonly idleInvocationsThreshold: number;
  /** @default 8 targets (and discovery calls) in flight */
  readonly concurrency?: number;
  /**
   * The override and skip dates the run honours (lambda/shared/office-hours.ts).
   * @default - none: the run acts whatever the date and any keep-alive
   */
  readonly honour?: {
    readonly timezone: string;
    readonly skipDates: readonly string[];
    /** SSM parameter of the keep-alive override. */
    readonly keepAliveParameter?: string;
  };
}

/** What the core logs through: Powertools' Logger fits, so does a console adapter. */
export interface SchedulerLogger {
  info(message: string, attributes: Record<string, unknown>): void;
  error(message: string, attributes: Record<string, unknown>): void;
}

export interface SchedulerDeps {
  readonly clients: SchedulerClients;
  /** One line per target. @default - silent */
  readonly logger?: SchedulerLogger;
  /** Backoff for node groups not ACTIVE, ResourceInUseException and endpoints still Deleting. */
  readonly retry?: RetryOptions;
  /** @default - the system clock */
  readonly now?: () => Date;
  /**
   * Prices of avoided hours (a start reports them). @default the bundled table of the region
   * (lambda/scheduler/prices.ts); null: report hours only
   */
  readonly prices?: LambdaPrices | null;
  /** Test seam: runs after discovery, just before a target is acted on. */
  readonly beforeTarget?: (kind: TargetKind, id: string) => Promise<void>;
}

/** Thrown by callers (handler, CLI) after every target was tried and at least one failed. */
export class SchedulerFailedError extends Error {
  constructor(readonly summary: Summary) {
    const failed = summary.results.filter((r) => r.outcome === "failed");
    super(
      `scheduler ${summary.action} failed for ${failed.length} of ${summary.totals.targets} targets: ` +
        failed.map((r) => `${r.kind} ${r.id}: ${r.reason}`).join("; "),
    );
    this.name = "SchedulerFailedError";
  }
}

class NotReady extends Error {
  name = "NotReady";
}
class Gone extends Error {
  name = "Gone";
}

type Task = { kind: TargetKind; id: string; run: () => Promise<Omit<TargetResult, "kind" | "id">> };

export async function runScheduler(request: SchedulerRequest, settings: SchedulerSettings, deps: SchedulerDeps): Promise<Summary> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  const t0 = Date.now();
  const ctx = new Ctx(request, settings, deps);
  const summary = (results: TargetResult[], skipped?: string): Summary => ({
    action: request.action,
    dryRun: request.dryRun,
    scheduleName: settings.scheduleName,
    region: settings.region,
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - t0,
    totals: totals(results),
    results,
    ...(skipped ? { skipped } : {}),
  });

  if (settings.honour) {
    const h = settings.honour;
    const keepAlive = h.keepAliveParameter ? { name: h.keepAliveParameter, value: await aws.getRecord(deps.clients.ssm, h.keepAliveParameter) } : undefined;
    const verdict = scheduledRunVerdict(request.action, startedAt, { timezone: h.timezone, skipDates: h.skipDates }, keepAlive);
    if (!verdict.run) {
      deps.logger?.info(`${request.action} skipped: ${verdict.reason}`, { action: request.action, dryRun: request.dryRun, skipped: verdict.reason });
      return summary([], verdict.reason);
    }
  }

  const discovered = await Promise.all(
    request.action === "stop-idle"
      ? [ctx.guard("endpoint", () => ctx.idleEndpointTasks(now()))]
      : [
          ctx.guard("nodegroup", () => ctx.nodegroupTasks()),
          ctx.guard("endpoint", () => (request.action === "stop" ? ctx.endpointStopTasks() : ctx.endpointStartTasks())),
          ctx.guard("rule", () => ctx.ruleTasks()),
        ],
  );
  const tasks = discovered.flat();

  const results = await ctx.map(tasks, async (task): Promise<TargetResult> => {
    let result: TargetResult;
    try {
      await deps.beforeTarget?.(task.kind, task.id);
      result = { kind: task.kind, id: task.id, ...(await task.run()) };
    } catch (err) {
      result = { kind: task.kind, id: task.id, outcome: "failed", before: null, after: null, reason: err instanceof Gone ? err.message : errorMessage(err) };
    }
    const line = { target: result, action: request.action, dryRun: request.dryRun };
    if (result.outcome === "failed") deps.logger?.error(`${result.kind} ${result.id} failed`, line);
    else deps.logger?.info(`${result.kind} ${result.id} ${result.outcome}`, line);
    return result;
  });

  return summary(results);
}

const failedTask = (kind: TargetKind, id: string, reason: string): Task => ({
  kind,
  id,
  run: async () => {
    throw new Error(reason);
  },
});

class Ctx {
  private readonly c: SchedulerClients;
  private readonly prices: LambdaPrices | undefined;
  private readonly now: () => Date;
  /** One bound for the whole run: discovery of all kinds and the targets share it. */
  private readonly limit: <T>(fn: () => Promise<T>) => Promise<T>;

  constructor(
    private readonly req: SchedulerRequest,
    private readonly s: SchedulerSettings,
    private readonly deps: SchedulerDeps,
  ) {
    this.c = deps.clients;
    this.limit = createLimiter(s.concurrency ?? 8);
    this.prices = deps.prices === null ? undefined : (deps.prices ?? bundledPriceTable(s.region));
    this.now = deps.now ?? (() => new Date());
  }

  /** Like Promise.all over items, at most `concurrency` fn calls in flight across the run. */
  map<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
    return Promise.all(items.map((item) => this.limit(() => fn(item))));
  }

  /** A listing that fails is one failed result for the kind, not an aborted run. */
  async guard(kind: TargetKind, discover: () => Promise<Task[]>): Promise<Task[]> {
    try {
      return await discover();
    } catch (err) {
      return [failedTask(kind, "*", `listing ${kind}s failed: ${errorMessage(err)}`)];
    }
  }

  private dry(reason: string) {
    return `dry run, nothing changed; planned: ${reason}`;
  }

  private retry<T>(fn: () => Promise<T>, retryable: (e: unknown) => boolean): Promise<T> {
    return retry(fn, retryable, this.deps.retry);
  }

  // ---- node groups -------------------------------------------------------------------------

  async nodegroupTasks(): Promise<Task[]> {
    const [refs, rawRecords] = await Promise.all([
      aws.listNodegroups(this.c.eks),
      aws.listRecords(this.c.ssm, nodegroupRecordsPath(this.s.recordPrefix)),
    ]);
    const records = new Map(rawRecords.map((r) => [r.name, r.value]));
    const described = await this.map(refs, async (ref) => {
      try {
        return { ref, facts: await aws.describeNodegroup(this.c.eks, ref) };
      } catch (err) {
        return { ref, error: err };
      }
    });
    const tasks: Task[] = [];
    for (const d of described) {
      const id = `${d.ref.cluster}/${d.ref.nodegroup}`;
      if ("error" in d) tasks.push(failedTask("nodegroup", id, `describe failed: ${errorMessage(d.error)}`));
      else if (d.facts && isScheduled(d.facts.tags, this.s.scheduleName)) {
        const facts = d.facts;
        const recordName = nodegroupRecordName(this.s.recordPrefix, d.ref.cluster, d.ref.nodegroup);
        const raw = records.get(recordName);
        tasks.push({
          kind: "nodegroup",
          id,
          run: () => {
            const record = raw === undefined ? undefined : parseNodegroupRecord(recordName, raw);
            return this.req.action === "stop" ? this.stopNodegroup(d.ref, facts, recordName, record) : this.startNodegroup(d.ref, facts, recordName, record);
          },
        });
      }
    }
    return tasks;
  }

  /** Re-describes (after the first try) until the plan stops saying "wait", bounded. */
  private async settle<D extends { do: string; reason: string }>(
    ref: aws.NodegroupRef,
    first: NodegroupFacts,
    plan: (f: NodegroupFacts) => D,
  ): Promise<{ facts: NodegroupFacts; decision: D }> {
    let attempt = 0;
    return this.retry(
      async () => {
        const facts = attempt++ === 0 ? first : await aws.describeNodegroup(this.c.eks, ref);
        if (!facts) throw new Gone(`node group no longer exists`);
        const decision = plan(facts);
        if (decision.do === "wait") throw new NotReady(decision.reason);
        return { facts, decision };
      },
      (e) => e instanceof NotReady,
    );
  }

  private updateScaling(ref: aws.NodegroupRef, scaling: NodegroupRecord["scaling"]) {
    // EKS answers ResourceInUseException while another update runs; the SDK does not retry it.
    return this.retry(
      () => aws.updateNodegroupScaling(this.c.eks, ref, scaling),
      (e) => errorName(e) === "ResourceInUseException",
    ).catch((err) => {
      if (errorName(err) === "ResourceNotFoundException") throw new Gone(`node group no longer exists (deleted after it was listed): ${errorMessage(err)}`);
      throw err;
    });
  }

  private async stopNodegroup(ref: aws.NodegroupRef, first: NodegroupFacts, recordName: string, record: NodegroupRecord | undefined) {
    const { facts, decision } = await this.settle(ref, first, (f) => planNodegroupStop(f, record));
    const before = { status: facts.status, ...facts.scaling };
    if (decision.do === "skip") {
      if (decision.dropRecord && !this.req.dryRun) await aws.deleteRecord(this.c.ssm, recordName);
      return { outcome: "skipped" as const, before, after: before, reason: decision.reason };
    }
    if (decision.do !== "stop") throw new Error(`unexpected decision ${decision.do} for stop`);
    if (this.req.dryRun) return { outcome: "skipped" as const, before, after: decision.target, reason: this.dry(decision.reason) };

    let reason = decision.reason;
    const fresh: NodegroupRecord = {
      version: 1,
      kind: "nodegroup",
      scheduleName: this.s.scheduleName,
      cluster: ref.cluster,
      nodegroup: ref.nodegroup,
      nodegroupArn: facts.arn,
      scaling: { ...facts.scaling },
      stoppedAt: (this.deps.now ?? (() => new Date()))().toISOString(),
    };
    if (decision.record === "replace") await aws.overwriteRecord(this.c.ssm, recordName, serializeRecord(fresh));
    else if (decision.record === "write") {
      // Overwrite=false: if a concurrent or earlier delivery recorded first, its record stays.
      if ((await aws.putRecordIfAbsent(this.c.ssm, recordName, serializeRecord(fresh))) === "exists") reason += " (a record written meanwhile was kept)";
    }
    await this.updateScaling(ref, decision.target);
    return { outcome: "stopped" as const, before, after: { ...decision.target, record: recordName }, reason };
  }

  private async startNodegroup(ref: aws.NodegroupRef, first: NodegroupFacts, recordName: string, record: NodegroupRecord | undefined) {
    const { facts, decision } = await this.settle(ref, first, (f) => planNodegroupStart(f, record));
    const before = { status: facts.status, ...facts.scaling };
    if (decision.do === "skip") {
      if (decision.dropRecord && !this.req.dryRun) await aws.deleteRecord(this.c.ssm, recordName);
      return { outcome: "skipped" as const, before, after: before, reason: decision.reason };
    }
    if (decision.do !== "start") throw new Error(`unexpected decision ${decision.do} for start`);
    if (this.req.dryRun) return { outcome: "skipped" as const, before, after: decision.target, reason: this.dry(decision.reason) };
    await this.updateScaling(ref, decision.target);
    await aws.deleteRecord(this.c.ssm, recordName);
    const avoided = record && nodegroupAvoided(record, facts, this.now(), this.prices);
    return { outcome: "started" as const, before, after: { ...decision.target }, reason: decision.reason, avoided };
  }

  // ---- endpoints ---------------------------------------------------------------------------

  /**
   * Listed endpoints tagged for this schedule. One whose tags cannot be read becomes a failed
   * task (in `failed`), not a failed listing; one deleted since it was listed is dropped.
   */
  private async taggedEndpoints(): Promise<{ tagged: { e: aws.EndpointSummary; tags: Tags }[]; failed: Task[] }> {
    const all = await aws.listEndpoints(this.c.sagemaker);
    const read = await this.map(all, async (e) => {
      try {
        return { e, tags: await aws.endpointTags(this.c.sagemaker, e.arn) };
      } catch (err) {
        return { e, error: err };
      }
    });
    const failed: Task[] = [];
    const tagged: { e: aws.EndpointSummary; tags: Tags }[] = [];
    for (const r of read) {
      if (r.tags) {
        if (isScheduled(r.tags, this.s.scheduleName)) tagged.push({ e: r.e, tags: r.tags });
      } else if (!aws.isEndpointNotFound(r.error)) failed.push(failedTask("endpoint", r.e.name, `reading tags failed: ${errorMessage(r.error)}`));
    }
    return { tagged, failed };
  }

  private async endpointRecords(): Promise<Map<string, string>> {
    const raw = await aws.listRecords(this.c.ssm, endpointRecordsPath(this.s.recordPrefix));
    return new Map(raw.map((r) => [r.name, r.value]));
  }

  async endpointStopTasks(): Promise<Task[]> {
    const [{ tagged, failed }, records] = await Promise.all([this.taggedEndpoints(), this.endpointRecords()]);
    return [
      ...failed,
      ...tagged.map(({ e, tags }) => ({
        kind: "endpoint" as const,
        id: e.name,
        run: () => this.stopEndpoint(e.name, tags, records.has(endpointRecordName(this.s.recordPrefix, e.name)), "stop"),
      })),
    ];
  }

  private async stopEndpoint(name: string, tags: Tags, hasRecord: boolean, stoppedBy: "stop" | "stop-idle", known?: aws.EndpointFacts, idleReason?: string) {
    const facts = known ?? (await aws.describeEndpoint(this.c.sagemaker, name));
    const before = facts ? { status: facts.status, endpointConfigName: facts.configName } : { status: "absent" };
    const decision = planEndpointStop(facts?.status, tags, hasRecord);
    if (decision.do === "skip" || !facts) return { outcome: "skipped" as const, before, after: before, reason: decision.reason };
    const reason = idleReason ? `${idleReason}; ${decision.reason}` : decision.reason;
    if (this.req.dryRun) return { outcome: "skipped" as const, before, after: { status: "absent" }, reason: this.dry(reason) };

    const recordName = endpointRecordName(this.s.recordPrefix, name);
    const record: EndpointRecord = {
      version: 1,
      kind: "endpoint",
      scheduleName: this.s.scheduleName,
      endpointName: name,
      endpointConfigName: facts.configName,
      tags: tagsForRecreate(tags),
      stoppedAt: (this.deps.now ?? (() => new Date()))().toISOString(),
      stoppedBy,
    };
    if ((await aws.putRecordIfAbsent(this.c.ssm, recordName, serializeRecord(record))) === "exists") {
      // The endpoint exists right now, so its current config is the truth: a record that names
      // another config is left over from before a redeploy and must not win.
      const old = await aws.getRecord(this.c.ssm, recordName);
      const parsed = old === undefined ? undefined : safeParse(() => parseEndpointRecord(recordName, old));
      if (!parsed || parsed.endpointConfigName !== facts.configName) await aws.overwriteRecord(this.c.ssm, recordName, serializeRecord(record));
    }
    const deleted = await aws.deleteEndpoint(this.c.sagemaker, name);
    return {
      outcome: "stopped" as const,
      before,
      after: { status: deleted === "deleted" ? "Deleting" : "absent", record: recordName },
      reason: deleted === "gone" ? `${reason} (it was already gone)` : reason,
    };
  }

  async endpointStartTasks(): Promise<Task[]> {
    const records = await this.endpointRecords();
    const tasks: Task[] = [];
    for (const [recordName, raw] of records) {
      let record: EndpointRecord;
      try {
        record = parseEndpointRecord(recordName, raw);
      } catch (err) {
        tasks.push(failedTask("endpoint", recordName.slice(recordName.lastIndexOf("/") + 1), errorMessage(err)));
        continue;
      }
      if (record.scheduleName !== this.s.scheduleName) continue; // another schedule's record
      tasks.push({ kind: "endpoint", id: record.endpointName, run: () => this.startEndpoint(recordName, record) });
    }
    return tasks;
  }

  private async startEndpoint(recordName: string, record: EndpointRecord) {
    const { facts, decision } = await this.retry(
      async () => {
        const facts = await aws.describeEndpoint(this.c.sagemaker, record.endpointName);
        const decision = planEndpointStart(facts?.status, record);
        if (decision.do === "wait") throw new NotReady(decision.reason);
        return { facts, decision };
      },
      (e) => e instanceof NotReady,
    );
    const before = facts ? { status: facts.status, endpointConfigName: facts.configName } : { status: "absent", record: recordName };
    if (decision.do === "skip") {
      if (decision.dropRecord && !this.req.dryRun) await aws.deleteRecord(this.c.ssm, recordName);
      return { outcome: "skipped" as const, before, after: before, reason: decision.reason };
    }
    const after = { status: "Creating", endpointConfigName: record.endpointConfigName };
    if (this.req.dryRun) return { outcome: "skipped" as const, before, after, reason: this.dry(decision.reason) };
    const created = await aws.createEndpoint(this.c.sagemaker, record.endpointName, record.endpointConfigName, record.tags);
    await aws.deleteRecord(this.c.ssm, recordName);
    if (created === "exists") return { outcome: "skipped" as const, before, after: { status: "exists" }, reason: "already running (created meanwhile): record removed" };
    // the config's instances price the hours; a config that cannot be read costs the dollars, not the start
    const variants = await aws.describeEndpointConfigVariants(this.c.sagemaker, record.endpointConfigName).catch(() => undefined);
    return { outcome: "started" as const, before, after, reason: decision.reason, avoided: endpointAvoided(record, variants, this.now(), this.prices) };
  }

  async idleEndpointTasks(now: Date): Promise<Task[]> {
    const [{ tagged, failed }, records] = await Promise.all([this.taggedEndpoints(), this.endpointRecords()]);
    const described = await this.map(tagged, async (t) => {
      try {
        return { ...t, facts: await aws.describeEndpoint(this.c.sagemaker, t.e.name) };
      } catch (err) {
        return { ...t, error: err };
      }
    });
    const live = described.flatMap((d) => ("facts" in d && d.facts?.status === "InService" ? [{ ...d, facts: d.facts }] : []));
    const sums = await aws.endpointInvocations(
      this.c.cloudwatch,
      live.map((d) => ({ name: d.e.name, variants: d.facts.variants })),
      new Date(now.getTime() - this.s.idleWindowHours * 3_600_000),
      now,
    );
    const verdicts = new Map(
      endpointsToStop(
        live.map((d) => ({ name: d.e.name, status: d.facts.status, createdAt: d.facts.createdAt ?? d.e.createdAt, invocations: sums.get(d.e.name) ?? 0, tags: d.tags })),
        { thresholdInvocations: this.s.idleInvocationsThreshold, windowHours: this.s.idleWindowHours, now },
      ).map((v) => [v.name, v]),
    );
    const tasks: Task[] = [...failed];
    for (const d of described) {
      const name = d.e.name;
      if ("error" in d) {
        tasks.push(failedTask("endpoint", name, `describe failed: ${errorMessage(d.error)}`));
        continue;
      }
      tasks.push({
        kind: "endpoint",
        id: name,
        run: async () => {
          const v = verdicts.get(name);
          const before = d.facts ? { status: d.facts.status, invocations: sums.get(name) } : { status: "absent" };
          if (!v) {
            const reason = d.facts ? `endpoint is ${d.facts.status}: only InService endpoints are checked for idleness` : "endpoint no longer exists";
            return { outcome: "skipped" as const, before, after: before, reason };
          }
          if (!v.idle) return { outcome: "skipped" as const, before, after: before, reason: v.reason };
          return this.stopEndpoint(name, d.tags, records.has(endpointRecordName(this.s.recordPrefix, name)), "stop-idle", d.facts, v.reason);
        },
      });
    }
    return tasks;
  }

  // ---- rules -------------------------------------------------------------------------------

  async ruleTasks(): Promise<Task[]> {
    const rules = await aws.listRules(this.c.events);
    const read = await this.map(rules, async (r) => {
      try {
        return { r, tags: await aws.ruleTags(this.c.events, r.arn) };
      } catch (err) {
        return { r, error: err };
      }
    });
    const tasks: Task[] = [];
    for (const x of read) {
      if (x.tags === undefined) {
        // a rule deleted since it was listed is not a target; any other error is
        if (errorName(x.error) !== "ResourceNotFoundException") tasks.push(failedTask("rule", x.r.name, `reading tags failed: ${errorMessage(x.error)}`));
      } else if (isScheduled(x.tags, this.s.scheduleName)) {
        const tags = x.tags;
        tasks.push({ kind: "rule", id: x.r.name, run: () => this.toggleRule(x.r, tags) });
      }
    }
    return tasks;
  }

  private async toggleRule(r: aws.RuleFacts, tags: Tags) {
    const decision = planRule(this.req.action === "start" ? "start" : "stop", { state: r.state, managedBy: r.managedBy, tags });
    const before = { state: r.state };
    if (decision.do === "skip") return { outcome: "skipped" as const, before, after: before, reason: decision.reason };
    const enable = decision.do === "enable";
    const after = { state: enable ? "ENABLED" : "DISABLED" };
    if (this.req.dryRun) return { outcome: "skipped" as const, before, after, reason: this.dry(decision.reason) };
    await aws.setRuleEnabled(this.c.events, r.name, enable);
    return { outcome: enable ? ("started" as const) : ("stopped" as const), before, after, reason: decision.reason };
  }

}

function safeParse<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
