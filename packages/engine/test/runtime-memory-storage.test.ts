/**
 * The memory storage keeps records frozen and shares them with the engine
 * (runtime/memory-storage.ts): no caller's mutation can reach what is stored,
 * what a host reads is its own copy, text is checked in every commit (also
 * inside a caller's frozen objects), and an engine commit walks only what the
 * transition made new.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { isRuleflowError } from "../src/core/errors.js";
import { createVirtualClock } from "../src/runtime/clock.js";
import { createMemoryNotifier, createStaticDirectory } from "../src/runtime/defaults.js";
import { createEngine } from "../src/runtime/engine.js";
import { createMemoryStorage, sharedReadsOf, type MemoryStorage } from "../src/runtime/memory-storage.js";
import type { AuditRecord, Commit, StoredInstance } from "../src/runtime/ports.js";
import { engineCommit } from "../src/runtime/records.js";
import { assertStorableText } from "../src/storable-text.js";
import { approvalWorkflow, counter } from "./workflow-helpers.js";

/** JSON values: what records hold. */
const json = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<unknown>;

function instance(id: string, version: number, context: unknown): StoredInstance {
  return { id, definitionId: "wf", definitionVersion: 1, version, status: "running", initiator: "user:li", assignees: ["user:a"], waitingFor: [], state: { value: "step", context }, createdAt: 1, updatedAt: 1 + version };
}

function audit(instanceId: string, version: number, event: unknown): AuditRecord {
  return { id: `${instanceId}@${version}`, instanceId, version, at: version, actor: "user:a", action: "approve", definitionId: "wf", definitionVersion: 1, before: null, after: { value: "step", status: "running" }, event: { type: "approve", data: event } };
}

function commitOf(i: StoredInstance, expectedVersion: number | null, event: unknown): Commit {
  return { instance: i, expectedVersion, timersToSet: [], timerIdsToCancel: [], outbox: [], audit: audit(i.id, i.version, event) };
}

/** Whether no object inside `value` is frozen. */
function nothingFrozen(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return true;
  return !Object.isFrozen(value) && Object.values(value).every(nothingFrozen);
}

/** Try to change every object inside `value` (a frozen one refuses with a TypeError, which is ignored). */
function tryToMutate(value: unknown): void {
  if (typeof value !== "object" || value === null) return;
  try {
    (value as Record<string, unknown>)["__mutated"] = true;
  } catch {
    // frozen: refused
  }
  if (Array.isArray(value)) {
    try {
      value.push("__mutated");
    } catch {
      // frozen
    }
  }
  for (const v of Object.values(value)) tryToMutate(v);
}

const read = (s: MemoryStorage, id: string): StoredInstance | undefined => sharedReadsOf(s)!.getInstance(id);

