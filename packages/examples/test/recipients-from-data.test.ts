/**
 * Recipients and initiators from data: the stale-opportunity follow-up is
 * started by the CRM's `opportunity.stale` event; the opportunity's owner is
 * the initiator, their manager is found through the Directory, and large deals
 * also go to the sales director (definitions/stale-opportunity-follow-up.workflow.json).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createEngine, createMemoryNotifier, createStaticDirectory, createVirtualClock, validateDefinition } from "@ruleflow/engine";

const file = join(dirname(fileURLToPath(import.meta.url)), "..", "definitions", "stale-opportunity-follow-up.workflow.json");
const definition: unknown = JSON.parse(readFileSync(file, "utf8"));

function crm(start = "2026-03-05T09:00:00+08:00") {
  const clock = createVirtualClock(start);
  const notifier = createMemoryNotifier();
  const directory = createStaticDirectory({
    roles: { "sales-director": ["user:dir"], "sales-ops": ["user:ops"] },
    managers: { "user:wu": "user:zhao", "user:li": "user:zhao" },
  });
  let n = 0;
  const engine = createEngine({ definitions: [definition], clock, notifier, directory, newId: () => `id-${++n}` });
  const sent = async (): Promise<string[]> => {
    await engine.settle();
    return notifier.sent.map((m) => `${new Date(m.at + 8 * 3_600_000).toISOString().slice(0, 16)} ${m.template} -> ${m.recipients.join(",")}`);
  };
  return { engine, clock, sent };
}

const opportunity = (over: Record<string, unknown> = {}) => ({ id: "OPP-7", name: "Hengtai renewal", owner: "user:wu", stage: "negotiation", amount: 1_800_000, ...over });

describe("stale-opportunity follow-up", () => {
  it("is a valid definition", () => {
    expect(validateDefinition(definition).issues).toEqual([]);
  });

  it("the owner from the event is the initiator; they and their manager are told; an update ends it", async () => {
    const { engine, clock, sent } = crm();
    const { started } = await engine.emit({ type: "opportunity.stale", id: "stale-OPP-7-2026-03-05", data: { opportunity: opportunity() } });
    const v = (await engine.get(started[0]!))!;
    expect(v).toMatchObject({ initiator: "user:wu", status: "running", input: { opportunity: { owner: "user:wu" } } });
    expect((await engine.audit(v.id))[0]).toMatchObject({ action: "start", actor: "user:wu" });
    expect(await sent()).toEqual(["2026-03-05T09:00 opportunity-follow-up -> user:wu", "2026-03-05T09:00 opportunity-stale-fyi -> user:zhao"]);
    await clock.advanceBy("P1D");
    // an update of another opportunity does not count
    await engine.emit({ type: "opportunity.updated", data: { opportunity: { id: "OPP-8" } } });
    expect((await engine.get(v.id))!.status).toBe("running");
    await engine.emit({ type: "opportunity.updated", data: { opportunity: { id: "OPP-7" } } });
    expect((await engine.get(v.id))!).toMatchObject({ status: "completed", outcome: "followed-up" });
  });

  it("no update in 3 working days: the owner's manager decides, and the director hears of a large deal", async () => {
    const { engine, clock, sent } = crm();
    const { started } = await engine.emit({ type: "opportunity.stale", data: { opportunity: opportunity() } });
    // Thursday 09:00 + 3 working days = Tuesday 10 March 09:00 (the weekend does not count)
    await clock.advanceTo("2026-03-10T08:59:00+08:00");
    expect((await engine.get(started[0]!))!.activeNodes).toEqual(["await-update"]);
    await clock.advanceTo("2026-03-10T09:00:00+08:00");
    const v = (await engine.get(started[0]!))!;
    expect(v).toMatchObject({ activeNodes: ["manager-review"], assignees: ["user:zhao"] });
    expect(v.approvals["manager-review"]!.approvers[0]).toMatchObject({ user: "user:zhao", seat: "manager-of:user:wu" });
    expect((await sent()).slice(2)).toEqual(["2026-03-10T09:00 opportunity-review -> user:zhao", "2026-03-10T09:00 opportunity-escalated -> user:dir"]);
    const done = await engine.send(v.id, { type: "reject", actor: "user:zhao", comment: "hand it to the key-account team" });
    expect(done).toMatchObject({ status: "completed", outcome: "reassigned" });
    expect((await sent()).slice(4)).toEqual(["2026-03-10T09:00 opportunity-reassigned -> user:wu", "2026-03-10T09:00 opportunity-reassigned -> user:ops"]);
  });

  it("a small deal is not reported to the director; an owner without a manager falls back to the director", async () => {
    const { engine, clock, sent } = crm();
    const { started } = await engine.emit({ type: "opportunity.stale", data: { opportunity: opportunity({ owner: "user:new", amount: 50_000 }) } });
    await clock.advanceTo("2026-03-10T09:00:00+08:00");
    const v = (await engine.get(started[0]!))!;
    expect(v).toMatchObject({ initiator: "user:new", assignees: ["user:dir"] });
    // nobody manages user:new in the Directory: the FYI resolved to no one, the review fell back
    expect(await sent()).toEqual([
      "2026-03-05T09:00 opportunity-follow-up -> user:new",
      "2026-03-05T09:00 opportunity-stale-fyi -> ",
      "2026-03-10T09:00 opportunity-review -> user:dir",
    ]);
    expect((await engine.send(v.id, { type: "approve", actor: "user:dir" })).outcome).toBe("kept");
  });

  it("won or lost opportunities start nothing", async () => {
    const { engine } = crm();
    expect(await engine.emit({ type: "opportunity.stale", data: { opportunity: opportunity({ stage: "won" }) } })).toEqual({ started: [], resumed: [] });
  });
});
