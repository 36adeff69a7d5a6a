/** The scan's outputs: a terminal listing, JSON for machines, SARIF 2.1.0 for GitHub code scanning. */
import * as fs from "fs";
import * as path from "path";
import { TfStack } from "../terraform";
import { claimedChecks, Result } from "./evaluate";
import { Subject } from "./rule";

export const FORMATS = ["text", "json", "sarif"] as const;
export type Format = (typeof FORMATS)[number];

const TOOL = "retail-forecast-policy";

/** The file and line a subject is written at (the stack's file(s); line 1 when it cannot be found). */
export function locate(subject: Subject, cwd = process.cwd()): { file?: string; line: number } {
  const files = subject.stack.files;
  const [kind, type, name] = subject.address.startsWith("data.") ? ["data", ...subject.address.slice(5).split(".")] : ["resource", ...subject.address.split(".")];
  for (const f of files) {
    let text: string;
    try {
      text = fs.readFileSync(f, "utf8");
    } catch {
      continue;
    }
    const rel = path.relative(cwd, f).split(path.sep).join("/");
    let at = -1;
    if (f.endsWith(".tf")) at = text.search(new RegExp(`${kind}\\s+"${type}"\\s+"${name}"`));
    else if (name !== undefined) {
      const t = text.indexOf(`"${type}": {`, Math.max(0, text.indexOf(`"${kind}": {`)));
      at = t < 0 ? -1 : text.indexOf(`"${name}": {`, t);
    }
    if (at >= 0) return { file: rel, line: text.slice(0, at).split("\n").length };
  }
  return { file: files[0] ? path.relative(cwd, files[0]).split(path.sep).join("/") : undefined, line: 1 };
}

export interface ScanReport {
  readonly target: string;
  readonly results: readonly Result[];
  /** Stacks whose environment is unknown (no --env, no environment prefix). */
  readonly unknownEnv: readonly TfStack[];
}

export const failing = (rs: readonly Result[]) => rs.filter((r) => !r.excepted);

export function toText(rep: ScanReport): string {
  const bad = failing(rep.results);
  const lines = bad.map((r) => `${r.id.padEnd(26)} ${r.subject.stack.name}:${r.subject.address}${r.subject.path.endsWith(r.subject.address) ? "" : ` (${r.subject.path})`}\n${"".padEnd(27)}${r.message}`);
  const undecided = bad.filter((r) => r.undecided).length;
  const excepted = rep.results.length - bad.length;
  lines.push(
    bad.length
      ? `${bad.length} finding${bad.length === 1 ? "" : "s"} fail${bad.length === 1 ? "s" : ""} policy${undecided ? ` (${undecided} cannot decide)` : ""}; ${excepted} excepted (npm run policy -- exceptions)`
      : `policy: clean (${excepted} excepted findings; npm run policy -- exceptions)`,
  );
  return lines.join("\n") + "\n";
}

export function toJson(rep: ScanReport): string {
  return (
    JSON.stringify(
      {
        target: rep.target,
        unknownEnvironmentStacks: rep.unknownEnv.map((s) => s.name),
        findings: rep.results.map((r) => ({
          id: r.id,
          stack: r.subject.stack.name,
          address: r.subject.address,
          path: r.subject.path,
          ...locate(r.subject),
          message: r.message,
          undecided: !!r.undecided,
          excepted: r.excepted ? { reason: r.excepted.reason, resource: r.excepted.resource } : null,
        })),
        summary: { failing: failing(rep.results).length, undecided: failing(rep.results).filter((r) => r.undecided).length, excepted: rep.results.filter((r) => r.excepted).length },
      },
      null,
      2,
    ) + "\n"
  );
}

/**
 * SARIF 2.1.0, as GitHub code scanning ingests it: one run, the claimed checks as the driver's
 * rules, each unexcepted finding as a result with a physical location (the stack file and the
 * resource's line) and the Terraform address as logical location. Excepted findings are left
 * out, as the scanners leave out skipped checks.
 */
export function toSarif(rep: ScanReport): string {
  const checks = claimedChecks();
  const ruleIndex = new Map(checks.map((c, i) => [c.id, i]));
  const results = failing(rep.results).map((r) => {
    const loc = locate(r.subject);
    return {
      ruleId: r.id,
      ruleIndex: ruleIndex.get(r.id),
      level: "error",
      message: { text: `${r.subject.stack.name}:${r.subject.address}: ${r.message}` },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: loc.file ?? `${r.subject.stack.name}`, uriBaseId: "%SRCROOT%" }, region: { startLine: loc.line } },
          logicalLocations: [{ fullyQualifiedName: `${r.subject.stack.name}/${r.subject.address}`, kind: "resource" }],
        },
      ],
      properties: { constructPath: r.subject.path, undecided: !!r.undecided },
    };
  });
  const sarif = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: TOOL,
            rules: checks.map((c) => ({
              id: c.id,
              name: c.rule.name,
              shortDescription: { text: c.check.meaning.length > 120 ? `${c.check.meaning.slice(0, 117)}...` : c.check.meaning },
              fullDescription: { text: c.check.differs ? `${c.check.meaning}. Differs: ${c.check.differs}` : c.check.meaning },
              defaultConfiguration: { level: "error" },
              properties: { tags: ["security", "terraform"], ...(c.check.same ? { same: c.check.same } : {}) },
            })),
          },
        },
        originalUriBaseIds: { "%SRCROOT%": { uri: `file://${process.cwd().split(path.sep).join("/")}/` } },
        results,
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + "\n";
}
