/**
 * Delivering the outbox without a claim per entry: a commit leases the
 * entries it writes to the committing process, which delivers them itself;
 * delivery results are recorded in batches, riding on the next commit
 * statement when one comes. Storage-level checks on PGlite and the server,
 * then a property on the server: several engines on one database, one of
 * them dying mid-delivery, lose no notification and deliver none twice
 * beyond what the dead one had started.
 */
import fc from "fast-check";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createEngine, createStaticDirectory, createVirtualClock, isRuleflowError, type Notification, type Notifier } from "@ruleflow/engine";
import type { Commit, OutboxEntry, StoredInstance } from "@ruleflow/engine/workflow";
import { createPoolDriver, createPostgresScheduler, createPostgresStorage, migrate, type SqlDriver } from "../src/index.js";
import { DATABASE_URL, freshSchema, serverSkipReason, targets } from "./databases.js";
import { commitOf as commitFixture, counter, dealApproval, outboxEntry, storedInstance } from "./fixtures.js";

const instance = (id: string, version: number): StoredInstance => storedInstance(id, version, { assignees: [], state: { value: "step", context: {} } });

const entry = (id: string, instanceId: string, createdAt: number, extra: Partial<OutboxEntry> = {}): OutboxEntry => outboxEntry(id, instanceId, createdAt, { payload: { template: "t" }, ...extra });

const commitOf = (i: StoredInstance, expectedVersion: number | null, outbox: OutboxEntry[] = []): Commit => commitFixture(i, expectedVersion, { outbox });

/** A driver that counts the statements sent through it. */
function counting(db: SqlDriver): SqlDriver & { statements: string[] } {
  const statements: string[] = [];
  return {
    ...db,
    statements,
    query(text, params) {
      statements.push(text);
      return db.query(text, params);
    },
  };
}

