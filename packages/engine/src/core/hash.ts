/**
 * FNV-1a, 32 bit: the one string hash of the engine. Rollouts bucket units
 * with it (GrowthBook's hash version 2 hashes twice, see rollouts/hash.ts)
 * and the outbox dispatcher derives its deterministic retry jitter from it.
 *
 * Part of the leaf core: imports nothing.
 */

const OFFSET_BASIS = 0x811c9dc5;
const PRIME = 16777619;

/**
 * FNV-1a 32-bit hash over the UTF-16 code units of `text`.
 *
 * @param text - any string (hashed code unit by code unit, as `charCodeAt` reads it)
 * @returns an unsigned 32-bit integer
 * @example
 * ```ts
 * fnv1a32("a"); // 0xe40c292c = 3826002220
 * fnv1a32(""); // 0x811c9dc5, the offset basis
 * ```
 */
export function fnv1a32(text: string): number {
  let h = OFFSET_BASIS;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    // Math.imul keeps the low 32 bits of the product exactly.
    h = Math.imul(h, PRIME);
  }
  return h >>> 0;
}
