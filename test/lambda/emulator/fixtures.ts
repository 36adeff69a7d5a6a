/** Builds tagged resources in the emulator for the scheduler tests and the benchmark. */
import { CreateClusterCommand, CreateNodegroupCommand, DescribeNodegroupCommand, EKSClient } from "@aws-sdk/client-eks";
import { CreateEndpointCommand, CreateEndpointConfigCommand, CreateModelCommand, DescribeEndpointCommand, SageMakerClient } from "@aws-sdk/client-sagemaker";
import { DescribeRuleCommand, EventBridgeClient, PutRuleCommand } from "@aws-sdk/client-eventbridge";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import { createClients, SchedulerClients } from "../../../lambda/scheduler/aws";

export const REGION = "us-east-1";
export const ROLE = "arn:aws:iam::123456789012:role/fixture";

export function emulatorClients(endpoint: string): SchedulerClients {
  return createClients({ region: REGION, emulatorEndpoint: endpoint });
}

const kv = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

export async function createCluster(eks: EKSClient, name: string, tags: Record<string, string> = {}) {
  await eks.send(new CreateClusterCommand({ name, roleArn: ROLE, resourcesVpcConfig: { subnetIds: ["subnet-1"] }, tags }));
}

export async function createNodegroup(
  eks: EKSClient,
  cluster: string,
  name: string,
  scaling: { minSize: number; desiredSize: number; maxSize: number },
  tags: Record<string, string>,
  capacity: { instanceTypes?: string[]; capacityType?: "SPOT" | "ON_DEMAND" } = {},
) {
  await eks.send(new CreateNodegroupCommand({ clusterName: cluster, nodegroupName: name, nodeRole: ROLE, subnets: ["subnet-1"], scalingConfig: scaling, tags, ...capacity }));
}

export async function scalingOf(eks: EKSClient, cluster: string, name: string) {
  const { nodegroup } = await eks.send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: name }));
  const s = nodegroup!.scalingConfig!;
  return { minSize: s.minSize, desiredSize: s.desiredSize, maxSize: s.maxSize };
}

/** Model + endpoint config + endpoint (moto creates it InService), tagged. */
export async function createEndpoint(sm: SageMakerClient, name: string, tags: Record<string, string>, variants = ["AllTraffic"]) {
  await sm.send(new CreateModelCommand({ ModelName: `${name}-model`, ExecutionRoleArn: ROLE, PrimaryContainer: { Image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/inference:1" } }));
  await sm.send(
    new CreateEndpointConfigCommand({
      EndpointConfigName: `${name}-config`,
      ProductionVariants: variants.map((VariantName) => ({ VariantName, ModelName: `${name}-model`, InitialInstanceCount: 1, InstanceType: "ml.t2.medium" })),
    }),
  );
  await sm.send(new CreateEndpointCommand({ EndpointName: name, EndpointConfigName: `${name}-config`, Tags: kv(tags) }));
}

export async function endpointStatus(sm: SageMakerClient, name: string): Promise<{ status: string; config: string } | undefined> {
  try {
    const e = await sm.send(new DescribeEndpointCommand({ EndpointName: name }));
    return { status: e.EndpointStatus!, config: e.EndpointConfigName! };
  } catch (err) {
    if ((err as Error).name === "ValidationException") return undefined;
    throw err;
  }
}

export async function createRule(events: EventBridgeClient, name: string, tags: Record<string, string>, state: "ENABLED" | "DISABLED" = "ENABLED") {
  await events.send(new PutRuleCommand({ Name: name, ScheduleExpression: "cron(0 2 * * ? *)", State: state, Tags: kv(tags) }));
}

export async function ruleState(events: EventBridgeClient, name: string) {
  return (await events.send(new DescribeRuleCommand({ Name: name }))).State;
}

export async function readParam(ssm: SSMClient, name: string): Promise<string | undefined> {
  try {
    return (await ssm.send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
  } catch (err) {
    if ((err as Error).name === "ParameterNotFound") return undefined;
    throw err;
  }
}

/** Counts every SDK command sent through the clients, by name, with a toggle to start over. */
export function countCalls(clients: SchedulerClients) {
  const calls: string[] = [];
  for (const client of Object.values(clients) as { middlewareStack: { add: Function } }[]) {
    client.middlewareStack.add(
      (next: (a: unknown) => Promise<unknown>, context: { commandName?: string }) => async (args: unknown) => {
        calls.push(context.commandName ?? "?");
        return next(args);
      },
      { step: "initialize", name: "countCalls" },
    );
  }
  return {
    calls,
    writes: () => calls.filter((c) => !/^(List|Describe|Get)/.test(c)),
    reset: () => void calls.splice(0),
  };
}
