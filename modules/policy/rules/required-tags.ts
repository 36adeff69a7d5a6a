import { block, blocks, PolicyRule, RuleContext } from "../types";
import { REQUIRED_TAG_KEYS } from "../../tags";

/**
 * Cost allocation needs every resource tagged. The provider's default_tags cover every taggable
 * resource; what they do not reach (instances and volumes a node group launches) must carry the
 * tags through the launch template's tag_specifications. A resource may add tags but never blank
 * or contradict a required one.
 */
export const RequiredTags: PolicyRule = {
  id: "RF_REQUIRED_TAGS",
  aliases: [],
  description: `Required cost-allocation tags (${REQUIRED_TAG_KEYS.join(", ")}) on every taggable resource`,
  check(ctx: RuleContext) {
    const out = [];
    const providers: any[] = [].concat(ctx.doc.provider?.aws ?? []);
    const stackPath = { path: "provider.aws" };
    if (providers.length === 0) out.push(ctx.violation(this, stackPath, "stack has no aws provider"));
    for (const p of providers) {
      const tags = block(p.default_tags)?.tags ?? {};
      const missing = REQUIRED_TAG_KEYS.filter((k) => !tags[k]);
      if (missing.length) out.push(ctx.violation(this, stackPath, `provider default_tags miss ${missing.join(", ")}`));
      if (tags.Environment && tags.Environment !== ctx.config.name) {
        out.push(ctx.violation(this, stackPath, `default tag Environment=${tags.Environment} but the stack is ${ctx.config.name}`));
      }
    }
    for (const r of ctx.resources) {
      const tags = r.attrs.tags;
      if (tags && typeof tags === "object") {
        for (const k of REQUIRED_TAG_KEYS) {
          if (k in tags && !tags[k]) out.push(ctx.violation(this, r, `tag ${k} is set empty`));
        }
      }
    }
    for (const lt of ctx.ofType("aws_launch_template")) {
      for (const kind of ["instance", "volume"]) {
        const spec = blocks(lt.attrs.tag_specifications).find((s) => s.resource_type === kind);
        const missing = REQUIRED_TAG_KEYS.filter((k) => !spec?.tags?.[k]);
        if (missing.length) {
          out.push(ctx.violation(this, lt, `tag_specifications for ${kind} miss ${missing.join(", ")} (default_tags do not reach launched ${kind}s)`));
        }
      }
    }
    return out;
  },
};
