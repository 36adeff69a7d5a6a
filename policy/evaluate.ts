/**
 * Runs every rule over a model and applies the exception list. Used by the synth-time aspect
 * (one stack at a time) and by `policy scan` (any Terraform, every stack at once: rules whose
 * companions live in other stacks, like the KMS grant, only see them there).
 */
import { TerraformModel, TfStack } from "../terraform";
import { ENVIRONMENT_NAMES } from "../config/types";
import { isExcepted, PolicyException, POLICY_EXCEPTIONS } from "./exceptions";
import { context, Finding, Rule } from "./rule";
import { RULES } from "./rules";

export interface Result extends Finding {
  /** The exception that waives it; unexcepted results fail synth and the scan. */
  readonly excepted?: PolicyException;
}

export interface EvaluateOptions {
  /** The environment of every stack; @default - inferred per stack from its name (`dev-data` is dev) */
  readonly env?: string;
  /** @default RULES */
  readonly rules?: readonly Rule[];
  /** @default POLICY_EXCEPTIONS */
  readonly exceptions?: readonly PolicyException[];
  /** @default - today */
  readonly asOf?: Date;
}

/** `dev-data` -> dev: the prefix before the first `-`, when it names one of the project's environments. */
export function inferEnvironment(stackName: string): string | undefined {
  const prefix = stackName.split("-")[0];
  return (ENVIRONMENT_NAMES as readonly string[]).includes(prefix) ? prefix : undefined;
}

export function evaluate(model: TerraformModel, opts: EvaluateOptions = {}): Result[] {
  const env = (s: TfStack) => opts.env ?? inferEnvironment(s.name);
  const ctx = context(model, env, opts.asOf);
  const out: Result[] = [];
  for (const rule of opts.rules ?? RULES) {
    for (const f of rule.check(ctx)) {
      if (!rule.checks[f.id]) throw new Error(`rule ${rule.name} reported ${f.id}, which it does not claim (claims: ${Object.keys(rule.checks).join(", ")})`);
      const paths = [f.subject.path, `${f.subject.stack.name}/${f.subject.address}`];
      out.push({ ...f, excepted: isExcepted(f.id, paths, env(f.subject.stack), opts.exceptions ?? POLICY_EXCEPTIONS) });
    }
  }
  return out;
}

export function formatFinding(r: Finding): string {
  return `policy ${r.id}: ${r.subject.path}: ${r.message}`;
}

/** Every check id the rules claim, with the rule and the check. */
export function claimedChecks(rules: readonly Rule[] = RULES) {
  return rules.flatMap((rule) => Object.entries(rule.checks).map(([id, check]) => ({ id, rule, check })));
}
