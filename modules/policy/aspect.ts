import { IAspect, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { EnvironmentConfig } from "../../config/types";
import { isExcepted } from "./exceptions";
import { RULES } from "./rules";
import { PolicyRule, RuleContext, Violation } from "./types";

export interface PolicyAspectProps {
  readonly config: EnvironmentConfig;
  /** @default - every rule in rules/index.ts */
  readonly rules?: readonly PolicyRule[];
}

/** Runs every rule over a stack's Terraform and fails synth on unexcepted violations. */
export function evaluatePolicy(doc: Record<string, any>, config: EnvironmentConfig, rules: readonly PolicyRule[] = RULES): Violation[] {
  const ctx = new RuleContext(doc, config);
  return rules.flatMap((r) => r.check(ctx)).filter((v) => !isExcepted(v.ruleId, v.path, config.name));
}

export function formatViolation(v: Violation): string {
  return `policy ${v.ruleId}: ${v.path}: ${v.message}`;
}

/**
 * Added to each stack. The check runs as a validation, i.e. after every aspect and construct has
 * finished, on the resolved Terraform JSON (one resolution per stack, all rules over it).
 */
export class PolicyAspect implements IAspect {
  constructor(private readonly props: PolicyAspectProps) {}

  visit(node: IConstruct): void {
    if (!TerraformStack.isStack(node)) return;
    const stack = node as TerraformStack;
    stack.node.addValidation({
      validate: () => {
        const doc = stack.toTerraform();
        // Validations run after every aspect, so the stack no longer changes: let the synthesizer
        // write the document already resolved here instead of resolving all tokens a second time.
        stack.toTerraform = () => doc;
        return evaluatePolicy(doc, this.props.config, this.props.rules).map(formatViolation);
      },
    });
  }
}
