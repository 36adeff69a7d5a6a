/**
 * The estimate as one self-contained HTML page: no script, no stylesheet or font to fetch, the
 * charts drawn as SVG when the page is written (Vega-Lite, cost/charts.ts). Every mark carries
 * hover text (an SVG <title>) with the figures and the reasons of the lines behind it, and the
 * tables under the charts say the same in words.
 *
 *   components  baseline against optimised per component (bars)
 *   storage     per bucket, GB per storage class month by month over the horizon (stacked area)
 *   week        when each switched part is up in one week, on the schedules' wall clock
 *   waterfall   with --compare: the base branch's total, each line that changed, this total
 *
 * Each chart sits in <figure data-chart="<name>" data-points="<n>">, n being the data points
 * drawn, so a test (or a reader of the source) can see that no chart is empty.
 */
import { renderCharts, ChartSpec } from "./charts";
import { ComponentCost, Estimate } from "./estimate";
import { Comparison } from "./format";
import { WeekStrip } from "./week";

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const money = (n: number) => (n < 0 ? "-" : "") + "$" + Math.abs(n).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const signed = (n: number) => (Math.abs(n) < 0.005 ? "$0.00" : (n > 0 ? "+" : "") + money(n));
const sig = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : Number(n.toPrecision(3)).toString());

const FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const CONFIG = {
  font: FONT,
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: "normal", titleColor: "#4a5568", labelColor: "#2d3748", gridColor: "#edf2f7", domainColor: "#a0aec0", tickColor: "#a0aec0" },
  // without a canvas Vega estimates label widths generously (0.8 em a character): a long component name needs room
  axisY: { labelLimit: 520 },
  legend: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: "normal", orient: "top" },
  background: "white",
};
const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

/** Warm to cold: how lifecycle and Intelligent-Tiering move data down. */
const STORAGE_ORDER = [
  "STANDARD",
  "IT_FREQUENT",
  "STANDARD_IA",
  "IT_INFREQUENT",
  "ONEZONE_IA",
  "IT_ARCHIVE_INSTANT",
  "GLACIER_IR",
  "IT_ARCHIVE",
  "GLACIER",
  "IT_DEEP_ARCHIVE",
  "DEEP_ARCHIVE",
];
const STORAGE_COLORS = ["#c05621", "#dd6b20", "#d69e2e", "#ecc94b", "#b7791f", "#81e6d9", "#38b2ac", "#4299e1", "#3182ce", "#553c9a", "#2a4365"];

export interface Chart {
  readonly name: "components" | "storage" | "week" | "waterfall";
  readonly title: string;
  readonly caption: string;
  readonly spec: ChartSpec;
  /** data points drawn */
  readonly points: number;
}

function lineTip(c: ComponentCost, scenario: "baseline" | "optimized"): string {
  const lines = c.lines[scenario];
  const head = `${c.name}, ${scenario === "baseline" ? "baseline" : "optimised"}: ${money(scenario === "baseline" ? c.baselineMonthlyUsd : c.optimizedMonthlyUsd)}/month`;
  if (lines.length === 0) return `${head}\n(no line items)`;
  return [head, ...lines.map((l) => `• ${l.name}: ${sig(l.quantity)} ${l.unit} × $${sig(l.unitPriceUsd)} = ${money(l.monthlyUsd)}. ${l.reason}`)].join("\n");
}

