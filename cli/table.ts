/**
 * Plain-text tables for the CLIs, one definition: cli-table3 without borders or colours (the
 * output goes to CI logs and is grepped), columns two spaces apart, no trailing spaces. The
 * library measures each cell's display width (wide characters, ANSI codes), which the
 * hand-written padEnd it replaced got wrong.
 */
import Table from "cli-table3";

const NO_BORDER = {
  top: "", "top-mid": "", "top-left": "", "top-right": "",
  bottom: "", "bottom-mid": "", "bottom-left": "", "bottom-right": "",
  left: "", "left-mid": "", mid: "", "mid-mid": "", right: "", "right-mid": "",
  middle: "  ",
};

export function formatTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const t = new Table({ head: [...head], chars: NO_BORDER, style: { head: [], border: [], "padding-left": 0, "padding-right": 0 } });
  for (const r of rows) t.push(head.map((_, i) => r[i] ?? ""));
  return t
    .toString()
    .split("\n")
    .map((l) => l.trimEnd())
    .join("\n");
}
