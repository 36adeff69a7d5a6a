/**
 * The error helpers of the whole project (Lambda, ops CLI, sandbox): the SDK names its errors
 * (ResourceInUseException, NoSuchKey, ParameterNotFound) and callers branch on the name.
 *
 *   if (errorName(err) === "ParameterNotFound") return undefined;
 *   log(`FAILED: ${errorLine(err)}`);
 */

/** The error's name (the SDK v3 exception name), or "" when the value carries none. */
export function errorName(err: unknown): string {
  const name = err !== null && typeof err === "object" ? (err as { name?: unknown }).name : undefined;
  return typeof name === "string" ? name : "";
}

/** "Name: message" of an Error (a target's failure reason in the scheduler summary), else String(err). */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return `${err.name}: ${err.message}`;
  return String(err);
}

/** The first line of the message, for one-line CLI output (SDK messages can run to several lines). */
export function errorLine(err: unknown): string {
  const message = err !== null && typeof err === "object" ? (err as { message?: unknown }).message : undefined;
  return (typeof message === "string" ? message : String(err)).split("\n")[0];
}
