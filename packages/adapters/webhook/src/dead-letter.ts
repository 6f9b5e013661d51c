/**
 * Dead letters: the notifications the engine gave up on, with what the
 * receiver last said. The engine decides when an entry is dead (a permanent
 * refusal, or its last outbox retry failed) and calls `Notifier.deadLetter`;
 * this box adds the adapter's view (target, HTTP status, response, requests).
 */
import type { DeliveryFailure, Notification } from "@ruleflow/engine";
import type { FailureDetail } from "./http.js";
import { checkFunctionOption, checkNumberOption } from "./options.js";

/** One notification given up on. */
export interface DeadLetter {
  readonly notification: Notification;
  /** Where it was sent (redacted: no query string, long path segments masked). */
  readonly target: string;
  /** `send()` calls the engine made. */
  readonly attempts: number;
  /** HTTP requests in all those calls. */
  readonly requests: number;
  /** The last HTTP status, if a response came. */
  readonly status?: number | undefined;
  /** The start of the last response body. */
  readonly response?: string | undefined;
  /** The last error message. */
  readonly error: string;
  /** Refused for good, rather than out of retries. */
  readonly permanent: boolean;
  /** When the engine marked it dead (its Clock, epoch ms). */
  readonly at: number;
}

/** Where dead letters go. */
export interface DeadLetterOptions {
  /** Called once per dead letter: store it, alert someone. Errors are ignored by the engine. */
  onDeadLetter?: ((letter: DeadLetter) => void | Promise<void>) | undefined;
  /** Dead letters kept in memory on `notifier.deadLetters`, newest last. Default 100. */
  keepDeadLetters?: number | undefined;
}

/** The failures seen per idempotency key, and the dead letters (for notifiers built on this package, like `@ruleflow/im`). */
export interface DeadLetterBox {
  readonly letters: readonly DeadLetter[];
  /** Remember a failed `send()` call's detail until the key is delivered or dead. */
  failed(key: string, detail: FailureDetail): void;
  /** Forget a key (delivered). */
  delivered(key: string): void;
  /** The engine gave up: build, keep and hand on the dead letter. */
  dead(notification: Notification, failure: DeliveryFailure, fallbackTarget: string): Promise<void>;
}

const TRACKED = 10_000;

/**
 * Create a {@link DeadLetterBox} (for notifiers built on this package).
 * @throws TypeError or RangeError for a `keepDeadLetters` that is not a whole number of 0 or more, or an `onDeadLetter` that is not a function
 */
export function createDeadLetterBox(options: DeadLetterOptions, owner = "createDeadLetterBox"): DeadLetterBox {
  checkNumberOption(owner, "keepDeadLetters", options.keepDeadLetters, { integer: true, min: 0 });
  checkFunctionOption(owner, "onDeadLetter", options.onDeadLetter);
  const letters: DeadLetter[] = [];
  const keep = options.keepDeadLetters ?? 100;
  const seen = new Map<string, { detail: FailureDetail; requests: number }>();
  return {
    letters,
    failed(key, detail) {
      const before = seen.get(key);
      seen.delete(key);
      seen.set(key, { detail, requests: (before?.requests ?? 0) + detail.requests });
      // a key that is neither delivered nor dead (the engine was closed) must not grow this forever
      if (seen.size > TRACKED) seen.delete(seen.keys().next().value!);
    },
    delivered(key) {
      seen.delete(key);
    },
    async dead(notification, failure, fallbackTarget) {
      const s = seen.get(notification.idempotencyKey);
      seen.delete(notification.idempotencyKey);
      const letter: DeadLetter = {
        notification,
        target: s?.detail.target ?? fallbackTarget,
        attempts: failure.attempts,
        requests: s?.requests ?? 0,
        status: s?.detail.status,
        response: s?.detail.response,
        error: failure.error,
        permanent: failure.permanent,
        at: failure.at,
      };
      if (keep > 0) {
        letters.push(letter);
        if (letters.length > keep) letters.splice(0, letters.length - keep);
      }
      await options.onDeadLetter?.(letter);
    },
  };
}
