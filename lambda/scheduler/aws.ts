/**
 * Every AWS call the scheduler makes, one small function each. Lists are paginated. Errors
 * the scheduler treats as facts (not found, already exists) become return values; all others
 * propagate to core.ts, which turns them into a failed target.
 */
import {
  DescribeNodegroupCommand,
  EKSClient,
  paginateListClusters,
  paginateListNodegroups,
  UpdateNodegroupConfigCommand,
} from "@aws-sdk/client-eks";
import {
  CreateEndpointCommand,
  DeleteEndpointCommand,
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  paginateListEndpoints,
  paginateListTags,
  SageMakerClient,
} from "@aws-sdk/client-sagemaker";
import {
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
  ListRulesCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-eventbridge";
import { CloudWatchClient, MetricDataQuery, paginateGetMetricData } from "@aws-sdk/client-cloudwatch";
import {
  DeleteParameterCommand,
  GetParameterCommand,
  paginateGetParametersByPath,
  PutParameterCommand,
  SSMClient,
} from "@aws-sdk/client-ssm";
import { errorName } from "../shared/errors";
import { AwsTarget, awsClientConfig } from "../shared/aws-client";
import type { NodegroupFacts } from "./plan";
import type { Scaling, Tags } from "./types";
import { pages } from "../shared/pages";

export interface SchedulerClients {
  readonly eks: EKSClient;
  readonly sagemaker: SageMakerClient;
  readonly events: EventBridgeClient;
  readonly cloudwatch: CloudWatchClient;
  readonly ssm: SSMClient;
}

/** The scheduler's clients, configured like every client of the project (lambda/shared/aws-client.ts). */
export function createClients(target: AwsTarget): SchedulerClients {
  const config = awsClientConfig(target);
  return {
    eks: new EKSClient(config),
    sagemaker: new SageMakerClient(config),
    events: new EventBridgeClient(config),
    cloudwatch: new CloudWatchClient(config),
    ssm: new SSMClient(config),
  };
}

const cached = new Map<string, SchedulerClients>();

/** One client per service per container (and region): built on first use, reused by warm invocations. */
export function defaultClients(region: string): SchedulerClients {
  let c = cached.get(region);
  if (!c) {
    c = createClients({ region });
    cached.set(region, c);
  }
  return c;
}

const PAGE = { pageSize: 100 };

const tagList = (tags: readonly { Key?: string; Value?: string }[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key!, t.Value ?? ""]));

// ---- EKS -----------------------------------------------------------------------------------

export interface NodegroupRef {
  readonly cluster: string;
  readonly nodegroup: string;
}

export async function listNodegroups(eks: EKSClient): Promise<NodegroupRef[]> {
  const refs: NodegroupRef[] = [];
  for await (const page of paginateListClusters({ client: eks, ...PAGE }, {})) {
    for (const cluster of page.clusters ?? []) {
      for await (const ngPage of paginateListNodegroups({ client: eks, ...PAGE }, { clusterName: cluster })) {
        for (const nodegroup of ngPage.nodegroups ?? []) refs.push({ cluster, nodegroup });
      }
    }
  }
  return refs;
}

/** undefined when the group (or its cluster) does not exist. */
export async function describeNodegroup(eks: EKSClient, ref: NodegroupRef): Promise<NodegroupFacts | undefined> {
  try {
    const { nodegroup: ng } = await eks.send(new DescribeNodegroupCommand({ clusterName: ref.cluster, nodegroupName: ref.nodegroup }));
    const s = ng?.scalingConfig ?? {};
    return {
      status: ng?.status ?? "UNKNOWN",
      arn: ng?.nodegroupArn ?? "",
      scaling: { minSize: s.minSize ?? 0, desiredSize: s.desiredSize ?? 0, maxSize: s.maxSize ?? 1 },
      tags: ng?.tags ?? {},
      capacityType: ng?.capacityType,
      instanceTypes: ng?.instanceTypes ?? [],
    };
  } catch (err) {
    if (errorName(err) === "ResourceNotFoundException") return undefined;
    throw err;
  }
}

/** All three sizes in one call, so the group never passes through a state EKS rejects. */
export async function updateNodegroupScaling(eks: EKSClient, ref: NodegroupRef, scaling: Scaling): Promise<string | undefined> {
  const out = await eks.send(
    new UpdateNodegroupConfigCommand({ clusterName: ref.cluster, nodegroupName: ref.nodegroup, scalingConfig: { ...scaling } }),
  );
  return out.update?.id;
}

