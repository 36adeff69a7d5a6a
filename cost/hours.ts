/**
 * The schedules of the stacks, read from the Terraform model, and what they mean for cost:
 * running hours of what the scheduler switches off (node groups, endpoints) and firings of
 * what fires (training rules, the scheduler's own invocations). One instance per estimate; it
 * memoises hours per schedule tag and firings per resource.
 *
 * A schedule acts on tag value T when its target is a function whose SCHEDULE_NAME is T (or
 * cannot be read), and its input is {"action":"stop"} or {"action":"start"}. A resource tagged
 * Schedule=T (not AutoStop=false) runs between those firings, evaluated over a calendar year in
 * each schedule's timezone.
 */
import { TerraformModel, TfResource, literal } from "../terraform";
import { activeFirings, Calendar, firings, memo, parseCron, runningTime, ScheduleEvent } from "./schedule";

/** What the scheduler Lambda stops and starts by tag (DESIGN.md, scheduler contract); EventBridge rules are paused, not stopped. */
export const SWITCHED_TYPES: readonly string[] = ["aws_eks_node_group", "aws_sagemaker_endpoint"];

export interface Hours {
  /** running hours per month */
  readonly value: number;
  /** one line: the hours and where they came from */
  readonly reason: string;
  /** the same, with the schedules written out (the component's assumptions) */
  readonly note: string;
  /** what switches it: the events, for a week view; none when it runs 24/7 */
  readonly events: readonly ScheduleEvent[];
}

export interface ScheduleDef {
  readonly resource: TfResource;
  readonly name: string;
  readonly action: string;
  readonly enabled: boolean;
  readonly expression: string;
  readonly timezone: string;
  /** SCHEDULE_NAME of the target function; undefined when it cannot be resolved */
  readonly scheduleTag?: string;
  /** the resource the schedule invokes, when it resolves in the model */
  readonly target?: TfResource;
  /** the target as written (an ARN or an expression) */
  readonly targetArn?: unknown;
}

export interface Firings {
  /** firings per month (a year's firings / 12) */
  readonly perMonth: number;
  readonly name: string;
  readonly expression: string;
  readonly timezone: string;
  readonly enabled: boolean;
  /** the Schedule tag whose stop/start pause it, when they do */
  readonly pausedBy?: string;
  /** one line */
  readonly reason: string;
}

const pct = (n: number) => `${(n * 100).toFixed(0)}%`;

