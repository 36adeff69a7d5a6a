/**
 * Bounded exponential backoff for conditions the SDK does not retry itself (an EKS update
 * already running, a resource not ACTIVE yet, an endpoint still deleting).
 *
 *   await retry(() => update(), (e) => errorName(e) === "ResourceInUseException");
 */
import { errorMessage } from "./errors";

export interface RetryOptions {
  /** @default - 5 attempts in all (the first try included) */
  readonly attempts?: number;
  /** @default - 2 000 ms before the second attempt, doubled each time */
  readonly baseDelayMs?: number;
  /** @default - 20 000 ms cap on one delay */
  readonly maxDelayMs?: number;
  /** Injectable so tests do not wait. @default - setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Delay before attempt `attempt + 1` (attempt counts from 1): full jitter is avoided so tests stay exact. */
export function backoffDelayMs(attempt: number, options: RetryOptions = {}): number {
  const base = options.baseDelayMs ?? 2000;
  const cap = options.maxDelayMs ?? 20000;
  return Math.min(cap, base * 2 ** (attempt - 1));
}

export class RetriesExhaustedError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly lastError: unknown,
  ) {
    super(message);
    this.name = "RetriesExhaustedError";
  }
}

/**
 * Calls `fn` until it succeeds or `shouldRetry` says no or attempts run out. The final error
 * is a RetriesExhaustedError naming the attempts and the last cause.
 */
export async function retry<T>(
  fn: (attempt: number) => Promise<T>,
  shouldRetry: (err: unknown) => boolean,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!shouldRetry(err)) throw err;
      if (attempt >= attempts) {
        throw new RetriesExhaustedError(`gave up after ${attempt} attempts: ${errorMessage(err)}`, attempt, err);
      }
      await sleep(backoffDelayMs(attempt, options));
    }
  }
}
