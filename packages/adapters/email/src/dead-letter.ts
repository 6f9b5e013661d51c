/** Dead letters: the emails the engine gave up on, with the SMTP server's last answer, kept in the engine's one dead-letter box. */
import { createDeadLetterBox, type DeadLetter, type DeadLetterBox, type DeadLetterOptions } from "@ruleflow/engine/workflow";

/** One notification given up on. */
export interface EmailDeadLetter extends DeadLetter {
  /** The addresses it was for (empty when none could be resolved). */
  readonly to: readonly string[];
  /** The last SMTP reply code, if the server answered. */
  readonly responseCode?: number | undefined;
  /** The last SMTP reply line. */
  readonly response?: string | undefined;
}

/** What is kept per idempotency key between a failed `send()` and the engine's verdict. */
export interface EmailFailure {
  readonly to: readonly string[];
  readonly responseCode?: number | undefined;
  readonly response?: string | undefined;
}

/** @internal The email notifier's box: the last failure per key becomes the letter's `to`, `responseCode` and `response`. */
export function createEmailDeadLetters(options: DeadLetterOptions<EmailDeadLetter>, owner: string): DeadLetterBox<EmailFailure, EmailDeadLetter> {
  return createDeadLetterBox<EmailFailure, EmailDeadLetter>({
    onDeadLetter: options.onDeadLetter,
    keepDeadLetters: options.keepDeadLetters,
    owner,
    fields: (_notification, f) => ({ to: f?.to ?? [], responseCode: f?.responseCode, response: f?.response }),
  });
}
