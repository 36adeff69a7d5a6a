/**
 * Key policies. A KMS key without a policy gets AWS's default one; writing it out keeps it
 * reviewable (CKV2_AWS_64) and lets services be added beside it.
 *
 *   new KmsKey(this, "Key", { policy: keyPolicy(accountId, [serviceStatement]) , ... });
 */
export interface KeyPolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal: Record<string, string | readonly string[]>;
  readonly Action: string | readonly string[];
  readonly Resource: "*";
  readonly Condition?: Record<string, Record<string, string | readonly string[]>>;
}

/**
 * The account administers the key and IAM policies decide who uses it (AWS's default key
 * policy, written out), plus `extra` statements for services that need the key itself.
 */
export function keyPolicy(accountId: string, extra: readonly KeyPolicyStatement[] = []): string {
  if (!/^\d{12}$/.test(accountId)) throw new Error(`accountId must be 12 digits, got "${accountId}"`);
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "AccountAdministers", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
      ...extra,
    ],
  });
}
