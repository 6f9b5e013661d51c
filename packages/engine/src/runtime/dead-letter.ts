/**
 * Dead letters: the notifications the engine gave up on. The engine decides
 * when an outbox entry is dead (a permanent refusal, or its last retry
 * failed) and calls `Notifier.deadLetter`; a notifier that wants to keep
 * a record adds its own view of the failure (the HTTP status, the SMTP reply)
 * with one {@link DeadLetterBox}. Every adapter in this repository (webhook,
 * IM, email) keeps its dead letters in this box, so they behave the same:
 * the newest `keepDeadLetters` letters, oldest first, each handed to
 * `onDeadLetter` once.
 */
import type { DeliveryFailure, Notification } from "./ports.js";

/** One notification the engine gave up on, as every dead-letter box records it; adapters add their fields. */
export interface DeadLetter {
  readonly notification: Notification;
  /** `send()` calls the engine made. */
  readonly attempts: number;
  /** The last error message. */
  readonly error: string;
  /** Refused for good, rather than out of retries. */
  readonly permanent: boolean;
  /** When the engine marked it dead (its Clock, epoch ms). */
  readonly at: number;
}

/** Where dead letters go: the options a notifier with a {@link DeadLetterBox} takes from its host. */
export interface DeadLetterOptions<L extends DeadLetter = DeadLetter> {
  /** Called once per dead letter: store it, alert someone. A rejection reaches the engine, which ignores it. */
  onDeadLetter?: ((letter: L) => void | Promise<void>) | undefined;
  /** Dead letters kept in memory (`notifier.deadLetters`), newest last. A whole number, 0 or more. Default 100. */
  keepDeadLetters?: number | undefined;
}

/** What a notifier tells its box besides the host's options: how to turn what it saw into a letter. */
export interface DeadLetterBoxOptions<D, L extends DeadLetter = DeadLetter> extends DeadLetterOptions<L> {
  /**
   * The adapter's fields of a letter, from the last failure detail recorded
   * for the notification's idempotency key (`undefined` when no `send()`
   * recorded one, e.g. it never got that far or it was recorded for an
   * earlier, delivered message).
   */
  fields(this: void, notification: Notification, detail: D | undefined): Omit<L, keyof DeadLetter>;
  /** Combine a key's earlier detail with a newer one (e.g. to add up requests). Default: the newer one replaces it. */
  merge?: ((earlier: D, latest: D) => D) | undefined;
  /** The function whose options these are, named in errors. Default `"createDeadLetterBox"`. */
  owner?: string | undefined;
}

/**
 * The dead letters of one notifier: the failure detail seen per idempotency
 * key until the key is delivered or dead, and the most recent letters.
 */
export interface DeadLetterBox<D, L extends DeadLetter = DeadLetter> {
  /** The most recent dead letters (at most `keepDeadLetters`), oldest first. */
  readonly letters: readonly L[];
  /** Remember a failed `send()` call's detail until the key is delivered or dead. */
  failed(idempotencyKey: string, detail: D): void;
  /** Forget a key's failures: it was delivered. */
  delivered(idempotencyKey: string): void;
  /**
   * The engine gave up: build the letter from `failure` and the key's last
   * detail, forget the key, keep the letter and hand it to `onDeadLetter`.
   * Call it from the notifier's `deadLetter` method.
   *
   * @returns the letter, once `onDeadLetter` has taken it
   * @throws whatever `onDeadLetter` throws (the letter is kept all the same)
   */
  dead(notification: Notification, failure: DeliveryFailure): Promise<L>;
}

/** Keys with a failure on record at once; the oldest is forgotten beyond this (a key neither delivered nor dead, e.g. the engine was closed). */
const TRACKED_KEYS = 10_000;

function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (value === null) return "null";
  return Array.isArray(value) ? "an array" : typeof value === "object" ? "an object" : typeof value;
}

/**
 * Create a {@link DeadLetterBox}: the in-memory dead letters of a notifier.
 * The adapter records what each failed `send()` saw with `failed`, forgets it
 * with `delivered`, and calls `dead` from its `deadLetter` method; `fields`
 * turns the last detail into the adapter's fields of the letter.
 *
 * @param options - the host's `onDeadLetter` and `keepDeadLetters`, and the adapter's `fields` (and optional `merge`, `owner`)
 * @returns the box; `box.letters` is what the notifier shows as `deadLetters`
 * @throws TypeError or RangeError, naming `owner` and the option, for a `keepDeadLetters` that is not a whole number of 0 or more, or an `onDeadLetter` or `fields` that is not a function
 * @example
 * ```ts
 * import type { Notifier } from "@ruleflow/engine";
 * import { createDeadLetterBox, type DeadLetter } from "@ruleflow/engine/workflow";
 *
 * interface SmsDeadLetter extends DeadLetter { readonly phone?: string | undefined }
 * const box = createDeadLetterBox<{ phone: string }, SmsDeadLetter>({
 *   keepDeadLetters: 50,
 *   onDeadLetter: (letter) => console.warn("SMS given up", letter.phone, letter.error),
 *   fields: (_n, detail) => ({ phone: detail?.phone }),
 * });
 * const sms: Notifier = {
 *   async send(n) {
 *     const phone = "+8613800000000";
 *     try {
 *       // ... call the SMS gateway ...
 *       box.delivered(n.idempotencyKey);
 *     } catch (e) {
 *       box.failed(n.idempotencyKey, { phone });
 *       throw e;
 *     }
 *   },
 *   async deadLetter(n, failure) {
 *     await box.dead(n, failure);
 *   },
 * };
 * ```
 */
export function createDeadLetterBox<D, L extends DeadLetter = DeadLetter>(options: DeadLetterBoxOptions<D, L>): DeadLetterBox<D, L> {
  const owner = options.owner ?? "createDeadLetterBox";
  const keep = options.keepDeadLetters ?? 100;
  if (typeof keep !== "number") throw new TypeError(`${owner}: keepDeadLetters must be a whole number, 0 or more, got ${show(keep)}`);
  if (!Number.isInteger(keep) || keep < 0) throw new RangeError(`${owner}: keepDeadLetters must be a whole number, 0 or more, got ${show(keep)}`);
  for (const name of ["onDeadLetter", "merge"] as const) {
    const value: unknown = options[name];
    if (value !== undefined && typeof value !== "function") throw new TypeError(`${owner}: ${name} must be a function, got ${show(value)}`);
  }
  if (typeof options.fields !== "function") throw new TypeError(`${owner}: fields must be a function, got ${show(options.fields)}`);
  const { fields, merge, onDeadLetter } = options;
  const letters: L[] = [];
  const seen = new Map<string, D>();
  return {
    letters,
    failed(key, detail) {
      const before = seen.get(key);
      seen.delete(key); // re-inserted last: the map's order is the order keys last failed in
      seen.set(key, before !== undefined && merge ? merge(before, detail) : detail);
      if (seen.size > TRACKED_KEYS) seen.delete(seen.keys().next().value!);
    },
    delivered(key) {
      seen.delete(key);
    },
    async dead(notification, failure) {
      const detail = seen.get(notification.idempotencyKey);
      seen.delete(notification.idempotencyKey);
      const letter = { notification, ...fields(notification, detail), attempts: failure.attempts, error: failure.error, permanent: failure.permanent, at: failure.at } as L;
      if (keep > 0) {
        letters.push(letter);
        if (letters.length > keep) letters.splice(0, letters.length - keep);
      }
      await onDeadLetter?.(letter);
      return letter;
    },
  };
}
