/**
 * Small IAM helpers: a role with a service (or federated) trust and inline least-privilege
 * policy, and the aspect that puts a permissions boundary on every role of a scope.
 */
import { IAspect } from "cdktf";
import { Construct, IConstruct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface RoleProps {
  readonly name: string;
  /** Service principal (e.g. "lambda.amazonaws.com") or a full trust statement. */
  readonly assumedBy: string | Record<string, unknown>;
  /** @default - no inline policy */
  readonly statements?: readonly PolicyStatement[];
  /** AWS-managed policies (never admin ones: CKV_AWS_62). @default - none */
  readonly managedPolicyArns?: readonly string[];
}

/** Trust for an AWS service acting on this account's behalf only (aws:SourceAccount: the confused deputy). */
export function serviceTrust(service: string, accountId: string): Record<string, unknown> {
  return { Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": accountId } } };
}

export function policyJson(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

export class Role extends Construct {
  readonly role: IamRole;
  readonly attachments: IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: RoleProps) {
    super(scope, id);
    const trust =
      typeof props.assumedBy === "string"
        ? { Effect: "Allow", Principal: { Service: props.assumedBy }, Action: "sts:AssumeRole" }
        : props.assumedBy;
    this.role = new IamRole(this, "Resource", {
      name: props.name,
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [trust] }),
    });
    if (props.statements && props.statements.length > 0) {
      new IamRolePolicy(this, "Policy", { name: `${props.name}-policy`, role: this.role.id, policy: policyJson(props.statements) });
    }
    this.attachments = (props.managedPolicyArns ?? []).map(
      (arn) => new IamRolePolicyAttachment(this, `Attach-${arn.split("/").pop()}`, { role: this.role.name, policyArn: arn }),
    );
  }
}

/**
 * Sets `permissions_boundary` on every aws_iam_role under the scope it is added to, however the
 * role was made (the Role construct or a plain IamRole), so a role added later cannot miss it:
 *
 *   Aspects.of(computeStack).add(new PermissionsBoundary(names.computeBoundaryArn));
 *
 * The rule RF_IAM_COMPUTE_BOUNDARY checks the synthesized result.
 */
export class PermissionsBoundary implements IAspect {
  constructor(readonly policyArn: string) {
    if (!/^arn:[a-z-]+:iam::(\d{12}|aws):policy\/.+/.test(policyArn)) throw new Error(`policyArn must be a managed policy ARN (arn:<partition>:iam::<account>:policy/<name>), got "${policyArn}"`);
  }

  visit(node: IConstruct): void {
    if (node instanceof IamRole) node.permissionsBoundary = this.policyArn;
  }
}
