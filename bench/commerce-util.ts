/** Helpers shared by the commerce benchmarks: a seeded PRNG (the same data every run) and aborting. */

/** mulberry32: a small seeded PRNG returning numbers in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Print why and stop: a benchmark whose contenders disagree measures nothing. */
export function fail(message: string): never {
  console.error(`\nBENCHMARK ABORTED: ${message}`);
  process.exit(1);
}
