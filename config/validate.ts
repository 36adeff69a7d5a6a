/**
 * Startup validation of an environment config, as a zod schema. Every problem is collected and
 * reported at once, each naming the field, the value and what is allowed, so a bad config stops
 * synth before any Terraform is written:
 *
 *   budget.monthlyLimitUsd: Infinity is not allowed (a finite number > 0)
 *
 * Each field's schema carries one message, what is allowed; rules that relate two fields (desired
 * size within [min, max], the ECR rule counts, SPOT outside prod) are checks on the whole object.
 */
import { z } from "zod";
import { CronError, parseCron, isValidTimeZone } from "./cron";
import { ENVIRONMENT_NAMES, EnvironmentConfig, EnvironmentName } from "./types";
import { AWS_REGIONS } from "./aws-regions";
import { LOG_RETENTION_DAYS } from "../modules/log-retention";
import { IDLE_INVOCATIONS_THRESHOLD_RANGE, IDLE_WINDOW_HOURS_RANGE } from "../lambda/scheduler/env";
import { IAM_PRINCIPAL_ARN } from "../modules/iam-principals";
import { coversWholeWeek, downWindows, isDate, weekIntervals, weekTime, workingHoursProblems } from "../lambda/shared/office-hours";
import { LOG_GROUP_CLASSES } from "../modules/log-group";
import { EKS_SUPPORT_TYPES } from "../modules/eks-cluster";
import { GRAVITON_FAMILIES } from "../modules/nat-instance";
import { LOG_GROUP_KEYS } from "./types";

/** A restore must not fire while the teardown of the same down window may still run (destroying EKS takes 10-20 minutes). */
export const TEARDOWN_ALLOWANCE_MINUTES = 60;
export const MAX_RESTORE_LEAD_MINUTES = 720;
/** Instance families this project prices and allows for node groups (see cost/prices). */
export const EC2_FAMILIES = [
  "t2", "t3", "t3a", "t4g", "m5", "m5a", "m6i", "m6a", "m6g", "m7i", "m7g", "c5", "c5a", "c6i", "c6a", "c7i", "r5", "r6i",
] as const;

export const SERVERLESS_MEMORY_MB = [1024, 2048, 3072, 4096, 5120, 6144] as const;

