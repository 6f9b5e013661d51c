/** The webhook notifier against a real HTTP server on 127.0.0.1. */
import { createHmac } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { isPermanentDeliveryError, type Notification } from "@ruleflow/engine";
import { createWebhookNotifier, DeliveryError, verifyWebhookSignature } from "../src/index.js";
import { closedPort, startReceiver, type Received, type Reply } from "./server.js";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

const notification: Notification = {
  id: "ob-1",
  idempotencyKey: "q-42/3/0",
  instanceId: "q-42",
  to: "role:compliance",
  recipients: ["user:chen"],
  template: "approval-requested",
  data: { node: "countersign", input: { customer: { name: "ACME 有限公司" } } },
  at: Date.parse("2026-03-05T09:00:00+08:00"),
};

/** The check a receiver would write from the Standard Webhooks spec, independent of the package's own verifier. */
function signatureValid(r: Received, secret: string): boolean {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const expected = createHmac("sha256", key).update(`${String(r.headers["webhook-id"])}.${String(r.headers["webhook-timestamp"])}.${r.body}`).digest("base64");
  const fresh = Math.abs(Date.now() / 1000 - Number(r.headers["webhook-timestamp"])) < 300;
  return fresh && String(r.headers["webhook-signature"]).split(" ").includes(`v1,${expected}`);
}

/** A receiver that checks the signature (401 when wrong) and then plays `script` (default 200). */
async function receiver(script: (n: number) => Reply = () => ({ status: 200 })) {
  return startReceiver((r, n) => (signatureValid(r, SECRET) ? script(n) : { status: 401, body: "bad signature" }));
}

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
const track = <T extends { close(): Promise<void> }>(s: T): T => (servers.push(s), s);

