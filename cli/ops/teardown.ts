/**
 * `ops teardown <env>`: destroys `<env>-compute` (ephemeral); `<env>-ops` only with
 * --include-ops and `<env>-data` only with --include-data (both persistent). Dry run unless
 * --yes or the environment's name is typed at the prompt.
 *
 * Check before change: flags, account, state bucket, Terraform locks, the run lock, data
 * coverage (--include-data), then the app synthesizes into this run's own directory and every
 * stack to destroy initializes (Terraform, provider, backend): all before the first write.
 * After that: backup (--include-data: every object of the data stack, verified), pause, clean
 * up, empty the data stack (--include-data), destroy, verify. A failure or a signal stops the
 * run at a safe point and says what it left and what to run; when no destroy changed anything,
 * the schedules and rules it paused are resumed. Every step is idempotent: the same command,
 * rerun, finishes the job.
 */
import { assertAccount, OpsContext, OpsError } from "./context";
import { describeBackupRoot, takeBackup, verifyBackup } from "./backup";
import { Action, ecrCleanupActions, endpointCleanupActions, kubernetesCleanupActions, pause, pauseActions, resume, runActions, waitForNodegroupUpdates } from "./cleanup";
import { coverageLines, dataCoverage, emptyDataStack, unprotectedData } from "./coverage";
import { describeRun, readRunLock, readStateLock, describeStateLock, stateLocksMessage, unlockHint } from "./locks";
import { RunSeams, stackFacts, StackRunner, withRun } from "./stacks";
import type { Interrupts, StopSignal } from "./signals";
import { StepRunner } from "./steps";
import { verifyEnvironment } from "./verify";
import { ConfirmDecision, confirmDecision, destroyOrder, StackKind, StackState, stacksToDestroy, StepReport } from "./plan";

export interface TeardownFlags {
  readonly yes?: boolean;
  readonly dryRun?: boolean;
  readonly includeData?: boolean;
  readonly includeOps?: boolean;
  readonly acceptDataLoss?: boolean;
  readonly iUnderstandProd?: boolean;
}

export interface TeardownOptions extends TeardownFlags, RunSeams {
  /** @default process.stdin.isTTY */
  readonly isTty?: boolean;
  /** Asks the confirmation question, returns the answer. */
  readonly prompt?: (question: string) => Promise<string>;
  /** Clock for the backup id. @default - the system clock */
  readonly now?: () => Date;
  /**
   * Run as the compute lifetime's scheduled teardown (cli/ops/lifetime.ts): compute only, and no
   * ECR clean-up (the images are the data stack's, which the build's role cannot touch; the
   * repositories' lifecycle rules expire them). @default false
   */
  readonly scheduled?: boolean;
}

export interface TeardownResult {
  readonly mode: "dry-run" | "done";
  readonly ok: boolean;
  readonly steps: readonly StepReport[];
  readonly backupId?: string;
  readonly unexpected?: number;
  readonly interrupted?: StopSignal;
  /** One paragraph: the state the run left and what to run next. */
  readonly left: string;
}

/** Flags only, no AWS: bad input is refused before anything else (the CLI calls this before it builds a context). */
export function teardownDecision(env: string, f: TeardownFlags, isTty: boolean): ConfirmDecision {
  if (f.acceptDataLoss && !f.includeData) {
    return { mode: "refuse", reason: "--accept-data-loss only goes with --include-data (without it no data is destroyed)" };
  }
  return confirmDecision({ env, yes: f.yes ?? false, dryRun: f.dryRun ?? false, isTty, prodAcknowledged: f.iUnderstandProd ?? false, includeData: f.includeData });
}

export function teardownCommand(env: string, f: TeardownFlags): string {
  return [
    `npm run ops -- teardown ${env} --yes`,
    ...(f.includeOps ? ["--include-ops"] : []),
    ...(f.includeData ? ["--include-data"] : []),
    ...(f.acceptDataLoss ? ["--accept-data-loss"] : []),
    ...(env === "prod" ? ["--i-understand-prod"] : []),
  ].join(" ");
}

