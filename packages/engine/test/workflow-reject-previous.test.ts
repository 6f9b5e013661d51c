/** Reject to "previous": inside a sequential chain it goes back one approver; with nowhere to go it is refused. */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { applyApproval, chainReturnSeats, currentSlots, enterApproval } from "../src/workflow/approval.js";
import { ENDS, approvalWorkflow, expectRefused, rig, sentLines, slots, workflow } from "./workflow-helpers.js";

describe('reject to "previous" inside one sequential approval step', () => {
  it("goes back to the previous approver of the chain, who decides again; the rejecting approver waits", async () => {
    const r = rig({ definitions: [approvalWorkflow({ mode: "sequential", assignees: ["user:a", "user:b", "user:c"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "approve", actor: "user:a" });
    await r.engine.send(q.id, { type: "approve", actor: "user:b" });
    let v = await r.engine.send(q.id, { type: "reject", actor: "user:c", to: "previous", comment: "b: check the margin" });
    expect(v).toMatchObject({ status: "running", state: "step", assignees: ["user:b"] });
    expect(slots(v)).toEqual(["user:a:approved", "user:b:pending", "user:c:pending"]);
    expect(v.approvals["step"]!.approvers[1]).toMatchObject({ returnedBy: "user:c", returnComment: "b: check the margin" });
    await r.engine.settle();
    expect(r.notifier.sent.at(-1)).toMatchObject({ template: "request-returned", recipients: ["user:b"], data: expect.objectContaining({ node: "step", by: "user:c", comment: "b: check the margin" }) });
    expect((await r.engine.audit(q.id)).at(-1)).toMatchObject({ actor: "user:c", action: "reject", event: { to: "previous", returnedTo: ["user:b"] } });
    await expectRefused(r, q.id, { type: "approve", actor: "user:c" }, /not a current approver/);
    // b approves again, then c decides
    await r.engine.send(q.id, { type: "approve", actor: "user:b" });
    v = await r.engine.send(q.id, { type: "approve", actor: "user:c" });
    expect(v.outcome).toBe("approved");
  });

  it("skips approvers who passed automatically", async () => {
    const def = approvalWorkflow({ mode: "sequential", assignees: ["user:a", "user:li", "user:c"], selfApproval: "auto-pass" });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "approve", actor: "user:a" });
    const v = await r.engine.send(q.id, { type: "reject", actor: "user:c", to: "previous" });
    expect(slots(v)).toEqual(["user:a:pending", "user:li:auto-passed", "user:c:pending"]);
    expect(v.assignees).toEqual(["user:a"]);
  });

  it("from the first approver of the chain it goes to the previous waiting step, as from any step", async () => {
    const def = workflow({
      draft: { type: "approval", assignees: ["user:d"], onApprove: "review", onReject: "rejected" },
      review: { type: "approval", mode: "sequential", assignees: ["user:a", "user:b"], onApprove: "approved", onReject: "rejected" },
      ...ENDS,
    });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "approve", actor: "user:d" });
    const v = await r.engine.send(q.id, { type: "reject", actor: "user:a", to: "previous" });
    expect(v).toMatchObject({ state: "draft", assignees: ["user:d"] });
  });

  it("with no earlier approver and no earlier step it is refused with the reason, never a silent jump to the initiator", async () => {
    const r = rig({ definitions: [approvalWorkflow({ mode: "sequential", assignees: ["user:a", "user:b"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await expectRefused(r, q.id, { type: "reject", actor: "user:a", to: "previous" }, /no earlier approver or step to send it back to.*"initiator"/);
    const v = await r.engine.send(q.id, { type: "reject", actor: "user:a", to: "initiator" });
    expect(v.state).toBe("__returned");
    expect(sentLines(r.notifier.sent)).toContain("2026-03-05T09:00:00+08:00 approval-requested -> user:a");
  });

  it("in a countersign (all) there is no chain: previous is the previous step", async () => {
    const def = workflow({
      draft: { type: "approval", assignees: ["user:d"], onApprove: "sign", onReject: "rejected" },
      sign: { type: "approval", mode: "all", assignees: ["user:a", "user:b"], onApprove: "approved", onReject: "rejected" },
      ...ENDS,
    });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "approve", actor: "user:d" });
    await r.engine.send(q.id, { type: "approve", actor: "user:a" });
    const v = await r.engine.send(q.id, { type: "reject", actor: "user:b", to: "previous" });
    expect(v).toMatchObject({ state: "draft", assignees: ["user:d"] });
  });
});

describe('property: "previous" walks back along a sequential chain, one approver at a time', () => {
  const USERS = ["user:a", "user:b", "user:c", "user:d", "user:e"];
  const step = fc.record({ back: fc.boolean(), weight: fc.integer({ min: 0, max: 9 }) });
  test.prop([fc.integer({ min: 1, max: 5 }), fc.array(step, { maxLength: 30 })], { seed: 20260306, numRuns: 300 })("the chain is approved in order up to the current seat; returns never decide it", (n, steps) => {
    let s = enterApproval({ mode: "sequential", users: USERS.slice(0, n), initiator: "user:li", approvedBefore: [], selfApproval: "require", repeatApproval: "require", at: 0 });
    let at = 0;
    for (const st of steps) {
      if (s.outcome) break;
      const current = currentSlots(s)[0]!;
      const back = chainReturnSeats(s).map((x) => x.user);
      const action = st.back
        ? ({ type: "reject", actor: current.user, to: "previous", at: ++at } as const)
        : ({ type: "approve", actor: current.user, at: ++at } as const);
      if (st.back && back.length === 0) continue; // the engine refuses it (or leaves the step): nothing earlier in this chain
      s = applyApproval(s, action);
      const pos = s.slots.findIndex((x) => x.status === "pending");
      if (st.back) {
        expect(s.outcome).toBeUndefined();
        // the previous approver is the one asked now; the returner waits behind them
        expect(currentSlots(s).map((x) => x.user)).toEqual(back);
        expect(s.slots[pos]).toMatchObject({ returnedBy: current.user });
      }
      // everything before the current seat is approved; everything after it waits
      if (!s.outcome) {
        expect(s.slots.slice(0, pos).every((x) => x.status === "approved")).toBe(true);
        expect(s.slots.slice(pos).every((x) => x.status === "pending")).toBe(true);
      }
    }
    if (s.outcome) expect(s.slots.every((x) => x.status === "approved")).toBe(true);
  });
});
