/**
 * Two copies of the engine in one process (an ESM build beside a CJS one, a
 * bundler that duplicates the package, an adapter with its own copy): a
 * conflict raised by the other copy's storage is still recognised and retried.
 */
import { describe, expect, it, vi } from "vitest";
import type * as EngineModule from "../src/index.js";
import { approvalWorkflow, counter, ROLES, workflow } from "./workflow-helpers.js";

type Api = typeof EngineModule;

/** Two module instances of the whole engine (every file, so every error class twice). */
async function twoCopies(): Promise<[Api, Api]> {
  vi.resetModules();
  const a = await import("../src/index.js");
  vi.resetModules();
  const b = await import("../src/index.js");
  return [a, b];
}

/** Views of one storage whose commits wait until `parties` loads happened: every writer reads the same version. */
function raceOn(storage: EngineModule.Storage, parties: number): EngineModule.Storage[] {
  let loads = 0;
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  const view = (): EngineModule.Storage => ({
    getInstance: async (id) => {
      const i = await storage.getInstance(id);
      if (++loads === parties) open();
      return i;
    },
    commit: async (c) => {
      await opened;
      return storage.commit(c);
    },
    listInstances: (q) => storage.listInstances(q),
    listPendingTimers: (o) => storage.listPendingTimers(o),
    getTimer: (id) => storage.getTimer(id),
    listDueOutbox: (now, limit) => storage.listDueOutbox(now, limit),
    listOutbox: (id) => storage.listOutbox(id),
    updateOutbox: (id, u) => storage.updateOutbox(id, u),
    listAudit: (id) => storage.listAudit(id),
  });
  return Array.from({ length: parties }, view);
}

describe("two copies of the engine", () => {
  it("really are two copies: the other copy's ConcurrencyError is not an instance of this one's", async () => {
    const [a, b] = await twoCopies();
    expect(a.ConcurrencyError).not.toBe(b.ConcurrencyError);
    const foreign = new b.ConcurrencyError("i", 1, 2);
    expect(foreign instanceof a.ConcurrencyError).toBe(false);
    expect(a.isRuleflowError(foreign) && foreign.code).toBe("CONCURRENCY_CONFLICT");
  });

  it("two writers racing over the other copy's storage: the loser is retried and both decisions are applied", async () => {
    const [a, b] = await twoCopies();
    const def = approvalWorkflow({ mode: "all", assignees: ["user:fin1", "user:fin2"] });
    const storage = b.createMemoryStorage();
    const clock = a.createVirtualClock("2026-03-05T09:00:00+08:00");
    const directory = a.createStaticDirectory({ roles: ROLES });
    const setup = a.createEngine({ definitions: [def], storage, clock, directory, newId: counter("s") });
    const q = await setup.start("wf", { initiator: "user:li" });
    await setup.settle();
    const [sa, sb] = raceOn(storage, 2);
    const e1 = a.createEngine({ definitions: [def], storage: sa!, clock, directory, newId: counter("a") });
    const e2 = a.createEngine({ definitions: [def], storage: sb!, clock, directory, newId: counter("b") });
    await Promise.all([e1.ready, e2.ready]);
    const results = await Promise.allSettled([e1.send(q.id, { type: "approve", actor: "user:fin1" }), e2.send(q.id, { type: "approve", actor: "user:fin2" })]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    const v = (await setup.get(q.id))!;
    expect(v).toMatchObject({ version: 3, status: "completed", outcome: "approved" });
    const audit = await setup.audit(q.id);
    expect(audit.map((x) => `${x.version} ${x.action}`)).toEqual(["1 start", "2 approve", "3 approve"]);
    expect(new Set(audit.slice(1).map((x) => x.actor))).toEqual(new Set(["user:fin1", "user:fin2"]));
    for (const e of [setup, e1, e2]) await e.close();
  });

  it("emitting the same event id twice over the other copy's storage starts one instance and reports no error", async () => {
    const [a, b] = await twoCopies();
    const def = workflow({ done: { type: "approval", assignees: ["user:ops"], onApprove: "ok", onReject: "ok" }, ok: { type: "end", outcome: "ok" } }, { id: "kickoff", triggers: [{ on: "contract.signed" }] });
    const engine = a.createEngine({ definitions: [def], storage: b.createMemoryStorage(), clock: a.createVirtualClock("2026-03-05T09:00:00+08:00") });
    const first = await engine.emit({ type: "contract.signed", id: "evt-1", data: { contractId: "HT-1" } });
    const again = await engine.emit({ type: "contract.signed", id: "evt-1", data: { contractId: "HT-1" } });
    expect(first.started).toHaveLength(1);
    expect(again.started).toEqual([]);
    expect(await engine.list()).toHaveLength(1);
    await engine.close();
  });
});
