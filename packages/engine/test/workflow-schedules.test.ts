/**
 * Scheduled triggers: workflows started on a recurrence of a business
 * calendar, on the virtual clock, across restarts and with two engines on
 * one storage (one start per occurrence).
 */
import { describe, expect, it } from "vitest";
import {
  createEngine,
  createMemoryStorage,
  createVirtualClock,
  isRuleflowError,
  validateDefinition,
  formatIssue,
  type Clock,
  type EngineEvent,
  type Storage,
} from "../src/index.js";
import { counter, cst, rig, workflow } from "./workflow-helpers.js";

const review = workflow(
  { hold: { type: "wait", after: "PT1H", next: "done" }, done: { type: "end", outcome: "reviewed" } },
  {
    id: "pipeline-review",
    triggers: [{ schedule: { id: "weekly", every: "week", on: ["friday"], at: "16:00", calendar: "cn-mainland", ifNotWorkday: "skip" }, initiator: "user:sales-ops" }],
  },
);
const receivables = workflow(
  { done: { type: "end", outcome: "checked" } },
  {
    id: "receivables-check",
    calendar: "cn-mainland",
    triggers: [{ schedule: { every: "month", day: 5, at: "09:00", ifNotWorkday: "next" }, input: { month: { expr: "substring(schedule.date, 0, 7)" }, source: "schedule" } }],
  },
);

const started = async (engine: ReturnType<typeof createEngine>): Promise<string[]> =>
  (await engine.list()).map((v) => `${v.id} created ${cst(Date.parse(v.createdAt))}`);

describe("scheduled triggers on the virtual clock", () => {
  it("across the 2026 Spring Festival: the holiday Friday is skipped and the 5th of April moves to the next working day", async () => {
    const r = rig({ definitions: [review, receivables], start: "2026-01-30T17:00:00+08:00" });
    await r.clock.advanceTo("2026-04-10T00:00:00+08:00");
    const list = await r.engine.list();
    const reviews = list.filter((v) => v.definitionId === "pipeline-review").map((v) => cst(Date.parse(v.createdAt)));
    expect(reviews).toEqual(
      ["02-06", "02-13", "02-27", "03-06", "03-13", "03-20", "03-27", "04-03"].map((d) => `2026-${d}T16:00:00+08:00`),
    );
    const checks = list.filter((v) => v.definitionId === "receivables-check");
    expect(checks.map((v) => v.id)).toEqual(["receivables-check/schedule-0@2026-02-05T09:00", "receivables-check/schedule-0@2026-03-05T09:00", "receivables-check/schedule-0@2026-04-07T09:00"]);
    expect(checks[2]).toMatchObject({ initiator: "system", input: { month: "2026-04", source: "schedule" }, outcome: "checked" });
    const first = list.find((v) => v.id === "pipeline-review/weekly@2026-02-06T16:00")!;
    expect(first).toMatchObject({ initiator: "user:sales-ops", status: "completed", input: { schedule: { id: "pipeline-review/weekly", occurrence: "2026-02-06T08:00:00.000Z", local: "2026-02-06T16:00", date: "2026-02-06" } } });
    expect(await r.engine.schedules()).toEqual([
      { id: "pipeline-review/weekly", workflow: "pipeline-review", next: "2026-04-10T08:00:00.000Z", nextLocal: "2026-04-10T16:00", last: "2026-04-03T08:00:00.000Z", error: null },
      { id: "receivables-check/schedule-0", workflow: "receivables-check", next: "2026-05-06T01:00:00.000Z", nextLocal: "2026-05-06T09:00", last: "2026-04-07T01:00:00.000Z", error: null },
    ]);
  });

  it("an occurrence exactly at the engine's start time starts; schedule.fired is reported", async () => {
    const r = rig({ definitions: [review], start: "2026-02-06T16:00:00+08:00" });
    const events: EngineEvent[] = [];
    r.engine.events$.subscribe((e) => events.push(e));
    await r.clock.advanceBy(0);
    expect(await started(r.engine)).toEqual(["pipeline-review/weekly@2026-02-06T16:00 created 2026-02-06T16:00:00+08:00"]);
    expect(events.filter((e) => e.type === "schedule.fired")).toEqual([
      { type: "schedule.fired", scheduleId: "pipeline-review/weekly", occurrence: Date.parse("2026-02-06T16:00:00+08:00"), instanceId: "pipeline-review/weekly@2026-02-06T16:00", at: Date.parse("2026-02-06T16:00:00+08:00") },
    ]);
  });
});