describe("webhook notifier", () => {
  it("POSTs the notification as signed JSON with its idempotency key", async () => {
    const server = track(await receiver());
    const notifier = createWebhookNotifier({ url: `${server.url}/hooks/ruleflow?tenant=t1`, secret: SECRET, headers: { authorization: "Bearer t0k" } });
    await notifier.send(notification);
    expect(server.received).toHaveLength(1);
    const [r] = server.received as [Received];
    expect(r.method).toBe("POST");
    expect(r.url).toBe("/hooks/ruleflow?tenant=t1");
    expect(r.headers["content-type"]).toBe("application/json");
    expect(r.headers["idempotency-key"]).toBe("q-42/3/0");
    expect(r.headers["webhook-id"]).toBe("q-42/3/0");
    expect(r.headers["authorization"]).toBe("Bearer t0k");
    expect(signatureValid(r, SECRET)).toBe(true);
    expect(verifyWebhookSignature({ secret: SECRET, headers: r.headers, body: r.body })).toEqual({ ok: true, id: "q-42/3/0" });
    expect(JSON.parse(r.body)).toEqual({ type: "ruleflow.notification", timestamp: "2026-03-05T01:00:00.000Z", data: notification });
  });

  it("retries a 500 within the call and is delivered by the second request, same key, fresh signature", async () => {
    const server = track(await receiver((n) => (n === 1 ? { status: 500, body: "db down" } : { status: 204 })));
    const notifier = createWebhookNotifier({ url: server.url, secret: SECRET, retry: { baseDelayMs: 50 } });
    const started = Date.now();
    await notifier.send(notification);
    expect(server.received.map((r) => r.headers["idempotency-key"])).toEqual(["q-42/3/0", "q-42/3/0"]);
    expect(server.received.every((r) => signatureValid(r, SECRET))).toBe(true);
    // equal jitter: between half and all of the 50 ms base delay
    expect(server.received[1]!.at - server.received[0]!.at).toBeGreaterThanOrEqual(24);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("after the last in-call attempt throws a retryable DeliveryError for the engine to retry later", async () => {
    const server = track(await receiver(() => ({ status: 503, body: "maintenance" })));
    const notifier = createWebhookNotifier({ url: server.url, secret: SECRET, retry: { attempts: 3, baseDelayMs: 10 } });
    const error = await notifier.send(notification).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(isPermanentDeliveryError(error)).toBe(false);
    expect((error as Error).message).toBe(`POST ${server.url}/ failed after 3 attempts: HTTP 503: maintenance`);
    expect((error as DeliveryError).detail).toMatchObject({ requests: 3, status: 503, response: "maintenance", permanent: false });
    expect(server.received).toHaveLength(3);
  });

  it("does not retry a 400: it throws a PermanentDeliveryError after one request", async () => {
    const server = track(await receiver(() => ({ status: 400, body: '{"error":"unknown template"}' })));
    const notifier = createWebhookNotifier({ url: server.url, secret: SECRET, retry: { baseDelayMs: 10 } });
    const error = await notifier.send(notification).then(() => undefined, (e: unknown) => e);
    expect(isPermanentDeliveryError(error)).toBe(true);
    expect((error as Error).message).toBe(`POST ${server.url}/ was refused: HTTP 400: {"error":"unknown template"}; not retried`);
    expect(server.received).toHaveLength(1);
  });

  it("a wrong secret is refused by the receiver (401) and not retried", async () => {
    const server = track(await receiver());
    const notifier = createWebhookNotifier({ url: server.url, secret: "whsec_" + Buffer.from("not the right secret").toString("base64") });
    const error = await notifier.send(notification).then(() => undefined, (e: unknown) => e);
    expect(isPermanentDeliveryError(error)).toBe(true);
    expect((error as Error).message).toContain("HTTP 401: bad signature");
    expect(server.received).toHaveLength(1);
  });

  it("times out a receiver that never answers, and retries it", async () => {
    const server = track(await receiver((n) => (n < 3 ? "hang" : { status: 200 })));
    const notifier = createWebhookNotifier({ url: server.url, secret: SECRET, timeoutMs: 150, retry: { attempts: 2, baseDelayMs: 10 } });
    const started = Date.now();
    const error = await notifier.send(notification).then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).toBe(`POST ${server.url}/ failed after 2 attempts: no response within 150 ms`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(server.received).toHaveLength(2);
    await notifier.send(notification); // the third request is answered
    expect(server.received).toHaveLength(3);
  });

  it("treats a refused connection as retryable", async () => {
    const port = await closedPort();
    const notifier = createWebhookNotifier({ url: `http://127.0.0.1:${port}/hook`, secret: SECRET, retry: { attempts: 2, baseDelayMs: 10 } });
    const error = await notifier.send(notification).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as Error).message).toMatch(/failed after 2 attempts: network error: .*ECONNREFUSED/);
  });

  it("honours Retry-After on 429, and leaves a too-long one to the engine", async () => {
    const server = track(await receiver((n) => (n === 1 ? { status: 429, headers: { "retry-after": "1" } } : n === 2 ? { status: 200 } : { status: 429, headers: { "retry-after": "120" } })));
    const notifier = createWebhookNotifier({ url: server.url, secret: SECRET, retry: { baseDelayMs: 10 } });
    await notifier.send(notification);
    expect(server.received[1]!.at - server.received[0]!.at).toBeGreaterThanOrEqual(950);
    const error = await notifier.send(notification).then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).toBe(`POST ${server.url}/ failed after 1 attempt (Retry-After 120 s is beyond retry.maxDelayMs): HTTP 429`);
    expect(server.received).toHaveLength(3);
  });

  it("does not follow redirects (a moved endpoint is a configuration error)", async () => {
    const server = track(await receiver(() => ({ status: 301, headers: { location: "http://127.0.0.1:1/elsewhere" } })));
    const error = await createWebhookNotifier({ url: server.url, secret: SECRET }).send(notification).then(() => undefined, (e: unknown) => e);
    expect(isPermanentDeliveryError(error)).toBe(true);
    expect(server.received).toHaveLength(1);
  });

  it("chooses the URL per notification, and sends unsigned requests without a secret", async () => {
    const server = track(await startReceiver(() => ({ status: 200 })));
    const notifier = createWebhookNotifier({ url: (n) => `${server.url}/${n.channel ?? "default"}`, body: (n) => ({ text: `${n.template} for ${n.instanceId}` }) });
    await notifier.send({ ...notification, channel: "ops" });
    expect(server.received[0]!.url).toBe("/ops");
    expect(server.received[0]!.headers["webhook-signature"]).toBeUndefined();
    expect(server.received[0]!.headers["webhook-id"]).toBe("q-42/3/0");
    expect(JSON.parse(server.received[0]!.body)).toEqual({ text: "approval-requested for q-42" });
  });

  it("rejects an empty secret and bad retry settings at creation", () => {
    expect(() => createWebhookNotifier({ url: "http://127.0.0.1/", secret: "" })).toThrow(/secret is empty/);
    expect(() => createWebhookNotifier({ url: "http://127.0.0.1/", retry: { attempts: 0 } })).toThrow(/at least 1/);
  });
});

describe("verifyWebhookSignature", () => {
  it("rejects a tampered body, a wrong secret, an old timestamp and missing headers", async () => {
    const server = track(await receiver());
    await createWebhookNotifier({ url: server.url, secret: SECRET }).send(notification);
    const r = server.received[0]!;
    expect(verifyWebhookSignature({ secret: SECRET, headers: r.headers, body: r.body.replace("ACME", "EVIL") })).toEqual({ ok: false, reason: "no v1 signature matches" });
    expect(verifyWebhookSignature({ secret: `whsec_${Buffer.alloc(24, 1).toString("base64")}`, headers: r.headers, body: r.body }).ok).toBe(false);
    expect(verifyWebhookSignature({ secret: SECRET, headers: r.headers, body: r.body, now: Date.now() + 600_000 })).toMatchObject({ ok: false, reason: expect.stringMatching(/tolerance 300 s/) });
    expect(verifyWebhookSignature({ secret: SECRET, headers: { "webhook-id": "x" }, body: r.body }).ok).toBe(false);
    expect(verifyWebhookSignature({ secret: SECRET, headers: r.headers, body: new TextEncoder().encode(r.body) }).ok).toBe(true);
  });
});