// ---- SageMaker -----------------------------------------------------------------------------

export interface EndpointSummary {
  readonly name: string;
  readonly arn: string;
  readonly status: string;
  readonly createdAt?: Date;
}

export async function listEndpoints(sm: SageMakerClient): Promise<EndpointSummary[]> {
  const out: EndpointSummary[] = [];
  for await (const page of paginateListEndpoints({ client: sm, ...PAGE }, {})) {
    for (const e of page.Endpoints ?? []) {
      out.push({ name: e.EndpointName!, arn: e.EndpointArn!, status: e.EndpointStatus ?? "Unknown", createdAt: e.CreationTime });
    }
  }
  return out;
}

export async function endpointTags(sm: SageMakerClient, arn: string): Promise<Tags> {
  const tags: { Key?: string; Value?: string }[] = [];
  for await (const page of paginateListTags({ client: sm, ...PAGE }, { ResourceArn: arn })) tags.push(...(page.Tags ?? []));
  return tagList(tags);
}

export interface EndpointFacts {
  readonly name: string;
  readonly arn: string;
  readonly status: string;
  readonly configName: string;
  readonly variants: readonly string[];
  readonly createdAt?: Date;
}

/** SageMaker answers a missing endpoint with a ValidationException "Could not find endpoint". */
export const isEndpointNotFound = (err: unknown) =>
  errorName(err) === "ValidationException" && /could not find endpoint(?! config)/i.test((err as Error).message ?? "");

export async function describeEndpoint(sm: SageMakerClient, name: string): Promise<EndpointFacts | undefined> {
  try {
    const e = await sm.send(new DescribeEndpointCommand({ EndpointName: name }));
    return {
      name,
      arn: e.EndpointArn ?? "",
      status: e.EndpointStatus ?? "Unknown",
      configName: e.EndpointConfigName ?? "",
      variants: (e.ProductionVariants ?? []).map((v) => v.VariantName!).filter(Boolean),
      createdAt: e.CreationTime,
    };
  } catch (err) {
    if (isEndpointNotFound(err)) return undefined;
    throw err;
  }
}

/** The instances behind an endpoint config's variants (instance type undefined: serverless); undefined when the config is gone. */
export async function describeEndpointConfigVariants(sm: SageMakerClient, name: string): Promise<{ instanceType?: string; instanceCount: number }[] | undefined> {
  try {
    const c = await sm.send(new DescribeEndpointConfigCommand({ EndpointConfigName: name }));
    return (c.ProductionVariants ?? []).map((v) => (v.ServerlessConfig ? { instanceCount: 0 } : { instanceType: v.InstanceType, instanceCount: v.InitialInstanceCount ?? 1 }));
  } catch (err) {
    if (errorName(err) === "ValidationException") return undefined; // "Could not find endpoint configuration"
    throw err;
  }
}

/** "gone" when it was already deleted: deleting twice counts as done. */
export async function deleteEndpoint(sm: SageMakerClient, name: string): Promise<"deleted" | "gone"> {
  try {
    await sm.send(new DeleteEndpointCommand({ EndpointName: name }));
    return "deleted";
  } catch (err) {
    if (isEndpointNotFound(err)) return "gone";
    throw err;
  }
}

