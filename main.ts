/**
 * The cdktf entry (`cdktf synth|deploy|destroy|diff`). The only infrastructure file that reads
 * the environment:
 *   PLATFORM_ENVS     comma-separated environments to synthesize (default: all)
 *   SANDBOX_ENDPOINT  the local emulator the sandbox environment talks to (http://127.0.0.1:<port>);
 *                     then AWS_ENDPOINT_URL must be the same and credentials set (config/sandbox-shell.ts)
 *   SCHEDULER_BUNDLE  the scheduler's deployment package, used as it is
 *                     (default: dist/lambda/scheduler.zip, rebuilt first when missing or stale)
 * cdktf runs it from the project directory (cdktf.json: node tools/run-ts.js main.ts).
 */
import { buildApp, writeManifests } from "./app";
import { assertEnvironmentName, ConfigError } from "./config";
import { ensureLambdaBundle } from "./lambda/build";
import { sandboxShellProblems } from "./config/sandbox-shell";

async function main(): Promise<void> {
  const envs = (process.env.PLATFORM_ENVS ?? "dev,staging,prod,sandbox")
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)
    .map(assertEnvironmentName);
  const endpoint = process.env.SANDBOX_ENDPOINT || undefined;
  if (endpoint && envs.includes("sandbox")) {
    const problems = sandboxShellProblems(endpoint, process.env);
    if (problems.length) throw new ConfigError("sandbox", problems);
  }
  const app = buildApp({
    environments: envs,
    emulatorEndpoint: endpoint,
    schedulerBundle: process.env.SCHEDULER_BUNDLE || (await ensureLambdaBundle("scheduler", (line) => console.log(line))),
  });
  app.synth();
  writeManifests(app.outdir, envs);
}

main().catch((e) => {
  // a bad config is the user's to fix: its message, no stack
  process.stderr.write(`${e instanceof ConfigError ? e.message : (e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
