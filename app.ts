/**
 * Builds the cdktf App for one or more environments. main.ts (the cdktf entry) and tests call
 * this; it never reads process.env itself.
 */
import { App } from "cdktf";
import { EnvironmentName, ENVIRONMENT_NAMES } from "./config";

export interface BuildAppOptions {
  /** @default - "cdktf.out" */
  readonly outdir?: string;
  /** @default - every environment */
  readonly environments?: readonly EnvironmentName[];
  /** Sandbox only: the emulator endpoint (http://127.0.0.1:<port>). */
  readonly emulatorEndpoint?: string;
  /** Path of the bundled scheduler (dist/lambda/scheduler/index.js). */
  readonly schedulerBundle: string;
  /** Run validations (policy aspects) at synth. @default true */
  readonly skipValidation?: boolean;
}

export function buildApp(options: BuildAppOptions): App {
  const app = new App({ outdir: options.outdir ?? "cdktf.out", skipValidation: options.skipValidation });
  for (const env of options.environments ?? ENVIRONMENT_NAMES) {
    void env; // stacks are added here (stacks/*.ts)
  }
  return app;
}
