/**
 * Building blocks of the platform's IAM policies, as plain JSON (no cdktf: lambda/ never imports
 * it). The scheduler's role (lambda/scheduler/iam.ts) and the cost reader role (cost/iam.ts) are
 * made of them:
 *
 *   const arn = arnsIn({ region: "eu-west-1", accountId: "111122223333" });   // throws naming a bad value
 *   const statements = [eksNodegroupRead("EksRead", arn), ...];
 */

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string[];
  readonly Resource: string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

export interface AccountRegion {
  readonly region: string;
  readonly accountId: string;
  /** @default "aws" */
  readonly partition?: string;
}

/** ARNs of this account and region: `arn("eks", "cluster/*")`. Validates both first. */
export function arnsIn(props: AccountRegion): (service: string, resource: string) => string {
  const { region, accountId } = props;
  if (!/^\d{12}$/.test(accountId)) throw new Error(`accountId must be 12 digits, got "${accountId}"`);
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) throw new Error(`region must look like eu-west-1, got "${region}"`);
  return (service, resource) => `arn:${props.partition ?? "aws"}:${service}:${region}:${accountId}:${resource}`;
}

/** Reading every cluster's node groups (ListNodegroups by cluster ARN, DescribeNodegroup by node-group ARN). */
export function eksNodegroupRead(sid: string, arn: (service: string, resource: string) => string): PolicyStatement {
  return { Sid: sid, Effect: "Allow", Action: ["eks:ListNodegroups", "eks:DescribeNodegroup"], Resource: [arn("eks", "cluster/*"), arn("eks", "nodegroup/*/*/*")] };
}
