/**
 * @ruleflow/postgres: Ruleflow's Storage, Scheduler, ClaimStore and
 * RolloutStore ports on PostgreSQL, through node-postgres for a server or
 * PGlite embedded in the process. One process or many workers on one
 * database; see docs/scaling.md.
 *
 * @packageDocumentation
 */
export { createPoolDriver, createPGliteDriver, openPGlite } from "./driver.js";
export type { SqlDriver, SqlQueryable, SqlResult, PgPoolLike, PgClientLike, PgQueryConfig, PoolDriverOptions, PGliteLike } from "./driver.js";
export { migrate, schemaVersion, SchemaVersionError, SCHEMA_VERSION } from "./migrations.js";
export type { MigrationResult, SchemaOptions } from "./migrations.js";
export { DEFAULT_SCHEMA } from "./schema-name.js";
export { createPostgresStorage } from "./store.js";
export type { PostgresStorage, PostgresStorageOptions } from "./store.js";
export type { GroupCommitOptions } from "./group-commit.js";
export { createPostgresScheduler } from "./scheduler.js";
export type { PostgresScheduler, PostgresSchedulerOptions } from "./scheduler.js";
export { createPostgresClaimStore } from "./claim-store.js";
export { createPostgresRolloutStore } from "./rollout-store.js";
