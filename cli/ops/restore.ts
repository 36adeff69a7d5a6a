/**
 * `ops restore <env>`: `cdktf deploy` of what a teardown removed (data when it is gone or with
 * --include-data, compute always, ops when it is gone or with --include-ops), data copied back
 * from a backup (only when the data stack was removed, or with --backup <id>: a kept data
 * stack holds the live data, newer than any backup), the schedules and rules the teardown
 * paused resumed, then a check of what it did.
 *
 * Verifies, then writes: the manifest must be one this tool wrote for this environment and
 * every backup copy must have its recorded size and sha256 before a live object is touched.
 * Idempotent: deploy converges, data already identical is skipped, resume skips what runs.
 */
import { assertAccount, OpsContext, OpsError } from "./context";
import { loadManifest, restoreData } from "./backup";
import { resume, resumeActions, runActions } from "./cleanup";
import { stateLocksMessage } from "./locks";
import { RunSeams, stackFacts, StackRunner, withRun } from "./stacks";
import type { Interrupts, StopSignal } from "./signals";
import { StepRunner } from "./steps";
import { applyManifests, CommandRunner } from "./kubernetes";
import { describeHours, wantedState } from "../../lambda/shared/office-hours";
import { deployOrder, Manifest, StackKind, StackState, StepReport } from "./plan";

export interface RestoreFlags {
  readonly backup?: string;
  readonly includeData?: boolean;
  readonly includeOps?: boolean;
  readonly dryRun?: boolean;
  readonly iUnderstandProd?: boolean;
  /** No deploys: data (with --backup) and resume only. @default false */
  readonly skipDeploy?: boolean;
  /** Deploy data and ops (when gone or asked) but not compute: a restore of data outside the compute lifetime. @default false */
  readonly skipCompute?: boolean;
}

export interface RestoreOptions extends RestoreFlags, RunSeams {
  /** Test seam: runs aws and kubectl for the manifests. @default - spawn */
  readonly kubectl?: CommandRunner;
  /** The compute lifetime's scheduled restore (cli/ops/lifetime.ts) runs this. @default false */
  readonly scheduled?: boolean;
  /** @default - the system clock */
  readonly now?: () => Date;
}

export interface RestoreResult {
  readonly ok: boolean;
  readonly steps: readonly StepReport[];
  readonly manifest?: Manifest;
  readonly interrupted?: StopSignal;
  readonly left: string;
}

/** Flags only, no AWS. */
export function restoreFlagError(env: string, f: RestoreFlags): string | undefined {
  if (env === "prod" && !f.iUnderstandProd && !f.dryRun) return "prod: add --i-understand-prod to deploy production (a --dry-run needs no flag)";
  if (f.skipDeploy && (f.includeData || f.includeOps)) return "--skip-deploy deploys nothing: it does not go with --include-data or --include-ops";
  if (f.skipDeploy && f.skipCompute) return "--skip-deploy deploys nothing already: --skip-compute adds nothing to it";
  return undefined;
}