export async function teardown(ctx: OpsContext, opts: TeardownOptions = {}): Promise<TeardownResult> {
  const env = ctx.cfg.name;
  const includeData = opts.includeData ?? false;
  const order = destroyOrder(opts).map((k) => ({ kind: k, stack: `${env}-${k}` }));
  const kept = (["ops", "data"] as StackKind[]).filter((k) => !order.some((o) => o.kind === k)).map((k) => `${env}-${k}`);
  const rerun = teardownCommand(env, opts);

  // Guard: nothing below changes anything until every check passed; flags first, then AWS.
  const decision = teardownDecision(env, opts, opts.isTty ?? !!process.stdin.isTTY);
  if (decision.mode === "refuse") throw new OpsError(decision.reason);
  const account = await assertAccount(ctx);
  const states: Record<string, StackState> = {};
  const counts: Record<string, number> = {};
  for (const s of order) {
    const f = await stackFacts(ctx, s.kind);
    states[s.stack] = f.state;
    counts[s.stack] = f.resources;
  }
  const targets = stacksToDestroy(states, order.map((s) => s.stack));
  if (targets.error) throw new OpsError(`${targets.error} in account ${account}`);
  ctx.log(`teardown ${env} (account ${account}, ${ctx.cfg.region}): destroy ${order.map((s) => `${s.stack} [${states[s.stack]}]`).join(", ")}${kept.length ? `; kept: ${kept.join(", ")} (persistent${kept.includes(`${env}-ops`) ? ", schedules paused until restore" : ""})` : ""}`);

  const toDestroy = order.filter((s) => targets.destroy.includes(s.stack));
  const locks = await stateLocksMessage(ctx, toDestroy.map((s) => s.kind));
  const running = await readRunLock(ctx);
  const coverage = includeData ? await dataCoverage(ctx) : undefined;
  const unprotected = coverage ? unprotectedData(coverage) : [];

  if (decision.mode === "dry-run") {
    await printPlan(ctx, order.map((s) => s.stack), targets, coverage, opts.scheduled);
    if (locks) ctx.log(`note: ${locks}`);
    if (running) ctx.log(`note: another run holds the environment: ${describeRun(running)}`);
    if (unprotected.length) ctx.log(`note: ${unprotected.length} item(s) no backup covers: a real run refuses without --accept-data-loss: ${unprotected.slice(0, 5).join("; ")}`);
    ctx.log(`dry run (${decision.reason}): nothing changed. To act: ${rerun}`);
    return { mode: "dry-run", ok: true, steps: [], left: "nothing changed (dry run)" };
  }
  if (locks) throw new OpsError(`${locks}; nothing changed`);
  if (unprotected.length && !opts.acceptDataLoss) {
    throw new OpsError(
      `--include-data would destroy ${unprotected.length} item(s) that no backup covers: ${unprotected.slice(0, 5).join("; ")}${unprotected.length > 5 ? "; ..." : ""}. ` +
        `Nothing changed. Deal with them (restore archived objects, push images elsewhere), or add --accept-data-loss`,
    );
  }
  if (decision.mode === "prompt") {
    await printPlan(ctx, order.map((s) => s.stack), targets, coverage);
    const ask = opts.prompt ?? defaultPrompt;
    const answer = (await ask(`Type the environment name (${env}) to tear it down: `)).trim();
    if (answer !== env) throw new OpsError(`confirmation '${answer}' does not match '${env}': nothing changed`);
  }

  return withRun(ctx, "teardown", opts, (runner, interrupts) => teardownSteps(runner, interrupts));

  async function teardownSteps(runner: StackRunner, interrupts: Interrupts): Promise<TeardownResult> {
    const steps = new StepRunner(ctx, 5 + order.length + (includeData ? 1 : 0), interrupts);
    const finish = (left: string, extra: Partial<TeardownResult> = {}): TeardownResult => {
      const ok = !steps.failed && !interrupts.requested;
      ctx.log(steps.summary(`teardown ${env}: ${steps.verdict}${extra.backupId ? `; backup ${extra.backupId}` : ""}`));
      ctx.log(left);
      return { mode: "done", ok, steps: steps.reports, interrupted: interrupts.requested, left, ...extra };
    };
    const skipRest = (names: string[], why: string) => names.forEach((n) => steps.skip(n, why));
    const later = (from: number) => ["backup", "pause", "cleanup", ...(includeData ? [`empty ${env}-data`] : []), ...order.map((o) => `destroy ${o.stack}`), "verify"].slice(from);

    const prepared = await steps.run("prepare", async () => ({ status: "done", detail: await runner.prepare(ctx, toDestroy.map((s) => s.stack)) }));
    if (prepared.status !== "done") {
      skipRest(later(0), "preparation failed: nothing changed");
      return finish(`Nothing changed: ${prepared.detail}. Fix that and rerun: ${rerun}`);
    }

    let backupId: string | undefined;
    const backup = await steps.run("backup", async () => {
      if (!includeData) return { status: "skipped", detail: `${env}-data is kept: nothing this teardown destroys holds data` };
      const m = await takeBackup(ctx, (opts.now ?? (() => new Date()))(), { scope: "full", skipUncoverable: opts.acceptDataLoss, interrupts });
      const problems = await verifyBackup(ctx, m);
      if (problems.length) throw new OpsError(`backup ${m.backupId} fails its own check: ${problems.slice(0, 3).join("; ")}`);
      backupId = m.backupId;
      return {
        status: "done",
        detail: `every object of the ${env}-data buckets: ${m.entries.length} objects (${(m.totalBytes / 1024 ** 3).toFixed(3)} GB) to ${describeBackupRoot(ctx, m.backupId)}, sha256 of each copy checked` +
          (m.skipped.length ? `; NOT backed up (--accept-data-loss): ${m.skipped.map((s) => s.key).join(", ")}` : ""),
      };
    });
    if (backup.status === "failed" || interrupts.requested) {
      skipRest(later(1), backup.status === "failed" ? "no backup: nothing destroyed" : `interrupted by ${interrupts.requested}`);
      return finish(`Nothing destroyed${backup.status === "failed" ? ` (the backup failed: ${backup.detail})` : ""}; an incomplete backup has no manifest and is never restored from. To finish: ${rerun}`);
    }

    const paused = await steps.run("pause", async () => actionsStep(ctx, await pause(ctx), "nothing scheduled to pause"));
    await steps.run("cleanup", async () => {
      // a scheduler stop fired at the same minute may still be scaling node groups: EKS refuses to delete one mid-update
      ctx.log(`      ${await waitForNodegroupUpdates(ctx)}`);
      const parts = await Promise.all([endpointCleanupActions(ctx), kubernetesCleanupActions(ctx), ...(opts.scheduled ? [] : [ecrCleanupActions(ctx)])]);
      const actions = parts.flatMap((p) => p.actions);
      return actionsStep(ctx, { actions, notes: parts.flatMap((p) => p.notes), outcomes: await runActions(ctx, actions, false) }, "nothing outside Terraform to clean up");
    });

    let destroyFailed: string | undefined;
    const changed: string[] = [];
    for (const s of order) {
      if (destroyFailed || interrupts.requested) {
        if (s.kind === "data") steps.skip(`empty ${s.stack}`, destroyFailed ? "a consumer's destroy failed first" : `interrupted by ${interrupts.requested}`);
        steps.skip(`destroy ${s.stack}`, destroyFailed ? "a consumer's destroy failed first" : `interrupted by ${interrupts.requested}`);
        continue;
      }
      if (s.kind === "data") {
        if (!backupId) throw new OpsError("refusing to destroy the data stack without a backup taken in this run");
        const emptied = await steps.run(`empty ${s.stack}`, async () => {
          const r = await emptyDataStack(ctx);
          return { status: "done", detail: `${r.versions} object version(s) and ${r.images} image(s) deleted, after backup ${backupId}` };
        });
        if (emptied.status === "failed") {
          destroyFailed = s.stack;
          changed.push(`${s.stack} buckets partly emptied`);
          steps.skip(`destroy ${s.stack}`, "emptying it failed");
          continue;
        }
        changed.push(`${s.stack} buckets emptied`);
      }
      if (!targets.destroy.includes(s.stack)) {
        steps.skip(`destroy ${s.stack}`, targets.skip[s.stack]);
        continue;
      }
      const r = await steps.run(`destroy ${s.stack}`, async () => {
        await runner.run("destroy", s.stack, ctx, interrupts.signal);
        return { status: "done", detail: "cdktf destroy --auto-approve" };
      });
      const after = await stackFacts(ctx, s.kind);
      if (r.status === "done") {
        changed.push(`${s.stack} destroyed`);
        continue;
      }
      destroyFailed = s.stack;
      if (after.resources !== counts[s.stack]) changed.push(`${s.stack} partly destroyed (${after.resources} of ${counts[s.stack]} resources left)`);
    }

    if (destroyFailed || interrupts.requested) {
      skipRest(["verify"], destroyFailed ? `destroy of ${destroyFailed} did not complete` : `interrupted by ${interrupts.requested}`);
      return finish(await leftAfterStop(interrupts, destroyFailed, changed, paused.status === "done"), { backupId });
    }

    let unexpected: number | undefined;
    await steps.run("verify", async () => {
      const keptStacks = [`${env}-bootstrap`, ...kept];
      const v = await verifyEnvironment(ctx, keptStacks);
      unexpected = v.unexpected;
      ctx.log(v.table.split("\n").map((l) => `      ${l}`).join("\n"));
      return v.unexpected
        ? { status: "failed", detail: `${v.unexpected} unexpected resource(s) remain (rerun the teardown, or remove them by hand)` }
        : { status: "done", detail: `only the kept stacks (${keptStacks.join(", ")}) and backups remain: ${v.rows.length} resource(s)` };
    });
    const left = steps.failed
      ? `Destroyed: ${changed.join(", ")}. Some steps failed (above). Rerun to finish: ${rerun}`
      : `Destroyed: ${changed.join(", ") || "nothing (already gone)"}. Kept: ${[`${env}-bootstrap`, ...kept].join(", ")}${kept.includes(`${env}-ops`) ? "; the scheduler's schedules and the training rule stay paused until restore" : ""}. Bring it back: npm run ops -- restore ${env}`;
    return finish(left, { backupId, unexpected });
  }

  /** After a failed or interrupted destroy: resume what was paused when nothing was destroyed, and say where things stand. */
  async function leftAfterStop(interrupts: Interrupts, failed: string | undefined, changed: string[], pausedSomething: boolean): Promise<string> {
    const why = interrupts.requested ? `interrupted by ${interrupts.requested}` : `destroy of ${failed} failed`;
    const lockNotes: string[] = [];
    for (const s of order) {
      const l = await readStateLock(ctx, s.kind);
      if (l) lockNotes.push(`${describeStateLock(l)}: ${unlockHint(env, s.kind)}`);
    }
    const lockText = lockNotes.length ? ` Lock left behind: ${lockNotes.join("; ")}.` : " Terraform saved its state and released its lock.";
    if (changed.length === 0) {
      let resumed = "nothing had been paused";
      if (pausedSomething) {
        try {
          const r = await resume(ctx);
          const bad = r.outcomes.filter((o) => o.status === "failed");
          resumed = bad.length
            ? `resuming what it paused FAILED for ${bad.map((b) => `${b.action.kind} ${b.action.id}`).join(", ")} (npm run ops -- restore ${env} --skip-deploy resumes them)`
            : `the ${r.outcomes.length} schedule(s) and rule(s) it paused are resumed`;
        } catch (err) {
          resumed = `resuming what it paused FAILED: ${(err as Error).message} (npm run ops -- restore ${env} --skip-deploy resumes them)`;
        }
      }
      return `Teardown stopped (${why}) before anything was destroyed: the environment is as it was; ${resumed}.${lockText} To finish the teardown: ${rerun}`;
    }
    return (
      `Teardown stopped (${why}) half way: ${changed.join(", ")}. The schedules and rules it paused stay paused (the scheduler would act on a half-destroyed environment).` +
      `${lockText} To finish: ${rerun}; to bring it back instead: npm run ops -- restore ${env}`
    );
  }
}

