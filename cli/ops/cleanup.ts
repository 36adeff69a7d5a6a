/**
 * Teardown steps 2 and 3, and restore's resume: AWS calls only, each step returning what it
 * found and what it did so the caller can print done / skipped / failed.
 *
 * - pause: disable the EventBridge rules tagged Schedule=<schedule name> (scheduled training)
 *   and the scheduler's own EventBridge Scheduler schedules (`<function>-stop|start|stop-idle`),
 *   so neither a 07:00 start nor training can recreate what the teardown removes. Disabling the
 *   schedules (rather than throttling the function) means nothing fires at all: no throttled
 *   invocations, no retries into the dead-letter queue, no DLQ-depth alarm mid-teardown. They
 *   stay disabled while compute is down (the ops stack outlives it): the scheduler would find
 *   nothing to stop or start, and training needs the SageMaker role that goes with compute.
 *   What was disabled is written to the pause record (locks.ts) first; resume enables exactly
 *   that, unless the environment's config keeps the schedules disabled.
 * - cleanup: what Terraform does not own but would block or outlive a destroy: SageMaker
 *   endpoints created outside Terraform and the scheduler's stop records, load balancers /
 *   target groups / security groups the Kubernetes controllers created for the cluster, ECR
 *   images beyond the repositories' retention rules.
 */
