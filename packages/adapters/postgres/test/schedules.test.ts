/**
 * Scheduled triggers on PostgreSQL: the schedule table (migration 4), one
 * start per occurrence with several engines on one database (interleaved on
 * one connection for PGlite, on a pool for the server), and catch-up after a
 * restart.
 */
import { describe, expect, it } from "vitest";
import { createEngine, createVirtualClock, type Clock } from "@ruleflow/engine";
import { createPostgresStorage } from "../src/index.js";
import { targets } from "./databases.js";
import { counter, until } from "./fixtures.js";

const review = {
  kind: "workflow",
  id: "pipeline-review",
  version: 1,
  start: "done",
  nodes: { done: { type: "end", outcome: "reviewed" } },
  triggers: [{ schedule: { id: "weekly", every: "week", on: ["friday"], at: "16:00", calendar: "cn-mainland", ifNotWorkday: "skip" } }],
};
const receivables = {
  kind: "workflow",
  id: "receivables-check",
  version: 1,
  start: "done",
  nodes: { done: { type: "end", outcome: "checked" } },
  triggers: [{ schedule: { every: "month", day: 5, at: "09:00", calendar: "cn-mainland", ifNotWorkday: "next" } }],
};

/** A clock stopped at `now` whose due timers fire on the event loop, so engines run side by side. */
const frozenAt = (iso: string): Clock => {
  const now = Date.parse(iso);
  return {
    now: () => now,
    setTimer(at, callback) {
      const h = setTimeout(() => void callback(), at <= now ? 0 : 2 ** 31 - 1);
      return () => clearTimeout(h);
    },
  };
};

for (const t of targets()) {
  describe.skipIf(t.skip !== undefined)(`scheduled triggers on ${t.name}${t.skip ? ` (skipped: ${t.skip})` : ""}`, () => {
    it("the Spring Festival on a virtual clock: two engines, one start per occurrence, the holiday Friday skipped, 5 April moved", async () => {
      const { db, schema } = await t.schema();
      const clock = createVirtualClock("2026-01-30T17:00:00+08:00");
      const engines = [1, 2].map((n) => createEngine({ definitions: [review, receivables], clock, storage: createPostgresStorage(db, { schema }), newId: counter(`e${n}`) }));
      await clock.advanceTo("2026-04-10T00:00:00+08:00");
      const ids = (await engines[0]!.list()).map((v) => v.id).sort();
      expect(ids).toEqual([
        ...["02-06", "02-13", "02-27", "03-06", "03-13", "03-20", "03-27", "04-03"].map((d) => `pipeline-review/weekly@2026-${d}T16:00`),
        ...["02-05", "03-05", "04-07"].map((d) => `receivables-check/schedule-0@2026-${d}T09:00`),
      ]);
      expect(await engines[1]!.schedules()).toMatchObject([{ nextLocal: "2026-04-10T16:00" }, { nextLocal: "2026-05-06T09:00" }]);
      for (const e of engines) await e.close();
    }, 60_000);

    it("three engines racing over missed occurrences after a restart start each once, in order", async () => {
      const { db, schema } = await t.schema();
      const first = createEngine({ definitions: [review], clock: createVirtualClock("2026-02-06T09:00:00+08:00"), storage: createPostgresStorage(db, { schema }) });
      await first.ready;
      await first.close();
      const fired: string[] = [];
      const clock = frozenAt("2026-03-07T10:00:00+08:00");
      const engines = [1, 2, 3].map((n) => createEngine({ definitions: [review], clock, storage: createPostgresStorage(db, { schema }), newId: counter(`r${n}`) }));
      for (const e of engines) e.events$.subscribe((x) => x.type === "schedule.fired" && fired.push(x.instanceId));
      await until(async () => (await engines[0]!.schedules())[0]?.last === "2026-03-06T08:00:00.000Z", 20_000, "the schedule to catch up");
      await new Promise((resolve) => setTimeout(resolve, 100));
      const expected = ["02-06", "02-13", "02-27", "03-06"].map((d) => `pipeline-review/weekly@2026-${d}T16:00`);
      expect(fired.sort()).toEqual(expected);
      const rows = await db.query<{ id: string }>(`SELECT id FROM "${schema}".instances ORDER BY id`);
      expect(rows.rows.map((r) => r.id)).toEqual(expected);
      const sched = await db.query<{ version: number; next_at: unknown }>(`SELECT version, next_at FROM "${schema}".schedules`);
      expect(sched.rows).toHaveLength(1);
      expect(Number(sched.rows[0]!.next_at)).toBe(Date.parse("2026-03-13T16:00:00+08:00"));
      for (const e of engines) await e.close();
    }, 60_000);
  });
}
