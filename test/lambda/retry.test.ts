/**
 * Backoff for what the SDK does not retry: EKS ResourceInUseException (an update already
 * running) and node groups that are not ACTIVE. Fake clients: no emulator needed.
 */
import { EKSClient } from "@aws-sdk/client-eks";
import { SageMakerClient } from "@aws-sdk/client-sagemaker";
import { EventBridgeClient } from "@aws-sdk/client-eventbridge";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { SSMClient } from "@aws-sdk/client-ssm";
import { mapPool } from "../../lambda/shared/concurrency";
import { backoffDelayMs, retry } from "../../lambda/shared/retry";
import { runScheduler } from "../../lambda/scheduler/core";
import type { SchedulerClients } from "../../lambda/scheduler/aws";

type Handler = (input: Record<string, unknown>) => unknown;

/** Real client objects whose send() answers from a table keyed by command name. */
function fakeClients(handlers: Record<string, Handler>, calls: string[]): SchedulerClients {
  const mk = <T extends { send: unknown }>(client: T): T => {
    (client as { send: unknown }).send = async (cmd: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = cmd.constructor.name.replace(/Command$/, "");
      calls.push(name);
      const h = handlers[name];
      if (!h) throw new Error(`fake: unexpected ${name}`);
      return h(cmd.input);
    };
    return client;
  };
  const cfg = { region: "us-east-1", credentials: { accessKeyId: "x", secretAccessKey: "x" } };
  return {
    eks: mk(new EKSClient(cfg)),
    sagemaker: mk(new SageMakerClient(cfg)),
    events: mk(new EventBridgeClient(cfg)),
    cloudwatch: mk(new CloudWatchClient(cfg)),
    ssm: mk(new SSMClient(cfg)),
  };
}

const awsError = (name: string) => Object.assign(new Error(`${name}: simulated`), { name });
const settings = { scheduleName: "s", region: "us-east-1", recordPrefix: "/p/scheduler", idleWindowHours: 24, idleInvocationsThreshold: 1 };

function oneNodegroup(status: () => string, update: () => unknown, calls: string[]) {
  return fakeClients(
    {
      ListClusters: () => ({ clusters: ["c"] }),
      ListNodegroups: () => ({ nodegroups: ["ng"] }),
      DescribeNodegroup: () => ({ nodegroup: { status: status(), nodegroupArn: "arn:ng", scalingConfig: { minSize: 1, desiredSize: 2, maxSize: 3 }, tags: { Schedule: "s" } } }),
      UpdateNodegroupConfig: update,
      GetParametersByPath: () => ({ Parameters: [] }),
      PutParameter: () => ({}),
      ListEndpoints: () => ({ Endpoints: [] }),
      ListRules: () => ({ Rules: [] }),
    },
    calls,
  );
}

describe("retry", () => {
  test("delays double from the base up to the cap", () => {
    expect([1, 2, 3, 4, 5].map((a) => backoffDelayMs(a, { baseDelayMs: 1000, maxDelayMs: 5000 }))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  test("does not retry errors it was not told to", async () => {
    let n = 0;
    await expect(
      retry(async () => {
        n++;
        throw awsError("AccessDeniedException");
      }, () => false),
    ).rejects.toThrow(/AccessDenied/);
    expect(n).toBe(1);
  });

  test("ResourceInUseException on UpdateNodegroupConfig is retried with backoff until it succeeds", async () => {
    const calls: string[] = [];
    let updates = 0;
    const slept: number[] = [];
    const clients = oneNodegroup(
      () => "ACTIVE",
      () => {
        if (++updates < 3) throw awsError("ResourceInUseException");
        return { update: { id: "u1" } };
      },
      calls,
    );

    const summary = await runScheduler({ action: "stop", dryRun: false }, settings, {
      clients,
      retry: { attempts: 5, baseDelayMs: 100, sleep: async (ms) => void slept.push(ms) },
    });

    expect(summary.results[0]).toMatchObject({ id: "c/ng", outcome: "stopped", after: { minSize: 0, desiredSize: 0, maxSize: 3 } });
    expect(updates).toBe(3);
    expect(slept).toEqual([100, 200]);
  });

  test("fails when ResourceInUseException outlasts the bounded retries, and says how many attempts were made", async () => {
    const calls: string[] = [];
    const clients = oneNodegroup(
      () => "ACTIVE",
      () => {
        throw awsError("ResourceInUseException");
      },
      calls,
    );

    const summary = await runScheduler({ action: "stop", dryRun: false }, settings, { clients, retry: { attempts: 4, baseDelayMs: 1, sleep: async () => undefined } });

    expect(summary.results[0]).toMatchObject({ outcome: "failed", reason: expect.stringMatching(/gave up after 4 attempts: ResourceInUseException/) });
    expect(calls.filter((c) => c === "UpdateNodegroupConfig")).toHaveLength(4);
  });

  test("a node group that is UPDATING is re-described until ACTIVE, then stopped", async () => {
    const calls: string[] = [];
    const statuses = ["UPDATING", "UPDATING", "ACTIVE"];
    const clients = oneNodegroup(() => statuses.shift() ?? "ACTIVE", () => ({ update: { id: "u" } }), calls);

    const summary = await runScheduler({ action: "stop", dryRun: false }, settings, { clients, retry: { attempts: 5, baseDelayMs: 1, sleep: async () => undefined } });

    expect(summary.results[0].outcome).toBe("stopped");
    expect(calls.filter((c) => c === "DescribeNodegroup")).toHaveLength(3);
  });

  test("fails when a node group stays non-ACTIVE past the retries, with no change made", async () => {
    const calls: string[] = [];
    const clients = oneNodegroup(() => "UPDATING", () => ({ update: { id: "u" } }), calls);

    const summary = await runScheduler({ action: "stop", dryRun: false }, settings, { clients, retry: { attempts: 3, baseDelayMs: 1, sleep: async () => undefined } });

    expect(summary.results[0]).toMatchObject({ outcome: "failed", reason: expect.stringContaining("not ACTIVE (UPDATING)") });
    expect(calls).not.toContain("UpdateNodegroupConfig");
    expect(calls).not.toContain("PutParameter");
  });

  test("a listing that fails becomes one failed result while the other kinds still run", async () => {
    const calls: string[] = [];
    const clients = fakeClients(
      {
        ListClusters: () => {
          throw awsError("AccessDeniedException");
        },
        GetParametersByPath: () => ({ Parameters: [] }),
        ListEndpoints: () => ({ Endpoints: [] }),
        ListRules: () => ({ Rules: [{ Name: "r", Arn: "arn:r", State: "ENABLED" }] }),
        ListTagsForResource: () => ({ Tags: [{ Key: "Schedule", Value: "s" }] }),
        DisableRule: () => ({}),
      },
      calls,
    );

    const summary = await runScheduler({ action: "stop", dryRun: false }, settings, { clients });

    expect(summary.results).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: "nodegroup", id: "*", outcome: "failed", reason: expect.stringContaining("AccessDenied") }),
        expect.objectContaining({ kind: "rule", id: "r", outcome: "stopped" }),
      ]),
    );
  });
});

