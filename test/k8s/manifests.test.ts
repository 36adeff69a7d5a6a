import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { clusterAutoscalerManifests, clusterAutoscalerStatements, renderManifests, retailApiDisruptionBudget } from "../../k8s/cluster-autoscaler";
import { writeManifests } from "../../app";

const props = { clusterName: "retail-forecast-dev", region: "us-east-1", roleArn: "arn:aws:iam::111111111111:role/retail-forecast-dev-cluster-autoscaler" };

describe("cluster-autoscaler manifests", () => {
  const manifests = clusterAutoscalerManifests(props);
  const byKind = (kind: string) => manifests.find((m) => m.kind === kind) as any;

  test("auto-discovery by the node groups' tags, least-waste expander, balanced similar groups", () => {
    const command: string[] = byKind("Deployment").spec.template.spec.containers[0].command;
    expect(command).toEqual(
      expect.arrayContaining([
        "--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/retail-forecast-dev",
        "--expander=least-waste",
        "--balance-similar-node-groups",
      ]),
    );
  });

  test("runs under the IRSA role, with a disruption budget of its own", () => {
    expect(byKind("ServiceAccount").metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(props.roleArn);
    expect(byKind("PodDisruptionBudget").spec).toEqual({ minAvailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "cluster-autoscaler" } } });
  });

  test("the retail API keeps one pod through drains and spot reclaims", () => {
    expect(retailApiDisruptionBudget().spec).toEqual({ minAvailable: 1, selector: { matchLabels: { app: "retail-api" } } });
  });

  test("IAM: writes only to this cluster's groups, reads where AWS cannot scope", () => {
    const st = clusterAutoscalerStatements({ region: "us-east-1", accountId: "111111111111", clusterName: "retail-forecast-dev" });
    const scale = st.find((s) => s.Sid === "ScaleOwnGroups")!;
    expect(scale.Condition).toEqual({ StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/retail-forecast-dev": "owned" } });
    expect(scale.Resource).not.toBe("*");
    expect(st.flatMap((s) => [s.Action].flat()).some((a) => a.endsWith(":*") || a === "*")).toBe(false);
  });

  test("rendered per environment next to the Terraform", () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "rf-k8s-"));
    const files = writeManifests(out, ["dev", "prod"]);
    expect(files.map((f) => path.basename(f))).toEqual(["dev.yaml", "prod.yaml"]);
    const docs = fs.readFileSync(files[1], "utf8").split("\n---\n").map((d) => JSON.parse(d));
    expect(docs.map((d) => d.kind)).toEqual(["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Deployment", "PodDisruptionBudget", "PodDisruptionBudget"]);
    expect(docs[0].metadata.annotations["eks.amazonaws.com/role-arn"]).toBe("arn:aws:iam::333333333333:role/retail-forecast-prod-cluster-autoscaler");
    expect(renderManifests(props)).toContain("least-waste");
    fs.rmSync(out, { recursive: true, force: true });
  });
});
