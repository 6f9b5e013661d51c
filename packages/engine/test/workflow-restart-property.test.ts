/**
 * Restarts change nothing: random operations (by random actors, many of them
 * not allowed) and clock advances run once on one engine, and again with the
 * engine stopped and replaced at random points by a new engine over a copy of
 * its storage. Both runs must end in the same state with the same
 * notifications and audit; every timer fires once, at its deadline, and none
 * that was due is left behind.
 */
import { fc, test } from "@fast-check/vitest";
import { expect } from "vitest";
import { createRegistry } from "../src/registry.js";
import { isRuleflowError } from "../src/core/errors.js";
import { createVirtualClock, type VirtualClock } from "../src/runtime/clock.js";
import { createMemoryNotifier, createStaticDirectory } from "../src/runtime/defaults.js";
import { createEngine, type Engine, type InstanceEvent, type InstanceEventType, type SignerPosition } from "../src/runtime/engine.js";
import { createMemoryStorage, type MemoryStorage } from "../src/runtime/memory-storage.js";
import type { Notification, Storage } from "../src/runtime/ports.js";
import { ENDS, MANAGERS, ROLES, counter, workflow } from "./workflow-helpers.js";

const definition = workflow(
  {
    seq: {
      type: "approval",
      mode: "sequential",
      assignees: ["user:a", "user:b"],
      escalation: [
        { after: "PT2H", action: "remind", repeat: 1 },
        { after: "PT2H", action: "escalate", to: "user:boss" },
        { after: "P1D", action: "auto-approve" },
      ],
      onApprove: "sign",
      onReject: "rejected",
    },
    sign: {
      type: "approval",
      mode: "all",
      assignees: ["user:c", "user:d", "user:e"],
      escalation: [
        { after: "PT3H", business: true, action: "remind" },
        { after: "PT3H", business: true, action: "escalate", to: "role:compliance-lead" },
        { after: "P2D", business: true, action: "auto-reject" },
      ],
      onApprove: "board",
      onReject: "rejected",
    },
    board: {
      type: "approval",
      mode: "vote",
      assignees: ["role:board", "user:ceo"],
      vote: { weights: { "user:ceo": 2 }, threshold: 0.5 },
      escalation: [{ after: "P1D", action: "auto-approve" }],
      onApprove: "invoice",
      onReject: "rejected",
    },
    invoice: {
      type: "task",
      handler: "invoice",
      input: { failures: { expr: "failures" } },
      assignee: "role:ops",
      retries: { max: 3, backoff: "PT10M" },
      escalation: [{ after: "PT15M", action: "remind" }],
      next: "approved",
      onError: "failed",
    },
    failed: { type: "end", outcome: "invoice-failed" },
    ...ENDS,
  },
  { id: "deal", calendar: "cn-mainland" },
);
const registry = createRegistry([definition]);
const START = "2026-02-12T09:00:00+08:00";
const PEOPLE = ["user:li", "user:a", "user:b", "user:c", "user:d", "user:e", "user:b1", "user:b2", "user:b3", "user:ceo", "user:boss", "user:x", "user:y"];

type Step =
  | { kind: "op"; instance: number; type: InstanceEventType; insider: boolean; actor: number; user: number; to: string | undefined; position: SignerPosition; restart: boolean }
  | { kind: "advance"; minutes: number; restart: boolean };

const person = fc.integer({ min: 0, max: PEOPLE.length - 1 });
const restart = fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
const opType = fc.oneof(
  { weight: 12, arbitrary: fc.constant<InstanceEventType>("approve") },
  { weight: 1, arbitrary: fc.constant<InstanceEventType>("reject") },
  ...(["delegate", "transfer", "addSigner", "removeSigner", "remind", "cc", "resubmit", "withdraw"] as const).map((t) => ({ weight: 1, arbitrary: fc.constant<InstanceEventType>(t) })),
);
const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant("op" as const),
      instance: fc.integer({ min: 0, max: 1 }),
      type: opType,
      // mostly someone who can act now (else little would ever happen), sometimes anyone at all
      insider: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
      actor: person,
      user: person,
      to: fc.constantFrom(undefined, "previous", "initiator", "seq", "end"),
      position: fc.constantFrom<SignerPosition>("before", "after", "parallel"),
      restart,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("advance" as const),
      minutes: fc.oneof(fc.integer({ min: 1, max: 240 }), fc.integer({ min: 240, max: 4 * 24 * 60 })),
      restart,
    }),
  },
);

function eventOf(s: Extract<Step, { kind: "op" }>, assignees: readonly string[]): InstanceEvent {
  const actor = s.insider && assignees.length > 0 ? assignees[s.actor % assignees.length]! : PEOPLE[s.actor]!;
  const user = PEOPLE[s.user]!;
  switch (s.type) {
    case "reject":
      return { type: "reject", actor, ...(s.to ? { to: s.to } : {}) };
    case "delegate":
    case "transfer":
      return { type: s.type, actor, to: user };
    case "addSigner":
      return { type: "addSigner", actor, users: [user], position: s.position };
    case "removeSigner":
      return { type: "removeSigner", actor, user };
    case "cc":
      return { type: "cc", actor, to: [user] };
    default:
      return { type: s.type, actor };
  }
}

