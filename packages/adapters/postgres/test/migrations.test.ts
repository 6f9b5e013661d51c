import { describe, expect, it } from "vitest";
import { isRuleflowError } from "@ruleflow/engine";
import { createPostgresStorage, migrate, SCHEMA_VERSION, schemaVersion, SchemaVersionError } from "../src/index.js";
import { freshSchema, targets } from "./databases.js";

for (const t of targets()) {
  describe.skipIf(t.skip !== undefined)(`migrations on ${t.name}${t.skip ? ` (skipped: ${t.skip})` : ""}`, () => {
    it("creates every table once; running again is a no-op", async () => {
      const { db, schema } = await t.schema(); // migrated once already
      expect(await schemaVersion(db, { schema })).toBe(SCHEMA_VERSION);
      const again = await migrate(db, { schema });
      expect(again).toEqual({ schema, from: SCHEMA_VERSION, to: SCHEMA_VERSION, applied: [] });
      const tables = await db.query<{ n: string }>(`SELECT table_name AS n FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`, [schema]);
      expect(tables.rows.map((r) => r.n)).toEqual([
        "audit",
        "claim_counters",
        "claims",
        "instances",
        "outbox",
        "rollout_audit",
        "rollout_exposures",
        "rollout_heads",
        "rollout_sticky",
        "rollout_versions",
        "ruleflow_migrations",
        "schedules",
        "timers",
      ]);
    });

    it("reports what it applied to a new schema, in order", async () => {
      const db = await t.driver();
      const schema = freshSchema("mig");
      expect(await schemaVersion(db, { schema })).toBe(0);
      const r = await migrate(db, { schema });
      expect(r.from).toBe(0);
      expect(r.to).toBe(SCHEMA_VERSION);
      expect(r.applied).toHaveLength(SCHEMA_VERSION);
      expect(r.applied[0]).toMatch(/instances, timers, outbox, audit/);
      await db.query(`DROP SCHEMA "${schema}" CASCADE`);
    });

    it("refuses a schema written by a newer version, saying what to do, and changes nothing", async () => {
      const { db, schema } = await t.schema();
      await db.query(`INSERT INTO "${schema}".ruleflow_migrations (version, name) VALUES (99, 'from the future')`);
      let error: unknown;
      try {
        await migrate(db, { schema });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SchemaVersionError);
      expect(isRuleflowError(error) && error.code).toBe("SCHEMA_VERSION");
      expect((error as Error).message).toContain(`schema "${schema}" is at version 99, but this @ruleflow/postgres knows versions up to ${SCHEMA_VERSION}`);
      expect((error as Error).message).toContain("Upgrade @ruleflow/postgres");
      expect(await schemaVersion(db, { schema })).toBe(99);
    });

    it("lets several processes migrate at once: one applies, the others wait and find nothing to do", async () => {
      const db = await t.driver();
      const schema = freshSchema("mig");
      const results = await Promise.all([migrate(db, { schema }), migrate(db, { schema }), migrate(db, { schema })]);
      expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, SCHEMA_VERSION]);
      await db.query(`DROP SCHEMA "${schema}" CASCADE`);
    });

    it("refuses schema names that are not plain identifiers", async () => {
      const db = await t.driver();
      expect(() => createPostgresStorage(db, { schema: 'x"; DROP TABLE y; --' })).toThrow(/^schema: the name .* is not allowed/);
      await expect(migrate(db, { schema: "Upper" })).rejects.toMatchObject({ code: "INVALID_ARGUMENT", argument: "schema" });
      await expect(migrate(db, { schema: "Upper" })).rejects.toThrow(/lower-case letters/);
    });
  });
}
