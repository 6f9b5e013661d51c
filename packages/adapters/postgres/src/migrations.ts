/**
 * Versioned, idempotent migrations. The host calls `migrate()` at start-up
 * (from every process if it likes: an advisory lock makes concurrent calls
 * wait for each other); re-running is a no-op, and a schema written by a
 * newer version of this package is refused with a clear error instead of
 * being used half-understood.
 */
import { SchemaVersionError } from "@ruleflow/engine";
import type { SqlDriver, SqlQueryable } from "./driver.js";
import { DEFAULT_SCHEMA, quoteSchema } from "./schema-name.js";

/** One migration: a version, a name, and its statements (one statement each, so both drivers run them). */
interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: (s: string) => string[];
}

const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "workflow runtime: instances, timers, outbox, audit",
    statements: (s) => [
      `CREATE TABLE ${s}.instances (
        id text PRIMARY KEY,
        seq bigserial NOT NULL,
        definition_id text NOT NULL,
        definition_version integer NOT NULL,
        version integer NOT NULL CHECK (version > 0),
        status text NOT NULL,
        outcome text,
        initiator text NOT NULL,
        assignees text[] NOT NULL,
        waiting_for text[] NOT NULL,
        state json NOT NULL,
        created_at bigint NOT NULL,
        updated_at bigint NOT NULL
      )`,
      `CREATE INDEX instances_status_created ON ${s}.instances (status, created_at, seq)`,
      `CREATE INDEX instances_assignees ON ${s}.instances USING gin (assignees)`,
      `CREATE INDEX instances_waiting_for ON ${s}.instances USING gin (waiting_for)`,
      `CREATE TABLE ${s}.timers (
        id text PRIMARY KEY,
        instance_id text NOT NULL,
        key text NOT NULL,
        generation integer NOT NULL,
        due_at bigint NOT NULL,
        event json NOT NULL,
        lease_owner text,
        lease_until bigint
      )`,
      `CREATE INDEX timers_due ON ${s}.timers (due_at, id)`,
      `CREATE INDEX timers_instance ON ${s}.timers (instance_id)`,
      `CREATE INDEX timers_leased ON ${s}.timers (lease_until) WHERE lease_until IS NOT NULL`,
      `CREATE TABLE ${s}.outbox (
        id text PRIMARY KEY,
        seq bigserial NOT NULL,
        kind text NOT NULL,
        instance_id text NOT NULL,
        idempotency_key text NOT NULL,
        payload json NOT NULL,
        status text NOT NULL,
        attempts integer NOT NULL,
        next_attempt_at bigint NOT NULL,
        last_error text,
        created_at bigint NOT NULL
      )`,
      `CREATE INDEX outbox_pending ON ${s}.outbox (created_at, seq) WHERE status = 'pending'`,
      `CREATE INDEX outbox_instance ON ${s}.outbox (instance_id, seq)`,
      `CREATE TABLE ${s}.audit (
        seq bigserial PRIMARY KEY,
        id text NOT NULL UNIQUE,
        instance_id text NOT NULL,
        version integer NOT NULL,
        at bigint NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        comment text,
        definition_id text NOT NULL,
        definition_version integer NOT NULL,
        before json,
        after json NOT NULL,
        event json NOT NULL
      )`,
      `CREATE INDEX audit_instance ON ${s}.audit (instance_id, seq)`,
    ],
  },
  {
    version: 2,
    name: "promotion claims and counters",
    statements: (s) => [
      `CREATE TABLE ${s}.claim_counters (
        key text PRIMARY KEY,
        count bigint NOT NULL DEFAULT 0 CHECK (count >= 0),
        amount numeric(40, 0) NOT NULL DEFAULT 0 CHECK (amount >= 0)
      )`,
      `CREATE TABLE ${s}.claims (
        idempotency_key text PRIMARY KEY,
        seq bigserial NOT NULL,
        dedupe_key text,
        counters json NOT NULL,
        status text NOT NULL CHECK (status IN ('active', 'released')),
        reserved_at text NOT NULL,
        released_at text,
        release_reason text,
        data json
      )`,
      // At most one active claim per dedupe key, enforced by the database.
      `CREATE UNIQUE INDEX claims_active_dedupe ON ${s}.claims (dedupe_key) WHERE status = 'active' AND dedupe_key IS NOT NULL`,
    ],
  },
  {
    version: 3,
    name: "rollouts: versions, audit, sticky assignments, exposures",
    statements: (s) => [
      `CREATE TABLE ${s}.rollout_heads (rollout_id text PRIMARY KEY, version integer NOT NULL)`,
      `CREATE TABLE ${s}.rollout_versions (
        rollout_id text NOT NULL,
        version integer NOT NULL,
        document json NOT NULL,
        PRIMARY KEY (rollout_id, version)
      )`,
      `CREATE TABLE ${s}.rollout_audit (
        seq bigserial PRIMARY KEY,
        id text NOT NULL,
        rollout_id text NOT NULL,
        at text NOT NULL,
        actor text NOT NULL,
        action text NOT NULL,
        record json NOT NULL
      )`,
      `CREATE INDEX rollout_audit_rollout ON ${s}.rollout_audit (rollout_id, seq)`,
      `CREATE TABLE ${s}.rollout_sticky (
        rollout_id text NOT NULL,
        unit text NOT NULL,
        assignment json NOT NULL,
        PRIMARY KEY (rollout_id, unit)
      )`,
      `CREATE TABLE ${s}.rollout_exposures (seq bigserial PRIMARY KEY, rollout_id text NOT NULL, exposure json NOT NULL)`,
      `CREATE INDEX rollout_exposures_rollout ON ${s}.rollout_exposures (rollout_id, seq)`,
    ],
  },
  {
    version: 4,
    name: "scheduled triggers: one row per schedule with its next occurrence",
    statements: (s) => [
      `CREATE TABLE ${s}.schedules (
        id text PRIMARY KEY,
        definition_id text NOT NULL,
        spec text NOT NULL,
        next_at bigint,
        last_at bigint,
        error text,
        version integer NOT NULL CHECK (version > 0),
        updated_at bigint NOT NULL
      )`,
    ],
  },
  {
    version: 5,
    name: "outbox: entries a commit leases to the process that committed them",
    statements: (s) => [
      // Until lease_until (epoch ms) only the committing process delivers the entry; claimOutbox skips it.
      `ALTER TABLE ${s}.outbox ADD COLUMN lease_until bigint`,
    ],
  },
];

