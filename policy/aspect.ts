/**
 * The policy check inside synth: every stack gets it (stacks/platform-stack.ts). It runs as a
 * validation, after every aspect and construct has finished, on the stack's resolved Terraform
 * JSON read into the shared model (`modelOf`), and fails synth on every unexcepted finding,
 * "cannot decide" included.
 */
import { IAspect, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { modelOf } from "../terraform";
import { evaluate, formatFinding } from "./evaluate";
import { Rule } from "./rule";

export interface PolicyAspectProps {
  /** The environment the stack belongs to (environment-scoped rules and exceptions). */
  readonly environment: string;
  /** @default - every rule in rules/index.ts */
  readonly rules?: readonly Rule[];
}

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
        const model = modelOf([{ name: stack.node.id, doc }]);
        return evaluate(model, { env: this.props.environment, rules: this.props.rules })
          .filter((r) => !r.excepted)
          .map(formatFinding);
      },
    });
  }
}
