/**
 * Runs `fn` over `items` with at most `limit` calls in flight and returns the results in
 * input order. `fn` should not throw (the scheduler turns every error into a result); if it
 * does, the first error is rethrown after every started call settled.
 */
export async function mapPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`concurrency limit must be an integer >= 1, got ${limit}`);
  const results = new Array<R>(items.length);
  let next = 0;
  let firstError: unknown;
  let failed = false;
  const worker = async () => {
    while (next < items.length && !failed) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (err) {
        if (!failed) firstError = err;
        failed = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed) throw firstError;
  return results;
}

/**
 * One bound shared by several callers: `limit(fn)` runs fn when fewer than `max` others are
 * running. The scheduler uses one per run, so discovery of every kind and the per-target work
 * together never have more than `max` calls in flight. Do not call `limit` inside `limit`.
 */
export function createLimiter(max: number): <T>(fn: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(max) || max < 1) throw new Error(`concurrency limit must be an integer >= 1, got ${max}`);
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= max) await new Promise<void>((resolve) => queue.push(resolve));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}
