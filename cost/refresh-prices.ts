/**
 * Refreshes cost/prices/<region>.json from the AWS Price List Query API (GetProducts).
 *
 *   npx tsx cost/refresh-prices.ts --region us-east-1 [--dry-run]
 *
 * Needs AWS credentials (any identity with pricing:GetProducts) and internet access; tests and
 * CI run it against a fake GetProducts (cost/price-list.ts has the real one). What it asks for
 * is declared in cost/price-entries.ts, one entry per figure; figures the Price List does not
 * hold (spot discounts, minimum storage days, support end dates...) are listed there too, with
 * the reason, and left as they are.
 *
 * For each figure:
 *   - one price answered: taken (converted to the table's unit);
 *   - nothing answered: the old value is kept and the figure listed under `missing`;
 *   - several different prices answered: AMBIGUOUS. The old value is kept, never the first
 *     answer, and the figure is listed with every candidate (sku, usagetype, price, unit): the
 *     entry's filters need tightening, which no rerun can do;
 *   - an answer more than 10x away from the old value: SUSPECT (a wrong unit conversion or the
 *     wrong product far more likely than a price change), kept and listed with the answer.
 * A run where no figure is answered at all fails and writes nothing (a wrong location, or an
 * API that answers empty, must not re-date the table). Any request that fails fails the run and
 * writes nothing, so a rerun starts over cleanly.
 *
 * The table is written through a temporary file and a rename (tools/write-atomic.ts): a run
 * killed half way leaves the old table whole, and two runs at once leave one of them whole.
 * --dry-run prints what would change and writes nothing.
 *
 * Exit: 0 written (or dry run); 2 bad command line; 1 failed, nothing written; 3 written, but
 * some figures were ambiguous or suspect and kept their old value (fix the entry, run again).
 */
import * as fs from "fs";
import * as path from "path";
import { writeAtomic } from "../tools/write-atomic";
import { awsGetProducts, Filters, GetProducts, parsePriceListItem, PriceListPrice } from "./price-list";
import { label, PriceEntry, priceEntries, REGIONS, usagetypeMatches } from "./price-entries";
import { PRICES_DIR, PriceTable } from "./prices";

/** A new answer this many times above or below the old value is not taken. */
export const SUSPECT_FACTOR = 10;

export interface RefreshOptions {
  readonly dryRun?: boolean;
  readonly getProducts?: GetProducts;
  /** Where the tables are (tests use a temporary copy). */
  readonly dir?: string;
  readonly now?: () => Date;
  /** Progress lines (one per request). */
  readonly log?: (line: string) => void;
}

export interface Candidate {
  readonly sku: string;
  readonly usagetype: string | undefined;
  readonly usd: number;
  readonly unit: string;
}

export interface RefreshResult {
  readonly file: string;
  readonly written: boolean;
  readonly table: PriceTable;
  /** Figures whose value moved: old -> new. */
  readonly changes: readonly { readonly path: string; readonly from: number; readonly to: number }[];
  /** Figures answered (changed or not). */
  readonly refreshed: readonly string[];
  /** No answer: old value kept. */
  readonly missing: readonly string[];
  /** Several different prices: old value kept. */
  readonly ambiguous: readonly { readonly path: string; readonly candidates: readonly Candidate[] }[];
  /** Answered, but too far from the old value to be believed: old value kept. */
  readonly suspect: readonly { readonly path: string; readonly old: number; readonly answered: number; readonly candidate: Candidate }[];
}

export function allowedRegions(): string {
  return Object.keys(REGIONS).join(", ");
}

/** The one-line error for a --region the refresh cannot serve, naming the flag, the value and what is allowed. */
export function checkRegion(region: string | undefined): string {
  if (region === undefined || region === "" || region.startsWith("--")) throw new Error(`--region: missing; allowed: ${allowedRegions()}`);
  if (!REGIONS[region]) {
    throw new Error(`--region: unknown region '${region}'; allowed: ${allowedRegions()} (to add one, give its Price List location and billing code in REGIONS, cost/price-entries.ts)`);
  }
  return region;
}

