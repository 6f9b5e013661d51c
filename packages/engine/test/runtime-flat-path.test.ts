/**
 * The flat path (workflow/machine.ts flatStep, flatContinue, flatInitial,
 * runFlat): in a workflow without parallel branches, where every state is an
 * atomic or final child of the root, starts and the transitions that move
 * the state are computed by xstate's algorithm written out, without xstate.
 * Here every step and start that takes it is also run through xstate
 * (checkDirectPath), on random operations, timers, task results, domain
 * events, cancellations and new instances over two flat workflows that use
 * every flat node kind (decision, exclusive branch, approval in every mode
 * with escalation ladders, notify, task, wait, end) and reach every system
 * final state (withdrawn, cancelled, failed); any difference throws inside
 * the step and fails the run.
 */
import { fc, test } from "@fast-check/vitest";
import { afterAll, beforeAll, expect } from "vitest";
import { isRuleflowError } from "../src/core/errors.js";
import { createVirtualClock } from "../src/runtime/clock.js";
import { createMemoryNotifier } from "../src/runtime/defaults.js";
import { createEngine, type InstanceEvent } from "../src/runtime/engine.js";
import { checkDirectPath, directPathCounts } from "../src/runtime/step.js";
import { ENDS, counter, workflow } from "./workflow-helpers.js";
import { checkedEngine, operationEvent } from "./path-check-engine.js";

/** The route of a claim: 13 has no route (the instance fails), text fails the rule's expression. */
const route = {
  kind: "ruleset",
  id: "claim-route",
  version: 1,
  hitPolicy: "first",
  rules: [
    { id: "big", when: { expr: "amount * 1 >= 10000" }, then: { decision: "big" } },
    { id: "odd", when: { fact: "amount", op: "eq", value: 13 }, then: { decision: "unlucky" } },
    { id: "small", then: { decision: "small" } },
  ],
};

/** Every flat node kind; rejects may go back to `previous`, the initiator or a node. */
const claim = workflow(
  {
    triage: { type: "decision", ruleset: "claim-route", routes: { big: "pick", small: "seq" } },
    pick: {
      type: "branch",
      mode: "exclusive",
      // divisor 0: the expression fails, and so does the instance
      branches: [
        { when: { expr: "amount / divisor > 50000" }, to: "board" },
        { when: { fact: "urgent", op: "eq", value: true }, to: "anyone" },
      ],
      default: "countersign",
    },
    seq: {
      type: "approval",
      mode: "sequential",
      assignees: ["user:a", "user:b"],
      escalation: [
        { after: "PT2H", action: "remind", repeat: 1 },
        { after: "PT2H", action: "reassign", to: "user:boss" },
        { after: "P1D", action: "auto-approve" },
      ],
      onApprove: "tell",
      onReject: "rejected",
    },
    anyone: {
      type: "approval",
      mode: "any",
      assignees: ["role:finance", "user:x"],
      escalation: [
        { after: "PT4H", action: "escalate", to: "user:boss" },
        { after: "P1D", action: "auto-reject" },
      ],
      onApprove: "tell",
      onReject: "seq",
    },
    countersign: {
      type: "approval",
      mode: "all",
      assignees: ["role:marketing", "role:compliance", "role:legal"],
      escalation: [
        { after: "PT3H", business: true, action: "remind" },
        { after: "PT3H", business: true, action: "escalate", to: "role:compliance-lead", for: "role:compliance" },
        { after: "P2D", business: true, action: "auto-reject" },
      ],
      onApprove: "tell",
      onReject: "rejected",
    },
    board: {
      type: "approval",
      mode: "vote",
      assignees: ["role:board", "user:ceo"],
      vote: { weights: { "user:ceo": 2 }, threshold: 0.5 },
      escalation: [{ after: "P1D", business: true, action: "auto-approve" }],
      onApprove: "tell",
      onReject: "countersign",
    },
    tell: { type: "notify", notify: [{ to: "initiator", template: "claim-accepted" }, { to: "role:ops", template: "claim-fyi" }], next: "invoice" },
    invoice: {
      type: "task",
      handler: "invoice",
      input: { failures: { expr: "failures" } },
      timeout: "PT1H",
      retries: { max: 2, backoff: "PT10M" },
      next: "signed",
      onError: "failed",
    },
    signed: { type: "wait", event: "contract.signed", match: "event.data.ref == ref", after: "P3D", next: "approved", onTimeout: "countersign" },
    failed: { type: "end", outcome: "invoice-failed" },
    ...ENDS,
  },
  { id: "claim", calendar: "cn-mainland" },
);