export function componentsChart(e: Estimate): Chart {
  const values = e.components.flatMap((c, i) => [
    { order: i, component: c.name, scenario: "baseline", usd: c.baselineMonthlyUsd, label: money(c.baselineMonthlyUsd), tip: lineTip(c, "baseline") },
    {
      order: i,
      component: c.name,
      scenario: "optimised",
      usd: c.optimizedMonthlyUsd,
      label: `${money(c.optimizedMonthlyUsd)}${c.savingsPercent >= 0.5 ? ` (−${c.savingsPercent.toFixed(0)}%)` : ""}`,
      tip: lineTip(c, "optimized"),
    },
  ]);
  const y = { field: "component", type: "nominal", sort: [...new Set(e.components.map((c) => c.name))], title: null };
  return {
    name: "components",
    title: "Baseline against optimised, per component",
    caption: `Monthly USD. Baseline: on-demand, 24/7, STANDARD storage, logs and images kept forever. Hover a bar for its line items and their reasons; the table below lists them too.`,
    points: values.length,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      width: 560,
      height: { step: 22 },
      data: { values },
      encoding: {
        y,
        yOffset: { field: "scenario", sort: ["baseline", "optimised"] },
        x: { field: "usd", type: "quantitative", title: "USD per month", axis: { format: "$,.0f" } },
      },
      layer: [
        {
          mark: { type: "bar", cornerRadiusEnd: 2, height: { band: 0.9 } },
          encoding: {
            color: { field: "scenario", type: "nominal", title: null, scale: { domain: ["baseline", "optimised"], range: ["#a0aec0", "#2f855a"] } },
            description: { field: "tip" },
          },
        },
        { mark: { type: "text", align: "left", dx: 4, fontSize: 10, color: "#2d3748" }, encoding: { text: { field: "label" } } },
      ],
    },
  };
}

export function storageCharts(e: Estimate): Chart[] {
  return e.components
    .filter((c) => c.storageByMonth?.some((m) => Object.values(m.gbByClass).some((gb) => gb > 0)))
    .map((c) => {
      const present = new Set(c.storageByMonth!.flatMap((m) => Object.keys(m.gbByClass)));
      const domain = [...STORAGE_ORDER.filter((k) => present.has(k)), ...[...present].filter((k) => !STORAGE_ORDER.includes(k)).sort()];
      const range = domain.map((k) => STORAGE_COLORS[STORAGE_ORDER.indexOf(k)] ?? "#718096");
      const values = c.storageByMonth!.flatMap((m) =>
        domain.map((cls) => {
          const gb = m.gbByClass[cls] ?? 0;
          const total = Object.values(m.gbByClass).reduce((s, v) => s + v, 0);
          return { month: m.month, cls, order: domain.indexOf(cls), gb, tip: `${c.name}, month ${m.month}: ${cls} ${sig(gb)} GB of ${sig(total)} GB` };
        }),
      );
      return {
        name: "storage" as const,
        title: `${c.name}: storage by class, month by month`,
        caption: `Average GB in each storage class (or Intelligent-Tiering tier) per month over the ${e.horizonMonths}-month horizon, as the bucket's lifecycle rules and Intelligent-Tiering move data down. Hover a point for its figure.`,
        points: values.filter((v) => v.gb > 0).length,
        spec: {
          $schema: SCHEMA,
          config: CONFIG,
          width: 440,
          height: 170,
          data: { values },
          encoding: {
            x: { field: "month", type: "quantitative", title: "month", axis: { tickMinStep: 1, format: "d" }, scale: { domain: [1, e.horizonMonths], nice: false } },
            y: { field: "gb", type: "quantitative", stack: "zero", title: "GB" },
            color: { field: "cls", type: "nominal", title: null, scale: { domain, range }, sort: domain, legend: { columns: 4, symbolSize: 60 } },
            order: { field: "order" },
          },
          layer: [
            { mark: { type: "area", opacity: 0.9 }, encoding: { description: { field: "cls" } } },
            { mark: { type: "point", filled: true, size: 18, opacity: 0.7 }, transform: [{ filter: "datum.gb > 0" }], encoding: { description: { field: "tip" } } },
          ],
        },
      };
    });
}

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun", "Mon"];
function clock(h: number): string {
  const day = Math.floor(h / 24);
  const min = Math.round((h - day * 24) * 60);
  return `${DAYS[Math.min(day, 7)]} ${String(Math.floor(min / 60)).padStart(2, "0")}:${String(min % 60).padStart(2, "0")}`;
}

