/** sandbox/emulator/patches/eks.py: the EKS gaps it fills, seen through the SDK. */
import {
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  ListTagsForResourceCommand,
  ListUpdatesCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateClusterConfigCommand,
  UpdateNodegroupConfigCommand,
  UpdateNodegroupVersionCommand,
} from "@aws-sdk/client-eks";
import { Emulator, startEmulator } from "../../../sandbox/emulator";
import * as fx from "./fixtures";

// generous: 2 shared cores, several emulators may be starting at once
jest.setTimeout(120_000);

let emu: Emulator;
let eks: ReturnType<typeof fx.emulatorClients>["eks"];
beforeAll(async () => {
  emu = await startEmulator({ startTimeoutMs: 90_000 });
  eks = fx.emulatorClients(emu.endpoint).eks;
  await fx.createCluster(eks, "p");
  await fx.createNodegroup(eks, "p", "ng", { minSize: 1, desiredSize: 2, maxSize: 3 }, { Schedule: "s" });
});
afterAll(async () => {
  await emu?.stop();
});

const describeNg = async () => (await eks.send(new DescribeNodegroupCommand({ clusterName: "p", nodegroupName: "ng" }))).nodegroup!;

test("the eks patch is applied", () => {
  expect(emu.patches).toContain("eks");
});

test("node group tags can be listed, added and removed by ARN", async () => {
  const arn = (await describeNg()).nodegroupArn!;
  await eks.send(new TagResourceCommand({ resourceArn: arn, tags: { Owner: "platform" } }));
  expect((await eks.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({ Schedule: "s", Owner: "platform" });
  await eks.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ["Owner"] }));
  expect((await describeNg()).tags).toEqual({ Schedule: "s" });
});

test("a node group created without remote access has no remoteAccess block", async () => {
  const ng = await describeNg();
  expect(ng.remoteAccess).toBeUndefined();
  expect(ng.resources?.remoteAccessSecurityGroup).toBeUndefined();
});

test("node group config updates are recorded and can be described and listed", async () => {
  const { update } = await eks.send(new UpdateNodegroupConfigCommand({ clusterName: "p", nodegroupName: "ng", scalingConfig: { minSize: 0, desiredSize: 0, maxSize: 3 } }));
  expect(update?.params).toEqual(expect.arrayContaining([{ type: "MinSize", value: "0" }, { type: "DesiredSize", value: "0" }, { type: "MaxSize", value: "3" }]));
  const described = await eks.send(new DescribeUpdateCommand({ name: "p", updateId: update!.id!, nodegroupName: "ng" }));
  expect(described.update).toMatchObject({ id: update!.id, status: "Successful", type: "ConfigUpdate" });
  const v = await eks.send(new UpdateNodegroupVersionCommand({ clusterName: "p", nodegroupName: "ng", version: "1.31" }));
  expect((await eks.send(new ListUpdatesCommand({ name: "p", nodegroupName: "ng" }))).updateIds).toEqual([update!.id, v.update!.id]);
  expect((await describeNg()).version).toBe("1.31");
});

test("fails when a scaling update breaks EKS's rules (min > max)", async () => {
  await expect(eks.send(new UpdateNodegroupConfigCommand({ clusterName: "p", nodegroupName: "ng", scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 2 } }))).rejects.toMatchObject({
    name: "InvalidParameterException",
  });
});

test("cluster config updates return an update that DescribeUpdate knows", async () => {
  const { update } = await eks.send(new UpdateClusterConfigCommand({ name: "p", logging: { clusterLogging: [{ types: ["audit"], enabled: true }] } }));
  expect(update?.type).toBe("LoggingUpdate");
  expect((await eks.send(new DescribeUpdateCommand({ name: "p", updateId: update!.id! }))).update?.status).toBe("Successful");
});