for (const t of targets()) {
  describe.skipIf(t.skip !== undefined)(`outbox delivery on ${t.name}${t.skip ? ` (skipped: ${t.skip})` : ""}`, () => {
    it("a commit leases the entries it writes that are due at once: claimOutbox hands them to no one before the lease ends", async () => {
      const { db, schema } = await t.schema();
      const s = createPostgresStorage(db, { schema, outboxLeaseMs: 10_000 });
      expect(s.committedOutboxLeaseMs).toBe(10_000);
      await s.commit(commitOf(instance("i1", 1), null, [entry("o1", "i1", 1_000), entry("o2", "i1", 1_000, { nextAttemptAt: 5_000 })]));
      // listed as due (the lease is not part of the entry), but not claimable while leased
      expect((await s.listDueOutbox(2_000)).map((o) => o.id)).toEqual(["o1"]);
      expect(await s.claimOutbox(10_999, 10)).toEqual([{ ...entry("o2", "i1", 1_000, { nextAttemptAt: 5_000 }) }]); // not due at once: not leased
      expect(await s.claimOutbox(10_999, 10)).toEqual([]); // o2 is now claimed, o1 still leased
      const [o1] = await s.claimOutbox(11_000, 10);
      expect(o1).toEqual(entry("o1", "i1", 1_000));
    });

    it("a recorded result ends the lease: a retry is due at its next attempt, for any process", async () => {
      const { db, schema } = await t.schema();
      const s = createPostgresStorage(db, { schema, outboxLeaseMs: 60_000 });
      await s.commit(commitOf(instance("i1", 1), null, [entry("o1", "i1", 1_000), entry("o2", "i1", 1_000)]));
      await s.updateOutboxBatch([{ id: "o1", status: "pending", attempts: 1, nextAttemptAt: 3_000, lastError: "503" }]);
      await s.updateOutbox("o2", { status: "pending", attempts: 1, nextAttemptAt: 4_000 });
      expect((await s.claimOutbox(2_999, 10)).map((o) => o.id)).toEqual([]);
      expect((await s.claimOutbox(4_000, 10)).map((o) => [o.id, o.attempts, o.lastError])).toEqual([
        ["o1", 1, "503"],
        ["o2", 1, undefined],
      ]);
    });

    it("updateOutboxBatch records each result as updateOutbox one after another would: delivered and dead are final", async () => {
      const { db, schema } = await t.schema();
      const s = createPostgresStorage(db, { schema });
      await s.commit(commitOf(instance("i1", 1), null, [entry("o1", "i1", 1_000), entry("o2", "i1", 1_000), entry("o3", "i1", 1_000)]));
      await s.updateOutbox("o3", { status: "dead", attempts: 5, nextAttemptAt: 1_000, lastError: "gone" });
      await s.updateOutboxBatch([
        { id: "o1", status: "pending", attempts: 1, nextAttemptAt: 2_000, lastError: "503" },
        { id: "o1", status: "delivered", attempts: 2, nextAttemptAt: 2_000 },
        { id: "o1", status: "pending", attempts: 3, nextAttemptAt: 9_000, lastError: "late" }, // after a final result: nothing
        { id: "o2", status: "pending", attempts: 1, nextAttemptAt: 2_000, lastError: "503" },
        { id: "o2", status: "pending", attempts: 2, nextAttemptAt: 4_000 }, // keeps the error
        { id: "o3", status: "delivered", attempts: 6, nextAttemptAt: 1_000 }, // dead is final
      ]);
      expect((await s.listOutbox("i1")).map((o) => [o.id, o.status, o.attempts, o.lastError])).toEqual([
        ["o1", "delivered", 2, "503"],
        ["o2", "pending", 2, "503"],
        ["o3", "dead", 5, "gone"],
      ]);
      await s.updateOutboxBatch([]);
      await expect(s.updateOutboxBatch([{ id: "o2", status: "pending", attempts: 3, nextAttemptAt: 1, lastError: "x\u0000" }])).rejects.toMatchObject({ code: "VALIDATION_ERROR" });
    });

    it("results recorded while a commit is under way ride on the next commit statement; with nothing being committed they are written at once", async () => {
      const { db, schema } = await t.schema();
      const counted = counting(db);
      const s = createPostgresStorage(counted, { schema });
      await s.commit(commitOf(instance("i1", 1), null, [entry("o1", "i1", 1_000), entry("o2", "i1", 1_000)]));
      counted.statements.length = 0;
      // idle: written at once, alone
      await s.updateOutboxBatch([{ id: "o1", status: "delivered", attempts: 1, nextAttemptAt: 1_000 }]);
      expect(counted.statements).toHaveLength(1);
      counted.statements.length = 0;
      // busy: a commit under way, another coming (with a stale version: the results are written all the same)
      const first = s.commit(commitOf(instance("i1", 2), 1));
      const recorded = s.updateOutboxBatch([{ id: "o2", status: "delivered", attempts: 1, nextAttemptAt: 1_000 }]);
      const second = s.commit(commitOf(instance("i1", 2), 1));
      const outcomes = await Promise.allSettled([first, recorded, second]);
      expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "fulfilled", "rejected"]);
      const conflict: unknown = (outcomes[2] as PromiseRejectedResult).reason;
      expect(isRuleflowError(conflict) && conflict.code).toBe("CONCURRENCY_CONFLICT");
      expect(counted.statements.filter((x) => x.startsWith("WITH"))).toHaveLength(2);
      expect(counted.statements.filter((x) => x.startsWith("UPDATE"))).toEqual([]); // no statement of their own
      expect((await s.listOutbox("i1")).map((o) => o.status)).toEqual(["delivered", "delivered"]);
    });
  });
}

/**
 * Several engines (each its own pool, storage and scheduler, as separate
 * processes would have) share one database and one virtual clock. Each
 * starts and approves deals; one of them dies at a random point: its
 * notifier takes the notifications it is handed and never answers, and the
 * engine is closed. Between operations, engines poll the outbox (claims)
 * while others are still delivering. After the lease, the others have
 * delivered every notification; a notification is received twice only if
 * the dead engine had received it.
 */
