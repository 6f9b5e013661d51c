/**
 * Group commit: commits waiting while a commit statement is in flight go
 * together as one statement, each with its own version check and outcome.
 * On PGlite and the server: batches form (counted through a wrapping
 * driver), conflicts and refused data fail alone, same-row commits never
 * share a statement, results ride, `groupCommit: false` is one statement per
 * commit; then a property: random rounds of concurrent commits, some stale,
 * leave the database as applying the successful ones one at a time would,
 * and every promise settles as that sequential model says.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isRuleflowError } from "@ruleflow/engine";
import type { Commit, StoredInstance, TimerRecord } from "@ruleflow/engine/workflow";
import { createPostgresStorage, type PostgresStorage, type SqlDriver } from "../src/index.js";
import { targets } from "./databases.js";
import { commitOf, outboxEntry, storedInstance } from "./fixtures.js";

const instance = storedInstance;
const entry = outboxEntry;

const timer = (id: string, instanceId: string, dueAt: number): TimerRecord => ({ id, instanceId, key: id, generation: 1, dueAt, event: { type: "timer", key: id, generation: 1 } });

interface Sent {
  text: string;
  params: readonly unknown[];
}

/**
 * A driver that records what it sends; while `hold` is set, each statement's
 * answer waits for `release()` (the statement itself has run), so the test
 * decides what queues behind it. `fail` may replace a statement's answer.
 */
function recording(db: SqlDriver) {
  const sent: Sent[] = [];
  let held: (() => void)[] = [];
  let onHeld: (() => void) | undefined;
  const r = {
    ...db,
    sent,
    hold: false,
    fail: undefined as ((s: Sent) => Error | undefined) | undefined,
    async query<TRow>(text: string, params?: readonly unknown[]) {
      const s = { text, params: params ?? [] };
      sent.push(s);
      const error = r.fail?.(s);
      if (error) throw error;
      const result = await db.query<TRow>(text, params);
      if (r.hold) {
        await new Promise<void>((resolve) => {
          held.push(resolve);
          onHeld?.();
        });
      }
      return result;
    },
    /** Resolves when a statement's answer is being held. */
    held: (): Promise<void> => (held.length ? Promise.resolve() : new Promise<void>((resolve) => (onHeld = resolve))),
    release(): void {
      r.hold = false;
      const h = held;
      held = [];
      h.forEach((f) => f());
    },
  };
  return r;
}

/** Group statements among those sent (their chains' CTEs are numbered: `w0`, or `i0` for the uniform text). */
const groups = (sent: readonly Sent[]): Sent[] => sent.filter((s) => /^WITH (w0|i0) AS/.test(s.text));

/** The audit records a statement writes (one per commit, whichever its text). */
const auditsIn = (s: Sent): { instance_id: string }[] =>
  s.params.filter((v): v is string => typeof v === "string" && v.startsWith('{"id":') && v.includes('"actor":')).map((v) => JSON.parse(v) as { instance_id: string });

/** Commit statements among those sent: how many commits each carried. */
const commitStatements = (sent: readonly Sent[]): number[] => sent.filter((s) => /^WITH (w|w0|i0) AS/.test(s.text)).map((s) => auditsIn(s).length);

const settled = <T>(ps: readonly Promise<T>[]) => Promise.allSettled(ps);

const errorOf = (r: PromiseSettledResult<unknown>): unknown => (r.status === "rejected" ? r.reason : undefined);

async function rowsOf(s: PostgresStorage, ids: readonly string[]) {
  const timers = await s.listPendingTimers();
  return Promise.all(
    ids.map(async (id) => ({
      instance: await s.getInstance(id),
      timers: timers.filter((t) => t.instanceId === id),
      outbox: await s.listOutbox(id),
      audit: await s.listAudit(id),
    })),
  );
}

/** Start one commit, hold its answer, and queue `then` behind it; resolves with every promise once released. */
async function behindOne(db: ReturnType<typeof recording>, s: PostgresStorage, first: Commit, then: readonly Commit[]) {
  db.hold = true;
  const p0 = s.commit(first);
  await db.held();
  const ps = then.map((c) => s.commit(c));
  db.release();
  return settled([p0, ...ps]);
}