const requestKey = (service: string, filters: Filters) =>
  `${service} ${Object.entries(filters)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(" ")}`;

/** Converted to the table's unit; 12 significant digits drop float noise (2e-7 x 1e6 = 0.19999999999999998). */
const convert = (usd: number, per = 1) => Number((usd * per).toPrecision(12));

function getAt(obj: any, p: readonly string[]): unknown {
  return p.reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);
}

function setAt(obj: any, p: readonly string[], v: number): void {
  const parent = getAt(obj, p.slice(0, -1)) as any;
  parent[p[p.length - 1]] = v;
}

/** The products an entry picks out of its request's answer. */
function candidates(region: string, e: PriceEntry, answer: readonly PriceListPrice[]): Candidate[] {
  return answer
    .filter((p) => e.usagetype === undefined || usagetypeMatches(region, e.usagetype, p.attributes.usagetype))
    .filter((p) => Object.entries(e.attributes ?? {}).every(([k, v]) => p.attributes[k] === v))
    .map((p) => ({ sku: p.sku, usagetype: p.attributes.usagetype, usd: p.usd, unit: p.unit }));
}

export async function refresh(region: string, opts: RefreshOptions = {}): Promise<RefreshResult> {
  checkRegion(region);
  const { location } = REGIONS[region];
  const dir = opts.dir ?? PRICES_DIR;
  const getProducts = opts.getProducts ?? awsGetProducts;
  const log = opts.log ?? (() => undefined);
  const file = path.join(dir, `${region}.json`);
  const from = fs.existsSync(file) ? file : path.join(dir, "us-east-1.json");
  let t: any;
  try {
    t = JSON.parse(fs.readFileSync(from, "utf8"));
  } catch (err) {
    throw new Error(`${from}: not a readable JSON price table (${(err as Error).message}); nothing was asked or written`);
  }
  t.region = region;
  const old = structuredClone(t);
  const entries = priceEntries(t as PriceTable);

  // One GetProducts call per distinct request; entries sharing it pick from the same answer.
  const requests = new Map<string, { service: string; filters: Filters }>();
  for (const e of entries) {
    const filters = { location, ...e.filters };
    requests.set(requestKey(e.service, filters), { service: e.service, filters });
  }
  const answers = new Map<string, PriceListPrice[]>();
  let i = 0;
  for (const [key, { service, filters }] of requests) {
    log(`[${++i}/${requests.size}] GetProducts ${key}`);
    const items = await getProducts(service, filters);
    answers.set(key, items.flatMap(parsePriceListItem));
  }

  const refreshed: string[] = [];
  const missing: string[] = [];
  const ambiguous: RefreshResult["ambiguous"][number][] = [];
  const suspect: RefreshResult["suspect"][number][] = [];
  const taken = new Set<string>();
  // Entries that add another figure go last, once that figure is settled.
  const ordered = [...entries.filter((e) => !e.plus), ...entries.filter((e) => e.plus)];
  for (const e of ordered) {
    const name = label(e.path);
    const found = candidates(region, e, answers.get(requestKey(e.service, { location, ...e.filters })) ?? []);
    const prices = [...new Set(found.map((c) => c.usd))];
    if (prices.length === 0) {
      missing.push(name);
      log(`  ${name}: no answer; kept ${getAt(t, e.path)}`);
      continue;
    }
    if (prices.length > 1) {
      ambiguous.push({ path: name, candidates: found });
      log(`  ${name}: ${prices.length} different prices (${found.map((c) => `${c.usagetype ?? c.sku} ${c.usd}/${c.unit}`).join(", ")}); kept ${getAt(t, e.path)}`);
      continue;
    }
    let value = convert(prices[0], e.per);
    if (e.plus) {
      const dep = label(e.plus);
      if (!taken.has(dep)) {
        missing.push(name);
        log(`  ${name}: answered, but it is added to ${dep}, which was not refreshed; kept ${getAt(t, e.path)}`);
        continue;
      }
      value = convert(value + (getAt(t, e.plus) as number));
    }
    const was = getAt(old, e.path) as number;
    if (typeof was === "number" && was > 0 && (value > was * SUSPECT_FACTOR || value < was / SUSPECT_FACTOR)) {
      suspect.push({ path: name, old: was, answered: value, candidate: found[0] });
      log(`  ${name}: answered ${value}, more than ${SUSPECT_FACTOR}x away from ${was}; kept`);
      continue;
    }
    setAt(t, e.path, value);
    taken.add(name);
    refreshed.push(name);
  }

  if (refreshed.length === 0) {
    throw new Error(`no figure answered for ${region} (${location}) in ${requests.size} requests; nothing written (wrong location name, or no access to the Price List?)`);
  }
  const changes = entries
    .map((e) => ({ path: label(e.path), from: getAt(old, e.path) as number, to: getAt(t, e.path) as number }))
    .filter((c) => c.from !== c.to);
  const kept = [...missing, ...ambiguous.map((a) => a.path), ...suspect.map((s) => s.path)];
  const now = (opts.now ?? (() => new Date()))();
  t.date = now.toISOString().slice(0, 10);
  t.source =
    `AWS Price List Query API (GetProducts, ${location}), refreshed by cost/refresh-prices.ts: ${refreshed.length} figures answered; ` +
    `${kept.length ? `kept from the previous table: ${kept.join(", ")}` : "none kept"}; not in the Price List (spot discounts, minimum storage days, ` +
    `support end dates...): see NOT_REFRESHED in cost/price-entries.ts${from !== file ? `; figures not answered are us-east-1's (the template)` : ""}`;

  if (!opts.dryRun) writeAtomic(file, JSON.stringify(t, null, 2) + "\n");
  return { file, written: !opts.dryRun, table: t as PriceTable, changes, refreshed, missing, ambiguous, suspect };
}

