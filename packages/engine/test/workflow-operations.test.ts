/** Operations on a running instance and who may perform them; every refusal changes nothing. */
import { describe, expect, it } from "vitest";
import { ENDS, approvalWorkflow, expectRefused, rig, sentLines, slots, workflow } from "./workflow-helpers.js";

/** draft (a) -> review (b, c in sequence) -> sign-off (d), each rejecting to `rejected` by default. */
const chain = workflow({
  draft: { type: "approval", assignees: ["user:a"], onApprove: "review", onReject: "rejected" },
  review: { type: "approval", mode: "sequential", assignees: ["user:b", "user:c"], onApprove: "signoff", onReject: "rejected" },
  signoff: { type: "approval", assignees: ["user:d"], onApprove: "approved", onReject: "rejected" },
  ...ENDS,
});

async function atSignoff() {
  const r = rig({ definitions: [chain] });
  const q = await r.engine.start("wf", { initiator: "user:li" });
  for (const u of ["user:a", "user:b", "user:c"]) await r.engine.send(q.id, { type: "approve", actor: u });
  await r.engine.settle();
  return { r, id: q.id };
}

describe("reject", () => {
  it('without "to", or to "end", goes to onReject', async () => {
    for (const to of [undefined, "end"]) {
      const { r, id } = await atSignoff();
      const v = await r.engine.send(id, { type: "reject", actor: "user:d", ...(to ? { to } : {}) });
      expect(v).toMatchObject({ status: "completed", outcome: "rejected", state: "rejected" });
    }
  });

  it('to "previous" re-opens the previous waiting node with fresh approvers', async () => {
    const { r, id } = await atSignoff();
    const v = await r.engine.send(id, { type: "reject", actor: "user:d", to: "previous", comment: "check the numbers" });
    expect(v.state).toBe("review");
    expect(slots(v, "review")).toEqual(["user:b:pending", "user:c:pending"]);
    expect(v.assignees).toEqual(["user:b"]);
    expect(v.results["signoff"]).toEqual({ outcome: "rejected" });
  });

  it("to a named node visited earlier", async () => {
    const { r, id } = await atSignoff();
    const v = await r.engine.send(id, { type: "reject", actor: "user:d", to: "draft" });
    expect(v.state).toBe("draft");
    expect(v.assignees).toEqual(["user:a"]);
  });

  it("to a node not visited yet, itself, or no node at all is refused", async () => {
    const r = rig({ definitions: [chain] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "approve", actor: "user:a" });
    await expectRefused(r, q.id, { type: "reject", actor: "user:b", to: "signoff" }, /was not visited before/);
    await expectRefused(r, q.id, { type: "reject", actor: "user:b", to: "review" }, /was not visited before/);
    await expectRefused(r, q.id, { type: "reject", actor: "user:b", to: "nowhere" }, /no node "nowhere"/);
  });

  it('to "previous" from the first waiting node is refused: nothing earlier to go back to (the initiator is "to": "initiator")', async () => {
    const r = rig({ definitions: [chain] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await expectRefused(r, q.id, { type: "reject", actor: "user:a", to: "previous" }, /no earlier approver or step/);
  });

  it('to "initiator": the initiator may resubmit (the step starts over) or withdraw; nobody else may', async () => {
    const { r, id } = await atSignoff();
    let v = await r.engine.send(id, { type: "reject", actor: "user:d", to: "initiator", comment: "attach the contract" });
    expect(v).toMatchObject({ status: "running", state: "__returned", assignees: ["user:li"] });
    await r.engine.settle();
    expect(r.notifier.sent.at(-1)).toMatchObject({ template: "request-returned", recipients: ["user:li"], data: expect.objectContaining({ node: "signoff", comment: "attach the contract" }) });
    expect((await r.engine.inbox("user:li")).map((i) => i.id)).toEqual([id]);
    await expectRefused(r, id, { type: "resubmit", actor: "user:d" }, /only the initiator/);
    await expectRefused(r, id, { type: "approve", actor: "user:d" }, /no approval step is waiting/);
    v = await r.engine.send(id, { type: "resubmit", actor: "user:li" });
    expect(v.state).toBe("signoff");
    expect(slots(v, "signoff")).toEqual(["user:d:pending"]);
    await r.engine.send(id, { type: "reject", actor: "user:d", to: "initiator" });
    v = await r.engine.send(id, { type: "withdraw", actor: "user:li" });
    expect(v.status).toBe("withdrawn");
  });

  it('inside a parallel branch, "previous" is the step before the fork, not the branch beside it', async () => {
    const def = workflow({
      pre: { type: "approval", assignees: ["user:p"], onApprove: "fork", onReject: "rejected" },
      fork: { type: "branch", mode: "parallel", branches: [{ to: "legal" }, { to: "finance" }], join: "both" },
      legal: { type: "approval", assignees: ["user:a"], onApprove: "both", onReject: "rejected" },
      finance: { type: "approval", assignees: ["user:b"], onApprove: "both", onReject: "rejected" },
      both: { type: "join", next: "approved" },
      ...ENDS,
    });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "approve", actor: "user:p" });
    await r.engine.send(q.id, { type: "approve", actor: "user:a" });
    await expectRefused(r, q.id, { type: "reject", actor: "user:b", to: "legal" }, /runs in parallel with "finance"/);
    const v = await r.engine.send(q.id, { type: "reject", actor: "user:b", to: "previous" });
    expect(v).toMatchObject({ state: "pre", activeNodes: ["pre"], assignees: ["user:p"] });
    expect(r.storage.snapshot().timers).toEqual([]);
  });

  it("resubmit when nothing was returned is refused", async () => {
    const { r, id } = await atSignoff();
    await expectRefused(r, id, { type: "resubmit", actor: "user:li" });
  });
});

