import { asArray, blocks, policyDocument, RuleContext, SynthResource } from "../types";

export interface IdentityStatement {
  readonly resource: SynthResource;
  readonly sid: string;
  readonly effect: string;
  readonly actions: string[];
  readonly resources: string[];
}

/** Allow/Deny statements of every identity policy in the stack (role inline, role policy, managed policy). */
export function identityStatements(ctx: RuleContext): IdentityStatement[] {
  const docs: { r: SynthResource; doc: unknown }[] = [];
  for (const r of ctx.ofType("aws_iam_role_policy")) docs.push({ r, doc: r.attrs.policy });
  for (const r of ctx.ofType("aws_iam_policy")) docs.push({ r, doc: r.attrs.policy });
  for (const r of ctx.ofType("aws_iam_role")) for (const p of blocks(r.attrs.inline_policy)) docs.push({ r, doc: p.policy });
  return docs.flatMap(({ r, doc }) =>
    (policyDocument(doc)?.Statement ?? []).map((s, i) => ({
      resource: r,
      sid: s.Sid ?? `#${i}`,
      effect: s.Effect,
      actions: asArray(s.Action),
      resources: asArray(s.Resource),
    })),
  );
}
