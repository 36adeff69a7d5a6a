/**
 * npm run policy -- scan <dir|file> [--env <name>] [--format text|json|sarif]
 * npm run policy -- exceptions [--format table|json]
 * npm run policy -- skips --format checkov|trivy
 *
 * scan checks any Terraform (a cdktf.out, one stack's directory, a directory of *.tf.json / *.tf,
 * one file) against every rule and the exception list. Exit 0 when clean, 1 on an unexcepted
 * finding ("cannot decide" included), 2 on bad input (flags, or input that is not Terraform).
 */
import { Command } from "commander";
import { loadTerraform, TerraformLoadError, TfStack } from "../terraform";
import { ENVIRONMENT_NAMES } from "../config/types";
import { claimedChecks, evaluate, inferEnvironment } from "./evaluate";
import { POLICY_EXCEPTIONS } from "./exceptions";
import { failing, Format, FORMATS, toJson, toSarif, toText } from "./format";
import { RULES } from "./rules";
import { renderSkips, SKIP_FORMATS, SkipFormat } from "./skips";

/** Bad flags or input: exit 2. */
export class UsageError extends Error {}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag}: '${value}' is not one of ${allowed.join(", ")}`);
  return value as T;
}

export function renderExceptions(format: "table" | "json" = "table"): string {
  const claimed = new Set(claimedChecks().map((c) => c.id));
  if (format === "json") {
    return JSON.stringify(
      {
        rules: RULES.map((r) => ({ name: r.name, checks: r.checks })),
        exceptions: POLICY_EXCEPTIONS.map((e) => ({ ...e, enforcedHere: claimed.has(e.ruleId) })),
      },
      null,
      2,
    );
  }
  const checks = claimedChecks();
  const lines = [`Rules (${RULES.length}) and the checks they claim (${checks.length}):`];
  for (const c of checks) lines.push(`  ${c.id.padEnd(26)} ${c.check.meaning}${c.check.same ? ` [same: ${c.check.same.join(", ")}]` : ""}${c.check.differs ? `\n  ${"".padEnd(26)} differs: ${c.check.differs}` : ""}`);
  lines.push("", `Exceptions (${POLICY_EXCEPTIONS.length}):`);
  for (const e of POLICY_EXCEPTIONS) {
    const where = claimed.has(e.ruleId) ? "waived here" : "not checked here; scanners skip it";
    lines.push(`  ${e.ruleId.padEnd(12)} ${e.resource}${e.environments ? ` (${e.environments.join(", ")})` : ""} [${where}]`, `  ${"".padEnd(12)} ${e.reason}`);
  }
  return lines.join("\n");
}

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command("policy")
    .description("Policy rules over Terraform: scan, the exception list, and the scanners' skip configuration")
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command("scan")
    .description("check Terraform JSON (or HCL) against every rule and the exception list")
    .argument("<target>", "cdktf.out, cdktf.out/stacks/<stack>, a directory of *.tf.json / *.tf, or one file")
    .option("--env <name>", `environment of every stack (default: inferred from the stack name prefix: ${ENVIRONMENT_NAMES.join(", ")})`)
    .option("--format <format>", `output: ${FORMATS.join(", ")}`, "text")
    .option("--as-of <date>", "judge dates (EKS support) as of YYYY-MM-DD (default: today)")
    .action(async (target: string, o: { env?: string; format: string; asOf?: string }) => {
      const format = oneOf<Format>("--format", o.format, FORMATS);
      if (o.env !== undefined && !/^[a-z][a-z0-9-]*$/.test(o.env)) throw new UsageError(`--env: '${o.env}' is not an environment name (lower-case letters, digits, '-'), e.g. ${ENVIRONMENT_NAMES.join(", ")}`);
      let asOf: Date | undefined;
      if (o.asOf !== undefined) {
        if (!/^\d{4}-\d{2}-\d{2}$/.test(o.asOf) || Number.isNaN(Date.parse(o.asOf))) throw new UsageError(`--as-of: expected a date YYYY-MM-DD, got '${o.asOf}'`);
        asOf = new Date(`${o.asOf}T00:00:00Z`);
      }
      let model;
      try {
        model = await loadTerraform(target);
      } catch (e) {
        if (e instanceof TerraformLoadError) throw new UsageError(e.message); // it names the file already
        throw e;
      }
      const unknownEnv: TfStack[] = o.env ? [] : model.stacks.filter((s) => !inferEnvironment(s.name));
      for (const s of unknownEnv) {
        io.err(`policy: environment of stack ${s.name} unknown (no --env, no ${ENVIRONMENT_NAMES.join("/")}- prefix): environment-scoped exceptions do not apply and RF_SPOT_OUTSIDE_PROD treats it as outside prod\n`);
      }
      const results = evaluate(model, { env: o.env, asOf });
      const rep = { target, results, unknownEnv };
      io.out(format === "json" ? toJson(rep) : format === "sarif" ? toSarif(rep) : toText(rep));
      setExit(failing(results).length ? 1 : 0);
    });

  program
    .command("exceptions")
    .description("the rules, the checks they claim, and the reviewed exception list")
    .option("--format <format>", "table or json", "table")
    .action((o: { format: string }) => {
      io.out(renderExceptions(oneOf("--format", o.format, ["table", "json"] as const)) + "\n");
    });

  program
    .command("skips")
    .description("the exception list as Checkov's .checkov.yaml or Trivy's .trivyignore.yaml")
    .requiredOption("--format <format>", SKIP_FORMATS.join(" or "))
    .action((o: { format: string }) => {
      io.out(renderSkips(oneOf<SkipFormat>("--format", o.format, SKIP_FORMATS)));
    });
  return program;
}

export async function main(argv: string[], io: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Promise<number> {
  let code = 0;
  const program = buildProgram(io, (c) => (code = c));
  try {
    await program.parseAsync(argv, { from: "user" });
    return code;
  } catch (err: any) {
    // commander printed its own usage errors already
    if (err?.code?.startsWith?.("commander.")) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof UsageError) {
      io.err(`policy: error: ${err.message}\n`);
      return 2;
    }
    io.err(`policy: error: ${err?.message ?? err}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}

