/**
 * The shell a sandbox `cdktf deploy|diff|destroy` runs in. The sandbox stacks' provider and
 * backend carry no credentials (stacks/platform-stack.ts): Terraform takes them, and the
 * endpoint of every service the provider has no endpoint for, from its environment, so whoever
 * runs it decides who it acts as (the emulator's administrator, or a role session in the
 * scheduled build). A shell with SANDBOX_ENDPOINT but without these would hand Terraform the
 * engineer's own AWS credentials and AWS's own endpoints.
 */
import { emulatorProcessEnv } from "../lambda/shared/aws-client";

/** What is wrong with `env` for Terraform against the emulator at `endpoint`: one line each, naming the variable. */
export function sandboxShellProblems(endpoint: string, env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  const url = env.AWS_ENDPOINT_URL;
  if (url !== endpoint) {
    problems.push(`AWS_ENDPOINT_URL is ${url === undefined ? "unset" : `"${url}"`}; with SANDBOX_ENDPOINT=${endpoint} it must be the same URL, so that no AWS call of Terraform's leaves for AWS`);
  }
  if (!env.AWS_ACCESS_KEY_ID || !env.AWS_SECRET_ACCESS_KEY) {
    problems.push("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set: the sandbox stacks take their credentials from the environment (the emulator's administrator, or a role session)");
  }
  if (problems.length) {
    problems.push(`${sandboxShellExports(endpoint)}   # the emulator's administrator`);
  }
  return problems;
}

/** The shell line that sets up a sandbox cdktf run against `endpoint`: the same settings npm start and the ops CLI give cdktf. */
export function sandboxShellExports(endpoint: string, region = "us-east-1"): string {
  const { AWS_ENDPOINT_URL, ...rest } = emulatorProcessEnv(endpoint, region);
  return `export ${Object.entries({ AWS_ENDPOINT_URL, ...rest }).map(([k, v]) => `${k}=${v}`).join(" ")}`;
}
