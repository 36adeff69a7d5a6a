/**
 * `ops teardown <env>`: guard, backup, pause, clean up, `cdktf destroy` ops then compute (data
 * only with --include-data), verify. Dry run unless --yes or the environment's name is typed at
 * the prompt. Every step is idempotent: rerun after a failure to finish the job.
 */
import { assertAccount, OpsContext, OpsError } from "./context";
import { backupCandidates, describeBackupRoot, takeBackup } from "./backup";
import { Action, ecrCleanupActions, endpointCleanupActions, kubernetesCleanupActions, pauseActions, runActions } from "./cleanup";
import { runCdktf, CdktfRunner, stackState } from "./stacks";
import { StepRunner } from "./steps";
import { verifyEnvironment } from "./verify";
import { confirmDecision, destroyOrder, formatBytes, StackState, stacksToDestroy, StepReport } from "./plan";

export interface TeardownOptions {
  readonly yes?: boolean;
  readonly dryRun?: boolean;
  readonly includeData?: boolean;
  readonly iUnderstandProd?: boolean;
  /** @default process.stdin.isTTY */
  readonly isTty?: boolean;
  /** Asks the confirmation question, returns the answer. */
  readonly prompt?: (question: string) => Promise<string>;
  /** @default runCdktf */
  readonly cdktf?: CdktfRunner;
  /** Clock for the backup id. @default - the system clock */
  readonly now?: () => Date;
}

export interface TeardownResult {
  readonly mode: "dry-run" | "done";
  readonly ok: boolean;
  readonly steps: readonly StepReport[];
  readonly backupId?: string;
  readonly unexpected?: number;
}

export async function teardown(ctx: OpsContext, opts: TeardownOptions = {}): Promise<TeardownResult> {
  const env = ctx.cfg.name;
  const includeData = opts.includeData ?? false;
  const order = destroyOrder(includeData).map((k) => ({ kind: k, stack: `${env}-${k}` }));

  // Guard: nothing below changes anything until every check passed; flags first, then AWS.
  const decision = confirmDecision({
    env,
    yes: opts.yes ?? false,
    dryRun: opts.dryRun ?? false,
    isTty: opts.isTty ?? !!process.stdin.isTTY,
    prodAcknowledged: opts.iUnderstandProd ?? false,
    includeData,
  });
  if (decision.mode === "refuse") throw new OpsError(decision.reason);
  const account = await assertAccount(ctx);
  const states: Record<string, StackState> = {};
  for (const s of order) states[s.stack] = await stackState(ctx, s.kind);
  const targets = stacksToDestroy(states, order.map((s) => s.stack));
  if (targets.error) throw new OpsError(`${targets.error} in account ${account}`);
  ctx.log(`teardown ${env} (account ${account}, ${ctx.cfg.region}): destroy ${order.map((s) => `${s.stack} [${states[s.stack]}]`).join(", ")}${includeData ? "" : `; ${env}-data kept`}`);

  if (decision.mode === "dry-run") {
    await printPlan(ctx, order.map((s) => s.stack), targets);
    ctx.log(`dry run (${decision.reason}): nothing changed. To act: npm run ops -- teardown ${env} --yes${env === "prod" ? " --i-understand-prod" : ""}${includeData ? " --include-data" : ""}`);
    return { mode: "dry-run", ok: true, steps: [] };
  }
  if (decision.mode === "prompt") {
    await printPlan(ctx, order.map((s) => s.stack), targets);
    const ask = opts.prompt ?? defaultPrompt;
    const answer = (await ask(`Type the environment name (${env}) to tear it down: `)).trim();
    if (answer !== env) throw new OpsError(`confirmation '${answer}' does not match '${env}': nothing changed`);
  }

  const steps = new StepRunner(ctx, 4 + order.length);
  let backupId: string | undefined;
  const backup = await steps.run("backup", async () => {
    const m = await takeBackup(ctx, (opts.now ?? (() => new Date()))());
    backupId = m.backupId;
    return { status: "done", detail: `${m.entries.length} objects (${formatBytes(m.totalBytes)}) to ${describeBackupRoot(ctx, m.backupId)}, manifest with sha256` };
  });
  if (backup.status === "failed") {
    for (const s of ["pause", "cleanup", ...order.map((o) => `destroy ${o.stack}`), "verify"]) steps.skip(s, "no backup: nothing destroyed");
    ctx.log(steps.summary(`teardown ${env}: FAILED`));
    return { mode: "done", ok: false, steps: steps.reports };
  }

  await steps.run("pause", async () => actionsStep(ctx, await pauseActions(ctx), "nothing scheduled to pause"));
  await steps.run("cleanup", async () => {
    const parts = await Promise.all([endpointCleanupActions(ctx), kubernetesCleanupActions(ctx), ecrCleanupActions(ctx)]);
    return actionsStep(ctx, { actions: parts.flatMap((p) => p.actions), notes: parts.flatMap((p) => p.notes) }, "nothing outside Terraform to clean up");
  });

  const cdktf = opts.cdktf ?? runCdktf;
  let destroyFailed = false;
  for (const s of order) {
    if (destroyFailed) {
      steps.skip(`destroy ${s.stack}`, "a consumer's destroy failed first");
      continue;
    }
    if (targets.skip[s.stack] && states[s.stack] !== "deployed") {
      steps.skip(`destroy ${s.stack}`, targets.skip[s.stack]);
      continue;
    }
    if (s.kind === "data" && !backupId) throw new OpsError("refusing to destroy the data stack without a backup taken in this run");
    const r = await steps.run(`destroy ${s.stack}`, async () => {
      await cdktf("destroy", s.stack, ctx);
      return { status: "done", detail: "cdktf destroy --auto-approve" };
    });
    destroyFailed = r.status === "failed";
  }

  let unexpected: number | undefined;
  await steps.run("verify", async () => {
    const kept = [`${env}-bootstrap`, ...(includeData ? [] : [`${env}-data`])];
    const v = await verifyEnvironment(ctx, kept);
    unexpected = v.unexpected;
    ctx.log(v.table.split("\n").map((l) => `      ${l}`).join("\n"));
    return v.unexpected
      ? { status: "failed", detail: `${v.unexpected} unexpected resource(s) remain (rerun the teardown, or remove them by hand)` }
      : { status: "done", detail: `only the kept stacks (${kept.join(", ")}) and backups remain: ${v.rows.length} resource(s)` };
  });
  const ok = !steps.failed;
  ctx.log(steps.summary(`teardown ${env}: ${ok ? "complete" : "FAILED (rerun to finish: every step is idempotent)"}${backupId ? `; backup ${backupId}` : ""}`));
  return { mode: "done", ok, steps: steps.reports, backupId, unexpected };
}

