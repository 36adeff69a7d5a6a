import { attr, fail, Finding, opaque, cannotDecide, Rule, RuleContext } from "../rule";

const isService = (p: unknown) => typeof p === "string" && p.endsWith(".amazonaws.com");
const set = (v: unknown) => v !== undefined && v !== null && v !== "";

export const LambdaPermission: Rule = {
  name: "lambda-permission",
  checks: {
    CKV_AWS_364: { meaning: "every aws_lambda_permission for an AWS service principal (*.amazonaws.com) sets source_arn or source_account" },
    "AVD-AWS-0067": { meaning: "every aws_lambda_permission for an AWS service principal sets source_arn" },
    CKV_AWS_301: { meaning: "no aws_lambda_permission has principal \"*\"" },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const p of ctx.model.ofType("aws_lambda_permission")) {
      const principal = attr(p, "principal");
      if (opaque(principal)) {
        for (const id of ["CKV_AWS_364", "AVD-AWS-0067", "CKV_AWS_301"]) out.push(cannotDecide(id, p, `principal is the expression ${String(principal)}`));
        continue;
      }
      if (principal === "*") out.push(fail("CKV_AWS_301", p, "principal \"*\": anyone may invoke the function"));
      if (!isService(principal)) continue;
      if (!set(p.attrs.source_arn) && !set(p.attrs.source_account)) out.push(fail("CKV_AWS_364", p, `permission for ${principal} has neither source_arn nor source_account: any account's resource could invoke it`));
      if (!set(p.attrs.source_arn)) out.push(fail("AVD-AWS-0067", p, `permission for ${principal} has no source_arn`));
    }
    return out;
  },
};