export class ConfigError extends Error {
  constructor(readonly environment: string, readonly problems: readonly string[]) {
    super(`invalid configuration for environment '${environment}':\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

export function assertEnvironmentName(name: string): EnvironmentName {
  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(name)) {
    throw new ConfigError(name, [`environment: '${name}' is not known (allowed: ${ENVIRONMENT_NAMES.join(", ")})`]);
  }
  return name as EnvironmentName;
}

// ---- field schemas: each says, in its one message, what is allowed ------------------------------

const text = (allowed: string, pattern: RegExp) => z.string({ error: allowed }).regex(pattern, { error: allowed });
const nonBlank = (allowed: string) => z.string({ error: allowed }).refine((s) => s.trim() !== "", { error: allowed });
const number = (allowed: string, ok: (n: number) => boolean) => z.number({ error: allowed }).refine(ok, { error: allowed });
const integer = (allowed: string, min: number, max = Number.MAX_SAFE_INTEGER) => number(allowed, (n) => Number.isInteger(n) && n >= min && n <= max);
const oneOf = <T extends string | number>(values: readonly T[], allowed = `one of ${values.join(", ")}`) =>
  z.custom<T>((v) => (values as readonly unknown[]).includes(v), { error: allowed });
const list = <T extends z.ZodType>(item: T, allowed: string) => z.array(item, { error: allowed }).min(1, { error: allowed });
const flag = z.boolean({ error: "true or false" });

/** A finite amount of money: Infinity and NaN are numbers to JavaScript, not to a budget. */
const usd = number("a finite number > 0", (n) => Number.isFinite(n) && n > 0);

const cron = z.string({ error: "an AWS cron expression cron(min hour day-of-month month day-of-week year)" }).superRefine((expr, ctx) => {
  try {
    parseCron(expr);
  } catch (e) {
    if (!(e instanceof CronError)) throw e;
    ctx.addIssue({ code: "custom", message: e.message, input: expr });
  }
});

const IPV4_CIDR = /^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/;

const instanceType = z.custom<string>(
  (t) => typeof t === "string" && /^[a-z0-9]+\.[a-z0-9]+$/.test(t) && (EC2_FAMILIES as readonly string[]).includes(t.split(".")[0]),
  { error: `an instance type of family ${EC2_FAMILIES.join(", ")}` },
);

const nodeGroup = z.object({
  instanceTypes: z.array(instanceType, { error: "a list of instance types" }).min(1, { error: "at least one instance type" }),
  capacityType: oneOf(["SPOT", "ON_DEMAND"], "SPOT or ON_DEMAND"),
  minSize: integer("an integer >= 0", 0),
  maxSize: integer("an integer >= 1 (EKS rejects 0)", 1),
  desiredSize: integer("an integer >= 0", 0),
  diskSizeGb: integer("an integer >= 20", 20),
  labels: z.record(z.string(), z.string(), { error: "a map of label names to values" }),
  scheduled: flag,
});

const serverless = z.object({
  mode: z.literal("serverless"),
  memorySizeInMb: oneOf(SERVERLESS_MEMORY_MB),
  maxConcurrency: integer("an integer from 1 to 200", 1, 200),
});

const realtime = z.object({
  mode: z.literal("realtime"),
  instanceType: text("an ml.* instance type", /^ml\.[a-z0-9]+\.[a-z0-9]+$/),
  initialInstanceCount: integer("an integer >= 1", 1),
  minCapacity: integer("an integer >= 1", 1),
  maxCapacity: integer("an integer >= 1", 1),
  targetInvocationsPerInstance: number("a finite number > 0", (n) => Number.isFinite(n) && n > 0),
});

const EKS_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/** Windows { days, from, to }: each problem becomes an issue at its own path under the field. */
const workingHours = z.unknown().superRefine((hours, ctx) => {
  for (const p of workingHoursProblems(hours)) ctx.addIssue({ code: "custom", path: [...p.path], input: p.value, message: p.allowed });
});

const egress = z.discriminatedUnion(
  "mode",
  [
    z.object({ mode: z.literal("nat-gateway"), count: oneOf([1, 2], "1 (one shared NAT gateway) or 2 (one per AZ)") }),
    z.object({
      mode: z.literal("nat-instance"),
      instanceType: z.custom<string>((t) => typeof t === "string" && (GRAVITON_FAMILIES as readonly string[]).includes(t.split(".")[0]) && /^[a-z0-9]+\.[a-z0-9]+$/.test(t), {
        error: `a Graviton instance type (${GRAVITON_FAMILIES.join(", ")}; the NAT instance's AMI is arm64), e.g. t4g.nano`,
      }),
      spot: flag,
    }),
    z.object({ mode: z.literal("none") }),
  ],
  { error: 'an egress of mode "nat-gateway" (count), "nat-instance" (instanceType, spot) or "none"' },
);

const computeLifetime = z.union(
  [
    z.literal("always"),
    z.object({ hours: workingHours, restoreLeadMinutes: integer(`an integer from 0 to ${MAX_RESTORE_LEAD_MINUTES} minutes`, 0, MAX_RESTORE_LEAD_MINUTES) }),
  ],
  { error: '"always", or { hours: [{ days, from, to }], restoreLeadMinutes }' },
);