async function actionsStep(ctx: OpsContext, found: { actions: Action[]; notes: string[]; outcomes: { action: Action; status: string; error?: string }[] }, none: string) {
  for (const n of found.notes) ctx.log(`      ${n}`);
  if (!found.actions.length) return { status: "skipped" as const, detail: none };
  const failed = found.outcomes.filter((o) => o.status === "failed");
  return failed.length
    ? { status: "failed" as const, detail: `${failed.length} of ${found.outcomes.length} failed: ${failed.map((f) => `${f.action.kind} ${f.action.id}: ${f.error}`).join("; ")}` }
    : { status: "done" as const, detail: `${found.outcomes.length} action(s): ${summarize(found.actions)}` };
}

const summarize = (actions: Action[]) => {
  const counts = new Map<string, number>();
  for (const a of actions) counts.set(a.kind, (counts.get(a.kind) ?? 0) + 1);
  return [...counts].map(([k, n]) => `${n} ${k}`).join(", ");
};

/** The dry run: what each step would do, read-only. */
async function printPlan(ctx: OpsContext, stacks: string[], targets: { destroy: string[]; skip: Record<string, string> }, coverage?: Awaited<ReturnType<typeof dataCoverage>>, scheduled = false) {
  ctx.log(`  1. prepare: synthesize ${ctx.cfg.name} into this run's own directory, terraform init ${targets.destroy.join(", ") || "(nothing to destroy)"} (provider, backend)`);
  if (coverage) {
    ctx.log(`  2. backup: every object of the ${ctx.cfg.name}-data buckets to s3://${ctx.names.backupBucket}/${ctx.cfg.name}/<timestamp>/ with a sha256 manifest, each copy checked:`);
    for (const l of coverageLines(coverage)) ctx.log(`      ${l}`);
  } else {
    ctx.log(`  2. backup: none (${ctx.cfg.name}-data is kept; nothing destroyed holds data)`);
  }
  const sections: [string, Promise<{ actions: Action[]; notes: string[] }>][] = [
    ["3. pause (recorded, resumed by restore)", pauseActions(ctx)],
    ["4. cleanup: endpoints and scheduler records", endpointCleanupActions(ctx)],
    ["4. cleanup: Kubernetes load balancers, target groups, security groups", kubernetesCleanupActions(ctx)],
    ...(scheduled ? [] : ([["4. cleanup: ECR images beyond retention", ecrCleanupActions(ctx)]] as [string, Promise<{ actions: Action[]; notes: string[] }>][])),
  ];
  for (const [title, p] of sections) {
    const found = await p;
    ctx.log(`  ${title}: ${found.actions.length ? `${found.actions.length} action(s)` : "nothing to do"}`);
    for (const n of found.notes) ctx.log(`      ${n}`);
    await runActions(ctx, found.actions, true);
  }
  if (coverage) ctx.log(`  5. empty ${ctx.cfg.name}-data: delete every object version and image once the backup is checked (its buckets have no force_destroy outside the sandbox)`);
  stacks.forEach((s) => ctx.log(`  6. cdktf destroy ${s}: ${targets.destroy.includes(s) ? "would destroy" : `skip (${targets.skip[s]})`}`));
  ctx.log(`  7. verify: Resource Groups Tagging API (Environment=${ctx.cfg.name}) and per-service listings; only the kept stacks and backups may remain`);
}

/** Asks on the terminal. */
export async function defaultPrompt(question: string): Promise<string> {
  const readline = await import("readline/promises");
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}