describe("mapPool", () => {
  test("never has more than the limit in flight and keeps input order", async () => {
    let inFlight = 0;
    let peak = 0;
    const out = await mapPool([...Array(40).keys()], 8, async (i) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, (i * 7) % 5));
      inFlight--;
      return i * 2;
    });
    expect(peak).toBe(8);
    expect(out).toEqual([...Array(40).keys()].map((i) => i * 2));
  });
  test("fails when the limit is not a positive integer", async () => {
    await expect(mapPool([1], 0, async (x) => x)).rejects.toThrow(/limit must be an integer >= 1/);
  });
});

describe("createLimiter", () => {
  test("several callers together never exceed the bound", async () => {
    const { createLimiter } = await import("../../lambda/shared/concurrency");
    const limit = createLimiter(3);
    let inFlight = 0;
    let peak = 0;
    const work = () =>
      limit(async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
      });
    await Promise.all([Promise.all(Array.from({ length: 10 }, work)), Promise.all(Array.from({ length: 10 }, work))]);
    expect(peak).toBe(3);
  });
});

test("a whole run (discovery of every kind and the targets) keeps at most `concurrency` calls in flight", async () => {
  let inFlight = 0;
  let peak = 0;
  const slow = (fn: Handler): Handler => async (input) => {
    inFlight++;
    peak = Math.max(peak, inFlight);
    await new Promise((r) => setTimeout(r, 3));
    inFlight--;
    return fn(input);
  };
  const ngs = Array.from({ length: 12 }, (_, i) => `ng${i}`);
  const clients = fakeClients(
    {
      ListClusters: () => ({ clusters: ["c"] }),
      ListNodegroups: () => ({ nodegroups: ngs }),
      DescribeNodegroup: slow((i) => ({ nodegroup: { status: "ACTIVE", nodegroupArn: `arn:${i.nodegroupName}`, scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 2 }, tags: { Schedule: "s" } } })),
      UpdateNodegroupConfig: slow(() => ({ update: { id: "u" } })),
      GetParametersByPath: () => ({ Parameters: [] }),
      PutParameter: () => ({}),
      ListEndpoints: () => ({ Endpoints: ngs.map((n) => ({ EndpointName: n, EndpointArn: `arn:e:${n}`, EndpointStatus: "InService" })) }),
      ListTags: slow(() => ({ Tags: [] })),
      ListRules: () => ({ Rules: ngs.map((n) => ({ Name: n, Arn: `arn:r:${n}`, State: "ENABLED" })) }),
      ListTagsForResource: slow(() => ({ Tags: [] })),
    },
    [],
  );

  const summary = await runScheduler({ action: "stop", dryRun: false }, { ...settings, concurrency: 3 }, { clients });

  expect(summary.totals).toMatchObject({ stopped: 12, failed: 0 });
  expect(peak).toBe(3);
});

test("fails only the endpoint whose tags cannot be read; the others are still stopped", async () => {
  const clients = fakeClients(
    {
      ListClusters: () => ({ clusters: [] }),
      GetParametersByPath: () => ({ Parameters: [] }),
      ListEndpoints: () => ({ Endpoints: ["a", "b"].map((n) => ({ EndpointName: n, EndpointArn: `arn:e:${n}`, EndpointStatus: "InService" })) }),
      ListTags: (i) => {
        if (i.ResourceArn === "arn:e:b") throw awsError("AccessDeniedException");
        return { Tags: [{ Key: "Schedule", Value: "s" }] };
      },
      DescribeEndpoint: (i) => ({ EndpointName: i.EndpointName, EndpointStatus: "InService", EndpointConfigName: "cfg" }),
      PutParameter: () => ({}),
      DeleteEndpoint: () => ({}),
      ListRules: () => ({ Rules: [] }),
    },
    [],
  );

  const summary = await runScheduler({ action: "stop", dryRun: false }, settings, { clients });

  expect(summary.results).toEqual([
    expect.objectContaining({ id: "b", outcome: "failed", reason: expect.stringContaining("reading tags failed: AccessDeniedException") }),
    expect.objectContaining({ id: "a", outcome: "stopped" }),
  ]);
});
