/**
 * The engine's Storage port on PostgreSQL. Instances are rows with a version
 * column; a transition's instance, timers, outbox entries and audit record
 * are written by one statement (data-modifying CTEs), which PostgreSQL runs
 * atomically: one round trip, one transaction, all or nothing.
 */
import { ConcurrencyError, type Storage } from "@ruleflow/engine";
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
import { createResultQueue, mergeResults, resultsUpdate, type OutboxResult } from "./outbox-results.js";
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

const INSTANCE_COLUMNS = "id, definition_id, definition_version, version, status, outcome, initiator, assignees, waiting_for, state, created_at, updated_at";
const TIMER_COLUMNS = "id, instance_id, key, generation, due_at, event";
const OUTBOX_COLUMNS = "id, kind, instance_id, idempotency_key, payload, status, attempts, next_attempt_at, last_error, created_at";

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
 * Build the one statement that writes a commit. Each part is a
 * data-modifying CTE guarded by `EXISTS (SELECT 1 FROM w)`, so nothing but
 * the version check happens when the instance was changed concurrently.
 */
function commitStatement(s: string, c: Commit, leaseMs: number, results: readonly OutboxResult[] | undefined): { text: string; params: unknown[] } {
  const i = c.instance;
  const params: unknown[] = [
    i.id,
    i.definitionId,
    i.definitionVersion,
    i.version,
    i.status,
    i.outcome ?? null,
    i.initiator,
    [...i.assignees],
    [...i.waitingFor],
    JSON.stringify(i.state),
    i.createdAt,
    i.updatedAt,
  ];
  const p = (v: unknown): string => {
    params.push(v);
    return `$${params.length}`;
  };
  const ctes: string[] = [];
  if (c.expectedVersion === null) {
    ctes.push(
      `w AS (INSERT INTO ${s}.instances (${INSTANCE_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::json, $11, $12) ON CONFLICT (id) DO NOTHING RETURNING id)`,
    );
  } else {
    ctes.push(
      `w AS (UPDATE ${s}.instances SET definition_id = $2, definition_version = $3, version = $4, status = $5, outcome = $6, initiator = $7, ` +
        `assignees = $8, waiting_for = $9, state = $10::json, created_at = $11, updated_at = $12 WHERE id = $1 AND version = ${p(c.expectedVersion)} RETURNING id)`,
    );
  }
  const setIds = new Set(c.timersToSet.map((t) => t.id));
  // Cancel-then-set of one id is a set (as in memory); one statement must not touch a row twice.
  const cancel = c.timerIdsToCancel.filter((id) => !setIds.has(id));
  if (cancel.length) ctes.push(`c AS (DELETE FROM ${s}.timers WHERE id = ANY(${p(cancel)}::text[]) AND EXISTS (SELECT 1 FROM w))`);
  if (c.timersToSet.length) {
    const rows = c.timersToSet.map((t) => ({ id: t.id, instance_id: t.instanceId, key: t.key, generation: t.generation, due_at: t.dueAt, event: t.event }));
    ctes.push(
      `t AS (INSERT INTO ${s}.timers (${TIMER_COLUMNS}) ` +
        `SELECT r.id, r.instance_id, r.key, r.generation, r.due_at, r.event FROM json_to_recordset(${p(JSON.stringify(rows))}::json) ` +
        `AS r(id text, instance_id text, key text, generation integer, due_at bigint, event json) WHERE EXISTS (SELECT 1 FROM w) ` +
        `ON CONFLICT (id) DO UPDATE SET instance_id = excluded.instance_id, key = excluded.key, generation = excluded.generation, ` +
        `due_at = excluded.due_at, event = excluded.event, lease_owner = NULL, lease_until = NULL)`,
    );
  }
  if (c.outbox.length) {
    const rows = c.outbox.map((o) => ({
      id: o.id,
      kind: o.kind,
      instance_id: o.instanceId,
      idempotency_key: o.idempotencyKey,
      payload: o.payload,
      status: o.status,
      attempts: o.attempts,
      next_attempt_at: o.nextAttemptAt,
      last_error: o.lastError ?? null,
      created_at: o.createdAt,
    }));
    // Entries due at once are leased to this process until created_at + the lease: it delivers them itself
    // (Storage.committedOutboxLeaseMs), and claimOutbox hands them to another process only if it has not by then.
    ctes.push(
      `o AS (INSERT INTO ${s}.outbox (${OUTBOX_COLUMNS}, lease_until) ` +
        `SELECT r.id, r.kind, r.instance_id, r.idempotency_key, r.payload, r.status, r.attempts, r.next_attempt_at, r.last_error, r.created_at, ` +
        `CASE WHEN r.status = 'pending' AND r.next_attempt_at <= r.created_at THEN r.created_at + ${p(leaseMs)}::bigint END ` +
        `FROM ROWS FROM (json_to_recordset(${p(JSON.stringify(rows))}::json) ` +
        `AS (id text, kind text, instance_id text, idempotency_key text, payload json, status text, attempts integer, next_attempt_at bigint, last_error text, created_at bigint)) ` +
        `WITH ORDINALITY AS r(id, kind, instance_id, idempotency_key, payload, status, attempts, next_attempt_at, last_error, created_at, n) ` +
        `WHERE EXISTS (SELECT 1 FROM w) ORDER BY r.n ` +
        `ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, instance_id = excluded.instance_id, idempotency_key = excluded.idempotency_key, ` +
        `payload = excluded.payload, status = excluded.status, attempts = excluded.attempts, next_attempt_at = excluded.next_attempt_at, ` +
        `last_error = excluded.last_error, created_at = excluded.created_at, lease_until = excluded.lease_until)`,
    );
  }
  // the transition's audit record (one per commit)
  const a = c.audit;
  const audit = {
    id: a.id,
    instance_id: a.instanceId,
    version: a.version,
    at: a.at,
    actor: a.actor,
    action: a.action,
    comment: a.comment ?? null,
    definition_id: a.definitionId,
    definition_version: a.definitionVersion,
    before: a.before,
    after: a.after,
    event: a.event,
  };
  ctes.push(
    `a AS (INSERT INTO ${s}.audit (id, instance_id, version, at, actor, action, comment, definition_id, definition_version, before, after, event) ` +
      `SELECT r.id, r.instance_id, r.version, r.at, r.actor, r.action, r.comment, r.definition_id, r.definition_version, r.before, r.after, r.event ` +
      `FROM json_to_record(${p(JSON.stringify(audit))}::json) ` +
      `AS r(id text, instance_id text, version integer, at bigint, actor text, action text, comment text, definition_id text, definition_version integer, before json, after json, event json) ` +
      `WHERE EXISTS (SELECT 1 FROM w))`,
  );
  // Delivery results riding along (outbox-results.ts): written whether or not the version check passes.
  if (results?.length) {
    const r = resultsUpdate(s, results, params.length + 1);
    params.push(...r.params);
    ctes.push(`d AS (${r.text})`);
  }
  return { text: `WITH ${ctes.join(",\n")} SELECT count(*)::int AS n FROM w`, params };
}

/**
 * Create the PostgreSQL {@link Storage}. Run {@link migrate} on the schema
 * first. Several engine processes may share one database: commits are
 * checked against the instance version, and `claimOutbox` leases outbox
 * entries so each is delivered by one process.
 *
 * @param db - a driver ({@link createPoolDriver} or {@link createPGliteDriver})
 * @param options - `schema` (default `ruleflow`), `outboxLeaseMs`
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
      const ride = results.ride(new Set(c.outbox.map((o) => o.id)));
      let r: { rows: { n: number }[] };
      try {
        const { text, params } = commitStatement(s, c, leaseMs, ride?.results);
        r = await db.query<{ n: number }>(text, params);
        ride?.written();
      } catch (e) {
        ride?.failed();
        throw e;
      } finally {
        results.committed();
      }
      if (r.rows[0]?.n === 1) return;
      const now = await db.query<{ version: number }>(`SELECT version FROM ${s}.instances WHERE id = $1`, [c.instance.id]);
      throw new ConcurrencyError({ subject: "instance", id: c.instance.id, expectedVersion: c.expectedVersion, actualVersion: now.rows[0]?.version ?? null });
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
