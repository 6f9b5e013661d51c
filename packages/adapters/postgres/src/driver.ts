/**
 * One small query interface with two drivers: a node-postgres `Pool` for a
 * server, and PGlite (PostgreSQL compiled to WebAssembly, in-process) for
 * embedded use. Everything else in this package speaks only `SqlDriver`.
 *
 * Both clients are structural types here, so this package imports neither at
 * run time: `pg` and `@electric-sql/pglite` are optional peer dependencies.
 */

/** A result: the rows a statement returned (with `RETURNING`, the rows it changed). */
export interface SqlResult<TRow> {
  rows: TRow[];
}

/** Something that runs one SQL statement with `$1`-style parameters. */
export interface SqlQueryable {
  query<TRow = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<TRow>>;
}

/** A database: statements, and transactions that commit when `fn` resolves and roll back when it throws. */
export interface SqlDriver extends SqlQueryable {
  /** `"pg"` or `"pglite"`. */
  readonly kind: "pg" | "pglite";
  /** Run `fn` in one transaction on one connection. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  /** Close the database (PGlite) or end the pool, when this driver owns it. */
  close(): Promise<void>;
}

/** A statement as node-postgres takes it: with a `name`, it is prepared once per connection. */
export interface PgQueryConfig {
  name?: string | undefined;
  text: string;
  values?: unknown[] | undefined;
}

/** The parts of a node-postgres `Pool` this package uses. */
export interface PgPoolLike {
  query(text: string | PgQueryConfig, values?: unknown[]): Promise<{ rows: unknown[] }>;
  connect(): Promise<PgClientLike>;
  end(): Promise<void>;
}

/** The parts of a node-postgres `PoolClient` this package uses. */
export interface PgClientLike {
  query(text: string | PgQueryConfig, values?: unknown[]): Promise<{ rows: unknown[] }>;
  release(err?: Error | boolean): void;
}

/** The parts of a PGlite instance this package uses. */
export interface PGliteLike {
  query<T>(query: string, params?: unknown[]): Promise<{ rows: T[] }>;
  transaction<T>(callback: (tx: { query<R>(query: string, params?: unknown[]): Promise<{ rows: R[] }> }) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Options of {@link createPoolDriver}. */
export interface PoolDriverOptions {
  /** `close()` ends the pool. Default false: the caller keeps owning it. */
  ownsPool?: boolean | undefined;
  /**
   * Prepare each statement once per connection (node-postgres named
   * statements) instead of having the server parse and plan it every time.
   * Default true. Turn it off behind a pooler that hands each transaction
   * to any server connection (PgBouncer in transaction mode before 1.21, or
   * without `max_prepared_statements`), which loses prepared statements.
   */
  prepare?: boolean | undefined;
}

/** Distinct statement texts a driver prepares at most; others run unprepared (statements built with values in them would otherwise fill every connection). */
const MAX_PREPARED = 1_000;

/**
 * A driver over a node-postgres `Pool`. Statements take any free
 * connection; a transaction holds one connection from `BEGIN` to
 * `COMMIT`/`ROLLBACK`. Statements are prepared once per connection unless
 * `prepare: false`.
 *
 * @param pool - a `pg.Pool` (the caller keeps owning it unless `ownsPool`)
 * @param options - `ownsPool: true` makes `close()` end the pool; `prepare: false` turns prepared statements off
 * @returns a {@link SqlDriver}
 * @example
 * ```ts
 * import pg from "pg";
 * const db = createPoolDriver(new pg.Pool({ connectionString: process.env.DATABASE_URL }));
 * await migrate(db);
 * ```
 * @see docs/postgres.md
 */
export function createPoolDriver(pool: PgPoolLike, options: PoolDriverOptions = {}): SqlDriver {
  // Names are this driver's own (another driver on the same pool may prepare other texts under its names).
  const prefix = `rf${Math.random().toString(36).slice(2, 10)}_`;
  const names = new Map<string, string>();
  const statement = (text: string, params: readonly unknown[] | undefined): PgQueryConfig => {
    const values = params ? [...params] : undefined;
    if (options.prepare === false) return { text, values };
    let name = names.get(text);
    if (name === undefined && names.size < MAX_PREPARED) names.set(text, (name = `${prefix}${names.size}`));
    return { name, text, values };
  };
  return {
    kind: "pg",
    async query<TRow>(text: string, params?: readonly unknown[]) {
      const r = await pool.query(statement(text, params));
      return { rows: r.rows as TRow[] };
    },
    async transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query("BEGIN");
        const tx: SqlQueryable = {
          async query<TRow>(text: string, params?: readonly unknown[]) {
            const r = await client.query(statement(text, params));
            return { rows: r.rows as TRow[] };
          },
        };
        const result = await fn(tx);
        await client.query("COMMIT");
        return result;
      } catch (e) {
        try {
          await client.query("ROLLBACK");
        } catch (rollbackError) {
          // The connection is unusable: do not hand it to the next caller.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        throw e;
      } finally {
        client.release(broken ?? false);
      }
    },
    async close() {
      if (options.ownsPool) await pool.end();
    },
  };
}

/**
 * A driver over a PGlite instance: a real PostgreSQL in WebAssembly, in this
 * process, in memory or persisted to a folder. PGlite has one connection,
 * so statements and transactions run one at a time.
 *
 * @param db - a `PGlite` instance
 * @returns a {@link SqlDriver}; `close()` closes the PGlite instance
 * @example
 * ```ts
 * import { PGlite } from "@electric-sql/pglite";
 * const db = createPGliteDriver(await PGlite.create("./.ruleflow-data"));
 * ```
 * @see docs/postgres.md
 */
export function createPGliteDriver(db: PGliteLike): SqlDriver {
  return {
    kind: "pglite",
    async query<TRow>(text: string, params?: readonly unknown[]) {
      const r = await db.query<TRow>(text, params ? [...params] : undefined);
      return { rows: r.rows };
    },
    transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> {
      return db.transaction(async (t) =>
        fn({
          async query<TRow>(text: string, params?: readonly unknown[]) {
            const r = await t.query<TRow>(text, params ? [...params] : undefined);
            return { rows: r.rows };
          },
        }),
      );
    },
    close: () => db.close(),
  };
}

/**
 * Open an embedded PostgreSQL (PGlite) and wrap it in a driver: persisted to
 * `dataDir` when given, in memory otherwise. Needs the optional peer
 * dependency `@electric-sql/pglite`.
 *
 * @param dataDir - a folder for the data (created when missing; its parent must exist), or any PGlite
 *   data-dir URL (`idb://name` in a browser); omit for an in-memory database
 * @returns a {@link SqlDriver} that owns the PGlite instance
 * @example
 * ```ts
 * const db = await openPGlite(".ruleflow-data");
 * await migrate(db);
 * const storage = createPostgresStorage(db);
 * ```
 * @see docs/postgres.md
 */
export async function openPGlite(dataDir?: string): Promise<SqlDriver> {
  const { PGlite } = (await import("@electric-sql/pglite")) as unknown as { PGlite: { create(dataDir?: string): Promise<PGliteLike> } };
  return createPGliteDriver(await PGlite.create(dataDir));
}