const environment = z.object({
  name: oneOf(ENVIRONMENT_NAMES),
  project: text("lower-case letters, digits and '-', 2-31 characters", /^[a-z][a-z0-9-]{1,30}$/),
  accountId: text("a 12-digit AWS account id", /^\d{12}$/),
  region: oneOf(AWS_REGIONS, `an AWS region: one of ${AWS_REGIONS.join(", ")} (config/aws-regions.ts)`),
  costCenter: nonBlank("a non-empty tag value"),
  owner: nonBlank("a non-empty tag value"),
  emulatorEndpoint: text("http://127.0.0.1:<port> (loopback only)", /^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/).optional(),
  notificationEmails: list(text("an e-mail address", /^[^@\s]+@[^@\s]+\.[^@\s]+$/), "at least one address"),
  budget: z.object({ monthlyLimitUsd: usd, anomalyThresholdUsd: usd }),
  logs: z.object({
    retentionInDays: oneOf(LOG_RETENTION_DAYS),
    classes: z.object(Object.fromEntries(LOG_GROUP_KEYS.map((k) => [k, oneOf(LOG_GROUP_CLASSES)])) as unknown as Record<(typeof LOG_GROUP_KEYS)[number], z.ZodType>, {
      error: `a class per log group (${LOG_GROUP_KEYS.join(", ")})`,
    }),
  }),
  network: z.object({
    vpcCidr: text("an IPv4 CIDR from /16 to /24", /^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/),
    egress,
    eksPublicAccessCidrs: list(
      z.custom<string>((c) => typeof c === "string" && c !== "0.0.0.0/0" && IPV4_CIDR.test(c), { error: "a specific IPv4 CIDR, never 0.0.0.0/0 (CKV_AWS_38)" }),
      "at least one CIDR",
    ),
  }),
  eks: z.object({
    version: nonBlank("an EKS version such as 1.35"),
    supportType: oneOf(EKS_SUPPORT_TYPES),
    nodeSubnets: oneOf(["private", "public"]),
    logTypes: z.array(oneOf(EKS_LOG_TYPES), { error: `a list of ${EKS_LOG_TYPES.join(", ")}` }),
    nodeGroups: z
      .record(text("a key of lower-case letters, digits and '-'", /^[a-z][a-z0-9-]{0,20}$/), nodeGroup, { error: "a map of node groups" })
      .refine((groups) => Object.keys(groups).length > 0, { error: "at least one node group" }),
  }),
  sagemaker: z.object({
    modelImage: nonBlank("an ECR image URI"),
    trainingImage: nonBlank("an ECR image URI"),
    modelDataKey: nonBlank("the key of model.tar.gz in the models bucket"),
    endpoint: z.discriminatedUnion("mode", [serverless, realtime], { error: "an endpoint of mode serverless or realtime" }),
    endpointScheduled: flag,
  }),
  schedule: z.object({
    name: text("1-64 letters, digits, '_', '.', '-'", /^[A-Za-z0-9_.-]{1,64}$/),
    timezone: z.custom<string>((tz) => typeof tz === "string" && isValidTimeZone(tz), { error: "an IANA timezone such as Europe/London or America/New_York" }),
    hours: workingHours,
    skipDates: z.array(z.custom<string>(isDate, { error: "a date YYYY-MM-DD" }), { error: "a list of dates YYYY-MM-DD" }),
    idleCron: cron,
    idleWindowHours: integer(
      `an integer from ${IDLE_WINDOW_HOURS_RANGE.min} to ${IDLE_WINDOW_HOURS_RANGE.max} hours`,
      IDLE_WINDOW_HOURS_RANGE.min,
      IDLE_WINDOW_HOURS_RANGE.max,
    ),
    idleInvocationsThreshold: integer(
      `an integer from ${IDLE_INVOCATIONS_THRESHOLD_RANGE.min} to ${IDLE_INVOCATIONS_THRESHOLD_RANGE.max} (idle: fewer invocations than this in idleWindowHours)`,
      IDLE_INVOCATIONS_THRESHOLD_RANGE.min,
      IDLE_INVOCATIONS_THRESHOLD_RANGE.max,
    ),
    enabled: flag,
  }),
  computeLifetime,
  ecr: z.object({
    immutableTags: flag,
    keepUntagged: integer("an integer >= 1", 1),
    keepPerPrefix: integer("an integer >= 1", 1),
    keepTotal: integer("an integer >= 1", 1),
    tagPrefixes: z.array(nonBlank("a non-empty tag prefix"), { error: "a list of tag prefixes" }),
  }),
  backupPrefixes: z.array(text("a key prefix ending in '/'", /^[a-z0-9][a-z0-9/_-]*\/$/), { error: "a list of key prefixes" }),
  costReaders: list(text("an IAM role or user ARN (arn:aws:iam::<accountId>:role/<name>; no wildcard, no :root)", IAM_PRINCIPAL_ARN), "at least one IAM role or user ARN"),
});

