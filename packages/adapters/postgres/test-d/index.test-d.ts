/**
 * Type tests of `@ruleflow/postgres` against its built declarations (run by
 * scripts/check-types-dist.mjs): every factory returns the engine's port type,
 * from the same `@ruleflow/engine` declarations an app imports.
 */
import { expectTypeOf } from "expect-type";
import type { Scheduler, Storage } from "@ruleflow/engine";
import type { ClaimStore } from "@ruleflow/engine/promotions";
import type { RolloutStore } from "@ruleflow/engine/rollouts";
import {
  createPGliteDriver,
  createPoolDriver,
  createPostgresClaimStore,
  createPostgresRolloutStore,
  createPostgresScheduler,
  createPostgresStorage,
  migrate,
  openPGlite,
  SCHEMA_VERSION,
  type MigrationResult,
  type PostgresScheduler,
  type PostgresStorage,
  type SqlDriver,
} from "@ruleflow/postgres";

expectTypeOf(createPostgresStorage).returns.toEqualTypeOf<PostgresStorage>();
expectTypeOf<PostgresStorage>().toExtend<Storage>();
expectTypeOf(createPostgresScheduler).returns.toEqualTypeOf<PostgresScheduler>();
expectTypeOf<PostgresScheduler>().toExtend<Scheduler>();
expectTypeOf(createPostgresClaimStore).returns.toEqualTypeOf<ClaimStore>();
expectTypeOf(createPostgresRolloutStore).returns.toEqualTypeOf<RolloutStore>();

expectTypeOf(createPoolDriver).returns.toEqualTypeOf<SqlDriver>();
expectTypeOf(createPGliteDriver).returns.toEqualTypeOf<SqlDriver>();
expectTypeOf(openPGlite).returns.toEqualTypeOf<Promise<SqlDriver>>();
expectTypeOf(createPostgresStorage).toBeCallableWith({} as SqlDriver, { schema: "ruleflow" });
// @ts-expect-error a storage needs a driver
createPostgresStorage();
expectTypeOf(migrate).returns.resolves.toEqualTypeOf<MigrationResult>();
expectTypeOf(SCHEMA_VERSION).toBeNumber();
