/**
 * ECR repository with scan on push and a lifecycle policy whose total really holds.
 *
 *   new EcrRepository(this, "TrainingRepo", { name: "retail-forecast-dev/training",
 *     keepUntagged: 1, keepPerPrefix: 2, tagPrefixes: ["prod", "stage", "dev"], keepTotal: 10 });
 *
 * ECR evaluates rules by priority, and an image that a higher-priority rule's selection matches
 * is never seen by a lower-priority rule. A final "any, keep 10" rule therefore does NOT cap the
 * repository at 10: it only counts the images no earlier rule matched. The cap holds when the
 * counts add up to it, so the last rule keeps keepTotal - keepUntagged - keepPerPrefix x prefixes.
 */
import { Construct } from "constructs";
import { EcrRepository as EcrRepositoryResource } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";

export interface EcrRepositoryProps {
  readonly name: string;
  /** @default false (CKV_AWS_51 wants true in prod) */
  readonly immutableTags?: boolean;
  /** @default 1 */
  readonly keepUntagged?: number;
  /** @default 2 */
  readonly keepPerPrefix?: number;
  /** @default ["prod", "stage", "dev"] */
  readonly tagPrefixes?: readonly string[];
  /** Upper bound of images kept in the repository. @default 10 */
  readonly keepTotal?: number;
  /** Allow destroy with images inside. @default false */
  readonly forceDelete?: boolean;
}

export interface EcrLifecycleRule {
  readonly rulePriority: number;
  readonly description: string;
  readonly selection: {
    readonly tagStatus: "untagged" | "tagged" | "any";
    readonly tagPrefixList?: string[];
    readonly countType: "imageCountMoreThan";
    readonly countNumber: number;
  };
  readonly action: { readonly type: "expire" };
}

/** The lifecycle policy document; exported for the cost model and tests. */
export function ecrLifecycleRules(props: Required<Pick<EcrRepositoryProps, "keepUntagged" | "keepPerPrefix" | "tagPrefixes" | "keepTotal">>): EcrLifecycleRule[] {
  const others = props.keepTotal - props.keepUntagged - props.keepPerPrefix * props.tagPrefixes.length;
  if (others < 1) {
    throw new Error(
      `keepTotal (${props.keepTotal}) must exceed keepUntagged + keepPerPrefix x ${props.tagPrefixes.length} prefixes ` +
        `(${props.keepTotal - others}): ECR rules never see images a higher-priority rule matched`,
    );
  }
  const rules: EcrLifecycleRule[] = [
    {
      rulePriority: 1,
      description: `keep ${props.keepUntagged} untagged`,
      selection: { tagStatus: "untagged", countType: "imageCountMoreThan", countNumber: props.keepUntagged },
      action: { type: "expire" },
    },
    ...props.tagPrefixes.map((prefix, i) => ({
      rulePriority: 10 + i,
      description: `keep ${props.keepPerPrefix} tagged ${prefix}*`,
      selection: { tagStatus: "tagged" as const, tagPrefixList: [prefix], countType: "imageCountMoreThan" as const, countNumber: props.keepPerPrefix },
      action: { type: "expire" as const },
    })),
    {
      rulePriority: 100,
      description: `keep ${others} other images: ${props.keepTotal} in total`,
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: others },
      action: { type: "expire" },
    },
  ];
  return rules;
}

export class EcrRepository extends Construct {
  readonly repository: EcrRepositoryResource;

  constructor(scope: Construct, id: string, props: EcrRepositoryProps) {
    super(scope, id);
    this.repository = new EcrRepositoryResource(this, "Resource", {
      name: props.name,
      imageTagMutability: props.immutableTags ? "IMMUTABLE" : "MUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "AES256" }],
      forceDelete: props.forceDelete ?? false,
    });
    const rules = ecrLifecycleRules({
      keepUntagged: props.keepUntagged ?? 1,
      keepPerPrefix: props.keepPerPrefix ?? 2,
      tagPrefixes: props.tagPrefixes ?? ["prod", "stage", "dev"],
      keepTotal: props.keepTotal ?? 10,
    });
    new EcrLifecyclePolicy(this, "Lifecycle", { repository: this.repository.name, policy: JSON.stringify({ rules }) });
  }
}
