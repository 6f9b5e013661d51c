/** Errors of rollout lifecycle operations. */
import { RuleflowError } from "../errors.js";

/**
 * A rollout changed between read and write: the stored version is not the
 * one the change was based on. Nothing was written; reload and retry.
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

/** A lifecycle operation is not possible in the rollout's current state (promote a draft, roll back twice...). */
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