/** Started by a domain event too; may end at its start, fail on its assignee or on its task (no onError). */
const memo = workflow(
  {
    gate: { type: "branch", mode: "exclusive", branches: [{ when: { fact: "skip", op: "eq", value: true }, to: "noted" }], default: "note" },
    note: { type: "notify", notify: [{ to: "manager-of:initiator", template: "memo" }], next: "hold" },
    hold: { type: "wait", event: "memo.ack", after: "PT2H", next: "sign", onTimeout: "file" },
    // approver: a user, null (the fallback approves) or a number (the instance fails)
    sign: {
      type: "approval",
      mode: "any",
      assignees: [{ expr: "approver" }],
      fallback: "auto-approve",
      escalation: [{ after: "PT8H", action: "auto-reject" }],
      onApprove: "file",
      onReject: "hold",
    },
    file: { type: "task", handler: "invoice", input: { failures: { expr: "failures" } }, retries: { max: 1, backoff: "PT5M" }, next: "noted" },
    noted: { type: "end", outcome: "noted" },
  },
  { id: "memo", triggers: [{ on: "memo.filed", initiator: "user:wu", input: { skip: { expr: "skip" }, approver: { expr: "approver" }, failures: { expr: "failures" } } }] },
);

const PEOPLE = ["user:li", "user:wu", "user:a", "user:b", "user:boss", "user:ma", "user:chen", "user:lu", "user:fin1", "user:b1", "user:b2", "user:ceo", "user:x", "user:zhao"];
const SEND_TYPES: InstanceEvent["type"][] = ["approve", "approve", "approve", "reject", "reject", "delegate", "transfer", "addSigner", "removeSigner", "remind", "cc", "resubmit", "resubmit", "withdraw"];

type Input = Record<string, unknown>;
type Op =
  | { kind: "send"; instance: number; type: InstanceEvent["type"]; actor: number; user: number; to: string | undefined }
  | { kind: "advance"; minutes: number }
  | { kind: "emit"; name: "contract.signed" | "memo.ack"; ref: number }
  | { kind: "start"; workflow: "claim" | "memo"; input: Input }
  | { kind: "cancel"; instance: number }
  | { kind: "return"; instance: number; resubmit: boolean };

const claimInput: fc.Arbitrary<Input> = fc.record({
  // 13 has no route and "abc" fails the rule set's expression: the instance fails at its start
  amount: fc.oneof({ weight: 6, arbitrary: fc.constantFrom<unknown>(500, 20000, 800000) }, { weight: 1, arbitrary: fc.constantFrom<unknown>(13, "abc") }),
  // 0 fails the branch's expression for a big amount
  divisor: fc.constantFrom(0, 1, 1, 10, 10),
  urgent: fc.boolean(),
  failures: fc.integer({ min: 0, max: 3 }),
  ref: fc.integer({ min: 0, max: 2 }),
});
const memoInput: fc.Arbitrary<Input> = fc.record({
  skip: fc.boolean(),
  approver: fc.constantFrom<unknown>("user:a", "user:b", "user:b", null, 7),
  failures: fc.integer({ min: 0, max: 2 }),
});

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant("send" as const),
      instance: fc.nat({ max: 99 }),
      type: fc.constantFrom(...SEND_TYPES),
      // -1: someone who may act (see eventOf)
      actor: fc.integer({ min: -PEOPLE.length, max: PEOPLE.length - 1 }),
      user: fc.integer({ min: 0, max: PEOPLE.length - 1 }),
      to: fc.constantFrom(undefined, undefined, "previous", "initiator", "initiator", "seq", "triage", "hold", "end"),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("advance" as const),
      minutes: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 1, max: 12 * 60 }) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 * 24 * 60 }) }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("emit" as const), name: fc.constantFrom("contract.signed" as const, "memo.ack" as const), ref: fc.integer({ min: 0, max: 2 }) }) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.record({ kind: fc.constant("start" as const), workflow: fc.constant("claim" as const), input: claimInput }),
      fc.record({ kind: fc.constant("start" as const), workflow: fc.constant("memo" as const), input: memoInput }),
    ),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("cancel" as const), instance: fc.nat({ max: 99 }) }) },
  // an approver returns the request to the initiator, who (mostly) resubmits it
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("return" as const), instance: fc.nat({ max: 99 }), resubmit: fc.boolean() }) },
);

function eventOf(o: Extract<Op, { kind: "send" }>, view: { assignees: readonly string[]; initiator: string }): InstanceEvent {
  // a negative actor: someone who may do it now (the initiator withdraws, resubmits and reminds)
  const byInitiator = o.type === "withdraw" || o.type === "resubmit" || o.type === "remind" || view.assignees.length === 0;
  const actor = o.actor < 0 ? (byInitiator ? view.initiator : view.assignees[0]!) : PEOPLE[o.actor]!;
  const user = PEOPLE[o.user]!;
  return operationEvent(o.type, actor, user, o.to);
}

/** Refusals are expected; anything else (a disagreement) is not. Whether it was taken. */
async function refusable(f: () => Promise<unknown>): Promise<boolean> {
  try {
    await f();
    return true;
  } catch (e) {
    if (!isRuleflowError(e) || e.code !== "NOT_ALLOWED") throw e;
    return false;
  }
}

const before = { ...directPathCounts };
let startsSeen = 0;
/** Operations taken that only a transition with a target handles (flatStep): withdraw, resubmit, cancel. */
const targeted: Record<string, number> = { withdraw: 0, resubmit: 0, cancel: 0 };
const statuses = new Set<string>();

