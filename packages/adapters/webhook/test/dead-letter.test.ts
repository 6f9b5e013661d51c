/**
 * The webhook notifier's dead letters pass the engine's dead-letter
 * conformance suite, the same suite the IM and email notifiers pass, against a
 * real HTTP receiver that fails `/fail` and accepts `/deliver`.
 */
import { afterAll, describe, expect, it } from "vitest";
import { deadLetterConformance } from "@ruleflow/engine/testing";
import { createWebhookNotifier } from "../src/index.js";
import { startReceiver } from "./server.js";

const receiver = await startReceiver((r) => (r.url.startsWith("/fail") ? { status: 503, body: "receiver down" } : { status: 200 }));
afterAll(() => receiver.close());

deadLetterConformance(
  { describe, it, expect },
  { notifier: (options) => createWebhookNotifier({ url: (n) => `${receiver.url}/${String(n.data["fate"])}`, retry: { attempts: 1 }, ...options }) },
);

describe("webhook dead letters", () => {
  it("record the target, the requests of every failed call, and the last status and response", async () => {
    const notifier = createWebhookNotifier({ url: (n) => `${receiver.url}/${String(n.data["fate"])}?token=secret`, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    const n = { id: "n1", idempotencyKey: "i1/1/0", instanceId: "i1", to: "user:li", recipients: ["user:li"], template: "t", data: { fate: "fail" }, at: 0 };
    for (let call = 0; call < 2; call++) await expect(notifier.send(n)).rejects.toThrow(/503/);
    await notifier.deadLetter(n, { attempts: 2, error: "HTTP 503", permanent: false, at: 1 });
    await notifier.deadLetter({ ...n, idempotencyKey: "i2/1/0" }, { attempts: 1, error: "refused", permanent: true, at: 2 });
    expect(notifier.deadLetters.map(({ target, requests, status, response }) => ({ target, requests, status, response }))).toEqual([
      { target: `${receiver.url}/fail`, requests: 4, status: 503, response: "receiver down" },
      { target: `${receiver.url}/fail`, requests: 0, status: undefined, response: undefined },
    ]);
  });
});
