/**
 * The engine's Storage port on PostgreSQL. Instances are rows with a version
 * column; a transition's instance, timers, outbox entries and audit record
 * are written by one statement (data-modifying CTEs, commit-statement.ts),
 * which PostgreSQL runs atomically: one round trip, one transaction, all or
 * nothing. Commits that wait while another is in flight share a statement
 * (group-commit.ts).
 */
import type { Storage } from "@ruleflow/engine";
import {
  assertExpectedVersion,
  assertStorableText,
  type AuditRecord,
  type Commit,
  type InstanceQuery,
  type OutboxEntry,
  type ScheduleRecord,
  type StoredInstance,
  type TimerRecord,
} from "@ruleflow/engine/workflow";
import type { SqlDriver } from "./driver.js";
import {
  commitStatement,
  compactGroupStatement,
  INSTANCE_COLUMNS,
  OUTBOX_COLUMNS,
  serialiseCommit,
  shapeOf,
  TIMER_COLUMNS,
  uniformGroupStatement,
  type SerialisedCommit,
  type TextCache,
} from "./commit-statement.js";
import { createCommitQueue, type CommitOutcome, type GroupCommitOptions } from "./group-commit.js";
import { createResultQueue, mergeResults, resultsUpdate } from "./outbox-results.js";
import { scheduleMethods } from "./schedule-store.js";
import type { SchemaOptions } from "./migrations.js";
import { ms, quoteSchema } from "./schema-name.js";

/** Options of {@link createPostgresStorage}. */
export interface PostgresStorageOptions extends SchemaOptions {
  /**
   * How long a process holds outbox entries it claimed for delivery
   * (`claimOutbox`), or committed and delivers itself, in ms. If it dies
   * before recording the delivery, another process takes them over after
   * this. Default 60,000.
   */
  outboxLeaseMs?: number | undefined;
  /**
   * Group commit: commits asked for while `maxInFlight` commit statements
   * of this storage are in flight wait, and go together as one statement
   * (one round trip, one transaction) when one answers, at most `maxBatch`
   * in a statement. Each keeps its own version check and outcome; a commit
   * that finds a free slot goes at once. Default
   * `{ maxInFlight: 4, maxBatch: 16 }`; `false` sends every commit at once
   * as a statement of its own.
   *
   * @example
   * ```ts
   * createPostgresStorage(db, { groupCommit: { maxInFlight: 2, maxBatch: 8 } });
   * createPostgresStorage(db, { groupCommit: false }); // one statement per commit
   * ```
   * @see docs/postgres.md#group-commit
   */
  groupCommit?: GroupCommitOptions | false | undefined;
  /** @internal Tests: force group statements fitted to their commits' parts, or uniform ones. */
  groupText?: "compact" | "uniform" | undefined;
}

/**
 * The PostgreSQL {@link Storage}, with the optional members the engine uses
 * to share the outbox between processes: `claimOutbox`, the lease a commit
 * gives the committing process over its new entries
 * (`committedOutboxLeaseMs`), and `updateOutboxBatch`, whose results ride on
 * the next commit statement while transitions are being committed (or are
 * written alone after a few ms).
 */
export interface PostgresStorage extends Storage {
  claimOutbox(now: number, limit: number): Promise<OutboxEntry[]>;
  readonly committedOutboxLeaseMs: number;
  updateOutboxBatch(updates: Parameters<NonNullable<Storage["updateOutboxBatch"]>>[0]): Promise<void>;
  getSchedule(id: string): Promise<ScheduleRecord | undefined>;
  saveSchedule(record: ScheduleRecord, expectedVersion: number | null): Promise<void>;
}

interface InstanceRow {
  id: string;
  definition_id: string;
  definition_version: number;
  version: number;
  status: StoredInstance["status"];
  outcome: string | null;
  initiator: string;
  assignees: string[];
  waiting_for: string[];
  state: StoredInstance["state"];
  created_at: unknown;
  updated_at: unknown;
}

interface TimerRow {
  id: string;
  instance_id: string;
  key: string;
  generation: number;
  due_at: unknown;
  event: TimerRecord["event"];
}