describe("durable schedules", () => {
  it("after a restart, occurrences missed while no engine ran start once each, in order (catchUp: each)", async () => {
    const clock = createVirtualClock("2026-02-06T09:00:00+08:00");
    const storage = createMemoryStorage();
    const a = createEngine({ definitions: [review], clock, storage, newId: counter("a") });
    await clock.advanceTo("2026-02-07T09:00:00+08:00");
    await a.close();
    // Down for a month: the clock moves on without an engine.
    await clock.advanceTo("2026-03-07T10:00:00+08:00");
    const b = createEngine({ definitions: [review], clock, storage: createMemoryStorage(storage.snapshot()), newId: counter("b") });
    await clock.advanceBy(0);
    const list = await b.list();
    expect(list.map((v) => `${v.id} created ${cst(Date.parse(v.createdAt))}`)).toEqual([
      "pipeline-review/weekly@2026-02-06T16:00 created 2026-02-06T16:00:00+08:00",
      "pipeline-review/weekly@2026-02-13T16:00 created 2026-03-07T10:00:00+08:00",
      "pipeline-review/weekly@2026-02-27T16:00 created 2026-03-07T10:00:00+08:00",
      "pipeline-review/weekly@2026-03-06T16:00 created 2026-03-07T10:00:00+08:00",
    ]);
    expect(list.map((v) => (v.input as { schedule: { occurrence: string } }).schedule.occurrence)).toEqual([
      "2026-02-06T08:00:00.000Z",
      "2026-02-13T08:00:00.000Z",
      "2026-02-27T08:00:00.000Z",
      "2026-03-06T08:00:00.000Z",
    ]);
    // Restarting again starts nothing twice.
    await b.close();
    const c = createEngine({ definitions: [review], clock, storage: createMemoryStorage(storage.snapshot()), newId: counter("c") });
    await clock.advanceBy("P1D");
    expect((await c.list()).length).toBe(4);
    await c.close();
  });

  it("catchUp: latest starts only the most recent missed occurrence", async () => {
    const latest = structuredClone(review) as { triggers: { schedule: Record<string, unknown> }[] };
    latest.triggers[0]!.schedule["catchUp"] = "latest";
    const clock = createVirtualClock("2026-02-06T09:00:00+08:00");
    const storage = createMemoryStorage();
    const a = createEngine({ definitions: [latest], clock, storage });
    await a.ready;
    await a.close();
    await clock.advanceTo("2026-03-07T10:00:00+08:00");
    const b = createEngine({ definitions: [latest], clock, storage });
    await clock.advanceBy(0);
    expect((await b.list()).map((v) => v.id)).toEqual(["pipeline-review/weekly@2026-03-06T16:00"]);
    expect((await b.schedules())[0]).toMatchObject({ nextLocal: "2026-03-13T16:00", last: "2026-03-06T08:00:00.000Z" });
    await b.close();
  });

  it("two engines on one storage and one clock start each occurrence once", async () => {
    const clock = createVirtualClock("2026-01-30T17:00:00+08:00");
    const storage = createMemoryStorage();
    const events: EngineEvent[] = [];
    const engines = [1, 2].map((n) => createEngine({ definitions: [review, receivables], clock, storage, newId: counter(`e${n}`) }));
    for (const e of engines) e.events$.subscribe((x) => events.push(x));
    await clock.advanceTo("2026-04-10T00:00:00+08:00");
    const ids = (await engines[0]!.list()).map((v) => v.id);
    expect(ids.length).toBe(11);
    expect(new Set(ids).size).toBe(11);
    expect(events.filter((e) => e.type === "schedule.fired").length).toBe(11);
    for (const e of engines) await e.close();
  });

  it("two engines racing on overdue occurrences (interleaved awaits) still start each once", async () => {
    // A clock frozen in time whose due timers fire on the event loop, so both engines run at once.
    const now = Date.parse("2026-03-07T10:00:00+08:00");
    const frozen: Clock = {
      now: () => now,
      setTimer(at, callback) {
        const h = setTimeout(() => void callback(), at <= now ? 0 : 2 ** 31 - 1);
        return () => clearTimeout(h);
      },
    };
    const seeded = createMemoryStorage();
    const seed = createEngine({ definitions: [review], clock: createVirtualClock("2026-02-06T09:00:00+08:00"), storage: seeded });
    await seed.ready;
    await seed.close();
    for (let round = 0; round < 5; round++) {
      const storage = withLatency(createMemoryStorage(seeded.snapshot()), round);
      const fired: string[] = [];
      const engines = [1, 2, 3].map((n) => createEngine({ definitions: [review], clock: frozen, storage, newId: counter(`r${round}-${n}`) }));
      for (const e of engines) e.events$.subscribe((x) => x.type === "schedule.fired" && fired.push(x.instanceId));
      for (let i = 0; i < 50 && (await storage.getSchedule!("pipeline-review/weekly"))?.lastAt !== Date.parse("2026-03-06T16:00:00+08:00"); i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(fired.sort()).toEqual(["02-06", "02-13", "02-27", "03-06"].map((d) => `pipeline-review/weekly@2026-${d}T16:00`));
      expect((await storage.listInstances({})).length).toBe(4);
      for (const e of engines) await e.close();
    }
  });
});

/** The same storage, each call answered after a few event-loop turns (as over a network), so engines interleave. */
function withLatency<T extends Storage>(storage: T, seed: number): T {
  let n = seed;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(storage)) {
    out[k] =
      typeof v === "function"
        ? async (...args: unknown[]) => {
            for (let i = (n = (n * 7 + 3) % 11) % 4; i >= 0; i--) await new Promise((resolve) => setImmediate(resolve));
            return (v as (...a: unknown[]) => unknown).apply(storage, args);
          }
        : v;
  }
  return out as T;
}