export function weekChart(week: WeekStrip): Chart {
  const values = week.rows.flatMap((r, i) =>
    r.intervals.map((iv) => ({
      order: i,
      row: r.label,
      from: iv.from,
      to: iv.to,
      tip: `${r.label}: up ${clock(iv.from)} – ${clock(iv.to)} ${week.timezone} (${sig(iv.to - iv.from)} h). ${sig(r.hoursUp)} h this week; priced at ${r.perMonth.toFixed(1)} h/month: ${r.reason}`,
    })),
  );
  return {
    name: "week",
    title: `When the switched parts are up: week of ${week.weekOf}, ${week.timezone}`,
    caption: `Bars are the hours each part runs between the scheduler's stop and start firings, on the wall clock of ${week.timezone}. Rows come from the running hours the estimate charges (node groups, real-time endpoints, and anything else whose hours a schedule switches). ${week.rows
      .map((r) => `${r.label}: ${sig(r.hoursUp)} h of 168`)
      .join("; ")}.`,
    points: values.length,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      width: 620,
      height: { step: 26 },
      data: { values },
      layer: [
        {
          data: { values: [0, 24, 48, 72, 96, 120, 144, 168].map((h) => ({ h })) },
          mark: { type: "rule", color: "#cbd5e0" },
          encoding: { x: { field: "h", type: "quantitative", scale: { domain: [0, 168], nice: false } } },
        },
        {
          mark: { type: "bar", height: { band: 0.7 }, color: "#2b6cb0", cornerRadius: 2 },
          encoding: {
            y: { field: "row", type: "nominal", sort: [...new Set(week.rows.map((r) => r.label))], title: null },
            x: {
              field: "from",
              type: "quantitative",
              title: `${week.timezone}, week of ${week.weekOf}`,
              scale: { domain: [0, 168], nice: false },
              axis: { values: [12, 36, 60, 84, 108, 132, 156], labelExpr: "['Mon','Tue','Wed','Thu','Fri','Sat','Sun'][floor(datum.value / 24)]", grid: false, ticks: false },
            },
            x2: { field: "to" },
            description: { field: "tip" },
          },
        },
      ],
    },
  };
}

/** At most this many bars between the two totals; the smallest changes beyond are one bar. */
const WATERFALL_STEPS = 30;

export function waterfallChart(cmp: Comparison, e: Estimate): Chart {
  const all = cmp.components.flatMap((c) => c.lines.filter((l) => l.deltaMonthlyUsd !== 0).map((l) => ({ label: `${c.name}: ${l.name}`, delta: l.deltaMonthlyUsd, reason: l.reason })));
  // the biggest changes get a bar each; the rest (and sub-cent ones) one bar, so the walk still ends on this total
  const big = all.filter((c) => Math.abs(c.delta) >= 0.005);
  const keep = new Set([...big].sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta)).slice(0, big.length > WATERFALL_STEPS ? WATERFALL_STEPS - 1 : WATERFALL_STEPS));
  const rest = all.filter((c) => !keep.has(c));
  const changes = all.filter((c) => keep.has(c));
  if (rest.length) {
    changes.push({ label: `${rest.length} smaller change${rest.length > 1 ? "s" : ""}`, delta: rest.reduce((s, c) => s + c.delta, 0), reason: rest.map((c) => `${c.label} ${signed(c.delta)}`).join("; ") });
  }
  const values: object[] = [{ order: 0, step: "base branch", start: 0, end: cmp.otherOptimizedMonthlyUsd, right: cmp.otherOptimizedMonthlyUsd, kind: "total", label: money(cmp.otherOptimizedMonthlyUsd), tip: `base branch (${cmp.other}): ${money(cmp.otherOptimizedMonthlyUsd)}/month` }];
  let run = cmp.otherOptimizedMonthlyUsd;
  changes.forEach((c, i) => {
    values.push({ order: i + 1, step: c.label, start: run, end: run + c.delta, right: Math.max(run, run + c.delta), kind: c.delta > 0 ? "more" : "less", label: signed(c.delta), tip: `${c.label}: ${signed(c.delta)}/month. ${c.reason}` });
    run += c.delta;
  });
  values.push({ order: changes.length + 1, step: "this branch", start: 0, end: e.optimizedMonthlyUsd, right: e.optimizedMonthlyUsd, kind: "total", label: money(e.optimizedMonthlyUsd), tip: `this branch: ${money(e.optimizedMonthlyUsd)}/month (${signed(cmp.deltaMonthlyUsd)})` });
  return {
    name: "waterfall",
    title: `What this change does to the monthly bill: ${signed(cmp.deltaMonthlyUsd)}`,
    caption: `From the base branch's optimised total to this branch's, one bar per line item that changed (red adds cost, green removes it). ${changes.length === 0 ? "No line changed." : "Hover a bar for the line's reason."}`,
    points: values.length,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      width: 560,
      height: { step: 24 },
      data: { values },
      encoding: { y: { field: "step", type: "nominal", sort: values.map((v: any) => v.step), title: null } },
      layer: [
        {
          mark: { type: "bar", height: { band: 0.75 } },
          encoding: {
            x: { field: "start", type: "quantitative", title: "USD per month", axis: { format: "$,.0f" } },
            x2: { field: "end" },
            color: { field: "kind", type: "nominal", title: null, scale: { domain: ["total", "more", "less"], range: ["#4a5568", "#c53030", "#2f855a"] } },
            description: { field: "tip" },
          },
        },
        { mark: { type: "text", align: "left", dx: 4, fontSize: 10, color: "#2d3748" }, encoding: { x: { field: "right", type: "quantitative" }, text: { field: "label" } } },
      ],
    },
  };
}

