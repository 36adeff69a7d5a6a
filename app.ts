/**
 * Builds the cdktf App for one or more environments. main.ts (the cdktf entry) and tests call
 * this; it never reads process.env itself.
 */
import * as fs from "fs";
import * as path from "path";
import { App } from "cdktf";
import { EnvironmentName, ENVIRONMENT_NAMES, loadEnvironment } from "./config";
import { BootstrapStack } from "./stacks/bootstrap";
import { DataStack } from "./stacks/data";
import { ComputeStack } from "./stacks/compute";
import { OpsStack } from "./stacks/ops";
import { environmentManifests } from "./k8s/cluster-autoscaler";

export interface BuildAppOptions {
  /** @default - the cdktf CLI's --output (CDKTF_OUTDIR), else "cdktf.out" */
  readonly outdir?: string;
  /** @default - every environment */
  readonly environments?: readonly EnvironmentName[];
  /** Sandbox only: the emulator endpoint (http://127.0.0.1:<port>). */
  readonly emulatorEndpoint?: string;
  /** The scheduler's deployment package: dist/lambda/scheduler.zip (or a directory with index.js). */
  readonly schedulerBundle: string;
  /** Skip validations (policy rules) at synth. @default false */
  readonly skipValidation?: boolean;
}

export function buildApp(options: BuildAppOptions): App {
  const bundle = options.schedulerBundle;
  if (!(bundle.endsWith(".zip") ? fs.existsSync(bundle) : fs.existsSync(path.join(bundle, "index.js")))) {
    throw new Error(`scheduler bundle ${bundle} is missing: main.ts builds it (npx cdktf synth), or run \`npm run build:lambda\``);
  }
  // Without an outdir, App takes the one the cdktf CLI passes (CDKTF_OUTDIR, from `--output`).
  const app = new App({ outdir: options.outdir, skipValidation: options.skipValidation ?? false });
  for (const env of options.environments ?? ENVIRONMENT_NAMES) {
    const config = loadEnvironment(env, { emulatorEndpoint: options.emulatorEndpoint });
    new BootstrapStack(app, { config });
    new DataStack(app, { config });
    new ComputeStack(app, { config });
    new OpsStack(app, { config, schedulerBundle: options.schedulerBundle });
  }
  return app;
}

/**
 * Kubernetes manifests (cluster-autoscaler, disruption budgets) per environment, next to the
 * Terraform: `<outdir>/k8s/<env>.json-stream`. The deploy pipeline applies them with kubectl
 * once the compute stack exists (the role ARN is derived from names, not read from state).
 */
export function writeManifests(outdir: string, environments: readonly EnvironmentName[] = ENVIRONMENT_NAMES): string[] {
  const dir = path.join(outdir, "k8s");
  fs.mkdirSync(dir, { recursive: true });
  return environments.map((env) => {
    const file = path.join(dir, `${env}.yaml`);
    fs.writeFileSync(file, environmentManifests(loadEnvironment(env)));
    return file;
  });
}