interface OutboxRow {
  id: string;
  kind: OutboxEntry["kind"];
  instance_id: string;
  idempotency_key: string;
  payload: OutboxEntry["payload"];
  status: OutboxEntry["status"];
  attempts: number;
  next_attempt_at: unknown;
  last_error: string | null;
  created_at: unknown;
}

interface AuditRow {
  id: string;
  instance_id: string;
  version: number;
  at: unknown;
  actor: string;
  action: string;
  comment: string | null;
  definition_id: string;
  definition_version: number;
  before: AuditRecord["before"];
  after: AuditRecord["after"];
  event: AuditRecord["event"];
}

/** How long a delivery result waits for a commit statement to carry it while commits are under way, in ms. */
const RESULTS_WAIT_MS = 5;

/**
 * Distinct group statement texts fitted to their commits' parts a storage
 * sends; each is prepared on every connection, so their number is capped.
 * A workload's few kinds of transition fill a fraction of it.
 */
const MAX_COMPACT_TEXTS = 64;

const instanceOf = (r: InstanceRow): StoredInstance => ({
  id: r.id,
  definitionId: r.definition_id,
  definitionVersion: r.definition_version,
  version: r.version,
  status: r.status,
  ...(r.outcome === null ? {} : { outcome: r.outcome }),
  initiator: r.initiator,
  assignees: r.assignees,
  waitingFor: r.waiting_for,
  state: r.state,
  createdAt: ms(r.created_at),
  updatedAt: ms(r.updated_at),
});

/** @internal */
export const timerOf = (r: TimerRow): TimerRecord => ({
  id: r.id,
  instanceId: r.instance_id,
  key: r.key,
  generation: r.generation,
  dueAt: ms(r.due_at),
  event: r.event,
});

const outboxEntryOf = (r: OutboxRow): OutboxEntry => ({
  id: r.id,
  kind: r.kind,
  instanceId: r.instance_id,
  idempotencyKey: r.idempotency_key,
  payload: r.payload,
  status: r.status,
  attempts: r.attempts,
  nextAttemptAt: ms(r.next_attempt_at),
  ...(r.last_error === null ? {} : { lastError: r.last_error }),
  createdAt: ms(r.created_at),
});

const auditRecordOf = (r: AuditRow): AuditRecord => ({
  id: r.id,
  instanceId: r.instance_id,
  version: r.version,
  at: ms(r.at),
  actor: r.actor,
  action: r.action,
  ...(r.comment === null ? {} : { comment: r.comment }),
  definitionId: r.definition_id,
  definitionVersion: r.definition_version,
  before: r.before,
  after: r.after,
  event: r.event,
});

/**
 * Create the PostgreSQL {@link Storage}. Run {@link migrate} on the schema
 * first. Several engine processes may share one database: commits are
 * checked against the instance version, and `claimOutbox` leases outbox
 * entries so each is delivered by one process.
 *
 * @param db - a driver ({@link createPoolDriver} or {@link createPGliteDriver})
 * @param options - `schema` (default `ruleflow`), `outboxLeaseMs`, `groupCommit` (default `{ maxInFlight: 4, maxBatch: 16 }`; `false` for one statement per commit)
 * @returns the storage
 * @example
 * ```ts
 * const db = createPoolDriver(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await migrate(db);
 * const engine = createEngine({ definitions, storage: createPostgresStorage(db), scheduler: createPostgresScheduler(db) });
 * ```
 * @see docs/postgres.md
 */
