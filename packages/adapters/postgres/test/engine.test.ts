/**
 * The engine on PostgreSQL: the same script gives byte-identical instances
 * and audit logs as on the in-memory ports; a restarted engine continues;
 * a worker that dies holding a timer or outbox entries loses them to
 * another after the lease; timers far in the future are not loaded.
 */
import { describe, expect, it } from "vitest";
import {
  createEngine,
  createMemoryNotifier,
  createVirtualClock,
  type Engine,
  type Notification,
  type Notifier,
  type Storage,
  type VirtualClock,
} from "@ruleflow/engine";
import type { TimerRecord } from "@ruleflow/engine/workflow";
import { createPostgresScheduler, createPostgresStorage, type SqlDriver } from "../src/index.js";
import { targets } from "./databases.js";
import { counter, dealApproval, until } from "./fixtures.js";

const START = "2026-03-02T09:00:00+08:00";

/** The audit record every commit carries, for instances written straight to storage. */
const bareAudit = (instanceId: string) =>
  ({ id: `${instanceId}@1`, instanceId, version: 1, at: 0, actor: "s", action: "start", definitionId: "x", definitionVersion: 1, before: null, after: { value: "a", status: "running" }, event: { type: "start" } }) as const;

interface Rig {
  engine: Engine;
  clock: VirtualClock;
  sent: readonly Notification[];
  storage: Storage;
}

function pgRig(db: SqlDriver, schema: string, clock = createVirtualClock(START), notifier?: Notifier): Rig {
  const memory = createMemoryNotifier();
  const storage = createPostgresStorage(db, { schema });
  const engine = createEngine({
    definitions: [dealApproval()],
    clock,
    storage,
    // One timer at a time, in due order, as the in-memory scheduler does: ids are then handed out in the same order.
    scheduler: createPostgresScheduler(db, { schema, clock, pollIntervalMs: 0, concurrency: 1 }),
    notifier: notifier ?? memory,
    newId: counter(),
  });
  return { engine, clock, sent: memory.sent, storage };
}

function memoryRig(): Rig {
  const clock = createVirtualClock(START);
  const notifier = createMemoryNotifier();
  const engine = createEngine({ definitions: [dealApproval()], clock, notifier, newId: counter() });
  return { engine, clock, sent: notifier.sent, storage: undefined as unknown as Storage };
}

/** A script of starts, approvals and escalations, returning what it saw. */
async function script(r: Rig): Promise<unknown> {
  const a = await r.engine.start("deal-approval", { id: "d1", initiator: "user:li", input: { amount: 120_000 } });
  const b = await r.engine.start("deal-approval", { id: "d2", initiator: "user:li", input: { amount: 90_000 } });
  await r.clock.advanceBy("PT6S"); // both reminded
  await r.engine.send(a.id, { type: "approve", actor: "user:a", comment: "ok" });
  await r.clock.advanceBy("PT5S"); // both escalated to user:boss
  await r.engine.send(b.id, { type: "approve", actor: "user:boss" });
  await r.engine.send(a.id, { type: "approve", actor: "user:b" });
  await r.clock.advanceBy("PT10S"); // d2's auto-reject fires
  await r.engine.settle();
  return {
    instances: await Promise.all(["d1", "d2"].map((id) => r.engine.get(id))),
    audit: await Promise.all(["d1", "d2"].map((id) => r.engine.audit(id))),
    outbox: await Promise.all(["d1", "d2"].map(async (id) => (await r.engine.outbox(id)).map((o) => ({ ...o, nextAttemptAt: 0 })))),
    // Each instance's notifications in order; instances are delivered side by side, so not across them.
    sent: [...r.sent].sort((a, b) => (a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0)).map((n) => `${n.instanceId} ${n.template} ${n.recipients.join(",")}`),
  };
}

