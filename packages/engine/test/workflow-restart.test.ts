/**
 * Restarts: an engine stops, a new one starts on the same (or a copied)
 * storage later on. Overdue timers fire in due order, the others keep their
 * deadlines, nothing fires twice, a closed engine fires nothing.
 */
import { describe, expect, it } from "vitest";
import { createVirtualClock } from "../src/runtime/clock.js";
import type { EngineEvent } from "../src/runtime/engine.js";
import { createMemoryStorage } from "../src/runtime/memory-storage.js";
import { ENDS, approvalWorkflow, cst, rig, sentLines, workflow } from "./workflow-helpers.js";

const ladder = approvalWorkflow({
  assignees: ["user:a"],
  escalation: [
    { after: "PT1H", action: "remind" },
    { after: "PT1H", action: "escalate", to: "user:boss" },
    { after: "PT1H", action: "auto-reject" },
  ],
});
const waiting = workflow({ w: { type: "wait", after: "PT5H", next: "approved" }, ...ENDS }, { id: "waiting" });

const timers = (s: { snapshot(): { timers: { id: string; dueAt: number }[] } }): string[] => s.snapshot().timers.map((t) => `${t.id}@${cst(t.dueAt).slice(11, 16)}`).sort();

describe("restart", () => {
  it("on a copy of storage, later: overdue timers fire in due order at the restart, the rest keep their deadlines", async () => {
    const r = rig({ definitions: [ladder, waiting] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.clock.advanceBy("PT10M");
    const w = await r.engine.start("waiting", { initiator: "user:li" });
    await r.clock.advanceBy("PT20M");
    await r.engine.close();
    expect(timers(r.storage)).toEqual([`${q.id}/esc:step/1@10:00`, `${w.id}/wait:w/1@14:10`]);

    // A restart is a new process: nothing in memory survives, only storage.
    // So the new engine gets its own clock, set to the time it comes back up.
    const clock = createVirtualClock("2026-03-05T11:30:00+08:00");
    const r2 = rig({ definitions: [ladder, waiting], storage: createMemoryStorage(r.storage.snapshot()), clock, notifier: r.notifier, ids: r.ids });
    const fired: string[] = [];
    r2.engine.events$.subscribe((e: EngineEvent) => e.type === "timer.fired" && fired.push(`${e.key}@${cst(e.at).slice(11, 16)}`));
    await clock.advanceBy(0);
    // remind (due 10:00) and escalate (due 11:00, counted from the remind's deadline) ran late, in order
    expect(fired).toEqual(["esc:step@11:30", "esc:step@11:30"]);
    expect(sentLines(r.notifier.sent)).toEqual([
      "2026-03-05T09:00:00+08:00 approval-requested -> user:a",
      "2026-03-05T11:30:00+08:00 approval-reminder -> user:a",
      "2026-03-05T11:30:00+08:00 approval-escalated -> user:boss",
    ]);
    // the auto-reject keeps the deadline it would have had without the outage; the wait keeps its own
    expect(timers(r2.storage)).toEqual([`${q.id}/esc:step/3@12:00`, `${w.id}/wait:w/1@14:10`]);
    await clock.advanceBy("PT5H");
    expect(fired).toEqual(["esc:step@11:30", "esc:step@11:30", "esc:step@12:00", "wait:w@14:10"]);
    expect((await r2.engine.get(q.id))!).toMatchObject({ outcome: "rejected", updatedAt: "2026-03-05T04:00:00.000Z" });
    expect((await r2.engine.get(w.id))!).toMatchObject({ outcome: "approved", updatedAt: "2026-03-05T06:10:00.000Z" });
    // each timer key/generation fired exactly once
    const keys = (await r2.engine.audit(q.id)).filter((a) => a.action === "timer").map((a) => `${String(a.event["key"])}/${String(a.event["generation"])}`);
    expect(keys).toEqual(["esc:step/1", "esc:step/2", "esc:step/3"]);
  });

  it("overdue timers of several instances fire in due order across instances", async () => {
    const defs = [0, 1, 2].map((i) => workflow({ w: { type: "wait", after: `PT${3 - i}H`, next: "approved" }, ...ENDS }, { id: `w${i}` }));
    const r = rig({ definitions: defs });
    const ids = [];
    for (const i of [0, 1, 2]) ids.push((await r.engine.start(`w${i}`, { initiator: "user:li" })).id);
    await r.engine.close();
    const clock = createVirtualClock("2026-03-05T18:00:00+08:00");
    const r2 = rig({ definitions: defs, storage: createMemoryStorage(r.storage.snapshot()), clock, ids: r.ids });
    const order: string[] = [];
    r2.engine.events$.subscribe((e) => e.type === "instance.finished" && order.push(e.instanceId));
    await clock.advanceBy(0);
    expect(order).toEqual([ids[2], ids[1], ids[0]]);
  });

  it("on the same storage object and the same clock: the closed engine fires nothing, the new one fires each timer once", async () => {
    const r = rig({ definitions: [ladder] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    const oldFired: string[] = [];
    r.engine.events$.subscribe((e) => e.type === "timer.fired" && oldFired.push(e.key));
    await r.engine.close();
    // a closed engine with nobody else around: time passes, nothing happens
    await r.clock.advanceBy("PT90M");
    expect(oldFired).toEqual([]);
    expect((await r.engine.audit(q.id)).map((a) => a.action)).toEqual(["start"]);
    const r2 = rig({ definitions: [ladder], storage: r.storage, clock: r.clock, notifier: r.notifier, ids: r.ids });
    await r.clock.advanceBy("PT3H");
    expect(oldFired).toEqual([]);
    expect((await r2.engine.audit(q.id)).map((a) => `${a.action}@${cst(a.at).slice(11, 16)}`)).toEqual(["start@09:00", "timer@10:30", "timer@11:00", "timer@12:00"]);
  });

  it("closing the engine while it fires timers stops it cleanly; the rest wait for the next engine", async () => {
    const def = workflow({ w: { type: "wait", after: "PT1H", next: "approved" }, ...ENDS });
    const r = rig({ definitions: [def] });
    const a = await r.engine.start("wf", { initiator: "user:li" });
    const b = await r.engine.start("wf", { initiator: "user:li" });
    r.engine.events$.subscribe((e) => {
      if (e.type === "timer.fired") void r.engine.close();
    });
    await r.clock.advanceBy("PT2H");
    expect([(await r.engine.get(a.id))!.status, (await r.engine.get(b.id))!.status]).toEqual(["completed", "running"]);
    const r2 = rig({ definitions: [def], storage: r.storage, clock: r.clock, ids: r.ids });
    await r2.clock.advanceBy(0);
    expect((await r2.engine.get(b.id))!.status).toBe("completed");
  });

  it("a closed engine with a hung task call does not hold up a clock it shared", async () => {
    const def = workflow({ t: { type: "task", handler: "h", next: "approved" }, ...ENDS }, { id: "hung" });
    const r = rig({ definitions: [def], handlers: { h: () => new Promise(() => undefined) } });
    await r.engine.start("hung", { initiator: "user:li" });
    await r.engine.close();
    const other = rig({ definitions: [ladder], clock: r.clock });
    const q = await other.engine.start("wf", { initiator: "user:li" });
    await r.clock.advanceBy("PT5H");
    expect((await other.engine.get(q.id))!.outcome).toBe("rejected");
  });

  it("a task call pending at the crash is made by the next engine", async () => {
    const def = workflow({ t: { type: "task", handler: "h", next: "approved" }, ...ENDS });
    let calls = 0;
    // the crash: storage as it was while the first engine's handler call was under way
    const storage = createMemoryStorage();
    const pre = rig({ definitions: [def], storage, handlers: { h: () => new Promise(() => undefined) } });
    const p = await pre.engine.start("wf", { initiator: "user:li" });
    const copy = createMemoryStorage(storage.snapshot());
    await pre.engine.close();
    expect(copy.snapshot().outbox.map((o) => `${o.kind}:${o.status}`)).toEqual(["task:pending"]);
    const clock = createVirtualClock(pre.clock.now());
    const post = rig({ definitions: [def], storage: copy, clock, handlers: { h: () => ++calls }, ids: pre.ids });
    await post.engine.settle();
    expect(calls).toBe(1);
    expect((await post.engine.get(p.id))!).toMatchObject({ outcome: "approved", results: { t: 1 } });
  });
});