describe("versions", () => {
  it("a version that changes the schedule takes over when it takes effect; the old spec's pending occurrence does not start", async () => {
    const v1 = workflow({ done: { type: "end", outcome: "v1" } }, {
      id: "review", version: 1, effective: { from: "2026-01-01T00:00:00+08:00" },
      triggers: [{ schedule: { id: "weekly", every: "week", on: ["friday"], at: "16:00", calendar: "cn-mainland", ifNotWorkday: "skip" } }],
    });
    const v2 = workflow({ done: { type: "end", outcome: "v2" } }, {
      id: "review", version: 2, effective: { from: "2026-03-04T00:00:00+08:00" },
      triggers: [{ schedule: { id: "weekly", every: "week", on: ["thursday"], at: "10:00", calendar: "cn-mainland", ifNotWorkday: "skip" } }],
    });
    const r = rig({ definitions: [v1, v2], start: "2026-02-23T09:00:00+08:00" });
    await r.clock.advanceTo("2026-03-14T00:00:00+08:00");
    expect((await r.engine.list()).map((v) => `${v.id} ${v.outcome}`)).toEqual([
      "review/weekly@2026-02-27T16:00 v1",
      "review/weekly@2026-03-05T10:00 v2",
      "review/weekly@2026-03-12T10:00 v2",
    ]);
  });
});

