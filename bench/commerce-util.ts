/** Helpers shared by the commerce benchmarks: aborting. The seeded generator is `seededRandom` from `@ruleflow/engine/testing`. */

/** Print why and stop: a benchmark whose contenders disagree measures nothing. */
export function fail(message: string): never {
  console.error(`\nBENCHMARK ABORTED: ${message}`);
  process.exit(1);
}