export async function restore(ctx: OpsContext, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const env = ctx.cfg.name;
  const flagError = restoreFlagError(env, opts);
  if (flagError) throw new OpsError(flagError);
  const account = await assertAccount(ctx);
  const states: Partial<Record<StackKind, StackState>> = {};
  const kinds: StackKind[] = ["data", "compute", "ops"];
  for (const k of kinds) states[k] = (await stackFacts(ctx, k)).state;
  const order = opts.skipDeploy ? [] : deployOrder(opts, states).map((k) => ({ kind: k, stack: `${env}-${k}`, why: why(k) }));
  const rerun = `npm run ops -- restore ${env}${opts.backup ? ` --backup ${opts.backup}` : ""}${opts.includeData ? " --include-data" : ""}${opts.includeOps ? " --include-ops" : ""}${opts.skipDeploy ? " --skip-deploy" : ""}${opts.skipCompute ? " --skip-compute" : ""}${opts.scheduled ? " --scheduled" : ""}${env === "prod" ? " --i-understand-prod" : ""}`;
  const withCompute = order.some((o) => o.kind === "compute");

  function why(k: StackKind): string {
    if (k === "compute") return "ephemeral";
    return states[k] !== "deployed" ? `its state is ${states[k]}` : `--include-${k}`;
  }

  // Which data to restore, decided and checked before anything changes.
  const dataGone = states.data !== "deployed";
  const wantData = !!opts.backup || dataGone || !!opts.includeData;
  let manifest: Manifest | undefined;
  if (wantData) {
    try {
      manifest = await loadManifest(ctx, opts.backup);
    } catch (err) {
      if (opts.backup || !(err instanceof OpsError) || !/^no backup of|^backup bucket .* does not exist/.test(err.message)) throw err;
      ctx.log(`note: ${err.message}; the data step will be skipped`);
    }
  }
  const dataPlan = manifest
    ? `data from backup ${manifest.backupId} (${manifest.entries.length} objects, ${manifest.scope ?? "configured"} scope)`
    : wantData
      ? "no backup to restore data from"
      : `data: none (${env}-data is kept and holds the live data; --backup <id> restores one explicitly)`;
  ctx.log(`restore ${env} (account ${account}, ${ctx.cfg.region}): deploy ${order.map((o) => `${o.stack} (${o.why})`).join(", ") || "(none)"}; ${dataPlan}`);
  const life = ctx.cfg.computeLifetime;
  if (withCompute && !opts.scheduled && life !== "always") {
    const now = (opts.now ?? (() => new Date()))();
    if (wantedState(now.getTime(), ctx.cfg.schedule.timezone, life.hours, life.restoreLeadMinutes, ctx.cfg.schedule.skipDates) === "down") {
      ctx.log(
        `note: this is outside ${env}'s compute lifetime (${describeHours(life.hours)} ${ctx.cfg.schedule.timezone}): compute stays up until the next scheduled teardown; ` +
          `tear it down when done (npm run ops -- teardown ${env} --yes), or restore only data and ops with --skip-compute`,
      );
    }
  }

  const locks = await stateLocksMessage(ctx, order.map((o) => o.kind));
  if (opts.dryRun) {
    if (locks) ctx.log(`note: ${locks}`);
    if (manifest) {
      const r = await restoreData(ctx, manifest, true);
      ctx.log(`  would copy back ${r.copied} object(s) (each backup copy checked: size and sha256 match the manifest); ${r.skipped} already identical`);
    }
    const resumeFound = await resumeActions(ctx);
    for (const n of resumeFound.notes) ctx.log(`      ${n}`);
    await runActions(ctx, resumeFound.actions, true);
    ctx.log("dry run: nothing changed");
    return { ok: true, steps: [], manifest, left: "nothing changed (dry run)" };
  }
  if (locks) throw new OpsError(`${locks}; nothing changed`);

  return withRun(ctx, "restore", opts, (runner, interrupts) => restoreSteps(runner, interrupts));

  async function restoreSteps(runner: StackRunner, interrupts: Interrupts): Promise<RestoreResult> {
    const steps = new StepRunner(ctx, order.length + 4 + (withCompute ? 1 : 0), interrupts);
    const finish = (left: string): RestoreResult => {
      const ok = !steps.failed && !interrupts.requested;
      ctx.log(steps.summary(`restore ${env}: ${steps.verdict}`));
      ctx.log(left);
      return { ok, steps: steps.reports, manifest, interrupted: interrupts.requested, left };
    };

    const prepared = await steps.run("prepare", async () => ({ status: "done", detail: await runner.prepare(ctx, order.map((o) => o.stack)) }));
    if (prepared.status !== "done") {
      for (const s of [...order.map((o) => `deploy ${o.stack}`), ...(withCompute ? ["kubernetes manifests"] : []), "restore data", "resume schedules", "verify"]) steps.skip(s, "preparation failed: nothing changed");
      return finish(`Nothing changed: ${prepared.detail}. Fix that and rerun: ${rerun}`);
    }
    let deployFailed: string | undefined;
    const deployed: string[] = [];
    for (const o of order) {
      if (deployFailed) {
        steps.skip(`deploy ${o.stack}`, "an earlier deploy failed");
        continue;
      }
      const r = await steps.run(`deploy ${o.stack}`, async () => {
        await runner.run("deploy", o.stack, ctx, interrupts.signal);
        return { status: "done", detail: `cdktf deploy --auto-approve (${o.why})` };
      });
      if (r.status === "done") deployed.push(o.stack);
      else if (r.status === "failed") deployFailed = o.stack;
    }
    const stopped = deployFailed ?? (interrupts.requested ? `interrupted by ${interrupts.requested}` : undefined);

    if (withCompute) {
      await steps.run("kubernetes manifests", async () => {
        if (stopped) return { status: "skipped", detail: `${stopped}: no cluster to apply to` };
        return applyManifests(ctx, opts.kubectl);
      });
    }

    let dataChecked: string | undefined;
    await steps.run("restore data", async () => {
      if (!manifest) return { status: "skipped", detail: wantData ? "no backup of this environment" : `${env}-data kept: its buckets hold the live data` };
      if (deployFailed && order.some((o) => o.kind === "data" && o.stack === deployFailed)) return { status: "skipped", detail: `${deployFailed} did not deploy` };
      const r = await restoreData(ctx, manifest, false, interrupts);
      const bad = [...r.diff!.missing, ...r.diff!.mismatched];
      if (bad.length) return { status: "failed", detail: `${bad.length} object(s) do not match the manifest after copying: ${bad.slice(0, 5).join(", ")}` };
      dataChecked = `${r.diff!.matching} object(s) match backup ${manifest.backupId} (size and sha256)`;
      return { status: r.copied ? "done" : "skipped", detail: `backup ${manifest.backupId}: ${r.copied} copied back, ${r.skipped} already identical; ${dataChecked}` };
    });

    await steps.run("resume schedules", async () => {
      if (stopped) return { status: "skipped", detail: `${stopped}: the schedules stay paused until the environment is complete` };
      if (opts.skipCompute) return { status: "skipped", detail: `--skip-compute: ${env}-compute stays as it is, and the schedules the teardown paused stay paused with it` };
      const r = await resume(ctx);
      for (const n of r.notes) ctx.log(`      ${n}`);
      if (!r.actions.length) return { status: "skipped", detail: r.hadRecord ? "everything the teardown paused is enabled already" : "no teardown paused anything" };
      const failed = r.outcomes.filter((o) => o.status === "failed");
      return failed.length
        ? { status: "failed", detail: failed.map((f) => `${f.action.kind} ${f.action.id}: ${f.error}`).join("; ") }
        : { status: "done", detail: `${r.outcomes.length} resumed (${r.actions.map((a) => a.id).join(", ")})` };
    });

    await steps.run("verify", async () => {
      const missing: string[] = [];
      for (const o of order) if ((await stackFacts(ctx, o.kind)).state !== "deployed") missing.push(o.stack);
      const checked = [`${order.length ? `${order.map((o) => o.stack).join(", ")} hold resources in their state` : "no stacks deployed"}`, ...(dataChecked ? [dataChecked] : [])];
      return missing.length ? { status: "failed", detail: `not deployed: ${missing.join(", ")}` } : { status: "done", detail: `checked: ${checked.join("; ")}` };
    });

    if (stopped) {
      return finish(`Restore stopped (${deployFailed ? `deploy of ${deployFailed} failed` : stopped}); deployed: ${deployed.join(", ") || "nothing"}. Terraform keeps what it created in its state; the schedules stay paused. To finish: ${rerun}`);
    }
    return finish(steps.failed ? `Some steps failed (above); deployed: ${deployed.join(", ") || "nothing"}. Rerun to finish: ${rerun}` : `Restored: ${deployed.join(", ") || "no stacks"}${dataChecked ? `; ${dataChecked}` : ""}.`);
  }
}
