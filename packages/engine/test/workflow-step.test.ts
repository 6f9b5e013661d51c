/**
 * The pure transition step (runtime/step.ts): deterministic, free of I/O,
 * never changing its input, and exactly what the engine commits.
 */
import { fc, test } from "@fast-check/vitest";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRegistry } from "../src/registry.js";
import { createEngine } from "../src/runtime/engine.js";
import { createMemoryStorage } from "../src/runtime/memory-storage.js";
import { createStaticDirectory } from "../src/runtime/defaults.js";
import { createVirtualClock } from "../src/runtime/clock.js";
import type { StoredInstance } from "../src/runtime/ports.js";
import { step, stepStart, timerEventOf, type DirectoryAnswers, type StepEnded, type StepRefusal, type StepResult } from "../src/runtime/step.js";
import { runnableWorkflows } from "../src/runtime/workflows.js";
import type { CompiledWorkflow } from "../src/workflow/compile.js";
import type { InstanceEvent } from "../src/workflow/events.js";
import { ENDS, counter, workflow } from "./workflow-helpers.js";

const AT = Date.parse("2026-03-05T09:00:00+08:00");
const HOUR = 3_600_000;

/** Two sequential approvers, a reminder ladder, notifications on entry and at the end. */
const chain = workflow({
  review: {
    type: "approval",
    mode: "sequential",
    assignees: ["user:a", "role:finance"],
    escalation: [{ after: "PT2H", action: "remind" }, { after: "PT4H", action: "escalate", to: "user:boss" }],
    onApprove: "approved",
    onReject: "rejected",
  },
  ...ENDS,
});

/** The assignee is computed from the input: a manager-of spec the Directory answers. */
const fromData = workflow({
  review: { type: "approval", assignees: [{ expr: '"manager-of:" + owner' }], fallback: "auto-reject", onApprove: "approved", onReject: "rejected" },
  ...ENDS,
});

const registry = createRegistry([chain, { ...fromData, id: "from-data" }]);
const workflows = runnableWorkflows(registry);
const compiled = (id: string): CompiledWorkflow => registry.resolve(id, new Date(AT).toISOString()) as CompiledWorkflow;
const FINANCE: DirectoryAnswers = { "role:finance": ["user:fin1", "user:fin2"] };

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

function committed(r: StepResult): Extract<StepResult, { kind: "commit" }> {
  if (r.kind !== "commit") throw new Error(`expected a commit, got ${JSON.stringify(r)}`);
  return r;
}

