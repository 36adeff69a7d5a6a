/**
 * What the compute lifetime's schedules send and its build runs, without cdktf: the ops stack
 * (modules/compute-lifetime.ts), the cost estimate (cost/hours.ts reads the schedules back),
 * keep-alive (it copies a schedule's target) and the sandbox (it drives the same argv) share these.
 *
 * The schedules use EventBridge Scheduler's templated CodeBuild target: the target is the
 * project's ARN and the input holds StartBuild's parameters (the API's own names), here the one
 * environment variable that says which action the build runs.
 */
export type LifetimeAction = "teardown" | "restore";

export const LIFETIME_ACTION_VARIABLE = "LIFETIME_ACTION";

/** The StartBuild parameters a schedule passes (the project comes from the target's ARN). */
export function startBuildInput(action: LifetimeAction): { environmentVariablesOverride: { name: string; value: string; type: "PLAINTEXT" }[] } {
  return { environmentVariablesOverride: [{ name: LIFETIME_ACTION_VARIABLE, value: action, type: "PLAINTEXT" }] };
}

/** The action a schedule's input asks for, or undefined when it is not a lifetime input. */
export function lifetimeActionOf(input: unknown): string | undefined {
  const list = input && typeof input === "object" ? (input as { environmentVariablesOverride?: unknown }).environmentVariablesOverride : undefined;
  if (!Array.isArray(list)) return undefined;
  const v = list.find((x) => x && typeof x === "object" && (x as { name?: unknown }).name === LIFETIME_ACTION_VARIABLE) as { value?: unknown } | undefined;
  return typeof v?.value === "string" ? v.value : undefined;
}

/** The ops command line of each action: the build runs exactly this. */
export function lifetimeCommand(action: LifetimeAction, env: string): string[] {
  return action === "teardown" ? ["teardown", env, "--yes", "--scheduled"] : ["restore", env, "--scheduled"];
}
