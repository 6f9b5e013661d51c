/**
 * The ports a host plugs into the workflow engine. Each is a small
 * interface with an in-memory default; Promise-returning wherever I/O may
 * happen.
 */
import type { Clock } from "../core/clock.js";

export type { Clock };

/** Lifecycle of a workflow instance. */
export type InstanceStatus = "running" | "completed" | "withdrawn" | "cancelled" | "failed";

/** A workflow instance as stored: one row per instance, versioned. */
export interface StoredInstance {
  readonly id: string;
  readonly definitionId: string;
  readonly definitionVersion: number;
  /** Optimistic-concurrency version: 1 after start, +1 per committed transition. */
  readonly version: number;
  readonly status: InstanceStatus;
  /** The end node's outcome (`approved`, `rejected`, ...) once completed. */
  readonly outcome?: string | undefined;
  readonly initiator: string;
  /** Users who can act now (pending approvers and their delegates): the inbox index. */
  readonly assignees: readonly string[];
  /** Domain event types the instance waits for (wait nodes): the correlation index. */
  readonly waitingFor: readonly string[];
  /** The persisted xstate snapshot (`value` and `context`), plain JSON. */
  readonly state: { readonly value: unknown; readonly context: unknown };
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** A durable timer: an absolute due time and the event it delivers. */
export interface TimerRecord {
  /** `instanceId/key/generation`: unique; firing is deduplicated on it. */
  readonly id: string;
  readonly instanceId: string;
  /** What the timer is for inside the instance, e.g. `esc:countersign`. */
  readonly key: string;
  /** Incremented each time the instance re-arms the key; stale generations are ignored. */
  readonly generation: number;
  /** Epoch milliseconds. */
  readonly dueAt: number;
  /** The event sent to the instance when the timer fires. */
  readonly event: { readonly type: string; readonly [k: string]: unknown };
}

/** Kinds of outbox entries: messages to people, and work for host handlers. */
export type OutboxKind = "notification" | "task";

/** A side effect recorded in the same commit as the transition that caused it. */
export interface OutboxEntry {
  readonly id: string;
  readonly kind: OutboxKind;
  readonly instanceId: string;
  /** Stable across retries: receivers use it to drop duplicates. */
  readonly idempotencyKey: string;
  readonly payload: Readonly<Record<string, unknown>>;
  readonly status: "pending" | "delivered" | "dead";
  readonly attempts: number;
  /** Epoch ms before which the entry is not retried. */
  readonly nextAttemptAt: number;
  readonly lastError?: string | undefined;
  readonly createdAt: number;
}

/** One audit record per committed change. */
export interface AuditRecord {
  readonly id: string;
  readonly instanceId: string;
  /** The instance version this change produced. */
  readonly version: number;
  readonly at: number;
  /** Who: a user id, `system`, `timer`, or `initiator`. */
  readonly actor: string;
  /** What: the event type (`approve`, `timer`, `start`, ...). */
  readonly action: string;
  readonly comment?: string | undefined;
  readonly definitionId: string;
  readonly definitionVersion: number;
  readonly before: { readonly value: unknown; readonly status: InstanceStatus } | null;
  readonly after: { readonly value: unknown; readonly status: InstanceStatus };
  /** The event as applied (with its payload), for replay. */
  readonly event: Readonly<Record<string, unknown>>;
}

/** Everything one transition writes, atomically. */
export interface Commit {
  readonly instance: StoredInstance;
  /**
   * The version the instance had when loaded; `null` for a new instance
   * (nothing stored yet under its id). `0` is refused (`INVALID_ARGUMENT`).
   */
  readonly expectedVersion: number | null;
  readonly timersToSet: readonly TimerRecord[];
  readonly timerIdsToCancel: readonly string[];
  readonly outbox: readonly OutboxEntry[];
  /** The audit record of the transition: one per commit. */
  readonly audit: AuditRecord;
}

/** Query for {@link Storage.listInstances}. */
export interface InstanceQuery {
  readonly status?: InstanceStatus | readonly InstanceStatus[] | undefined;
  /** Instances this user can act on now. */
  readonly assignee?: string | undefined;
  readonly definitionId?: string | undefined;
  /** Instances waiting for this domain event type. */
  readonly waitingFor?: string | undefined;
  readonly limit?: number | undefined;
}

/**
 * Durable state: instances, timers, outbox, audit. `commit` is atomic: all of
 * it or none, and only when the stored version equals `expectedVersion`.
 * Every method refuses strings holding a NUL character or a lone surrogate,
 * before reading or writing anything, with `assertStorableText` (a
 * `ValidationError` naming each field, e.g. `audit.comment`).
 *
 * The words every store port shares: a method returning a list is `list*`;
 * `expectedVersion` is the version read, `null` when nothing is stored yet
 * (checked with `assertExpectedVersion`).
 */
export interface Storage {
  /** Load one instance. */
  getInstance(id: string): Promise<StoredInstance | undefined>;
  /**
   * Write a transition atomically.
   * @throws a `ConcurrencyError` (code `CONCURRENCY_CONFLICT`) when the stored version is not `expectedVersion`
   * (or, for `expectedVersion` `null`, when the id already exists); nothing is written then.
   * @throws an `ArgumentError` (code `INVALID_ARGUMENT`) when `expectedVersion` is neither `null` nor a version of 1 or more
   */
  commit(commit: Commit): Promise<void>;
  /** Instances matching the query, oldest first. */
  listInstances(query: InstanceQuery): Promise<StoredInstance[]>;
  /** Timers not yet fired or cancelled, earliest first, optionally only those due by `dueBy`. */
  listPendingTimers(options?: { dueBy?: number | undefined; limit?: number | undefined }): Promise<TimerRecord[]>;
  /** One timer, if still pending. */
  getTimer(id: string): Promise<TimerRecord | undefined>;
  /** Outbox entries with status `pending` whose `nextAttemptAt` is at or before `now`, oldest first. */
  listDueOutbox(now: number, limit?: number): Promise<OutboxEntry[]>;
  /** Every outbox entry of an instance (any status), in creation order. */
  listOutbox(instanceId: string): Promise<OutboxEntry[]>;
  /** Record a delivery attempt's result. */
  updateOutbox(id: string, update: Pick<OutboxEntry, "status" | "attempts" | "nextAttemptAt"> & { lastError?: string | undefined }): Promise<void>;
  /** The audit log of an instance in commit order. */
  listAudit(instanceId: string): Promise<AuditRecord[]>;
  /**
   * Optional, for a storage that several engine processes share: atomically
   * take up to `limit` entries that `listDueOutbox(now)` would return, and
   * hide them from other callers for a lease the storage chooses (a
   * PostgreSQL storage moves their `nextAttemptAt` to the lease's end, using
   * `FOR UPDATE SKIP LOCKED`). The taker records the outcome with
   * `updateOutbox`; if it dies first, the entries are due again when the
   * lease ends and another process delivers them. When present, the engine
   * delivers only what it claimed.
   */
  claimOutbox?(now: number, limit: number): Promise<OutboxEntry[]>;
  /**
   * Optional, with `claimOutbox`: `commit` leases the outbox entries it
   * writes that are due at once (status `pending`, `nextAttemptAt` at or
   * before `createdAt`) to the committing process, until `createdAt` plus
   * this many ms: `claimOutbox` hands them to no one before then. The engine
   * then delivers them straight from the commit, without claiming them; if
   * it dies first, any process claims them when the lease ends. A storage
   * without it has every entry claimed.
   */
  readonly committedOutboxLeaseMs?: number | undefined;
  /**
   * Optional: record several delivery results in one write, each as
   * `updateOutbox(id, update)` would. The engine gathers the results that
   * come in while one write is under way into the next. Without it, each
   * result is one `updateOutbox`.
   */
  updateOutboxBatch?(
    updates: readonly (Pick<OutboxEntry, "id" | "status" | "attempts" | "nextAttemptAt"> & { readonly lastError?: string | undefined })[],
  ): Promise<void>;
  // --- scheduled triggers (docs/schedules.md) ---
  /** Optional, needed for workflows with scheduled triggers: one stored schedule. */
  getSchedule?(id: string): Promise<ScheduleRecord | undefined>;
  /**
   * Optional, with `getSchedule`: write a schedule when its stored `version`
   * is `expectedVersion` (`null`: when none is stored yet).
   * @throws a `ConcurrencyError` (code `CONCURRENCY_CONFLICT`) otherwise; nothing is written then
   * @throws an `ArgumentError` (code `INVALID_ARGUMENT`) when `expectedVersion` is neither `null` nor a version of 1 or more
   */
  saveSchedule?(record: ScheduleRecord, expectedVersion: number | null): Promise<void>;
}

/**
 * A scheduled trigger's durable state: the next occurrence to start. Engines
 * sharing a storage advance it with compare-and-set on `version`; the
 * instance an occurrence starts has an id derived from the schedule and the
 * occurrence, so it is started at most once whoever fires it.
 */
export interface ScheduleRecord {
  /** `workflowId/scheduleId`. */
  readonly id: string;
  readonly definitionId: string;
  /** The spec the occurrences were computed from (canonical JSON); a different one is recomputed from now. */
  readonly spec: string;
  /** Epoch ms of the next occurrence; `null` when it could not be computed (see `error`). */
  readonly nextAt: number | null;
  /** Epoch ms of the last occurrence started, if any. */
  readonly lastAt: number | null;
  /** Why the schedule is stuck or its last start failed (a calendar without data for the next year, ...). */
  readonly error?: string | undefined;
  /** Compare-and-set version: 1 when first stored. */
  readonly version: number;
  readonly updatedAt: number;
}

/** What the engine gives a {@link Scheduler} besides `fire`. */
export interface SchedulerContext {
  /**
   * Ask the engine to deliver due outbox entries now. A scheduler that polls
   * a shared database calls it on each poll, so entries written by other
   * processes, or left behind by a process that died, are picked up.
   */
  pollOutbox(): void;
}

/** Fires due timers; the engine tells it about new and cancelled ones after each commit. */
export interface Scheduler {
  /**
   * Begin firing: `fire` is called once per due timer, in due order. Pending
   * timers are loaded from storage (or, by a polling scheduler, claimed from
   * it when due). `context` is optional for implementations to use.
   */
  start(fire: (timer: TimerRecord) => Promise<void>, storage: Storage, context?: SchedulerContext): Promise<void>;
  /** Learn of timers written by a commit. */
  schedule(timers: readonly TimerRecord[]): void;
  /** Forget cancelled timers. */
  cancel(timerIds: readonly string[]): void;
  /** Stop firing. */
  stop(): Promise<void>;
}

/** A message for people, rendered by the notifier from a template. */
export interface Notification {
  readonly id: string;
  readonly idempotencyKey: string;
  readonly instanceId: string;
  /** The recipient as written in the definition (`role:compliance-lead`, `initiator`, `user:li`). */
  readonly to: string;
  /** Resolved user ids. */
  readonly recipients: readonly string[];
  readonly template: string;
  readonly channel?: string | undefined;
  readonly data: Readonly<Record<string, unknown>>;
  readonly at: number;
}

/** Why the engine gave up on a notification, passed to {@link Notifier.deadLetter}. */
export interface DeliveryFailure {
  /** Delivery attempts made (calls of `send`). */
  readonly attempts: number;
  /** The last error's message. */
  readonly error: string;
  /** The last error was permanent (`permanent: true`), not an exhausted retry budget. */
  readonly permanent: boolean;
  /** Epoch ms (Clock time) when the entry was marked dead. */
  readonly at: number;
}

/**
 * Delivers notifications. Throwing means "retry later"; throwing an error with
 * `permanent: true` (`PermanentDeliveryError`) means "never retry": the entry
 * is dead at once.
 */
export interface Notifier {
  send(notification: Notification): Promise<void>;
  /**
   * Optional: told once when the engine marks a notification's outbox entry
   * `dead` (a permanent error, or the last retry failed), so the notifier can
   * keep a dead-letter record. Errors thrown here are ignored.
   */
  deadLetter?(notification: Notification, failure: DeliveryFailure): void | Promise<void>;
}


/** Resolves assignee specs (`role:compliance`, `manager-of:u1`, `user:li`) to user ids. */
export interface Directory {
  resolve(spec: string): Promise<readonly string[]>;
}
