/**
 * Startup validation of an environment config. Every problem is collected and reported at
 * once, each naming the field, the value and what is allowed, so a bad config stops synth
 * before any Terraform is written.
 */
import { CronError, parseCron, isValidTimeZone } from "./cron";
import { LOG_RETENTION_DAYS } from "../modules/log-retention";
import { ENVIRONMENT_NAMES, EnvironmentConfig, EnvironmentName } from "./types";
import { IDLE_INVOCATIONS_THRESHOLD_RANGE, IDLE_WINDOW_HOURS_RANGE } from "../lambda/scheduler/env";

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

export function validateEnvironment(cfg: EnvironmentConfig): EnvironmentConfig {
  const p: string[] = [];
  const bad = (field: string, value: unknown, allowed: string) =>
    p.push(`${field}: ${JSON.stringify(value)} is not allowed (${allowed})`);

  if (!(ENVIRONMENT_NAMES as readonly string[]).includes(cfg.name)) bad("name", cfg.name, `one of ${ENVIRONMENT_NAMES.join(", ")}`);
  if (!/^[a-z][a-z0-9-]{1,30}$/.test(cfg.project)) bad("project", cfg.project, "lower-case letters, digits and '-', 2-31 characters");
  if (!/^\d{12}$/.test(cfg.accountId)) bad("accountId", cfg.accountId, "a 12-digit AWS account id");
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(cfg.region)) bad("region", cfg.region, "an AWS region such as us-east-1");
  for (const f of ["costCenter", "owner"] as const) {
    if (!cfg[f] || !cfg[f].trim()) bad(f, cfg[f], "a non-empty tag value");
  }
  if (cfg.emulatorEndpoint !== undefined) {
    if (cfg.name !== "sandbox") bad("emulatorEndpoint", cfg.emulatorEndpoint, "only the sandbox environment talks to an emulator");
    else if (!/^http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+$/.test(cfg.emulatorEndpoint)) {
      bad("emulatorEndpoint", cfg.emulatorEndpoint, "http://127.0.0.1:<port> (loopback only)");
    }
  }

  if (cfg.notificationEmails.length === 0) bad("notificationEmails", cfg.notificationEmails, "at least one address");
  cfg.notificationEmails.forEach((e, i) => {
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e)) bad(`notificationEmails[${i}]`, e, "an e-mail address");
  });

  if (!(cfg.budget.monthlyLimitUsd > 0)) bad("budget.monthlyLimitUsd", cfg.budget.monthlyLimitUsd, "a number > 0");
  if (!(cfg.budget.anomalyThresholdUsd > 0)) bad("budget.anomalyThresholdUsd", cfg.budget.anomalyThresholdUsd, "a number > 0");

  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(cfg.logs.retentionInDays)) {
    bad("logs.retentionInDays", cfg.logs.retentionInDays, `one of ${LOG_RETENTION_DAYS.join(", ")}`);
  }

  if (!/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/.test(cfg.network.vpcCidr)) bad("network.vpcCidr", cfg.network.vpcCidr, "an IPv4 CIDR from /16 to /24");
  if (!Number.isInteger(cfg.network.natGateways) || cfg.network.natGateways < 0 || cfg.network.natGateways > 2) {
    bad("network.natGateways", cfg.network.natGateways, "0, 1 or 2 (one per AZ)");
  }
  if (cfg.network.eksPublicAccessCidrs.length === 0) bad("network.eksPublicAccessCidrs", [], "at least one CIDR");
  cfg.network.eksPublicAccessCidrs.forEach((c, i) => {
    if (c === "0.0.0.0/0" || !/^\d{1,3}(\.\d{1,3}){3}\/\d{1,2}$/.test(c)) {
      bad(`network.eksPublicAccessCidrs[${i}]`, c, "a specific IPv4 CIDR, never 0.0.0.0/0 (CKV_AWS_38)");
    }
  });

  for (const t of ["audit", "authenticator"] as const) {
    if (!cfg.eks.logTypes.includes(t)) bad("eks.logTypes", cfg.eks.logTypes, `must include '${t}' (CKV_AWS_37)`);
  }
  const groups = Object.entries(cfg.eks.nodeGroups);
  if (groups.length === 0) bad("eks.nodeGroups", {}, "at least one node group");
  for (const [key, g] of groups) {
    const f = `eks.nodeGroups.${key}`;
    if (!/^[a-z][a-z0-9-]{0,20}$/.test(key)) bad(f, key, "a key of lower-case letters, digits and '-'");
    if (g.instanceTypes.length === 0) bad(`${f}.instanceTypes`, g.instanceTypes, "at least one instance type");
    g.instanceTypes.forEach((t, i) => {
      const family = t.split(".")[0];
      if (!/^[a-z0-9]+\.[a-z0-9]+$/.test(t) || !(EC2_FAMILIES as readonly string[]).includes(family)) {
        bad(`${f}.instanceTypes[${i}]`, t, `an instance type of family ${EC2_FAMILIES.join(", ")}`);
      }
    });
    if (g.capacityType === "SPOT" && g.instanceTypes.length < 2) {
      bad(`${f}.instanceTypes`, g.instanceTypes, "SPOT needs at least two instance types so capacity comes from several pools");
    }
    if (g.capacityType !== "SPOT" && g.capacityType !== "ON_DEMAND") bad(`${f}.capacityType`, g.capacityType, "SPOT or ON_DEMAND");
    if (g.capacityType === "ON_DEMAND" && cfg.name !== "prod") bad(`${f}.capacityType`, g.capacityType, "SPOT outside prod");
    if (!Number.isInteger(g.maxSize) || g.maxSize < 1) bad(`${f}.maxSize`, g.maxSize, "an integer >= 1 (EKS rejects 0)");
    if (!Number.isInteger(g.minSize) || g.minSize < 0) bad(`${f}.minSize`, g.minSize, "an integer >= 0");
    else if (g.minSize > g.maxSize) bad(`${f}.minSize`, g.minSize, `<= maxSize (${g.maxSize})`);
    if (!Number.isInteger(g.desiredSize) || g.desiredSize < g.minSize || g.desiredSize > g.maxSize) {
      bad(`${f}.desiredSize`, g.desiredSize, `an integer in [minSize, maxSize] = [${g.minSize}, ${g.maxSize}]`);
    }
    if (!Number.isInteger(g.diskSizeGb) || g.diskSizeGb < 20) bad(`${f}.diskSizeGb`, g.diskSizeGb, "an integer >= 20");
  }

  const ep = cfg.sagemaker.endpoint;
  if (ep.mode === "serverless") {
    if (!(SERVERLESS_MEMORY_MB as readonly number[]).includes(ep.memorySizeInMb)) {
      bad("sagemaker.endpoint.memorySizeInMb", ep.memorySizeInMb, `one of ${SERVERLESS_MEMORY_MB.join(", ")}`);
    }
    if (!Number.isInteger(ep.maxConcurrency) || ep.maxConcurrency < 1 || ep.maxConcurrency > 200) {
      bad("sagemaker.endpoint.maxConcurrency", ep.maxConcurrency, "an integer from 1 to 200");
    }
  } else if (ep.mode === "realtime") {
    if (!/^ml\.[a-z0-9]+\.[a-z0-9]+$/.test(ep.instanceType)) bad("sagemaker.endpoint.instanceType", ep.instanceType, "an ml.* instance type");
    if (!(ep.minCapacity >= 1)) bad("sagemaker.endpoint.minCapacity", ep.minCapacity, "an integer >= 1");
    if (!(ep.maxCapacity >= ep.minCapacity)) bad("sagemaker.endpoint.maxCapacity", ep.maxCapacity, `>= minCapacity (${ep.minCapacity})`);
    if (ep.initialInstanceCount < ep.minCapacity || ep.initialInstanceCount > ep.maxCapacity) {
      bad("sagemaker.endpoint.initialInstanceCount", ep.initialInstanceCount, `in [minCapacity, maxCapacity] = [${ep.minCapacity}, ${ep.maxCapacity}]`);
    }
    if (!(ep.targetInvocationsPerInstance > 0)) bad("sagemaker.endpoint.targetInvocationsPerInstance", ep.targetInvocationsPerInstance, "a number > 0");
  } else {
    bad("sagemaker.endpoint.mode", (ep as { mode: unknown }).mode, "serverless or realtime");
  }
  if (cfg.sagemaker.endpointScheduled && ep.mode === "serverless") {
    bad("sagemaker.endpointScheduled", true, "false for a serverless endpoint (it already costs nothing when idle)");
  }

  const s = cfg.schedule;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(s.name)) bad("schedule.name", s.name, "1-64 letters, digits, '_', '.', '-'");
  if (!isValidTimeZone(s.timezone)) bad("schedule.timezone", s.timezone, "an IANA timezone such as Europe/London or America/New_York");
  for (const f of ["stopCron", "startCron", "idleCron"] as const) {
    try {
      parseCron(s[f]);
    } catch (e) {
      if (!(e instanceof CronError)) throw e;
      bad(`schedule.${f}`, s[f], e.message);
    }
  }
  const inRange = (v: number, r: { min: number; max: number }) => Number.isInteger(v) && v >= r.min && v <= r.max;
  if (!inRange(s.idleWindowHours, IDLE_WINDOW_HOURS_RANGE)) bad("schedule.idleWindowHours", s.idleWindowHours, `an integer from ${IDLE_WINDOW_HOURS_RANGE.min} to ${IDLE_WINDOW_HOURS_RANGE.max} hours`);
  if (!inRange(s.idleInvocationsThreshold, IDLE_INVOCATIONS_THRESHOLD_RANGE)) {
    bad("schedule.idleInvocationsThreshold", s.idleInvocationsThreshold, `an integer from ${IDLE_INVOCATIONS_THRESHOLD_RANGE.min} to ${IDLE_INVOCATIONS_THRESHOLD_RANGE.max} (idle: fewer invocations than this in idleWindowHours)`);
  }

  const e = cfg.ecr;
  for (const f of ["keepUntagged", "keepPerPrefix", "keepTotal"] as const) {
    if (!Number.isInteger(e[f]) || e[f] < 1) bad(`ecr.${f}`, e[f], "an integer >= 1");
  }
  const claimed = e.keepUntagged + e.keepPerPrefix * e.tagPrefixes.length;
  if (claimed >= e.keepTotal) {
    bad(
      "ecr.keepTotal",
      e.keepTotal,
      `> keepUntagged + keepPerPrefix x prefixes (${claimed}): ECR rules never see images a higher-priority rule matched, so the total is the sum of the rules' counts and at least 1 must be left for other tags`,
    );
  }
  if (cfg.name === "prod" && !e.immutableTags) bad("ecr.immutableTags", false, "true in prod (CKV_AWS_51)");
  cfg.backupPrefixes.forEach((b, i) => {
    if (!/^[a-z0-9][a-z0-9/_-]*\/$/.test(b)) bad(`backupPrefixes[${i}]`, b, "a key prefix ending in '/'");
  });

  if (p.length > 0) throw new ConfigError(cfg.name, p);
  return cfg;
}
