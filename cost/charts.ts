/**
 * Vega-Lite specs to static SVG, drawn at build time so that the page needs no script and no
 * network when it is opened. The drawing runs in cost/charts/render.mjs (Vega is ESM-only); one
 * child process draws every chart of a page.
 */
import { execFileSync } from "child_process";
import * as path from "path";

/** A Vega-Lite spec (https://vega.github.io/vega-lite/docs/spec.html); data inline. */
export type ChartSpec = Record<string, unknown>;

const RENDERER = path.join(__dirname, "charts", "render.mjs");

export function renderCharts(specs: readonly ChartSpec[]): string[] {
  if (specs.length === 0) return [];
  let out: string;
  try {
    out = execFileSync(process.execPath, [RENDERER], { input: JSON.stringify(specs), encoding: "utf8", maxBuffer: 64 * 1024 * 1024, stdio: ["pipe", "pipe", "pipe"] });
  } catch (e: any) {
    const why = String(e.stderr ?? e.message).trim().split("\n").find((l) => /Error/.test(l)) ?? String(e.message);
    throw new Error(`drawing the charts failed (node ${RENDERER}): ${why}`);
  }
  const svgs = JSON.parse(out) as string[];
  if (svgs.length !== specs.length) throw new Error(`drawing the charts: ${specs.length} specs gave ${svgs.length} SVGs`);
  return svgs;
}