describe("memory storage: frozen, shared records", () => {
  test.prop([json, json], { numRuns: 60, seed: 7 })("what was committed cannot be changed afterwards, through the committed objects or anything read", async (context, event) => {
    const s = createMemoryStorage();
    const i = instance("i1", 1, context);
    const c = commitOf(i, null, event);
    await s.commit(c);
    const expected = JSON.stringify({ i: await s.getInstance("i1"), a: await s.listAudit("i1") });
    // the caller's own objects, the engine's shared read, and every host read
    tryToMutate(c);
    tryToMutate(read(s, "i1"));
    tryToMutate(await s.getInstance("i1"));
    tryToMutate(await s.listAudit("i1"));
    tryToMutate(await s.listInstances({}));
    expect(JSON.stringify({ i: await s.getInstance("i1"), a: await s.listAudit("i1") })).toBe(expected);
    expect(Object.isFrozen(read(s, "i1"))).toBe(true);
  });

  test.prop([json], { numRuns: 40, seed: 11 })("host reads are copies the host may change; the engine's read is the frozen record itself", async (context) => {
    const s = createMemoryStorage();
    await s.commit(commitOf(instance("i1", 1, context), null, null));
    const copy = (await s.getInstance("i1"))!;
    expect(Object.isFrozen(copy)).toBe(false);
    expect(copy).not.toBe(read(s, "i1"));
    expect(copy).toEqual(read(s, "i1"));
    (copy as { status: string }).status = "completed";
    expect(read(s, "i1")!.status).toBe("running");
  });

  it("restoring from a snapshot leaves the caller's data unfrozen", () => {
    const data = { instances: [instance("i1", 1, { n: 1 })], timers: [], outbox: [], audit: [] };
    const s = createMemoryStorage(data);
    expect(Object.isFrozen(data.instances[0]!)).toBe(false);
    expect(Object.isFrozen(read(s, "i1"))).toBe(true);
  });

  it("checks the text inside a caller's frozen objects, names the path, and freezes nothing of a refused commit", async () => {
    const s = createMemoryStorage();
    const bad = Object.freeze({ note: "ok\u0000" });
    const fresh = { list: [1, 2] };
    const c = commitOf(instance("i1", 1, { bad, fresh }), null, null);
    const error = await s.commit(c).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isRuleflowError(error) && error.code).toBe("VALIDATION_ERROR");
    expect(String((error as Error).message)).toMatch(/instance\.state\.context\.bad\.note/);
    expect(Object.isFrozen(fresh)).toBe(false);
    expect(await s.getInstance("i1")).toBeUndefined();
  });

  it("a surrogate pair is text every store keeps", async () => {
    const s = createMemoryStorage();
    await s.commit(commitOf(instance("i1", 1, { name: "张三 😀" }), null, null));
    expect(((await s.getInstance("i1"))!.state.context as { name: string }).name).toBe("张三 😀");
  });

  it("an engine commit walks only what is not frozen yet: frozen parts were checked when first committed", async () => {
    const s = createMemoryStorage();
    const shared = { customer: { name: "li" } };
    await s.commit(commitOf(instance("i1", 1, { input: shared }), null, null));
    expect(Object.isFrozen(shared.customer)).toBe(true);
    // the same frozen input in the next version's state: the engine commit skips it, a foreign one walks it
    const next = engineCommit(commitOf(instance("i1", 2, { input: shared, n: { fresh: true } }), 1, null), 1);
    await s.commit(next);
    expect(Object.isFrozen((next.instance.state.context as { n: object }).n)).toBe(true);
  });

  it("only the commit object the engine marked is trusted: a copy of it ({ ...commit }, as a wrapping storage may pass on, or one with its prototype, as deep-clone utilities make) is walked whole, frozen parts too", async () => {
    const s = createMemoryStorage();
    await s.commit(commitOf(instance("i1", 1, {}), null, null));
    // a frozen object no earlier commit checked, with text no store can keep
    const hostile = Object.freeze({ note: "a\u0000b" });
    const marked = engineCommit(commitOf(instance("i1", 2, { hostile }), 1, null), 1);
    expect(Object.keys(marked)).toEqual(Object.keys({ ...marked }));
    const sameProto = Object.assign(Object.create(Object.getPrototypeOf(marked) as object) as Commit, marked);
    expect(Object.getPrototypeOf(sameProto)).toBe(Object.getPrototypeOf(marked));
    for (const copy of [{ ...marked }, sameProto]) {
      const error = await s.commit(copy).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(isRuleflowError(error) && error.code).toBe("VALIDATION_ERROR");
      expect(String((error as Error).message)).toMatch(/instance\.state\.context\.hostile\.note/);
      expect((await s.getInstance("i1"))!.version).toBe(1);
    }
    // the marked commit itself skips frozen parts, as the engine's own commits may (they hold only checked ones)
    await s.commit(marked);
    expect((await s.getInstance("i1"))!.version).toBe(2);
  });

  // Against the reference check (assertStorableText), over many commits of one instance: the storage's faster
  // walk (the key set it remembers, the skipped frozen parts of engine commits) changes no verdict.
  const text = fc.oneof(
    fc.constantFrom("pending", "user:a", "review", "ok\u0000", "\ud800", "a\udfffb", "张三 😀", "x".repeat(64), "x".repeat(65) + "\u0000"),
    fc.string({ maxLength: 6 }),
    fc.string({ unit: "binary", maxLength: 4 }),
  );
  const strings = fc.array(text, { maxLength: 3 });
  test.prop([fc.array(fc.record({ values: strings, keys: strings }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 12_000 })], { numRuns: 80, seed: 13 })(
    "a commit is refused exactly when one of its strings is unstorable (as the reference check says), and a refused one stores nothing",
    async (commits, filler) => {
      const s = createMemoryStorage();
      // many distinct keys first, so the storage's set of known keys is full in some runs
      await s.commit(commitOf(instance("fill", 1, Object.fromEntries(Array.from({ length: filler }, (_, k) => [`k${k}`, k]))), null, null));
      let version = 0;
      for (const { values, keys } of commits) {
        const context = { values: values.map((x) => ({ x })), keys: Object.fromEntries(keys.map((k) => [k, 1])) };
        const oracle = (() => {
          try {
            assertStorableText({ context }, "commit");
            return true;
          } catch {
            return false;
          }
        })();
        const outcome = await s.commit(engineCommit(commitOf(instance("i1", version + 1, context), version === 0 ? null : version, null), version === 0 ? null : version)).then(
          () => true,
          (e: unknown) => (isRuleflowError(e) && e.code === "VALIDATION_ERROR" ? false : Promise.reject(e)),
        );
        expect(outcome).toBe(oracle);
        if (outcome) version++;
        expect((await s.getInstance("i1"))?.version).toBe(version === 0 ? undefined : version);
      }
    },
  );

  it("a storage made by spreading one (to wrap its methods) does not carry the shared read: the engine reads through the wrapper", async () => {
    const s = createMemoryStorage();
    let reads = 0;
    const wrapped = { ...s, getInstance: (id: string) => (reads++, s.getInstance(id)) };
    expect(sharedReadsOf(wrapped)).toBeUndefined();
    // (without the engine's instance cache, which would answer this send without a read: runtime-instance-cache.test.ts)
    const engine = createEngine({ definitions: [approvalWorkflow({ assignees: ["user:a"] })], storage: wrapped, clock: createVirtualClock("2026-03-05T09:00:00+08:00"), notifier: createMemoryNotifier(), directory: createStaticDirectory(), newId: counter(), instanceCache: 0 });
    const q = await engine.start("wf", { initiator: "user:li" });
    await engine.send(q.id, { type: "approve", actor: "user:a" });
    expect(reads).toBeGreaterThan(0);
    await engine.close();
  });
});

