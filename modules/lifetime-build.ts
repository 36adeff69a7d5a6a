/**
 * What the compute lifetime's schedules send and its build runs, without cdktf: the ops stack
 * (modules/compute-lifetime.ts), the cost estimate (cost/hours.ts reads the schedules back) and
 * the sandbox (it drives the same argv) share these.
 */
export type LifetimeAction = "teardown" | "restore";

/** EventBridge Scheduler's universal target for CodeBuild StartBuild. */
export const START_BUILD_TARGET = "arn:aws:scheduler:::aws-sdk:codebuild:startBuild";

/** The StartBuild request a schedule sends (universal targets take the API's own field names). */
export function startBuildInput(projectName: string, action: LifetimeAction): Record<string, unknown> {
  return { ProjectName: projectName, EnvironmentVariablesOverride: [{ Name: "LIFETIME_ACTION", Value: action, Type: "PLAINTEXT" }] };
}

/** The ops command line of each action: the build runs exactly this. */
export function lifetimeCommand(action: LifetimeAction, env: string): string[] {
  return action === "teardown" ? ["teardown", env, "--yes", "--scheduled"] : ["restore", env, "--scheduled"];
}
