/**
 * npm run cost -- estimate --env dev [--out cdktf.out] [--usage <profile.json>] [--format table|markdown|json] [--compare <base cdktf.out>]
 * npm run cost -- report --env dev [--days 30] [--format table|markdown|json]
 *
 * estimate prices the synthesized stacks (no AWS call); report reads the live account
 * (Cost Explorer and the services' own APIs) with the default credential chain.
 */
import * as fs from "fs";
import { Command, Option } from "commander";
import { Comparison, compare, Format, FORMATS, toJson, toMarkdown, toTable } from "../cost/format";
import { checkEnv, estimateEnvironment } from "../cost/run";

function checkFormat(f: string): Format {
  if (!(FORMATS as readonly string[]).includes(f)) throw new Error(`--format: unknown format '${f}'; allowed: ${FORMATS.join(", ")}`);
  return f as Format;
}

function parseDate(s: string | undefined, flag: string): Date | undefined {
  if (s === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s))) throw new Error(`${flag}: expected a date YYYY-MM-DD, got '${s}'`);
  return new Date(`${s}T00:00:00Z`);
}

export function buildProgram(io: { out: (s: string) => void } = { out: (s) => process.stdout.write(s) }): Command {
  const program = new Command("cost").description("Cost estimate from the synthesized stacks, and the live cost report").exitOverride();

  program
    .command("estimate")
    .description("price an environment's synthesized stacks (cdktf.out) with its usage profile (cost/usage/<env>.json)")
    .requiredOption("--env <env>", "environment (dev, staging, prod, sandbox)")
    .option("--out <dir>", "cdktf output directory", "cdktf.out")
    .option("--usage <file>", "usage profile, keyed by the Terraform addresses of that synthesis (default: cost/usage/<env>.json)")
    .option("--format <format>", `output format: ${FORMATS.join(", ")}`, "table")
    .option("--compare <dir>", "another synthesis (e.g. the base branch's cdktf.out): print the monthly difference")
    .option("--as-of <date>", "estimate date YYYY-MM-DD (EKS support windows, schedule year)")
    .option("--verbose", "table: print every component's assumptions")
    .action((o: { env: string; out: string; usage?: string; format: string; compare?: string; asOf?: string; verbose?: boolean }) => {
      checkEnv(o.env);
      const format = checkFormat(o.format);
      const asOf = parseDate(o.asOf, "--as-of");
      if (o.usage !== undefined && !fs.existsSync(o.usage)) throw new Error(`--usage: ${o.usage} does not exist; expected a usage profile JSON file (like cost/usage/${o.env}.json)`);
      const e = estimateEnvironment({ env: o.env, outdir: o.out, asOf, usageFile: o.usage });
      let cmp: Comparison | undefined;
      if (o.compare) {
        // the profile names this synthesis's resources; the other one may lack some (what this change adds)
        const other = estimateEnvironment({ env: o.env, outdir: o.compare, asOf, allowEmpty: true, usageFile: o.usage, lenient: true });
        cmp = compare(e, other, o.compare);
      }
      if (format === "json") io.out(JSON.stringify(toJson(e, cmp), null, 2) + "\n");
      else if (format === "markdown") io.out(toMarkdown(e, cmp));
      else io.out(toTable(e, cmp, o.verbose));
    });

  program
    .command("report")
    .description("live costs from Cost Explorer (by service, by Project tag, daily trend) and recommendations from the account")
    .requiredOption("--env <env>", "environment (dev, staging, prod, sandbox)")
    .addOption(new Option("--days <n>", "days to look back").default("30"))
    .option("--format <format>", `output format: ${FORMATS.join(", ")}`, "table")
    .option("--old-image-days <n>", "ECR images older than this are reported", "90")
    .action(async (o: { env: string; days: string; format: string; oldImageDays: string }) => {
      const env = checkEnv(o.env);
      const format = checkFormat(o.format);
      const days = Number(o.days);
      if (!Number.isInteger(days) || days < 1 || days > 365) throw new Error(`--days: expected an integer 1-365, got '${o.days}'`);
      const oldImageDays = Number(o.oldImageDays);
      if (!/^\d+$/.test(o.oldImageDays) || oldImageDays < 1 || oldImageDays > 3650) throw new Error(`--old-image-days: expected an integer 1-3650, got '${o.oldImageDays}'`);
      const { costReport, reportToJson, reportToMarkdown, reportToTable } = await import("../cost/report");
      const emulatorEndpoint = env === "sandbox" ? process.env.SANDBOX_ENDPOINT || undefined : undefined;
      const r = await costReport({ env, days, oldImageDays, emulatorEndpoint });
      io.out(format === "json" ? JSON.stringify(reportToJson(r), null, 2) + "\n" : format === "markdown" ? reportToMarkdown(r) : reportToTable(r));
    });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (err: any) {
    // commander already printed its own usage errors
    if (err?.code?.startsWith?.("commander.")) return err.exitCode === 0 ? 0 : 2;
    process.stderr.write(`cost: error: ${err?.message ?? err}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => process.exit(code));
}
