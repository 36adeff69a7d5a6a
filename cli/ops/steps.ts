/** Step runner shared by teardown and restore: numbered progress, done / skipped / failed, timing. */
import { OpsContext, OpsError } from "./context";
import { errorLine } from "../../lambda/shared/errors";
import { StepReport, StepStatus } from "./plan";
import { formatTable } from "../table";
import type { Interrupts } from "./signals";

export interface StepOutcome {
  readonly status: StepStatus;
  readonly detail: string;
}

export class StepRunner {
  readonly reports: StepReport[] = [];
  private n = 0;

  constructor(private readonly ctx: OpsContext, private readonly total: number, private readonly interrupts?: Interrupts) {}

  /**
   * Runs one step; an exception is that step's "failed" (an OpsError message is kept as is).
   * After a signal no step starts: it is reported skipped.
   */
  async run(step: string, fn: () => Promise<StepOutcome>): Promise<StepReport> {
    if (this.interrupts?.requested) {
      this.skip(step, `interrupted by ${this.interrupts.requested}`);
      return this.reports[this.reports.length - 1];
    }
    this.n++;
    this.ctx.log(`[${this.n}/${this.total}] ${step} ...`);
    const t0 = Date.now();
    let outcome: StepOutcome;
    try {
      outcome = await fn();
    } catch (err) {
      outcome = { status: "failed", detail: err instanceof OpsError ? err.message : errorLine(err) };
    }
    const report: StepReport = { step, ...outcome, durationMs: Date.now() - t0 };
    this.ctx.log(`      ${report.status}: ${report.detail} (${(report.durationMs / 1000).toFixed(1)} s)`);
    this.reports.push(report);
    return report;
  }

  skip(step: string, detail: string): void {
    this.n++;
    this.ctx.log(`[${this.n}/${this.total}] ${step}: skipped (${detail})`);
    this.reports.push({ step, status: "skipped", detail, durationMs: 0 });
  }

  /** "complete", "INTERRUPTED by SIGTERM" or "FAILED": the run's one-word verdict for its summary. */
  get verdict(): string {
    return this.interrupts?.requested ? `INTERRUPTED by ${this.interrupts.requested}` : this.failed ? "FAILED" : "complete";
  }

  get failed(): boolean {
    return this.reports.some((r) => r.status === "failed");
  }

  summary(title: string): string {
    return `${title}\n${formatTable(
      ["STEP", "STATUS", "SECONDS", "DETAIL"],
      this.reports.map((r) => [r.step, r.status, (r.durationMs / 1000).toFixed(1), r.detail]),
    )}`;
  }
}
