/** Errors of rollout lifecycle operations. */
import { RuleflowError } from "../errors.js";

/**
 * A rollout changed between read and write: the stored version is not the
 * one the change was based on. Nothing was written; reload and retry.
 *
 * @example
 * ```ts
 * try { await controller.promote(id, { actor, variant: "treatment" }); }
 * catch (e) { if (isRuleflowError(e) && e.code === "CONCURRENCY_CONFLICT") { ...reload and decide again... } }
 * ```
 */
export class RolloutConflictError extends RuleflowError {
  readonly rolloutId: string;
  readonly expectedVersion: number | null;
  readonly actualVersion: number | null;

  constructor(rolloutId: string, expectedVersion: number | null, actualVersion: number | null) {
    super(
      "CONCURRENCY_CONFLICT",
      `rollout "${rolloutId}" was changed concurrently: expected stored version ${expectedVersion ?? "none"}, found ${actualVersion ?? "none"}; reload and retry`,
    );
    this.name = "RolloutConflictError";
    this.rolloutId = rolloutId;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }
}

/**
 * A lifecycle operation is not possible in the rollout's current state
 * (promote a draft, roll back twice, an unknown variant or switch).
 *
 * @example
 * ```ts
 * await controller.promote(draftId, { actor: "user:li", variant: "treatment" });
 * // throws RolloutLifecycleError (code NOT_ALLOWED): cannot promote rollout "...": it is draft (v1); promote is possible from running
 * ```
 */
export class RolloutLifecycleError extends RuleflowError {
  readonly rolloutId: string;
  readonly action: string;

  constructor(rolloutId: string, action: string, reason: string) {
    super("NOT_ALLOWED", `cannot ${action} rollout "${rolloutId}": ${reason}`);
    this.name = "RolloutLifecycleError";
    this.rolloutId = rolloutId;
    this.action = action;
  }
}