beforeAll(() => {
  checkDirectPath(true);
  Object.assign(before, directPathCounts);
});
afterAll(() => checkDirectPath(false));

test.prop([fc.array(op, { minLength: 10, maxLength: 50 }), claimInput, memoInput], { seed: 20261204, numRuns: 40 })(
  "every start and step the flat path computes is the one xstate computes",
  async (ops, first, second) => {
    const clock = createVirtualClock("2026-02-12T09:00:00+08:00");
    // a disagreement inside a timer's or a task result's step is reported in errors (the engine goes on)
    const { engine, errors } = checkedEngine([claim, memo, route], clock);
    const ids = [
      (await engine.start("claim", { initiator: "user:li", input: first })).id,
      (await engine.start("memo", { initiator: "user:wu", input: second })).id,
    ];
    startsSeen += 2;
    // mostly an instance still running (events to finished ones are refused before any step)
    const pickId = async (n: number): Promise<string> => {
      const running: string[] = [];
      for (const id of ids) if ((await engine.get(id))!.status === "running") running.push(id);
      return n % 4 === 0 || running.length === 0 ? ids[n % ids.length]! : running[n % running.length]!;
    };
    for (const o of ops) {
      switch (o.kind) {
        case "advance":
          await clock.advanceBy(o.minutes * 60_000);
          break;
        case "emit":
          if (o.name === "memo.ack") {
            const { started } = await engine.emit({ type: "memo.filed", data: { skip: o.ref === 0, approver: o.ref === 2 ? null : "user:b", failures: o.ref } });
            ids.push(...started);
            startsSeen += started.length;
          }
          await engine.emit({ type: o.name, data: { ref: o.ref } });
          break;
        case "start":
          ids.push((await engine.start(o.workflow, { initiator: o.workflow === "claim" ? "user:li" : "user:wu", input: o.input })).id);
          startsSeen++;
          break;
        case "cancel": {
          const id = await pickId(o.instance);
          if (await refusable(() => engine.cancel(id, { actor: "user:admin", reason: "test" }))) targeted["cancel"]!++;
          break;
        }
        case "return": {
          const id = await pickId(o.instance);
          const view = (await engine.get(id))!;
          if (view.assignees.length === 0) break;
          if (!(await refusable(() => engine.send(id, { type: "reject", actor: view.assignees[0]!, to: "initiator" })))) break;
          if (o.resubmit && (await refusable(() => engine.send(id, { type: "resubmit", actor: view.initiator })))) targeted["resubmit"]!++;
          break;
        }
        case "send": {
          const id = await pickId(o.instance);
          const taken = await refusable(async () => engine.send(id, eventOf(o, (await engine.get(id))!)));
          if (taken && o.type in targeted) targeted[o.type]!++;
          break;
        }
      }
    }
    await clock.advanceBy("P10D");
    await engine.settle();
    for (const id of ids) statuses.add(`${(await engine.get(id))!.status}`);
    await engine.close();
    expect(errors).toEqual([]);
  },
);

test("the property above took the flat path, for starts and for steps, and reached every end", () => {
  const flat = directPathCounts.flat - before.flat;
  const steps = flat - startsSeen;
  // every start of a flat workflow goes through flatInitial and is counted as flat
  expect(startsSeen).toBeGreaterThan(100);
  expect(flat).toBeGreaterThan(startsSeen);
  // withdraw, resubmit and cancel have targets: only flatStep computes them (refused ones too)
  for (const type of ["withdraw", "resubmit", "cancel"]) expect(targeted[type], type).toBeGreaterThan(5);
  expect(steps).toBeGreaterThanOrEqual(targeted["withdraw"]! + targeted["resubmit"]! + targeted["cancel"]!);
  expect(steps).toBeGreaterThan(50);
  // the state changes after approvals, timers, task results and domain events: flatContinue
  expect(directPathCounts.continued - before.continued).toBeGreaterThan(100);
  // nothing in these workflows needs xstate
  expect(directPathCounts.xstate - before.xstate).toBe(0);
  for (const s of ["running", "completed", "withdrawn", "cancelled", "failed"]) expect(statuses, s).toContain(s);
});

test("a workflow whose start node is an end node starts and finishes in one step, as xstate has it", async () => {
  const xstateBefore = directPathCounts.xstate;
  const flatBefore = directPathCounts.flat;
  const engine = createEngine({
    definitions: [workflow({ done: { type: "end", outcome: "noted", notify: [{ to: "initiator", template: "noted" }] } }, { id: "note" })],
    clock: createVirtualClock("2026-02-12T09:00:00+08:00"),
    notifier: createMemoryNotifier(),
    newId: counter(),
  });
  // checkDirectPath is on (beforeAll): a difference from xstate's initial snapshot throws here
  const view = await engine.start("note", { initiator: "user:li" });
  await engine.settle();
  expect(view.status).toBe("completed");
  expect(view.outcome).toBe("noted");
  expect(view.activeNodes).toEqual([]);
  expect(directPathCounts.flat - flatBefore).toBe(1);
  expect(directPathCounts.xstate - xstateBefore).toBe(0);
  await engine.close();
});
