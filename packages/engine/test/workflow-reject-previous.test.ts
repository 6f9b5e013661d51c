/** Reject to "previous": inside a sequential chain it goes back one approver; with nowhere to go it is refused. */
import { describe, expect, it } from "vitest";
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