/** "exists" when another delivery of the same event (or a deploy) created it first. */
export async function createEndpoint(sm: SageMakerClient, name: string, configName: string, tags: Tags): Promise<"created" | "exists"> {
  try {
    await sm.send(
      new CreateEndpointCommand({
        EndpointName: name,
        EndpointConfigName: configName,
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    return "created";
  } catch (err) {
    if (errorName(err) === "ValidationException" && /already existing endpoint/i.test((err as Error).message ?? "")) return "exists";
    throw err;
  }
}

// ---- EventBridge ---------------------------------------------------------------------------

export interface RuleFacts {
  readonly name: string;
  readonly arn: string;
  readonly state?: string;
  readonly managedBy?: string;
}

/** Rules on the default bus (where scheduled rules live). */
export async function listRules(events: EventBridgeClient): Promise<RuleFacts[]> {
  const out: RuleFacts[] = [];
  for await (const page of pages((NextToken) => events.send(new ListRulesCommand({ NextToken, Limit: 100 })), (p) => p.NextToken)) {
    for (const r of page.Rules ?? []) out.push({ name: r.Name!, arn: r.Arn!, state: r.State, managedBy: r.ManagedBy });
  }
  return out;
}

export async function ruleTags(events: EventBridgeClient, arn: string): Promise<Tags> {
  const out = await events.send(new ListTagsForResourceCommand({ ResourceARN: arn }));
  return tagList(out.Tags);
}

export async function setRuleEnabled(events: EventBridgeClient, name: string, enabled: boolean): Promise<void> {
  await events.send(enabled ? new EnableRuleCommand({ Name: name }) : new DisableRuleCommand({ Name: name }));
}

// ---- CloudWatch ----------------------------------------------------------------------------

/**
 * Sum of AWS/SageMaker Invocations over [start, end) across the given variants of each
 * endpoint; an endpoint without datapoints had 0 invocations. One GetMetricData call serves up
 * to 500 queries, so endpoints are batched.
 */
export async function endpointInvocations(
  cw: CloudWatchClient,
  endpoints: readonly { name: string; variants: readonly string[] }[],
  start: Date,
  end: Date,
): Promise<Map<string, number>> {
  const sums = new Map<string, number>(endpoints.map((e) => [e.name, 0]));
  const periodSec = Math.max(60, Math.ceil((end.getTime() - start.getTime()) / 1000 / 60) * 60);
  const queries: { q: MetricDataQuery; endpoint: string }[] = [];
  for (const e of endpoints) {
    for (const variant of e.variants) {
      queries.push({
        endpoint: e.name,
        q: {
          Id: `q${queries.length}`,
          ReturnData: true,
          MetricStat: {
            Metric: {
              Namespace: "AWS/SageMaker",
              MetricName: "Invocations",
              Dimensions: [
                { Name: "EndpointName", Value: e.name },
                { Name: "VariantName", Value: variant },
              ],
            },
            Period: periodSec,
            Stat: "Sum",
          },
        },
      });
    }
  }
  const byId = new Map(queries.map((x) => [x.q.Id!, x.endpoint]));
  for (let i = 0; i < queries.length; i += 500) {
    const batch = queries.slice(i, i + 500).map((x) => x.q);
    for await (const page of paginateGetMetricData({ client: cw }, { MetricDataQueries: batch, StartTime: start, EndTime: end })) {
      for (const r of page.MetricDataResults ?? []) {
        const name = byId.get(r.Id ?? "");
        if (name !== undefined) sums.set(name, (sums.get(name) ?? 0) + (r.Values ?? []).reduce((a, b) => a + b, 0));
      }
    }
  }
  return sums;
}

// ---- SSM records ---------------------------------------------------------------------------

/** "exists" when a record is already there (Overwrite=false): the first record wins. */
export async function putRecordIfAbsent(ssm: SSMClient, name: string, value: string): Promise<"created" | "exists"> {
  try {
    await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: "String", Overwrite: false, Tier: "Intelligent-Tiering" }));
    return "created";
  } catch (err) {
    if (errorName(err) === "ParameterAlreadyExists") return "exists";
    throw err;
  }
}

export async function overwriteRecord(ssm: SSMClient, name: string, value: string): Promise<void> {
  await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: "String", Overwrite: true, Tier: "Intelligent-Tiering" }));
}

export async function getRecord(ssm: SSMClient, name: string): Promise<string | undefined> {
  try {
    const out = await ssm.send(new GetParameterCommand({ Name: name }));
    return out.Parameter?.Value;
  } catch (err) {
    if (errorName(err) === "ParameterNotFound") return undefined;
    throw err;
  }
}

/** Deleting a record that is already gone counts as done. */
export async function deleteRecord(ssm: SSMClient, name: string): Promise<void> {
  try {
    await ssm.send(new DeleteParameterCommand({ Name: name }));
  } catch (err) {
    if (errorName(err) !== "ParameterNotFound") throw err;
  }
}

export async function listRecords(ssm: SSMClient, path: string): Promise<{ name: string; value: string }[]> {
  const out: { name: string; value: string }[] = [];
  for await (const page of paginateGetParametersByPath({ client: ssm, pageSize: 10 }, { Path: path, Recursive: true })) {
    for (const p of page.Parameters ?? []) out.push({ name: p.Name!, value: p.Value ?? "" });
  }
  return out;
}
