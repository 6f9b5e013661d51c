/**
 * The pool driver prepares each statement once per connection (named
 * statements), unless told not to, and its names never clash with another
 * driver's on the same pool.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createPoolDriver } from "../src/index.js";
import { DATABASE_URL, serverSkipReason } from "./databases.js";

describe.skipIf(serverSkipReason !== undefined)(`the pool driver${serverSkipReason ? ` (skipped: ${serverSkipReason})` : ""}`, () => {
  const prepared = async (db: ReturnType<typeof createPoolDriver>, text: string): Promise<number> =>
    (await db.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement = $1", [text])).rows[0]!.n;

  it("prepares a statement once per connection and runs it by name afterwards", async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    try {
      const db = createPoolDriver(pool);
      const text = "SELECT $1::int + 1 AS x";
      for (let k = 0; k < 3; k++) expect((await db.query<{ x: number }>(text, [k])).rows).toEqual([{ x: k + 1 }]);
      expect(await prepared(db, text)).toBe(1);
      // another driver on the same pool prepares its own texts under its own names
      const other = createPoolDriver(pool);
      const otherText = "SELECT $1::text || '!' AS y";
      expect((await other.query<{ y: string }>(otherText, ["a"])).rows).toEqual([{ y: "a!" }]);
      expect((await db.query<{ x: number }>(text, [9])).rows).toEqual([{ x: 10 }]);
      expect(await prepared(db, otherText)).toBe(1);
      // in a transaction too
      expect(await db.transaction(async (tx) => (await tx.query<{ x: number }>(text, [41])).rows[0]!.x)).toBe(42);
    } finally {
      await pool.end();
    }
  });

  it("prepares nothing with prepare: false (for poolers that hand each transaction to any server connection)", async () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    try {
      const db = createPoolDriver(pool, { prepare: false });
      const text = "SELECT $1::int * 2 AS x";
      expect((await db.query<{ x: number }>(text, [21])).rows).toEqual([{ x: 42 }]);
      expect(await prepared(db, text)).toBe(0);
    } finally {
      await pool.end();
    }
  });
});
