import * as http from "http";
import { AddressInfo } from "net";
import { Env } from "../../lambda/scheduler/env";
import { InvalidEventError, parseEvent } from "../../lambda/scheduler/event";
import { parseEndpointRecord, parseNodegroupRecord, schedulerRecordPrefix } from "../../lambda/scheduler/records";

describe("parseEvent", () => {
  test("accepts the three actions and an optional boolean dryRun", () => {
    expect(parseEvent({ action: "stop" })).toEqual({ action: "stop", dryRun: false });
    expect(parseEvent({ action: "start", dryRun: true })).toEqual({ action: "start", dryRun: true });
    expect(parseEvent({ action: "stop-idle", dryRun: false })).toEqual({ action: "stop-idle", dryRun: false });
  });
  test.each([
    ["fails when the action is unknown", { action: "reboot" }, /action must be one of stop, start, stop-idle, got "reboot"/],
    ["fails when the action is missing", {}, /action must be one of/],
    ["fails when the action is not a string", { action: 1 }, /got 1/],
    ["fails when dryRun is a string", { action: "stop", dryRun: "true" }, /dryRun must be a boolean/],
    ["fails when an unknown field is present", { action: "stop", scheduleName: "prod" }, /unknown field\(s\) scheduleName/],
    ["fails when dryRun is misspelt", { action: "stop", dryrun: true }, /unknown field\(s\) dryrun/],
    ["fails when the event is an array", ["stop"], /must be an object/],
    ["fails when the event is null", null, /must be an object/],
    ["fails when the event is a raw EventBridge scheduled event", { version: "0", "detail-type": "Scheduled Event", source: "aws.events", detail: {} }, /unknown field/],
  ])("%s", (_name, event, message) => {
    expect(() => parseEvent(event)).toThrow(InvalidEventError);
    expect(() => parseEvent(event)).toThrow(message);
  });
});

describe("Env.fromProcess", () => {
  const base = { SCHEDULE_NAME: "office-hours", AWS_REGION: "eu-west-1", RECORD_PREFIX: "/retail-forecast/dev/scheduler" };
  test("reads the override and skip dates it honours: TIMEZONE, SKIP_DATES, KEEP_ALIVE_PARAMETER", () => {
    expect(Env.fromProcess(base).honour).toBeUndefined();
    const env = Env.fromProcess({ ...base, TIMEZONE: "Europe/London", SKIP_DATES: "2026-12-25, 2026-12-28", KEEP_ALIVE_PARAMETER: "/retail-forecast/dev/lifetime/keep-alive" });
    expect(env.honour).toEqual({ timezone: "Europe/London", skipDates: ["2026-12-25", "2026-12-28"], keepAliveParameter: "/retail-forecast/dev/lifetime/keep-alive" });
  });
  test.each([
    ["fails when TIMEZONE is not IANA", { TIMEZONE: "Mars/Olympus" }, /TIMEZONE must be an IANA timezone such as Europe\/London, got "Mars\/Olympus"/],
    ["fails when a skip date is not a date", { TIMEZONE: "UTC", SKIP_DATES: "2026-12-25,xmas" }, /SKIP_DATES must be dates YYYY-MM-DD separated by commas, got "xmas"/],
    ["fails when the keep-alive parameter is not an SSM path", { TIMEZONE: "UTC", KEEP_ALIVE_PARAMETER: "keep-alive" }, /KEEP_ALIVE_PARAMETER must be an SSM path/],
  ])("%s", (_n, extra, message) => {
    expect(() => Env.fromProcess({ ...base, ...extra })).toThrow(message);
  });
  test("reads, defaults and freezes", () => {
    const env = Env.fromProcess(base);
    expect(env).toMatchObject({ scheduleName: "office-hours", region: "eu-west-1", recordPrefix: "/retail-forecast/dev/scheduler", idleWindowHours: 24, idleInvocationsThreshold: 1 });
    expect(Object.isFrozen(env)).toBe(true);
    expect(Env.fromProcess({ ...base, IDLE_WINDOW_HOURS: "6", IDLE_INVOCATIONS_THRESHOLD: "20" })).toMatchObject({ idleWindowHours: 6, idleInvocationsThreshold: 20 });
  });
  test.each(["SCHEDULE_NAME", "AWS_REGION", "RECORD_PREFIX"])("fails when %s is missing, naming it", (name) => {
    const env: Record<string, string> = { ...base };
    delete env[name];
    expect(() => Env.fromProcess(env)).toThrow(new RegExp(`${name} is required`));
  });
  test("fails when IDLE_WINDOW_HOURS is not a whole number of hours, naming it", () => {
    expect(() => Env.fromProcess({ ...base, IDLE_WINDOW_HOURS: "1.5" })).toThrow(/IDLE_WINDOW_HOURS must be an integer/);
  });
  test("fails when RECORD_PREFIX is not an SSM path", () => {
    expect(() => Env.fromProcess({ ...base, RECORD_PREFIX: "retail/" })).toThrow(/RECORD_PREFIX must be an SSM path/);
  });
});

describe("records", () => {
  test("the prefix derives from project and environment", () => {
    expect(schedulerRecordPrefix({ project: "retail-forecast", name: "dev" })).toBe("/retail-forecast/dev/scheduler");
  });
  test("fails when a node group record has no valid sizes, instead of reading as 'no record'", () => {
    expect(() => parseNodegroupRecord("/p/nodegroups/c/n", JSON.stringify({ kind: "nodegroup", cluster: "c", nodegroup: "n", nodegroupArn: "a", scaling: { minSize: 0, desiredSize: 0, maxSize: 0 } }))).toThrow(/not a valid node group record/);
    expect(() => parseEndpointRecord("/p/endpoints/e", "not json")).toThrow(/is not JSON/);
  });
});

describe("handler", () => {
  test("fails when the event is invalid, before any AWS call", async () => {
    // GIVEN an endpoint that counts every request the SDK would send
    let requests = 0;
    const server = http.createServer((_req, res) => {
      requests++;
      res.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const saved = { ...process.env };
    Object.assign(process.env, {
      AWS_ENDPOINT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "x",
      AWS_SECRET_ACCESS_KEY: "x",
      SCHEDULE_NAME: "s",
      RECORD_PREFIX: "/p/scheduler",
      POWERTOOLS_LOG_LEVEL: "SILENT",
    });
    try {
      const { handler } = await import("../../lambda/scheduler/handler");
      // WHEN invalid events arrive THEN each is rejected and nothing reached "AWS"
      await expect(handler({ action: "destroy" })).rejects.toThrow(/action must be one of/);
      await expect(handler({ action: "stop", dryRun: "yes" })).rejects.toThrow(/dryRun must be a boolean/);
      await expect(handler("stop")).rejects.toThrow(/must be an object/);
      expect(requests).toBe(0);
      // AND a bad environment is named, also before any call
      delete process.env.SCHEDULE_NAME;
      await expect(handler({ action: "stop" })).rejects.toThrow(/SCHEDULE_NAME is required/);
      expect(requests).toBe(0);
    } finally {
      process.env = saved;
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