// ---- rules between fields --------------------------------------------------------------------

type Bad = (path: (string | number)[], value: unknown, allowed: string) => void;

const isInt = (v: unknown): v is number => Number.isInteger(v);

/**
 * The cross-field rules, run even when a field is wrong (so every problem is listed at once):
 * each reads only values it can compare.
 */
function crossFieldRules(cfg: EnvironmentConfig, bad: Bad): void {
  if (cfg.emulatorEndpoint !== undefined && cfg.name !== "sandbox") {
    bad(["emulatorEndpoint"], cfg.emulatorEndpoint, "only the sandbox environment talks to an emulator");
  }
  const logTypes: readonly unknown[] = Array.isArray(cfg.eks?.logTypes) ? cfg.eks.logTypes : [];
  for (const t of ["audit", "authenticator"]) {
    if (!logTypes.includes(t)) bad(["eks", "logTypes"], cfg.eks?.logTypes, `must include '${t}' (CKV_AWS_37)`);
  }
  for (const [key, g] of Object.entries(cfg.eks?.nodeGroups ?? {})) {
    const at = (field: string): (string | number)[] => ["eks", "nodeGroups", key, field];
    if (g.capacityType === "SPOT" && Array.isArray(g.instanceTypes) && g.instanceTypes.length < 2) {
      bad(at("instanceTypes"), g.instanceTypes, "SPOT needs at least two instance types so capacity comes from several pools");
    }
    if (g.capacityType === "ON_DEMAND" && cfg.name !== "prod") bad(at("capacityType"), g.capacityType, "SPOT outside prod");
    if (isInt(g.minSize) && isInt(g.maxSize) && g.maxSize >= 1 && g.minSize > g.maxSize) bad(at("minSize"), g.minSize, `<= maxSize (${g.maxSize})`);
    if (isInt(g.minSize) && isInt(g.maxSize) && isInt(g.desiredSize) && (g.desiredSize < g.minSize || g.desiredSize > g.maxSize)) {
      bad(at("desiredSize"), g.desiredSize, `an integer in [minSize, maxSize] = [${g.minSize}, ${g.maxSize}]`);
    }
  }
  const ep = cfg.sagemaker?.endpoint;
  if (ep?.mode === "realtime") {
    const e = ["sagemaker", "endpoint"];
    if (isInt(ep.minCapacity) && isInt(ep.maxCapacity) && ep.maxCapacity < ep.minCapacity) bad([...e, "maxCapacity"], ep.maxCapacity, `>= minCapacity (${ep.minCapacity})`);
    if (isInt(ep.initialInstanceCount) && (ep.initialInstanceCount < ep.minCapacity || ep.initialInstanceCount > ep.maxCapacity)) {
      bad([...e, "initialInstanceCount"], ep.initialInstanceCount, `in [minCapacity, maxCapacity] = [${ep.minCapacity}, ${ep.maxCapacity}]`);
    }
  }
  if (cfg.sagemaker?.endpointScheduled === true && ep?.mode === "serverless") {
    bad(["sagemaker", "endpointScheduled"], true, "false for a serverless endpoint (it already costs nothing when idle)");
  }
  lifetimeRules(cfg, bad);
  if (cfg.network?.egress?.mode === "none" && cfg.eks?.nodeSubnets === "private") {
    bad(
      ["eks", "nodeSubnets"],
      "private",
      `"public" with network.egress "none": private subnets without NAT have no way to pull images or reach the EKS API ` +
        `(nodes need public subnets with public IPs, or interface endpoints this project does not build); or choose network.egress "nat-instance" or "nat-gateway"`,
    );
  }
  if (cfg.name !== "prod" && cfg.eks?.supportType === "EXTENDED") {
    bad(["eks", "supportType"], "EXTENDED", "STANDARD outside prod: extended support bills the control plane at $0.60/h instead of $0.10/h (+$365/month) when the version ages");
  }
  const e = cfg.ecr;
  if (e && isInt(e.keepUntagged) && isInt(e.keepPerPrefix) && isInt(e.keepTotal) && Array.isArray(e.tagPrefixes)) {
    const claimed = e.keepUntagged + e.keepPerPrefix * e.tagPrefixes.length;
    if (claimed >= e.keepTotal) {
      bad(
        ["ecr", "keepTotal"],
        e.keepTotal,
        `> keepUntagged + keepPerPrefix x prefixes (${claimed}): ECR rules never see images a higher-priority rule matched, so the total is the sum of the rules' counts and at least 1 must be left for other tags`,
      );
    }
  }
  if (cfg.name === "prod" && e?.immutableTags === false) bad(["ecr", "immutableTags"], false, "true in prod (CKV_AWS_51)");
  (Array.isArray(cfg.costReaders) ? cfg.costReaders : []).forEach((arn, i) => {
    const account = typeof arn === "string" ? arn.split(":")[4] : undefined;
    if (account && /^\d{12}$/.test(account) && account !== cfg.accountId) bad(["costReaders", i], arn, `a principal of this environment's account ${cfg.accountId}`);
  });
}

