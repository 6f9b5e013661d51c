/** The webhook notifier: one signed JSON POST per notification. */
import type { Notification, Notifier } from "@ruleflow/engine";
import type { DeadLetterOptions, DeliveryFailure } from "@ruleflow/engine/workflow";
import { createWebhookDeadLetterBox, type WebhookDeadLetter } from "./dead-letter.js";
import { classifyStatus, postWithRetry, redactUrl, type FailureDetail } from "./http.js";
import { checkFunctionOption, checkHeadersOption, checkNumberOption, checkUrlOption } from "./options.js";
import { retryPolicy, type RetryOptions } from "./retry.js";
import { secretKey, signWebhook } from "./signature.js";

/** Options of {@link createWebhookNotifier}. */
export interface WebhookNotifierOptions extends DeadLetterOptions<WebhookDeadLetter> {
  /** The endpoint, or a function choosing one per notification (by `channel`, `template`...). */
  url: string | ((notification: Notification) => string);
  /**
   * Signing secret: `whsec_<base64>` (Standard Webhooks) or any string (its
   * UTF-8 bytes are the key). Without it requests are not signed.
   */
  secret?: string | undefined;
  /** The JSON body. Default `{ type: "ruleflow.notification", timestamp, data: notification }`. */
  body?: ((notification: Notification) => unknown) | undefined;
  /** Extra headers (authorization, routing). */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Per-request timeout in ms, the response body included. Default 10000. */
  timeoutMs?: number | undefined;
  /** In-call retries; see {@link RetryOptions}. */
  retry?: RetryOptions | undefined;
  /** The fetch to use. Default the global `fetch`. */
  fetch?: typeof fetch | undefined;
  /** Wall-clock time for signature timestamps, epoch ms. Default `Date.now`. */
  now?: (() => number) | undefined;
  /** Jitter source in [0, 1). Default `Math.random`. */
  random?: (() => number) | undefined;
}

/** A {@link Notifier} for the engine, plus the dead letters it has recorded. */
export interface WebhookNotifier extends Notifier {
  deadLetter(notification: Notification, failure: DeliveryFailure): Promise<void>;
  /** The most recent dead letters (see `keepDeadLetters`), oldest first. */
  readonly deadLetters: readonly WebhookDeadLetter[];
}

/** The default JSON body: a Standard Webhooks style envelope around the notification. */
export function defaultWebhookBody(n: Notification): unknown {
  return { type: "ruleflow.notification", timestamp: new Date(n.at).toISOString(), data: n };
}

/**
 * Create a notifier that POSTs each notification as JSON to a webhook,
 * signed with HMAC-SHA256 in the Standard Webhooks format (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature: v1,<base64>` over
 * `id.timestamp.body`), with the notification's idempotency key as
 * `webhook-id` and `Idempotency-Key`.
 *
 * Within one `send()`: up to `retry.attempts` requests, retrying 5xx, 408,
 * 425, 429, timeouts and network errors with exponential backoff and jitter
 * (honouring `Retry-After`). Still failing, it throws and the engine's outbox
 * retries later with its own backoff. Any other status (4xx, 3xx) throws a
 * `PermanentDeliveryError`: the engine marks the entry dead at once. Either
 * way the engine's `deadLetter` call leaves a {@link WebhookDeadLetter}.
 *
 * @param options - endpoint, secret, timeouts, retries, dead-letter sink
 * @returns the notifier to pass as `createEngine({ notifier })`
 *
 * @example
 * ```ts
 * const notifier = createWebhookNotifier({
 *   url: "https://crm.example.com/hooks/ruleflow",
 *   secret: process.env.RULEFLOW_WEBHOOK_SECRET,
 *   onDeadLetter: (letter) => db.insert("dead_letters", letter),
 * });
 * const engine = createEngine({ definitions, notifier });
 * ```
 * @see docs/notifications.md
 */
export function createWebhookNotifier(options: WebhookNotifierOptions): WebhookNotifier {
  const owner = "createWebhookNotifier";
  if (typeof options.url !== "function") checkUrlOption(owner, "url", options.url);
  checkNumberOption(owner, "timeoutMs", options.timeoutMs, { integer: true, min: 1, unit: "milliseconds" });
  checkHeadersOption(owner, "headers", options.headers);
  for (const name of ["body", "fetch", "now", "random"] as const) checkFunctionOption(owner, name, options[name]);
  const policy = retryPolicy(options.retry, owner);
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  const urlOf = typeof options.url === "function" ? options.url : () => options.url as string;
  const bodyOf = options.body ?? defaultWebhookBody;
  const box = createWebhookDeadLetterBox(options, owner, (n) => redactUrl(urlOf(n)));
  if (options.secret !== undefined) secretKey(options.secret); // a weak secret fails here, not on the first send

  return {
    get deadLetters() {
      return box.letters;
    },
    async send(n) {
      const url = urlOf(n);
      const body = JSON.stringify(bodyOf(n));
      try {
        await postWithRetry(
          () => {
            const headers: Record<string, string> = {
              "content-type": "application/json",
              "user-agent": "ruleflow-webhook",
              "idempotency-key": n.idempotencyKey,
              ...options.headers,
            };
            if (options.secret !== undefined) Object.assign(headers, signWebhook(options.secret, n.idempotencyKey, Math.floor(now() / 1000), body));
            else headers["webhook-id"] = n.idempotencyKey;
            return { url, headers, body };
          },
          { policy, timeoutMs, classify: classifyStatus, fetch: options.fetch, random: options.random },
        );
        box.delivered(n.idempotencyKey);
      } catch (e) {
        const detail = (e as { detail?: FailureDetail }).detail;
        if (detail) box.failed(n.idempotencyKey, detail);
        throw e;
      }
    },
    async deadLetter(n, failure) {
      await box.dead(n, failure);
    },
  };
}
