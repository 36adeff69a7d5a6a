import { ENVIRONMENTS, loadEnvironment, validateEnvironment, ConfigError, EnvironmentConfig } from "../../config";

type Patch = (c: any) => void;

function invalid(patch: Patch, base: EnvironmentConfig = ENVIRONMENTS.dev): ConfigError {
  const cfg = JSON.parse(JSON.stringify(base));
  patch(cfg);
  try {
    validateEnvironment(cfg);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error("expected a ConfigError");
}

describe("environment config validation", () => {
  test.each(Object.keys(ENVIRONMENTS))("the shipped %s config is valid", (name) => {
    expect(loadEnvironment(name).name).toBe(name);
  });

  test("fails when the environment name is unknown, naming the allowed ones", () => {
    expect(() => loadEnvironment("qa")).toThrow(/environment: 'qa' is not known \(allowed: dev, staging, prod, sandbox\)/);
  });

  test.each<[string, Patch, RegExp]>([
    ["retention days CloudWatch does not accept", (c) => (c.logs.retentionInDays = 10), /logs\.retentionInDays: 10 .*one of 1, 3, 5, 7, 14/],
    ["budget limit is zero", (c) => (c.budget.monthlyLimitUsd = 0), /budget\.monthlyLimitUsd: 0 .*> 0/],
    ["budget limit is negative", (c) => (c.budget.monthlyLimitUsd = -5), /budget\.monthlyLimitUsd: -5/],
    ["the idle cron is malformed", (c) => (c.schedule.idleCron = "0 19 * * MON-FRI"), /schedule\.idleCron: "0 19 \* \* MON-FRI".*cron\(min hour/],
    ["cron has five fields", (c) => (c.schedule.idleCron = "cron(0 7 * * MON-FRI)"), /schedule\.idleCron.*has 5 fields; AWS cron takes 6/],
    ["cron hour out of range", (c) => (c.schedule.idleCron = "cron(0 25 ? * MON-FRI *)"), /schedule\.idleCron.*hours value 25 is outside 0-23/],
    ["cron uses ? in neither day field", (c) => (c.schedule.idleCron = "cron(0 19 * * MON-FRI *)"), /exactly one of day-of-month and day-of-week must be '\?'/],
    ["timezone is not IANA", (c) => (c.schedule.timezone = "Mars/Olympus"), /schedule\.timezone: "Mars\/Olympus".*IANA timezone/],
    ["desired above max", (c) => (c.eks.nodeGroups.api.desiredSize = 9), /eks\.nodeGroups\.api\.desiredSize: 9 .*\[minSize, maxSize\] = \[2, 5\]/],
    ["desired below min", (c) => (c.eks.nodeGroups.api.desiredSize = 1), /eks\.nodeGroups\.api\.desiredSize: 1/],
    ["max below one", (c) => Object.assign(c.eks.nodeGroups.api, { maxSize: 0, minSize: 0, desiredSize: 0 }), /eks\.nodeGroups\.api\.maxSize: 0 .*>= 1 \(EKS rejects 0\)/],
    ["notification emails empty", (c) => (c.notificationEmails = []), /notificationEmails: \[\] .*at least one address/],
    ["no cost reader is named", (c) => (c.costReaders = []), /costReaders: \[\] .*at least one IAM role or user ARN/],
    ["a cost reader is the whole account (CKV_AWS_61)", (c) => (c.costReaders = ["arn:aws:iam::111111111111:root"]), /costReaders\[0\]: "arn:aws:iam::111111111111:root" .*IAM role or user ARN.*no :root/],
    ["a cost reader is a wildcard", (c) => (c.costReaders = ["*"]), /costReaders\[0\]: "\*" .*no wildcard/],
    ["a cost reader is in another account", (c) => (c.costReaders = ["arn:aws:iam::999999999999:role/ops"]), /costReaders\[0\]: "arn:aws:iam::999999999999:role\/ops" .*this environment's account 111111111111/],
    ["a notification email is malformed", (c) => (c.notificationEmails = ["ops"]), /notificationEmails\[0\]: "ops"/],
    ["an instance family is unknown", (c) => (c.eks.nodeGroups.api.instanceTypes = ["t3.medium", "x9.huge"]), /instanceTypes\[1\]: "x9\.huge" .*family t2, t3/],
    ["a SPOT group has one instance type", (c) => (c.eks.nodeGroups.api.instanceTypes = ["t3.medium"]), /SPOT needs at least two instance types/],
    ["ON_DEMAND outside prod", (c) => (c.eks.nodeGroups.api.capacityType = "ON_DEMAND"), /capacityType: "ON_DEMAND" .*SPOT outside prod/],
    ["EKS endpoint open to the world", (c) => (c.network.eksPublicAccessCidrs = ["0.0.0.0/0"]), /eksPublicAccessCidrs\[0\]: "0\.0\.0\.0\/0" .*never 0\.0\.0\.0\/0/],
    ["ECR rule counts exceed the total", (c) => (c.ecr.keepPerPrefix = 3), /ecr\.keepTotal: 10 .*> keepUntagged \+ keepPerPrefix x prefixes \(10\)/],
    ["account id malformed", (c) => (c.accountId = "12345"), /accountId: "12345" .*12-digit/],
    ["emulator endpoint outside the sandbox", (c) => (c.emulatorEndpoint = "http://127.0.0.1:5000"), /emulatorEndpoint.*only the sandbox/],
    ["audit logs off", (c) => (c.eks.logTypes = ["api"]), /eks\.logTypes.*must include 'audit'/],
    // issue 11: input that used to pass
    ["the budget is Infinity", (c) => (c.budget.monthlyLimitUsd = Infinity), /budget\.monthlyLimitUsd: Infinity is not allowed \(a finite number > 0\)/],
    ["the budget is NaN", (c) => (c.budget.monthlyLimitUsd = NaN), /budget\.monthlyLimitUsd: NaN is not allowed \(a finite number > 0\)/],
    ["the anomaly threshold is -Infinity", (c) => (c.budget.anomalyThresholdUsd = -Infinity), /budget\.anomalyThresholdUsd: -Infinity is not allowed \(a finite number > 0\)/],
    ["the region does not exist", (c) => (c.region = "us-east-9"), /region: "us-east-9" is not allowed \(an AWS region: one of af-south-1, .*us-east-1, .*config\/aws-regions\.ts\)/],
    ["the region is only shaped like one", (c) => (c.region = "eu-north-7"), /region: "eu-north-7" is not allowed/],
    // issue 12, "Bad input": working hours, lead time, skip dates, egress, support tier, log classes
    ["the working hours are empty", (c) => (c.schedule.hours = []), /schedule\.hours: \[\] is not allowed \(at least one window \{ days, from, to \}: empty hours would leave nothing running\)/],
    ["a window ends when it starts (empty)", (c) => (c.schedule.hours = [{ days: "MON-FRI", from: "07:00", to: "07:00" }]), /schedule\.hours\[0\]\.to: "07:00" is not allowed \(a time after from \(07:00\): the window would be empty\)/],
    ["a window ends before it starts", (c) => (c.computeLifetime.hours = [{ days: "MON", from: "19:00", to: "07:00" }]), /computeLifetime\.hours\[0\]\.to: "07:00" is not allowed \(a time after from \(19:00\)/],
    [
      "two windows overlap",
      (c) => (c.computeLifetime.hours = [{ days: "MON-FRI", from: "07:00", to: "19:00" }, { days: "FRI", from: "18:00", to: "22:00" }]),
      /computeLifetime\.hours\[1\]: \{"days":"FRI","from":"18:00","to":"22:00"\} is not allowed \(a window that does not overlap window \[0\] \(both cover FRI 18:00-19:00\)\)/,
    ],
    ["a day is not a day", (c) => (c.schedule.hours = [{ days: "MON-FRY", from: "07:00", to: "19:00" }]), /schedule\.hours\[0\]\.days: "MON-FRY" is not allowed \(days as SUN\.\.SAT/],
    ["a time is not a time", (c) => (c.schedule.hours = [{ days: "MON", from: "7am", to: "19:00" }]), /schedule\.hours\[0\]\.from: "7am" is not allowed \(a time HH:MM from 00:00 to 23:59\)/],
    ["the compute hours cover the whole week", (c) => (c.computeLifetime.hours = [{ days: "SUN-SAT", from: "00:00", to: "24:00" }]), /computeLifetime\.hours: .* is not allowed \(windows that leave the compute stack down some of the week; .*"always"\)/],
    [
      "the restore lead time is longer than the down window",
      (c) => (c.computeLifetime.restoreLeadMinutes = 700),
      /computeLifetime\.restoreLeadMinutes: 700 is not allowed \(at most 660 minutes: the shortest down window \(MON 19:00 to TUE 07:00, 720 minutes\) minus 60 for its teardown to finish/,
    ],
    ["the restore lead time is negative", (c) => (c.computeLifetime.restoreLeadMinutes = -5), /computeLifetime\.restoreLeadMinutes: -5 is not allowed \(an integer from 0 to 720 minutes\)/],
    ["the compute lifetime is neither always nor hours", (c) => (c.computeLifetime = "sometimes"), /computeLifetime: "sometimes" is not allowed \("always", or \{ hours/],
    ["a skip date is not a date", (c) => (c.schedule.skipDates = ["2026-12-25", "Christmas"]), /schedule\.skipDates\[1\]: "Christmas" is not allowed \(a date YYYY-MM-DD\)/],
    ["a skip date does not exist", (c) => (c.schedule.skipDates = ["2026-02-30"]), /schedule\.skipDates\[0\]: "2026-02-30" is not allowed \(a date YYYY-MM-DD\)/],
    [
      "egress none with private-only nodes",
      (c) => (c.network.egress = { mode: "none" }),
      /eks\.nodeSubnets: "private" is not allowed \("public" with network\.egress "none": private subnets without NAT have no way to pull images or reach the EKS API/,
    ],
    ["the egress mode is unknown", (c) => (c.network.egress = { mode: "vpn" }), /network\.egress\.mode: "vpn" is not allowed \(an egress of mode "nat-gateway" \(count\), "nat-instance" \(instanceType, spot\) or "none"\)/],
    ["three NAT gateways", (c) => (c.network.egress = { mode: "nat-gateway", count: 3 }), /network\.egress\.count: 3 is not allowed \(1 \(one shared NAT gateway\) or 2 \(one per AZ\)\)/],
    ["a NAT instance that is not Graviton", (c) => (c.network.egress.instanceType = "t3.nano"), /network\.egress\.instanceType: "t3\.nano" is not allowed \(a Graviton instance type/],
    ["extended support outside prod", (c) => (c.eks.supportType = "EXTENDED"), /eks\.supportType: "EXTENDED" is not allowed \(STANDARD outside prod: extended support bills the control plane at \$0\.60\/h/],
    ["an unknown support type", (c) => (c.eks.supportType = "LTS"), /eks\.supportType: "LTS" is not allowed \(one of STANDARD, EXTENDED\)/],
    ["an unknown log class", (c) => (c.logs.classes.app = "COLD"), /logs\.classes\.app: "COLD" is not allowed \(one of STANDARD, INFREQUENT_ACCESS\)/],
    // one rule for the idle threshold: validated here, passed to the Lambda as is
    ["the idle threshold is 0 (nothing would ever be idle)", (c) => (c.schedule.idleInvocationsThreshold = 0), /schedule\.idleInvocationsThreshold: 0 is not allowed \(an integer from 1 to/],
    ["the idle threshold is fractional", (c) => (c.schedule.idleInvocationsThreshold = 1.5), /schedule\.idleInvocationsThreshold: 1\.5/],
    ["the idle window exceeds what CloudWatch keeps at one minute", (c) => (c.schedule.idleWindowHours = 337), /schedule\.idleWindowHours: 337 is not allowed \(an integer from 1 to 336 hours\)/],
    ["a field is missing", (c) => delete c.owner, /owner: missing is not allowed \(a non-empty tag value\)/],
    ["a size has the wrong type", (c) => (c.eks.nodeGroups.api.maxSize = "5"), /eks\.nodeGroups\.api\.maxSize: "5" is not allowed/],
  ])("fails when %s", (_name, patch, message) => {
    expect(invalid(patch).message).toMatch(message);
  });

  test("fails with every problem listed at once", () => {
    const e = invalid((c) => {
      c.budget.monthlyLimitUsd = 0;
      c.logs.retentionInDays = 2;
    });
    expect(e.problems).toHaveLength(2);
    expect(e.message).toMatch(/invalid configuration for environment 'dev'/);
  });

  test("fails with a field problem and a cross-field problem listed together", () => {
    const e = invalid((c) => {
      c.owner = " ";
      c.eks.nodeGroups.api.desiredSize = 9;
    });
    expect(e.problems).toEqual([
      'owner: " " is not allowed (a non-empty tag value)',
      "eks.nodeGroups.api.desiredSize: 9 is not allowed (an integer in [minSize, maxSize] = [2, 5])",
    ]);
  });

  test("egress none is fine with nodes in the public subnets", () => {
    const cfg = JSON.parse(JSON.stringify(ENVIRONMENTS.dev));
    cfg.network.egress = { mode: "none" };
    cfg.eks.nodeSubnets = "public";
    expect(validateEnvironment(cfg)).toBe(cfg);
  });

  test("touching windows and a lead that just fits are fine", () => {
    const cfg = JSON.parse(JSON.stringify(ENVIRONMENTS.dev));
    cfg.computeLifetime = { hours: [{ days: "MON-FRI", from: "07:00", to: "12:00" }, { days: "MON-FRI", from: "12:00", to: "19:00" }], restoreLeadMinutes: 660 };
    expect(validateEnvironment(cfg)).toBe(cfg);
  });

  test("fails when the sandbox emulator endpoint is not loopback", () => {
    expect(() => loadEnvironment("sandbox", { emulatorEndpoint: "http://10.0.0.5:5000" })).toThrow(/loopback only/);
    expect(loadEnvironment("sandbox", { emulatorEndpoint: "http://127.0.0.1:5000" }).emulatorEndpoint).toBe("http://127.0.0.1:5000");
  });
});
