/** Recipients, assignees and initiators computed from instance and event data, resolved through the Directory. */
import { describe, expect, it } from "vitest";
import { isRuleflowError } from "../src/core/errors.js";
import { ENDS, rig, sentLines, slots, workflow } from "./workflow-helpers.js";

const opportunity = { id: "OPP-7", name: "Hengtai renewal", owner: "user:wu", reviewer: "role:compliance" };

describe("assignees and recipients from data", () => {
  it('an { "expr" } assignee giving a role spec resolves through the Directory', async () => {
    const def = workflow({ review: { type: "approval", assignees: [{ expr: "opportunity.reviewer" }], onApprove: "approved", onReject: "rejected" }, ...ENDS });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li", input: { opportunity } });
    expect(q).toMatchObject({ status: "running", assignees: ["user:chen"] });
    expect(slots(q, "review")).toEqual(["user:chen:pending"]);
    expect(q.approvals["review"]!.approvers[0]!.seat).toBe("role:compliance");
  });

  it("notify targets from data: the owner and the owner's manager (manager-of: through the Directory)", async () => {
    const def = workflow({
      tell: {
        type: "notify",
        notify: [
          { to: { expr: "opportunity.owner" }, template: "follow-up" },
          { to: { expr: '"manager-of:" + opportunity.owner' }, template: "follow-up-fyi" },
          { to: { expr: "[opportunity.reviewer, opportunity.owner]" }, template: "both" },
        ],
        next: "approved",
      },
      ...ENDS,
    });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li", input: { opportunity } });
    expect(q.outcome).toBe("approved");
    await r.engine.settle();
    expect(sentLines(r.notifier.sent)).toEqual([
      "2026-03-05T09:00:00+08:00 follow-up -> user:wu",
      "2026-03-05T09:00:00+08:00 follow-up-fyi -> user:zhao",
      "2026-03-05T09:00:00+08:00 both -> user:chen,user:wu",
      "2026-03-05T09:00:00+08:00 done-approved -> user:li",
    ]);
    expect(r.notifier.sent[1]).toMatchObject({ to: "manager-of:user:wu" });
  });

  it("an escalation target from data, resolved when the step fires", async () => {
    const def = workflow({
      review: {
        type: "approval",
        assignees: ["user:a"],
        escalation: [{ after: "PT2H", action: "escalate", to: { expr: '"manager-of:" + opportunity.owner' } }],
        onApprove: "approved",
        onReject: "rejected",
      },
      ...ENDS,
    });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li", input: { opportunity } });
    await r.clock.advanceBy("PT2H");
    expect((await r.engine.get(q.id))!.assignees).toEqual(["user:a", "user:zhao"]);
    const v = await r.engine.send(q.id, { type: "approve", actor: "user:zhao" });
    expect(v.outcome).toBe("approved");
  });

  it("a recipient expression that gives no user id fails the instance, saying where", async () => {
    const def = workflow({ tell: { type: "notify", notify: [{ to: { expr: "opportunity.owner" }, template: "x" }], next: "approved" }, ...ENDS });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li", input: { opportunity: { id: "OPP-1" } } });
    expect(q.status).toBe("failed");
    expect(q.error).toMatch(/nodes\.tell\.notify\[0\]\.to gave null; expected a user id or spec such as "user:li", "role:sales" or "manager-of:user:li", or a list of them/);
  });
});

describe("initiators from the event", () => {
  const followUp = workflow(
    {
      tell: {
        type: "notify",
        notify: [
          { to: "initiator", template: "opportunity-stale" },
          { to: "manager-of:initiator", template: "opportunity-stale-fyi" },
        ],
        next: "check",
      },
      check: { type: "approval", assignees: ["initiator"], onApprove: "approved", onReject: "rejected" },
      ...ENDS,
    },
    { id: "follow-up", triggers: [{ on: "opportunity.stale", initiator: { expr: "event.data.opportunity.owner" } }] },
  );

  it("a workflow started by a domain event takes its initiator from the event data", async () => {
    const r = rig({ definitions: [followUp] });
    const { started } = await r.engine.emit({ type: "opportunity.stale", data: { opportunity } });
    const v = (await r.engine.get(started[0]!))!;
    expect(v).toMatchObject({ initiator: "user:wu", assignees: ["user:wu"] });
    expect((await r.engine.audit(v.id))[0]).toMatchObject({ action: "start", actor: "user:wu" });
    await r.engine.settle();
    expect(sentLines(r.notifier.sent).slice(0, 2)).toEqual(["2026-03-05T09:00:00+08:00 opportunity-stale -> user:wu", "2026-03-05T09:00:00+08:00 opportunity-stale-fyi -> user:zhao"]);
    // the owner is the initiator: they may withdraw
    expect((await r.engine.send(v.id, { type: "withdraw", actor: "user:wu" })).status).toBe("withdrawn");
  });

  it("an initiator expression that gives no user id is refused, naming the trigger", async () => {
    const r = rig({ definitions: [followUp] });
    let error: unknown;
    try {
      await r.engine.emit({ type: "opportunity.stale", data: { opportunity: { id: "OPP-1" } } });
    } catch (e) {
      error = e;
    }
    expect(isRuleflowError(error)).toBe(true);
    expect((error as Error).message).toMatch(/workflow "follow-up" triggers\[0\]\.initiator gave null; expected a user id such as "user:li"/);
    expect(await r.engine.list()).toEqual([]);
  });
});
