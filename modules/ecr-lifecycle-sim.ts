/**
 * What ECR keeps after applying a lifecycle policy, following the documented semantics: rules
 * in ascending priority; each rule's selection claims the images it matches among those not
 * claimed yet; a count rule expires the claimed images beyond the newest countNumber, an age
 * rule those pushed more than countNumber days ago. Images no rule selects are never expired.
 *
 * The one simulator of the project: the data stack's test proves the policy's totals with it,
 * teardown lists the images beyond retention with it, and the cost estimate runs it week by
 * week over the horizon.
 */
export interface EcrImage {
  readonly digest: string;
  readonly tags: readonly string[];
  /** Push time in ms since the epoch; larger is newer. */
  readonly pushedAt: number;
}

/** One rule of an ECR lifecycle policy document (the construct's `EcrLifecycleRule` is one). */
export interface EcrPolicyRule {
  readonly rulePriority: number;
  readonly selection: {
    readonly tagStatus: "untagged" | "tagged" | "any";
    readonly tagPrefixList?: readonly string[];
    readonly countType: "imageCountMoreThan" | "sinceImagePushed";
    readonly countNumber: number;
  };
}

const DAY_MS = 86_400_000;

function selects(s: EcrPolicyRule["selection"], img: EcrImage): boolean {
  if (s.tagStatus === "untagged") return img.tags.length === 0;
  if (s.tagStatus === "any") return true;
  if (img.tags.length === 0) return false;
  // ECR requires a prefix list on a tagged rule; read a missing or empty one as "any tag"
  return !s.tagPrefixList?.length || img.tags.some((t) => s.tagPrefixList!.some((p) => t.startsWith(p)));
}

/** The images the policy keeps; `nowMs` is when it runs (for `sinceImagePushed` rules). */
export function applyEcrLifecycle(rules: readonly EcrPolicyRule[], images: readonly EcrImage[], nowMs = Date.now()): EcrImage[] {
  const unclaimed = new Set(images);
  const kept: EcrImage[] = [];
  for (const rule of [...rules].sort((a, b) => a.rulePriority - b.rulePriority)) {
    const s = rule.selection;
    const claimed = [...unclaimed].filter((img) => selects(s, img));
    claimed.sort((a, b) => b.pushedAt - a.pushedAt);
    claimed.forEach((img) => unclaimed.delete(img));
    // ages in whole days, as ECR counts them
    if (s.countType === "sinceImagePushed") kept.push(...claimed.filter((img) => Math.floor((nowMs - img.pushedAt) / DAY_MS) <= s.countNumber));
    else kept.push(...claimed.slice(0, s.countNumber));
  }
  return [...kept, ...unclaimed];
}

/** The rules of a lifecycle policy document (JSON text or object); throws naming what is wrong. */
export function parseEcrLifecyclePolicy(policy: unknown): EcrPolicyRule[] {
  let doc: unknown = policy;
  if (typeof policy === "string") {
    try {
      doc = JSON.parse(policy);
    } catch (e) {
      throw new Error(`ECR lifecycle policy is not JSON: ${(e as Error).message}`);
    }
  }
  const rules = doc && typeof doc === "object" && "rules" in doc ? (doc as { rules: unknown }).rules : undefined;
  if (!Array.isArray(rules)) throw new Error("ECR lifecycle policy has no rules list");
  return rules.map((r: unknown, i): EcrPolicyRule => {
    const rule = (r ?? {}) as { rulePriority?: unknown; selection?: Record<string, unknown> };
    const s = rule.selection ?? {};
    const tagStatus = s.tagStatus ?? "any";
    const countType = s.countType ?? "imageCountMoreThan";
    if (tagStatus !== "untagged" && tagStatus !== "tagged" && tagStatus !== "any") throw new Error(`ECR lifecycle rule ${i}: tagStatus ${JSON.stringify(tagStatus)} is not untagged, tagged or any`);
    if (countType !== "imageCountMoreThan" && countType !== "sinceImagePushed") {
      throw new Error(`ECR lifecycle rule ${i}: countType ${JSON.stringify(countType)} is not imageCountMoreThan or sinceImagePushed`);
    }
    const prefixes = Array.isArray(s.tagPrefixList) ? s.tagPrefixList.map(String) : undefined;
    return { rulePriority: Number(rule.rulePriority), selection: { tagStatus, tagPrefixList: prefixes, countType, countNumber: Number(s.countNumber ?? 0) } };
  });
}
