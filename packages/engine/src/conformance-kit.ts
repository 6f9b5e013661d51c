/**
 * What every conformance suite shares: the subset of a test framework they
 * drive ({@link TestApi}), and the one check for text no store can keep. The
 * suites import this module, and `@ruleflow/engine/testing` re-exports them
 * all, so nothing here imports a suite.
 */
import { unstorableText } from "./storable-text.js";

/** The subset of a test framework the conformance suites use. */
export interface TestApi {
  describe(this: void, name: string, fn: () => void): void;
  it(this: void, name: string, fn: () => Promise<void> | void, timeoutMs?: number): void;
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

/**
 * `p` must be refused the way every store refuses text it cannot keep: a
 * `VALIDATION_ERROR` carrying exactly the issues `unstorableText(fields)` finds.
 * @internal
 */
export async function expectUnstorableRefusal(expect: TestApi["expect"], p: Promise<unknown>, fields: Record<string, unknown>): Promise<void> {
  const issues = unstorableText(fields);
  expect(issues.length).toBeGreaterThan(0);
  let error: unknown;
  try {
    await p;
  } catch (e) {
    error = e;
  }
  expect(error, `expected a refusal naming ${issues.map((i) => i.path.join(".")).join(", ")}`).toMatchObject({ code: "VALIDATION_ERROR", issues });
}
