/**
 * The schedules of the stacks, read from the Terraform model, and what they mean for cost:
 * running hours of what the scheduler switches off (node groups, endpoints), of what the compute
 * lifetime tears down with its stack, and firings of what fires (training rules, the scheduler's
 * own invocations, the lifetime's builds). One instance per estimate; it memoises hours per
 * schedule tag and per stack, and firings per resource.
 *
 * A schedule acts on tag value T when its target is a function whose SCHEDULE_NAME is T (or
 * cannot be read), and its input is {"action":"stop"} or {"action":"start"}; start does nothing
 * on the function's SKIP_DATES. A resource tagged Schedule=T (not AutoStop=false) runs between
 * those firings, evaluated over a calendar year in each schedule's timezone.
 *
 * The compute lifetime: a CodeBuild project whose environment names LIFETIME_STACK, started by
 * Scheduler schedules (the templated CodeBuild target: the project's ARN) whose input overrides
 * LIFETIME_ACTION to teardown or restore. Every resource of that stack exists only between a restore and the next teardown
 * (a restore does nothing on LIFETIME_SKIP_DATES); a resource the scheduler also switches runs
 * while both leave it on.
 */
import { TerraformModel, TfResource, literal, list, block, parseArn } from "../terraform";
import { activeFirings, Calendar, firings, memo, parseCron, runningTime, ScheduleEvent } from "./schedule";

import { lifetimeActionOf } from "../modules/lifetime-build";

/** A CodeBuild project's environment variables, as written in the model. */
export function buildVariables(project: TfResource): Record<string, string> {
  const vars = list<Record<string, unknown>>(block(project.attrs.environment)?.environment_variable);
  return Object.fromEntries(vars.map((v) => [String(v.name), String(literal(v.value) ?? "")]));
}

const dateSet = (csv: string | undefined) => new Set((csv ?? "").split(",").map((d) => d.trim()).filter(Boolean));

