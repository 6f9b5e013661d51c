import { describe, expect, it } from "vitest";
import { assertExpectedVersion } from "../src/core/expected-version.js";
import { isRuleflowError } from "../src/core/errors.js";

function refusal(value: unknown): string {
  try {
    assertExpectedVersion(value, "commit.expectedVersion");
  } catch (e) {
    expect(isRuleflowError(e, "INVALID_ARGUMENT"), String(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error(`${String(value)} was accepted`);
}

describe("assertExpectedVersion", () => {
  it("accepts null and whole versions of 1 or more", () => {
    for (const v of [null, 1, 2, 1_000_000]) expect(() => assertExpectedVersion(v)).not.toThrow();
  });

  it("says a new record is null, not 0", () => {
    expect(refusal(0)).toMatch(/a new record is `null`, not 0/);
  });

  it("shows what it got, naming the argument", () => {
    expect(refusal(1.5)).toMatch(/commit\.expectedVersion: .*got 1\.5$/);
    expect(refusal("1")).toMatch(/got "1"$/);
    expect(refusal(undefined)).toMatch(/got undefined$/);
    expect(refusal({ version: 1 })).toMatch(/got \{"version":1\}$/);
  });

  it("refuses a bigint with an ArgumentError (JSON.stringify throws on one)", () => {
    expect(refusal(1n)).toMatch(/got 1n$/);
  });
});
