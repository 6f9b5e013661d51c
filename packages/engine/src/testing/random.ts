/**
 * A small seeded random generator for tests, benchmarks and example data:
 * the same seed gives the same numbers on every machine and every run. Plain
 * arithmetic only (no Node built-ins), so it runs wherever the engine does.
 */

/**
 * Create a seeded generator of numbers in [0, 1) (mulberry32: 32 bits of
 * state, a Weyl step mixed by two multiplications).
 *
 * Meant for reproducible test data, simulations and shuffles, not for
 * cryptography or anything an attacker may want to predict. The seed is taken
 * modulo 2^32, so `seededRandom(1)` and `seededRandom(2 ** 32 + 1)` are the
 * same generator. Each call of the returned function advances it by one
 * step.
 *
 * @param seed - any integer (negative and large ones are reduced modulo 2^32)
 * @returns a function returning the next number in [0, 1) on each call
 * @throws TypeError when `seed` is not an integer (a fraction, NaN, Infinity or not a number)
 * @example
 * ```ts
 * import { seededRandom } from "@ruleflow/engine/testing";
 * const rand = seededRandom(20261123);
 * const customers = Array.from({ length: 100 }, () => `C-${Math.floor(rand() * 1e6)}`); // the same 100 ids every run
 * ```
 */
export function seededRandom(seed: number): () => number {
  if (typeof seed !== "number" || !Number.isInteger(seed)) {
    throw new TypeError(`seededRandom: seed must be an integer, got ${typeof seed === "number" ? String(seed) : typeof seed}`);
  }
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