/** The compute lifetime of one stack. */
export interface Lifetime {
  readonly stack: string;
  readonly project: TfResource;
  readonly events: readonly ScheduleEvent[];
  readonly schedules: readonly ScheduleDef[];
  readonly skipDates: ReadonlySet<string>;
  readonly timezone: string;
}

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
  /** SKIP_DATES of the target function, or LIFETIME_SKIP_DATES of the project a lifetime schedule starts */
  readonly skipDates?: ReadonlySet<string>;
  /** the CodeBuild project a compute-lifetime schedule starts */
  readonly project?: TfResource;
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
  /** The compute lifetime of each stack that has one. */
  readonly lifetimes: ReadonlyMap<string, Lifetime>;
  private readonly byTag = new Map<string, Hours>();
  private readonly byLifetime = new Map<string, Hours>();
  private readonly fired = new Map<TfResource, Firings>();

  constructor(
    private readonly model: TerraformModel,
    readonly year: number,
    private readonly hoursPerMonth: number,
    private readonly calendar: Calendar,
    private readonly warn: (message: string) => void,
  ) {
    this.schedules = this.read();
    this.lifetimes = this.readLifetimes();
  }

  private scheduleTagOf(fn: TfResource | undefined): string | undefined {
    if (!fn || fn.type !== "aws_lambda_function") return undefined;
    return literal(fn.block("environment")?.variables?.SCHEDULE_NAME);
  }

  /** EventBridge Scheduler schedules, and EventBridge rules through their targets. */
  private read(): ScheduleDef[] {
    const out: ScheduleDef[] = [];
    const projects = this.model.ofType("aws_codebuild_project");
    for (const r of this.model.ofType("aws_scheduler_schedule")) {
      const target = r.block("target");
      const input = parseInput(target?.input);
      const base = {
        resource: r,
        name: this.model.label(r, "name"),
        enabled: (r.attrs.state ?? "ENABLED") === "ENABLED",
        expression: String(r.attrs.schedule_expression ?? ""),
        timezone: r.str("schedule_expression_timezone") ?? "UTC",
        targetArn: target?.arn,
      };
      // the compute lifetime: StartBuild of a project (by reference or ARN), its action in the environment override
      const arn = typeof target?.arn === "string" ? parseArn(target.arn) : undefined;
      const project =
        this.model.resolve(target?.arn, r, ["aws_codebuild_project"]) ??
        (arn?.service === "codebuild" ? projects.find((p) => `project/${this.model.label(p, "name")}` === arn.resource) : undefined);
      if (project?.type === "aws_codebuild_project") {
        out.push({ ...base, action: lifetimeActionOf(input) ?? "unknown", target: project, project, skipDates: dateSet(buildVariables(project).LIFETIME_SKIP_DATES) });
        continue;
      }
      const fn = this.model.resolve(target?.arn, r);
      const skip = fn?.type === "aws_lambda_function" ? literal(fn.block("environment")?.variables?.SKIP_DATES) : undefined;
      out.push({ ...base, action: String(input?.action ?? "unknown"), scheduleTag: this.scheduleTagOf(fn), target: fn, skipDates: skip ? dateSet(skip) : undefined });
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

  /** The compute lifetimes: projects naming LIFETIME_STACK, with the schedules that start them. */
  private readLifetimes(): Map<string, Lifetime> {
    const out = new Map<string, Lifetime>();
    for (const project of this.model.ofType("aws_codebuild_project")) {
      const vars = buildVariables(project);
      const stack = vars.LIFETIME_STACK;
      if (!stack) continue;
      const lead = Number(vars.LIFETIME_RESTORE_LEAD_MINUTES ?? 0) || 0;
      const mine = this.schedules.filter((d) => d.project === project && (d.action === "teardown" || d.action === "restore"));
      const events: ScheduleEvent[] = [];
      for (const d of mine.filter((x) => x.enabled)) {
        if (!isCron(d.expression)) {
          this.warn(`schedule ${d.name}: ${d.expression} is not a cron expression; ignored for the compute lifetime`);
          continue;
        }
        events.push({ action: d.action as "teardown" | "restore", cron: parseCron(d.expression), timezone: d.timezone, ...(d.action === "restore" ? { skipDates: d.skipDates, skipShiftMinutes: lead } : {}) });
      }
      out.set(stack, { stack, project, events, schedules: mine, skipDates: dateSet(vars.LIFETIME_SKIP_DATES), timezone: mine[0]?.timezone ?? "UTC" });
    }
    return out;
  }

  /** Running hours of everything in a stack with a compute lifetime (what the scheduler does not switch as well). */
  private lifetimeHours(life: Lifetime): Hours {
    return memo(this.byLifetime, life.stack, () => {
      const hpm = this.hoursPerMonth;
      const name = this.model.label(life.project, "name");
      if (!life.events.some((e) => e.action === "teardown")) {
        const note = `${life.stack}: the compute lifetime ${name} has no enabled teardown: runs 24/7`;
        return { value: hpm, reason: note, note, events: [] };
      }
      const r = runningTime(life.events, Date.UTC(this.year, 0, 1), Date.UTC(this.year + 1, 0, 1), 8, this.calendar);
      const value = r.fraction * hpm;
      const desc = life.schedules.filter((d) => d.enabled).map((d) => `${d.action} ${d.expression}`).join(", ");
      const skips = [...life.skipDates].filter((d) => d.startsWith(String(this.year))).length;
      const reason = `${value.toFixed(1)} h/month: exists only in the compute lifetime of ${life.stack} (${desc} ${life.timezone}${skips ? `, ${skips} skip date(s) in ${this.year}` : ""}; every firing of ${this.year}, DST included)`;
      const note = `compute lifetime ${name}: ${desc} ${life.timezone}, skip dates ${[...life.skipDates].join(", ") || "none"} -> ${value.toFixed(1)} h/month (${pct(r.fraction)} of ${this.year}); counted from each restore's firing to the next teardown's`;
      return { value, reason, note, events: life.events };
    });
  }

  /** A resource the scheduler switches, in a stack with a compute lifetime: up while both leave it on. */
  private combinedHours(life: Lifetime, tag: string): Hours {
    return memo(this.byLifetime, `${life.stack}|${tag}`, () => {
      const hpm = this.hoursPerMonth;
      const switches = this.switchEvents(tag);
      const own = this.lifetimeHours(life);
      if (!switches.some((e) => e.action === "stop")) return own;
      const r = runningTime([...life.events, ...switches], Date.UTC(this.year, 0, 1), Date.UTC(this.year + 1, 0, 1), 8, this.calendar);
      const value = r.fraction * hpm;
      const reason = `${value.toFixed(1)} h/month: while ${life.stack} exists (compute lifetime) and the ${tag} schedule has not stopped it (every firing of ${this.year} in ${life.timezone}, DST and skip dates included)`;
      const note = `${own.note}; Schedule=${tag} stops and starts it within that -> ${value.toFixed(1)} h/month (a restore brings it back at its configured size)`;
      return { value, reason, note, events: [...life.events, ...switches] };
    });
  }

  /** Stop/start schedules that act on tag value `tag`. */
  private switches(tag: string): ScheduleDef[] {
    return this.schedules.filter((s) => (s.action === "stop" || s.action === "start") && (s.scheduleTag === undefined || s.scheduleTag === tag));
  }

  /** The enabled cron stop/start events that act on `tag`. */
  switchEvents(tag: string): ScheduleEvent[] {
    return this.switches(tag)
      .filter((s) => s.enabled && isCron(s.expression))
      .map((s) => ({ action: s.action as "stop" | "start", cron: parseCron(s.expression), timezone: s.timezone, ...(s.action === "start" && s.skipDates ? { skipDates: s.skipDates } : {}) }));
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
    const life = this.lifetimes.get(r.stack.name);
    if (!SWITCHED_TYPES.includes(r.type)) {
      return life ? this.lifetimeHours(life) : always(`runs 24/7: the scheduler does not stop ${r.type}; only a teardown of ${r.stack.name} does`);
    }
    const { tag, protectedBy } = this.tagOf(r);
    if (life && tag !== undefined) return this.combinedHours(life, tag);
    if (life) return this.lifetimeHours(life);
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
      events.push({ action: s.action as "stop" | "start", cron: parseCron(s.expression), timezone: s.timezone, ...(s.action === "start" && s.skipDates ? { skipDates: s.skipDates } : {}) });
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
