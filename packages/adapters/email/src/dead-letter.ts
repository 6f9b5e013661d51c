/** Dead letters: the emails the engine gave up on, with the SMTP server's last answer. */
import type { DeliveryFailure, Notification } from "@ruleflow/engine";

/** One notification given up on. */
export interface EmailDeadLetter {
  readonly notification: Notification;
  /** The addresses it was for (empty when none could be resolved). */
  readonly to: readonly string[];
  /** `send()` calls the engine made. */
  readonly attempts: number;
  /** The last SMTP reply code, if the server answered. */
  readonly responseCode?: number | undefined;
  /** The last SMTP reply line. */
  readonly response?: string | undefined;
  /** The last error message. */
  readonly error: string;
  /** Refused for good, rather than out of retries. */
  readonly permanent: boolean;
  /** When the engine marked it dead (its Clock, epoch ms). */
  readonly at: number;
}

/** What is kept per idempotency key between a failed `send()` and the engine's verdict. */
export interface EmailFailure {
  readonly to: readonly string[];
  readonly responseCode?: number | undefined;
  readonly response?: string | undefined;
}

/** @internal */
export function createEmailDeadLetters(keep: number, onDeadLetter: ((letter: EmailDeadLetter) => void | Promise<void>) | undefined) {
  const letters: EmailDeadLetter[] = [];
  const seen = new Map<string, EmailFailure>();
  return {
    letters,
    failed(key: string, f: EmailFailure) {
      seen.delete(key);
      seen.set(key, f);
      if (seen.size > 10_000) seen.delete(seen.keys().next().value!);
    },
    delivered(key: string) {
      seen.delete(key);
    },
    async dead(n: Notification, failure: DeliveryFailure) {
      const f = seen.get(n.idempotencyKey);
      seen.delete(n.idempotencyKey);
      const letter: EmailDeadLetter = { notification: n, to: f?.to ?? [], attempts: failure.attempts, responseCode: f?.responseCode, response: f?.response, error: failure.error, permanent: failure.permanent, at: failure.at };
      if (keep > 0) {
        letters.push(letter);
        if (letters.length > keep) letters.splice(0, letters.length - keep);
      }
      await onDeadLetter?.(letter);
    },
  };
}
