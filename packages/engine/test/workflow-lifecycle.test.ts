import { describe, expect, it } from "vitest";
import { approvalWorkflow, rig, slots, workflow, ENDS } from "./workflow-helpers.js";

describe("a closed engine", () => {
  it("refuses start, send, cancel and emit with a clear error", async () => {
    const r = rig({ definitions: [approvalWorkflow({ mode: "all", assignees: ["user:a"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.close();
    await expect(r.engine.start("wf", { initiator: "user:li" })).rejects.toThrow(/engine is closed/);
    await expect(r.engine.send(q.id, { type: "approve", actor: "user:a" })).rejects.toThrow(/engine is closed/);
    await expect(r.engine.cancel(q.id)).rejects.toThrow(/engine is closed/);
    await expect(r.engine.emit({ type: "x" })).rejects.toThrow(/engine is closed/);
    expect(r.storage.snapshot().instances[0]!.version).toBe(1);
  });
});

describe("domain events with an id", () => {
  const triggered = workflow(
    { step: { type: "approval", mode: "any", assignees: ["user:a"], onApprove: "approved", onReject: "rejected" }, ...ENDS },
    { id: "kickoff", triggers: [{ on: "contract.signed" }] },
  );

  it("start their workflows once, however often they are emitted", async () => {
    const r = rig({ definitions: [triggered] });
    const first = await r.engine.emit({ type: "contract.signed", id: "HT-1", data: { contract: { id: "HT-1" } } });
    const again = await r.engine.emit({ type: "contract.signed", id: "HT-1", data: { contract: { id: "HT-1" } } });
    const other = await r.engine.emit({ type: "contract.signed", id: "HT-2", data: { contract: { id: "HT-2" } } });
    expect(first.started).toEqual(["kickoff:HT-1"]);
    expect(again.started).toEqual([]);
    expect(other.started).toEqual(["kickoff:HT-2"]);
    expect((await r.engine.list()).map((i) => i.id)).toEqual(["kickoff:HT-1", "kickoff:HT-2"]);
  });

  it("without an id start a new instance each time", async () => {
    const r = rig({ definitions: [triggered] });
    await r.engine.emit({ type: "contract.signed", data: {} });
    await r.engine.emit({ type: "contract.signed", data: {} });
    expect(await r.engine.list()).toHaveLength(2);
  });
});

describe("a reassign escalation on a countersign step", () => {
  it("hands every pending approval to the target, who then decides alone", async () => {
    const r = rig({
      definitions: [
        approvalWorkflow({
          mode: "all",
          assignees: ["user:a", "user:b", "user:c"],
          escalation: [{ after: "PT1H", action: "reassign", to: "role:ops" }],
        }),
      ],
    });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    await r.engine.send(q.id, { type: "approve", actor: "user:a" });
    await r.clock.advanceBy("PT1H");
    const v = (await r.engine.get(q.id))!;
    expect(v.assignees).toEqual(["user:ops"]);
    expect(slots(v)).toEqual(["user:a:approved", "user:ops:pending", "user:c:removed"]);
    const done = await r.engine.send(q.id, { type: "approve", actor: "user:ops" });
    expect(done).toMatchObject({ status: "completed", outcome: "approved", activeNodes: [] });
  });
});
