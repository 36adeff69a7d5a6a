import { AttachedDocument, documentsHeldBy, grants, holdersOf, list, parseArn, resourceMatches, Statement, TfResource } from "../../terraform";
import { cannotDecide, fail, Finding, Rule, RuleContext } from "../rule";

const id = "RF_KMS_ENDPOINT_GRANT";

/**
 * Whether statement `s` (an Allow of kms:CreateGrant) covers `key`: Resource "*", a key ARN
 * pattern, or the key's own ARN by reference; and if it is limited by kms:ResourceAliases, one
 * of those aliases points at the key. Undefined when that cannot be known (a literal key ARN
 * for a key Terraform creates).
 */
function coversKey(ctx: RuleContext, s: Statement, key: TfResource, from: TfResource): boolean | undefined {
  const aliasCondition = s.conditions.filter((c) => c.variable.toLowerCase() === "kms:resourcealiases");
  let byResource: boolean | undefined = false;
  for (const r of s.resources) {
    const arn = parseArn(r);
    // a key ARN pattern whose key part is a wildcard covers every key, this one included
    if (r === "*" || ctx.model.refersTo(r, key, from) || (arn?.service === "kms" && /^(key\/)?\*$/.test(arn.resource))) byResource = true;
    // a literal key ARN: the id of a key Terraform creates is not known before apply
    else if (byResource === false && arn?.service === "kms" && arn.resource.startsWith("key/") && !r.includes("${")) byResource = undefined;
  }
  if (!byResource) return byResource;
  if (!aliasCondition.length) return true;
  const aliases = ctx.model
    .ofType("aws_kms_alias")
    .filter((a) => ctx.model.refersTo(a.attrs.target_key_id, key, a) && typeof a.attrs.name === "string");
  return aliasCondition.some((c) => c.values.some((v) => aliases.some((a) => resourceMatches(v, a.attrs.name))));
}

/**
 * Identity statements that allow sagemaker:CreateEndpoint on `config`: by reference, or by an ARN
 * pattern matching its ARN (region and account from its stack's provider; any, when unknown).
 */
function creators(ctx: RuleContext, config: TfResource, docs: readonly AttachedDocument[]): { doc: AttachedDocument; s: Statement }[] {
  const name = ctx.model.nameOf(config)?.toLowerCase();
  const region = config.stack.region;
  const account = config.stack.accountId;
  const coversConfig = (r: string, doc: AttachedDocument) => {
    if (r === "*" || ctx.model.refersTo(r, config, doc.owner)) return true;
    const a = parseArn(r);
    if (!a || a.service !== "sagemaker" || name === undefined) return false;
    const part = (pattern: string, value: string | undefined) => value === undefined || resourceMatches(pattern, value);
    return part(a.region, region) && part(a.account, account) && resourceMatches(a.resource, `endpoint-config/${name}`);
  };
  return docs.flatMap((doc) =>
    (doc.decoded.doc?.statements ?? []).filter((s) => grants(s, "sagemaker:CreateEndpoint") && s.resources.some((r) => coversConfig(r, doc))).map((s) => ({ doc, s })),
  );
}

/**
 * SageMaker creates a KMS grant on the endpoint config's key when an endpoint is created from
 * it, with the caller's permissions: whoever may (re)create the endpoint (the out-of-hours
 * scheduler, every morning) needs kms:CreateGrant on that key, or the start fails on AWS. The
 * emulator does not check it. Roles and configs often live in different stacks: `policy scan`
 * over the whole output sees both, the per-stack synth check only what one stack holds.
 */
export const KmsEndpointGrant: Rule = {
  name: "kms-endpoint-grant",
  checks: {
    [id]: {
      meaning:
        "every role, user or group allowed sagemaker:CreateEndpoint on an endpoint configuration with kms_key_arn is also allowed kms:CreateGrant on that key (by ARN, key/* pattern, or an alias condition naming one of its aliases)",
      differs: "no public check: a grant AWS makes on your behalf, which only AWS itself enforces",
    },
  },
  check(ctx: RuleContext): Finding[] {
    const out: Finding[] = [];
    const identity = ctx.documents().filter((d) => d.kind === "identity");
    for (const config of ctx.model.ofType("aws_sagemaker_endpoint_configuration")) {
      const keyRef = config.attrs.kms_key_arn;
      if (keyRef === undefined || keyRef === null || keyRef === "") continue;
      const key = ctx.model.resolve(keyRef, config, ["aws_kms_key"]);
      for (const { doc } of creators(ctx, config, identity)) {
        for (const holder of holdersOf(ctx.model, doc)) {
          const held = documentsHeldBy(ctx.model, holder, identity);
          const grantStatements = held.flatMap((h) => (h.decoded.doc?.statements ?? []).filter((s) => grants(s, "kms:CreateGrant")).map((s) => ({ h, s })));
          const verdicts = grantStatements.map(({ h, s }) =>
            key ? coversKey(ctx, s, key, h.owner) : list<string>(s.resources).some((r) => r === "*" || r === keyRef) ? true : undefined,
          );
          if (verdicts.includes(true)) continue;
          const what = `${holder.address} may create endpoints from ${config.address}, whose storage key is ${key ? key.toString() : String(keyRef)}`;
          if (verdicts.includes(undefined) || held.some((h) => h.decoded.undecided !== undefined)) {
            out.push(cannotDecide(id, holder, `${what}; whether a statement allows kms:CreateGrant on it depends on values the model cannot read`));
          } else {
            out.push(fail(id, holder, `${what}, but nothing allows kms:CreateGrant on that key: recreating the endpoint fails on AWS`));
          }
        }
      }
    }
    return dedupe(out);
  },
};

function dedupe(fs: Finding[]): Finding[] {
  const seen = new Set<string>();
  return fs.filter((f) => {
    const k = `${f.subject.stack.name}\u0000${f.subject.address}\u0000${f.message}`;
    return seen.has(k) ? false : (seen.add(k), true);
  });
}
