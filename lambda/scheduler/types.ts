/** Shapes shared by the scheduler's plan, AWS calls, core, handler and CLI. */
import type { Avoided } from "./avoided";

export const ACTIONS = ["stop", "start", "stop-idle"] as const;
export type Action = (typeof ACTIONS)[number];

export type TargetKind = "nodegroup" | "endpoint" | "rule";
export type Outcome = "stopped" | "started" | "skipped" | "failed";

export type Tags = Readonly<Record<string, string>>;

export interface Scaling {
  readonly minSize: number;
  readonly desiredSize: number;
  readonly maxSize: number;
}

/** One line of the summary, one per target. */
export interface TargetResult {
  readonly kind: TargetKind;
  /** cluster/nodegroup, endpoint name or rule name */
  readonly id: string;
  readonly outcome: Outcome;
  readonly before: unknown;
  readonly after: unknown;
  readonly reason: string;
  /** A start: the hours the target stayed down since its recorded stop, and their price. */
  readonly avoided?: Avoided;
}

export interface Summary {
  readonly action: Action;
  readonly dryRun: boolean;
  readonly scheduleName: string;
  readonly region: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly totals: Readonly<Record<Outcome, number>> & { readonly targets: number };
  readonly results: readonly TargetResult[];
  /** Set when the run did nothing on purpose: a keep-alive in force, a skip date. */
  readonly skipped?: string;
}

/** Where stop leaves what start needs: SSM parameters under the record prefix. */
export interface NodegroupRecord {
  readonly version: 1;
  readonly kind: "nodegroup";
  readonly scheduleName: string;
  readonly cluster: string;
  readonly nodegroup: string;
  /** ARN of the group recorded: a group recreated under the same name has a new ARN. */
  readonly nodegroupArn: string;
  readonly scaling: Scaling;
  readonly stoppedAt: string;
}

export interface EndpointRecord {
  readonly version: 1;
  readonly kind: "endpoint";
  readonly scheduleName: string;
  readonly endpointName: string;
  readonly endpointConfigName: string;
  /** The endpoint's own tags (aws:* left out: AWS reserves them), given back at CreateEndpoint. */
  readonly tags: Tags;
  readonly stoppedAt: string;
  readonly stoppedBy: "stop" | "stop-idle";
}
