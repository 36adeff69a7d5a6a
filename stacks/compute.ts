/**
 * `<env>-compute`: ephemeral. Teardown destroys it, restore deploys it again (by hand, or by the
 * compute lifetime's schedules). VPC with an S3 gateway endpoint and the configured egress (NAT
 * gateway, NAT instance or none), EKS with SPOT managed node groups, the cluster autoscaler's
 * IRSA role, and the SageMaker model, endpoint config and endpoint. Every IAM role here carries
 * the permissions boundary the data stack owns (cli/ops/compute-boundary.ts).
 */
import { Construct } from "constructs";
import { Aspects, TerraformOutput } from "cdktf";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { keyPolicy } from "../modules/kms";
import { PlatformStack, PlatformStackProps } from "./platform-stack";
import { Network } from "../modules/network";
import { EksCluster } from "../modules/eks-cluster";
import { SpotNodeGroup } from "../modules/spot-node-group";
import { PermissionsBoundary, Role } from "../modules/iam";
import { SageMakerEndpoint } from "../modules/sagemaker-endpoint";
import { scheduleTags } from "../modules/tags";
import { clusterAutoscalerStatements } from "../k8s/cluster-autoscaler";

export class ComputeStack extends PlatformStack {
  readonly clusterAutoscalerRoleArn: string;

  constructor(scope: Construct, props: PlatformStackProps) {
    super(scope, "compute", props);
    const cfg = this.config;
    const n = this.names;
    const arn = (service: string, resource: string) => `arn:aws:${service}:${cfg.region}:${cfg.accountId}:${resource}`;
    // Every role of this stack is bounded by the data stack's policy: the compute lifetime's build
    // recreates these roles nightly and may do so only with this boundary (cli/ops/iam.ts).
    Aspects.of(this).add(new PermissionsBoundary(n.computeBoundaryArn));

    const network = new Network(this, "Network", {
      name: n.prefix,
      cidr: cfg.network.vpcCidr,
      region: cfg.region,
      egress: cfg.network.egress,
      clusterName: n.cluster,
      publicNodes: cfg.eks.nodeSubnets === "public",
      instanceTags: this.requiredTags,
    });
    const nodeSubnets = cfg.eks.nodeSubnets === "public" ? network.publicSubnets : network.privateSubnets;

    // One key for the environment's compute (EKS secrets, endpoint storage): $1/month instead of one per use.
    const key = new KmsKey(this, "ComputeKey", {
      description: `${n.prefix}: EKS secrets and SageMaker endpoint storage`,
      enableKeyRotation: true,
      deletionWindowInDays: 7,
      policy: keyPolicy(cfg.accountId),
    });
    // The ops stack outlives this one, and every restore makes a new key: the scheduler's grant
    // names the key by this alias (kms:ResourceAliases), which each restore recreates.
    new KmsAlias(this, "ComputeKeyAlias", { name: n.computeKeyAlias, targetKeyId: key.keyId });

    const eks = new EksCluster(this, "Cluster", {
      name: n.cluster,
      version: cfg.eks.version,
      supportType: cfg.eks.supportType,
      subnetIds: [...network.privateSubnets, ...network.publicSubnets].map((s) => s.id),
      publicAccessCidrs: cfg.network.eksPublicAccessCidrs,
      logTypes: cfg.eks.logTypes,
      secretsKey: key,
    });
    // The EKS control-plane log group (with retention) lives in the data stack: created before the
    // cluster, it keeps EKS from creating one that never expires.

    const nodeRole = new Role(this, "NodeRole", {
      name: `${n.prefix}-node`,
      assumedBy: "ec2.amazonaws.com",
      managedPolicyArns: [
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
        "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
      ],
    });
    for (const [key_, g] of Object.entries(cfg.eks.nodeGroups)) {
      new SpotNodeGroup(this, `NodeGroup-${key_}`, {
        // The literal name (not a reference): it also goes into tag keys, which cannot interpolate.
        clusterName: n.cluster,
        name: n.nodeGroup(key_),
        nodeRoleArn: nodeRole.role.arn,
        subnetIds: nodeSubnets.map((s) => s.id),
        instanceTypes: g.instanceTypes,
        capacityType: g.capacityType,
        minSize: g.minSize,
        maxSize: g.maxSize,
        desiredSize: g.desiredSize,
        diskSizeGb: g.diskSizeGb,
        labels: g.labels,
        tags: scheduleTags(cfg.schedule.name, g.scheduled),
        instanceTags: this.requiredTags,
        dependsOn: [...nodeRole.attachments, eks.cluster],
      });
    }

    const caRole = new Role(this, "ClusterAutoscalerRole", {
      name: `${n.prefix}-cluster-autoscaler`,
      assumedBy: {
        Effect: "Allow",
        Principal: { Federated: eks.oidcProvider.arn },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: {
            [`${eks.oidcIssuerHost}:sub`]: "system:serviceaccount:kube-system:cluster-autoscaler",
            [`${eks.oidcIssuerHost}:aud`]: "sts.amazonaws.com",
          },
        },
      },
      statements: clusterAutoscalerStatements({ region: cfg.region, accountId: cfg.accountId, clusterName: n.cluster }),
    });
    this.clusterAutoscalerRoleArn = caRole.role.arn;

