/** Result, explanation and option types of rollout assignment. */
import type { ConditionResult, ConditionTrace } from "../conditions/compile.js";
import type { RolloutDocument, RolloutStatus } from "../schema/rollout.js";
import type { BucketRange } from "./layout.js";
import type { EvaluateDefinitionOptions } from "../core/context.js";

/**
 * Why a unit got its variant:
 * - `assigned`: its bucket fell in a variant's live range
 * - `sticky`: it kept the variant stored for it earlier
 * - `pilot`: it is on an explicit pilot list
 * - `switched`: an active elastic switch covers it
 * - `promoted` / `rolled-back`: the rollout ended; everyone gets the winner / control
 * - `draft`: the rollout has not started; everyone gets control
 * - `no-unit`: the unit fact is missing or not a string or number
 * - `not-targeted`: the targeting condition does not hold
 * - `holdout`: the unit is in the holdout group
 * - `outside-layer`: the unit's layer bucket is outside this rollout's share of the layer
 * - `not-ramped`: the ramp does not cover the unit's bucket yet
 */
export type AssignmentReason =
  | "assigned"
  | "sticky"
  | "pilot"
  | "switched"
  | "promoted"
  | "rolled-back"
  | "draft"
  | "no-unit"
  | "not-targeted"
  | "holdout"
  | "outside-layer"
  | "not-ramped";

/** How an assignment came about, for people and for audits. */
export interface AssignmentExplanation {
  /** True or false when targeting was checked; null when it was not (status, missing unit, pilot list). */
  targeted: boolean | null;
  reason: AssignmentReason;
  /** One plain-language sentence (built when read; included by JSON.stringify). */
  readonly message: string;
  /** Percent of targeted units live at the evaluation time (the ramp). */
  coverage: number;
  /** The targeting trace: always when targeting failed, otherwise with `trace: true`. */
  targeting?: ConditionTrace | undefined;
  /** The holdout check, when the rollout has a holdout. */
  holdout?: { bucket: number; percent: number; held: boolean } | undefined;
  /** The layer check, when the rollout belongs to a layer. */
  layer?: { id: string; bucket: number; range: BucketRange; inside: boolean } | undefined;
  /** The elastic switch that decided, by id. */
  switch?: string | undefined;
  /** The pilot list that decided, by label or position. */
  pilot?: string | undefined;
  /** The sticky record that decided. */
  sticky?: { variant: string; version: number } | undefined;
}

/** What evaluating a rollout for one unit returns. */
export interface RolloutResult {
  kind: "rollout";
  /** The rollout id and the version that decided. */
  id: string;
  version: number;
  /** The evaluation time used, ISO-8601 UTC. */
  at: string;
  /** The lifecycle state of the deciding version. */
  status: RolloutStatus;
  /** The value of the variant the unit gets (the control's when it is not in the rollout). */
  output: unknown;
  /** The id of the variant whose value applies. */
  variant: string;
  /**
   * True when the unit was randomised into the variant (reasons `assigned` and
   * `sticky`): only these units are recorded as exposures and analysed.
   */
  inExperiment: boolean;
  /** The unit value hashed (as a string), or null when there is none. */
  unit: string | null;
  /** The unit's bucket in [0, 1) under the rollout's salt, when it was hashed. */
  bucket: number | null;
  /** The live range `[from, to)` that holds the bucket, when one does. */
  range: BucketRange | null;
  explanation: AssignmentExplanation;
}

/** A unit's stored variant, kept by sticky rollouts. */
export interface StickyAssignment {
  rolloutId: string;
  /** The unit value (as hashed). */
  unit: string;
  variant: string;
  /** The rollout version that first assigned it. */
  version: number;
  /** The salt in force then: a new salt starts everyone afresh. */
  salt: string;
  /** When it was stored, ISO-8601. */
  at: string;
}

/** Options for evaluating a rollout. */
export interface RolloutEvaluateOptions extends EvaluateDefinitionOptions {
  /** The unit's sticky record (sticky rollouts only); `createRolloutController` looks it up for you. */
  sticky?: StickyAssignment | undefined;
}

/** A variant after compilation. */
export interface CompiledVariant {
  readonly id: string;
  readonly index: number;
  /** Normalised share of units (shares sum to 1). */
  readonly share: number;
  readonly value: unknown;
}

/** An elastic switch after compilation. */
export interface CompiledSwitch {
  readonly id: string;
  readonly variant: string;
  readonly active: boolean;
  /** Evaluate the switch's KPI condition against KPI facts. */
  check(kpis: unknown, options?: { at?: string | Date | undefined }): ConditionResult;
}

/** A rollout compiled once into closures. */
export interface CompiledRollout {
  readonly kind: "rollout";
  readonly id: string;
  readonly version: number;
  readonly document: RolloutDocument;
  /** Variants in document order, with normalised shares. */
  readonly variants: readonly CompiledVariant[];
  /** The control variant's id. */
  readonly control: string;
  /** The hash seed (the salt, or the id). */
  readonly salt: string;
  readonly switches: readonly CompiledSwitch[];
  /**
   * Assign one unit. Pure: the same facts, time and sticky record always give
   * the same result. `options.at` is required (rollouts never read the clock);
   * the registry and the controller pass it for you.
   */
  evaluate(facts: unknown, options?: RolloutEvaluateOptions): RolloutResult;
  /** Percent of targeted units live at `at`, from the ramp. */
  coverageAt(at: string | Date): number;
  /** The live ranges at `at`, by variant id. */
  rangesAt(at: string | Date): { variant: string; range: BucketRange }[];
}