/** A started instance of `chain`, as stored. */
function started(newId = counter()): StoredInstance {
  return committed(stepStart({ workflow: workflows.of(compiled("wf")), id: "q-1", initiator: "user:li", input: { amount: 900 }, at: AT, newId, directory: FINANCE })).commit.instance;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("the pure transition step", () => {
  it("asks for the workflow's Directory specs first, then starts with them", () => {
    const wf = workflows.of(compiled("wf"));
    expect(stepStart({ workflow: wf, id: "q-1", initiator: "user:li", input: {}, at: AT, newId: counter() })).toEqual({ kind: "lookup", specs: ["role:finance"] });
    const r = committed(stepStart({ workflow: wf, id: "q-1", initiator: "user:li", input: {}, at: AT, newId: counter(), directory: FINANCE }));
    expect(r.commit.expectedVersion).toBeNull();
    expect(r.commit.instance).toMatchObject({ id: "q-1", version: 1, status: "running", assignees: ["user:a"] });
    expect(r.commit.audit).toMatchObject({ id: "id-2", action: "start", actor: "user:li", version: 1 });
    expect(r.commit.outbox.map((o) => o.payload["template"])).toEqual(["approval-requested"]);
    expect(r.commit.timersToSet.map((t) => t.key)).toEqual(["esc:review"]);
    expect(r.announce).toEqual([{ type: "instance.started", instanceId: "q-1", definitionId: "wf", at: AT }]);
  });

  it("gives the same result for the same input, and changes nothing it is given", () => {
    const stored = deepFreeze(started());
    const before = structuredClone(stored);
    const event: InstanceEvent = deepFreeze({ type: "approve", actor: "user:a", comment: "ok" });
    const run = (): StepResult => step({ stored, event, at: AT + HOUR, workflows: workflows.lookup, newId: counter("n") });
    const first = run();
    expect(run()).toEqual(first);
    expect(stored).toEqual(before);
    const r = committed(first);
    expect(r.transitioned).toBe(true);
    expect(r.commit).toMatchObject({ expectedVersion: 1, instance: { version: 2, assignees: ["user:fin1"] }, audit: { id: "n-2", action: "approve", actor: "user:a", comment: "ok" } });
    expect(r.commit.outbox.map((o) => [o.id, o.payload["template"], o.payload["to"]])).toEqual([
      ["n-1", "approval-requested", "user:fin1"],
    ]);
    expect(r.announce).toEqual([{ type: "instance.transitioned", instanceId: "q-1", event: "approve", actor: "user:a", from: "review", to: "review", version: 2, at: AT + HOUR }]);
  });

  it("reads no clock and touches no storage: it runs with neither", () => {
    const stored = started();
    vi.spyOn(Date, "now").mockImplementation(() => {
      throw new Error("the step read the clock");
    });
    vi.spyOn(globalThis.crypto, "randomUUID").mockImplementation(() => {
      throw new Error("the step made an id of its own");
    });
    const r = committed(step({ stored, event: { type: "approve", actor: "user:a" }, at: AT + HOUR, workflows: workflows.lookup, newId: counter() }));
    expect(r.commit.instance.updatedAt).toBe(AT + HOUR);
    expect(r.commit.audit.at).toBe(AT + HOUR);
  });

  it("refuses an event that does not apply, with the reason, and says when the instance has ended", () => {
    const stored = started();
    const refused = step({ stored, event: { type: "approve", actor: "user:x" }, at: AT, workflows: workflows.lookup, newId: counter() });
    expect(refused).toEqual<StepRefusal>({ kind: "refused", reason: { key: "notApprover" } });
    const ended = { ...stored, status: "completed" as const };
    const lookups: string[] = [];
    const r = step({ stored: ended, event: { type: "approve", actor: "user:a" }, at: AT, newId: counter(), workflows: (id, v) => (lookups.push(`${id}@${v}`), workflows.lookup(id, v)) });
    expect(r).toEqual<StepEnded>({ kind: "ended", status: "completed" });
    // an ended instance needs no workflow (its version may no longer be loaded)
    expect(lookups).toEqual([]);
  });

  it("drops a stale timer's record in a bookkeeping commit, announcing nothing", () => {
    const stored = started();
    const timer = committed(stepStart({ workflow: workflows.of(compiled("wf")), id: "q-1", initiator: "user:li", input: {}, at: AT, newId: counter(), directory: FINANCE })).commit.timersToSet[0]!;
    const stale = { ...timer, event: { ...timer.event, generation: 99 } };
    const r = committed(step({ stored, event: timerEventOf(stale), firedTimerId: stale.id, at: AT + 2 * HOUR, workflows: workflows.lookup, newId: counter("t") }));
    expect(r.transitioned).toBe(false);
    expect(r.announce).toEqual([]);
    expect(r.commit.timerIdsToCancel).toEqual([stale.id]);
    expect(r.commit.instance.state).toEqual(stored.state);
    expect(r.commit.audit).toMatchObject({ action: "timer", actor: "timer", version: 2 });
    // the live timer fires: a reminder goes out
    const live = committed(step({ stored, event: timerEventOf(timer), firedTimerId: timer.id, at: AT + 2 * HOUR, workflows: workflows.lookup, newId: counter("t") }));
    expect(live.transitioned).toBe(true);
    expect(live.commit.outbox.map((o) => o.payload["template"])).toEqual(["approval-reminder"]);
  });

  it("asks for a Directory spec computed from data, and commits once it has the answer", () => {
    const wf = workflows.of(compiled("from-data"));
    const base = { workflow: wf, id: "d-1", initiator: "user:li", input: { owner: "user:wu" }, at: AT, newId: counter() };
    expect(stepStart(base)).toEqual({ kind: "lookup", specs: ["manager-of:user:wu"] });
    const r = committed(stepStart({ ...base, directory: { "manager-of:user:wu": ["user:zhao"] } }));
    expect(r.commit.instance.assignees).toEqual(["user:zhao"]);
    // the answer is kept in the instance; the note of what was missing is not
    const ctx = r.commit.instance.state.context as { directory: Record<string, string[]>; unresolved?: unknown };
    expect(ctx.directory).toEqual({ "manager-of:user:wu": ["user:zhao"] });
    expect("unresolved" in ctx).toBe(false);
    // when the caller stops looking up, the spec is no one: here the fallback rejects
    const none = committed(stepStart({ ...base, lookUp: false }));
    expect(none.commit.instance).toMatchObject({ status: "completed", outcome: "rejected" });
  });
});

/** The events a random run sends: only plain user ids, so the engine resolves nothing through the Directory. */
const PEOPLE = ["user:a", "user:fin1", "user:fin2", "user:li", "user:boss", "user:x"];
const opArb: fc.Arbitrary<{ event: InstanceEvent; minutes: number }> = fc.record({
  event: fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...PEOPLE).map((actor): InstanceEvent => ({ type: "approve", actor })) },
    { weight: 1, arbitrary: fc.constantFrom(...PEOPLE).map((actor): InstanceEvent => ({ type: "reject", actor, to: "initiator" })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PEOPLE), fc.constantFrom(...PEOPLE)).map(([actor, to]): InstanceEvent => ({ type: "delegate", actor, to })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...PEOPLE), fc.constantFrom(...PEOPLE)).map(([actor, user]): InstanceEvent => ({ type: "addSigner", actor, users: [user], position: "parallel" })) },
    { weight: 1, arbitrary: fc.constantFrom<InstanceEvent>({ type: "resubmit", actor: "user:li" }, { type: "remind", actor: "user:li" }, { type: "withdraw", actor: "user:li" }) },
  ),
  minutes: fc.integer({ min: 0, max: 3 }),
});