/** The outside world, which survives restarts: a flaky mail service and the host's handlers. */
function world() {
  const sink = createMemoryNotifier();
  const tries = new Map<string, number>();
  const delivered: string[] = [];
  let now = (): number => 0;
  const hash = (s: string): number => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7);
  const notifier = {
    async send(n: Notification) {
      const k = (tries.get(n.idempotencyKey) ?? 0) + 1;
      tries.set(n.idempotencyKey, k);
      // some messages fail once, a few always (they end up dead)
      if (hash(n.idempotencyKey) % 13 === 0 || (hash(n.idempotencyKey) % 4 === 0 && k === 1)) throw new Error("mail service unavailable");
      delivered.push(`${n.idempotencyKey}@${now()}`);
      await sink.send(n);
    },
  };
  const handlers = {
    invoice: (input: Record<string, unknown>, ctx: { attempt: number }) => {
      if (ctx.attempt <= Number(input["failures"])) throw new Error(`ERP timeout (attempt ${ctx.attempt})`);
      return { invoiceNo: `INV-${ctx.attempt}` };
    },
  };
  return { sink, notifier, handlers, delivered, setNow: (f: () => number) => (now = f) };
}

/** Storage that remembers every timer ever written and every one cancelled. */
function spied(storage: MemoryStorage, log: { set: Map<string, number>; cancelled: Set<string> }): Storage {
  return {
    ...storage,
    async commit(c) {
      await storage.commit(c);
      for (const t of c.timersToSet) log.set.set(t.id, t.dueAt);
      for (const id of c.timerIdsToCancel) log.cancelled.add(id);
    },
  };
}

async function run(steps: Step[], withRestarts: boolean) {
  const w = world();
  const ids = counter();
  const log = { set: new Map<string, number>(), cancelled: new Set<string>() };
  let storage = createMemoryStorage();
  let clock: VirtualClock = createVirtualClock(START);
  const make = (): Engine =>
    createEngine({
      definitions: registry,
      storage: spied(storage, log),
      clock,
      notifier: w.notifier,
      handlers: w.handlers,
      directory: createStaticDirectory({ roles: ROLES, managers: MANAGERS }),
      newId: ids,
      retry: { maxAttempts: 4, baseDelayMs: 5 * 60_000 },
    });
  let engine = make();
  w.setNow(() => clock.now());
  const instances = [
    (await engine.start("deal", { initiator: "user:li", input: { failures: 1 } })).id,
    (await engine.start("deal", { initiator: "user:li", input: { failures: 5 } })).id,
  ];
  const outcomes: string[] = [];
  let restarts = 0;
  for (const s of steps) {
    if (s.kind === "advance") await clock.advanceBy(s.minutes * 60_000);
    else {
      try {
        const id = instances[s.instance]!;
        const v = await engine.send(id, eventOf(s, (await engine.get(id))!.assignees));
        outcomes.push(`ok v${v.version}`);
      } catch (e) {
        if (!isRuleflowError(e) || e.code !== "NOT_ALLOWED") throw e;
        outcomes.push(`refused: ${e.message}`);
      }
      await engine.settle();
    }
    if (withRestarts && s.restart) {
      // A restart models a new process: the old engine stops (its scheduler
      // must never fire again), storage is all that survives, and the new
      // process has its own clock reading the same time. Sharing one
      // VirtualClock would also keep the old engine's clock timers around,
      // which a real restart does not.
      await engine.close();
      storage = createMemoryStorage(storage.snapshot());
      clock = createVirtualClock(clock.now());
      engine = make();
      await engine.ready;
      restarts++;
    }
  }
  await engine.settle();
  // Nothing that is due may be left: give the scheduler the chance it would have.
  await clock.advanceBy(0);
  const now = clock.now();
  const views = await Promise.all(instances.map((id) => engine.get(id)));
  const audits = await Promise.all(instances.map((id) => engine.audit(id)));
  await engine.close();
  return { snapshot: storage.snapshot(), views, audits, outcomes, sent: w.sink.sent, delivered: w.delivered, log, now, restarts };
}

const notificationsOf = (sent: readonly Notification[]) =>
  sent.map((n) => ({ key: n.idempotencyKey, template: n.template, to: n.to, recipients: n.recipients, at: n.at })).sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : 1));

test.prop([fc.array(step, { minLength: 10, maxLength: 60 })], { seed: 20260215, numRuns: 40, endOnFailure: true })(
  "a run with restarts at random points ends exactly like the same run without them",
  async (steps) => {
    const plain = await run(steps, false);
    const restarted = await run(steps, true);

    expect(restarted.outcomes).toEqual(plain.outcomes);
    expect(restarted.views).toEqual(plain.views);
    expect(notificationsOf(restarted.sent)).toEqual(notificationsOf(plain.sent));
    expect([...restarted.delivered].sort()).toEqual([...plain.delivered].sort());
    const auditOf = (a: typeof plain.audits) =>
      a.map((records) => records.map((r) => ({ version: r.version, at: r.at, actor: r.actor, action: r.action, before: r.before, after: r.after, definitionVersion: r.definitionVersion, event: r.event })));
    expect(auditOf(restarted.audits)).toEqual(auditOf(plain.audits));
    expect(restarted.snapshot).toEqual(plain.snapshot);

    for (const result of [plain, restarted]) {
      const fired = new Map<string, number>();
      result.audits.forEach((records) => {
        for (const r of records.filter((x) => x.action === "timer")) {
          const id = `${r.instanceId}/${String(r.event["key"])}/${String(r.event["generation"])}`;
          expect(fired.has(id), `timer ${id} fired twice`).toBe(false);
          fired.set(id, r.at);
        }
      });
      for (const [id, dueAt] of result.log.set) {
        if (fired.has(id)) expect(fired.get(id), `timer ${id} fired late`).toBe(dueAt);
        else if (!result.log.cancelled.has(id)) expect(dueAt, `timer ${id} was due and never fired`).toBeGreaterThan(result.now);
      }
      expect(result.snapshot.timers.every((t) => t.dueAt > result.now)).toBe(true);
    }
  },
);
