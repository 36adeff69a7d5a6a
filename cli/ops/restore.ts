/**
 * `ops restore <env>`: `cdktf deploy` compute then ops (data first with --include-data), data
 * copied back from the latest (or --backup <id>) manifest with every checksum verified, the
 * scheduled-training rules and the scheduler resumed, then a check that it is all there.
 * Idempotent: deploy converges, data already identical is skipped, resume skips what runs.
 */
import { assertAccount, OpsContext, OpsError } from "./context";
import { loadManifest, restoreData } from "./backup";
import { resumeActions, runActions } from "./cleanup";
import { runCdktf, CdktfRunner, stackState } from "./stacks";
import { StepRunner } from "./steps";
import { deployOrder, Manifest, StepReport } from "./plan";

export interface RestoreOptions {
  readonly backup?: string;
  readonly includeData?: boolean;
  readonly dryRun?: boolean;
  readonly iUnderstandProd?: boolean;
  /** Skip the stack deploys (data only). @default false */
  readonly dataOnly?: boolean;
  readonly cdktf?: CdktfRunner;
}

export interface RestoreResult {
  readonly ok: boolean;
  readonly steps: readonly StepReport[];
  readonly manifest?: Manifest;
}

export async function restore(ctx: OpsContext, opts: RestoreOptions = {}): Promise<RestoreResult> {
  const env = ctx.cfg.name;
  const account = await assertAccount(ctx);
  if (env === "prod" && !opts.iUnderstandProd && !opts.dryRun) throw new OpsError("prod: add --i-understand-prod to deploy production (a --dry-run needs no flag)");
  const order = opts.dataOnly ? [] : deployOrder(opts.includeData ?? false).map((k) => ({ kind: k, stack: `${env}-${k}` }));

  // Find the backup before changing anything: a wrong --backup id is an error, no backup at all a note.
  let manifest: Manifest | undefined;
  try {
    manifest = await loadManifest(ctx, opts.backup);
  } catch (err) {
    if (opts.backup || !(err instanceof OpsError) || !/no backup of|does not exist/.test(err.message)) throw err;
    ctx.log(`note: ${err.message}; the data step will be skipped`);
  }
  ctx.log(`restore ${env} (account ${account}, ${ctx.cfg.region}): deploy ${order.map((o) => o.stack).join(", ") || "(none)"}; data from ${manifest ? `backup ${manifest.backupId} (${manifest.entries.length} objects)` : "(no backup)"}`);
  if (opts.dryRun) {
    for (const o of order) ctx.log(`  would cdktf deploy ${o.stack} (now ${await stackState(ctx, o.kind)})`);
    if (manifest) {
      const r = await restoreData(ctx, manifest, true);
      ctx.log(`  would copy back ${r.copied} object(s); ${r.skipped} already identical`);
    }
    const resume = await resumeActions(ctx);
    await runActions(ctx, resume.actions, true);
    ctx.log("dry run: nothing changed");
    return { ok: true, steps: [], manifest };
  }

  const steps = new StepRunner(ctx, order.length + 3);
  const cdktf = opts.cdktf ?? runCdktf;
  let deployFailed = false;
  for (const o of order) {
    if (deployFailed) {
      steps.skip(`deploy ${o.stack}`, "an earlier deploy failed");
      continue;
    }
    const r = await steps.run(`deploy ${o.stack}`, async () => {
      await cdktf("deploy", o.stack, ctx);
      return { status: "done", detail: "cdktf deploy --auto-approve" };
    });
    deployFailed = r.status === "failed";
  }

  await steps.run("restore data", async () => {
    if (!manifest) return { status: "skipped", detail: "no backup of this environment" };
    const r = await restoreData(ctx, manifest, false);
    const bad = [...r.diff.missing, ...r.diff.mismatched];
    if (bad.length) return { status: "failed", detail: `${bad.length} object(s) do not match the manifest after copying: ${bad.slice(0, 5).join(", ")}` };
    return {
      status: r.copied ? "done" : "skipped",
      detail: `backup ${manifest.backupId}: ${r.copied} copied back, ${r.skipped} already identical; all ${r.diff.matching} sha256 checksums match`,
    };
  });

  await steps.run("resume schedules", async () => {
    const found = await resumeActions(ctx);
    for (const n of found.notes) ctx.log(`      ${n}`);
    if (!found.actions.length) return { status: "skipped", detail: "training rules and scheduler schedules enabled already" };
    const out = await runActions(ctx, found.actions, false);
    const failed = out.filter((o) => o.status === "failed");
    return failed.length
      ? { status: "failed", detail: failed.map((f) => `${f.action.kind} ${f.action.id}: ${f.error}`).join("; ") }
      : { status: "done", detail: `${out.length} resumed (${found.actions.map((a) => a.id).join(", ")})` };
  });

  await steps.run("verify", async () => {
    const missing: string[] = [];
    for (const o of order) if ((await stackState(ctx, o.kind)) !== "deployed") missing.push(o.stack);
    return missing.length
      ? { status: "failed", detail: `not deployed: ${missing.join(", ")}` }
      : { status: "done", detail: `${order.map((o) => o.stack).join(", ") || "no stacks"} deployed${manifest ? `, data matches backup ${manifest.backupId}` : ""}` };
  });

  const ok = !steps.failed;
  ctx.log(steps.summary(`restore ${env}: ${ok ? "complete" : "FAILED (rerun to finish: every step is idempotent)"}`));
  return { ok, steps: steps.reports, manifest };
}
