/**
 * The direct path (workflow/machine.ts directTransition, continueSnapshot):
 * events the machine's root handles without a target are computed without
 * xstate's snapshots, and handed back to xstate only when an eventless
 * transition follows. Here every step that takes it is also run through
 * xstate (checkDirectPath), on random operations, timers, task results and
 * domain events over workflows with every kind of node; any difference
 * throws inside the step and fails the run.
 */
import { fc, test } from "@fast-check/vitest";
import { afterAll, beforeAll, expect } from "vitest";
import { isRuleflowError } from "../src/core/errors.js";
import { createVirtualClock } from "../src/runtime/clock.js";
import type { InstanceEvent } from "../src/runtime/engine.js";
import { checkDirectPath, directPathCounts } from "../src/runtime/step.js";
import { ENDS, workflow } from "./workflow-helpers.js";
import { checkedEngine, operationEvent } from "./path-check-engine.js";

const deal = workflow(
  {
    seq: {
      type: "approval",
      mode: "sequential",
      assignees: ["user:a", "user:b"],
      escalation: [
        { after: "PT2H", action: "remind", repeat: 1 },
        { after: "PT2H", action: "reassign", to: "user:boss" },
        { after: "P1D", action: "auto-approve" },
      ],
      onApprove: "split",
      onReject: "rejected",
    },
    split: {
      type: "branch",
      mode: "parallel",
      branches: [{ to: "sign" }, { to: "wait" }],
      join: "join",
    },
    sign: {
      type: "approval",
      mode: "all",
      assignees: ["role:marketing", "role:compliance", "role:legal"],
      escalation: [
        { after: "PT3H", business: true, action: "remind" },
        { after: "PT3H", business: true, action: "escalate", to: "role:compliance-lead", for: "role:compliance" },
        { after: "P2D", business: true, action: "auto-reject" },
      ],
      onApprove: "join",
      onReject: "rejected",
    },
    wait: { type: "wait", event: "contract.signed", after: "P3D", next: "join", onTimeout: "join" },
    join: { type: "join", next: "board" },
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
      timeout: "PT1H",
      retries: { max: 2, backoff: "PT10M" },
      next: "approved",
      onError: "failed",
    },
    failed: { type: "end", outcome: "invoice-failed" },
    ...ENDS,
  },
  { id: "deal", calendar: "cn-mainland" },
);

const PEOPLE = ["user:li", "user:a", "user:b", "user:boss", "user:ma", "user:chen", "user:lu", "user:b1", "user:b2", "user:ceo", "user:x"];

type Op =
  | { kind: "send"; instance: number; type: InstanceEvent["type"]; actor: number; user: number; to: string | undefined }
  | { kind: "advance"; minutes: number }
  | { kind: "emit" };

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("send" as const),
      instance: fc.integer({ min: 0, max: 1 }),
      type: fc.constantFrom<InstanceEvent["type"]>("approve", "approve", "approve", "reject", "delegate", "transfer", "addSigner", "removeSigner", "remind", "cc", "resubmit", "withdraw"),
      actor: fc.integer({ min: -1, max: PEOPLE.length - 1 }),
      user: fc.integer({ min: 0, max: PEOPLE.length - 1 }),
      to: fc.constantFrom(undefined, "previous", "initiator", "seq", "end"),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("advance" as const), minutes: fc.integer({ min: 1, max: 3 * 24 * 60 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("emit" as const) }) },
);

function eventOf(o: Extract<Op, { kind: "send" }>, assignees: readonly string[]): InstanceEvent {
  // actor -1: someone who can act now
  const actor = o.actor < 0 && assignees.length > 0 ? assignees[0]! : PEOPLE[Math.max(0, o.actor)]!;
  const user = PEOPLE[o.user]!;
  return operationEvent(o.type, actor, user, o.to);
}

beforeAll(() => checkDirectPath(true));
afterAll(() => checkDirectPath(false));

test.prop([fc.array(op, { minLength: 5, maxLength: 40 })], { seed: 20261203, numRuns: 40 })(
  "every step the direct path computes is the step xstate computes",
  async (ops) => {
    const clock = createVirtualClock("2026-02-12T09:00:00+08:00");
    // a disagreement inside a timer's or a task result's step is reported in errors (the engine goes on)
    const { engine, errors } = checkedEngine([deal], clock);
    const ids = [
      (await engine.start("deal", { initiator: "user:li", input: { failures: 1 } })).id,
      (await engine.start("deal", { initiator: "user:li", input: { failures: 5 } })).id,
    ];
    for (const o of ops) {
      if (o.kind === "advance") await clock.advanceBy(o.minutes * 60_000);
      else if (o.kind === "emit") await engine.emit({ type: "contract.signed", data: { by: "user:x" } });
      else {
        const id = ids[o.instance]!;
        try {
          await engine.send(id, eventOf(o, (await engine.get(id))!.assignees));
        } catch (e) {
          // refusals are expected; anything else (a disagreement) is not
          if (!isRuleflowError(e) || e.code !== "NOT_ALLOWED") throw e;
        }
      }
    }
    await clock.advanceBy("P10D");
    await engine.settle();
    await engine.close();
    expect(errors).toEqual([]);
  },
);

test("the property above took the direct path, continued it, and fell back to xstate", () => {
  expect(directPathCounts.direct).toBeGreaterThan(100);
  expect(directPathCounts.continued).toBeGreaterThan(10);
  expect(directPathCounts.xstate).toBeGreaterThan(10);
});
