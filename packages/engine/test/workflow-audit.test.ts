/** The audit log: one record per committed change, with who, what, when, definition version, before and after. */
import { describe, expect, it } from "vitest";
import type { AuditRecord } from "../src/runtime/ports.js";
import { ENDS, cst, expectRefused, rig, workflow } from "./workflow-helpers.js";

const def = workflow({
  first: { type: "approval", assignees: ["user:a"], onApprove: "second", onReject: "rejected", escalation: [{ after: "PT1H", action: "remind" }] },
  second: { type: "approval", mode: "all", assignees: ["user:b", "user:c"], onApprove: "approved", onReject: "rejected" },
  ...ENDS,
});

/** Checks every audit log must pass: contiguous versions, chained before/after, matching the stored instance. */
function expectWellFormed(audit: AuditRecord[], instance: { version: number; state: unknown; status: string }): void {
  expect(audit.map((a) => a.version)).toEqual(audit.map((_, i) => i + 1));
  expect(audit[0]!.before).toBeNull();
  for (let i = 1; i < audit.length; i++) expect(audit[i]!.before).toEqual(audit[i - 1]!.after);
  expect(audit.at(-1)!.after).toEqual({ value: instance.state, status: instance.status });
  expect(audit.at(-1)!.version).toBe(instance.version);
  for (let i = 1; i < audit.length; i++) expect(audit[i]!.at).toBeGreaterThanOrEqual(audit[i - 1]!.at);
  expect(new Set(audit.map((a) => a.id)).size).toBe(audit.length);
}

describe("audit", () => {
  it("records every change: who, what, when, definition version, before and after; refusals record nothing", async () => {
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li", input: { amount: 5 } });
    await expectRefused(r, q.id, { type: "approve", actor: "user:b" });
    await r.clock.advanceBy("PT90M");
    await r.engine.send(q.id, { type: "delegate", actor: "user:a", to: "user:x" });
    await r.clock.advanceBy("PT10M");
    await r.engine.send(q.id, { type: "approve", actor: "user:x", comment: "for a" });
    await r.engine.send(q.id, { type: "cc", actor: "user:b", to: ["user:y"] });
    await r.engine.send(q.id, { type: "reject", actor: "user:c", to: "initiator", comment: "missing annex" });
    await r.engine.send(q.id, { type: "resubmit", actor: "user:li" });
    await r.engine.send(q.id, { type: "withdraw", actor: "user:li", comment: "later" });
    await expectRefused(r, q.id, { type: "resubmit", actor: "user:li" });
    const audit = await r.engine.audit(q.id);
    expect(audit.map((a) => `${a.version} ${cst(a.at).slice(11, 16)} ${a.actor} ${a.action} ${JSON.stringify(a.before?.value ?? null)} -> ${JSON.stringify(a.after.value)} ${a.after.status}${a.comment ? ` "${a.comment}"` : ""}`)).toEqual([
      '1 09:00 user:li start null -> "first" running',
      '2 10:00 timer timer "first" -> "first" running',
      '3 10:30 user:a delegate "first" -> "first" running',
      '4 10:40 user:x approve "first" -> "second" running "for a"',
      '5 10:40 user:b cc "second" -> "second" running',
      '6 10:40 user:c reject "second" -> "__returned" running "missing annex"',
      '7 10:40 user:li resubmit "__returned" -> "second" running',
      '8 10:40 user:li withdraw "second" -> "__withdrawn" withdrawn "later"',
    ]);
    for (const a of audit) expect(a).toMatchObject({ instanceId: q.id, definitionId: "wf", definitionVersion: 1 });
    expect(audit[0]!.event).toMatchObject({ type: "start", input: { amount: 5 } });
    expect(audit[1]!.event).toMatchObject({ type: "timer", key: "esc:first", generation: 1, dueAt: Date.parse("2026-03-05T10:00:00+08:00") });
    expect(audit[2]!.event).toMatchObject({ type: "delegate", actor: "user:a", to: "user:x" });
    expectWellFormed(audit, { ...(await r.storage.getInstance(q.id))!, state: (await r.storage.getInstance(q.id))!.state.value });
  });

  it("instances keep the definition version they started with; the audit names it", async () => {
    const v1 = workflow(
      { step: { type: "approval", assignees: ["user:a"], onApprove: "approved", onReject: "rejected" }, ...ENDS },
      { version: 1, effective: { from: "2026-01-01T00:00:00+08:00" } },
    );
    const v2 = workflow(
      { step: { type: "approval", assignees: ["user:b"], onApprove: "approved", onReject: "rejected" }, ...ENDS },
      { version: 2, effective: { from: "2026-03-06T00:00:00+08:00" } },
    );
    const r = rig({ definitions: [v1, v2] });
    const old = await r.engine.start("wf", { initiator: "user:li" });
    await r.clock.advanceBy("P1D");
    const fresh = await r.engine.start("wf", { initiator: "user:li" });
    expect([old.definitionVersion, old.assignees, fresh.definitionVersion, fresh.assignees]).toEqual([1, ["user:a"], 2, ["user:b"]]);
    await r.engine.send(old.id, { type: "approve", actor: "user:a" });
    expect((await r.engine.audit(old.id)).map((a) => a.definitionVersion)).toEqual([1, 1]);
    expect((await r.engine.audit(fresh.id)).map((a) => a.definitionVersion)).toEqual([2]);
  });

  it("an engine missing the instance's definition version refuses with a clear error", async () => {
    const v1 = workflow({ step: { type: "approval", assignees: ["user:a"], onApprove: "approved", onReject: "rejected" }, ...ENDS }, { version: 1 });
    const v2 = workflow({ step: { type: "approval", assignees: ["user:b"], onApprove: "approved", onReject: "rejected" }, ...ENDS }, { version: 2 });
    const r = rig({ definitions: [v1] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    const upgraded = rig({ definitions: [v2], storage: r.storage, clock: r.clock });
    await expect(upgraded.engine.send(q.id, { type: "approve", actor: "user:a" })).rejects.toThrow(/workflow "wf" version 1 is not loaded/);
    expect(await upgraded.engine.audit(q.id)).toHaveLength(1);
  });

  it("task results, domain events and host cancellations are attributed to system or the host's actor", async () => {
    const d = workflow({
      t: { type: "task", handler: "h", next: "w" },
      w: { type: "wait", event: "paid", next: "approved" },
      ...ENDS,
    });
    const r = rig({ definitions: [d], handlers: { h: () => 1 } });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.settle();
    await r.engine.emit({ type: "paid" });
    const q2 = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.settle();
    await r.engine.cancel(q2.id, { actor: "user:admin" });
    expect((await r.engine.audit(q.id)).map((a) => `${a.actor} ${a.action}`)).toEqual(["user:li start", "system task.done", "system domain"]);
    expect((await r.engine.audit(q2.id)).map((a) => `${a.actor} ${a.action}`)).toEqual(["user:li start", "system task.done", "user:admin cancel"]);
  });
});