describe("engine over a memory storage: hosts never hold stored objects", () => {
  test.prop([json], { numRuns: 30, seed: 5 })("views, audit and outbox are the host's own; changing them changes nothing stored; what the host passed stays unfrozen", async (extra) => {
    const storage = createMemoryStorage();
    const engine = createEngine({
      definitions: [approvalWorkflow({ assignees: ["user:a", "user:b"], mode: "all" })],
      storage,
      clock: createVirtualClock("2026-03-05T09:00:00+08:00"),
      notifier: createMemoryNotifier(),
      directory: createStaticDirectory(),
      newId: counter(),
    });
    const input = { customer: { name: "li", tags: ["a"] }, extra };
    const v = await engine.start("wf", { initiator: "user:li", input });
    const event = { type: "approve" as const, actor: "user:a", meta: { extra } };
    const after = await engine.send(v.id, event);
    expect(Object.isFrozen(input.customer)).toBe(false);
    expect(Object.isFrozen(event.meta)).toBe(false);
    const before = JSON.stringify(read(storage, v.id));
    for (const x of [v, after, await engine.get(v.id), await engine.list(), await engine.audit(v.id), await engine.outbox(v.id)]) {
      expect(nothingFrozen(x)).toBe(true);
      tryToMutate(x);
    }
    expect(JSON.stringify(read(storage, v.id))).toBe(before);
    await engine.close();
  });
});
