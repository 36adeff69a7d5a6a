/**
 * A small IAM evaluator for unit tests of policy documents, conditions included: what the
 * emulator cannot check (it ignores Condition blocks) is checked here against the request
 * context a call would carry on AWS.
 *
 *   allows(statements, "eks:UpdateNodegroupConfig", nodegroupArn, { "aws:ResourceTag/Schedule": "office-hours" })
 *
 * Explicit Deny wins, then any Allow. Condition operators it does not know throw, so a test
 * cannot pass by ignoring one. A key missing from the context fails its condition (AWS: a
 * StringEquals on an absent key does not match; ForAnyValue over no values is false).
 */
import { actionMatches, resourceMatches } from "../terraform";

export interface TestStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Action: string | readonly string[];
  readonly Resource: string | readonly string[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export type RequestContext = Readonly<Record<string, string | readonly string[]>>;

const list = <T>(v: T | readonly T[]): readonly T[] => (Array.isArray(v) ? v : [v as T]);

function conditionHolds(operator: string, key: string, expected: readonly string[], context: RequestContext): boolean {
  const actual = context[key] ?? context[Object.keys(context).find((k) => k.toLowerCase() === key.toLowerCase()) ?? ""];
  const values = actual === undefined ? [] : list(actual);
  const [qualifier, op] = operator.includes(":") ? operator.split(":") : ["", operator];
  const one = (v: string): boolean => {
    switch (op) {
      case "StringEquals":
      case "ArnEquals":
        return expected.includes(v);
      case "StringLike":
      case "ArnLike":
        return expected.some((e) => resourceMatches(e, v));
      case "Bool":
        return expected.some((e) => e.toLowerCase() === v.toLowerCase());
      default:
        throw new Error(`condition operator ${operator} is not supported by this test evaluator`);
    }
  };
  if (qualifier === "ForAnyValue") return values.some(one);
  if (qualifier === "ForAllValues") return values.every(one);
  if (qualifier) throw new Error(`condition qualifier ${qualifier} is not supported by this test evaluator`);
  return values.length === 1 && one(values[0]);
}

function applies(s: TestStatement, action: string, resource: string, context: RequestContext): boolean {
  if (!list(s.Action).some((a) => actionMatches(a, action))) return false;
  if (!list(s.Resource).some((r) => resourceMatches(r, resource))) return false;
  return Object.entries(s.Condition ?? {}).every(([operator, keys]) => Object.entries(keys).every(([key, v]) => conditionHolds(operator, key, list(v), context)));
}

export function allows(statements: readonly TestStatement[], action: string, resource: string, context: RequestContext = {}): boolean {
  const matching = statements.filter((s) => applies(s, action, resource, context));
  return !matching.some((s) => s.Effect === "Deny") && matching.some((s) => s.Effect === "Allow");
}