describe.skipIf(serverSkipReason !== undefined)(`outbox delivery across engines on the PostgreSQL server${serverSkipReason ? ` (skipped: ${serverSkipReason})` : ""}`, () => {
  it("no notification is lost, and none is received twice but those a dying engine had started delivering", async () => {
    const LEASE = 20_000;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 3 }),
        fc.array(fc.record({ by: fc.nat(2), deal: fc.nat(5), op: fc.constantFrom("start", "approve-a", "approve-b", "poll") }), { minLength: 4, maxLength: 18 }),
        fc.nat(18),
        async (engines, ops, dieAt) => {
          const schema = freshSchema("deliv");
          const pools = Array.from({ length: engines }, () => new pg.Pool({ connectionString: DATABASE_URL, max: 3 }));
          const dbs = pools.map((p) => createPoolDriver(p));
          await migrate(dbs[0]!, { schema });
          const clock = createVirtualClock("2026-03-02T09:00:00+08:00");
          /** Every notification handed to a notifier, and whether it was answered (the dying engine's are not). */
          const received: { key: string; answered: boolean }[] = [];
          let dead = -1;
          const notifier = (k: number): Notifier => ({
            send(n: Notification) {
              received.push({ key: n.idempotencyKey, answered: k !== dead });
              // a receiver that takes a few ms: other engines poll the outbox meanwhile
              return k === dead ? new Promise<void>(() => {}) : new Promise<void>((r) => setTimeout(r, 3));
            },
          });
          const rigs = dbs.map((db, k) => {
            const storage = createPostgresStorage(db, { schema, outboxLeaseMs: LEASE });
            const scheduler = createPostgresScheduler(db, { schema, clock, pollIntervalMs: 5_000 });
            const engine = createEngine({
              definitions: [dealApproval([3600, 3600, 3600])],
              clock,
              storage,
              scheduler,
              directory: createStaticDirectory(),
              notifier: notifier(k),
              newId: counter(`e${k}`),
            });
            return { engine, storage, scheduler };
          });
          try {
            await Promise.all(rigs.map((r) => r.engine.ready));
            for (const [i, op] of ops.entries()) {
              if (i === dieAt) {
                dead = 0; // from now on engine 0 takes notifications and never answers; then it dies
                await new Promise((r) => setTimeout(r, 10));
                void rigs[0]!.engine.close();
              }
              const k = dead === 0 ? 1 + (op.by % (engines - 1)) : op.by % engines;
              const { engine, scheduler } = rigs[k]!;
              try {
                // a poll claims what is due: never what another engine is delivering under its commit's lease
                if (op.op === "poll") await scheduler.poll();
                else if (op.op === "start") await engine.start("deal-approval", { id: `d${op.deal}`, initiator: "user:li" });
                else await engine.send(`d${op.deal}`, { type: "approve", actor: op.op === "approve-a" ? "user:a" : "user:b" });
              } catch (e) {
                // starting twice, approving what is gone or done: refused, nothing written
                if (!isRuleflowError(e)) throw e;
              }
            }
            const live = rigs.filter((_, k) => k !== dead);
            for (const r of live) await r.engine.settle();
            // past the lease: the live engines' polls claim what the dead one held
            await clock.advanceBy(LEASE + 10_000);
            for (const r of live) await r.engine.settle();

            const rows = await dbs[1]!.query<{ key: string; status: string }>(
              `SELECT idempotency_key AS key, status FROM "${schema}".outbox WHERE kind = 'notification' ORDER BY seq`,
            );
            expect(rows.rows.filter((r) => r.status !== "delivered")).toEqual([]);
            const byKey = new Map<string, boolean[]>();
            for (const r of received) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r.answered]);
            for (const { key } of rows.rows) {
              const got = byKey.get(key) ?? [];
              // each answered once; the dying engine may have been handed it before, never more than once
              expect({ key, answered: got.filter(Boolean).length, unanswered: got.filter((a) => !a).length <= 1 }).toEqual({ key, answered: 1, unanswered: true });
            }
            expect([...byKey.keys()].sort()).toEqual(rows.rows.map((r) => r.key).sort());
          } finally {
            for (const [k, r] of rigs.entries()) if (k !== dead) await r.engine.close();
            await dbs[0]!.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
            await Promise.all(pools.map((p) => p.end()));
          }
        },
      ),
      { numRuns: 6 },
    );
  }, 60_000);
});
