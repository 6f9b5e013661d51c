/**
 * A task handler that never answers: its timeout runs on the engine's clock.
 * On a virtual clock the timeout fires when virtual time passes it and
 * `advanceBy` returns; on the system clock nothing changed.
 */
import { describe, expect, it, vi } from "vitest";
import { createSystemClock, createVirtualClock } from "../src/runtime/clock.js";
import { createEngine } from "../src/runtime/engine.js";
import { cst, ENDS, rig, workflow } from "./workflow-helpers.js";

/** Fail fast instead of hanging the suite when `p` never settles. */
async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not return within ${ms} ms`)), ms)));
  try {
    return await Promise.race([p, limit]);
  } finally {
    clearTimeout(timer);
  }
}

const hungTask = workflow({ t: { type: "task", handler: "erp", timeout: "PT10M", retries: { max: 1, backoff: "PT1M" }, next: "approved", onError: "rejected" }, ...ENDS });

describe("a hung task handler", () => {
  it("on a virtual clock: the timeout fires in virtual time, the retry is made, then onError; advanceBy returns", async () => {
    const calls: string[] = [];
    const r = rig({
      definitions: [hungTask],
      handlers: {
        erp: (_input, ctx) => {
          calls.push(`${ctx.attempt}@${cst(r.clock.now())}`);
          return new Promise(() => undefined);
        },
      },
    });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await within(r.clock.advanceBy("PT1H"), 10_000, "advanceBy");
    expect(calls).toEqual(["1@2026-03-05T09:00:00+08:00", "2@2026-03-05T09:11:00+08:00"]);
    const v = (await r.engine.get(q.id))!;
    expect(v).toMatchObject({ status: "completed", outcome: "rejected" });
    const audit = await r.engine.audit(q.id);
    expect(audit.map((a) => `${a.action}@${cst(a.at)}`)).toEqual([
      "start@2026-03-05T09:00:00+08:00",
      "timer@2026-03-05T09:10:00+08:00",
      "timer@2026-03-05T09:11:00+08:00",
      "timer@2026-03-05T09:21:00+08:00",
    ]);
    expect(audit.slice(1).map((a) => a.event["purpose"])).toEqual(["timeout", "retry", "timeout"]);
    // settle() does not wait for a call it already knows is hung either
    await within(r.engine.settle(), 10_000, "settle");
    await r.engine.close();
  });

  it("on a virtual clock: without a timeout the instance stays on the task, and advanceBy still returns", async () => {
    const def = workflow({ t: { type: "task", handler: "erp", next: "approved" }, ...ENDS });
    const r = rig({ definitions: [def], handlers: { erp: () => new Promise(() => undefined) } });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await within(r.clock.advanceBy("P30D"), 10_000, "advanceBy");
    expect((await r.engine.get(q.id))!).toMatchObject({ status: "running", activeNodes: ["t"] });
    await r.engine.close();
  });

  it("on a virtual clock: a handler that answers after real I/O beats its virtual timeout", async () => {
    const r = rig({ definitions: [hungTask], handlers: { erp: () => new Promise((resolve) => setTimeout(() => resolve({ invoice: "INV-1" }), 30)) } });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await within(r.clock.advanceBy("PT1H"), 10_000, "advanceBy");
    expect((await r.engine.get(q.id))!).toMatchObject({ outcome: "approved", results: { t: { invoice: "INV-1" } } });
    expect((await r.engine.audit(q.id)).map((a) => `${a.action}@${cst(a.at)}`)).toEqual(["start@2026-03-05T09:00:00+08:00", "task.done@2026-03-05T09:00:00+08:00"]);
  });

  it("on a virtual clock: a handler that takes virtual time answers at that virtual time, or times out", async () => {
    const clock = createVirtualClock("2026-03-05T09:00:00+08:00");
    // the external system answers after `minutes` of virtual time
    const slow = (minutes: number) => () => new Promise((resolve) => clock.setTimer(clock.now() + minutes * 60_000, () => resolve(`after ${minutes} min`)));
    const fast = rig({ definitions: [hungTask], clock, handlers: { erp: slow(4) } });
    const q = await fast.engine.start("wf", { initiator: "user:li" });
    await within(clock.advanceBy("PT1H"), 10_000, "advanceBy");
    expect((await fast.engine.get(q.id))!).toMatchObject({ outcome: "approved", results: { t: "after 4 min" } });
    expect((await fast.engine.audit(q.id)).map((a) => `${a.action}@${cst(a.at)}`)).toEqual(["start@2026-03-05T09:00:00+08:00", "task.done@2026-03-05T09:04:00+08:00"]);
    await fast.engine.close();

    const tooSlow = rig({ definitions: [hungTask], clock, handlers: { erp: slow(15) } });
    const q2 = await tooSlow.engine.start("wf", { initiator: "user:li" });
    await within(clock.advanceBy("PT1H"), 10_000, "advanceBy");
    // attempt 1 times out at +10 min, attempt 2 (at +11) too at +21: onError
    expect((await tooSlow.engine.get(q2.id))!).toMatchObject({ outcome: "rejected" });
    await tooSlow.engine.close();
  });

  it("the patience is configurable", async () => {
    const clock = createVirtualClock("2026-03-05T09:00:00+08:00");
    const engine = createEngine({ definitions: [hungTask], clock, taskPatienceMs: 10, handlers: { erp: () => new Promise(() => undefined) } });
    const q = await engine.start("wf", { initiator: "user:li" });
    const began = performance.now();
    await within(clock.advanceBy("PT1H"), 10_000, "advanceBy");
    expect(performance.now() - began).toBeLessThan(2_000);
    expect((await engine.get(q.id))!.outcome).toBe("rejected");
    expect(() => createEngine({ definitions: [hungTask], taskPatienceMs: -1 })).toThrow(/taskPatienceMs: expected a number of milliseconds >= 0, got -1/);
    await engine.close();
  });

  it("on the system clock: unchanged, the timeout fires in real time, retries, then onError", async () => {
    const def = workflow({ t: { type: "task", handler: "erp", timeout: "PT0.2S", retries: { max: 1, backoff: "PT0.1S" }, next: "approved", onError: "rejected" }, ...ENDS });
    const calls: number[] = [];
    const engine = createEngine({
      definitions: [def],
      clock: createSystemClock(),
      handlers: {
        erp: (_i, ctx) => {
          calls.push(ctx.attempt);
          return new Promise(() => undefined);
        },
      },
    });
    const q = await engine.start("wf", { initiator: "user:li" });
    await vi.waitFor(async () => expect((await engine.get(q.id))!.status).toBe("completed"), { timeout: 5_000, interval: 50 });
    expect((await engine.get(q.id))!.outcome).toBe("rejected");
    expect(calls).toEqual([1, 2]);
    expect((await engine.audit(q.id)).slice(1).map((a) => a.event["purpose"])).toEqual(["timeout", "retry", "timeout"]);
    await engine.close();
  });

  it("on the system clock: settle() still waits for a task call however long it takes", async () => {
    const def = workflow({ t: { type: "task", handler: "erp", next: "approved" }, ...ENDS });
    const engine = createEngine({ definitions: [def], clock: createSystemClock(), taskPatienceMs: 10, handlers: { erp: () => new Promise((resolve) => setTimeout(() => resolve("late"), 150)) } });
    const q = await engine.start("wf", { initiator: "user:li" });
    await engine.settle();
    expect((await engine.get(q.id))!).toMatchObject({ outcome: "approved", results: { t: "late" } });
    await engine.close();
  });
});
