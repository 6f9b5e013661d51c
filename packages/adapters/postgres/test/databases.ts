/**
 * The databases the suites run against: PGlite always (in memory, one
 * instance per test file, a fresh schema per test), and a PostgreSQL server
 * when one answers at DATABASE_URL (default: the local server CI starts).
 * Server suites are skipped, saying so, when none answers.
 */
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { afterAll } from "vitest";
import { createPGliteDriver, createPoolDriver, migrate, type SqlDriver } from "../src/index.js";

/** The server the server suites use. */
export const DATABASE_URL = process.env["DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/test";

/** Why the server suites are skipped, or undefined when a server answered. */
export const serverSkipReason: string | undefined = await (async () => {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return undefined;
  } catch (e) {
    return `no PostgreSQL server answered at ${DATABASE_URL.replace(/\/\/[^@]*@/, "//")} (${e instanceof Error ? e.message : String(e)}); set DATABASE_URL or start one`;
  } finally {
    await client.end().catch(() => undefined);
  }
})();

if (serverSkipReason) console.warn(`[@ruleflow/postgres] SKIPPING the PostgreSQL-server suites: ${serverSkipReason}. The PGlite suites still run.`);

let counter = 0;
/** A schema name unique to this process and call. */
export const freshSchema = (prefix = "rf"): string => `${prefix}_${process.pid}_${Date.now().toString(36)}_${++counter}`;

/** A database target: a driver and a fresh migrated schema per call. */
export interface Target {
  readonly name: string;
  /** undefined: run; a string: skip, for this reason. */
  readonly skip: string | undefined;
  driver(): Promise<SqlDriver>;
  /** A new, migrated schema. */
  schema(): Promise<{ db: SqlDriver; schema: string }>;
}

function target(name: string, skip: string | undefined, open: () => Promise<SqlDriver>): Target {
  let db: Promise<SqlDriver> | undefined;
  const schemas: string[] = [];
  const driver = (): Promise<SqlDriver> => (db ??= open());
  afterAll(async () => {
    if (!db) return;
    const d = await db;
    for (const s of schemas) await d.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await d.close();
  });
  return {
    name,
    skip,
    driver,
    async schema() {
      const d = await driver();
      const schema = freshSchema();
      schemas.push(schema);
      await migrate(d, { schema });
      return { db: d, schema };
    },
  };
}

/** PGlite in memory: always available. */
const pgliteTarget = (): Target => target("PGlite", undefined, async () => createPGliteDriver(await PGlite.create()));

/** The PostgreSQL server, or a skipped target. */
const serverTarget = (): Target =>
  target(`PostgreSQL server`, serverSkipReason, async () => createPoolDriver(new pg.Pool({ connectionString: DATABASE_URL, max: 8 }), { ownsPool: true }));

/** Both targets. */
export const targets = (): Target[] => [pgliteTarget(), serverTarget()];
