import { blocks, block } from "../../terraform";
import { REQUIRED_TAG_KEYS } from "../../modules/tags";
import { fail, Finding, providerOf, Rule, RuleContext } from "../rule";

const id = "RF_REQUIRED_TAGS";

/**
 * Cost allocation needs every resource tagged. The provider's default_tags cover every taggable
 * resource; what they do not reach (instances and volumes a node group launches) must carry the
 * tags through the launch template's tag_specifications. A resource may add tags but never blank
 * a required one.
 */
export const RequiredTags: Rule = {
  name: "required-tags",
  checks: {
    [id]: {
      meaning: `provider default_tags carry ${REQUIRED_TAG_KEYS.join(", ")} (Environment = the stack's environment where it is known); no resource blanks one; launch templates tag instances and volumes with them`,
      differs: "no public check: the project's cost-allocation tags",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const stack of ctx.model.stacks) {
      const providers = blocks(stack.doc.provider?.aws);
      if (!providers.length) out.push(fail(id, providerOf(stack), "stack has no aws provider"));
      for (const p of providers) {
        const tags = block(block(p.default_tags)?.tags) ?? {};
        const missing = REQUIRED_TAG_KEYS.filter((k) => !tags[k]);
        if (missing.length) out.push(fail(id, providerOf(stack), `provider${p.alias ? ` ${p.alias}` : ""} default_tags miss ${missing.join(", ")}`));
        const env = ctx.env(stack);
        if (env && tags.Environment && tags.Environment !== env) out.push(fail(id, providerOf(stack), `default tag Environment=${tags.Environment} but the stack is ${env}`));
      }
    }
    for (const r of ctx.model.resources) {
      const tags = block(r.attrs.tags);
      if (!tags) continue;
      for (const k of REQUIRED_TAG_KEYS) if (k in tags && !tags[k]) out.push(fail(id, r, `tag ${k} is set empty`));
    }
    for (const lt of ctx.model.ofType("aws_launch_template")) {
      for (const kind of ["instance", "volume"]) {
        const spec = blocks(lt.attrs.tag_specifications).find((s) => s.resource_type === kind);
        const missing = REQUIRED_TAG_KEYS.filter((k) => !block(spec?.tags)?.[k]);
        if (missing.length) out.push(fail(id, lt, `tag_specifications for ${kind} miss ${missing.join(", ")} (default_tags do not reach launched ${kind}s)`));
      }
    }
    return out;
  },
};
