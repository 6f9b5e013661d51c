/**
 * `@ruleflow/engine/testing`: helpers for hosts and adapter authors:
 * conformance suites that any Storage implementation must pass (the in-memory
 * default and `@ruleflow/postgres` run the same ones). The virtual clock is in
 * the root entry, `@ruleflow/engine`.
 *
 * Conformance suites take the test functions as an argument, so they work with
 * vitest, jest or node:test without this package depending on any of them.
 *
 * @packageDocumentation
 */

/** The subset of a test framework the conformance suites use. */
export interface TestApi {
  describe(name: string, fn: () => void): void;
  it(name: string, fn: () => Promise<void> | void, timeoutMs?: number): void;
  expect: (actual: unknown, message?: string) => {
    toBe(expected: unknown): void;
    toEqual(expected: unknown): void;
    toBeGreaterThan(n: number): void;
    toBeGreaterThanOrEqual(n: number): void;
    toBeLessThanOrEqual(n: number): void;
    toBeUndefined(): void;
    toBeDefined(): void;
    toHaveLength(n: number): void;
    toContain(item: unknown): void;
    toMatchObject(obj: object): void;
    toThrow(pattern?: string | RegExp): void;
    rejects: { toThrow(pattern?: string | RegExp): Promise<void> };
    not: { toBe(expected: unknown): void; toEqual(expected: unknown): void; toContain(item: unknown): void };
  };
}

export { claimStoreConformance } from "./promotions/claim-store-conformance.js";
export { storageConformance } from "./runtime/storage-conformance.js";
export { rolloutStoreConformance } from "./rollouts/store-conformance.js";
export { seededRandom } from "./testing/random.js";
export { deadLetterConformance } from "./testing/dead-letter-conformance.js";
export type { DeadLetterHarness, DeadLetterNotifier } from "./testing/dead-letter-conformance.js";
