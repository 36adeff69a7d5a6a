/**
 * The role `cost report` runs as: read-only, assumed only by the IAM roles or users named, never
 * by a whole account (CKV_AWS_61) or anyone (CKV_AWS_60).
 *
 *   new CostReaderRole(this, "CostReader", {
 *     roleName: "retail-forecast-dev-cost-reader",
 *     trustedPrincipalArns: ["arn:aws:iam::111111111111:role/platform-engineers"],
 *     statements: costReportPolicyStatements({ region, accountId }),   // cost/iam.ts
 *   });
 *
 * Props: roleName; trustedPrincipalArns (at least one role or user ARN, no wildcard, no :root;
 * IAM refuses a trust policy naming a principal that does not exist, so name real ones);
 * statements (what the report calls: only Get, List and Describe actions are accepted).
 */
import { Construct } from "constructs";
import { Token } from "cdktf";
import { PolicyStatement, Role } from "./iam";
import { IAM_PRINCIPAL_ARN } from "./iam-principals";

export interface CostReaderRoleProps {
  readonly roleName: string;
  /** IAM role or user ARNs allowed to assume the role (sts:AssumeRole). */
  readonly trustedPrincipalArns: readonly string[];
  /** The read-only permissions (cost/iam.ts costReportPolicyStatements). */
  readonly statements: readonly PolicyStatement[];
}

export class CostReaderRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: CostReaderRoleProps) {
    super(scope, id);
    if (props.trustedPrincipalArns.length === 0) throw new Error("trustedPrincipalArns must name at least one IAM role or user ARN, got none");
    for (const arn of props.trustedPrincipalArns) {
      if (Token.isUnresolved(arn)) continue;
      if (!IAM_PRINCIPAL_ARN.test(arn)) {
        throw new Error(`trustedPrincipalArns: "${arn}" is not allowed (an IAM role or user ARN such as arn:aws:iam::111111111111:role/platform-engineers; no wildcard, no account root)`);
      }
    }
    for (const s of props.statements) {
      const writes = (Array.isArray(s.Action) ? s.Action : [s.Action]).filter((a) => !/^[a-z0-9-]+:(Get|List|Describe)[A-Za-z]*$/.test(a));
      if (writes.length) throw new Error(`statement ${s.Sid}: a cost reader only reads; ${writes.join(", ")} is not a Get, List or Describe action`);
    }
    this.role = new Role(this, "Resource", {
      name: props.roleName,
      assumedBy: { Effect: "Allow", Principal: { AWS: [...props.trustedPrincipalArns] }, Action: "sts:AssumeRole" },
      statements: props.statements,
    });
  }
}
