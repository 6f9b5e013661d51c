/**
 * The RolloutStore port: where rollout versions, their audit trail, sticky
 * assignments and exposures live. Every method returns a Promise so that a
 * database adapter fits; the in-memory default is createMemoryRolloutStore.
 * Every implementation must pass rolloutStoreConformance.
 */
import type { RolloutDocument, RolloutStatus } from "../schema/rollout.js";
import type { StickyAssignment } from "./types.js";

/** The lifecycle actions an audit record names. */
export type RolloutAction = "create" | "update" | "start" | "promote" | "roll-back" | "auto-roll-back" | "switch" | "release-switch" | "reweight";

/** One change to a rollout: who, what, when, which versions, why. */
export interface RolloutAuditRecord {
  /** Unique id (by default `<rollout id>@<new version>`). */
  id: string;
  rolloutId: string;
  /** ISO-8601 UTC. */
  at: string;
  /** Who did it: `user:li`, or `system:guardrail` for automatic actions. */
  actor: string;
  action: RolloutAction;
  fromVersion: number | null;
  toVersion: number;
  fromStatus: RolloutStatus | null;
  toStatus: RolloutStatus;
  reason?: string | undefined;
  /** Structured context: the guardrail that fired, the KPI values, the new weights... (JSON). */
  details?: Record<string, unknown> | undefined;
}

/** A unit seen in a variant: what the report counts. */
export interface RolloutExposure {
  rolloutId: string;
  version: number;
  unit: string;
  variant: string;
  bucket: number | null;
  /** ISO-8601 UTC. */
  at: string;
}

/** Storage for rollout lifecycle state, sticky assignments and exposures. */
export interface RolloutStore {
  /** The highest stored version of a rollout, or undefined when none is stored. */
  getRollout(id: string): Promise<RolloutDocument | undefined>;
  /** Every stored version of a rollout, lowest first. */
  listVersions(id: string): Promise<RolloutDocument[]>;
  /** The ids of every stored rollout, sorted. */
  listRollouts(): Promise<string[]>;
  /**
   * Store a new version and its audit record as one atomic change. Rejects
   * with ConcurrencyError (code CONCURRENCY_CONFLICT, subject "rollout") when the highest
   * stored version is not `expectedVersion` (null: nothing stored yet), and
   * then stores nothing. Rejects with ArgumentError (code INVALID_ARGUMENT),
   * storing nothing, when `expectedVersion` is neither null nor a version of
   * 1 or more: a new rollout is `null`, never `0`, as in every store port.
   */
  commitVersion(document: RolloutDocument, expectedVersion: number | null, audit: RolloutAuditRecord): Promise<void>;
  /** The audit trail of a rollout, oldest first. */
  listAudit(rolloutId: string): Promise<RolloutAuditRecord[]>;
  /** A unit's sticky assignment. */
  getSticky(rolloutId: string, unit: string): Promise<StickyAssignment | undefined>;
  /** Store a sticky assignment unless the unit has one; resolves to the one kept (first write wins). */
  putSticky(assignment: StickyAssignment): Promise<StickyAssignment>;
  /** Record an exposure. */
  appendExposure(exposure: RolloutExposure): Promise<void>;
  /** The exposures of a rollout, in the order they were recorded. */
  listExposures(rolloutId: string): Promise<RolloutExposure[]>;
}
