/**
 * The cdktf entry (`cdktf synth|deploy|destroy|diff`). The only infrastructure file that reads
 * the environment:
 *   PLATFORM_ENVS     comma-separated environments to synthesize (default: all)
 *   SANDBOX_ENDPOINT  the local emulator the sandbox environment talks to (http://127.0.0.1:<port>)
 *   SCHEDULER_BUNDLE  the scheduler's deployment package (default: dist/lambda/scheduler.zip)
 * cdktf runs it from the project directory (cdktf.json: node tools/run-ts.js main.ts).
 */
import * as path from "path";
import { buildApp, writeManifests } from "./app";
import { assertEnvironmentName, ConfigError } from "./config";

function main(): void {
  const envs = (process.env.PLATFORM_ENVS ?? "dev,staging,prod,sandbox")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)
    .map(assertEnvironmentName);
  const app = buildApp({
    environments: envs,
    emulatorEndpoint: process.env.SANDBOX_ENDPOINT || undefined,
    schedulerBundle: process.env.SCHEDULER_BUNDLE ?? path.resolve("dist", "lambda", "scheduler.zip"),
  });
  app.synth();
  writeManifests(app.outdir, envs);
}

try {
  main();
} catch (e) {
  if (e instanceof ConfigError) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  throw e;
}
