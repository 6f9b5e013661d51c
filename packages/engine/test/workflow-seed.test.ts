/**
 * The seed scenario: customer qualification (examples/definitions), run
 * across the 2026 Spring Festival on the built-in cn-mainland calendar
 * (holidays Feb 15-23; Saturday Feb 14 and Saturday Feb 28 are make-up workdays).
 */
import { describe, expect, it } from "vitest";
import { expectRefused, rig, seedDefinitions, sentLines, slots } from "./workflow-helpers.js";

const manual = { contract: { amount: 900000 }, customer: { creditRating: "A", name: "ACME" } };

describe("customer qualification across the Spring Festival", () => {
  it("small credit-A contracts are approved at once and the onboarding pack goes out", async () => {
    const r = rig({ definitions: seedDefinitions(), start: "2026-02-13T16:00:00+08:00" });
    const q = await r.engine.start("customer-qualification", { initiator: "user:li", input: { contract: { amount: 300000 }, customer: { creditRating: "A" } } });
    expect(q).toMatchObject({ status: "completed", outcome: "approved" });
    expect(q.results["auto-check"]).toMatchObject({ definition: "contract-auto-approval", version: 3, route: "approved" });
    await r.engine.settle();
    expect(sentLines(r.notifier.sent)).toEqual([
      "2026-02-13T16:00:00+08:00 qualification-approved -> user:li",
      "2026-02-13T16:00:00+08:00 onboarding-pack -> user:ob",
    ]);
  });

  it("nobody acts: remind on the make-up Saturday, escalate to the compliance lead, auto-reject after the holiday", async () => {
    const r = rig({ definitions: seedDefinitions(), start: "2026-02-13T16:00:00+08:00" });
    const q = await r.engine.start("customer-qualification", { initiator: "user:li", input: manual });
    expect(q.assignees).toEqual(["user:chen", "user:lu", "user:ma"]);
    await r.clock.advanceTo("2026-03-01T00:00:00+08:00");
    expect(sentLines(r.notifier.sent)).toEqual([
      "2026-02-13T16:00:00+08:00 approval-requested -> user:ma",
      "2026-02-13T16:00:00+08:00 approval-requested -> user:chen",
      "2026-02-13T16:00:00+08:00 approval-requested -> user:lu",
      // Fri 16:00-18:00 (2h) + Sat Feb 14, a make-up workday, 09:00-10:00
      "2026-02-14T10:00:00+08:00 approval-reminder -> user:ma,user:chen,user:lu",
      // 10:00-12:00, lunch, 13:30-14:30
      "2026-02-14T14:30:00+08:00 approval-escalated -> user:boss",
      // two business days after Saturday 14:30, skipping Feb 15-23: Tue 24, Wed 25
      "2026-02-25T14:30:00+08:00 qualification-rejected -> user:li",
    ]);
    expect(r.notifier.sent[4]).toMatchObject({ to: "role:compliance-lead", data: { waitingOn: ["user:ma", "user:chen", "user:lu"] } });
    expect((await r.engine.get(q.id))!).toMatchObject({ status: "completed", outcome: "rejected", updatedAt: "2026-02-25T06:30:00.000Z" });
    expect((await r.engine.audit(q.id)).map((a) => `${a.actor} ${a.action}`)).toEqual(["user:li start", "timer timer", "timer timer", "timer timer"]);
  });

  it("countersigned after the holiday, partly by the compliance lead: approved, onboarding pack sent then", async () => {
    const r = rig({ definitions: seedDefinitions(), start: "2026-02-13T16:00:00+08:00" });
    const q = await r.engine.start("customer-qualification", { initiator: "user:li", input: manual });
    await r.clock.advanceTo("2026-02-13T17:00:00+08:00");
    await r.engine.send(q.id, { type: "approve", actor: "user:ma", comment: "market fit ok" });
    await expectRefused(r, q.id, { type: "approve", actor: "user:boss" }, /not a current approver/);
    await r.clock.advanceTo("2026-02-24T10:00:00+08:00");
    // escalated on Saturday: the lead can now act for the people still pending
    expect((await r.engine.inbox("user:boss")).map((i) => i.id)).toEqual([q.id]);
    let v = await r.engine.send(q.id, { type: "approve", actor: "user:boss", comment: "compliance ok (lead)" });
    expect(slots(v, "countersign")).toEqual(["user:ma:approved", "user:chen:approved", "user:lu:pending"]);
    expect(v.approvals["countersign"]!.approvers[1]).toMatchObject({ actedBy: "user:boss" });
    await r.clock.advanceTo("2026-02-24T11:00:00+08:00");
    v = await r.engine.send(q.id, { type: "approve", actor: "user:lu" });
    expect(v).toMatchObject({ status: "completed", outcome: "approved" });
    expect(v.results["countersign"]).toEqual({ outcome: "approved", approvers: ["user:ma", "user:boss", "user:lu"] });
    await r.clock.advanceTo("2026-03-10T00:00:00+08:00");
    expect(sentLines(r.notifier.sent)).toEqual([
      "2026-02-13T16:00:00+08:00 approval-requested -> user:ma",
      "2026-02-13T16:00:00+08:00 approval-requested -> user:chen",
      "2026-02-13T16:00:00+08:00 approval-requested -> user:lu",
      "2026-02-14T10:00:00+08:00 approval-reminder -> user:chen,user:lu",
      "2026-02-14T14:30:00+08:00 approval-escalated -> user:boss",
      "2026-02-24T11:00:00+08:00 qualification-approved -> user:li",
      "2026-02-24T11:00:00+08:00 onboarding-pack -> user:ob",
    ]);
    expect(r.storage.snapshot().timers).toEqual([]);
  });

  it("started before the second make-up Saturday: Feb 28 counts as a business day", async () => {
    const r = rig({ definitions: seedDefinitions(), start: "2026-02-26T16:00:00+08:00" });
    await r.engine.start("customer-qualification", { initiator: "user:li", input: manual });
    await r.clock.advanceTo("2026-03-10T00:00:00+08:00");
    expect(sentLines(r.notifier.sent).slice(3)).toEqual([
      "2026-02-27T10:00:00+08:00 approval-reminder -> user:ma,user:chen,user:lu",
      "2026-02-27T14:30:00+08:00 approval-escalated -> user:boss",
      // Saturday Feb 28 (make-up) and Monday Mar 2
      "2026-03-02T14:30:00+08:00 qualification-rejected -> user:li",
    ]);
  });

  it("started on the eve of the holiday at 17:30: reminded on the make-up Saturday morning", async () => {
    const r = rig({ definitions: seedDefinitions(), start: "2026-02-13T17:30:00+08:00" });
    await r.engine.start("customer-qualification", { initiator: "user:li", input: manual });
    await r.clock.advanceTo("2026-02-28T00:00:00+08:00");
    expect(sentLines(r.notifier.sent).slice(3)).toEqual([
      // 17:30-18:00 + 09:00-11:30
      "2026-02-14T11:30:00+08:00 approval-reminder -> user:ma,user:chen,user:lu",
      // 11:30-12:00 + 13:30-16:00
      "2026-02-14T16:00:00+08:00 approval-escalated -> user:boss",
      "2026-02-25T16:00:00+08:00 qualification-rejected -> user:li",
    ]);
  });
});