    const sagemakerRole = new Role(this, "SageMakerRole", {
      name: n.sagemakerRole,
      assumedBy: "sagemaker.amazonaws.com",
      statements: [
        {
          Sid: "ReadWritePlatformBuckets",
          Effect: "Allow",
          Action: ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"],
          Resource: [n.dataBucket, n.modelsBucket, n.artifactsBucket].map((b) => `arn:aws:s3:::${b}/*`),
        },
        {
          Sid: "ListPlatformBuckets",
          Effect: "Allow",
          Action: ["s3:ListBucket"],
          Resource: [n.dataBucket, n.modelsBucket, n.artifactsBucket].map((b) => `arn:aws:s3:::${b}`),
        },
        { Sid: "EcrLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
        {
          Sid: "PullImages",
          Effect: "Allow",
          Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"],
          Resource: [
            arn("ecr", `repository/${n.prefix}/*`),
            // SageMaker's own framework images live in AWS's account.
            `arn:aws:ecr:${cfg.region}:${cfg.sagemaker.modelImage.split(".")[0]}:repository/*`,
          ],
        },
        {
          Sid: "WriteOwnLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [arn("logs", `log-group:${n.logGroups.training}:*`), arn("logs", `log-group:/aws/sagemaker/Endpoints/${n.prefix}-*:*`)],
        },
        {
          Sid: "PublishMetrics",
          Effect: "Allow",
          Action: ["cloudwatch:PutMetricData"],
          Resource: "*",
          Condition: { StringLike: { "cloudwatch:namespace": ["/aws/sagemaker/*", "AWS/SageMaker"] } },
        },
      ],
    });

    const ep = new SageMakerEndpoint(this, "ForecastEndpoint", {
      modelName: n.model,
      endpointName: n.endpoint,
      endpointConfigName: n.endpointConfig,
      image: cfg.sagemaker.modelImage,
      modelDataUrl: `s3://${n.modelsBucket}/${cfg.sagemaker.modelDataKey}`,
      executionRoleArn: sagemakerRole.role.arn,
      endpoint: cfg.sagemaker.endpoint,
      kmsKeyArn: key.arn,
      tags: scheduleTags(cfg.schedule.name, cfg.sagemaker.endpointScheduled),
    });

    new TerraformOutput(this, "vpc_id", { value: network.vpc.id });
    new TerraformOutput(this, "cluster_name", { value: eks.cluster.name });
    new TerraformOutput(this, "cluster_autoscaler_role_arn", { value: caRole.role.arn });
    new TerraformOutput(this, "sagemaker_role_arn", { value: sagemakerRole.role.arn });
    new TerraformOutput(this, "endpoint_name", { value: ep.endpoint.name });
  }
}