const USAGE = "usage: npx tsx cost/refresh-prices.ts --region <region> [--dry-run]";

/** The command line: `--region <region>` and `--dry-run`; anything else is an error naming it. */
export function parseArgs(argv: readonly string[]): { region: string; dryRun: boolean } {
  let region: string | undefined;
  let dryRun = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--dry-run") dryRun = true;
    else if (a === "--region") region = checkRegion(argv[++i]);
    else if (a.startsWith("--region=")) region = checkRegion(a.slice("--region=".length));
    else throw new Error(`unknown argument '${a}'; ${USAGE}`);
  }
  return { region: checkRegion(region), dryRun };
}

/** Runs the command; returns the exit code (see the header). */
export async function main(argv: readonly string[], opts: Omit<RefreshOptions, "dryRun" | "log"> = {}): Promise<number> {
  let args: { region: string; dryRun: boolean };
  try {
    args = parseArgs(argv);
  } catch (err) {
    process.stderr.write(`refresh-prices: ${(err as Error).message}\n`);
    return 2;
  }
  let r: RefreshResult;
  try {
    r = await refresh(args.region, { ...opts, dryRun: args.dryRun, log: (l) => process.stderr.write(`${l}\n`) });
  } catch (err) {
    process.stderr.write(`refresh-prices: ${(err as Error).message}\n`);
    return 1;
  }
  const out: string[] = [];
  for (const c of r.changes) out.push(`  ${c.path}: ${c.from} -> ${c.to}`);
  out.push(`${r.written ? "wrote" : "dry run, not written:"} ${path.relative(process.cwd(), r.file) || r.file}: ${r.refreshed.length} figures answered, ${r.changes.length} changed`);
  if (r.missing.length) out.push(`not answered (old value kept): ${r.missing.join(", ")}`);
  for (const a of r.ambiguous) out.push(`AMBIGUOUS (old value kept): ${a.path}: ${a.candidates.map((c) => `${c.sku} ${c.usagetype ?? ""} ${c.usd}/${c.unit}`).join("; ")}`);
  for (const s of r.suspect) out.push(`SUSPECT (old value kept): ${s.path}: answered ${s.answered} (${s.candidate.usagetype ?? s.candidate.sku} ${s.candidate.usd}/${s.candidate.unit}), was ${s.old}`);
  process.stdout.write(out.join("\n") + "\n");
  return r.ambiguous.length || r.suspect.length ? 3 : 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
