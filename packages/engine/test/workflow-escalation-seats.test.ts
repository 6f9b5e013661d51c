/**
 * An escalation covers named seats: the target acts once per covered seat and
 * never for another, and the view and the audit say who acted for whom.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { isRuleflowError } from "../src/core/errors.js";
import { approvalWorkflow, expectRefused, rig, seedDefinitions, sentLines, slots, type Rig } from "./workflow-helpers.js";

const DEPARTMENTS = ["role:marketing", "role:compliance", "role:legal"];

/** Marketing (user:ma) + compliance (user:chen) + legal (user:lu) countersign; the compliance lead is user:boss. */
function countersign(step: Record<string, unknown>) {
  return approvalWorkflow({ mode: "all", assignees: DEPARTMENTS, escalation: [{ after: "PT3H", action: "escalate", to: "role:compliance-lead", ...step }] });
}

const approvers = async (r: Rig, id: string) => (await r.engine.get(id))!.approvals["step"]!.approvers;

describe("an escalation covers named seats", () => {
  it('"for": "role:compliance": after compliance signed, the lead can sign neither marketing nor legal', async () => {
    const r = rig({ definitions: [countersign({ for: "role:compliance" })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "approve", actor: "user:chen" });
    await r.clock.advanceBy("PT4H");
    await expectRefused(r, q.id, { type: "approve", actor: "user:boss" }, /not a current approver/);
    await expectRefused(r, q.id, { type: "approve", actor: "user:boss", onBehalfOf: "user:ma" }, /may not act for user:ma/);
    await expectRefused(r, q.id, { type: "reject", actor: "user:boss", onBehalfOf: "user:lu" }, /may not act for user:lu/);
    const v = (await r.engine.get(q.id))!;
    expect(v.status).toBe("running");
    expect(v.assignees).toEqual(["user:lu", "user:ma"]);
    // nothing to escalate: the compliance seat was already signed, so the lead is not bothered
    expect(sentLines(r.notifier.sent).filter((l) => l.includes("escalated"))).toEqual([]);
    await r.engine.send(q.id, { type: "approve", actor: "user:ma" });
    const done = await r.engine.send(q.id, { type: "approve", actor: "user:lu" });
    expect(done.outcome).toBe("approved");
    expect(done.approvals["step"]!.approvers.map((a) => `${a.user}<-${a.actedBy}`)).toEqual(["user:ma<-user:ma", "user:chen<-user:chen", "user:lu<-user:lu"]);
  });

  it("the target acts once for the covered seat; the view and the audit say for whom", async () => {
    const r = rig({ definitions: [countersign({ for: "role:compliance" })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.clock.advanceBy("PT3H");
    await r.engine.settle();
    expect(r.notifier.sent.at(-1)).toMatchObject({ template: "approval-escalated", recipients: ["user:boss"], data: expect.objectContaining({ covers: ["user:chen"] }) });
    expect((await approvers(r, q.id)).find((a) => a.user === "user:chen")).toMatchObject({ seat: "role:compliance", escalatedTo: ["user:boss"] });
    expect((await r.engine.get(q.id))!.assignees).toEqual(["user:boss", "user:chen", "user:lu", "user:ma"]);
    await r.engine.send(q.id, { type: "approve", actor: "user:boss", comment: "for chen, who is away" });
    expect((await approvers(r, q.id)).map((a) => ({ user: a.user, status: a.status, actedBy: a.actedBy, actedAs: a.actedAs }))).toEqual([
      { user: "user:ma", status: "pending", actedBy: undefined, actedAs: undefined },
      { user: "user:chen", status: "approved", actedBy: "user:boss", actedAs: "escalation" },
      { user: "user:lu", status: "pending", actedBy: undefined, actedAs: undefined },
    ]);
    expect((await r.engine.audit(q.id)).at(-1)).toMatchObject({ actor: "user:boss", action: "approve", event: { onBehalfOf: "user:chen", actedAs: "escalation" } });
    await expectRefused(r, q.id, { type: "approve", actor: "user:boss" }, /not a current approver/);
    expect((await r.engine.get(q.id))!.assignees).toEqual(["user:lu", "user:ma"]);
  });

  it("by default the escalation covers the seats still pending when it fires, once each, and the target may say which", async () => {
    const r = rig({ definitions: [countersign({})] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "approve", actor: "user:chen" });
    await r.clock.advanceBy("PT3H");
    await r.engine.settle();
    expect(r.notifier.sent.at(-1)).toMatchObject({ template: "approval-escalated", data: expect.objectContaining({ covers: ["user:ma", "user:lu"] }) });
    await expectRefused(r, q.id, { type: "approve", actor: "user:boss", onBehalfOf: "user:chen" }, /may not act for user:chen/);
    await r.engine.send(q.id, { type: "approve", actor: "user:boss", onBehalfOf: "user:lu" });
    expect((await r.engine.audit(q.id)).at(-1)!.event).toMatchObject({ onBehalfOf: "user:lu" });
    const v = await r.engine.send(q.id, { type: "approve", actor: "user:boss" });
    expect(v.outcome).toBe("approved");
    expect(v.approvals["step"]!.approvers.map((a) => `${a.user}<-${a.actedBy}`)).toEqual(["user:ma<-user:boss", "user:chen<-user:chen", "user:lu<-user:boss"]);
  });

  it("a delegate's action is recorded as made for the owner", async () => {
    const r = rig({ definitions: [countersign({ for: "role:compliance" })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "delegate", actor: "user:ma", to: "user:x" });
    await r.engine.send(q.id, { type: "approve", actor: "user:x" });
    expect((await approvers(r, q.id))[0]).toMatchObject({ user: "user:ma", actedBy: "user:x", actedAs: "delegate" });
    expect((await r.engine.audit(q.id)).at(-1)!.event).toMatchObject({ onBehalfOf: "user:ma", actedAs: "delegate" });
  });

  it('reassign with "for" hands over only the named seats; "for" may name a user', async () => {
    const r = rig({ definitions: [approvalWorkflow({ mode: "all", assignees: DEPARTMENTS, escalation: [{ after: "PT3H", action: "reassign", to: "user:boss", for: ["user:lu"] }] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.clock.advanceBy("PT3H");
    const v = (await r.engine.get(q.id))!;
    expect(v.approvals["step"]!.approvers.map((a) => `${a.seat}:${a.user}:${a.status}`)).toEqual([
      "role:marketing:user:ma:pending",
      "role:compliance:user:chen:pending",
      "role:legal:user:boss:pending",
    ]);
  });

  it('"for" is only for escalate and reassign steps of approval nodes', () => {
    expect(() => rig({ definitions: [approvalWorkflow({ assignees: ["user:a"], escalation: [{ after: "PT1H", action: "remind", for: "user:a" }] })] })).toThrow(
      /escalation\[0\]\.for: "for" names the seats an escalate or reassign step covers/,
    );
  });
});

// ---------------------------------------------------------------- property

const PEOPLE = ["user:ma", "user:chen", "user:lu", "user:boss", "user:x"];
type Act = { kind: "act"; type: "approve" | "reject"; actor: number; behalf: number | undefined } | { kind: "advance"; hours: number };
const act: fc.Arbitrary<Act> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("act" as const),
      type: fc.oneof({ weight: 6, arbitrary: fc.constant("approve" as const) }, { weight: 1, arbitrary: fc.constant("reject" as const) }),
      actor: fc.integer({ min: 0, max: PEOPLE.length - 1 }),
      behalf: fc.option(fc.integer({ min: 0, max: PEOPLE.length - 1 }), { nil: undefined }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("advance" as const), hours: fc.integer({ min: 1, max: 4 }) }) },
);

describe("property: the escalation target never signs for a seat it does not cover", () => {
  test.prop([fc.boolean(), fc.array(act, { maxLength: 14 })], { seed: 20260305, numRuns: 60 })("in any order of actions and escalation", async (named, acts) => {
    const r = rig({ definitions: [countersign(named ? { for: "role:compliance" } : {})] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    let covered: string[] | undefined;
    let bossActs = 0;
    for (const a of acts) {
      if (a.kind === "advance") {
        await r.clock.advanceBy(`PT${a.hours}H`);
      } else {
        const actor = PEOPLE[a.actor]!;
        try {
          await r.engine.send(q.id, { type: a.type, actor, ...(a.behalf !== undefined ? { onBehalfOf: PEOPLE[a.behalf] } : {}) });
          if (actor === "user:boss") bossActs++;
        } catch (e) {
          if (!isRuleflowError(e) || e.code !== "NOT_ALLOWED") throw e;
        }
      }
      const v = (await r.engine.get(q.id))!;
      const seats = v.approvals["step"]!.approvers;
      if (covered === undefined && seats.some((s) => s.escalatedTo?.length || s.actedAs === "escalation")) {
        covered = seats.filter((s) => s.escalatedTo?.includes("user:boss") || s.actedAs === "escalation").map((s) => s.user);
      }
      for (const s of seats) {
        if (s.actedBy === undefined) continue;
        if (s.actedBy === s.user) continue;
        // only the lead acts for others here, only through the escalation, and only for a covered seat
        expect(s).toMatchObject({ actedBy: "user:boss", actedAs: "escalation" });
        expect(covered).toContain(s.user);
        if (named) expect(s.user).toBe("user:chen");
      }
      expect(bossActs).toBeLessThanOrEqual(covered?.length ?? 0);
      if (v.outcome === "approved") expect(seats.every((s) => s.status === "approved")).toBe(true);
      if (v.status !== "running") break;
    }
  });
});

describe("the seed customer qualification", () => {
  it("after compliance signed, the compliance lead cannot complete marketing's or legal's seat", async () => {
    const r = rig({ definitions: seedDefinitions(), start: "2026-03-05T09:00:00+08:00" });
    const q = await r.engine.start("customer-qualification", { initiator: "user:li", input: { contract: { amount: 800000 }, customer: { credit: "B" } } });
    await r.engine.send(q.id, { type: "approve", actor: "user:chen" });
    await r.clock.advanceTo("2026-03-05T16:00:00+08:00");
    for (let i = 0; i < 2; i++) await expectRefused(r, q.id, { type: "approve", actor: "user:boss" }, /not a current approver/);
    const v = (await r.engine.get(q.id))!;
    expect(v).toMatchObject({ status: "running", assignees: ["user:lu", "user:ma"] });
    expect(slots(v, "countersign")).toEqual(["user:ma:pending", "user:chen:approved", "user:lu:pending"]);
  });
});
