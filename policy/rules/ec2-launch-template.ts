import { blocks } from "../../terraform";
import { attr, cannotDecide, fail, Finding, isTrue, opaque, Rule, RuleContext } from "../rule";

export const Ec2LaunchTemplate: Rule = {
  name: "ec2-launch-template",
  checks: {
    CKV_AWS_79: {
      meaning: "every aws_launch_template and aws_instance requires IMDSv2: metadata_options.http_tokens = required, or http_endpoint = disabled",
      same: ["AVD-AWS-0130"],
    },
    CKV_AWS_88: { meaning: "no aws_instance sets associate_public_ip_address = true, and no aws_launch_template network interface does" },
    RF_EKS_NODES_LAUNCH_TEMPLATE: {
      meaning: "every aws_eks_node_group uses a launch template of the model (so IMDSv2 and instance tags can be enforced)",
      differs: "CKV_AWS_79 judges launch templates; a node group without one gets EKS's defaults, which it cannot see",
    },
    CKV_AWS_100: {
      meaning: "no aws_eks_node_group has remote_access with an ec2_ssh_key but no source_security_group_ids (SSH open to 0.0.0.0/0)",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const r of [...ctx.model.ofType("aws_launch_template"), ...ctx.model.ofType("aws_instance")]) {
      const tokens = attr(r, "metadata_options.http_tokens");
      const endpoint = attr(r, "metadata_options.http_endpoint");
      if (opaque(tokens) || opaque(endpoint)) out.push(cannotDecide("CKV_AWS_79", r, "metadata_options are expressions"));
      else if (tokens !== "required" && endpoint !== "disabled") out.push(fail("CKV_AWS_79", r, `metadata_options.http_tokens is ${tokens ?? "unset (optional)"}, not 'required'`));
      const ips = r.type === "aws_instance" ? [r.attrs.associate_public_ip_address] : blocks(r.attrs.network_interfaces).map((n) => n.associate_public_ip_address);
      if (ips.some(opaque)) out.push(cannotDecide("CKV_AWS_88", r, "associate_public_ip_address is an expression"));
      else if (ips.some(isTrue)) out.push(fail("CKV_AWS_88", r, "associate_public_ip_address is true: instances get public IPs"));
    }
    for (const ng of ctx.model.ofType("aws_eks_node_group")) {
      const lt = ng.block("launch_template");
      const ref = lt?.id ?? lt?.name;
      if (ref === undefined) out.push(fail("RF_EKS_NODES_LAUNCH_TEMPLATE", ng, "node group has no launch_template (IMDSv2 cannot be enforced)"));
      else if (!ctx.model.resolve(ref, ng, ["aws_launch_template"])) {
        out.push(
          opaque(ref)
            ? cannotDecide("RF_EKS_NODES_LAUNCH_TEMPLATE", ng, `launch_template is ${String(ref)}, which names no launch template of the model`)
            : fail("RF_EKS_NODES_LAUNCH_TEMPLATE", ng, `launch template ${String(ref)} is not in the model (IMDSv2 cannot be checked)`),
        );
      }
      const ra = ng.block("remote_access");
      if (ra && ra.ec2_ssh_key && !(Array.isArray(ra.source_security_group_ids) ? ra.source_security_group_ids.length : ra.source_security_group_ids)) {
        out.push(fail("CKV_AWS_100", ng, "remote_access with an SSH key and no source_security_group_ids opens SSH to 0.0.0.0/0"));
      }
    }
    return out;
  },
};