for (const t of targets()) {
  describe.skipIf(t.skip !== undefined)(`engine on ${t.name}${t.skip ? ` (skipped: ${t.skip})` : ""}`, () => {
    it("runs a script to the same instances, audit log and notifications as the in-memory ports", async () => {
      const { db, schema } = await t.schema();
      const pg = pgRig(db, schema);
      const got = (await script(pg)) as { instances: { status: string; outcome?: string }[]; sent: string[] };
      const want = await script(memoryRig());
      const parts = (x: unknown) => Object.entries(x as Record<string, unknown>).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
      expect(parts(got)).toEqual(parts(want));
      expect(got.instances.map((i) => i.outcome)).toEqual(["approved", "rejected"]);
      expect(got.sent.filter((s) => s.includes("approval-escalated"))).toHaveLength(2);
      expect(await pg.storage.listPendingTimers()).toEqual([]);
      await pg.engine.close();
    });

    it("continues after a restart: a new engine on the same schema fires the timers the old one armed", async () => {
      const { db, schema } = await t.schema();
      const first = pgRig(db, schema);
      await first.engine.start("deal-approval", { id: "d1", initiator: "user:li" });
      await first.engine.close();
      const clock = createVirtualClock(START);
      const second = pgRig(db, schema, clock);
      await second.engine.ready;
      await clock.advanceBy("PT16S");
      await second.engine.settle();
      const i = await second.engine.get("d1");
      expect(i).toMatchObject({ status: "completed", outcome: "rejected" });
      expect((await second.engine.audit("d1")).map((a) => a.action)).toEqual(["start", "timer", "timer", "timer"]);
      await second.engine.close();
    });

    it("a worker that dies holding a timer loses it when the lease ends, and another fires it once", async () => {
      const { db, schema } = await t.schema();
      const clock = createVirtualClock(START);
      const live = pgRig(db, schema, clock);
      await live.engine.start("deal-approval", { id: "d1", initiator: "user:li" });
      // The dead worker: its clock runs 5 s ahead, so it claims the first escalation early; it never finishes firing.
      let claimed: TimerRecord | undefined;
      const dead = createPostgresScheduler(db, { schema, clock: { now: () => clock.now() + 5_000, setTimer: () => () => {} }, pollIntervalMs: 0, leaseMs: 10_000 });
      await dead.start(async (timer) => {
        claimed = timer;
        await new Promise<void>(() => {});
      }, live.storage);
      void dead.poll();
      await until(() => claimed !== undefined, 20_000, "the dead worker to claim the timer", 20);
      expect(claimed?.key).toMatch(/^esc:/);
      // The live engine does not fire it while the lease holds ...
      await clock.advanceBy("PT6S");
      await live.engine.settle();
      expect((await live.engine.audit("d1")).map((a) => a.action)).toEqual(["start"]);
      // ... and fires it once the lease has ended.
      await clock.advanceBy("PT10S");
      await live.engine.settle();
      const actions = (await live.engine.audit("d1")).map((a) => a.action);
      expect(actions.filter((x) => x === "timer").length).toBeGreaterThanOrEqual(1);
      expect(new Set((await live.engine.audit("d1")).filter((a) => a.action === "timer").map((a) => JSON.stringify([a.event["key"], a.event["generation"]]))).size).toBe(
        actions.filter((x) => x === "timer").length,
      );
      await live.engine.close();
    });

    it("a worker that dies holding outbox entries loses them when the lease ends, and another delivers each once", async () => {
      const { db, schema } = await t.schema();
      const clock = createVirtualClock(START);
      const storage = createPostgresStorage(db, { schema, outboxLeaseMs: 20_000 });
      // A process that commits (its commit leases the new outbox entries to it), starts delivering them and dies before it is done.
      let sending = 0;
      const silent: Notifier = {
        send: () => {
          sending++;
          return new Promise<void>(() => {});
        },
      };
      const dying = createEngine({ definitions: [dealApproval([60, 60, 60])], clock, storage, scheduler: createPostgresScheduler(db, { schema, clock, pollIntervalMs: 0 }), notifier: silent, newId: counter("x") });
      await dying.start("deal-approval", { id: "d1", initiator: "user:li" });
      // (one instance's notifications go out in order: the second waits for the first, which never answers)
      await until(() => sending === 1, 20_000, "the dying worker to start delivering its outbox entries", 20);
      void dying.close();
      expect((await storage.listOutbox("d1")).map((o) => o.status)).toEqual(["pending", "pending"]);
      expect(await storage.claimOutbox(clock.now() + 19_999, 10)).toEqual([]); // still leased to the dying worker
      // Another worker, polling, delivers them after the lease.
      const sent: Notification[] = [];
      const notifier: Notifier = { async send(n) { sent.push(n); } };
      const other = createEngine({
        definitions: [dealApproval([60, 60, 60])],
        clock,
        storage,
        scheduler: createPostgresScheduler(db, { schema, clock, pollIntervalMs: 5_000 }),
        notifier,
      });
      await other.ready;
      await clock.advanceBy("PT4S");
      await other.settle();
      expect(sent).toEqual([]);
      await clock.advanceBy("PT17S");
      await other.settle();
      expect(sent.map((n) => `${n.template} ${n.recipients.join(",")}`).sort()).toEqual(["approval-requested user:a", "approval-requested user:b"]);
      expect((await storage.listOutbox("d1")).map((o) => o.status)).toEqual(["delivered", "delivered"]);
      await other.close();
    });

    it("keeps timers in the database, not in memory: 2,000 due next year are not loaded, the one due now fires", async () => {
      const { db, schema } = await t.schema();
      const clock = createVirtualClock(START);
      const storage = createPostgresStorage(db, { schema });
      const year = 365 * 86_400_000;
      for (let k = 0; k < 20; k++) {
        await storage.commit({
          instance: { id: `far-${k}`, definitionId: "x", definitionVersion: 1, version: 1, status: "running", initiator: "s", assignees: [], waitingFor: [], state: { value: "a", context: {} }, createdAt: 0, updatedAt: 0 },
          expectedVersion: null,
          timersToSet: Array.from({ length: 100 }, (_, g) => ({ id: `far-${k}/t/${g}`, instanceId: `far-${k}`, key: "t", generation: g, dueAt: clock.now() + year + g, event: { type: "timer" } })),
          timerIdsToCancel: [],
          outbox: [],
          audit: bareAudit(`far-${k}`),
        });
      }
      const fired: string[] = [];
      const scheduler = createPostgresScheduler(db, { schema, clock, pollIntervalMs: 0 });
      await scheduler.start(async (t) => void fired.push(t.id), storage);
      await storage.commit({
        instance: { id: "near", definitionId: "x", definitionVersion: 1, version: 1, status: "running", initiator: "s", assignees: [], waitingFor: [], state: { value: "a", context: {} }, createdAt: 0, updatedAt: 0 },
        expectedVersion: null,
        timersToSet: [{ id: "near/t/1", instanceId: "near", key: "t", generation: 1, dueAt: clock.now() + 1_000, event: { type: "timer" } }],
        timerIdsToCancel: [],
        outbox: [],
        audit: bareAudit("near"),
      });
      scheduler.schedule([{ id: "near/t/1", instanceId: "near", key: "t", generation: 1, dueAt: clock.now() + 1_000, event: { type: "timer" } }]);
      await clock.advanceBy("PT2S");
      expect(fired).toEqual(["near/t/1"]);
      expect(await storage.listPendingTimers({ dueBy: clock.now() + 60_000 })).toHaveLength(1); // fired but not deleted: fire was a stub
      await scheduler.stop();
    });
  });
}
