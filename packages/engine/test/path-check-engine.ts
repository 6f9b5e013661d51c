/**
 * The engine both path-check property tests run (runtime-direct-path and
 * runtime-flat-path): in-memory ports, the test directory, an `invoice` task
 * handler that fails its first `failures` attempts, counted ids; and the
 * `error` events it reports (a disagreement with xstate inside a timer's or a
 * task result's step surfaces there: the engine goes on).
 */
import type { VirtualClock } from "../src/runtime/clock.js";
import { createMemoryNotifier, createStaticDirectory } from "../src/runtime/defaults.js";
import { createEngine, type Engine, type InstanceEvent } from "../src/runtime/engine.js";
import { MANAGERS, ROLES, counter } from "./workflow-helpers.js";

export function checkedEngine(definitions: readonly unknown[], clock: VirtualClock): { engine: Engine; errors: string[] } {
  const errors: string[] = [];
  const engine = createEngine({
    definitions,
    clock,
    notifier: createMemoryNotifier(),
    directory: createStaticDirectory({ roles: ROLES, managers: MANAGERS }),
    handlers: {
      invoice: (input, ctx) => {
        if (ctx.attempt <= Number(input["failures"])) throw new Error("ERP timeout");
        return { invoiceNo: `INV-${ctx.attempt}` };
      },
    },
    newId: counter(),
  });
  engine.events$.subscribe((e) => {
    if (e.type === "error") errors.push(e.error);
  });
  return { engine, errors };
}

/** The event of a random operation: its type, who sends it, the user it names and where a reject sends the request. */
export function operationEvent(type: InstanceEvent["type"], actor: string, user: string, to: string | undefined): InstanceEvent {
  switch (type) {
    case "reject":
      return { type: "reject", actor, ...(to ? { to } : {}) };
    case "delegate":
    case "transfer":
      return { type, actor, to: user };
    case "addSigner":
      return { type: "addSigner", actor, users: [user], position: "after" };
    case "removeSigner":
      return { type: "removeSigner", actor, user };
    case "cc":
      return { type: "cc", actor, to: [user] };
    default:
      return { type, actor };
  }
}
