import { block, PolicyRule, RuleContext } from "../types";

export const EksImdsV2: PolicyRule = {
  id: "CKV_AWS_79",
  aliases: ["AVD-AWS-0130"],
  description: "Node launch templates require IMDSv2 (http_tokens=required); node groups use them",
  check(ctx: RuleContext) {
    const lts = ctx.ofType("aws_launch_template");
    const bad = lts
      .filter((lt) => block(lt.attrs.metadata_options)?.http_tokens !== "required")
      .map((lt) => ctx.violation(this, lt, "metadata_options.http_tokens is not 'required'"));
    const noLt = ctx
      .ofType("aws_eks_node_group")
      .filter((ng) => !lts.some((lt) => JSON.stringify(ng.attrs.launch_template ?? "").includes(`\${${lt.address}.`)))
      .map((ng) => ctx.violation(this, ng, "node group does not use a launch template of this stack (IMDSv2 cannot be enforced)"));
    return [...bad, ...noLt];
  },
};
