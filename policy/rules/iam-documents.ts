/**
 * Shared by the IAM rules (not a rule itself): the statements of every decoded document of a
 * kind, and a "cannot decide" finding for each document the model could not decode.
 */
import { AttachedDocument, DocumentKind, Statement } from "../../terraform";
import { cannotDecide, Finding, RuleContext } from "../rule";

export interface Located {
  readonly doc: AttachedDocument;
  readonly s: Statement;
}

export const label = (l: Located) => `${l.doc.attr} statement ${l.s.sid ?? `#${l.s.index}`}`;

/** Statements of every document of `kinds` (optionally of owner types), plus "cannot decide" under each id for the undecodable ones. */
export function statements(ctx: RuleContext, kinds: readonly DocumentKind[], ids: readonly string[], ownerTypes?: readonly string[]): { located: Located[]; undecided: Finding[] } {
  const located: Located[] = [];
  const undecided: Finding[] = [];
  for (const doc of ctx.documents()) {
    if (!kinds.includes(doc.kind) || (ownerTypes && !ownerTypes.includes(doc.owner.type))) continue;
    if (doc.decoded.undecided !== undefined) {
      for (const id of ids) undecided.push(cannotDecide(id, doc.owner, `${doc.attr}: ${doc.decoded.undecided}`));
      continue;
    }
    for (const s of doc.decoded.doc.statements) located.push({ doc, s });
  }
  return { located, undecided };
}
