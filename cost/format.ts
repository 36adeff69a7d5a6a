/** Terminal table, Markdown (pull request comment) and JSON renderings of an estimate. */
import { ComponentCost, Estimate, LineItem } from "./estimate";

export const FORMATS = ["table", "markdown", "json", "html"] as const;
export type Format = (typeof FORMATS)[number];

export interface LineDelta {
  /** the line's name, unique within its component */
  readonly name: string;
  readonly optimizedMonthlyUsd: number;
  readonly otherOptimizedMonthlyUsd: number;
  readonly deltaMonthlyUsd: number;
  /** this synthesis's reason for the line, else the other's (a removed line) */
  readonly reason: string;
}

export interface ComponentDelta {
  readonly id: string;
  readonly name: string;
  readonly optimizedMonthlyUsd: number;
  readonly otherOptimizedMonthlyUsd: number;
  readonly deltaMonthlyUsd: number;
  /** per optimised line, matched by name (line names are unique within a component) */
  readonly lines: readonly LineDelta[];
}

export interface Comparison {
  /** where the other synthesis came from (the base branch's cdktf.out) */
  readonly other: string;
  readonly otherOptimizedMonthlyUsd: number;
  readonly otherBaselineMonthlyUsd: number;
  /** this minus the other: > 0 means this change costs more per month */
  readonly deltaMonthlyUsd: number;
  readonly components: readonly ComponentDelta[];
}

/** Per-component monthly difference of the optimised figures (this minus other), by component id. */
export function compare(self: Estimate, other: Estimate, otherLabel: string): Comparison {
  const ids = [...new Set([...self.components.map((c) => c.id), ...other.components.map((c) => c.id)])];
  const find = (e: Estimate, id: string) => e.components.find((c) => c.id === id);
  const components = ids.map((id) => {
    const a = find(self, id);
    const b = find(other, id);
    const mine = a?.optimizedMonthlyUsd ?? 0;
    const theirs = b?.optimizedMonthlyUsd ?? 0;
    const la = a?.lines.optimized ?? [];
    const lb = b?.lines.optimized ?? [];
    const lines = [...new Set([...la.map((l) => l.name), ...lb.map((l) => l.name)])].map((n) => {
      const x = la.find((l) => l.name === n);
      const y = lb.find((l) => l.name === n);
      const m = x?.monthlyUsd ?? 0;
      const t = y?.monthlyUsd ?? 0;
      return { name: n, optimizedMonthlyUsd: m, otherOptimizedMonthlyUsd: t, deltaMonthlyUsd: m - t, reason: (x ?? y)!.reason };
    });
    return { id, name: (a ?? b)!.name, optimizedMonthlyUsd: mine, otherOptimizedMonthlyUsd: theirs, deltaMonthlyUsd: mine - theirs, lines };
  });
  return {
    other: otherLabel,
    otherOptimizedMonthlyUsd: other.optimizedMonthlyUsd,
    otherBaselineMonthlyUsd: other.baselineMonthlyUsd,
    deltaMonthlyUsd: self.optimizedMonthlyUsd - other.optimizedMonthlyUsd,
    components,
  };
}

const r2 = (n: number) => Math.round(n * 100) / 100;
/** line items: sub-cent amounts, small quantities and prices keep six significant digits */
const sig = (n: number) => Number(n.toPrecision(6));
const money = (n: number) => (n < 0 ? "-" : "") + "$" + Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = (n: number) => (Math.abs(n) < 0.005 ? "$0.00" : (n > 0 ? "+" : "") + money(n));
const percent = (n: number) => `${n.toFixed(1)}%`;

function lineJson(l: LineItem): object {
  return {
    name: l.name,
    ...(l.resource ? { resource: l.resource } : {}),
    quantity: sig(l.quantity),
    unit: l.unit,
    unitPriceUsd: sig(l.unitPriceUsd),
    monthlyUsd: sig(l.monthlyUsd),
    ...(l.hours ? { hours: { perMonth: sig(l.hours.perMonth), reason: l.hours.reason } } : {}),
    reason: l.reason,
  };
}

export function toJson(e: Estimate, cmp?: Comparison): object {
  const comp = (c: ComponentCost) => {
    const d = cmp?.components.find((x) => x.id === c.id);
    return {
      id: c.id,
      name: c.name,
      category: c.category,
      baselineMonthlyUsd: r2(c.baselineMonthlyUsd),
      optimizedMonthlyUsd: r2(c.optimizedMonthlyUsd),
      savingsPercent: r2(c.savingsPercent),
      ...(d ? { deltaMonthlyUsd: r2(d.deltaMonthlyUsd), compareOptimizedMonthlyUsd: r2(d.otherOptimizedMonthlyUsd) } : {}),
      assumptions: c.assumptions,
      lines: { baseline: c.lines.baseline.map(lineJson), optimized: c.lines.optimized.map(lineJson) },
    };
  };
  return {
    env: e.env,
    region: e.region,
    asOf: e.asOf,
    priceTable: e.priceTable,
    horizonMonths: e.horizonMonths,
    stacks: e.stacks,
    baselineMonthlyUsd: r2(e.baselineMonthlyUsd),
    optimizedMonthlyUsd: r2(e.optimizedMonthlyUsd),
    savingsPercent: r2(e.savingsPercent),
    ...(cmp
      ? {
          compareTo: cmp.other,
          compareOptimizedMonthlyUsd: r2(cmp.otherOptimizedMonthlyUsd),
          deltaMonthlyUsd: r2(cmp.deltaMonthlyUsd),
          removedComponents: cmp.components
            .filter((d) => !e.components.some((c) => c.id === d.id))
            .map((d) => ({ id: d.id, name: d.name, deltaMonthlyUsd: r2(d.deltaMonthlyUsd) })),
        }
      : {}),
    components: e.components.map(comp),
    warnings: e.warnings,
  };
}

