/** Notifications through the outbox: idempotency keys, retries with backoff, dead letters, crash safety. */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { createVirtualClock } from "../src/runtime/clock.js";
import { createMemoryNotifier } from "../src/runtime/defaults.js";
import type { EngineEvent } from "../src/runtime/engine.js";
import { createMemoryStorage, type MemoryStorage } from "../src/runtime/memory-storage.js";
import type { Notification } from "../src/runtime/ports.js";
import { approvalWorkflow, cst, rig, workflow } from "./workflow-helpers.js";

/** A notifier that fails while `failing(n)` says so, logging every attempt; successes go to a memory sink. */
function flakyNotifier(failing: (n: Notification, attempt: number) => boolean, now: () => number) {
  const sink = createMemoryNotifier();
  const attempts: string[] = [];
  const counts = new Map<string, number>();
  return {
    sink,
    attempts,
    sent: sink.sent,
    async send(n: Notification) {
      const k = (counts.get(n.idempotencyKey) ?? 0) + 1;
      counts.set(n.idempotencyKey, k);
      attempts.push(`${n.template}#${k}@${cst(now())}`);
      if (failing(n, k)) throw new Error(`smtp down (${k})`);
      await sink.send(n);
    },
  };
}

const hello = workflow({ hello: { type: "notify", notify: [{ to: "user:a", template: "first" }, { to: "user:b", template: "second" }], next: "done" }, done: { type: "end", outcome: "ok" } });

