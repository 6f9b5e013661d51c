/**
 * Scheduled triggers' records on PostgreSQL (the optional `getSchedule` /
 * `saveSchedule` of the Storage port): one row per schedule, advanced with a
 * compare-and-set on `version`, so engines sharing the database never both
 * move one schedule on. Which engine started an occurrence's instance is
 * settled by the instances table's primary key.
 */
import { ConcurrencyError, type Storage } from "@ruleflow/engine";
import { assertExpectedVersion, type ScheduleRecord } from "@ruleflow/engine/workflow";
import type { SqlDriver } from "./driver.js";
import { ms } from "./schema-name.js";

interface ScheduleRow {
  id: string;
  definition_id: string;
  spec: string;
  next_at: unknown;
  last_at: unknown;
  error: string | null;
  version: number;
  updated_at: unknown;
}

const recordOf = (r: ScheduleRow): ScheduleRecord => ({
  id: r.id,
  definitionId: r.definition_id,
  spec: r.spec,
  nextAt: r.next_at === null ? null : ms(r.next_at),
  lastAt: r.last_at === null ? null : ms(r.last_at),
  ...(r.error === null ? {} : { error: r.error }),
  version: r.version,
  updatedAt: ms(r.updated_at),
});

const conflict = (id: string, expected: number | null): ConcurrencyError => new ConcurrencyError({ subject: "schedule", id, expectedVersion: expected });

/**
 * The schedule methods of {@link createPostgresStorage}, on schema `s` (quoted).
 * @internal
 */
export function scheduleMethods(db: SqlDriver, s: string): Required<Pick<Storage, "getSchedule" | "saveSchedule">> {
  return {
    async getSchedule(id) {
      const r = await db.query<ScheduleRow>(`SELECT id, definition_id, spec, next_at, last_at, error, version, updated_at FROM ${s}.schedules WHERE id = $1`, [id]);
      return r.rows[0] ? recordOf(r.rows[0]) : undefined;
    },
    async saveSchedule(record, expectedVersion) {
      assertExpectedVersion(expectedVersion);
      const params = [record.id, record.definitionId, record.spec, record.nextAt, record.lastAt, record.error ?? null, record.version, record.updatedAt];
      const r =
        expectedVersion === null
          ? await db.query(
              `INSERT INTO ${s}.schedules (id, definition_id, spec, next_at, last_at, error, version, updated_at) ` +
                `VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING RETURNING id`,
              params,
            )
          : await db.query(
              `UPDATE ${s}.schedules SET definition_id = $2, spec = $3, next_at = $4, last_at = $5, error = $6, version = $7, updated_at = $8 ` +
                `WHERE id = $1 AND version = $9 RETURNING id`,
              [...params, expectedVersion],
            );
      if (r.rows.length !== 1) throw conflict(record.id, expectedVersion);
    },
  };
}