describe("the engine is the step plus I/O", () => {
  test.prop([fc.array(opArb, { minLength: 1, maxLength: 12 })], { seed: 20260310, numRuns: 25 })(
    "folding the step over a run of events gives what the engine stores, record for record",
    async (ops) => {
      const clock = createVirtualClock(AT);
      const storage = createMemoryStorage();
      const engine = createEngine({ definitions: registry, clock, storage, newId: counter("e"), directory: createStaticDirectory({ roles: { finance: ["user:fin1", "user:fin2"] } }) });
      await engine.start("wf", { id: "q-1", initiator: "user:li", input: { amount: 900 } });

      const newId = counter("e");
      const first = committed(stepStart({ workflow: workflows.of(compiled("wf")), id: "q-1", initiator: "user:li", input: { amount: 900 }, at: AT, newId, directory: FINANCE }));
      let stored = first.commit.instance;
      const audit = [first.commit.audit];
      let now = AT;
      for (const { event, minutes } of ops) {
        // time passes without timers firing in between: none is due before 2 hours, and a run stays under one
        now += minutes * 60_000;
        await clock.advanceTo(now);
        let applied: "ok" | "refused" = "ok";
        try {
          await engine.send("q-1", event);
        } catch {
          applied = "refused";
        }
        const r = step({ stored, event, at: now, workflows: workflows.lookup, newId });
        expect(r.kind === "commit" ? "ok" : "refused").toBe(applied);
        if (r.kind === "commit") {
          stored = r.commit.instance;
          audit.push(r.commit.audit);
        }
      }
      expect(await storage.getInstance("q-1")).toEqual(stored);
      expect(await storage.listAudit("q-1")).toEqual(audit);
      await engine.close();
    },
  );
});