/** The schema version this package writes and understands. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The stored schema is newer than this package knows: upgrade the package, or use another schema (code `SCHEMA_VERSION`). */
export { SchemaVersionError };

/** What {@link migrate} did. */
export interface MigrationResult {
  readonly schema: string;
  /** The version before. 0 for a new schema. */
  readonly from: number;
  /** The version now ({@link SCHEMA_VERSION}). */
  readonly to: number;
  /** Names of the migrations applied, oldest first; empty when there was nothing to do. */
  readonly applied: readonly string[];
}

/** Options shared by everything that reads or writes the Ruleflow tables. */
export interface SchemaOptions {
  /** PostgreSQL schema holding the tables. Default `ruleflow`. Tests use one per test to stay isolated. */
  schema?: string | undefined;
}

const versionOf = async (q: SqlQueryable, s: string): Promise<number> => {
  const r = await q.query<{ v: number }>(`SELECT coalesce(max(version), 0)::int AS v FROM ${s}.ruleflow_migrations`);
  return r.rows[0]?.v ?? 0;
};

/**
 * Create or upgrade the Ruleflow tables in `schema`, in one transaction.
 * Running it again is a no-op; concurrent calls (several workers starting
 * at once) wait for each other on an advisory lock.
 *
 * @param db - the database
 * @param options - `schema` (default `ruleflow`)
 * @returns the versions before and after, and what was applied
 * @throws {@link SchemaVersionError} when the schema is newer than this package
 * @example
 * ```ts
 * const db = await openPGlite(".ruleflow-data");
 * const { from, to } = await migrate(db); // 0 -> SCHEMA_VERSION the first time, a no-op afterwards
 * ```
 * @see docs/postgres.md
 */
export async function migrate(db: SqlDriver, options: SchemaOptions = {}): Promise<MigrationResult> {
  const s = quoteSchema(options.schema);
  const name = options.schema ?? DEFAULT_SCHEMA;
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`ruleflow-migrate:${name}`]);
    await tx.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await tx.query(
      `CREATE TABLE IF NOT EXISTS ${s}.ruleflow_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const from = await versionOf(tx, s);
    if (from > SCHEMA_VERSION) throw new SchemaVersionError(name, from, SCHEMA_VERSION, "@ruleflow/postgres");
    const applied: string[] = [];
    for (const m of MIGRATIONS) {
      if (m.version <= from) continue;
      for (const statement of m.statements(s)) await tx.query(statement);
      await tx.query(`INSERT INTO ${s}.ruleflow_migrations (version, name) VALUES ($1, $2)`, [m.version, m.name]);
      applied.push(m.name);
    }
    return { schema: name, from, to: SCHEMA_VERSION, applied };
  });
}

/**
 * The schema's version: 0 when it was never migrated.
 *
 * @param db - the database
 * @param options - `schema` (default `ruleflow`)
 * @returns the highest applied migration
 * @example
 * ```ts
 * if ((await schemaVersion(db)) < SCHEMA_VERSION) await migrate(db);
 * ```
 */
export async function schemaVersion(db: SqlDriver, options: SchemaOptions = {}): Promise<number> {
  const s = quoteSchema(options.schema);
  const exists = await db.query<{ t: string | null }>("SELECT to_regclass($1)::text AS t", [`${s}.ruleflow_migrations`]);
  if (!exists.rows[0]?.t) return 0;
  return versionOf(db, s);
}
