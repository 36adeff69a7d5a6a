/**
 * SIGINT, SIGTERM and SIGHUP during a teardown or restore. The default (die at once) would kill
 * cdktf and Terraform mid-destroy: state not saved, the S3 lock left behind. Instead the first
 * signal is recorded and passed to the running cdktf (tools/cdktf.ts), which passes it to
 * Terraform; the run stops at the next safe point (the step in flight ends, no new step
 * starts), says what was interrupted and how to resume, and exits 130 / 143.
 */
import type { Log } from "./context";

const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
export type StopSignal = (typeof SIGNALS)[number];

export class InterruptedError extends Error {
  name = "InterruptedError";
  constructor(readonly signal: StopSignal, message: string) {
    super(message);
  }
}

export class Interrupts {
  private readonly controller = new AbortController();
  private received?: StopSignal;
  private count = 0;

  /** Aborted on the first signal: hand it to whatever runs a child process. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get requested(): StopSignal | undefined {
    return this.received;
  }

  /** Exit code by shell convention: 128 + signal number. */
  get exitCode(): number {
    return this.received === "SIGINT" ? 130 : this.received === "SIGHUP" ? 129 : 143;
  }

  /** Simulates a signal (tests, and the same path for real ones). */
  trigger(sig: StopSignal, log: Log): void {
    this.count++;
    if (!this.received) {
      this.received = sig;
      log(`${sig} received: the step in flight finishes safely (a running cdktf/Terraform gets the signal, saves its state and releases its lock), no new step starts`);
      this.controller.abort();
    } else {
      log(`${sig} received again (${this.count}): still waiting for the step in flight to stop cleanly; SIGKILL would leave Terraform's state and lock behind`);
    }
  }

  /** Throws InterruptedError at a safe point once a signal came. */
  check(where: string): void {
    if (this.received) throw new InterruptedError(this.received, `interrupted by ${this.received} before ${where}`);
  }

  /** Installs the handlers for the duration of a run; returns the uninstaller. */
  install(log: Log): () => void {
    const handlers = SIGNALS.map((sig) => [sig, () => this.trigger(sig, log)] as const);
    for (const [sig, h] of handlers) process.on(sig, h);
    return () => {
      for (const [sig, h] of handlers) process.off(sig, h);
    };
  }
}