function parseInput(input: unknown): Readonly<Record<string, unknown>> | undefined {
  if (input && typeof input === "object" && !Array.isArray(input)) return input as Record<string, unknown>;
  if (typeof input !== "string") return undefined;
  try {
    const v: unknown = JSON.parse(input);
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const isCron = (expression: string) => expression.startsWith("cron(");

export function ruleEnabled(rule: TfResource): boolean {
  return rule.attrs.state !== undefined ? rule.attrs.state === "ENABLED" : rule.attrs.is_enabled !== false;
}

export class ScheduleModel {
  readonly schedules: readonly ScheduleDef[];
  private readonly byTag = new Map<string, Hours>();
  private readonly fired = new Map<TfResource, Firings>();

  constructor(
    private readonly model: TerraformModel,
    readonly year: number,
    private readonly hoursPerMonth: number,
    private readonly calendar: Calendar,
    private readonly warn: (message: string) => void,
  ) {
    this.schedules = this.read();
  }

  private scheduleTagOf(fn: TfResource | undefined): string | undefined {
    if (!fn || fn.type !== "aws_lambda_function") return undefined;
    return literal(fn.block("environment")?.variables?.SCHEDULE_NAME);
  }

  /** EventBridge Scheduler schedules, and EventBridge rules through their targets. */
  private read(): ScheduleDef[] {
    const out: ScheduleDef[] = [];
    for (const r of this.model.ofType("aws_scheduler_schedule")) {
      const target = r.block("target");
      const fn = this.model.resolve(target?.arn, r);
      out.push({
        resource: r,
        name: this.model.label(r, "name"),
        action: String(parseInput(target?.input)?.action ?? "unknown"),
        enabled: (r.attrs.state ?? "ENABLED") === "ENABLED",
        expression: String(r.attrs.schedule_expression ?? ""),
        timezone: r.str("schedule_expression_timezone") ?? "UTC",
        scheduleTag: this.scheduleTagOf(fn),
        target: fn,
        targetArn: target?.arn,
      });
    }
    // EventBridge rules with a schedule and a target carrying an {action} input
    for (const t of this.model.ofType("aws_cloudwatch_event_target")) {
      const rule = this.model.resolve(t.attrs.rule, t, ["aws_cloudwatch_event_rule"]);
      const input = parseInput(t.attrs.input);
      if (!rule || rule.type !== "aws_cloudwatch_event_rule" || !input?.action) continue;
      const fn = this.model.resolve(t.attrs.arn, t);
      out.push({
        resource: rule,
        name: this.model.label(rule, "name"),
        action: String(input.action),
        enabled: ruleEnabled(rule),
        expression: String(rule.attrs.schedule_expression ?? ""),
        timezone: "UTC",
        scheduleTag: this.scheduleTagOf(fn),
        target: fn,
        targetArn: t.attrs.arn,
      });
    }
    return out;
  }

  /** Stop/start schedules that act on tag value `tag`. */
  private switches(tag: string): ScheduleDef[] {
    return this.schedules.filter((s) => (s.action === "stop" || s.action === "start") && (s.scheduleTag === undefined || s.scheduleTag === tag));
  }

  /** The enabled cron stop/start events that act on `tag`. */
  switchEvents(tag: string): ScheduleEvent[] {
    return this.switches(tag)
      .filter((s) => s.enabled && isCron(s.expression))
      .map((s) => ({ action: s.action as "stop" | "start", cron: parseCron(s.expression), timezone: s.timezone }));
  }

  /** The Schedule tag the scheduler acts on `r` by, unless AutoStop=false protects it. */
  private tagOf(r: TfResource): { tag?: string; protectedBy?: string } {
    const tags = this.model.tagsOf(r);
    if (!tags.Schedule) return {};
    if (String(tags.AutoStop).toLowerCase() === "false") return { protectedBy: tags.Schedule };
    return { tag: tags.Schedule };
  }

  hours(r: TfResource): Hours {
    const hpm = this.hoursPerMonth;
    const always = (note: string, reason = note): Hours => ({ value: hpm, reason, note, events: [] });
    if (!SWITCHED_TYPES.includes(r.type)) {
      return always(`runs 24/7: the scheduler does not stop ${r.type}; only a teardown of ${r.stack.name} does`);
    }
    const { tag, protectedBy } = this.tagOf(r);
    if (protectedBy !== undefined) return always(`tagged Schedule=${protectedBy} but AutoStop=false: runs 24/7`);
    if (tag === undefined) return always("no Schedule tag: runs 24/7");
    return memo(this.byTag, tag, () => this.tagHours(tag));
  }

  private tagHours(tag: string): Hours {
    const hpm = this.hoursPerMonth;
    const year = this.year;
    const always = (note: string): Hours => ({ value: hpm, reason: note, note, events: [] });
    const mine = this.switches(tag);
    if (mine.length === 0) return always(`tagged Schedule=${tag} but no stop/start schedule acts on it: runs 24/7`);
    const enabled = mine.filter((s) => s.enabled);
    const disabled = mine.filter((s) => !s.enabled).map((s) => s.name);
    const events: ScheduleEvent[] = [];
    for (const s of enabled) {
      if (!isCron(s.expression)) {
        this.warn(`schedule ${s.name}: ${s.expression} is not a cron expression; ignored for running hours`);
        continue;
      }
      events.push({ action: s.action as "stop" | "start", cron: parseCron(s.expression), timezone: s.timezone });
    }
    if (!events.some((e) => e.action === "stop")) return always(`Schedule=${tag}: stop schedule ${disabled.join(", ") || "missing"} DISABLED: runs 24/7`);
    const r = runningTime(events, Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1), 8, this.calendar);
    const value = r.fraction * hpm;
    const desc = enabled.map((s) => `${s.action} ${s.expression} ${s.timezone}`).join("; ");
    let note = `Schedule=${tag}: ${desc} -> ${value.toFixed(1)} h/month (${pct(r.fraction)} of ${year}: every firing over the year in the schedule timezone, DST included)`;
    const zones = [...new Set(events.map((e) => e.timezone))].join(", ");
    let reason = `${value.toFixed(1)} h/month from the ${tag} schedule in ${zones} (every firing of ${year}, DST included)`;
    if (!events.some((e) => e.action === "start")) {
      note += "; no enabled start schedule: stays stopped after the first stop";
      reason += "; no start: stopped after the first stop";
    }
    return { value, reason, note, events };
  }

  /**
   * Firings a month of a scheduled trigger (an EventBridge rule or a Scheduler schedule) over
   * the year. A rule tagged Schedule=T fires only while T's stop/start leave it enabled.
   */
  firings(r: TfResource): Firings {
    return memo(this.fired, r, () => this.count(r));
  }

  private count(r: TfResource): Firings {
    const year = this.year;
    const from = Date.UTC(year, 0, 1);
    const to = Date.UTC(year + 1, 0, 1);
    const name = this.model.label(r, "name");
    const expression = String(r.attrs.schedule_expression ?? "");
    const isRule = r.type === "aws_cloudwatch_event_rule";
    const timezone = isRule ? "UTC" : (r.str("schedule_expression_timezone") ?? "UTC");
    const enabled = isRule ? ruleEnabled(r) : (r.attrs.state ?? "ENABLED") === "ENABLED";
    const base = { name, expression, timezone, enabled };
    if (!enabled) return { ...base, perMonth: 0, reason: `${name} is DISABLED: never fires` };
    if (!isCron(expression)) return { ...base, perMonth: 0, reason: `${name}: ${expression || "no schedule expression"} is not a cron expression: not counted` };
    const cron = parseCron(expression);
    const { tag } = isRule ? this.tagOf(r) : {};
    const switches = tag !== undefined ? this.switchEvents(tag) : [];
    const n = switches.length ? activeFirings({ action: "start", cron, timezone }, switches, from, to, 8, this.calendar) : firings(cron, timezone, from, to, this.calendar).length;
    const perMonth = n / 12;
    const paused = switches.length ? ` while Schedule=${tag} leaves it enabled` : "";
    return { ...base, perMonth, pausedBy: switches.length ? tag : undefined, reason: `${perMonth.toFixed(2)}/month: every firing of ${expression} (${timezone})${paused} over ${year}` };
  }
}
