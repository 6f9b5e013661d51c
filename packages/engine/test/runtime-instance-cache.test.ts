/**
 * The engine's instance cache (runtime/transitions.ts, `instanceCache`): with a
 * storage whose reads cost something (any but the memory storage's own), the
 * engine steps the next event from the instance as it last committed it,
 * without reading it first. Never trusted: another writer's change makes the
 * storage refuse the commit (version check) and the instance is read again,
 * and a refusal decided on a kept copy is decided again on a fresh read. Two
 * engines over one storage, each with its cache, answer every event as one
 * engine without a cache does.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { isRuleflowError } from "../src/core/errors.js";
import { createVirtualClock } from "../src/runtime/clock.js";
import { createMemoryNotifier, createStaticDirectory } from "../src/runtime/defaults.js";
import { createEngine, type Engine } from "../src/runtime/engine.js";
import { createMemoryStorage, type MemoryStorage } from "../src/runtime/memory-storage.js";
import type { Storage } from "../src/runtime/ports.js";
import { approvalWorkflow, counter } from "./workflow-helpers.js";

const START = "2026-03-05T09:00:00+08:00";

/** A memory storage seen through a wrapper (so the engine reads through it, as from a database), counting instance reads. */
function counted(storage: MemoryStorage): { storage: Storage; reads: () => number } {
  let reads = 0;
  const wrapped: Storage = { ...storage, getInstance: (id: string) => (reads++, storage.getInstance(id)) };
  return { storage: wrapped, reads: () => reads };
}

function engineOn(storage: Storage, definition: Record<string, unknown>, options: { instanceCache?: number; maxConflictRetries?: number; ids?: string } = {}): Engine {
  return createEngine({
    definitions: [definition],
    storage,
    clock: createVirtualClock(START),
    notifier: createMemoryNotifier(),
    directory: createStaticDirectory(),
    newId: counter(options.ids ?? "id"),
    ...(options.instanceCache !== undefined ? { instanceCache: options.instanceCache } : {}),
    ...(options.maxConflictRetries !== undefined ? { maxConflictRetries: options.maxConflictRetries } : {}),
  });
}

/** Engines `a` and `b`, each with its cache, over one memory storage (each through its own wrapper), and an instance `a` started. */
async function twoEngines(definition: Record<string, unknown>, aOptions: { maxConflictRetries?: number } = {}): Promise<{ a: Engine; b: Engine; id: string }> {
  const memory = createMemoryStorage();
  const a = engineOn(counted(memory).storage, definition, { ...aOptions, ids: "a" });
  const b = engineOn(counted(memory).storage, definition, { ids: "b" });
  return { a, b, id: (await a.start("wf", { initiator: "user:li" })).id };
}

const chain = approvalWorkflow({ mode: "sequential", assignees: ["user:a", "user:b", "user:c"] });
const both = approvalWorkflow({ mode: "all", assignees: ["user:a", "user:b"] });

/** What an outcome says, without ids: the refusal's code and reason, or the status and who acted. */
async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return "ok";
  } catch (e) {
    if (isRuleflowError(e)) return `${e.code}: ${e.message}`;
    throw e;
  }
}