export function charts(e: Estimate, cmp?: Comparison): Chart[] {
  const out: Chart[] = [];
  if (cmp) out.push(waterfallChart(cmp, e));
  out.push(componentsChart(e));
  if (e.week) out.push(weekChart(e.week));
  out.push(...storageCharts(e));
  return out;
}

const CSS = `
:root { color-scheme: light; }
body { font-family: ${FONT}; margin: 0; background: #f7fafc; color: #1a202c; }
header { background: #1a365d; color: white; padding: 20px 32px; }
header h1 { margin: 0 0 4px; font-size: 22px; font-weight: 600; }
header p { margin: 0; opacity: 0.85; font-size: 13px; }
main { padding: 20px 32px 40px; max-width: 1180px; }
.cards { display: flex; gap: 16px; flex-wrap: wrap; margin-bottom: 20px; }
.card { background: white; border: 1px solid #e2e8f0; border-radius: 6px; padding: 12px 18px; min-width: 170px; }
.card .k { font-size: 12px; color: #4a5568; }
.card .v { font-size: 24px; font-weight: 600; margin-top: 2px; }
.card.good .v { color: #2f855a; }
.card.bad .v { color: #c53030; }
figure { background: white; border: 1px solid #e2e8f0; border-radius: 6px; margin: 0 0 20px; padding: 14px 18px; }
figure h2 { font-size: 15px; margin: 0 0 4px; font-weight: 600; }
figcaption { font-size: 12px; color: #4a5568; margin-bottom: 10px; max-width: 900px; }
figure svg { max-width: 100%; height: auto; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 0 20px; }
table { border-collapse: collapse; width: 100%; font-size: 12px; background: white; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid #edf2f7; vertical-align: top; }
td.n, th.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.component td { font-weight: 600; background: #f7fafc; }
td.reason { color: #4a5568; }
details { background: white; border: 1px solid #e2e8f0; border-radius: 6px; padding: 10px 18px; margin-bottom: 20px; }
summary { cursor: pointer; font-weight: 600; font-size: 14px; }
.warn { background: #fffaf0; border: 1px solid #f6ad55; border-radius: 6px; padding: 8px 14px; font-size: 12px; margin-bottom: 16px; }
.note { font-size: 12px; color: #4a5568; margin: 0 0 20px; }
footer { font-size: 11px; color: #718096; margin-top: 24px; }
`;

