/** Domain events: triggers start workflows, waits resume on them. */
import { describe, expect, it } from "vitest";
import { ENDS, rig, workflow } from "./workflow-helpers.js";

const onboarding = workflow(
  { welcome: { type: "approval", assignees: ["role:ops"], onApprove: "approved", onReject: "rejected" }, ...ENDS },
  {
    id: "onboarding",
    triggers: [
      {
        on: "contract.signed",
        when: { fact: "contract.amount", op: "gte", value: 100000 },
        input: { contractId: { expr: "contract.id" }, amount: { expr: "contract.amount" }, source: "trigger" },
        initiator: "user:crm-bot",
      },
    ],
  },
);

const invoiceWait = workflow(
  {
    signed: { type: "wait", event: "contract.signed", match: "event.data.contract.id == input.contractId", next: "approved" },
    ...ENDS,
  },
  { id: "invoice" },
);

describe("triggers", () => {
  it("emit starts the workflows whose trigger matches, with the mapped input and initiator", async () => {
    const r = rig({ definitions: [onboarding] });
    const res = await r.engine.emit({ type: "contract.signed", data: { contract: { id: "C-9", amount: 250000 } } });
    expect(res.started).toHaveLength(1);
    const v = (await r.engine.get(res.started[0]!))!;
    expect(v).toMatchObject({ definitionId: "onboarding", initiator: "user:crm-bot", input: { contractId: "C-9", amount: 250000, source: "trigger" }, assignees: ["user:ops"] });
    expect((await r.engine.audit(v.id))[0]).toMatchObject({ action: "start", actor: "user:crm-bot" });
  });

  it("a trigger whose condition fails starts nothing; other event types start nothing", async () => {
    const r = rig({ definitions: [onboarding] });
    expect(await r.engine.emit({ type: "contract.signed", data: { contract: { id: "C-1", amount: 10 } } })).toEqual({ started: [], resumed: [] });
    expect(await r.engine.emit({ type: "contract.cancelled", data: { contract: { id: "C-1", amount: 10 ** 6 } } })).toEqual({ started: [], resumed: [] });
    expect(await r.engine.list()).toEqual([]);
  });

  it("without an input mapping the event data is the input; the initiator defaults to system", async () => {
    const def = workflow({ done: { type: "end", outcome: "noted" } }, { id: "log", triggers: [{ on: "lead.created" }] });
    const r = rig({ definitions: [def] });
    const { started } = await r.engine.emit({ type: "lead.created", data: { lead: "L-1" } });
    expect((await r.engine.get(started[0]!))!).toMatchObject({ input: { lead: "L-1" }, initiator: "system", outcome: "noted" });
  });

  it("the trigger of the version effective at the time of the event applies", async () => {
    const v1 = workflow({ done: { type: "end", outcome: "v1" } }, { id: "log", version: 1, effective: { from: "2026-01-01T00:00:00+08:00" }, triggers: [{ on: "lead.created" }] });
    const v2 = workflow({ done: { type: "end", outcome: "v2" } }, { id: "log", version: 2, effective: { from: "2026-03-06T00:00:00+08:00" }, triggers: [{ on: "lead.created" }] });
    const r = rig({ definitions: [v1, v2] });
    const a = await r.engine.emit({ type: "lead.created" });
    await r.clock.advanceBy("P1D");
    const b = await r.engine.emit({ type: "lead.created" });
    expect((await r.engine.get(a.started[0]!))!).toMatchObject({ definitionVersion: 1, outcome: "v1" });
    expect((await r.engine.get(b.started[0]!))!).toMatchObject({ definitionVersion: 2, outcome: "v2" });
  });
});

describe("domain events and waits", () => {
  it("one event starts a triggered workflow and resumes only the waiting instances it matches", async () => {
    const r = rig({ definitions: [onboarding, invoiceWait] });
    const a = await r.engine.start("invoice", { initiator: "user:li", input: { contractId: "C-9" } });
    const b = await r.engine.start("invoice", { initiator: "user:li", input: { contractId: "C-8" } });
    const res = await r.engine.emit({ type: "contract.signed", data: { contract: { id: "C-9", amount: 250000 } } });
    expect(res.resumed).toEqual([a.id]);
    expect(res.started).toHaveLength(1);
    expect((await r.engine.get(a.id))!.outcome).toBe("approved");
    expect((await r.engine.get(b.id))!.status).toBe("running");
    expect((await r.engine.audit(a.id)).at(-1)).toMatchObject({ action: "domain", actor: "system", event: { name: "contract.signed" } });
  });

  it("an event that arrives before anyone waits for it is not kept", async () => {
    const r = rig({ definitions: [invoiceWait] });
    await r.engine.emit({ type: "contract.signed", data: { contract: { id: "C-9" } } });
    const a = await r.engine.start("invoice", { initiator: "user:li", input: { contractId: "C-9" } });
    expect(a.status).toBe("running");
  });

  it("two parallel waits for the same event resume in one commit", async () => {
    const def = workflow({
      fork: { type: "branch", mode: "parallel", branches: [{ to: "w1" }, { to: "w2" }], join: "both" },
      w1: { type: "wait", event: "paid", next: "both" },
      w2: { type: "wait", event: "paid", match: "event.data.amount > 10", next: "both" },
      both: { type: "join", next: "approved" },
      ...ENDS,
    });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.emit({ type: "paid", data: { amount: 5 } });
    let v = (await r.engine.get(q.id))!;
    expect(v.activeNodes.sort()).toEqual(["fork", "w2"]);
    await r.engine.emit({ type: "paid", data: { amount: 50 } });
    v = (await r.engine.get(q.id))!;
    expect(v).toMatchObject({ outcome: "approved", version: 3 });
  });

  it("a wait that is no longer active ignores the event", async () => {
    const def = workflow({ w: { type: "wait", event: "paid", after: "PT1H", next: "approved", onTimeout: "rejected" }, ...ENDS });
    const r = rig({ definitions: [def] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.clock.advanceBy("PT2H");
    expect(await r.engine.emit({ type: "paid" })).toEqual({ started: [], resumed: [] });
    expect((await r.engine.get(q.id))!.outcome).toBe("rejected");
  });
});