/** The compute lifetime against itself: not a whole week, and a lead time that fits its down windows. */
function lifetimeRules(cfg: EnvironmentConfig, bad: Bad): void {
  const life = cfg.computeLifetime as unknown;
  if (!life || typeof life !== "object") return;
  const { hours, restoreLeadMinutes: lead } = life as { hours: unknown; restoreLeadMinutes: unknown };
  if (workingHoursProblems(hours).length) return; // reported at their own paths
  const intervals = weekIntervals(hours as never);
  if (coversWholeWeek(intervals)) {
    bad(["computeLifetime", "hours"], hours, 'windows that leave the compute stack down some of the week; hours covering the whole week are computeLifetime "always"');
    return;
  }
  if (!isInt(lead)) return;
  const shortest = downWindows(intervals).reduce((a, b) => (b.end - b.start < a.end - a.start ? b : a));
  const gap = shortest.end - shortest.start;
  if (lead > gap - TEARDOWN_ALLOWANCE_MINUTES) {
    bad(
      ["computeLifetime", "restoreLeadMinutes"],
      lead,
      `at most ${Math.max(0, gap - TEARDOWN_ALLOWANCE_MINUTES)} minutes: the shortest down window (${weekTime(shortest.start)} to ${weekTime(shortest.end)}, ${gap} minutes) ` +
        `minus ${TEARDOWN_ALLOWANCE_MINUTES} for its teardown to finish; a longer lead restores before the teardown is done`,
    );
  }
}

const schema = environment.superRefine(
  (cfg, ctx) => crossFieldRules(cfg as EnvironmentConfig, (path, input, message) => ctx.addIssue({ code: "custom", path, input, message })),
  { when: () => true },
);

// ---- messages ----------------------------------------------------------------------------------

/** eks.nodeGroups.api.instanceTypes[1] */
const fieldName = (path: readonly PropertyKey[]) =>
  path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i ? "." : ""}${String(p)}`)).join("") || "config";

/** JSON, except where JSON would lie (Infinity and NaN print as null) or say nothing (undefined). */
const show = (v: unknown) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v === undefined ? "missing" : JSON.stringify(v));

/** A union's issue carries the whole object as its input: the value is the field the path names. */
function valueOf(i: { path: readonly PropertyKey[]; input?: unknown }): unknown {
  const last = i.path[i.path.length - 1];
  const input = i.input;
  return input && typeof input === "object" && !Array.isArray(input) && typeof last === "string" && last in input ? (input as Record<string, unknown>)[last] : input;
}

export function validateEnvironment(cfg: EnvironmentConfig): EnvironmentConfig {
  const result = schema.safeParse(cfg, { reportInput: true });
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${fieldName(i.path)}: ${show(valueOf(i))} is not allowed (${i.message})`);
    throw new ConfigError(String(cfg.name), [...new Set(problems)]);
  }
  return cfg;
}
