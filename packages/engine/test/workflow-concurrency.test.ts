/** Two engines on one storage: conflicting writes are retried on fresh state or reported, never merged. */
import { describe, expect, it } from "vitest";
import { isRuleflowError } from "../src/core/errors.js";
import { createVirtualClock } from "../src/runtime/clock.js";
import { createMemoryNotifier } from "../src/runtime/defaults.js";
import { createMemoryStorage, type MemoryStorage } from "../src/runtime/memory-storage.js";
import { approvalWorkflow, counter, rig, slots } from "./workflow-helpers.js";

/**
 * Views of one storage whose commits wait until `parties` loads of the
 * instance happened: both engines read version N before either writes.
 */
function raceOn(storage: MemoryStorage, parties: number): MemoryStorage[] {
  let loads = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const view = (): MemoryStorage => ({
    ...storage,
    async getInstance(id) {
      const i = await storage.getInstance(id);
      if (++loads === parties) open();
      return i;
    },
    async commit(c) {
      await opened;
      return storage.commit(c);
    },
  });
  return Array.from({ length: parties }, view);
}

async function twoEngines(def: Record<string, unknown>, maxConflictRetries?: number) {
  const storage = createMemoryStorage();
  const clock = createVirtualClock("2026-03-05T09:00:00+08:00");
  const notifier = createMemoryNotifier();
  const setup = rig({ definitions: [def], storage, clock, notifier });
  const q = await setup.engine.start("wf", { initiator: "user:li" });
  await setup.engine.settle();
  const [sa, sb] = raceOn(storage, 2);
  const opts = (s: MemoryStorage, p: string) => ({ definitions: [def], storage: s, clock, notifier, ids: counter(p), maxConflictRetries });
  const a = rig(opts(sa!, "a"));
  const b = rig(opts(sb!, "b"));
  await Promise.all([a.engine.ready, b.engine.ready]);
  return { storage, clock, notifier, id: q.id, a: a.engine, b: b.engine };
}

