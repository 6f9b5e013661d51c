/** Permanent notifier failures and the dead-letter hook of the Notifier port. */
import { describe, expect, it } from "vitest";
import { PermanentDeliveryError, isPermanentDeliveryError, isRuleflowError } from "../src/core/errors.js";
import { createVirtualClock } from "../src/runtime/clock.js";
import { createEngine, type EngineEvent } from "../src/runtime/engine.js";
import type { DeliveryFailure, Notification, Notifier } from "../src/runtime/ports.js";

const hello = {
  kind: "workflow",
  id: "wf",
  version: 1,
  start: "hello",
  nodes: {
    hello: { type: "notify", notify: [{ to: "user:a", template: "first" }, { to: "user:b", template: "second" }], next: "done" },
    done: { type: "end", outcome: "ok" },
  },
};

/** A notifier that fails `first` with `error()` and keeps what it delivered and what went dead. */
function recordingNotifier(error: () => unknown): Notifier & { calls: string[]; sent: string[]; dead: [Notification, DeliveryFailure][] } {
  const calls: string[] = [];
  const sent: string[] = [];
  const dead: [Notification, DeliveryFailure][] = [];
  return {
    calls,
    sent,
    dead,
    async send(n) {
      calls.push(n.template);
      if (n.template === "first") throw error();
      sent.push(n.template);
    },
    async deadLetter(n, failure) {
      dead.push([n, failure]);
    },
  };
}

function setup(notifier: Notifier) {
  const clock = createVirtualClock("2026-03-05T09:00:00+08:00");
  let n = 0;
  const engine = createEngine({ definitions: [hello], clock, notifier, newId: () => `id-${++n}`, retry: { maxAttempts: 4, baseDelayMs: 1000 } });
  const events: EngineEvent[] = [];
  engine.events$.subscribe((e) => events.push(e));
  return { clock, engine, events };
}

describe("permanent delivery errors", () => {
  it("PermanentDeliveryError is a RuleflowError with a stable code; any error with permanent: true counts", () => {
    const e = new PermanentDeliveryError("HTTP 404 from https://example.test/hook");
    expect(isRuleflowError(e)).toBe(true);
    expect(e.code).toBe("DELIVERY_REJECTED");
    expect(isPermanentDeliveryError(e)).toBe(true);
    expect(isPermanentDeliveryError(Object.assign(new Error("550 no such user"), { permanent: true }))).toBe(true);
    expect(isPermanentDeliveryError(new Error("timeout"))).toBe(false);
    expect(isPermanentDeliveryError(null)).toBe(false);
    expect(isPermanentDeliveryError("permanent")).toBe(false);
  });

  it("a permanent error marks the entry dead on the first attempt, without retries, and tells the notifier once", async () => {
    const notifier = recordingNotifier(() => new PermanentDeliveryError("HTTP 400: unknown channel"));
    const { clock, engine, events } = setup(notifier);
    const q = await engine.start("wf", { initiator: "user:li" });
    await clock.advanceBy("P1D");
    expect(notifier.calls.filter((t) => t === "first")).toHaveLength(1);
    expect(notifier.sent).toEqual(["second"]);
    const first = (await engine.outbox(q.id)).find((o) => o.payload["template"] === "first")!;
    expect([first.status, first.attempts, first.lastError]).toEqual(["dead", 1, "HTTP 400: unknown channel"]);
    const failed = events.filter((e) => e.type === "notification.failed");
    expect(failed).toHaveLength(1);
    expect((failed[0] as { willRetry: boolean }).willRetry).toBe(false);
    expect(notifier.dead).toHaveLength(1);
    const [n, failure] = notifier.dead[0]!;
    expect(n.idempotencyKey).toBe(first.idempotencyKey);
    expect(failure).toEqual({ attempts: 1, error: "HTTP 400: unknown channel", permanent: true, at: Date.parse("2026-03-05T09:00:00+08:00") });
    await engine.close();
  });

  it("a plain error is still retried up to maxAttempts; the dead-letter hook hears of it once, not permanent", async () => {
    const notifier = recordingNotifier(() => new Error("HTTP 503"));
    const { clock, engine } = setup(notifier);
    const q = await engine.start("wf", { initiator: "user:li" });
    await clock.advanceBy("P1D");
    expect(notifier.calls.filter((t) => t === "first")).toHaveLength(4);
    const first = (await engine.outbox(q.id)).find((o) => o.payload["template"] === "first")!;
    expect([first.status, first.attempts]).toEqual(["dead", 4]);
    expect(notifier.dead.map(([, f]) => [f.attempts, f.permanent, f.error])).toEqual([[4, false, "HTTP 503"]]);
    await engine.close();
  });

  it("a dead-letter hook that throws does not stop other deliveries", async () => {
    const notifier = recordingNotifier(() => new PermanentDeliveryError("gone"));
    notifier.deadLetter = () => {
      throw new Error("dead-letter sink down");
    };
    const { clock, engine } = setup(notifier);
    const q = await engine.start("wf", { initiator: "user:li" });
    await clock.advanceBy("PT1M");
    expect((await engine.outbox(q.id)).map((o) => o.status)).toEqual(["dead", "delivered"]);
    await engine.close();
  });
});
