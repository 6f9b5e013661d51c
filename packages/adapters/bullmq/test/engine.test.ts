/** End to end: two engines sharing storage and a BullMQ queue (two processes, one Redis): a durable timer fires once. */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { Queue } from "bullmq";
import { createEngine, createMemoryStorage, createSystemClock, type EngineEvent } from "@ruleflow/engine";
import { createBullMqScheduler } from "../src/index.js";

const connection = { host: "127.0.0.1", port: 6379 };
const workflow = {
  kind: "workflow",
  id: "cooling-off",
  version: 1,
  start: "cool",
  nodes: {
    cool: { type: "wait", after: "PT1S", next: "done" },
    done: { type: "end", outcome: "approved" },
  },
};

let cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
});

describe("BullMQ scheduler in the engine", () => {
  it("a wait of one second ends the instance once, with two engine processes sharing the queue", async () => {
    const queueName = `ruleflow-e2e-${randomUUID()}`;
    const storage = createMemoryStorage();
    const events: EngineEvent[] = [];
    const engines = [0, 1].map(() => {
      const engine = createEngine({ definitions: [workflow], storage, clock: createSystemClock(), scheduler: createBullMqScheduler({ connection, queueName }) });
      engine.events$.subscribe((e) => events.push(e));
      return engine;
    });
    cleanup.push(async () => {
      for (const e of engines) await e.close();
      const q = new Queue(queueName, { connection });
      await q.obliterate({ force: true });
      await q.close();
    });
    await Promise.all(engines.map((e) => e.ready));
    const started = Date.now();
    const q = await engines[0]!.start("cooling-off", { initiator: "user:li" });
    const end = Date.now() + 8000;
    while ((await engines[1]!.get(q.id))!.status === "running") {
      if (Date.now() > end) throw new Error("the timer never fired");
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    await new Promise((r) => setTimeout(r, 300));
    expect((await engines[1]!.get(q.id))!.outcome).toBe("approved");
    expect((await engines[0]!.audit(q.id)).map((a) => a.action)).toEqual(["start", "timer"]);
    expect(events.filter((e) => e.type === "instance.finished")).toHaveLength(1);
  });
});
