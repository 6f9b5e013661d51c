/**
 * Webhook signatures in the Standard Webhooks format: HMAC-SHA256 over
 * `${id}.${timestamp}.${body}`, sent as `webhook-signature: v1,<base64>`
 * beside `webhook-id` and `webhook-timestamp` (Unix seconds). Receivers can
 * verify with any Standard Webhooks library or with {@link verifyWebhookSignature}.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { checkNumberOption } from "./options.js";

/** The headers that carry a signature. */
export interface SignatureHeaders {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
}

/** The shortest HMAC key accepted, in bytes (128 bits). */
const MIN_SECRET_BYTES = 16;

/**
 * The HMAC key of a secret: a `whsec_<base64>` secret (the Standard Webhooks
 * form) is base64-decoded; any other string is used as its UTF-8 bytes.
 * A key under {@link MIN_SECRET_BYTES} bytes, or a `whsec_` secret that is not
 * valid base64, is refused: an empty or short key lets anyone forge signatures.
 *
 * @throws TypeError for a secret that is not a string, empty or not base64; RangeError for a short key
 */
export function secretKey(secret: string): Buffer {
  if (typeof secret !== "string") throw new TypeError(`the webhook secret must be a string, got ${secret === null ? "null" : typeof secret}`);
  if (secret.length === 0) throw new TypeError("the webhook secret is empty; pass the endpoint's signing secret, e.g. whsec_...");
  let key: Buffer;
  if (secret.startsWith("whsec_")) {
    const b64 = secret.slice(6);
    // Buffer.from(..., "base64") skips what it cannot read; a typo must not become a shorter key
    if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{2,3})?$/.test(b64)) {
      throw new TypeError("the webhook secret after whsec_ is not valid base64; copy the endpoint's secret exactly");
    }
    key = Buffer.from(b64, "base64");
    if (key.length < MIN_SECRET_BYTES) throw new RangeError(`the webhook secret decodes to ${key.length} bytes; use at least ${MIN_SECRET_BYTES} (whsec_ followed by the base64 of ${MIN_SECRET_BYTES}+ random bytes)`);
  } else {
    key = Buffer.from(secret, "utf8");
    if (key.length < MIN_SECRET_BYTES) throw new RangeError(`the webhook secret is ${key.length} bytes; use at least ${MIN_SECRET_BYTES}`);
  }
  return key;
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
  /** Largest accepted distance between the timestamp and now, in seconds: finite, 0 or more. Default 300. */
  toleranceSeconds?: number | undefined;
  /** Now in epoch ms (a finite number). Default `Date.now()`. */
  now?: number | undefined;
}

/**
 * Check a received webhook: every header present, the timestamp within the
 * tolerance (replay protection), and one of the space-separated `v1,`
 * signatures equal to ours, compared in constant time.
 *
 * @returns `{ ok: true, id }`, or `{ ok: false, reason }` saying what failed
 * @throws TypeError or RangeError when the receiver's own configuration is
 *   wrong (a weak or malformed secret, a NaN or negative `toleranceSeconds`,
 *   a NaN `now`): that is a bug to fix, not a request to refuse
 *
 * @example
 * ```ts
 * const check = verifyWebhookSignature({ secret, headers: req.headers, body: rawBody });
 * if (!check.ok) return res.writeHead(401).end(check.reason);
 * ```
 */
export function verifyWebhookSignature(options: VerifyOptions): { ok: true; id: string } | { ok: false; reason: string } {
  secretKey(options.secret);
  checkNumberOption("verifyWebhookSignature", "toleranceSeconds", options.toleranceSeconds, { integer: false, min: 0, unit: "seconds" });
  checkNumberOption("verifyWebhookSignature", "now", options.now, { integer: false, min: Number.MIN_SAFE_INTEGER, unit: "epoch milliseconds" });
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