export function createPostgresStorage(db: SqlDriver, options: PostgresStorageOptions = {}): PostgresStorage {
  const s = quoteSchema(options.schema);
  const leaseMs = options.outboxLeaseMs ?? 60_000;
  const results = createResultQueue(async (rows) => {
    const r = resultsUpdate(s, rows, 1);
    await db.query(r.text, r.params);
  }, RESULTS_WAIT_MS);

  // Group texts fitted to their commits' parts, sent (and prepared) so far; past the cap, groups of new shapes
  // use the uniform text instead, whose number is bounded by maxBatch.
  const compactTexts = new Set<string>();
  const compact = (key: string): boolean => {
    if (options.groupText !== undefined) return options.groupText === "compact";
    if (db.kind === "pglite" || compactTexts.has(key)) return true; // PGlite prepares nothing
    if (compactTexts.size >= MAX_COMPACT_TEXTS) return false;
    compactTexts.add(key);
    return true;
  };

  // statement texts built so far, so a commit of a known shape reuses its text (commit-statement.ts)
  const texts: TextCache = new Map();

  /** One statement writing `commits`, carrying the delivery results waiting (none of an entry the commits write). */
  const write = async (commits: readonly Commit[]): Promise<CommitOutcome[]> => {
    const outcomes: CommitOutcome[] = [];
    const parts: SerialisedCommit[] = [];
    const sent: number[] = [];
    // A commit that cannot be serialised (it threw) is refused alone; the others go.
    commits.forEach((c, k) => {
      try {
        parts.push(serialiseCommit(c));
        sent.push(k);
        outcomes.push("written");
      } catch (error) {
        outcomes.push({ error });
      }
    });
    if (!parts.length) return outcomes;
    const ride = results.ride(new Set(commits.flatMap((c) => c.outbox.map((o) => o.id))));
    try {
      const statement =
        parts.length === 1
          ? commitStatement(s, parts[0]!, leaseMs, ride?.results, texts)
          : compact(`${parts.map(shapeOf).join(".")}${ride ? "+" : ""}`)
            ? compactGroupStatement(s, parts, leaseMs, ride?.results, texts)
            : uniformGroupStatement(s, parts, leaseMs, ride?.results, texts);
      const r = await db.query<{ n: number | number[] }>(statement.text, statement.params);
      ride?.written();
      const n = r.rows[0]?.n;
      const written = Array.isArray(n) ? n : [n];
      sent.forEach((k, j) => {
        if (written[j] !== 1) outcomes[k] = "conflict";
      });
      return outcomes;
    } catch (e) {
      ride?.failed();
      throw e;
    } finally {
      results.committed();
    }
  };

  const commit = createCommitQueue(options.groupCommit, {
    write,
    async versions(ids) {
      const r =
        ids.length === 1
          ? await db.query<{ id: string; version: number }>(`SELECT id, version FROM ${s}.instances WHERE id = $1`, [ids[0]])
          : await db.query<{ id: string; version: number }>(`SELECT id, version FROM ${s}.instances WHERE id = ANY($1::text[])`, [[...ids]]);
      return new Map(r.rows.map((row) => [row.id, row.version]));
    },
  });

  return {
    ...scheduleMethods(db, s), // scheduled triggers: schedule-store.ts
    async getInstance(id) {
      // PostgreSQL refuses NUL in text and json, and the driver turns a lone surrogate into U+FFFD: refuse both as every store does
      assertStorableText({ id }, "instance id");
      const r = await db.query<InstanceRow>(`SELECT ${INSTANCE_COLUMNS} FROM ${s}.instances WHERE id = $1`, [id]);
      return r.rows[0] ? instanceOf(r.rows[0]) : undefined;
    },

    async commit(c) {
      assertExpectedVersion(c.expectedVersion, "commit.expectedVersion");
      assertStorableText({ ...c }, "commit");
      return commit(c);
    },

    async listInstances(q: InstanceQuery) {
      assertStorableText({ ...q }, "instance query");
      const where: string[] = [];
      const params: unknown[] = [];
      const p = (v: unknown): string => {
        params.push(v);
        return `$${params.length}`;
      };
      if (q.status !== undefined) where.push(`status = ANY(${p(typeof q.status === "string" ? [q.status] : [...q.status])}::text[])`);
      if (q.definitionId !== undefined) where.push(`definition_id = ${p(q.definitionId)}`);
      if (q.assignee !== undefined) where.push(`assignees @> ARRAY[${p(q.assignee)}::text]`);
      if (q.waitingFor !== undefined) where.push(`waiting_for @> ARRAY[${p(q.waitingFor)}::text]`);
      const text =
        `SELECT ${INSTANCE_COLUMNS} FROM ${s}.instances ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY created_at, seq` +
        (q.limit !== undefined ? ` LIMIT ${p(q.limit)}` : "");
      return (await db.query<InstanceRow>(text, params)).rows.map(instanceOf);
    },

    async listPendingTimers(opts) {
      const params: unknown[] = [opts?.dueBy ?? null, opts?.limit ?? null];
      const r = await db.query<TimerRow>(
        `SELECT ${TIMER_COLUMNS} FROM ${s}.timers WHERE ($1::bigint IS NULL OR due_at <= $1) ORDER BY due_at, id COLLATE "C" LIMIT $2`,
        params,
      );
      return r.rows.map(timerOf);
    },

    async getTimer(id) {
      assertStorableText({ id }, "timer id");
      const r = await db.query<TimerRow>(`SELECT ${TIMER_COLUMNS} FROM ${s}.timers WHERE id = $1`, [id]);
      return r.rows[0] ? timerOf(r.rows[0]) : undefined;
    },

    async listDueOutbox(now, limit) {
      const r = await db.query<OutboxRow>(
        `SELECT ${OUTBOX_COLUMNS} FROM ${s}.outbox WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY created_at, seq LIMIT $2`,
        [now, limit ?? null],
      );
      return r.rows.map(outboxEntryOf);
    },

    committedOutboxLeaseMs: leaseMs,

    async claimOutbox(now, limit) {
      // Taking an entry moves its next attempt to the end of the lease: other
      // processes skip it until then, and take it over if this one dies.
      // Entries still leased to the process that committed them are skipped too.
      const r = await db.query<OutboxRow & { seq: unknown }>(
        `WITH due AS (SELECT id, seq, next_attempt_at FROM ${s}.outbox WHERE status = 'pending' AND next_attempt_at <= $1 ` +
          `AND (lease_until IS NULL OR lease_until <= $1) ` +
          `ORDER BY created_at, seq LIMIT $2 FOR UPDATE SKIP LOCKED) ` +
          `UPDATE ${s}.outbox o SET next_attempt_at = $3, lease_until = NULL FROM due WHERE o.id = due.id ` +
          `RETURNING o.id, o.kind, o.instance_id, o.idempotency_key, o.payload, o.status, o.attempts, due.next_attempt_at, o.last_error, o.created_at, o.seq`,
        [now, limit, now + leaseMs],
      );
      return r.rows.sort((a, b) => ms(a.created_at) - ms(b.created_at) || ms(a.seq) - ms(b.seq)).map(outboxEntryOf);
    },

    async listOutbox(instanceId) {
      assertStorableText({ instanceId }, "instance id");
      const r = await db.query<OutboxRow>(`SELECT ${OUTBOX_COLUMNS} FROM ${s}.outbox WHERE instance_id = $1 ORDER BY seq`, [instanceId]);
      return r.rows.map(outboxEntryOf);
    },

    async updateOutbox(id, update) {
      assertStorableText({ id, ...update }, "outbox update");
      // Delivered and dead are final: a process whose lease ran out must not
      // turn an entry another process delivered back into a pending one.
      // A result ends the lease: a retry is due at its next attempt, for any process.
      await db.query(
        `UPDATE ${s}.outbox SET status = $2, attempts = $3, next_attempt_at = $4, last_error = coalesce($5, last_error), lease_until = NULL WHERE id = $1 AND status = 'pending'`,
        [id, update.status, update.attempts, update.nextAttemptAt, update.lastError ?? null],
      );
    },

    async updateOutboxBatch(updates) {
      assertStorableText({ updates }, "outbox updates");
      if (updates.length === 0) return;
      // with the next commit statement, or alone (outbox-results.ts)
      await results.add(mergeResults(updates));
    },

    async listAudit(instanceId) {
      assertStorableText({ instanceId }, "instance id");
      const r = await db.query<AuditRow>(
        `SELECT id, instance_id, version, at, actor, action, comment, definition_id, definition_version, before, after, event ` +
          `FROM ${s}.audit WHERE instance_id = $1 ORDER BY seq`,
        [instanceId],
      );
      return r.rows.map(auditRecordOf);
    },
  };
}