describe("outbox", () => {
  it("each notification has its own idempotency key, written in the same commit as the transition", async () => {
    const r = rig({ definitions: [approvalWorkflow({ mode: "all", assignees: ["user:a", "user:b"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "approve", actor: "user:a" });
    await r.engine.send(q.id, { type: "approve", actor: "user:b" });
    await r.engine.settle();
    const out = await r.engine.outbox(q.id);
    expect(out.map((o) => `${o.idempotencyKey} ${String(o.payload["template"])} ${o.status} ${o.attempts}`)).toEqual([
      `${q.id}/1/0 approval-requested delivered 1`,
      `${q.id}/1/1 approval-requested delivered 1`,
      `${q.id}/3/0 done-approved delivered 1`,
    ]);
    expect(r.notifier.sent.map((n) => n.idempotencyKey)).toEqual(out.map((o) => o.idempotencyKey));
  });

  it("a notifier that throws is retried with exponential backoff under the same key, then delivered once", async () => {
    let now = (): number => 0;
    const notifier = flakyNotifier((n, k) => n.template === "first" && k <= 3, () => now());
    const events: EngineEvent[] = [];
    const r = rig({ definitions: [hello], notifier, retry: { maxAttempts: 5, baseDelayMs: 60_000 } });
    now = () => r.clock.now();
    r.engine.events$.subscribe((e) => events.push(e));
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.clock.advanceBy("PT1H");
    expect(notifier.sent.map((n) => n.template)).toEqual(["second", "first"]);
    const out = await r.engine.outbox(q.id);
    expect(out.map((o) => [o.status, o.attempts])).toEqual([["delivered", 4], ["delivered", 1]]);
    // 1, 2 and 4 minutes apart, each with up to 20% jitter
    const times = notifier.attempts.filter((a) => a.startsWith("first")).map((a) => Date.parse(a.split("@")[1]!));
    const gaps = times.slice(1).map((t, i) => (t - times[i]!) / 60_000);
    expect(gaps).toHaveLength(3);
    gaps.forEach((g, i) => {
      expect(g).toBeGreaterThanOrEqual(2 ** i);
      expect(g).toBeLessThanOrEqual(2 ** i * 1.2);
    });
    expect(events.filter((e) => e.type === "notification.failed").map((e) => (e as { willRetry: boolean }).willRetry)).toEqual([true, true, true]);
    expect(events.filter((e) => e.type === "notification.sent")).toHaveLength(2);
  });

  it("after maxAttempts the entry is dead, with its last error; the others still go", async () => {
    let now = (): number => 0;
    const notifier = flakyNotifier((n) => n.template === "first", () => now());
    const events: EngineEvent[] = [];
    const r = rig({ definitions: [hello], notifier, retry: { maxAttempts: 3, baseDelayMs: 1000 } });
    now = () => r.clock.now();
    r.engine.events$.subscribe((e) => events.push(e));
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.clock.advanceBy("P1D");
    const first = (await r.engine.outbox(q.id)).find((o) => o.payload["template"] === "first")!;
    expect(first).toMatchObject({ status: "dead", attempts: 3, lastError: "smtp down (3)" });
    expect(notifier.attempts.filter((a) => a.startsWith("first"))).toHaveLength(3);
    expect(notifier.sent.map((n) => n.template)).toEqual(["second"]);
    expect(events.filter((e) => e.type === "notification.failed").map((e) => (e as { willRetry: boolean }).willRetry)).toEqual([true, true, false]);
  });

  it("a crash between commit and delivery loses nothing, and the restarted engine does not send twice", async () => {
    let snapshot: ReturnType<ReturnType<typeof createMemoryStorage>["snapshot"]> | undefined;
    const sink = createMemoryNotifier();
    const storage = createMemoryStorage();
    // the "crash": a copy of storage taken while the first delivery is under way
    const notifier = {
      sent: sink.sent,
      async send(n: Notification) {
        snapshot ??= storage.snapshot();
        await sink.send(n);
      },
    };
    const r = rig({ definitions: [hello], notifier, storage });
    await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.settle();
    expect(snapshot!.outbox.map((o) => o.status)).toEqual(["pending", "pending"]);
    const r2 = rig({ definitions: [hello], notifier, storage: createMemoryStorage(snapshot), clock: createVirtualClock(r.clock.now()), ids: r.ids });
    await r2.engine.settle();
    expect(r2.storage.snapshot().outbox.map((o) => o.status)).toEqual(["delivered", "delivered"]);
    expect(sink.sent.map((n) => n.template)).toEqual(["first", "second"]);
  });

  it("a retry that a previous process scheduled is picked up after a restart", async () => {
    let down = true;
    let now = (): number => 0;
    const notifier = flakyNotifier(() => down, () => now());
    const r = rig({ definitions: [hello], notifier, retry: { maxAttempts: 5, baseDelayMs: 600_000 } });
    now = () => r.clock.now();
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.settle();
    await r.engine.close();
    expect((await r.engine.outbox(q.id)).map((o) => [o.status, o.attempts])).toEqual([["pending", 1], ["pending", 1]]);
    down = false;
    const clock = createVirtualClock(r.clock.now());
    now = () => clock.now();
    const r2 = rig({ definitions: [hello], notifier, storage: createMemoryStorage(r.storage.snapshot()), clock, ids: r.ids, retry: { maxAttempts: 5, baseDelayMs: 600_000 } });
    await clock.advanceBy("PT5M");
    expect(notifier.sent).toHaveLength(0);
    await clock.advanceBy("PT1H");
    expect(notifier.sent.map((n) => n.template).sort()).toEqual(["first", "second"]);
    // the retries ran when they were due (10-12 minutes after the first attempt), not at the restart
    for (const a of notifier.attempts.filter((x) => x.includes("#2"))) {
      const at = Date.parse(a.split("@")[1]!) - Date.parse("2026-03-05T09:00:00+08:00");
      expect(at).toBeGreaterThanOrEqual(600_000);
      expect(at).toBeLessThanOrEqual(720_000);
    }
    expect((await r2.engine.outbox(q.id)).map((o) => o.status)).toEqual(["delivered", "delivered"]);
  });

  it("notifications name the spec and the resolved users; roles that resolve to no one still go out", async () => {
    const def = workflow({ n: { type: "notify", notify: [{ to: "role:nobody", template: "t" }, { to: "role:board", template: "t" }], next: "done" }, done: { type: "end", outcome: "ok" } });
    const r = rig({ definitions: [def] });
    await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.settle();
    expect(r.notifier.sent.map((n) => [n.to, n.recipients])).toEqual([
      ["role:nobody", []],
      ["role:board", ["user:b1", "user:b2", "user:b3"]],
    ]);
  });

  it("a failed look at the outbox (the storage went away) is no unhandled rejection: an error event says so, settle() throws it once, and the notifications go out when the storage is back", async () => {
    const storage = createMemoryStorage();
    let down = false;
    let looks = 0;
    // the memory storage, except that reading the outbox fails while `down`
    const flaky: MemoryStorage = Object.create(storage) as MemoryStorage;
    flaky.listDueOutbox = (...args: Parameters<MemoryStorage["listDueOutbox"]>) => {
      looks++;
      return down ? Promise.reject(new Error("connection to the database lost")) : storage.listDueOutbox(...args);
    };
    const events: EngineEvent[] = [];
    const r = rig({ definitions: [approvalWorkflow({ mode: "all", assignees: ["user:a", "user:b"] })], storage: flaky, retry: { maxAttempts: 5, baseDelayMs: 1000 } });
    r.engine.events$.subscribe((e) => events.push(e));
    await r.engine.settle();
    down = true;
    const q = await r.engine.start("wf", { initiator: "user:li" });
    // the commit's drain fails with nobody awaiting it: vitest fails the run on an unhandled rejection
    await new Promise((ok) => setTimeout(ok, 20));
    const errors = events.filter((e) => e.type === "error");
    expect(errors).toHaveLength(1);
    expect((errors[0] as { error: string }).error).toMatch(/^the outbox could not be read or updated \(connection to the database lost\); nothing is lost, delivery is tried again at 2026-03-05T01:00:01\.000Z$/);
    // the failure is thrown by the first settle() and only by it
    await expect(r.engine.settle()).rejects.toThrow("connection to the database lost");
    await r.engine.settle();
    expect(r.notifier.sent).toEqual([]);
    expect((await r.engine.outbox(q.id)).map((o) => o.status)).toEqual(["pending", "pending"]);
    // still down at the first retry: moving the clock waits for the engine, so it is what throws now;
    // the next look waits twice as long (2 s)
    const before = looks;
    await expect(r.clock.advanceBy("PT1S")).rejects.toThrow("connection to the database lost");
    expect(looks).toBe(before + 1);
    expect((events.filter((e) => e.type === "error").at(-1) as { error: string }).error).toContain("tried again at 2026-03-05T01:00:03.000Z");
    await r.engine.settle();
    down = false;
    await r.clock.advanceBy("PT2S");
    await r.engine.settle();
    expect(r.notifier.sent.map((n) => [n.template, [...n.recipients]])).toEqual([
      ["approval-requested", ["user:a"]],
      ["approval-requested", ["user:b"]],
    ]);
    expect((await r.engine.outbox(q.id)).map((o) => [o.status, o.attempts])).toEqual([["delivered", 1], ["delivered", 1]]);
  });

  test.prop(
    [
      fc.integer({ min: 1, max: 5 }),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 24 }),
      fc.array(fc.constantFrom("user:a", "user:b"), { maxLength: 6 }),
    ],
    { numRuns: 60, seed: 20261203 },
  )("whichever looks at the outbox fail while instances start and move: once the storage is back every notification is delivered exactly once, and nothing is an unhandled rejection", async (starts, failures, approvals) => {
    const storage = createMemoryStorage();
    let call = 0;
    let armed = false;
    // the k-th look after the engine is ready fails when failures[k] says so; afterwards the storage is well
    const flaky: MemoryStorage = Object.create(storage) as MemoryStorage;
    flaky.listDueOutbox = (...args: Parameters<MemoryStorage["listDueOutbox"]>) =>
      armed && failures[call++] === true ? Promise.reject(new Error("connection to the database lost")) : storage.listDueOutbox(...args);
    const r = rig({ definitions: [approvalWorkflow({ mode: "all", assignees: ["user:a", "user:b"] })], storage: flaky, retry: { maxAttempts: 5, baseDelayMs: 1000 } });
    const errors: string[] = [];
    r.engine.events$.subscribe((e) => {
      if (e.type === "error") errors.push(e.error);
    });
    const settled = (): Promise<void> => r.engine.settle().catch((e: unknown) => void expect(String(e)).toContain("connection to the database lost"));
    await r.engine.settle();
    armed = true;
    const ids: string[] = [];
    for (let k = 0; k < starts; k++) {
      ids.push((await r.engine.start("wf", { initiator: "user:li" })).id);
      await settled();
    }
    for (const [k, actor] of approvals.entries()) {
      const id = ids[k % ids.length]!;
      const view = await r.engine.get(id);
      if (view?.status !== "running" || !view.assignees.includes(actor)) continue;
      await r.engine.send(id, { type: "approve", actor });
      await settled();
    }
    // time goes on: every failed look was followed by another, a second to a minute later
    for (let minute = 0; minute < 30 && call < failures.length; minute++) await r.clock.advanceBy("PT1M").catch(() => undefined);
    await r.clock.advanceBy("PT1H").catch(() => undefined);
    await settled();
    await r.engine.settle();
    const keys: string[] = [];
    for (const id of ids) for (const o of await r.engine.outbox(id)) {
      expect(o.status).toBe("delivered");
      keys.push(o.idempotencyKey);
    }
    expect(r.notifier.sent.map((n) => n.idempotencyKey).sort()).toEqual(keys.sort());
    expect(errors.length).toBeLessThanOrEqual(failures.filter(Boolean).length);
  });
});
