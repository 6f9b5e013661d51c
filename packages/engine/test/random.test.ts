/** The one seeded random generator, `seededRandom` from `@ruleflow/engine/testing`. */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { seededRandom } from "../src/testing.js";

const draw = (rand: () => number, n: number): number[] => Array.from({ length: n }, () => rand());
const seed = fc.integer({ min: 0, max: 2 ** 32 - 1 });

describe("seededRandom", () => {
  test.prop([seed])("the same seed gives the same sequence", (s) => {
    expect(draw(seededRandom(s), 64)).toEqual(draw(seededRandom(s), 64));
  });

  test.prop([fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER })])("every value is in [0, 1), for any integer seed", (s) => {
    for (const v of draw(seededRandom(s), 256)) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
  });

  test.prop([seed, seed])("different seeds give different sequences", (a, b) => {
    fc.pre(a !== b);
    expect(draw(seededRandom(a), 8)).not.toEqual(draw(seededRandom(b), 8));
  });

  it("is mulberry32: the numbers tests and benchmarks were recorded with", () => {
    // the reference values of mulberry32 for seed 0 and 1 (checked against the
    // copies this function replaced); the seeded suites depend on them
    expect(draw(seededRandom(0), 3)).toEqual([0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]);
    expect(draw(seededRandom(1), 3)).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
  });

  it("takes the seed modulo 2^32", () => {
    expect(draw(seededRandom(2 ** 32 + 5), 4)).toEqual(draw(seededRandom(5), 4));
    expect(draw(seededRandom(-1), 4)).toEqual(draw(seededRandom(2 ** 32 - 1), 4));
  });

  it("spreads its values over [0, 1)", () => {
    const counts = new Array<number>(10).fill(0);
    for (const v of draw(seededRandom(20261123), 100_000)) counts[Math.floor(v * 10)]!++;
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500);
  });

  it("refuses a seed that is not an integer, naming it", () => {
    expect(() => seededRandom(1.5)).toThrow(/seededRandom: seed must be an integer, got 1.5/);
    expect(() => seededRandom(Number.NaN)).toThrow(/got NaN/);
    expect(() => seededRandom("7" as unknown as number)).toThrow(/got string/);
  });
});
