/**
 * Dead letters: the notifications the engine gave up on, with what the
 * receiver last said. The engine decides when an entry is dead (a permanent
 * refusal, or its last outbox retry failed) and calls `Notifier.deadLetter`;
 * the engine's one dead-letter box (`createDeadLetterBox`) keeps them, and
 * this module adds the HTTP view (target, status, response, requests).
 */
import type { Notification } from "@ruleflow/engine";
import { createDeadLetterBox, type DeadLetter, type DeadLetterBox, type DeadLetterOptions } from "@ruleflow/engine/workflow";
import type { FailureDetail } from "./http.js";

/** One notification given up on, as the webhook and IM notifiers record it. */
export interface WebhookDeadLetter extends DeadLetter {
  /** Where it was sent (redacted: no query string, long path segments masked). */
  readonly target: string;
  /** HTTP requests in all the engine's `send()` calls. */
  readonly requests: number;
  /** The last HTTP status, if a response came. */
  readonly status?: number | undefined;
  /** The start of the last response body. */
  readonly response?: string | undefined;
}

/**
 * Create the dead-letter box of a notifier built on this package (the
 * webhook notifier, `@ruleflow/im`): the engine's `createDeadLetterBox`, fed
 * with each failed call's {@link FailureDetail}; requests add up over calls.
 *
 * @param options - the host's `onDeadLetter` and `keepDeadLetters`
 * @param owner - the function whose options these are, named in errors (`createWebhookNotifier`)
 * @param fallbackTarget - the redacted target of a notification no failed call was recorded for
 * @returns the box: record failures with `failed`, deliveries with `delivered`, call `dead` from `deadLetter`
 * @throws TypeError or RangeError for a `keepDeadLetters` that is not a whole number of 0 or more, or an `onDeadLetter` that is not a function
 * @example
 * ```ts
 * const box = createWebhookDeadLetterBox(options, "createSmsNotifier", (n) => redactUrl(urlOf(n)));
 * ```
 */
export function createWebhookDeadLetterBox(
  options: DeadLetterOptions<WebhookDeadLetter>,
  owner: string,
  fallbackTarget: (notification: Notification) => string,
): DeadLetterBox<FailureDetail, WebhookDeadLetter> {
  return createDeadLetterBox<FailureDetail, WebhookDeadLetter>({
    onDeadLetter: options.onDeadLetter,
    keepDeadLetters: options.keepDeadLetters,
    owner,
    merge: (earlier, latest) => ({ ...latest, requests: earlier.requests + latest.requests }),
    fields: (notification, detail) => ({
      target: detail?.target ?? fallbackTarget(notification),
      requests: detail?.requests ?? 0,
      status: detail?.status,
      response: detail?.response,
    }),
  });
}