describe("failures are loud", () => {
  it("a start that fails is reported with its occurrence and kept on the record; the schedule goes on", async () => {
    const bad = workflow({ done: { type: "end", outcome: "x" } }, {
      id: "bad-input",
      triggers: [{ schedule: { every: "day", at: "09:00", calendar: "cn-mainland", ifNotWorkday: "skip" }, input: { n: { expr: "1 / 0" } } }],
    });
    const r = rig({ definitions: [bad], start: "2026-03-04T10:00:00+08:00" });
    const failed: EngineEvent[] = [];
    r.engine.events$.subscribe((e) => e.type === "schedule.failed" && failed.push(e));
    await r.clock.advanceTo("2026-03-06T10:00:00+08:00");
    expect(failed.map((e) => (e as { occurrence?: number }).occurrence).map((t) => cst(t!))).toEqual(["2026-03-05T09:00:00+08:00", "2026-03-06T09:00:00+08:00"]);
    expect((failed[0] as { error: string }).error).toContain("could not start bad-input/schedule-0@2026-03-05T09:00");
    expect(await r.engine.list()).toEqual([]);
    expect((await r.engine.schedules())[0]).toMatchObject({ nextLocal: "2026-03-09T09:00", last: "2026-03-06T01:00:00.000Z" });
    expect((await r.engine.schedules())[0]!.error).toContain("could not start");
  });

  it("a next occurrence in a year the calendar has no data for is reported and shown, not a silent stop", async () => {
    const r = rig({ definitions: [review], start: "2026-12-20T09:00:00+08:00" });
    const failed: EngineEvent[] = [];
    r.engine.events$.subscribe((e) => e.type === "schedule.failed" && failed.push(e));
    await r.clock.advanceTo("2027-01-10T00:00:00+08:00");
    // 25 December 2026 is covered and starts; the Friday after needs 2027's holidays.
    expect((await r.engine.list()).map((v) => v.id)).toEqual(["pipeline-review/weekly@2026-12-25T16:00"]);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ scheduleId: "pipeline-review/weekly" });
    expect((failed[0] as { error: string }).error).toContain('has no holiday data for 2027');
    expect((await r.engine.schedules())[0]).toMatchObject({ next: null, last: "2026-12-25T08:00:00.000Z" });
    expect((await r.engine.schedules())[0]!.error).toContain("2027");
  });

  it("a storage that cannot store schedules is refused when the engine is created", () => {
    const storage: Storage = { ...createMemoryStorage() };
    delete storage.getSchedule;
    delete storage.saveSchedule;
    let error: unknown;
    try {
      createEngine({ definitions: [review], storage });
    } catch (e) {
      error = e;
    }
    expect(isRuleflowError(error) && error.code).toBe("WORKFLOW_ERROR");
    expect(String(error)).toContain("getSchedule / saveSchedule");
  });

  it("a workflow's schedule problems are reported with their paths, all at once", () => {
    const doc = workflow(
      { done: { type: "end", outcome: "x" } },
      {
        id: "bad",
        triggers: [
          { schedule: { every: "week", at: "16:00", ifNotWorkday: "skip" } },
          { on: "x.happened", schedule: { every: "month", day: 5, at: "09:00", calendar: "cn-mainland", ifNotWorkday: "next" } },
          { schedule: { every: "day", at: "09:00", calendar: "cn-mainland", ifNotWorkday: "skip" }, when: { fact: "a", op: "eq", value: 1 } },
          { input: { a: 1 } },
        ],
      },
    );
    expect(validateDefinition(doc).issues.map(formatIssue)).toEqual([
      'triggers[0].schedule.on: a weekly schedule needs "on", e.g. ["friday"]',
      'triggers[0].schedule.calendar: a schedule needs a calendar for its time zone and working days: name one here or on the workflow (e.g. "cn-mainland")',
      'triggers[1].schedule: a trigger has either "on" or "schedule", not both: write two triggers',
      'triggers[2].when: "when" filters domain events; a scheduled trigger has no event to test',
      'triggers[3]: a trigger needs "on" (a domain event type) or "schedule" (a recurrence)',
    ]);
    const shape = workflow({ done: { type: "end", outcome: "x" } }, { id: "bad", triggers: [{ schedule: { every: "week", on: ["fri"], at: "4pm", calendar: "cn-mainland", ifNotWorkday: "skip" } }] });
    expect(validateDefinition(shape).issues.map(formatIssue)).toEqual(['triggers[0].schedule.at: expected a local time "HH:MM" from 00:00 to 23:59, such as "16:00", got "4pm"']);
  });
});
