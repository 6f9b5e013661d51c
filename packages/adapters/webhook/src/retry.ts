/** In-call retry policy: exponential backoff with jitter, honouring Retry-After. */
import { checkNumberOption, checkObjectOption } from "./options.js";

/** How often and how patiently one `send()` retries before handing the notification back to the engine. */
export interface RetryOptions {
  /** HTTP requests per `send()` call, the first included. Default 3; 1 disables in-call retries. */
  attempts?: number | undefined;
  /** Delay before the second request in ms; doubles for each further one. Default 500. */
  baseDelayMs?: number | undefined;
  /** Longest delay in ms; a longer `Retry-After` ends the call so the engine retries later. Default 5000. */
  maxDelayMs?: number | undefined;
}

/** {@link RetryOptions} with every default filled in. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * Fill in defaults and check the numbers: `attempts` a whole number of at
 * least 1, the delays finite and 0 or more (NaN and Infinity are refused).
 *
 * @param options - the caller's retry options
 * @param owner - the function whose option it is, for error messages
 * @throws TypeError or RangeError naming the option
 */
export function retryPolicy(options: RetryOptions = {}, owner = "retry"): RetryPolicy {
  checkObjectOption(owner, "retry", options);
  checkNumberOption(owner, "retry.attempts", options.attempts, { integer: true, min: 1 });
  checkNumberOption(owner, "retry.baseDelayMs", options.baseDelayMs, { integer: false, min: 0, unit: "milliseconds" });
  checkNumberOption(owner, "retry.maxDelayMs", options.maxDelayMs, { integer: false, min: 0, unit: "milliseconds" });
  return { attempts: options.attempts ?? 3, baseDelayMs: options.baseDelayMs ?? 500, maxDelayMs: options.maxDelayMs ?? 5000 };
}

/**
 * The delay after the `failures`-th failed request: `baseDelayMs * 2^(failures-1)`,
 * capped at `maxDelayMs`, then scaled by a random factor in [0.5, 1) ("equal
 * jitter") so that many senders failing together do not retry together.
 */
export function backoffDelay(failures: number, policy: RetryPolicy, random: () => number): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
  return Math.round(exp * (0.5 + random() / 2));
}

/** `Retry-After` in ms (delta seconds or an HTTP date), if present and sensible. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
