/**
 * What ECR keeps after applying a lifecycle policy, following the documented semantics: rules
 * in ascending priority; each rule's selection claims the images it matches among those not
 * claimed yet; a count rule expires the claimed images beyond the newest countNumber. Used to
 * test that the policy's totals hold and by the cost estimate for stored image counts.
 */
import { EcrLifecycleRule } from "./ecr-repository";

export interface EcrImage {
  readonly digest: string;
  readonly tags: readonly string[];
  /** Larger is newer. */
  readonly pushedAt: number;
}

export function applyEcrLifecycle(rules: readonly EcrLifecycleRule[], images: readonly EcrImage[]): EcrImage[] {
  const unclaimed = new Set(images);
  const kept: EcrImage[] = [];
  for (const rule of [...rules].sort((a, b) => a.rulePriority - b.rulePriority)) {
    const s = rule.selection;
    const claimed = [...unclaimed].filter((img) => {
      if (s.tagStatus === "untagged") return img.tags.length === 0;
      if (s.tagStatus === "any") return true;
      if (img.tags.length === 0) return false;
      return !s.tagPrefixList || img.tags.some((t) => s.tagPrefixList!.some((p) => t.startsWith(p)));
    });
    claimed.sort((a, b) => b.pushedAt - a.pushedAt);
    claimed.forEach((img) => unclaimed.delete(img));
    kept.push(...claimed.slice(0, s.countNumber));
  }
  // Images no rule selected are never expired.
  return [...kept, ...unclaimed];
}
