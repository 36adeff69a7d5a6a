/**
 * Cluster autoscaler and disruption budgets, as Kubernetes manifests generated from TypeScript.
 *
 * Why manifests and not a Kubernetes/Helm provider stack: those providers are not in the offline
 * mirror, a provider that talks to the cluster cannot plan before the cluster exists (so it
 * cannot share a stack with it), and a plain manifest is reviewable in the pull request and
 * applied with `kubectl apply` by the deploy workflow only where a real cluster exists. The IAM
 * side (IRSA role and its policy) is Terraform, in the compute stack.
 */
import { PolicyStatement } from "../modules/iam";
import type { EnvironmentConfig } from "../config/types";
import { names } from "../config/naming";

export interface ClusterAutoscalerIamProps {
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
}

/** Least privilege for cluster-autoscaler with auto-discovery (reads anywhere, writes only to this cluster's groups). */
export function clusterAutoscalerStatements(p: ClusterAutoscalerIamProps): PolicyStatement[] {
  return [
    {
      // Describe calls take no resource ARN in IAM.
      Sid: "Discover",
      Effect: "Allow",
      Action: [
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeAutoScalingInstances",
        "autoscaling:DescribeLaunchConfigurations",
        "autoscaling:DescribeScalingActivities",
        "autoscaling:DescribeTags",
        "ec2:DescribeImages",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:GetInstanceTypesFromInstanceRequirements",
      ],
      Resource: "*",
    },
    {
      Sid: "DescribeOwnNodegroups",
      Effect: "Allow",
      Action: ["eks:DescribeNodegroup"],
      Resource: `arn:aws:eks:${p.region}:${p.accountId}:nodegroup/${p.clusterName}/*/*`,
    },
    {
      Sid: "ScaleOwnGroups",
      Effect: "Allow",
      Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
      Resource: `arn:aws:autoscaling:${p.region}:${p.accountId}:autoScalingGroup:*:autoScalingGroupName/*`,
      Condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${p.clusterName}`]: "owned" } },
    },
  ];
}

export interface ManifestProps {
  readonly clusterName: string;
  readonly region: string;
  /** IRSA role of the autoscaler (compute stack output cluster_autoscaler_role_arn). */
  readonly roleArn: string;
  /** @default "v1.35.0" (match the cluster's minor version) */
  readonly imageTag?: string;
}

type Manifest = Record<string, unknown>;

/** cluster-autoscaler: auto-discovery by tag, least-waste expander, balanced similar groups, PDB. */
export function clusterAutoscalerManifests(p: ManifestProps): Manifest[] {
  const labels = { "app.kubernetes.io/name": "cluster-autoscaler" };
  const meta = { name: "cluster-autoscaler", namespace: "kube-system", labels };
  return [
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { ...meta, annotations: { "eks.amazonaws.com/role-arn": p.roleArn } } },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRole",
      metadata: { name: "cluster-autoscaler", labels },
      rules: [
        { apiGroups: [""], resources: ["events", "endpoints"], verbs: ["create", "patch"] },
        { apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"] },
        { apiGroups: [""], resources: ["pods/status"], verbs: ["update"] },
        { apiGroups: [""], resources: ["endpoints"], resourceNames: ["cluster-autoscaler"], verbs: ["get", "update"] },
        { apiGroups: [""], resources: ["nodes"], verbs: ["watch", "list", "get", "update"] },
        { apiGroups: [""], resources: ["namespaces", "pods", "services", "replicationcontrollers", "persistentvolumeclaims", "persistentvolumes"], verbs: ["watch", "list", "get"] },
        { apiGroups: ["extensions", "apps"], resources: ["daemonsets", "replicasets", "statefulsets"], verbs: ["watch", "list", "get"] },
        { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["watch", "list"] },
        { apiGroups: ["batch"], resources: ["jobs", "cronjobs"], verbs: ["watch", "list", "get"] },
        { apiGroups: ["storage.k8s.io"], resources: ["storageclasses", "csinodes", "csidrivers", "csistoragecapacities", "volumeattachments"], verbs: ["watch", "list", "get"] },
        { apiGroups: ["coordination.k8s.io"], resources: ["leases"], verbs: ["create"] },
        { apiGroups: ["coordination.k8s.io"], resourceNames: ["cluster-autoscaler"], resources: ["leases"], verbs: ["get", "update"] },
      ],
    },
    {
      apiVersion: "rbac.authorization.k8s.io/v1",
      kind: "ClusterRoleBinding",
      metadata: { name: "cluster-autoscaler", labels },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-autoscaler" },
      subjects: [{ kind: "ServiceAccount", name: "cluster-autoscaler", namespace: "kube-system" }],
    },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta,
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels, annotations: { "cluster-autoscaler.kubernetes.io/safe-to-evict": "false" } },
          spec: {
            serviceAccountName: "cluster-autoscaler",
            priorityClassName: "system-cluster-critical",
            securityContext: { runAsNonRoot: true, runAsUser: 65534, fsGroup: 65534 },
            containers: [
              {
                name: "cluster-autoscaler",
                image: `registry.k8s.io/autoscaling/cluster-autoscaler:${p.imageTag ?? "v1.35.0"}`,
                command: [
                  "./cluster-autoscaler",
                  "--cloud-provider=aws",
                  `--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/${p.clusterName}`,
                  "--expander=least-waste",
                  "--balance-similar-node-groups",
                  "--skip-nodes-with-system-pods=false",
                  "--scale-down-unneeded-time=5m",
                ],
                env: [{ name: "AWS_REGION", value: p.region }],
                resources: { requests: { cpu: "100m", memory: "300Mi" }, limits: { memory: "600Mi" } },
                securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              },
            ],
          },
        },
      },
    },
    {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: meta,
      spec: { minAvailable: 1, selector: { matchLabels: labels } },
    },
  ];
}

/** The retail-forecast API keeps one pod through node drains, spot reclaims and scale-down. */
export function retailApiDisruptionBudget(namespace = "retail-forecast"): Manifest {
  return {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: "retail-api", namespace },
    spec: { minAvailable: 1, selector: { matchLabels: { app: "retail-api" } } },
  };
}

/** All manifests of an environment as one multi-document YAML-compatible JSON stream. */
export function renderManifests(p: ManifestProps): string {
  return [...clusterAutoscalerManifests(p), retailApiDisruptionBudget()].map((m) => JSON.stringify(m, null, 2)).join("\n---\n") + "\n";
}

/** An environment's manifests: the autoscaler's IRSA role ARN is derived from names, not read from state. */
export function environmentManifests(cfg: Pick<EnvironmentConfig, "project" | "name" | "accountId" | "region">): string {
  const n = names(cfg);
  return renderManifests({ clusterName: n.cluster, region: cfg.region, roleArn: `arn:aws:iam::${cfg.accountId}:role/${n.prefix}-cluster-autoscaler` });
}
