/**
 * Every page of a token-paginated AWS list call, in order: `fetch(token)` gets one page,
 * `next(page)` reads its continuation token (missing or empty ends the walk). For calls whose
 * SDK client has no paginator, and for code that talks to a plain `send` (test fakes).
 */
export async function* pages<P>(fetch: (token: string | undefined) => Promise<P>, next: (page: P) => string | undefined): AsyncGenerator<P> {
  let token: string | undefined;
  do {
    const page = await fetch(token);
    yield page;
    token = next(page) || undefined;
  } while (token);
}