function pad(rows: string[][], right: boolean[]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r, ri) => {
      const line = r.map((cell, i) => (right[i] ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join("  ");
      return ri === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
    })
    .join("\n");
}

export function toTable(e: Estimate, cmp?: Comparison, verbose = false): string {
  const head = ["component", "baseline/mo", "optimised/mo", "savings"];
  if (cmp) head.push("vs compare");
  const rows = [head];
  for (const c of e.components) {
    const row = [c.name, money(c.baselineMonthlyUsd), money(c.optimizedMonthlyUsd), percent(c.savingsPercent)];
    if (cmp) row.push(signed(cmp.components.find((d) => d.id === c.id)?.deltaMonthlyUsd ?? 0));
    rows.push(row);
  }
  if (cmp) {
    for (const d of cmp.components.filter((d) => !e.components.some((c) => c.id === d.id))) {
      rows.push([`${d.name} (removed)`, "-", "-", "-", signed(d.deltaMonthlyUsd)]);
    }
  }
  const total = ["TOTAL", money(e.baselineMonthlyUsd), money(e.optimizedMonthlyUsd), percent(e.savingsPercent)];
  if (cmp) total.push(signed(cmp.deltaMonthlyUsd));
  rows.push(total);
  const out = [
    `Cost estimate: ${e.env} (${e.region}), prices of ${e.priceTable.date}, storage averaged over ${e.horizonMonths} months, as of ${e.asOf}`,
    pad(rows, head.map((_, i) => i > 0)),
  ];
  if (cmp) out.push(`Compared with ${cmp.other}: ${signed(cmp.deltaMonthlyUsd)}/month (${money(cmp.otherOptimizedMonthlyUsd)} -> ${money(e.optimizedMonthlyUsd)})`);
  if (verbose) {
    for (const c of e.components) out.push(`\n${c.name}\n${c.assumptions.map((a) => `  - ${a}`).join("\n")}`);
  }
  if (e.warnings.length) out.push(`\nwarnings:\n${e.warnings.map((w) => `  ! ${w}`).join("\n")}`);
  return out.join("\n") + "\n";
}

const mdEscape = (s: string) => s.replace(/\|/g, "\\|");

export function toMarkdown(e: Estimate, cmp?: Comparison): string {
  const out: string[] = [];
  out.push(`### Cost estimate: \`${e.env}\``);
  if (cmp) {
    const arrow = cmp.deltaMonthlyUsd > 0.005 ? ":arrow_up:" : cmp.deltaMonthlyUsd < -0.005 ? ":arrow_down:" : ":heavy_minus_sign:";
    out.push(
      `${arrow} **${signed(cmp.deltaMonthlyUsd)}/month** against the base branch (${money(cmp.otherOptimizedMonthlyUsd)} -> ${money(e.optimizedMonthlyUsd)})`,
      "",
    );
  }
  out.push(
    `Optimised **${money(e.optimizedMonthlyUsd)}/month** against a baseline of ${money(e.baselineMonthlyUsd)} (on-demand, 24/7, STANDARD storage, nothing expires): **${percent(e.savingsPercent)} saved**.`,
    "",
  );
  const head = ["Component", "Baseline/mo", "Optimised/mo", "Savings"];
  if (cmp) head.push("Change");
  out.push(`| ${head.join(" | ")} |`, `|${head.map((_, i) => (i ? "---:" : "---")).join("|")}|`);
  for (const c of e.components) {
    const d = cmp?.components.find((x) => x.id === c.id);
    const cells = [mdEscape(c.name), money(c.baselineMonthlyUsd), money(c.optimizedMonthlyUsd), percent(c.savingsPercent)];
    if (cmp) cells.push(d && Math.abs(d.deltaMonthlyUsd) >= 0.005 ? `**${signed(d.deltaMonthlyUsd)}**` : "");
    out.push(`| ${cells.join(" | ")} |`);
  }
  if (cmp) {
    for (const d of cmp.components.filter((d) => !e.components.some((c) => c.id === d.id))) {
      out.push(`| ~~${mdEscape(d.name)}~~ (removed) | | | | **${signed(d.deltaMonthlyUsd)}** |`);
    }
  }
  const total = ["**Total**", `**${money(e.baselineMonthlyUsd)}**`, `**${money(e.optimizedMonthlyUsd)}**`, `**${percent(e.savingsPercent)}**`];
  if (cmp) total.push(`**${signed(cmp.deltaMonthlyUsd)}**`);
  out.push(`| ${total.join(" | ")} |`, "");
  if (e.warnings.length) out.push(...e.warnings.map((w) => `> :warning: ${mdEscape(w)}`), "");
  out.push("<details><summary>Assumptions</summary>", "");
  for (const c of e.components) {
    out.push(`**${mdEscape(c.name)}**`, ...c.assumptions.map((a) => `- ${a}`), "");
  }
  out.push(`Prices: ${e.priceTable.region}, ${e.priceTable.date} (${e.priceTable.source}).`, "", "</details>", "");
  return out.join("\n");
}
