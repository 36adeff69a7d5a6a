/**
 * npm run cost -- estimate --env dev [--synth cdktf.out] [--usage <profile.json>] [--format table|markdown|json|html] [--out <file>] [--compare <base cdktf.out>]
 * npm run cost -- report --env dev [--days 30] [--format table|markdown|json]
 *
 * estimate prices the synthesized stacks (no AWS call); report reads the live account
 * (Cost Explorer and the services' own APIs) with the default credential chain.
 */
import * as fs from "fs";
import * as path from "path";
import { Command, Option } from "commander";
import { Comparison, compare, FORMATS, toJson, toMarkdown, toTable } from "../cost/format";
import type { Estimate } from "../cost/estimate";
import { checkEnv, estimateEnvironment } from "../cost/run";
import { writeAtomic } from "../tools/write-atomic";

function checkFormat<F extends string = (typeof FORMATS)[number]>(f: string, allowed: readonly F[] = FORMATS as readonly string[] as readonly F[]): F {
  if (!(allowed as readonly string[]).includes(f)) throw new Error(`--format: unknown format '${f}'; allowed: ${allowed.join(", ")}`);
  return f as F;
}

/** --out: a file in a directory that exists (checked before any work, so a bad path costs nothing). */
function checkOutFile(file: string | undefined, format: string): string | undefined {
  if (file === undefined) {
    if (format === "html") throw new Error("--format html: needs --out <file.html>, the page to write (it is not printed to the terminal)");
    return undefined;
  }
  const dir = path.dirname(path.resolve(file));
  if (fs.existsSync(file) && fs.statSync(file).isDirectory()) {
    throw new Error(`--out: ${file} is a directory; expected the file to write (the synthesis to price is --synth <dir>, default cdktf.out)`);
  }
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new Error(`--out: directory ${dir} does not exist; expected a file path in an existing directory`);
  return file;
}

/** --compare: a cdktf output directory (its stacks/ may lack this environment: a base branch before it existed). */
function checkCompareDir(dir: string): void {
  if (!fs.existsSync(path.join(dir, "stacks"))) {
    throw new Error(`--compare: ${dir} has no synthesized stacks (no ${path.join(dir, "stacks")}); expected a cdktf output directory, e.g. the base branch's cdktf.out after \`npx cdktf synth\``);
  }
}

function parseDate(s: string | undefined, flag: string): Date | undefined {
  if (s === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s) || Number.isNaN(Date.parse(s))) throw new Error(`${flag}: expected a date YYYY-MM-DD, got '${s}'`);
  return new Date(`${s}T00:00:00Z`);
}

const REPORT_FORMATS = ["table", "markdown", "json"] as const;

