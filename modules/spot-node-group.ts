/**
 * EKS managed node group on SPOT over several instance pools, behind a launch template that
 * enforces IMDSv2 and tags the instances and volumes it launches (default_tags do not reach
 * them). Terraform ignores min_size and desired_size so the out-of-hours scheduler's changes
 * and the cluster autoscaler's never show up as drift.
 *
 *   new SpotNodeGroup(this, "NodeGroup-api", { clusterName, name: "retail-forecast-dev-api",
 *     subnetIds, nodeRoleArn, instanceTypes: ["t3.medium", "t3a.medium", "t2.medium"],
 *     capacityType: "SPOT", minSize: 2, maxSize: 5, desiredSize: 2, labels: { app: "retail-api" },
 *     tags: { Schedule: "office-hours" }, instanceTags: { Project: "retail-forecast", ... } });
 */
import { Construct } from "constructs";
import { Token } from "cdktf";
import { EksNodeGroup } from "@cdktf/provider-aws/lib/eks-node-group";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";

/** EKS managed node group capacity: SPOT (diversified pools) or ON_DEMAND. */
export type CapacityType = "SPOT" | "ON_DEMAND";

export interface SpotNodeGroupProps {
  readonly clusterName: string;
  readonly name: string;
  readonly nodeRoleArn: string;
  readonly subnetIds: readonly string[];
  readonly instanceTypes: readonly string[];
  /** @default "SPOT" */
  readonly capacityType?: CapacityType;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredSize: number;
  /** @default 20 */
  readonly diskSizeGb?: number;
  readonly labels?: Readonly<Record<string, string>>;
  /** Extra node group tags (e.g. Schedule). */
  readonly tags?: Readonly<Record<string, string>>;
  /** Cost tags for launched instances and volumes. */
  readonly instanceTags: Readonly<Record<string, string>>;
  /**
   * IMDS hop limit: 1 blocks pods from node credentials, 2 lets non-IRSA pods through.
   * @default 2 (exception CKV_AWS_341 in policy/exceptions.ts)
   */
  readonly imdsHopLimit?: number;
  /** Resources the node group must wait for (role policy attachments). */
  readonly dependsOn?: readonly any[];
}

export class SpotNodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroup;
  readonly launchTemplate: LaunchTemplate;

  constructor(scope: Construct, id: string, props: SpotNodeGroupProps) {
    super(scope, id);
    const capacityType = props.capacityType ?? "SPOT";
    if (props.maxSize < 1) throw new Error(`maxSize must be >= 1 (EKS rejects 0), got ${props.maxSize}`);
    if (props.minSize < 0 || props.minSize > props.maxSize) throw new Error(`minSize must be in [0, maxSize=${props.maxSize}], got ${props.minSize}`);
    if (props.desiredSize < props.minSize || props.desiredSize > props.maxSize) {
      throw new Error(`desiredSize must be in [minSize, maxSize] = [${props.minSize}, ${props.maxSize}], got ${props.desiredSize}`);
    }
    if (capacityType === "SPOT" && props.instanceTypes.length < 2) {
      throw new Error(`a SPOT node group needs at least two instanceTypes to diversify pools, got ${JSON.stringify(props.instanceTypes)}`);
    }
    const instanceTags = { ...props.instanceTags, Name: props.name };
    this.launchTemplate = new LaunchTemplate(this, "LaunchTemplate", {
      name: props.name,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: props.imdsHopLimit ?? 2,
      },
      blockDeviceMappings: [
        { deviceName: "/dev/xvda", ebs: { volumeSize: props.diskSizeGb ?? 20, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } },
      ],
      tagSpecifications: [
        { resourceType: "instance", tags: instanceTags },
        { resourceType: "volume", tags: instanceTags },
      ],
    });
    this.nodeGroup = new EksNodeGroup(this, "Resource", {
      clusterName: props.clusterName,
      nodeGroupName: props.name,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: [...props.subnetIds],
      capacityType,
      instanceTypes: [...props.instanceTypes],
      scalingConfig: { minSize: props.minSize, maxSize: props.maxSize, desiredSize: props.desiredSize },
      // Node-level disruption budget for rolling updates and spot rebalancing.
      updateConfig: { maxUnavailable: 1 },
      labels: { ...props.labels },
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      tags: {
        ...props.tags,
        // EKS also puts these on the node group's ASG; the cluster autoscaler discovers groups by them.
        "k8s.io/cluster-autoscaler/enabled": "true",
        [`k8s.io/cluster-autoscaler/${props.clusterName}`]: "owned",
      },
      lifecycle: { ignoreChanges: ["scaling_config[0].desired_size", "scaling_config[0].min_size"] },
      dependsOn: props.dependsOn ? [...props.dependsOn] : undefined,
    });
  }
}
