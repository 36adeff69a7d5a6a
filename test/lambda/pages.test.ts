import { pages } from "../../lambda/shared/pages";

/** A list call over `items`, `size` per page, whose last page answers `lastToken`. */
function lister(items: number[], size: number, lastToken: string | undefined) {
  const seen: (string | undefined)[] = [];
  const fetch = async (token: string | undefined) => {
    seen.push(token);
    const start = token ? Number(token) : 0;
    const end = start + size;
    return { items: items.slice(start, end), next: end < items.length ? String(end) : lastToken };
  };
  return { fetch, seen };
}

async function collect(fetch: (t: string | undefined) => Promise<{ items: number[]; next?: string }>) {
  const out: number[] = [];
  for await (const p of pages(fetch, (p) => p.next)) out.push(...p.items);
  return out;
}

describe("pages", () => {
  test("walks every page in order, passing each page's token to the next call", async () => {
    const l = lister([1, 2, 3, 4, 5], 2, undefined);
    expect(await collect(l.fetch)).toEqual([1, 2, 3, 4, 5]);
    expect(l.seen).toEqual([undefined, "2", "4"]);
  });

  test("an empty-string token ends the walk (the tagging API answers that on its last page)", async () => {
    const l = lister([1, 2, 3], 2, "");
    expect(await collect(l.fetch)).toEqual([1, 2, 3]);
    expect(l.seen).toEqual([undefined, "2"]);
  });

  test("a failing page propagates and no further page is asked for", async () => {
    const seen: (string | undefined)[] = [];
    const fetch = async (t: string | undefined) => {
      seen.push(t);
      if (t === "1") throw new Error("throttled");
      return { items: [0], next: "1" };
    };
    await expect(collect(fetch)).rejects.toThrow("throttled");
    expect(seen).toEqual([undefined, "1"]);
  });
});