describe("the engine's instance cache", () => {
  it("a chain of start and three approvals reads the instance not once, and stores exactly what an engine without the cache stores", async () => {
    const memory = createMemoryStorage();
    const { storage, reads } = counted(memory);
    const engine = engineOn(storage, chain);
    const plain = createMemoryStorage();
    const reference = engineOn(counted(plain).storage, chain, { instanceCache: 0 });
    for (const e of [engine, reference]) {
      const q = await e.start("wf", { initiator: "user:li" });
      for (const u of ["user:a", "user:b", "user:c"]) await e.send(q.id, { type: "approve", actor: u });
      expect((await e.get(q.id))?.outcome).toBe("approved");
      await e.settle();
    }
    // engine.get reads once, in each engine; the sends read nothing
    expect(reads()).toBe(1);
    expect(memory.snapshot()).toEqual(plain.snapshot());
  });

  it("holds at most instanceCache instances, the most recently used: the one it dropped is read again", async () => {
    const { storage, reads } = counted(createMemoryStorage());
    const engine = engineOn(storage, chain, { instanceCache: 2 });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await engine.start("wf", { initiator: "user:li" })).id);
    await engine.send(ids[2]!, { type: "approve", actor: "user:a" });
    await engine.send(ids[1]!, { type: "approve", actor: "user:a" });
    expect(reads()).toBe(0);
    await engine.send(ids[0]!, { type: "approve", actor: "user:a" });
    expect(reads()).toBe(1);
  });

  it("another engine's commit first: the out-of-date copy's commit is refused by the version check, read again and applied, even with maxConflictRetries 0", async () => {
    const { a, b, id } = await twoEngines(both, { maxConflictRetries: 0 });
    await b.send(id, { type: "approve", actor: "user:b" });
    // a keeps version 1, where user:a may approve: its commit names version 1 and is refused, then it reads version 2
    await a.send(id, { type: "approve", actor: "user:a" });
    const view = await b.get(id);
    expect(view?.outcome).toBe("approved");
    expect((await b.audit(id)).map((r) => `${r.version} ${r.action} ${r.actor}`)).toEqual(["1 start user:li", "2 approve user:b", "3 approve user:a"]);
  });

  it("an event the kept copy refuses is decided again on a fresh read: the next seat's approval goes through", async () => {
    const { a, b, id } = await twoEngines(chain);
    await b.send(id, { type: "approve", actor: "user:a" });
    // in a's copy it is still user:a's turn, so user:b would be refused
    await a.send(id, { type: "approve", actor: "user:b" });
    expect((await a.audit(id)).map((r) => `${r.action} ${r.actor}`)).toEqual(["start user:li", "approve user:a", "approve user:b"]);
  });

  it("an instance another engine cancelled is refused as cancelled, not approved from the kept copy", async () => {
    const { a, b, id } = await twoEngines(chain);
    await b.cancel(id, { actor: "user:li", reason: "duplicate" });
    const said = await outcome(() => a.send(id, { type: "approve", actor: "user:a" }));
    expect(said).toMatch(/^NOT_ALLOWED: .*cancelled/);
    expect((await a.get(id))?.status).toBe("cancelled");
  });

  it("refuses an instanceCache that is not a whole number of instances, naming the option", () => {
    for (const bad of [-1, 1.5, Number.NaN, "10"]) {
      expect(() => createEngine({ definitions: [chain], instanceCache: bad as number })).toThrow(/instanceCache: expected a whole number of instances >= 0/);
    }
  });

  test.prop(
    [
      fc.constantFrom(chain, both),
      fc.array(fc.record({ engine: fc.constantFrom(0, 1), actor: fc.constantFrom("user:a", "user:b", "user:c"), type: fc.constantFrom("approve", "reject", "cancel") }), { maxLength: 8 }),
    ],
    { numRuns: 80, seed: 20261203 },
  )("two engines over one storage, each with its cache, answer every event as one engine without a cache does", async (definition, events) => {
    const shared = createMemoryStorage();
    const engines = [engineOn(counted(shared).storage, definition, { ids: "a", maxConflictRetries: 0 }), engineOn(counted(shared).storage, definition, { ids: "b", maxConflictRetries: 0 })];
    const reference = engineOn(counted(createMemoryStorage()).storage, definition, { instanceCache: 0, ids: "a" });
    const q = await engines[0]!.start("wf", { initiator: "user:li" });
    const r = await reference.start("wf", { initiator: "user:li" });
    for (const e of events) {
      const act = (engine: Engine, id: string) => () =>
        e.type === "cancel" ? engine.cancel(id, { actor: e.actor }) : engine.send(id, { type: e.type, actor: e.actor });
      const ours = await outcome(act(engines[e.engine]!, q.id));
      const theirs = await outcome(act(reference, r.id));
      expect(ours.replaceAll(q.id, "<id>")).toBe(theirs.replaceAll(r.id, "<id>"));
    }
    const mine = (await engines[0]!.audit(q.id)).map((x) => `${x.version} ${x.action} ${x.actor} ${JSON.stringify(x.after)}`);
    const ref = (await reference.audit(r.id)).map((x) => `${x.version} ${x.action} ${x.actor} ${JSON.stringify(x.after)}`);
    expect(mine).toEqual(ref);
  });
});