for (const t of targets()) {
  describe.skipIf(t.skip !== undefined)(`group commit on ${t.name}${t.skip ? ` (skipped: ${t.skip})` : ""}`, () => {
    for (const groupText of ["compact", "uniform"] as const) {
      describe(`${groupText} group statements`, () => {
        const open = async (options: Parameters<typeof createPostgresStorage>[1] = {}) => {
          const { db, schema } = await t.schema();
          const rec = recording(db);
          return { rec, s: createPostgresStorage(rec, { schema, groupText, groupCommit: { maxInFlight: 1 }, ...options }), schema, db };
        };

      it("concurrent commits of different instances go as one statement and all land with their rows", async () => {
        const { rec, s } = await open();
        const ids = ["a", "b", "c", "d", "e"];
        const commits = ids.map((id, k) =>
          commitOf(instance(id, 1), null, { timersToSet: [timer(`${id}/t`, id, 5_000 + k)], outbox: [entry(`${id}/o1`, id), entry(`${id}/o2`, id, 2_000)] }),
        );
        const results = await settled(commits.map((c) => s.commit(c)));
        expect(results.map((r) => r.status)).toEqual(ids.map(() => "fulfilled"));
        // the first went at once, alone; the other four waited for it and went together
        expect(commitStatements(rec.sent)).toEqual([1, 4]);
        const rows = await rowsOf(s, ids);
        rows.forEach((r, k) => {
          const c = commits[k]!;
          expect(r.instance).toEqual(c.instance);
          expect(r.timers).toEqual(c.timersToSet);
          expect(r.outbox).toEqual(c.outbox);
          expect(r.audit).toEqual([c.audit]);
        });
        // and updates, with timers cancelled, batch the same way
        const next = ids.map((id) => commitOf(instance(id, 2), 1, { timerIdsToCancel: [`${id}/t`] }));
        await Promise.all(next.map((c) => s.commit(c)));
        expect(commitStatements(rec.sent)).toEqual([1, 4, 1, 4]);
        for (const r of await rowsOf(s, ids)) {
          expect(r.instance?.version).toBe(2);
          expect(r.timers).toEqual([]);
          expect(r.audit.map((a) => a.version)).toEqual([1, 2]);
        }
      });

      it("a version conflict inside a batch fails only that commit, with ConcurrencyError(actualVersion), and stores nothing of it", async () => {
        const { rec, s } = await open();
        await Promise.all(["a", "b", "c"].map((id) => s.commit(commitOf(instance(id, 1), null))));
        await s.commit(commitOf(instance("b", 2), 1));
        rec.sent.length = 0;
        const stale = commitOf(instance("b", 2, { state: { value: "stale", context: {} } }), 1, { outbox: [entry("b/stale", "b")], timersToSet: [timer("b/stale", "b", 9_000)] });
        const results = await behindOne(rec, s, commitOf(instance("z", 1), null), [
          commitOf(instance("a", 2), 1),
          stale,
          commitOf(instance("c", 2), 1),
          commitOf(instance("new", 1), null),
          commitOf(instance("b", 3), null), // an insert of an existing instance
        ]);
        expect(commitStatements(rec.sent)).toEqual([1, 4, 1]); // the second b waits for the next statement
        expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled", "fulfilled", "rejected"]);
        for (const [k, expected] of [
          [2, 1],
          [5, null],
        ] as const) {
          const e = errorOf(results[k]!);
          expect(isRuleflowError(e) && e.code).toBe("CONCURRENCY_CONFLICT");
          expect(e).toMatchObject({ instanceId: "b", expectedVersion: expected, actualVersion: 2 });
        }
        const [b] = await rowsOf(s, ["b"]);
        expect(b!.instance?.state).toEqual(instance("b", 2).state);
        expect(b!.outbox).toEqual([]);
        expect(b!.timers).toEqual([]);
        expect(b!.audit.map((a) => a.version)).toEqual([1, 2]);
        expect((await s.getInstance("a"))?.version).toBe(2);
        expect((await s.getInstance("c"))?.version).toBe(2);
        expect((await s.getInstance("new"))?.version).toBe(1);
      });

      it("a commit the server refuses (a duplicate audit id) fails alone: its batch is rolled back and each commit is sent again alone", async () => {
        const { rec, s } = await open();
        await s.commit(commitOf(instance("x", 1), null));
        rec.sent.length = 0;
        const dup = commitOf(instance("b", 1), null);
        const refused = { ...dup, audit: { ...dup.audit, id: "x@1" } }; // x's audit record already has this id
        const results = await behindOne(rec, s, commitOf(instance("z", 1), null), [
          commitOf(instance("a", 1), null, { outbox: [entry("a/o", "a")] }),
          refused,
          commitOf(instance("c", 1), null),
        ]);
        expect(commitStatements(rec.sent)).toEqual([1, 3, 1, 1, 1]);
        expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
        expect(errorOf(results[2]!)).toMatchObject({ code: "23505", severity: "ERROR" });
        expect(await s.getInstance("b")).toBeUndefined();
        expect((await rowsOf(s, ["a"]))[0]!.outbox).toEqual([entry("a/o", "a")]);
        expect((await s.getInstance("c"))?.version).toBe(1);
        expect((await s.listAudit("x")).length).toBe(1);
      });

      it("a commit that cannot be serialised fails alone; the others of its batch go", async () => {
        const { rec, s } = await open();
        const results = await behindOne(rec, s, commitOf(instance("z", 1), null), [
          commitOf(instance("a", 1), null),
          commitOf(instance("b", 1, { state: { value: 1n } as unknown as StoredInstance["state"] }), null),
          commitOf(instance("c", 1), null),
        ]);
        expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled", "rejected", "fulfilled"]);
        expect(errorOf(results[2]!)).toBeInstanceOf(TypeError);
        expect(commitStatements(rec.sent)).toEqual([1, 2]);
        expect(await s.getInstance("b")).toBeUndefined();
      });

      it("a failure of unknown outcome (a lost connection) fails every commit of the batch, and none is sent again", async () => {
        const { rec, s } = await open();
        const lost = Object.assign(new Error("Connection terminated unexpectedly"), { code: "ECONNRESET" });
        rec.fail = (q) => (groups([q]).length ? lost : undefined);
        const results = await behindOne(rec, s, commitOf(instance("z", 1), null), [commitOf(instance("a", 1), null), commitOf(instance("b", 1), null)]);
        rec.fail = undefined;
        expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "rejected"]);
        expect(errorOf(results[1]!)).toBe(lost);
        expect(errorOf(results[2]!)).toBe(lost);
        expect(commitStatements(rec.sent)).toEqual([1, 2]);
      });

      it("commits touching the same instance, timer or outbox entry never share a batch, and keep their order", async () => {
        const { rec, s } = await open();
        await Promise.all(["a", "b", "c"].map((id) => s.commit(commitOf(instance(id, 1), null))));
        rec.sent.length = 0;
        const results = await behindOne(rec, s, commitOf(instance("z", 1), null), [
          commitOf(instance("a", 2), 1, { timersToSet: [timer("shared-t", "a", 5_000)] }),
          commitOf(instance("a", 3), 2), // same instance
          commitOf(instance("b", 2), 1, { timerIdsToCancel: ["shared-t"] }), // same timer
          commitOf(instance("c", 2), 1, { outbox: [entry("shared-o", "c")] }),
          commitOf(instance("d", 1), null, { outbox: [entry("shared-o", "d")] }), // same outbox entry
          commitOf(instance("e", 1), null),
        ]);
        expect(results.map((r) => r.status)).toEqual(results.map(() => "fulfilled"));
        expect(commitStatements(rec.sent)).toEqual([1, 3, 3]);
        for (const q of groups(rec.sent)) {
          const ids = auditsIn(q).map((a) => a.instance_id);
          expect(new Set(ids).size).toBe(ids.length);
        }
        expect((await s.getInstance("a"))?.version).toBe(3);
        expect(await s.getTimer("shared-t")).toBeUndefined(); // set by a, then cancelled by b, in that order
        expect((await s.listOutbox("d")).map((o) => o.id)).toEqual(["shared-o"]); // written by c, then by d
      });

      it("delivery results waiting when a batch goes ride on it, once", async () => {
        const { rec, s } = await open();
        await s.commit(commitOf(instance("x", 1), null, { outbox: [entry("x/o1", "x"), entry("x/o2", "x")] }));
        rec.sent.length = 0;
        rec.hold = true;
        const p0 = s.commit(commitOf(instance("z", 1), null));
        await rec.held();
        const delivered = s.updateOutboxBatch([
          { id: "x/o1", status: "delivered", attempts: 1, nextAttemptAt: 1_000 },
          { id: "x/o2", status: "pending", attempts: 1, nextAttemptAt: 5_000, lastError: "503" },
        ]);
        const ps = [s.commit(commitOf(instance("a", 1), null)), s.commit(commitOf(instance("b", 1), null))];
        rec.release();
        await Promise.all([p0, delivered, ...ps]);
        expect(commitStatements(rec.sent)).toEqual([1, 2]);
        expect(rec.sent.length).toBe(2); // no statement of their own
        expect(rec.sent[1]!.text).toMatch(/\bd AS \(UPDATE .*outbox o SET status/);
        expect((await s.listOutbox("x")).map((o) => [o.status, o.attempts, o.lastError])).toEqual([
          ["delivered", 1, undefined],
          ["pending", 1, "503"],
        ]);
      });

      it("groupCommit: false sends each commit at once as a statement of its own", async () => {
        const { rec, s } = await open({ groupCommit: false });
        const ids = ["a", "b", "c", "d"];
        await Promise.all(ids.map((id) => s.commit(commitOf(instance(id, 1), null))));
        const results = await settled([s.commit(commitOf(instance("a", 2), 1)), s.commit(commitOf(instance("b", 2), 7))]);
        expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
        expect(errorOf(results[1]!)).toMatchObject({ code: "CONCURRENCY_CONFLICT", expectedVersion: 7, actualVersion: 1 });
        expect(commitStatements(rec.sent)).toEqual([1, 1, 1, 1, 1, 1]);
        expect(groups(rec.sent)).toEqual([]);
      });
      });
    }

    it("by default up to four commits go at once, each alone; more wait and share a statement", async () => {
      const { db, schema } = await t.schema();
      const rec = recording(db);
      const s = createPostgresStorage(rec, { schema });
      const ids = ["a", "b", "c", "d", "e", "f", "g"];
      await Promise.all(ids.map((id) => s.commit(commitOf(instance(id, 1), null))));
      expect(commitStatements(rec.sent)).toEqual([1, 1, 1, 1, 3]);
      for (const id of ids) expect((await s.getInstance(id))?.version).toBe(1);
      rec.sent.length = 0;
      await s.commit(commitOf(instance("a", 2), 1)); // idle: at once, alone
      await Promise.all(["b", "c"].map((id) => s.commit(commitOf(instance(id, 2), 1))));
      expect(commitStatements(rec.sent)).toEqual([1, 1, 1]);
    });

    it("refuses group commit options out of range, saying what it takes", async () => {
      const { db, schema } = await t.schema();
      expect(() => createPostgresStorage(db, { schema, groupCommit: { maxBatch: 0 } })).toThrow(/maxBatch: expected a whole number from 1 to 64/);
      expect(() => createPostgresStorage(db, { schema, groupCommit: { maxInFlight: 0.5 } })).toThrow(/maxInFlight/);
    });

    it("property: random rounds of concurrent commits, some stale, end as applying the successful ones one at a time, each settling as that model says", async () => {
      const { db, schema } = await t.schema();
      const { schema: refSchema } = await t.schema();
      const reference = createPostgresStorage(db, { schema: refSchema, groupCommit: false });
      let run = 0;
      const op = fc.record({
        inst: fc.integer({ min: 0, max: 3 }),
        stale: fc.boolean(),
        skip: fc.boolean(), // the new version skips one
        set: fc.subarray([0, 1, 2]),
        cancel: fc.subarray([0, 1, 2]),
        outbox: fc.integer({ min: 0, max: 2 }),
      });
      await fc.assert(
        fc.asyncProperty(fc.array(fc.array(op, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 }), fc.integer({ min: 1, max: 5 }), fc.constantFrom("compact" as const, "uniform" as const), async (rounds, maxBatch, groupText) => {
          const prefix = `r${++run}`;
          const s = createPostgresStorage(db, { schema, groupText, groupCommit: { maxInFlight: 1, maxBatch } });
          const model = new Map<string, number>(); // instance id -> version, applied one at a time in submission order
          const history = new Map<string, number[]>();
          const applied: Commit[] = [];
          let n = 0;
          for (const round of rounds) {
            const planned = round.map((o) => {
              const id = `${prefix}-i${o.inst}`;
              const now = model.get(id) ?? null;
              const version = (now ?? 0) + (o.skip ? 2 : 1);
              const expected = !o.stale ? now : now === null ? 1 : o.skip ? null : now > 1 ? now - 1 : now + 1;
              const ok = expected === now;
              const c = commitOf(instance(id, version, { state: { value: "s", context: { n: ++n } } }), expected, {
                timersToSet: o.set.map((k) => timer(`${id}/t${k}`, id, 5_000 + n * 10 + k)),
                timerIdsToCancel: o.cancel.map((k) => `${id}/t${k}`),
                outbox: Array.from({ length: o.outbox }, (_, k) => entry(`${id}/o${n}.${k}`, id, 1_000 + n)),
              });
              if (ok) {
                model.set(id, version);
                applied.push(c);
              }
              history.set(id, [...(history.get(id) ?? []), ...(ok ? [version] : [])]);
              return { c, ok, seen: (history.get(id) ?? []).length };
            });
            const results = await settled(planned.map((x) => s.commit(x.c)));
            results.forEach((r, k) => {
              const { c, ok, seen } = planned[k]!;
              if (ok) {
                expect(r.status, `${c.instance.id} v${c.instance.version}: ${String(errorOf(r))}`).toBe("fulfilled");
                return;
              }
              const e = errorOf(r);
              expect(isRuleflowError(e) && e.code, `${c.instance.id} from ${c.expectedVersion}: ${String(e)}`).toBe("CONCURRENCY_CONFLICT");
              // the version stored when it was refused, or a later one (its version is read after the statement)
              const versions = history.get(c.instance.id) ?? [];
              const possible = seen === 0 ? [null, ...versions] : versions.slice(seen - 1);
              expect(possible).toContain((e as { actualVersion: unknown }).actualVersion);
            });
          }
          for (const c of applied) await reference.commit(c);
          const ids = [...history.keys()];
          expect(await rowsOf(s, ids)).toEqual(await rowsOf(reference, ids));
        }),
        { numRuns: t.name === "PGlite" ? 30 : 40 },
      );
    });
  });
}