function linesTable(e: Estimate): string {
  const rows: string[] = [];
  for (const c of e.components) {
    rows.push(`<tr class="component"><td colspan="2">${esc(c.name)}</td><td class="n">${money(c.baselineMonthlyUsd)}</td><td class="n">${money(c.optimizedMonthlyUsd)}</td><td class="n">${c.savingsPercent.toFixed(1)}%</td></tr>`);
    for (const l of c.lines.optimized) {
      const b = c.lines.baseline.find((x) => x.name === l.name);
      rows.push(
        `<tr><td>${esc(l.name)}</td><td class="reason">${esc(l.reason)}</td><td class="n">${b ? money(b.monthlyUsd) : "–"}</td><td class="n">${money(l.monthlyUsd)}</td><td class="n">${sig(l.quantity)} ${esc(l.unit)} × $${sig(l.unitPriceUsd)}</td></tr>`,
      );
    }
    for (const b of c.lines.baseline.filter((x) => !c.lines.optimized.some((l) => l.name === x.name))) {
      rows.push(`<tr><td>${esc(b.name)} <em>(baseline only)</em></td><td class="reason">${esc(b.reason)}</td><td class="n">${money(b.monthlyUsd)}</td><td class="n">–</td><td class="n">${sig(b.quantity)} ${esc(b.unit)} × $${sig(b.unitPriceUsd)}</td></tr>`);
    }
  }
  return `<table><thead><tr><th>line</th><th>why (optimised)</th><th class="n">baseline/mo</th><th class="n">optimised/mo</th><th class="n">quantity × price</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
}

export interface HtmlOptions {
  /** printed in the footer: what wrote the page @default "npm run cost -- estimate" */
  readonly command?: string;
}

export function toHtml(e: Estimate, cmp?: Comparison, o: HtmlOptions = {}): string {
  const list = charts(e, cmp);
  const svgs = renderCharts(list.map((c) => c.spec));
  const figure = (c: Chart, i: number) =>
    `<figure data-chart="${c.name}" data-points="${c.points}"><h2>${esc(c.title)}</h2><figcaption>${esc(c.caption)}</figcaption>${svgs[i]}</figure>`;
  const storage = list.map((c, i) => (c.name === "storage" ? figure(c, i) : "")).join("");
  const others = list.map((c, i) => (c.name !== "storage" ? figure(c, i) : "")).join("");
  const cards = [
    `<div class="card"><div class="k">baseline</div><div class="v">${money(e.baselineMonthlyUsd)}</div></div>`,
    `<div class="card good"><div class="k">optimised</div><div class="v">${money(e.optimizedMonthlyUsd)}</div></div>`,
    `<div class="card good"><div class="k">saved</div><div class="v">${e.savingsPercent.toFixed(1)}%</div></div>`,
    ...(cmp
      ? [`<div class="card ${cmp.deltaMonthlyUsd > 0.005 ? "bad" : "good"}"><div class="k">this change</div><div class="v">${signed(cmp.deltaMonthlyUsd)}</div></div>`]
      : []),
  ];
  const warnings = e.warnings.map((w) => `<div class="warn">⚠ ${esc(w)}</div>`).join("");
  const noWeek = e.week ? "" : `<p class="note">No week strip: no schedule switches any part of ${esc(e.env)}; everything priced runs 24/7.</p>`;
  const title = `Cost estimate: ${e.env}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${esc(title)} (${esc(e.region)})</h1><p>USD per month · prices of ${esc(e.priceTable.date)} · storage averaged over ${e.horizonMonths} months · as of ${esc(e.asOf)} · stacks ${esc(e.stacks.join(", ") || "none")}${cmp ? ` · compared with ${esc(cmp.other)}` : ""}</p></header>
<main>
<div class="cards">${cards.join("")}</div>
${warnings}
${others}
${noWeek}
${storage ? `<div class="grid">${storage}</div>` : ""}
<details open><summary>Every line and why</summary>${linesTable(e)}</details>
<details><summary>Assumptions</summary>${e.components.map((c) => `<p><strong>${esc(c.name)}</strong></p><ul>${c.assumptions.map((a) => `<li>${esc(a)}</li>`).join("")}</ul>`).join("")}</details>
<footer>Written by <code>${esc(o.command ?? "npm run cost -- estimate")}</code>. Prices: ${esc(e.priceTable.region)}, ${esc(e.priceTable.date)} (${esc(e.priceTable.source)}). The page loads nothing: the charts are SVG drawn when it was written (Vega-Lite).</footer>
</main>
</body>
</html>
`;
}
