/**
 * InstanceEvent: one discriminated union of the operations people send, the
 * runtime check of events from JSON (each type, each field), and the engine
 * options and clock capability that go with it.
 */
import { describe, expect, expectTypeOf, it } from "vitest";
import { isRuleflowError } from "../src/core/errors.js";
import type { Clock } from "../src/core/clock.js";
import { createEngine, type InstanceEvent } from "../src/runtime/engine.js";
import { createVirtualClock } from "../src/runtime/clock.js";
import {
  checkInstanceEvent,
  INSTANCE_EVENT_TYPES,
  INTERNAL_EVENT_TYPES,
  type AddSignerEvent,
  type CcEvent,
  type DelegateEvent,
  type InstanceEventType,
  type RejectEvent,
  type RemoveSignerEvent,
  type SignerPosition,
} from "../src/workflow/events.js";
import { APPROVAL_EVENTS } from "../src/workflow/operations.js";
import { approvalWorkflow, rig } from "./workflow-helpers.js";

/** The error `fn` throws (or undefined). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** An ArgumentError naming `argument`. */
function expectArgumentError(fn: () => unknown, argument: string, message?: RegExp): void {
  const e = thrown(fn);
  expect(isRuleflowError(e, "INVALID_ARGUMENT"), String(e)).toBe(true);
  expect((e as { argument: string }).argument).toBe(argument);
  if (message) expect((e as Error).message).toMatch(message);
}

describe("InstanceEvent, the type", () => {
  it("narrows by type to each operation's payload", () => {
    const payload = (e: InstanceEvent): unknown => {
      switch (e.type) {
        case "delegate":
          expectTypeOf(e).toEqualTypeOf<DelegateEvent>();
          expectTypeOf(e.to).toEqualTypeOf<string>();
          return e.to;
        case "reject":
          expectTypeOf(e).toEqualTypeOf<RejectEvent>();
          expectTypeOf(e.to).toEqualTypeOf<string | undefined>();
          return e.to;
        case "addSigner":
          expectTypeOf(e).toEqualTypeOf<AddSignerEvent>();
          expectTypeOf(e.users).toEqualTypeOf<string[]>();
          expectTypeOf(e.position).toEqualTypeOf<SignerPosition | undefined>();
          return e.users;
        case "removeSigner":
          expectTypeOf(e).toEqualTypeOf<RemoveSignerEvent>();
          expectTypeOf(e.user).toEqualTypeOf<string>();
          return e.user;
        case "cc":
          expectTypeOf(e).toEqualTypeOf<CcEvent>();
          expectTypeOf(e.to).toEqualTypeOf<string[]>();
          return e.to;
        default:
          expectTypeOf(e.type).toEqualTypeOf<"approve" | "transfer" | "withdraw" | "resubmit" | "remind">();
          return e.actor;
      }
    };
    expect(payload({ type: "delegate", actor: "user:a", to: "user:b" })).toBe("user:b");
    expectTypeOf<InstanceEventType>().toEqualTypeOf<(typeof INSTANCE_EVENT_TYPES)[number]>();
    // @ts-expect-error a delegation needs "to"
    const noTo: InstanceEvent = { type: "delegate", actor: "user:a" };
    // @ts-expect-error cc's "to" is a list
    const ccOne: InstanceEvent = { type: "cc", actor: "user:a", to: "user:b" };
    // @ts-expect-error the engine's own events are not InstanceEvents
    const timer: InstanceEvent = { type: "timer", actor: "user:a" };
    // @ts-expect-error an operation needs an actor
    const nobody: InstanceEvent = { type: "approve" };
    expect([noTo, ccOne, timer, nobody]).toHaveLength(4);
  });

  it("has one list of person operations, apart from the engine's own events", () => {
    expect([...INSTANCE_EVENT_TYPES]).toEqual(["approve", "reject", "delegate", "transfer", "addSigner", "removeSigner", "withdraw", "resubmit", "remind", "cc"]);
    expect([...APPROVAL_EVENTS].every((t) => (INSTANCE_EVENT_TYPES as readonly string[]).includes(t))).toBe(true);
    for (const t of Object.keys(INTERNAL_EVENT_TYPES)) expect((INSTANCE_EVENT_TYPES as readonly string[]).includes(t)).toBe(false);
  });
});