async function actionsStep(ctx: OpsContext, found: { actions: Action[]; notes: string[] }, none: string) {
  for (const n of found.notes) ctx.log(`      ${n}`);
  if (!found.actions.length) return { status: "skipped" as const, detail: none };
  const outcomes = await runActions(ctx, found.actions, false);
  const failed = outcomes.filter((o) => o.status === "failed");
  return failed.length
    ? { status: "failed" as const, detail: `${failed.length} of ${outcomes.length} failed: ${failed.map((f) => `${f.action.kind} ${f.action.id}: ${f.error}`).join("; ")}` }
    : { status: "done" as const, detail: `${outcomes.length} action(s): ${summarize(found.actions)}` };
}

const summarize = (actions: Action[]) => {
  const counts = new Map<string, number>();
  for (const a of actions) counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
};

/** The dry run: what each step would do, read-only. */
async function printPlan(ctx: OpsContext, stacks: string[], targets: { destroy: string[]; skip: Record<string, string> }) {
  const c = await backupCandidates(ctx);
  const bytes = c.objects.reduce((a, o) => a + o.size, 0);
  ctx.log(`  1. backup: ${c.objects.length} objects (${formatBytes(bytes)}) from ${ctx.names.dataBucket} [${ctx.cfg.backupPrefixes.join(", ")}] and ${ctx.names.modelsBucket} to s3://${ctx.names.backupBucket}/${ctx.cfg.name}/<timestamp>/ with a sha256 manifest`);
  for (const b of c.missingBuckets) ctx.log(`      (bucket ${b} does not exist: nothing to back up from it)`);
  const sections: [string, Promise<{ actions: Action[]; notes: string[] }>][] = [
    ["2. pause", pauseActions(ctx)],
    ["3. cleanup: endpoints and scheduler records", endpointCleanupActions(ctx)],
    ["3. cleanup: Kubernetes load balancers, target groups, security groups", kubernetesCleanupActions(ctx)],
    ["3. cleanup: ECR images beyond retention", ecrCleanupActions(ctx)],
  ];
  for (const [title, p] of sections) {
    const found = await p;
    ctx.log(`  ${title}: ${found.actions.length ? `${found.actions.length} action(s)` : "nothing to do"}`);
    for (const n of found.notes) ctx.log(`      ${n}`);
    await runActions(ctx, found.actions, true);
  }
  stacks.forEach((s) => ctx.log(`  4. cdktf destroy ${s}: ${targets.destroy.includes(s) ? "would destroy" : `skip (${targets.skip[s]})`}`));
  ctx.log(`  5. verify: Resource Groups Tagging API (Environment=${ctx.cfg.name}) and per-service listings; only the kept stacks and backups may remain`);
}

async function defaultPrompt(question: string): Promise<string> {
  const readline = await import("readline/promises");
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}
