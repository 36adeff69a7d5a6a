/**
 * `npm run policy:exceptions`: prints the enforced policy rules and the reviewed exception list
 * (rule id, resource, environments, reason). `--format json` for machines.
 */
import { POLICY_EXCEPTIONS } from "../modules/policy/exceptions";
import { RULES } from "../modules/policy/rules";

export function renderPolicy(format: "table" | "json" = "table"): string {
  if (format === "json") {
    return JSON.stringify(
      { rules: RULES.map((r) => ({ id: r.id, aliases: r.aliases, description: r.description })), exceptions: POLICY_EXCEPTIONS },
      null,
      2,
    );
  }
  const lines = [`Enforced rules (${RULES.length}):`];
  for (const r of RULES) lines.push(`  ${r.id.padEnd(22)} ${r.description}${r.aliases.length ? ` [${r.aliases.join(", ")}]` : ""}`);
  lines.push("", `Exceptions (${POLICY_EXCEPTIONS.length}):`);
  for (const e of POLICY_EXCEPTIONS) {
    lines.push(`  ${e.ruleId.padEnd(12)} ${e.resource}${e.environments ? ` (${e.environments.join(", ")})` : ""}`, `  ${"".padEnd(12)} ${e.reason}`);
  }
  return lines.join("\n");
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const i = args.indexOf("--format");
  const format = i >= 0 ? args[i + 1] : "table";
  if (format !== "table" && format !== "json") {
    process.stderr.write(`--format must be table or json, got ${format}\n`);
    process.exit(2);
  }
  process.stdout.write(renderPolicy(format) + "\n");
}