describe("concurrency", () => {
  it("two decisions on an or-sign step: one wins, the other is retried on the new state and refused", async () => {
    const t = await twoEngines(approvalWorkflow({ mode: "any", assignees: ["user:fin1", "user:fin2"] }));
    const [ra, rb] = await Promise.allSettled([
      t.a.send(t.id, { type: "approve", actor: "user:fin1" }),
      t.b.send(t.id, { type: "reject", actor: "user:fin2" }),
    ]);
    const results = [ra, rb];
    const won = results.filter((x) => x.status === "fulfilled");
    const lost = results.filter((x): x is PromiseRejectedResult => x.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(isRuleflowError(lost[0]!.reason) && lost[0]!.reason.code).toBe("NOT_ALLOWED");
    expect(String((lost[0]!.reason as Error).message)).toMatch(/the instance is completed/);
    const v = (await t.a.get(t.id))!;
    expect(v.version).toBe(2);
    const audit = await t.a.audit(t.id);
    expect(audit.map((x) => `${x.version} ${x.action} ${x.actor}`)).toEqual(["1 start user:li", `2 ${v.outcome === "approved" ? "approve user:fin1" : "reject user:fin2"}`]);
    // exactly one slot acted: nothing of the loser was merged in
    expect(slots(v).filter((s) => !s.endsWith(":pending"))).toHaveLength(1);
  });

  it("with no retries allowed the loser gets a ConcurrencyError and nothing of it is written", async () => {
    const t = await twoEngines(approvalWorkflow({ mode: "all", assignees: ["user:fin1", "user:fin2"] }), 0);
    const results = await Promise.allSettled([
      t.a.send(t.id, { type: "approve", actor: "user:fin1", comment: "a" }),
      t.b.send(t.id, { type: "approve", actor: "user:fin2", comment: "b" }),
    ]);
    const lost = results.filter((x): x is PromiseRejectedResult => x.status === "rejected");
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatchObject({ code: "CONCURRENCY_CONFLICT", expectedVersion: 1, actualVersion: 2 });
    const v = (await t.a.get(t.id))!;
    expect(v.version).toBe(2);
    expect(v.status).toBe("running");
    expect(slots(v).filter((s) => s.endsWith(":approved"))).toHaveLength(1);
    expect((await t.a.audit(t.id)).map((x) => x.version)).toEqual([1, 2]);
  });

  it("compatible operations are both applied, one after the other, each on the state the other left", async () => {
    const t = await twoEngines(approvalWorkflow({ mode: "all", assignees: ["user:fin1", "user:fin2"] }));
    await Promise.all([t.a.send(t.id, { type: "approve", actor: "user:fin1" }), t.b.send(t.id, { type: "approve", actor: "user:fin2" })]);
    const v = (await t.a.get(t.id))!;
    expect(v).toMatchObject({ version: 3, outcome: "approved" });
    const audit = await t.a.audit(t.id);
    expect(audit.map((x) => x.version)).toEqual([1, 2, 3]);
    expect(audit[2]!.before).toEqual(audit[1]!.after);
  });

  it("delegate and transfer by the same approver race: the retried one sees the other's result", async () => {
    const t = await twoEngines(approvalWorkflow({ mode: "all", assignees: ["user:fin1", "user:fin2"] }));
    await Promise.allSettled([
      t.a.send(t.id, { type: "delegate", actor: "user:fin1", to: "user:x" }),
      t.b.send(t.id, { type: "transfer", actor: "user:fin1", to: "user:t" }),
    ]);
    const v = (await t.a.get(t.id))!;
    const audit = (await t.a.audit(t.id)).map((x) => x.action);
    // either order is fine; what must not happen is a state neither order produces
    if (audit[1] === "delegate") {
      expect(audit).toEqual(["start", "delegate", "transfer"]);
      expect(v.approvals["step"]!.approvers[0]).toMatchObject({ user: "user:t", delegates: [] });
    } else {
      expect(audit).toEqual(["start", "transfer"]);
      expect(v.approvals["step"]!.approvers[0]).toMatchObject({ user: "user:t", delegates: [] });
    }
  });

  it("a timer both engines know fires once", async () => {
    const def = approvalWorkflow({ assignees: ["user:a"], escalation: [{ after: "PT1H", action: "remind" }, { after: "PT1H", action: "escalate", to: "user:boss" }] });
    const storage = createMemoryStorage();
    const clock = createVirtualClock("2026-03-05T09:00:00+08:00");
    const notifier = createMemoryNotifier();
    const first = rig({ definitions: [def], storage, clock, notifier, ids: counter("a") });
    const q = await first.engine.start("wf", { initiator: "user:li" });
    const second = rig({ definitions: [def], storage, clock, notifier, ids: counter("b") });
    await second.engine.ready;
    await clock.advanceBy("PT3H");
    const audit = await first.engine.audit(q.id);
    expect(audit.map((x) => `${x.action}:${(x.event["key"] as string | undefined) ?? ""}/${(x.event["generation"] as number | undefined) ?? ""}`)).toEqual(["start:/", "timer:esc:step/1", "timer:esc:step/2"]);
    expect(notifier.sent.map((n) => n.template)).toEqual(["approval-requested", "approval-reminder", "approval-escalated"]);
  });

  it("the same instance id cannot be started twice", async () => {
    const storage = createMemoryStorage();
    const def = approvalWorkflow({ assignees: ["user:a"] });
    const a = rig({ definitions: [def], storage });
    const b = rig({ definitions: [def], storage });
    await a.engine.start("wf", { id: "Q-1", initiator: "user:li" });
    await expect(b.engine.start("wf", { id: "Q-1", initiator: "user:wu" })).rejects.toMatchObject({ code: "CONCURRENCY_CONFLICT" });
    expect((await a.engine.get("Q-1"))!.initiator).toBe("user:li");
  });
});