describe("checkInstanceEvent: events from JSON", () => {
  const ok = (event: Record<string, unknown>): void => {
    const r = checkInstanceEvent(JSON.parse(JSON.stringify(event)));
    expect(r).toEqual({ kind: "event", event });
  };
  const malformed = (event: Record<string, unknown>, key: string): void => {
    const r = checkInstanceEvent(event);
    expect(r.kind).toBe("malformed");
    expect(r.kind === "malformed" && r.reason.key).toBe(key);
  };

  it("takes every operation with its payload, keeping fields a host adds", () => {
    ok({ type: "approve", actor: "user:a", comment: "ok", node: "review", onBehalfOf: "user:b" });
    ok({ type: "reject", actor: "user:a", to: "previous" });
    ok({ type: "delegate", actor: "user:a", to: "role:legal" });
    ok({ type: "transfer", actor: "user:a", to: "user:t" });
    ok({ type: "addSigner", actor: "user:a", users: ["user:x", "role:finance"], position: "before" });
    ok({ type: "addSigner", actor: "user:a", users: [] });
    ok({ type: "removeSigner", actor: "user:li", user: "user:x" });
    ok({ type: "withdraw", actor: "user:li" });
    ok({ type: "resubmit", actor: "user:li", comment: "added the contract" });
    ok({ type: "remind", actor: "user:li" });
    ok({ type: "cc", actor: "user:li", to: ["user:zhao"], ref: "ticket-7" });
  });

  it("refuses a malformed operation with the reason the engine reports", () => {
    malformed({ type: "approve", actor: "" }, "needsActor");
    malformed({ type: "approve", actor: "user:a", onBehalfOf: "" }, "onBehalfOf");
    malformed({ type: "reject", actor: "user:a", onBehalfOf: 7 }, "onBehalfOf");
    malformed({ type: "delegate", actor: "user:a" }, "needsTo");
    malformed({ type: "transfer", actor: "user:a", to: "" }, "needsTo");
    malformed({ type: "addSigner", actor: "user:a", users: ["user:x"], position: "sideways" }, "position");
    malformed({ type: "removeSigner", actor: "user:a" }, "removeSignerUser");
    malformed({ type: "cc", actor: "user:a" }, "ccNeedsTo");
    malformed({ type: "cc", actor: "user:a", to: [] }, "ccNeedsTo");
  });

  it("names the field of the wrong type", () => {
    expectArgumentError(() => checkInstanceEvent("approve"), "event", /expected an object/);
    expectArgumentError(() => checkInstanceEvent({ actor: "user:a" }), "event.type", /got nothing/);
    expectArgumentError(() => checkInstanceEvent({ type: 3 }), "event.type", /got number/);
    expectArgumentError(() => checkInstanceEvent({ type: "approve", actor: 3 }), "event.actor");
    expectArgumentError(() => checkInstanceEvent({ type: "approve", actor: "user:a", comment: { text: "ok" } }), "event.comment", /expected text, got object/);
    expectArgumentError(() => checkInstanceEvent({ type: "approve", actor: "user:a", node: 1 }), "event.node");
    expectArgumentError(() => checkInstanceEvent({ type: "reject", actor: "user:a", to: ["previous"] }), "event.to", /"previous"/);
    expectArgumentError(() => checkInstanceEvent({ type: "addSigner", actor: "user:a", users: "user:x" }), "event.users", /got "user:x"/);
    expectArgumentError(() => checkInstanceEvent({ type: "addSigner", actor: "user:a", users: ["user:x", 7] }), "event.users[1]", /got number/);
    expectArgumentError(() => checkInstanceEvent({ type: "cc", actor: "user:a", to: ["user:x", null] }), "event.to[1]", /got null/);
  });

  it("leaves a type no operation has to the instance, which names its active steps", () => {
    expect(checkInstanceEvent({ type: "frobnicate", actor: "user:a" })).toEqual({ kind: "unknown", type: "frobnicate", actor: "user:a" });
  });
});

describe("engine.send checks what it is sent", () => {
  it("an ArgumentError names the field; nothing changes", async () => {
    const r = rig({ definitions: [approvalWorkflow({ assignees: ["user:a"] })] });
    const q = await r.engine.start("wf", { initiator: "user:li" });
    const before = r.storage.snapshot();
    let error: unknown;
    try {
      await r.engine.send(q.id, JSON.parse('{ "type": "addSigner", "actor": "user:a", "users": ["user:x", 7] }') as InstanceEvent);
    } catch (e) {
      error = e;
    }
    expect(isRuleflowError(error, "INVALID_ARGUMENT") && error.argument).toBe("event.users[1]");
    expect(r.storage.snapshot()).toEqual(before);
  });
});

describe("engine options and the clock capability", () => {
  it("refuses the old ids option, pointing to newId", () => {
    expectArgumentError(() => createEngine({ definitions: [], ids: () => "x" } as never), "ids", /newId/);
  });

  it("registers with a clock that has addSettler, and unregisters on close", async () => {
    const settlers = new Set<() => Promise<void>>();
    const virtual = createVirtualClock("2026-03-05T09:00:00+08:00");
    const clock: Clock = {
      now: () => virtual.now(),
      setTimer: (at, cb) => virtual.setTimer(at, cb),
      addSettler(settle) {
        settlers.add(settle);
        return () => settlers.delete(settle);
      },
    };
    const engine = createEngine({ definitions: [approvalWorkflow({ assignees: ["user:a"] })], clock });
    expect(settlers.size).toBe(1);
    await [...settlers][0]!();
    await engine.close();
    expect(settlers.size).toBe(0);
    // a clock without the capability is real time: nothing to register with
    const plain: Clock = { now: () => virtual.now(), setTimer: (at, cb) => virtual.setTimer(at, cb) };
    expect(plain).not.toHaveProperty("addSettler");
    await createEngine({ definitions: [], clock: plain }).close();
  });
});
