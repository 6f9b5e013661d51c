/** End to end: a real engine with the webhook notifier, a real HTTP server that fails first. */
import { afterEach, describe, expect, it } from "vitest";
import { createEngine, createVirtualClock, type EngineEvent } from "@ruleflow/engine";
import { createWebhookNotifier, verifyWebhookSignature } from "../src/index.js";
import { startReceiver, type Reply } from "./server.js";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

const workflow = {
  kind: "workflow",
  id: "discount",
  version: 1,
  start: "approve",
  nodes: {
    approve: { type: "approval", mode: "any", assignees: ["user:zhao"], onApprove: "approved", onReject: "rejected" },
    approved: { type: "end", outcome: "approved", notify: [{ to: "initiator", template: "discount-approved" }] },
    rejected: { type: "end", outcome: "rejected" },
  },
};

let close: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of close.reverse()) await c();
  close = [];
});

/** A receiver that drops duplicates by webhook-id, as the docs tell receivers to, and plays `script`. */
async function setup(script: (n: number) => Reply, maxAttempts = 5) {
  const delivered = new Map<string, unknown>();
  const server = await startReceiver((r, n) => {
    const check = verifyWebhookSignature({ secret: SECRET, headers: r.headers, body: r.body });
    if (!check.ok) return { status: 401, body: check.reason };
    const reply = script(n);
    if (reply !== "hang" && reply.status < 300 && !delivered.has(check.id)) delivered.set(check.id, JSON.parse(r.body));
    return reply;
  });
  const clock = createVirtualClock("2026-03-05T09:00:00+08:00");
  const notifier = createWebhookNotifier({ url: `${server.url}/ruleflow`, secret: SECRET, retry: { attempts: 2, baseDelayMs: 20 } });
  const engine = createEngine({ definitions: [workflow], clock, notifier, retry: { maxAttempts, baseDelayMs: 60_000 } });
  const events: EngineEvent[] = [];
  engine.events$.subscribe((e) => events.push(e));
  close.push(() => server.close(), () => engine.close());
  return { server, clock, engine, notifier, delivered, events };
}

const approvedMessages = (t: Awaited<ReturnType<typeof setup>>) => t.server.received.filter((r) => r.body.includes("discount-approved"));

describe("webhook notifier in the engine", () => {
  it("a notification is delivered once although the server fails first (in-call retries, then the outbox's)", async () => {
    // the approval-requested message goes first (request 1, ok); then discount-approved: 500, 500 (one send), 502 (next send's first try), then 200
    const t = await setup((n) => (n === 1 || n >= 5 ? { status: 200 } : { status: n === 4 ? 502 : 500, body: "upstream down" }));
    const q = await t.engine.start("discount", { initiator: "user:li", input: { discount: 0.15 } });
    await t.engine.settle();
    await t.engine.send(q.id, { type: "approve", actor: "user:zhao" });
    await t.engine.settle();
    expect(approvedMessages(t)).toHaveLength(2); // one send() of two requests, then the engine waits
    await t.clock.advanceBy("PT10M");

    const requests = approvedMessages(t);
    expect(requests).toHaveLength(4);
    expect(new Set(requests.map((r) => r.headers["idempotency-key"])).size).toBe(1);
    const outbox = await t.engine.outbox(q.id);
    expect(outbox.map((o) => [o.payload["template"], o.status, o.attempts])).toEqual([
      ["approval-requested", "delivered", 1],
      ["discount-approved", "delivered", 2],
    ]);
    expect([...t.delivered.keys()]).toEqual(outbox.map((o) => o.idempotencyKey));
    expect(t.delivered.get(outbox[1]!.idempotencyKey)).toMatchObject({ type: "ruleflow.notification", data: { instanceId: q.id, template: "discount-approved", recipients: ["user:li"] } });
    expect(t.events.filter((e) => e.type === "notification.failed").map((e) => (e as { willRetry: boolean }).willRetry)).toEqual([true]);
    expect(t.notifier.deadLetters).toEqual([]);
  });

  it("a 4xx is dead at once: no outbox retries, one dead letter with the receiver's answer", async () => {
    const t = await setup((n) => (n === 1 ? { status: 200 } : { status: 422, body: '{"error":"initiator has no webhook subscription"}' }));
    const q = await t.engine.start("discount", { initiator: "user:li" });
    await t.engine.send(q.id, { type: "approve", actor: "user:zhao" });
    await t.clock.advanceBy("P1D");
    expect(approvedMessages(t)).toHaveLength(1);
    const entry = (await t.engine.outbox(q.id))[1]!;
    expect([entry.status, entry.attempts]).toEqual(["dead", 1]);
    expect(t.notifier.deadLetters).toHaveLength(1);
    expect(t.notifier.deadLetters[0]).toMatchObject({
      notification: { idempotencyKey: entry.idempotencyKey, template: "discount-approved" },
      target: `${t.server.url}/ruleflow`,
      attempts: 1,
      requests: 1,
      status: 422,
      response: '{"error":"initiator has no webhook subscription"}',
      permanent: true,
      at: Date.parse("2026-03-05T09:00:00+08:00"),
    });
  });

  it("a server that keeps failing ends as a dead letter after the engine's last attempt", async () => {
    const t = await setup((n) => (n === 1 ? { status: 200 } : { status: 503, body: "maintenance" }), 3);
    const q = await t.engine.start("discount", { initiator: "user:li" });
    await t.engine.send(q.id, { type: "approve", actor: "user:zhao" });
    await t.clock.advanceBy("P1D");
    expect(approvedMessages(t)).toHaveLength(6); // 3 outbox attempts x 2 requests
    const entry = (await t.engine.outbox(q.id))[1]!;
    expect([entry.status, entry.attempts]).toEqual(["dead", 3]);
    expect(t.notifier.deadLetters.map((d) => [d.attempts, d.requests, d.status, d.permanent, d.error])).toEqual([
      [3, 6, 503, false, `POST ${t.server.url}/ruleflow failed after 2 attempts: HTTP 503: maintenance`],
    ]);
  });
});
