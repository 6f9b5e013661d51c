/**
 * Webhook signatures in the Standard Webhooks format: HMAC-SHA256 over
 * `${id}.${timestamp}.${body}`, sent as `webhook-signature: v1,<base64>`
 * beside `webhook-id` and `webhook-timestamp` (Unix seconds). Receivers can
 * verify with any Standard Webhooks library or with {@link verifyWebhookSignature}.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** The headers that carry a signature. */
export interface SignatureHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/**
 * The HMAC key of a secret: a `whsec_<base64>` secret (the Standard Webhooks
 * form) is base64-decoded; any other string is used as its UTF-8 bytes.
 */
export function secretKey(secret: string): Buffer {
  if (secret.length === 0) throw new TypeError("the webhook secret is empty; pass the endpoint's signing secret, e.g. whsec_...");
  return secret.startsWith("whsec_") ? Buffer.from(secret.slice(6), "base64") : Buffer.from(secret, "utf8");
}

/**
 * Sign one delivery.
 *
 * @param secret - the endpoint's secret (`whsec_<base64>` or a plain string)
 * @param id - the message id (the notification's idempotency key)
 * @param timestamp - Unix seconds
 * @param body - the exact request body
 * @returns the three headers to send
 *
 * @example
 * ```ts
 * const headers = signWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "q1/1/0", 1767225600, '{"type":"ruleflow.notification"}');
 * headers["webhook-signature"]; // "v1,..."
 * ```
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): SignatureHeaders {
  const mac = createHmac("sha256", secretKey(secret)).update(`${id}.${timestamp}.${body}`).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": String(timestamp), "webhook-signature": `v1,${mac}` };
}

/** Input of {@link verifyWebhookSignature}. */
export interface VerifyOptions {
  /** The endpoint's secret, as given to the sender. */
  secret: string;
  /** Request headers (any case; Node's `IncomingHttpHeaders` or a plain object). */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** The raw request body, exactly as received. */
  body: string | Uint8Array;
  /** Largest accepted distance between the timestamp and now, in seconds. Default 300. */
  toleranceSeconds?: number | undefined;
  /** Now in epoch ms. Default `Date.now()`. */
  now?: number | undefined;
}

/**
 * Check a received webhook: every header present, the timestamp within the
 * tolerance (replay protection), and one of the space-separated `v1,`
 * signatures equal to ours, compared in constant time.
 *
 * @returns `{ ok: true, id }`, or `{ ok: false, reason }` saying what failed
 *
 * @example
 * ```ts
 * const check = verifyWebhookSignature({ secret, headers: req.headers, body: rawBody });
 * if (!check.ok) return res.writeHead(401).end(check.reason);
 * ```
 */
export function verifyWebhookSignature(options: VerifyOptions): { ok: true; id: string } | { ok: false; reason: string } {
  const header = (name: string): string | undefined => {
    for (const [k, v] of Object.entries(options.headers)) {
      if (k.toLowerCase() === name) return typeof v === "string" ? v : v?.[0];
    }
    return undefined;
  };
  const id = header("webhook-id");
  const ts = header("webhook-timestamp");
  const sig = header("webhook-signature");
  if (!id || !ts || !sig) return { ok: false, reason: "missing webhook-id, webhook-timestamp or webhook-signature header" };
  const seconds = Number(ts);
  if (!/^\d+$/.test(ts) || !Number.isSafeInteger(seconds)) return { ok: false, reason: `webhook-timestamp "${ts}" is not Unix seconds` };
  const tolerance = options.toleranceSeconds ?? 300;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - seconds) > tolerance) return { ok: false, reason: `webhook-timestamp is ${now - seconds} s away from now (tolerance ${tolerance} s)` };
  const body = typeof options.body === "string" ? options.body : Buffer.from(options.body).toString("utf8");
  const expected = Buffer.from(signWebhook(options.secret, id, seconds, body)["webhook-signature"].slice(3), "base64");
  for (const candidate of sig.split(" ")) {
    const [version, value] = candidate.split(",", 2);
    if (version !== "v1" || !value) continue;
    const given = Buffer.from(value, "base64");
    if (given.length === expected.length && timingSafeEqual(given, expected)) return { ok: true, id };
  }
  return { ok: false, reason: "no v1 signature matches" };
}
