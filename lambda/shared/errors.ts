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

/**
 * AWS's access denial, in every protocol: AccessDenied (S3, query APIs), AccessDeniedException
 * (JSON APIs), UnauthorizedOperation (EC2), or a 403 with no body (a HEAD request). Never a
 * "not found", never a reason to fall back quietly: callers let it through or name the action.
 */
export function isAccessDenied(err: unknown): boolean {
  const name = errorName(err);
  if (name === "AccessDenied" || name === "AccessDeniedException" || name === "UnauthorizedOperation") return true;
  const status = err !== null && typeof err === "object" ? (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode : undefined;
  return status === 403 && /^(Unknown|Forbidden|403|)$/.test(name);
}

/**
 * A HEAD request's denial carries no message (HTTP has no body for it), so the SDK cannot say
 * which action was refused: this error says it. `action` is what AWS authorizes the request as.
 */
export function deniedHead(action: string, resource: string): Error {
  return Object.assign(new Error(`access denied: not authorized to perform ${action} on ${resource} (a HEAD request answers 403 without a message)`), { name: "AccessDenied" });
}
