/** Escalation ladders on approval, task and wait nodes: timing, actions, cancellation. */
import { describe, expect, it } from "vitest";
import { ENDS, approvalWorkflow, cst, expectRefused, rig, sentLines, slots, workflow } from "./workflow-helpers.js";

const timersOf = (r: ReturnType<typeof rig>): string[] => r.storage.snapshot().timers.map((t) => `${t.key}@${cst(t.dueAt)}`);

describe("escalation ladders", () => {
  it("each step counts from the previous one: remind (repeated), escalate, auto-reject", async () => {
    const def = approvalWorkflow({
      mode: "all",
      assignees: ["user:a", "user:b"],
      escalation: [
        { after: "PT1H", action: "remind", repeat: 2 },
        { after: "PT2H", action: "escalate", to: "role:compliance-lead" },
        { after: "P1D", action: "auto-reject" },
      ],
    });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    expect(timersOf(r)).toEqual(["esc:step@2026-03-05T10:00:00+08:00"]);
    await r.clock.advanceBy("PT30M");
    await r.engine.send(q.id, { type: "approve", actor: "user:a" });
    await r.clock.advanceBy("P3D");
    expect(sentLines(r.notifier.sent)).toEqual([
      "2026-03-05T09:00:00+08:00 approval-requested -> user:a",
      "2026-03-05T09:00:00+08:00 approval-requested -> user:b",
      "2026-03-05T10:00:00+08:00 approval-reminder -> user:b",
      "2026-03-05T11:00:00+08:00 approval-reminder -> user:b",
      "2026-03-05T12:00:00+08:00 approval-reminder -> user:b",
      "2026-03-05T14:00:00+08:00 approval-escalated -> user:boss",
      "2026-03-06T14:00:00+08:00 done-rejected -> user:li",
    ]);
    expect(r.notifier.sent[5]!.data).toMatchObject({ node: "step", waitingOn: ["user:b"], step: 1, action: "escalate" });
    expect((await r.engine.get(q.id))!).toMatchObject({ status: "completed", outcome: "rejected" });
    expect(r.storage.snapshot().timers).toEqual([]);
  });

  it("escalate: the target may act for the current approvers and sees it in their inbox", async () => {
    const def = approvalWorkflow({ mode: "sequential", assignees: ["user:a", "user:b"], escalation: [{ after: "PT4H", action: "escalate", to: "user:boss" }] });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await expectRefused(r, q.id, { type: "approve", actor: "user:boss" }, /not a current approver/);
    await r.clock.advanceBy("PT4H");
    expect((await r.engine.inbox("user:boss")).map((i) => i.id)).toEqual([q.id]);
    let v = await r.engine.send(q.id, { type: "approve", actor: "user:boss", comment: "on behalf of a" });
    expect(v.approvals["step"]!.approvers[0]).toMatchObject({ user: "user:a", status: "approved", actedBy: "user:boss" });
    // the escalation stays with the step: the boss may act for the next approver too
    expect(v.assignees).toEqual(["user:b", "user:boss"]);
    v = await r.engine.send(q.id, { type: "approve", actor: "user:b" });
    expect(v.outcome).toBe("approved");
  });

  it("reassign: the current approver is replaced and the new one is asked", async () => {
    const def = approvalWorkflow({ mode: "sequential", assignees: ["user:a", "user:b"], escalation: [{ after: "PT2H", action: "reassign", to: "manager-of:initiator" }] });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.clock.advanceBy("PT3H");
    const v = (await r.engine.get(q.id))!;
    expect(slots(v)).toEqual(["user:zhao:pending", "user:b:pending"]);
    expect(v.assignees).toEqual(["user:zhao"]);
    expect(sentLines(r.notifier.sent).at(-1)).toBe("2026-03-05T11:00:00+08:00 approval-requested -> user:zhao");
    await expectRefused(r, q.id, { type: "approve", actor: "user:a" });
    await r.engine.send(q.id, { type: "approve", actor: "user:zhao" });
    expect((await r.engine.get(q.id))!.assignees).toEqual(["user:b"]);
  });

  it("auto-approve moves on to onApprove; notify tells its target", async () => {
    const def = approvalWorkflow({
      assignees: ["user:a"],
      escalation: [
        { after: "PT1H", action: "notify", to: "role:compliance-lead", template: "sla-warning" },
        { after: "PT1H", action: "notify" },
        { after: "PT1H", action: "auto-approve" },
      ],
    });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.clock.advanceBy("PT5H");
    expect(sentLines(r.notifier.sent)).toEqual([
      "2026-03-05T09:00:00+08:00 approval-requested -> user:a",
      "2026-03-05T10:00:00+08:00 sla-warning -> user:boss",
      "2026-03-05T11:00:00+08:00 escalation -> user:li",
      "2026-03-05T12:00:00+08:00 done-approved -> user:li",
    ]);
    expect((await r.engine.get(q.id))!).toMatchObject({ outcome: "approved" });
    expect((await r.engine.audit(q.id)).at(-1)).toMatchObject({ actor: "timer", action: "timer", after: { value: "approved" } });
  });

  it("leaving the node cancels the ladder", async () => {
    const def = approvalWorkflow({ assignees: ["user:a"], escalation: [{ after: "PT1H", action: "remind" }, { after: "PT1H", action: "auto-reject" }] });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.clock.advanceBy("PT90M");
    expect(timersOf(r)).toEqual(["esc:step@2026-03-05T11:00:00+08:00"]);
    await r.engine.send(q.id, { type: "approve", actor: "user:a" });
    expect(r.storage.snapshot().timers).toEqual([]);
    await r.clock.advanceBy("P2D");
    expect(r.notifier.sent.map((n) => n.template)).toEqual(["approval-requested", "approval-reminder", "done-approved"]);
    expect((await r.engine.audit(q.id)).map((a) => a.action)).toEqual(["start", "timer", "approve"]);
  });

  it("re-entering a node starts its ladder again from the new entry", async () => {
    const def = workflow({
      first: { type: "approval", assignees: ["user:a"], onApprove: "second", onReject: "rejected" },
      second: { type: "approval", assignees: ["user:b"], onApprove: "approved", onReject: "rejected", escalation: [{ after: "PT2H", action: "remind" }] },
      ...ENDS,
    });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "approve", actor: "user:a" });
    await r.clock.advanceBy("PT1H");
    await r.engine.send(q.id, { type: "reject", actor: "user:b", to: "previous" });
    expect(r.storage.snapshot().timers).toEqual([]);
    await r.clock.advanceBy("PT1H");
    await r.engine.send(q.id, { type: "approve", actor: "user:a" });
    expect(timersOf(r)).toEqual(["esc:second@2026-03-05T13:00:00+08:00"]);
    await r.clock.advanceBy("PT3H");
    expect(sentLines(r.notifier.sent).filter((l) => l.includes("reminder"))).toEqual(["2026-03-05T13:00:00+08:00 approval-reminder -> user:b"]);
  });

  it("business time on the workflow calendar: working hours, lunch break, weekend", async () => {
    const def = approvalWorkflow(
      {
        assignees: ["user:a"],
        escalation: [
          { after: "PT3H", business: true, action: "remind" },
          { after: "PT3H", business: true, action: "escalate", to: "user:boss" },
          { after: "P2D", business: true, action: "auto-reject" },
        ],
      },
      { calendar: "cn-mainland" },
    );
    const r = rig({ definitions: [def], start: "2026-03-05T17:00:00+08:00" });
    await r.engine.start("wf", { initiator: "user:li" });
    await r.clock.advanceBy("P7D");
    expect(sentLines(r.notifier.sent)).toEqual([
      "2026-03-05T17:00:00+08:00 approval-requested -> user:a",
      // Thu 17:00-18:00 is 1h, Fri 09:00-11:00 the other 2
      "2026-03-06T11:00:00+08:00 approval-reminder -> user:a",
      // 11:00-12:00, lunch, 13:30-15:30
      "2026-03-06T15:30:00+08:00 approval-escalated -> user:boss",
      // two working days after Friday 15:30: Monday, Tuesday
      "2026-03-10T15:30:00+08:00 done-rejected -> user:li",
    ]);
  });

  it("business time needs a calendar", () => {
    const def = approvalWorkflow({ assignees: ["user:a"], escalation: [{ after: "PT3H", business: true, action: "remind" }] });
    expect(() => rig({ definitions: [def] })).toThrow(/business time needs the workflow to name a "calendar"/);
  });

  it("escalate and reassign need a target", () => {
    const def = approvalWorkflow({ assignees: ["user:a"], escalation: [{ after: "PT3H", action: "escalate" }] });
    expect(() => rig({ definitions: [def] })).toThrow(/"escalate" needs "to"/);
  });

  it("on a task node: remind the responsible person, then give up through onError", async () => {
    const def = workflow({
      invoice: {
        type: "task",
        handler: "create-invoice",
        assignee: "role:ops",
        retries: { max: 5, backoff: "PT1H" },
        escalation: [
          { after: "PT30M", action: "remind" },
          { after: "PT1H", action: "auto-reject" },
        ],
        next: "approved",
        onError: "rejected",
      },
      ...ENDS,
    });
    const calls: string[] = [];
    const r = rig({
      definitions: [def],
      handlers: {
        "create-invoice": (_input, ctx) => {
          calls.push(`${ctx.attempt}`);
          throw new Error("ERP unavailable");
        },
      },
    });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.clock.advanceBy("P1D");
    expect(calls).toEqual(["1", "2"]);
    expect(sentLines(r.notifier.sent)).toEqual([
      "2026-03-05T09:30:00+08:00 approval-reminder -> user:ops",
      "2026-03-05T10:30:00+08:00 done-rejected -> user:li",
    ]);
    expect((await r.engine.get(q.id))!).toMatchObject({ outcome: "rejected" });
    expect(r.storage.snapshot().timers).toEqual([]);
  });

  it("on a wait node: notify, then auto-approve continues as if the event came; auto-reject takes onTimeout", async () => {
    const nodes = (last: string) => ({
      signed: {
        type: "wait",
        event: "contract.signed",
        escalation: [
          { after: "P1D", action: "notify", to: "initiator", template: "still-unsigned" },
          { after: "P1D", action: last },
        ],
        next: "approved",
        onTimeout: "rejected",
      },
      ...ENDS,
    });
    for (const [last, outcome] of [["auto-approve", "approved"], ["auto-reject", "rejected"]] as const) {
      const r = rig({ definitions: [workflow(nodes(last))] });
      const q = await r.engine.start("wf", { initiator: "user:li" });
      await r.clock.advanceBy("P3D");
      expect(sentLines(r.notifier.sent)).toEqual([
        "2026-03-06T09:00:00+08:00 still-unsigned -> user:li",
        `2026-03-07T09:00:00+08:00 done-${outcome} -> user:li`,
      ]);
      expect((await r.engine.get(q.id))!.outcome).toBe(outcome);
    }
  });
});
