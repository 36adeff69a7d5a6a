import { cannotDecide, fail, Finding, opaque, Rule, RuleContext } from "../rule";

const id = "RF_IAM_COMPUTE_BOUNDARY";
/** A customer-managed policy: an AWS-managed one (account "aws") would be a ceiling nobody here reviewed. */
const CUSTOMER_POLICY = /^arn:aws[a-z-]*:iam::(\d{12}):policy\/.+$/;

/** A compute stack: `<env>-compute`, or a scan of a directory named so. */
const isCompute = (stackName: string) => stackName === "compute" || stackName.endsWith("-compute");

export const IamComputeBoundary: Rule = {
  name: "iam-compute-boundary",
  checks: {
    [id]: {
      meaning:
        "every aws_iam_role of a compute stack (named `<env>-compute`) sets permissions_boundary to a customer-managed policy ARN (of the stack's account, where the provider pins one)",
      differs:
        "no public check: the compute lifetime's build recreates these roles every night and writes their inline policies, which IAM cannot bound by content; the boundary is what keeps them, and so the build, below administrator (README, \"What the build's role can do\")",
    },
  },
  check(ctx: RuleContext): Finding[] {
    return ctx.model.ofType("aws_iam_role").flatMap((role) => {
      if (!isCompute(role.stack.name)) return [];
      const b = role.attrs.permissions_boundary;
      if (b === undefined || b === null || b === "") return [fail(id, role, "has no permissions_boundary: its inline policies, which the compute lifetime's build writes, would be its only limit")];
      if (opaque(b)) {
        // a reference to a managed policy of the same model (`${aws_iam_policy.x.arn}`) is one
        const target = ctx.model.resolve(b, role);
        if (target?.type === "aws_iam_policy") return [];
        return [target ? fail(id, role, `permissions_boundary refers to ${target.type}, not a managed policy`) : cannotDecide(id, role, `permissions_boundary is the expression ${String(b)}`)];
      }
      const m = typeof b === "string" ? CUSTOMER_POLICY.exec(b) : null;
      if (!m) return [fail(id, role, `permissions_boundary ${String(b)} is not a customer-managed policy ARN (arn:aws:iam::<account>:policy/<name>)`)];
      const account = role.stack.accountId;
      if (account && m[1] !== account) return [fail(id, role, `permissions_boundary ${b} is in account ${m[1]}, not the stack's ${account}`)];
      return [];
    });
  },
};
