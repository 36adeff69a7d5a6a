import { attr, cannotDecide, fail, Finding, judge, opaque, present, Rule, RuleContext } from "../rule";

/** Runtimes AWS has deprecated (Lambda runtimes page), as of 2026. */
export const DEPRECATED_RUNTIMES: readonly string[] = [
  "nodejs", "nodejs4.3", "nodejs4.3-edge", "nodejs6.10", "nodejs8.10", "nodejs10.x", "nodejs12.x", "nodejs14.x", "nodejs16.x", "nodejs18.x",
  "python2.7", "python3.6", "python3.7", "python3.8", "python3.9",
  "dotnetcore1.0", "dotnetcore2.0", "dotnetcore2.1", "dotnetcore3.1", "dotnet5.0", "dotnet6", "dotnet7",
  "java8", "go1.x", "provided", "provided.al2", "ruby2.5", "ruby2.7", "ruby3.2",
];

export const LambdaFunction: Rule = {
  name: "lambda-function",
  checks: {
    CKV_AWS_116: { meaning: "every aws_lambda_function has dead_letter_config.target_arn" },
    CKV_AWS_115: { meaning: "every aws_lambda_function sets reserved_concurrent_executions" },
    CKV_AWS_50: { meaning: "every aws_lambda_function sets tracing_config.mode (Active or PassThrough)" },
    "AVD-AWS-0066": { meaning: "every aws_lambda_function has tracing_config.mode = Active" },
    CKV_AWS_363: { meaning: "no aws_lambda_function uses a deprecated runtime" },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const f of ctx.model.ofType("aws_lambda_function")) {
      out.push(...present("CKV_AWS_116", f, "dead_letter_config.target_arn", "no dead_letter_config.target_arn"));
      const rc = attr(f, "reserved_concurrent_executions");
      if (opaque(rc)) out.push(cannotDecide("CKV_AWS_115", f, "reserved_concurrent_executions is an expression"));
      else if (rc === undefined || rc === null) out.push(fail("CKV_AWS_115", f, "reserved_concurrent_executions is not set"));
      out.push(...judge("CKV_AWS_50", f, "tracing_config.mode", (v) => v === "Active" || v === "PassThrough", () => "tracing_config.mode is not set"));
      out.push(...judge("AVD-AWS-0066", f, "tracing_config.mode", (v) => v === "Active", (v) => `tracing_config.mode is ${v ?? "unset"}, not Active`));
      const runtime = attr(f, "runtime");
      if (runtime !== undefined) out.push(...judge("CKV_AWS_363", f, "runtime", (v) => !DEPRECATED_RUNTIMES.includes(v), (v) => `runtime ${v} is deprecated`));
    }
    return out;
  },
};