describe("delegate and transfer", () => {
  it("delegate: the delegate may act and is asked; the owner keeps the right", async () => {
    const r = rig({ definitions: [approvalWorkflow({ mode: "all", assignees: ["user:a", "user:b"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    let v = await r.engine.send(q.id, { type: "delegate", actor: "user:a", to: "user:x" });
    expect(v.assignees).toEqual(["user:a", "user:b", "user:x"]);
    expect(v.approvals["step"]!.approvers[0]).toMatchObject({ user: "user:a", delegates: ["user:x"] });
    await r.engine.settle();
    expect(sentLines(r.notifier.sent).at(-1)).toBe("2026-03-05T09:00:00+08:00 approval-requested -> user:x");
    await expectRefused(r, q.id, { type: "delegate", actor: "user:x", to: "user:y" }, /only a current approver/);
    await expectRefused(r, q.id, { type: "transfer", actor: "user:x", to: "user:y" }, /only a current approver/);
    v = await r.engine.send(q.id, { type: "approve", actor: "user:x" });
    expect(v.approvals["step"]!.approvers[0]).toMatchObject({ status: "approved", actedBy: "user:x" });
    await expectRefused(r, q.id, { type: "approve", actor: "user:a" }, /not a current approver/);

    const q2 = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q2.id, { type: "delegate", actor: "user:a", to: "user:x" });
    v = await r.engine.send(q2.id, { type: "approve", actor: "user:a" });
    expect(v.approvals["step"]!.approvers[0]).toMatchObject({ status: "approved", actedBy: "user:a" });
  });

  it("delegate to a role resolves to exactly one user", async () => {
    const r = rig({ definitions: [approvalWorkflow({ assignees: ["user:a"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    const v = await r.engine.send(q.id, { type: "delegate", actor: "user:a", to: "role:ops" });
    expect(v.assignees).toEqual(["user:a", "user:ops"]);
    await expectRefused(r, q.id, { type: "delegate", actor: "user:a", to: "role:finance" }, /exactly one user/);
  });

  it("transfer: the new owner replaces the old one", async () => {
    const r = rig({ definitions: [approvalWorkflow({ mode: "sequential", assignees: ["user:a", "user:b"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await expectRefused(r, q.id, { type: "transfer", actor: "user:a", to: "user:b" }, /already an approver/);
    await expectRefused(r, q.id, { type: "transfer", actor: "user:a" }, /needs "to"/);
    const v = await r.engine.send(q.id, { type: "transfer", actor: "user:a", to: "user:t", comment: "on leave" });
    expect(v.assignees).toEqual(["user:t"]);
    await expectRefused(r, q.id, { type: "approve", actor: "user:a" });
    await r.engine.send(q.id, { type: "approve", actor: "user:t" });
    expect((await r.engine.get(q.id))!.assignees).toEqual(["user:b"]);
  });
});

describe("add and remove signers", () => {
  it("before / after / parallel in a sequential chain, roles resolved, new current signers asked", async () => {
    const def = approvalWorkflow({ mode: "sequential", assignees: ["user:a", "user:b"] });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    let v = await r.engine.send(q.id, { type: "addSigner", actor: "user:a", users: ["user:x"], position: "before" });
    expect(v.assignees).toEqual(["user:x"]);
    v = await r.engine.send(q.id, { type: "addSigner", actor: "user:li", users: ["role:finance"], position: "after" });
    // the initiator anchors on the current signer (x): finance right after x
    expect(v.approvals["step"]!.approvers.map((s) => s.user)).toEqual(["user:x", "user:fin1", "user:fin2", "user:a", "user:b"]);
    v = await r.engine.send(q.id, { type: "addSigner", actor: "user:x", users: ["user:p"], position: "parallel" });
    expect(v.assignees).toEqual(["user:p", "user:x"]);
    await r.engine.settle();
    expect(sentLines(r.notifier.sent)).toEqual([
      "2026-03-05T09:00:00+08:00 approval-requested -> user:a",
      "2026-03-05T09:00:00+08:00 approval-requested -> user:x",
      "2026-03-05T09:00:00+08:00 approval-requested -> user:p",
    ]);
    for (const u of ["user:x", "user:p", "user:fin1", "user:fin2", "user:a"]) {
      expect((await r.engine.get(q.id))!.status).toBe("running");
      await r.engine.send(q.id, { type: "approve", actor: u });
    }
    expect((await r.engine.send(q.id, { type: "approve", actor: "user:b" })).outcome).toBe("approved");
  });

  it("a user named twice (directly and through a role) is added once", async () => {
    const r = rig({ definitions: [approvalWorkflow({ mode: "sequential", assignees: ["user:a", "user:b"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    const v = await r.engine.send(q.id, { type: "addSigner", actor: "user:a", users: ["user:fin1", "role:finance", "user:fin1"], position: "after" });
    expect(v.approvals["step"]!.approvers.map((s) => s.user)).toEqual(["user:a", "user:fin1", "user:fin2", "user:b"]);
  });

  it("only a current approver or the initiator may add; not someone pending already", async () => {
    const r = rig({ definitions: [approvalWorkflow({ mode: "sequential", assignees: ["user:a", "user:b"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await expectRefused(r, q.id, { type: "addSigner", actor: "user:b", users: ["user:x"] }, /only a current approver or the initiator/);
    await expectRefused(r, q.id, { type: "addSigner", actor: "user:a", users: ["user:b"] }, /already a pending approver/);
    await expectRefused(r, q.id, { type: "addSigner", actor: "user:a", users: ["user:x"], position: "sideways" }, /position must be/);
    await expectRefused(r, q.id, { type: "addSigner", actor: "user:a", users: [] }, /no signer/);
  });

  it("removeSigner: by the initiator or whoever added them, never the last pending", async () => {
    const r = rig({ definitions: [approvalWorkflow({ mode: "all", assignees: ["user:a", "user:b"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "addSigner", actor: "user:a", users: ["user:x"], position: "parallel" });
    await expectRefused(r, q.id, { type: "removeSigner", actor: "user:b", user: "user:x" }, /only the initiator or whoever added/);
    await expectRefused(r, q.id, { type: "removeSigner", actor: "user:x", user: "user:a" }, /only the initiator or whoever added/);
    await expectRefused(r, q.id, { type: "removeSigner", actor: "user:li" }, /needs "user"/);
    let v = await r.engine.send(q.id, { type: "removeSigner", actor: "user:a", user: "user:x" });
    expect(v.assignees).toEqual(["user:a", "user:b"]);
    v = await r.engine.send(q.id, { type: "removeSigner", actor: "user:li", user: "user:b" });
    expect(slots(v)).toEqual(["user:a:pending", "user:b:removed", "user:x:removed"]);
    await expectRefused(r, q.id, { type: "removeSigner", actor: "user:li", user: "user:a" }, /last pending/);
    expect((await r.engine.send(q.id, { type: "approve", actor: "user:a" })).outcome).toBe("approved");
  });

  it("the last holdout of a countersign cannot be removed", async () => {
    const r = rig({ definitions: [approvalWorkflow({ mode: "all", assignees: ["user:a", "user:b", "user:c"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "approve", actor: "user:a" });
    await r.engine.send(q.id, { type: "approve", actor: "user:b" });
    await expectRefused(r, q.id, { type: "removeSigner", actor: "user:li", user: "user:c" }, /last pending/);
  });
});

describe("withdraw, remind, cc, cancel", () => {
  it("withdraw: only the initiator, only while running; every timer goes", async () => {
    const def = approvalWorkflow({ assignees: ["user:a"], escalation: [{ after: "PT1H", action: "remind" }] });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    expect(r.storage.snapshot().timers).toHaveLength(1);
    await expectRefused(r, q.id, { type: "withdraw", actor: "user:a" }, /only the initiator \(user:li\)/);
    const v = await r.engine.send(q.id, { type: "withdraw", actor: "user:li", comment: "deal lost" });
    expect(v).toMatchObject({ status: "withdrawn", assignees: [] });
    expect(r.storage.snapshot().timers).toEqual([]);
    await expectRefused(r, q.id, { type: "withdraw", actor: "user:li" }, /the instance is withdrawn/);
    await r.clock.advanceBy("P1D");
    expect(r.notifier.sent.map((n) => n.template)).toEqual(["approval-requested"]);
  });

  it("remind: the initiator reminds whoever can act now; nobody else may", async () => {
    const r = rig({ definitions: [approvalWorkflow({ mode: "all", assignees: ["user:a", "user:b"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "approve", actor: "user:a" });
    await expectRefused(r, q.id, { type: "remind", actor: "user:a" }, /only the initiator/);
    await r.clock.advanceBy("PT2H");
    await r.engine.send(q.id, { type: "remind", actor: "user:li" });
    await r.engine.settle();
    expect(sentLines(r.notifier.sent).at(-1)).toBe("2026-03-05T11:00:00+08:00 approval-reminder -> user:b");
    expect(r.notifier.sent.at(-1)!.data).toMatchObject({ node: "step", by: "user:li" });
  });

  it("cc: a participant copies people in; an outsider may not; an empty list is refused", async () => {
    const r = rig({ definitions: [approvalWorkflow({ assignees: ["user:a"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await expectRefused(r, q.id, { type: "cc", actor: "user:outsider", to: ["user:x"] }, /only the initiator or an approver/);
    await expectRefused(r, q.id, { type: "cc", actor: "user:a", to: [] }, /non-empty list/);
    await r.engine.send(q.id, { type: "cc", actor: "user:a", to: ["user:x", "role:finance"], comment: "fyi" });
    await r.engine.send(q.id, { type: "cc", actor: "user:li", to: ["user:y"] });
    await r.engine.settle();
    expect(r.notifier.sent.filter((n) => n.template === "cc").map((n) => `${n.to}:${String(n.data["by"])}`)).toEqual([
      "user:x:user:a",
      "user:fin1:user:a",
      "user:fin2:user:a",
      "user:y:user:li",
    ]);
  });

  it("events without an actor, and events the engine makes itself, are refused", async () => {
    const def = approvalWorkflow({ assignees: ["user:a"], escalation: [{ after: "PT1H", action: "auto-approve" }] });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    const [timer] = r.storage.snapshot().timers;
    await expectRefused(r, q.id, { type: "approve" }, /needs an "actor"/);
    await expectRefused(r, q.id, { ...timer!.event, actor: "user:a" }, /durable timers/);
    await expectRefused(r, q.id, { type: "task.done", actor: "user:a", node: "step", generation: 1, attempt: 1 }, /task handler/);
    await expectRefused(r, q.id, { type: "domain", actor: "user:a", name: "x" }, /engine\.emit/);
    await expectRefused(r, q.id, { type: "cancel", actor: "user:a" }, /engine\.cancel/);
    await expectRefused(r, q.id, { type: "start", actor: "user:a" }, /engine\.start/);
    await expectRefused(r, q.id, { type: "frobnicate", actor: "user:a" }, /not an operation this workflow understands/);
  });

  it("cancel is a host action, recorded with who did it", async () => {
    const r = rig({ definitions: [approvalWorkflow({ assignees: ["user:a"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    const v = await r.engine.cancel(q.id, { actor: "user:admin", reason: "duplicate request" });
    expect(v.status).toBe("cancelled");
    const last = (await r.engine.audit(q.id)).at(-1)!;
    expect(last).toMatchObject({ action: "cancel", actor: "user:admin", comment: "duplicate request", after: { status: "cancelled" } });
    await expect(r.engine.cancel(q.id)).rejects.toThrow(/the instance is cancelled/);
  });

  it("an unknown instance is reported as such", async () => {
    const r = rig({ definitions: [approvalWorkflow({ assignees: ["user:a"] })] });
    await expect(r.engine.send("nope", { type: "approve", actor: "user:a" })).rejects.toMatchObject({ code: "INSTANCE_NOT_FOUND" });
  });

  it("with two approval steps active, `node` picks one; a wrong node is refused", async () => {
    const def = workflow({
      fork: { type: "branch", mode: "parallel", branches: [{ to: "legal" }, { to: "finance" }], join: "both" },
      legal: { type: "approval", assignees: ["user:a"], onApprove: "both", onReject: "rejected" },
      finance: { type: "approval", assignees: ["user:a", "user:b"], mode: "all", onApprove: "both", onReject: "rejected" },
      both: { type: "join", next: "approved" },
      ...ENDS,
    });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await expectRefused(r, q.id, { type: "approve", actor: "user:b", node: "legal" }, /not a current approver/);
    await expectRefused(r, q.id, { type: "approve", actor: "user:a", node: "nowhere" }, /not an active approval step/);
    let v = await r.engine.send(q.id, { type: "approve", actor: "user:a", node: "finance" });
    expect(slots(v, "legal")).toEqual(["user:a:pending"]);
    expect(slots(v, "finance")).toEqual(["user:a:approved", "user:b:pending"]);
    await r.engine.send(q.id, { type: "approve", actor: "user:a" });
    v = await r.engine.send(q.id, { type: "approve", actor: "user:b" });
    expect(v.outcome).toBe("approved");
  });
});
