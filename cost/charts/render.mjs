// Renders Vega-Lite specs to static SVG: stdin is a JSON array of specs, stdout a JSON array of
// SVG strings, in order. A separate ES module because Vega 6 is ESM-only with a top-level await
// (its optional node-canvas import), which neither the CommonJS CLI nor jest's transform can
// require(); cost/charts.ts runs this file with the same node.
//
// Vega writes each mark's `description` as aria-label; browsers do not show that on hover, so
// every mark that has one also gets an SVG <title> (hover text) with the same words.
import * as vega from "vega";
import * as vl from "vega-lite";

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const specs = JSON.parse(Buffer.concat(chunks).toString("utf8"));

const MARK = /<(path|rect|circle|line|text)( aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="[^"]*"[^>]*?)\/>/g;

const out = [];
for (const spec of specs) {
  const compiled = vl.compile(spec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Warn });
  const svg = await view.toSVG();
  view.finalize();
  out.push(svg.replace(MARK, (_m, tag, attrs, label) => `<${tag}${attrs}><title>${label}</title></${tag}>`));
}
process.stdout.write(JSON.stringify(out));
