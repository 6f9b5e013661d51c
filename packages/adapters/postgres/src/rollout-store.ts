/**
 * The rollouts RolloutStore port on PostgreSQL: versions with optimistic
 * concurrency on a head row, the lifecycle audit trail, sticky assignments
 * (first write wins, by primary key) and exposures in recording order.
 */
import { ConcurrencyError } from "@ruleflow/engine";
import { assertExpectedVersion, assertStorableText } from "@ruleflow/engine/workflow";
import type { RolloutAuditRecord, RolloutDocument, RolloutExposure, RolloutStore, StickyAssignment } from "@ruleflow/engine/rollouts";
import type { SqlDriver } from "./driver.js";
import type { SchemaOptions } from "./migrations.js";
import { quoteSchema } from "./schema-name.js";

/**
 * Create the PostgreSQL {@link RolloutStore}. Run {@link migrate} first.
 *
 * @param db - a driver ({@link createPoolDriver} or {@link createPGliteDriver})
 * @param options - `schema` (default `ruleflow`)
 * @returns the rollout store
 * @example
 * ```ts
 * const controller = createRolloutController({ store: createPostgresRolloutStore(db), clock });
 * ```
 * @see docs/postgres.md
 */
export function createPostgresRolloutStore(db: SqlDriver, options: SchemaOptions = {}): RolloutStore {
  const s = quoteSchema(options.schema);

  return {
    async getRollout(id) {
      // PostgreSQL refuses NUL in text and json, and the driver turns a lone surrogate into U+FFFD: refuse both as every store does
      assertStorableText({ id }, "rollout id");
      const r = await db.query<{ document: RolloutDocument }>(
        `SELECT document FROM ${s}.rollout_versions WHERE rollout_id = $1 ORDER BY version DESC LIMIT 1`,
        [id],
      );
      return r.rows[0]?.document;
    },

    async listVersions(id) {
      assertStorableText({ id }, "rollout id");
      const r = await db.query<{ document: RolloutDocument }>(`SELECT document FROM ${s}.rollout_versions WHERE rollout_id = $1 ORDER BY version`, [id]);
      return r.rows.map((row) => row.document);
    },

    async listRollouts() {
      const r = await db.query<{ rollout_id: string }>(`SELECT rollout_id FROM ${s}.rollout_heads ORDER BY rollout_id COLLATE "C"`);
      return r.rows.map((row) => row.rollout_id);
    },

    async commitVersion(document, expectedVersion, audit: RolloutAuditRecord) {
      assertExpectedVersion(expectedVersion);
      assertStorableText({ document, audit }, "rollout version");
      // One statement: move the head (only from the expected version, only
      // upwards), then write the version and its audit record if it moved.
      const head =
        expectedVersion === null
          ? `h AS (INSERT INTO ${s}.rollout_heads (rollout_id, version) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING rollout_id)`
          : `h AS (UPDATE ${s}.rollout_heads SET version = $2 WHERE rollout_id = $1 AND version = $6 AND $2 > $6 RETURNING rollout_id)`;
      const params: unknown[] = [document.id, document.version, JSON.stringify(document), audit.id, JSON.stringify(audit)];
      if (expectedVersion !== null) params.push(expectedVersion);
      const r = await db.query<{ n: number }>(
        `WITH ${head}, ` +
          `v AS (INSERT INTO ${s}.rollout_versions (rollout_id, version, document) SELECT $1, $2, $3::json WHERE EXISTS (SELECT 1 FROM h)), ` +
          `a AS (INSERT INTO ${s}.rollout_audit (id, rollout_id, at, actor, action, record) ` +
          `SELECT $4, $1, r.at, r.actor, r.action, $5::json FROM json_to_record($5::json) AS r(at text, actor text, action text) WHERE EXISTS (SELECT 1 FROM h)) ` +
          `SELECT count(*)::int AS n FROM h`,
        params,
      );
      if (r.rows[0]?.n === 1) return;
      const current = await db.query<{ version: number }>(`SELECT version FROM ${s}.rollout_heads WHERE rollout_id = $1`, [document.id]);
      throw new ConcurrencyError({ subject: "rollout", id: document.id, expectedVersion, actualVersion: current.rows[0]?.version ?? null });
    },

    async listAudit(rolloutId) {
      assertStorableText({ rolloutId }, "rollout id");
      const r = await db.query<{ record: RolloutAuditRecord }>(`SELECT record FROM ${s}.rollout_audit WHERE rollout_id = $1 ORDER BY seq`, [rolloutId]);
      return r.rows.map((row) => row.record);
    },

    async getSticky(rolloutId, unit) {
      assertStorableText({ rolloutId, unit }, "sticky assignment key");
      const r = await db.query<{ assignment: StickyAssignment }>(`SELECT assignment FROM ${s}.rollout_sticky WHERE rollout_id = $1 AND unit = $2`, [
        rolloutId,
        unit,
      ]);
      return r.rows[0]?.assignment;
    },

    async putSticky(assignment) {
      assertStorableText({ ...assignment }, "sticky assignment");
      await db.query(`INSERT INTO ${s}.rollout_sticky (rollout_id, unit, assignment) VALUES ($1, $2, $3::json) ON CONFLICT DO NOTHING`, [
        assignment.rolloutId,
        assignment.unit,
        JSON.stringify(assignment),
      ]);
      // A new statement sees the winner even when a concurrent writer committed first.
      const kept = await db.query<{ assignment: StickyAssignment }>(`SELECT assignment FROM ${s}.rollout_sticky WHERE rollout_id = $1 AND unit = $2`, [
        assignment.rolloutId,
        assignment.unit,
      ]);
      return kept.rows[0]!.assignment;
    },

    async appendExposure(exposure: RolloutExposure) {
      assertStorableText({ ...exposure }, "exposure");
      await db.query(`INSERT INTO ${s}.rollout_exposures (rollout_id, exposure) VALUES ($1, $2::json)`, [exposure.rolloutId, JSON.stringify(exposure)]);
    },

    async listExposures(rolloutId) {
      assertStorableText({ rolloutId }, "rollout id");
      const r = await db.query<{ exposure: RolloutExposure }>(`SELECT exposure FROM ${s}.rollout_exposures WHERE rollout_id = $1 ORDER BY seq`, [rolloutId]);
      return r.rows.map((row) => row.exposure);
    },
  };
}