import { DeleteEndpointConfigCommand, paginateListEndpointConfigs, paginateListEndpoints, paginateListTags } from "@aws-sdk/client-sagemaker";
import {
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  DescribeTagsCommand,
  paginateDescribeLoadBalancers,
  paginateDescribeTargetGroups,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { DeleteSecurityGroupCommand, DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { DescribeUpdateCommand, ListClustersCommand, ListNodegroupsCommand, ListUpdatesCommand } from "@aws-sdk/client-eks";
import { pages } from "../../lambda/shared/pages";
import { BatchDeleteImageCommand, paginateDescribeImages } from "@aws-sdk/client-ecr";
import { GetScheduleCommand, paginateListSchedules, ScheduleState, UpdateScheduleCommand } from "@aws-sdk/client-scheduler";
import * as schedAws from "../../lambda/scheduler/aws";
import { isScheduled } from "../../lambda/scheduler/plan";
import { schedulerRecordPrefix } from "../../lambda/scheduler/records";
import { applyEcrLifecycle, EcrImage } from "../../modules/ecr-lifecycle-sim";
import { ecrLifecycleRules } from "../../modules/ecr-repository";
import { OpsContext } from "./context";
import { errorLine, errorName } from "../../lambda/shared/errors";
import { clearPauseRecord, PauseRecord, readPauseRecord, recordPaused } from "./locks";

export interface Action {
  readonly kind: string;
  readonly id: string;
  readonly what: string;
  /** EventBridge Scheduler group, for schedules. */
  readonly group?: string;
  readonly run: () => Promise<void>;
}

export interface ActionOutcome {
  readonly action: Action;
  readonly status: "done" | "failed";
  readonly error?: string;
}

/** Runs actions one by one; a failure is recorded and the rest still run (rerun to finish). */
export async function runActions(ctx: OpsContext, actions: readonly Action[], dryRun: boolean): Promise<ActionOutcome[]> {
  const out: ActionOutcome[] = [];
  for (const a of actions) {
    if (dryRun) {
      ctx.log(`      would ${a.what}: ${a.kind} ${a.id}`);
      continue;
    }
    try {
      await a.run();
      ctx.log(`      ${a.what}: ${a.kind} ${a.id}`);
      out.push({ action: a, status: "done" });
    } catch (err) {
      ctx.log(`      FAILED to ${a.what} ${a.kind} ${a.id}: ${errorLine(err)}`);
      out.push({ action: a, status: "failed", error: errorLine(err) });
    }
  }
  return out;
}

// ---- pause / resume -------------------------------------------------------------------------

async function scheduledRules(ctx: OpsContext) {
  const rules = await schedAws.listRules(ctx.clients.events);
  const out: schedAws.RuleFacts[] = [];
  for (const r of rules) {
    if (r.managedBy) continue;
    const tags = await schedAws.ruleTags(ctx.clients.events, r.arn);
    if (isScheduled(tags, ctx.cfg.schedule.name) && (tags.Environment === undefined || tags.Environment === ctx.cfg.name)) out.push(r);
  }
  return out;
}

interface ScheduleFacts {
  readonly name: string;
  readonly groupName: string;
  readonly state: string;
}

/** The scheduler function's schedules: named `<function>-<action>` by the ops stack. */
async function schedulerSchedules(ctx: OpsContext): Promise<ScheduleFacts[]> {
  const prefix = `${ctx.names.schedulerFunction}-`;
  const out: ScheduleFacts[] = [];
  for await (const page of paginateListSchedules({ client: ctx.clients.scheduler, pageSize: 100 }, { NamePrefix: prefix })) {
    for (const s of page.Schedules ?? []) {
      if (s.Name?.startsWith(prefix)) out.push({ name: s.Name, groupName: s.GroupName ?? "default", state: s.State ?? "ENABLED" });
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * UpdateSchedule replaces the whole definition, so the current one is read and sent back with
 * only the state changed (expression, timezone, target, DLQ and retry policy kept as deployed).
 */
export async function setScheduleState(ctx: OpsContext, name: string, groupName: string, state: ScheduleState): Promise<void> {
  const s = await ctx.clients.scheduler.send(new GetScheduleCommand({ Name: name, GroupName: groupName }));
  if (!s.ScheduleExpression || !s.FlexibleTimeWindow || !s.Target) throw new Error(`schedule ${name} has no expression, time window or target to keep`);
  await ctx.clients.scheduler.send(
    new UpdateScheduleCommand({
      Name: name,
      GroupName: groupName,
      Description: s.Description,
      ScheduleExpression: s.ScheduleExpression,
      ScheduleExpressionTimezone: s.ScheduleExpressionTimezone,
      StartDate: s.StartDate,
      EndDate: s.EndDate,
      FlexibleTimeWindow: s.FlexibleTimeWindow,
      Target: s.Target,
      KmsKeyArn: s.KmsKeyArn,
      ActionAfterCompletion: s.ActionAfterCompletion,
      State: state,
    }),
  );
}

/**
 * Pause: the tagged EventBridge rules and the scheduler's schedules that are enabled now.
 * Those already disabled are left out: somebody switched them off, and resume must not switch
 * them on.
 */
export async function pauseActions(ctx: OpsContext): Promise<{ actions: Action[]; notes: string[] }> {
  const actions: Action[] = [];
  const notes: string[] = [];
  for (const r of await scheduledRules(ctx)) {
    if (r.state === "DISABLED") notes.push(`rule ${r.name} already disabled`);
    else actions.push({ kind: "rule", id: r.name, what: "disable", run: () => schedAws.setRuleEnabled(ctx.clients.events, r.name, false) });
  }
  const schedules = await schedulerSchedules(ctx);
  if (schedules.length === 0) notes.push(`no schedules for ${ctx.names.schedulerFunction} (ops stack not deployed)`);
  for (const s of schedules) {
    if (s.state === "DISABLED") notes.push(`schedule ${s.name} already disabled`);
    else actions.push({ kind: "schedule", id: s.name, what: "disable", group: s.groupName, run: () => setScheduleState(ctx, s.name, s.groupName, "DISABLED") });
  }
  return { actions, notes };
}

/**
 * Pause for real: the pause record is written (added to) first, so that a run killed right
 * after a disable still knows what to resume; then the actions run.
 */
export async function pause(ctx: OpsContext): Promise<{ actions: Action[]; outcomes: ActionOutcome[]; notes: string[] }> {
  const { actions, notes } = await pauseActions(ctx);
  if (actions.length) {
    await recordPaused(ctx, {
      rules: actions.filter((a) => a.kind === "rule").map((a) => a.id),
      schedules: actions.filter((a) => a.kind === "schedule").map((a) => ({ name: a.id, groupName: a.group ?? "default" })),
    });
  }
  return { actions, outcomes: await runActions(ctx, actions, false), notes };
}

/**
 * Resume: what the pause record lists and is disabled now, nothing else; schedules stay off
 * where the environment's config keeps them off. No record: no teardown paused anything.
 */
export async function resumeActions(ctx: OpsContext): Promise<{ actions: Action[]; notes: string[]; record?: PauseRecord }> {
  const record = await readPauseRecord(ctx);
  const actions: Action[] = [];
  const notes: string[] = [];
  if (!record) return { actions, notes: ["no pause record: no teardown paused anything"] };
  const rules = new Map((await scheduledRules(ctx)).map((r) => [r.name, r]));
  for (const name of record.rules) {
    const r = rules.get(name);
    if (!r) notes.push(`rule ${name} no longer exists`);
    else if (r.state === "ENABLED") notes.push(`rule ${name} already enabled`);
    else actions.push({ kind: "rule", id: name, what: "enable", run: () => schedAws.setRuleEnabled(ctx.clients.events, name, true) });
  }
  const schedules = new Map((await schedulerSchedules(ctx)).map((s) => [s.name, s]));
  for (const p of record.schedules) {
    const s = schedules.get(p.name);
    if (!s) notes.push(`schedule ${p.name} no longer exists`);
    else if (s.state === "ENABLED") notes.push(`schedule ${p.name} already enabled`);
    else if (ctx.cfg.schedule.enabled === false) notes.push(`schedule ${p.name} left disabled: the ${ctx.cfg.name} config has schedule.enabled false`);
    else actions.push({ kind: "schedule", id: p.name, what: "enable", group: s.groupName, run: () => setScheduleState(ctx, p.name, s.groupName, "ENABLED") });
  }
  return { actions, notes, record };
}

/** Resume for real; the record goes once every action succeeded (a failure keeps it for the rerun). */
export async function resume(ctx: OpsContext): Promise<{ actions: Action[]; outcomes: ActionOutcome[]; notes: string[]; hadRecord: boolean }> {
  const { actions, notes, record } = await resumeActions(ctx);
  const outcomes = await runActions(ctx, actions, false);
  if (record && outcomes.every((o) => o.status === "done")) await clearPauseRecord(ctx);
  return { actions, outcomes, notes, hadRecord: !!record };
}

// ---- endpoints outside Terraform, scheduler records ------------------------------------------

export async function endpointCleanupActions(ctx: OpsContext): Promise<{ actions: Action[]; notes: string[] }> {
  const sm = ctx.clients.sagemaker;
  const actions: Action[] = [];
  const notes: string[] = [];
  for await (const page of paginateListEndpoints({ client: sm, pageSize: 100 }, {})) {
    for (const e of page.Endpoints ?? []) {
      const tags: Record<string, string> = {};
      for await (const t of paginateListTags({ client: sm, pageSize: 100 }, { ResourceArn: e.EndpointArn! })) {
        for (const kv of t.Tags ?? []) tags[kv.Key!] = kv.Value ?? "";
      }
      const ours = tags.Environment === ctx.cfg.name || e.EndpointName!.startsWith(`${ctx.names.prefix}-`);
      if (!ours) continue;
      // The Terraform endpoint goes with the compute stack's destroy.
      if (e.EndpointName === ctx.names.endpoint && tags.ManagedBy === "cdktf") {
        notes.push(`endpoint ${e.EndpointName} is Terraform's (destroyed with ${ctx.cfg.name}-compute)`);
        continue;
      }
      if (e.EndpointStatus === "Deleting") {
        notes.push(`endpoint ${e.EndpointName} already Deleting`);
        continue;
      }
      actions.push({
        kind: "endpoint",
        id: e.EndpointName!,
        what: "delete (created outside Terraform)",
        run: async () => {
          await schedAws.deleteEndpoint(sm, e.EndpointName!);
        },
      });
    }
  }
  // Endpoint configs the ops CLI made (to-serverless): free, but not meant to outlive the environment.
  for await (const page of paginateListEndpointConfigs({ client: sm, pageSize: 100 }, {})) {
    for (const c of page.EndpointConfigs ?? []) {
      const tags: Record<string, string> = {};
      for await (const t of paginateListTags({ client: sm, pageSize: 100 }, { ResourceArn: c.EndpointConfigArn! })) {
        for (const kv of t.Tags ?? []) tags[kv.Key!] = kv.Value ?? "";
      }
      if (tags.Environment !== ctx.cfg.name || tags.ManagedBy !== "ops-cli") continue;
      actions.push({
        kind: "endpoint-config",
        id: c.EndpointConfigName!,
        what: "delete (created by the ops CLI)",
        run: async () => {
          try {
            await sm.send(new DeleteEndpointConfigCommand({ EndpointConfigName: c.EndpointConfigName! }));
          } catch (err) {
            if (!/could not find/i.test(errorLine(err))) throw err;
          }
        },
      });
    }
  }
  const prefix = schedulerRecordPrefix(ctx.cfg);
  for (const r of await schedAws.listRecords(ctx.clients.ssm, prefix)) {
    actions.push({
      kind: "record",
      id: r.name,
      what: "delete scheduler stop record (its resource goes with the teardown)",
      run: () => schedAws.deleteRecord(ctx.clients.ssm, r.name),
    });
  }
  return { actions, notes };
}

// ---- node group updates in flight ----------------------------------------------------------------

/**
 * Waits until no update of the cluster's node groups is in progress: when the scheduler's stop
 * and the compute lifetime's teardown fire at the same minute, the stop's scaling (a minute or
 * two) is still running when the destroy would start, and EKS refuses to delete a node group
 * mid-update. Bounded; returns one line saying what it waited for.
 */
export async function waitForNodegroupUpdates(ctx: OpsContext, o: { timeoutMs?: number; pollMs?: number; sleep?: (ms: number) => Promise<void> } = {}): Promise<string> {
  const cluster = ctx.names.cluster;
  const sleep = o.sleep ?? ((ms: number) => new Promise((r) => setTimeout(r, ms)));
  const deadline = Date.now() + (o.timeoutMs ?? 15 * 60_000);
  const t0 = Date.now();
  let seen = 0;
  const clusters: string[] = [];
  for await (const page of pages((nextToken?: string) => ctx.clients.eks.send(new ListClustersCommand({ nextToken })), (p) => p.nextToken)) clusters.push(...(page.clusters ?? []));
  if (!clusters.includes(cluster)) return `cluster ${cluster} does not exist: no node group update to wait for`;
  for (;;) {
    const groups = (await ctx.clients.eks.send(new ListNodegroupsCommand({ clusterName: cluster }))).nodegroups ?? [];
    const busy: string[] = [];
    for (const g of groups) {
      const ids = (await ctx.clients.eks.send(new ListUpdatesCommand({ name: cluster, nodegroupName: g }))).updateIds ?? [];
      for (const id of ids) {
        const u = (await ctx.clients.eks.send(new DescribeUpdateCommand({ name: cluster, nodegroupName: g, updateId: id }))).update;
        if (u?.status === "InProgress") busy.push(`${g} (${u.type ?? "update"} ${id})`);
      }
    }
    if (!busy.length) return seen ? `waited ${((Date.now() - t0) / 1000).toFixed(0)} s for ${seen} node group update(s) in progress (a scheduler stop at the same minute)` : "no node group update in progress";
    seen = Math.max(seen, busy.length);
    if (Date.now() >= deadline) throw new Error(`node group update(s) still in progress after ${((Date.now() - t0) / 1000).toFixed(0)} s: ${busy.join(", ")}; EKS cannot delete them mid-update`);
    await sleep(o.pollMs ?? 15_000);
  }
}

// ---- what Kubernetes controllers created in the VPC --------------------------------------------

export function isClusterOwned(tags: Readonly<Record<string, string>>, cluster: string): boolean {
  return tags["elbv2.k8s.aws/cluster"] === cluster || `kubernetes.io/cluster/${cluster}` in tags || tags["eks:eks-cluster-name"] === cluster;
}

async function elbTags(ctx: OpsContext, arns: string[]): Promise<Map<string, Record<string, string>>> {
  const out = new Map<string, Record<string, string>>();
  for (let i = 0; i < arns.length; i += 20) {
    const res = await ctx.clients.elbv2.send(new DescribeTagsCommand({ ResourceArns: arns.slice(i, i + 20) }));
    for (const d of res.TagDescriptions ?? []) out.set(d.ResourceArn!, Object.fromEntries((d.Tags ?? []).map((t) => [t.Key!, t.Value ?? ""])));
  }
  return out;
}

export async function kubernetesCleanupActions(ctx: OpsContext): Promise<{ actions: Action[]; notes: string[] }> {
  const cluster = ctx.names.cluster;
  const actions: Action[] = [];
  const lbs: { arn: string; name: string }[] = [];
  for await (const page of paginateDescribeLoadBalancers({ client: ctx.clients.elbv2 }, {})) {
    for (const lb of page.LoadBalancers ?? []) lbs.push({ arn: lb.LoadBalancerArn!, name: lb.LoadBalancerName! });
  }
  const lbTags = await elbTags(ctx, lbs.map((l) => l.arn));
  for (const lb of lbs.filter((l) => isClusterOwned(lbTags.get(l.arn) ?? {}, cluster))) {
    actions.push({ kind: "load-balancer", id: lb.name, what: "delete (created by Kubernetes)", run: async () => void (await ctx.clients.elbv2.send(new DeleteLoadBalancerCommand({ LoadBalancerArn: lb.arn }))) });
  }
  const tgs: { arn: string; name: string }[] = [];
  for await (const page of paginateDescribeTargetGroups({ client: ctx.clients.elbv2 }, {})) {
    for (const tg of page.TargetGroups ?? []) tgs.push({ arn: tg.TargetGroupArn!, name: tg.TargetGroupName! });
  }
  const tgTags = await elbTags(ctx, tgs.map((t) => t.arn));
  for (const tg of tgs.filter((t) => isClusterOwned(tgTags.get(t.arn) ?? {}, cluster))) {
    actions.push({ kind: "target-group", id: tg.name, what: "delete (created by Kubernetes)", run: async () => void (await ctx.clients.elbv2.send(new DeleteTargetGroupCommand({ TargetGroupArn: tg.arn }))) });
  }
  const sgs = await ctx.clients.ec2.send(
    new DescribeSecurityGroupsCommand({ Filters: [{ Name: "tag-key", Values: [`kubernetes.io/cluster/${cluster}`, "elbv2.k8s.aws/cluster"] }] }),
  );
  for (const sg of sgs.SecurityGroups ?? []) {
    const tags = Object.fromEntries((sg.Tags ?? []).map((t) => [t.Key!, t.Value ?? ""]));
    // Terraform's own groups carry ManagedBy=cdktf and go with the destroy.
    if (!isClusterOwned(tags, cluster) || tags.ManagedBy === "cdktf") continue;
    actions.push({
      kind: "security-group",
      id: sg.GroupId!,
      what: "delete (created by Kubernetes)",
      run: () => deleteSecurityGroup(ctx, sg.GroupId!),
    });
  }
  return { actions, notes: [] };
}

/** A load balancer's network interfaces linger for a while after it is deleted: retry, bounded. */
async function deleteSecurityGroup(ctx: OpsContext, id: string, attempts = 6): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      await ctx.clients.ec2.send(new DeleteSecurityGroupCommand({ GroupId: id }));
      return;
    } catch (err) {
      if (errorName(err) === "InvalidGroup.NotFound") return;
      if (errorName(err) !== "DependencyViolation" || i >= attempts - 1) throw err;
      await new Promise((r) => setTimeout(r, Math.min(30000, 2000 * 2 ** i)));
    }
  }
}

// ---- ECR images beyond retention ------------------------------------------------------------------

/** Digests the repository's lifecycle policy would expire (ECR applies it lazily, up to a day later). */
export function imagesBeyondRetention(cfg: OpsContext["cfg"], images: readonly EcrImage[]): EcrImage[] {
  const kept = new Set(applyEcrLifecycle(ecrLifecycleRules(cfg.ecr), images));
  return images.filter((i) => !kept.has(i));
}

export async function ecrCleanupActions(ctx: OpsContext): Promise<{ actions: Action[]; notes: string[] }> {
  const actions: Action[] = [];
  const notes: string[] = [];
  for (const kind of ["training", "inference"] as const) {
    const repo = ctx.names.ecrRepository(kind);
    const images: EcrImage[] = [];
    try {
      for await (const page of paginateDescribeImages({ client: ctx.clients.ecr, pageSize: 1000 }, { repositoryName: repo })) {
        for (const d of page.imageDetails ?? []) images.push({ digest: d.imageDigest!, tags: d.imageTags ?? [], pushedAt: d.imagePushedAt?.getTime() ?? 0 });
      }
    } catch (err) {
      if (errorName(err) === "RepositoryNotFoundException") {
        notes.push(`repository ${repo} does not exist`);
        continue;
      }
      throw err;
    }
    const expire = imagesBeyondRetention(ctx.cfg, images);
    if (!expire.length) notes.push(`repository ${repo}: ${images.length} images, all within retention`);
    for (let i = 0; i < expire.length; i += 100) {
      const batch = expire.slice(i, i + 100);
      actions.push({
        kind: "ecr-images",
        id: `${repo} (${batch.length})`,
        what: "delete images beyond retention",
        run: async () => {
          const out = await ctx.clients.ecr.send(new BatchDeleteImageCommand({ repositoryName: repo, imageIds: batch.map((b) => ({ imageDigest: b.digest })) }));
          const failures = (out.failures ?? []).filter((f) => f.failureCode !== "ImageNotFound");
          if (failures.length) throw new Error(failures.map((f) => `${f.imageId?.imageDigest}: ${f.failureReason}`).join("; "));
        },
      });
    }
  }
  return { actions, notes };
}

