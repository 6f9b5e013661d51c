/**
 * Bucketing hash, compatible with GrowthBook's hash version 2 so that
 * assignments can be cross-checked with that SDK:
 *
 *   fnv1a32(s): FNV-1a, 32 bit, over the UTF-16 code units of s
 *               (offset basis 0x811c9dc5, prime 16777619, unsigned result)
 *   bucket(seed, unit) = fnv1a32(String(fnv1a32(seed + unit))) % 10000 / 10000
 *
 * Buckets are multiples of 0.0001 in [0, 1). Hashing the decimal string of
 * the first hash again removes the bias plain FNV shows on short, similar
 * inputs (GrowthBook's reason for version 2).
 */

import { fnv1a32 } from "../core/hash.js";

/** Number of distinct buckets: a bucket is `k / BUCKETS` for an integer k. */
export const BUCKETS = 10_000;

/**
 * The bucket of a unit under a seed (GrowthBook hash version 2).
 *
 * @param seed - the rollout's salt
 * @param unit - the unit value as a string (a number is hashed as `String(n)`)
 * @returns a number in [0, 1), a multiple of 0.0001
 * @example
 * ```ts
 * bucketOf("renewal-incentive-v2", "C-0001"); // same value GrowthBook reports for seed and hashValue
 * ```
 */
export function bucketOf(seed: string, unit: string): number {
  return (fnv1a32(String(fnv1a32(seed + unit))) % BUCKETS) / BUCKETS;
}

/**
 * The text a unit value is hashed as: strings as they are, finite numbers
 * through `String(n)`; anything else (missing, empty, objects, booleans,
 * NaN) cannot be bucketed.
 *
 * @param value - the value of the rollout's unit fact
 * @returns the string to hash, or undefined when the value is not a unit
 * @example
 * ```ts
 * unitKey(1042); // "1042"
 * unitKey(""); // undefined
 * ```
 */
export function unitKey(value: unknown): string | undefined {
  if (typeof value === "string") return value === "" ? undefined : value;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  return undefined;
}