export function buildProgram(io: { out: (s: string) => void } = { out: (s) => process.stdout.write(s) }): Command {
  const program = new Command("cost").description("Cost estimate from the synthesized stacks, and the live cost report").exitOverride();

  program
    .command("estimate")
    .description("price an environment's synthesized stacks (cdktf.out) with its usage profile (cost/usage/<env>.json)")
    .requiredOption("--env <env>", "environment (dev, staging, prod, sandbox)")
    .option("--synth <dir>", "cdktf output directory to price", "cdktf.out")
    .option("--usage <file>", "usage profile, keyed by the Terraform addresses of that synthesis (default: cost/usage/<env>.json)")
    .option("--format <format>", `output format: ${FORMATS.join(", ")}`, "table")
    .option("--out <file>", "write to this file (through a temporary file and a rename) instead of stdout; required by --format html")
    .option("--compare <dir>", "another synthesis (e.g. the base branch's cdktf.out): print the monthly difference")
    .option("--as-of <date>", "estimate date YYYY-MM-DD (EKS support windows, schedule year)")
    .option("--verbose", "table: print every component's assumptions")
    .action(async (o: { env: string; synth: string; out?: string; usage?: string; format: string; compare?: string; asOf?: string; verbose?: boolean }) => {
      checkEnv(o.env);
      const format = checkFormat(o.format);
      const outFile = checkOutFile(o.out, format);
      const asOf = parseDate(o.asOf, "--as-of");
      if (o.usage !== undefined && !fs.existsSync(o.usage)) throw new Error(`--usage: ${o.usage} does not exist; expected a usage profile JSON file (like cost/usage/${o.env}.json)`);
      if (o.compare) checkCompareDir(o.compare);
      const e = estimateEnvironment({ env: o.env, outdir: o.synth, asOf, usageFile: o.usage });
      let cmp: Comparison | undefined;
      if (o.compare) {
        // the profile names this synthesis's resources; the other one may lack some (what this change adds)
        const other = estimateEnvironment({ env: o.env, outdir: o.compare, asOf, allowEmpty: true, usageFile: o.usage, lenient: true });
        cmp = compare(e, other, o.compare);
      }
      let text: string;
      if (format === "json") text = JSON.stringify(toJson(e, cmp), null, 2) + "\n";
      else if (format === "markdown") text = toMarkdown(e, cmp);
      else if (format === "html") text = (await import("../cost/html")).toHtml(e, cmp, { command: `npm run cost -- estimate --env ${o.env}${o.compare ? " --compare <base>" : ""} --format html` });
      else text = toTable(e, cmp, o.verbose);
      if (outFile === undefined) io.out(text);
      else {
        writeAtomic(outFile, text);
        process.stderr.write(`cost: wrote ${outFile} (${(Buffer.byteLength(text) / 1024).toFixed(0)} KB)\n`);
      }
    });

  program
    .command("report")
    .description("live costs from Cost Explorer (by service, by Project tag, daily trend), the last full month beside the estimate per service, and recommendations from the account")
    .requiredOption("--env <env>", "environment (dev, staging, prod, sandbox)")
    .addOption(new Option("--days <n>", "days to look back").default("30"))
    .option("--format <format>", `output format: ${REPORT_FORMATS.join(", ")}`, "table")
    .option("--old-image-days <n>", "ECR images older than this are reported", "90")
    .option("--synth <dir>", "cdktf output directory the estimate is priced from", "cdktf.out")
    .option("--usage <file>", "usage profile of that synthesis (default: cost/usage/<env>.json)")
    .option("--threshold <percent>", "flag a service this many percent over its estimate", "20")
    .action(async (o: { env: string; days: string; format: string; oldImageDays: string; synth: string; usage?: string; threshold: string }) => {
      const env = checkEnv(o.env);
      const format = checkFormat(o.format, REPORT_FORMATS);
      const days = Number(o.days);
      if (!Number.isInteger(days) || days < 1 || days > 365) throw new Error(`--days: expected an integer 1-365, got '${o.days}'`);
      const oldImageDays = Number(o.oldImageDays);
      if (!/^\d+$/.test(o.oldImageDays) || oldImageDays < 1 || oldImageDays > 3650) throw new Error(`--old-image-days: expected an integer 1-3650, got '${o.oldImageDays}'`);
      const thresholdPercent = Number(o.threshold);
      if (!Number.isFinite(thresholdPercent) || thresholdPercent < 0) throw new Error(`--threshold: expected a percentage >= 0, got '${o.threshold}'`);
      if (o.usage !== undefined && !fs.existsSync(o.usage)) throw new Error(`--usage: ${o.usage} does not exist; expected a usage profile JSON file (like cost/usage/${o.env}.json)`);
      // the comparison needs the estimate; without a synthesis the rest of the report still runs
      let estimate: Estimate | undefined;
      let estimateError: string | undefined;
      try {
        estimate = estimateEnvironment({ env, outdir: o.synth, usageFile: o.usage });
      } catch (err) {
        estimateError = `${(err as Error)?.message ?? err} (the realized-against-estimated section needs it)`;
      }
      const { costReport, reportToJson, reportToMarkdown, reportToTable } = await import("../cost/report");
      const emulatorEndpoint = env === "sandbox" ? process.env.SANDBOX_ENDPOINT || undefined : undefined;
      const r = await costReport({ env, days, oldImageDays, emulatorEndpoint, estimate, estimateError, thresholdPercent });
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
