/** The BullMQ scheduler against the Redis on 127.0.0.1:6379. */
import { randomUUID } from "node:crypto";
import { Queue } from "bullmq";
import { afterEach, describe, expect, it } from "vitest";
import { createMemoryStorage } from "@ruleflow/engine";
import type { TimerRecord } from "@ruleflow/engine/workflow";
import { createBullMqScheduler, timerJobId, type BullMqScheduler } from "../src/index.js";

const connection = { host: "127.0.0.1", port: 6379 };
let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

function timer(instanceId: string, key: string, generation: number, dueAt: number): TimerRecord {
  return { id: `${instanceId}/${key}/${generation}`, instanceId, key, generation, dueAt, event: { type: "timer", key } };
}

/** A scheduler on a fresh queue, recording what it fires; the queue is removed afterwards. */
async function scheduler(queueName = `ruleflow-test-${randomUUID()}`, storage = createMemoryStorage()) {
  const fired: { id: string; at: number }[] = [];
  const s: BullMqScheduler = createBullMqScheduler({ connection, queueName });
  await s.start(async (t) => void fired.push({ id: t.id, at: Date.now() }), storage);
  cleanup.push(async () => {
    await s.stop();
    const admin = new Queue(queueName, { connection });
    await admin.obliterate({ force: true });
    await admin.close();
  });
  return { s, fired, queueName };
}

const until = async (check: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe("BullMQ scheduler", () => {
  it("fires a timer at its due time, once, with its record", async () => {
    const { s, fired } = await scheduler();
    const due = Date.now() + 400;
    s.schedule([timer("i1", "esc:countersign", 1, due)]);
    await s.idle();
    expect(await s.queue!.getJobState(timerJobId("i1/esc:countersign/1"))).toBe("delayed");
    await until(() => fired.length === 1);
    expect(fired[0]!.id).toBe("i1/esc:countersign/1");
    expect(fired[0]!.at).toBeGreaterThanOrEqual(due - 5);
    await new Promise((r) => setTimeout(r, 200));
    expect(fired).toHaveLength(1);
  });

  it("scheduling the same timer again keeps one job; a new due time moves it", async () => {
    const { s, fired } = await scheduler();
    const t = timer("i2", "wait:signed", 1, Date.now() + 60_000);
    s.schedule([t]);
    s.schedule([t]);
    await s.idle();
    expect(await s.queue!.getDelayedCount()).toBe(1);
    s.schedule([{ ...t, dueAt: Date.now() + 100 }]);
    await s.idle();
    expect(await s.queue!.getDelayedCount()).toBeLessThanOrEqual(1);
    await until(() => fired.length === 1);
    expect(fired.map((f) => f.id)).toEqual(["i2/wait:signed/1"]);
  });

  it("a cancelled timer never fires; its next generation does", async () => {
    const { s, fired } = await scheduler();
    const due = Date.now() + 300;
    s.schedule([timer("i3", "esc:a", 1, due)]);
    s.cancel(["i3/esc:a/1"]);
    s.schedule([timer("i3", "esc:a", 2, due + 100)]);
    await s.idle();
    expect(await s.queue!.getJob(timerJobId("i3/esc:a/1"))).toBeUndefined();
    await until(() => fired.length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(fired.map((f) => f.id)).toEqual(["i3/esc:a/2"]);
  });

  it("two processes on one queue fire each timer exactly once between them", async () => {
    const a = await scheduler();
    const b = await scheduler(a.queueName);
    const due = Date.now() + 300;
    const timers = Array.from({ length: 20 }, (_, k) => timer(`i${k}`, "esc:x", 1, due + k * 5));
    a.s.schedule(timers.slice(0, 15));
    b.s.schedule(timers.slice(5)); // 5..14 scheduled by both
    await Promise.all([a.s.idle(), b.s.idle()]);
    await until(() => a.fired.length + b.fired.length === 20);
    await new Promise((r) => setTimeout(r, 300));
    const all = [...a.fired, ...b.fired].map((f) => f.id).sort();
    expect(all).toEqual(timers.map((t) => t.id).sort());
  });

  it("asks the engine to poll the shared outbox every pollOutboxMs", async () => {
    const queueName = `ruleflow-test-${randomUUID()}`;
    const s = createBullMqScheduler({ connection, queueName, pollOutboxMs: 50 });
    let polls = 0;
    await s.start(async () => undefined, createMemoryStorage(), { pollOutbox: () => void polls++ });
    cleanup.push(async () => {
      await s.stop();
      const admin = new Queue(queueName, { connection });
      await admin.obliterate({ force: true });
      await admin.close();
    });
    await until(() => polls >= 3);
    await s.stop();
    const after = polls;
    await new Promise((r) => setTimeout(r, 150));
    expect(polls).toBe(after);
  });

  it("on start, loads pending timers from storage: overdue ones fire at once, the rest on time", async () => {
    const storage = createMemoryStorage();
    const now = Date.now();
    const instance = { id: "r1", definitionId: "wf", definitionVersion: 1, version: 1, status: "running" as const, initiator: "u", assignees: [], waitingFor: [], state: { value: "w", context: {} }, createdAt: now, updatedAt: now };
    const audit = { id: "r1@1", instanceId: "r1", version: 1, at: now, actor: "u", action: "start", definitionId: "wf", definitionVersion: 1, before: null, after: { value: "w", status: "running" as const }, event: { type: "start" } };
    await storage.commit({ instance, expectedVersion: null, timersToSet: [timer("r1", "late", 1, now - 60_000), timer("r1", "soon", 1, now + 300)], timerIdsToCancel: [], outbox: [], audit });
    const { fired } = await scheduler(undefined, storage);
    await until(() => fired.length === 2);
    expect(fired.map((f) => f.id)).toEqual(["r1/late/1", "r1/soon/1"]);
    expect(fired[0]!.at - now).toBeLessThan(300);
  });
});
