/**
 * After a restore the cluster is usable: the generated Kubernetes manifests (cluster-autoscaler,
 * its RBAC, the disruption budgets: k8s/cluster-autoscaler.ts) are applied with kubectl, through
 * a kubeconfig written for this run by `aws eks update-kubeconfig` (never the user's own).
 * kubectl apply is idempotent: a rerun converges. The identity that creates the cluster is its
 * admin (EKS's cluster-creator permissions), so the scheduled build, which creates it every
 * morning, can apply; a person restoring by hand is the creator then.
 *
 * In the sandbox the emulator's EKS has no Kubernetes API server: the step is skipped and says so.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { environmentManifests } from "../../k8s/cluster-autoscaler";
import { OpsContext, OpsError } from "./context";

/** Runs a program to the end; resolves with its output, rejects naming the program and its last lines. */
export type CommandRunner = (program: string, args: readonly string[], env: NodeJS.ProcessEnv) => Promise<string>;

export const spawnRunner: CommandRunner = (program, args, env) =>
  new Promise((resolve, reject) => {
    const child = spawn(program, [...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("error", (err: NodeJS.ErrnoException) =>
      reject(new OpsError(err.code === "ENOENT" ? `${program} is not installed or not on PATH (the restore applies the Kubernetes manifests with it)` : `could not run ${program}: ${err.message}`)),
    );
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new OpsError(`${program} ${args[0]} failed (exit ${code}): ${out.trim().split("\n").slice(-3).join(" ")}`))));
  });

export interface ApplyResult {
  readonly status: "done" | "skipped";
  readonly detail: string;
}

export async function applyManifests(ctx: OpsContext, run: CommandRunner = spawnRunner): Promise<ApplyResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rf-k8s-${ctx.cfg.name}-`));
  try {
    const file = path.join(dir, `${ctx.cfg.name}.yaml`);
    fs.writeFileSync(file, environmentManifests(ctx.cfg));
    if (ctx.cfg.emulatorEndpoint) {
      return { status: "skipped", detail: `the sandbox's EKS is the emulator's and has no Kubernetes API server to apply to; on a real cluster: kubectl apply -f cdktf.out/k8s/${ctx.cfg.name}.yaml` };
    }
    const kubeconfig = path.join(dir, "kubeconfig");
    const env = { ...ctx.childEnv, KUBECONFIG: kubeconfig };
    await run("aws", ["eks", "update-kubeconfig", "--name", ctx.names.cluster, "--region", ctx.cfg.region, "--kubeconfig", kubeconfig], env);
    const out = await run("kubectl", ["apply", "-f", file, "--kubeconfig", kubeconfig], env);
    const applied = out.split("\n").filter((l) => /configured|created|unchanged/.test(l)).length;
    return { status: "done", detail: `kubectl apply: ${applied} object(s) of the cluster-autoscaler, its RBAC and the disruption budgets on ${ctx.names.cluster}` };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
