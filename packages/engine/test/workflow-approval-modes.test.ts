/** Approval modes through the engine, assignee resolution, auto-pass policies and fallbacks. */
import { describe, expect, it } from "vitest";
import type { Directory } from "../src/runtime/ports.js";
import { createEngine } from "../src/runtime/engine.js";
import { createVirtualClock } from "../src/runtime/clock.js";
import { createMemoryNotifier } from "../src/runtime/defaults.js";
import { ENDS, approvalWorkflow, counter, expectRefused, rig, sentLines, slots, workflow } from "./workflow-helpers.js";

describe("approval modes", () => {
  it("sequential: one approver after another, each asked when their turn comes", async () => {
    const r = rig({ definitions: [approvalWorkflow({ mode: "sequential", assignees: ["user:a", "user:b", "user:c"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    expect(q.assignees).toEqual(["user:a"]);
    expect((await r.engine.inbox("user:b")).length).toBe(0);
    await expectRefused(r, q.id, { type: "approve", actor: "user:b" }, /not a current approver/);
    await r.clock.advanceBy("PT1H");
    let v = await r.engine.send(q.id, { type: "approve", actor: "user:a", comment: "ok" });
    expect(v.assignees).toEqual(["user:b"]);
    expect((await r.engine.inbox("user:b")).map((i) => i.id)).toEqual([q.id]);
    await r.clock.advanceBy("PT1H");
    await r.engine.send(q.id, { type: "approve", actor: "user:b" });
    v = await r.engine.send(q.id, { type: "approve", actor: "user:c" });
    await r.engine.settle();
    expect(v).toMatchObject({ status: "completed", outcome: "approved", assignees: [] });
    expect(v.results["step"]).toEqual({ outcome: "approved", approvers: ["user:a", "user:b", "user:c"] });
    expect(v.approvals["step"]!.approvers[0]).toMatchObject({ user: "user:a", status: "approved", actedBy: "user:a", comment: "ok" });
    expect(sentLines(r.notifier.sent)).toEqual([
      "2026-03-05T09:00:00+08:00 approval-requested -> user:a",
      "2026-03-05T10:00:00+08:00 approval-requested -> user:b",
      "2026-03-05T11:00:00+08:00 approval-requested -> user:c",
      "2026-03-05T11:00:00+08:00 done-approved -> user:li",
    ]);
  });

  it("sequential: the first rejection ends the chain", async () => {
    const r = rig({ definitions: [approvalWorkflow({ mode: "sequential", assignees: ["user:a", "user:b"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    const v = await r.engine.send(q.id, { type: "reject", actor: "user:a", comment: "no budget" });
    expect(v).toMatchObject({ status: "completed", outcome: "rejected" });
    expect(slots(v)).toEqual(["user:a:rejected", "user:b:pending"]);
  });

  it("all: everyone at once; complete only when all approved; one rejection rejects", async () => {
    const def = approvalWorkflow({ mode: "all", assignees: ["role:marketing", "role:compliance", "role:legal"] });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    expect(q.assignees).toEqual(["user:chen", "user:lu", "user:ma"]);
    await r.engine.send(q.id, { type: "approve", actor: "user:lu" });
    let v = await r.engine.send(q.id, { type: "approve", actor: "user:ma" });
    expect(v.status).toBe("running");
    expect(v.assignees).toEqual(["user:chen"]);
    v = await r.engine.send(q.id, { type: "approve", actor: "user:chen" });
    expect(v.outcome).toBe("approved");

    const q2 = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q2.id, { type: "approve", actor: "user:lu" });
    const v2 = await r.engine.send(q2.id, { type: "reject", actor: "user:ma" });
    expect(v2.outcome).toBe("rejected");
  });

  it("any: the first response decides, later ones are refused", async () => {
    const r = rig({ definitions: [approvalWorkflow({ mode: "any", assignees: ["role:finance"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    expect(q.assignees).toEqual(["user:fin1", "user:fin2"]);
    const v = await r.engine.send(q.id, { type: "approve", actor: "user:fin2" });
    expect(v.outcome).toBe("approved");
    expect(v.results["step"]).toEqual({ outcome: "approved", approvers: ["user:fin2"] });
    await expectRefused(r, q.id, { type: "reject", actor: "user:fin1" }, /completed/);

    const q2 = await r.engine.start("wf", { initiator: "user:li" });
    expect((await r.engine.send(q2.id, { type: "reject", actor: "user:fin1" })).outcome).toBe("rejected");
  });

  it("vote: weights by role and user, threshold as a share; finishes early when out of reach", async () => {
    const def = approvalWorkflow({ mode: "vote", assignees: ["role:board", "user:ceo"], vote: { weights: { "user:ceo": 3, "role:board": 1 }, threshold: 0.5 } });
    const r = rig({ definitions: [def] });
    // total 6, needed 3
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "approve", actor: "user:b1" });
    let v = await r.engine.send(q.id, { type: "approve", actor: "user:b2" });
    expect(v.status).toBe("running");
    v = await r.engine.send(q.id, { type: "approve", actor: "user:b3" });
    expect(v.outcome).toBe("approved");
    expect(slots(v)).toContain("user:ceo:pending");

    const q2 = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q2.id, { type: "reject", actor: "user:ceo" });
    // 3 board votes left, need 3: still reachable
    expect((await r.engine.get(q2.id))!.status).toBe("running");
    v = await r.engine.send(q2.id, { type: "reject", actor: "user:b1" });
    expect(v.outcome).toBe("rejected");
  });

  it("vote: an absolute threshold", async () => {
    const def = approvalWorkflow({ mode: "vote", assignees: ["role:board"], vote: { threshold: 2 } });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "reject", actor: "user:b2" });
    await r.engine.send(q.id, { type: "approve", actor: "user:b3" });
    const v = await r.engine.send(q.id, { type: "approve", actor: "user:b1" });
    expect(v.outcome).toBe("approved");
    // those who voted no are not listed as approvers
    expect(v.results["step"]).toEqual({ outcome: "approved", approvers: ["user:b1", "user:b3"] });
  });

  it("a workflow with mode vote but no vote settings does not load", () => {
    expect(() => rig({ definitions: [approvalWorkflow({ mode: "vote", assignees: ["role:board"] })] })).toThrow(/mode "vote" needs "vote"/);
  });
});

describe("assignees", () => {
  it("resolve role:, manager-of:initiator, user:, initiator and {expr}; duplicates merge in first-seen order", async () => {
    const def = approvalWorkflow({
      mode: "all",
      assignees: ["role:finance", "manager-of:initiator", "user:fin1", { expr: "input.reviewers" }, "user:zhao", "initiator"],
    });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li", input: { reviewers: ["user:x", "user:fin2"] } });
    expect(q.approvals["step"]!.approvers.map((a) => a.user)).toEqual(["user:fin1", "user:fin2", "user:zhao", "user:x", "user:li"]);
  });

  it("resolve through the Directory once, when the instance starts", async () => {
    const members = new Map<string, string[]>([["role:finance", ["user:fin1"]]]);
    const calls: string[] = [];
    const directory: Directory = {
      async resolve(spec) {
        calls.push(spec);
        return members.get(spec) ?? (spec.startsWith("role:") ? [] : [spec]);
      },
    };
    const def = workflow({
      first: { type: "approval", assignees: ["user:a"], onApprove: "second", onReject: "rejected" },
      second: { type: "approval", assignees: ["role:finance"], onApprove: "approved", onReject: "rejected" },
      ...ENDS,
    });
    const clock = createVirtualClock("2026-03-05T09:00:00+08:00");
    const engine = createEngine({ definitions: [def], directory, clock, notifier: createMemoryNotifier(), newId: counter() });
    const q = await engine.start("wf", { initiator: "user:li" });
    expect(calls).toEqual(["role:finance"]);
    members.set("role:finance", ["user:newcomer"]);
    const v = await engine.send(q.id, { type: "approve", actor: "user:a" });
    expect(v.assignees).toEqual(["user:fin1"]);
    expect(calls).toEqual(["role:finance"]);
  });

  it("selfApproval auto-pass skips the initiator; require keeps them", async () => {
    const pass = rig({ definitions: [approvalWorkflow({ mode: "sequential", assignees: ["initiator", "user:a"], selfApproval: "auto-pass" })] });
    const q = await pass.engine.start("wf", { initiator: "user:li" });
    expect(slots(q)).toEqual(["user:li:auto-passed", "user:a:pending"]);
    expect(q.assignees).toEqual(["user:a"]);
    await pass.engine.settle();
    expect(sentLines(pass.notifier.sent)).toEqual(["2026-03-05T09:00:00+08:00 approval-requested -> user:a"]);

    const keep = rig({ definitions: [approvalWorkflow({ mode: "sequential", assignees: ["initiator", "user:a"] })] });
    const k = await keep.engine.start("wf", { initiator: "user:li" });
    expect(k.assignees).toEqual(["user:li"]);
  });

  it("repeatApproval auto-pass skips someone who approved an earlier step", async () => {
    const def = workflow({
      first: { type: "approval", mode: "all", assignees: ["user:a", "user:b"], onApprove: "second", onReject: "rejected" },
      second: { type: "approval", mode: "all", assignees: ["user:a", "user:c"], repeatApproval: "auto-pass", onApprove: "approved", onReject: "rejected" },
      ...ENDS,
    });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "approve", actor: "user:a" });
    const v = await r.engine.send(q.id, { type: "approve", actor: "user:b" });
    expect(slots(v, "second")).toEqual(["user:a:auto-passed", "user:c:pending"]);
    expect((await r.engine.send(q.id, { type: "approve", actor: "user:c" })).outcome).toBe("approved");
  });

  it("a step whose approvers all auto-pass moves on at once", async () => {
    const def = approvalWorkflow({ mode: "all", assignees: ["initiator"], selfApproval: "auto-pass" });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    expect(q).toMatchObject({ status: "completed", outcome: "approved" });
  });

  it.each([
    ["auto-approve", { status: "completed", outcome: "approved" }],
    ["auto-reject", { status: "completed", outcome: "rejected" }],
    ["fail", { status: "failed" }],
  ])("fallback %s when the assignees resolve to no one", async (fallback, expected) => {
    const r = rig({ definitions: [approvalWorkflow({ assignees: ["role:nobody"], fallback })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    expect(q).toMatchObject(expected);
    if (fallback === "fail") expect(q.error).toMatch(/no approvers/);
  });

  it("fallback to other assignees", async () => {
    const r = rig({ definitions: [approvalWorkflow({ assignees: ["role:nobody", { expr: "input.owner" }], fallback: { assignees: ["manager-of:initiator"] } })] });
    const q = await r.engine.start("wf", { initiator: "user:li", input: {} });
    expect(q.assignees).toEqual(["user:zhao"]);
    const withOwner = await r.engine.start("wf", { initiator: "user:li", input: { owner: "user:own" } });
    expect(withOwner.assignees).toEqual(["user:own"]);
  });
});
