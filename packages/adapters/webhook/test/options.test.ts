/** Weak secrets and meaningless options are refused with a clear error, at creation and at verify time. */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { createWebhookNotifier, signWebhook, verifyWebhookSignature } from "../src/index.js";

const GOOD = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const url = "http://127.0.0.1:9/hook";

function signed(secret: string, at: number) {
  const body = '{"type":"ruleflow.notification"}';
  return { headers: { ...signWebhook(secret, "msg-1", Math.floor(at / 1000), body) }, body };
}

describe("webhook secrets", () => {
  const weak: [string, RegExp][] = [
    ["whsec_", /decodes to 0 bytes; use at least 16/],
    ["whsec_ ", /not valid base64/],
    ["whsec_!!!!", /not valid base64/],
    ["whsec_AAAA", /decodes to 3 bytes; use at least 16/],
    [`whsec_${Buffer.alloc(15, 7).toString("base64")}`, /decodes to 15 bytes/],
    ["short-secret", /12 bytes; use at least 16/],
    ["", /secret is empty/],
  ];

  it.each(weak)("%j is refused by createWebhookNotifier, signWebhook and verifyWebhookSignature", (secret, message) => {
    expect(() => createWebhookNotifier({ url, secret })).toThrow(message);
    expect(() => signWebhook(secret, "id", 1767225600, "{}")).toThrow(message);
    const { headers, body } = signed(GOOD, Date.now());
    expect(() => verifyWebhookSignature({ secret, headers, body })).toThrow(message);
  });

  it("an empty key no longer signs and verifies: the 10-year-old forged request case", () => {
    // before: whsec_ decoded to an empty HMAC key, so anyone could sign
    expect(() => verifyWebhookSignature({ secret: "whsec_", ...signed("whsec_", Date.now()) })).toThrow();
  });

  test.prop([fc.uint8Array({ minLength: 0, maxLength: 40 })])("a whsec_ key is accepted exactly when it decodes to 16 bytes or more", (bytes) => {
    const secret = `whsec_${Buffer.from(bytes).toString("base64")}`;
    if (bytes.length >= 16) {
      const { headers, body } = signed(secret, Date.now());
      expect(verifyWebhookSignature({ secret, headers, body }).ok).toBe(true);
    } else {
      expect(() => signWebhook(secret, "id", 1, "")).toThrow(/use at least 16/);
    }
  });

  it("a secret that is not a string is a TypeError", () => {
    expect(() => createWebhookNotifier({ url, secret: 42 as unknown as string })).toThrow(TypeError);
  });
});

describe("verifyWebhookSignature options", () => {
  const tenYearsAgo = Date.now() - 10 * 365 * 86_400_000;

  it.each([Number.NaN, -1, Number.POSITIVE_INFINITY, "300" as unknown as number])("toleranceSeconds %s is refused instead of accepting a 10-year-old timestamp", (toleranceSeconds) => {
    expect(() => verifyWebhookSignature({ secret: GOOD, ...signed(GOOD, tenYearsAgo), toleranceSeconds })).toThrow(/toleranceSeconds must be a finite number of seconds, 0 or more/);
  });

  it("now must be a finite epoch-ms number", () => {
    expect(() => verifyWebhookSignature({ secret: GOOD, ...signed(GOOD, tenYearsAgo), now: Number.NaN })).toThrow(/now must be/);
  });

  it("a 10-year-old timestamp fails with the default tolerance, and 0 tolerance is allowed", () => {
    expect(verifyWebhookSignature({ secret: GOOD, ...signed(GOOD, tenYearsAgo) })).toMatchObject({ ok: false, reason: expect.stringMatching(/tolerance 300 s/) });
    const at = 1_767_225_600_000;
    expect(verifyWebhookSignature({ secret: GOOD, ...signed(GOOD, at), toleranceSeconds: 0, now: at }).ok).toBe(true);
  });
});

describe("createWebhookNotifier options", () => {
  const bad: [string, Record<string, unknown>, RegExp][] = [
    ["timeoutMs NaN", { timeoutMs: Number.NaN }, /timeoutMs must be a whole number of milliseconds, at least 1, got NaN/],
    ["timeoutMs 0", { timeoutMs: 0 }, /timeoutMs must be .* at least 1, got 0/],
    ["timeoutMs Infinity", { timeoutMs: Number.POSITIVE_INFINITY }, /timeoutMs must be/],
    ["timeoutMs 1.5", { timeoutMs: 1.5 }, /timeoutMs must be a whole number/],
    ["retry.attempts NaN", { retry: { attempts: Number.NaN } }, /retry.attempts must be a whole number, at least 1, got NaN/],
    ["retry.baseDelayMs NaN", { retry: { baseDelayMs: Number.NaN } }, /retry.baseDelayMs must be a finite number of milliseconds, 0 or more, got NaN/],
    ["retry.maxDelayMs Infinity", { retry: { maxDelayMs: Number.POSITIVE_INFINITY } }, /retry.maxDelayMs must be a finite number/],
    ["retry not an object", { retry: 3 }, /retry must be an object/],
    ["keepDeadLetters -1", { keepDeadLetters: -1 }, /keepDeadLetters must be a whole number, 0 or more, got -1/],
    ["keepDeadLetters NaN", { keepDeadLetters: Number.NaN }, /keepDeadLetters must be/],
    ["url empty", { url: "" }, /url must be an http\(s\) URL/],
    ["url ftp", { url: "ftp://example.com/x" }, /url must be an http\(s\) URL, got "ftp:\/\/example.com\/x"/],
    ["url not a URL", { url: "not a url" }, /url must be an http\(s\) URL/],
    ["headers with a number", { headers: { "x-a": 1 } }, /headers\["x-a"\] must be a string/],
    ["now not a function", { now: 5 }, /now must be a function/],
    ["random not a function", { random: "x" }, /random must be a function/],
    ["body not a function", { body: {} }, /body must be a function/],
    ["onDeadLetter not a function", { onDeadLetter: true }, /onDeadLetter must be a function/],
  ];
  it.each(bad)("%s is refused at creation", (_, extra, message) => {
    expect(() => createWebhookNotifier({ url, ...extra })).toThrow(message);
  });

  it("sensible options are accepted", () => {
    expect(() => createWebhookNotifier({ url, secret: GOOD, timeoutMs: 1, retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 }, keepDeadLetters: 0, headers: { a: "b" } })).not.toThrow();
    expect(() => createWebhookNotifier({ url: () => url })).not.toThrow();
  });
});
