/**
 * The bucketing hash: FNV-1a 32 over UTF-16 code units and GrowthBook's hash
 * version 2 bucket formula, checked against published FNV vectors, an
 * obviously-correct BigInt reference, and GrowthBook's own SDK.
 */
import { fc, test } from "@fast-check/vitest";
import { GrowthBookClient } from "@growthbook/growthbook";
import { describe, expect, it } from "vitest";
import { compileRollout } from "../src/index.js";
import { bucketOf, unitKey } from "../src/entries/rollouts.js";
import { fnv1a32 } from "../src/core/hash.js";
import { seededRandom } from "../src/testing.js";
import { randomUnit, referenceBucket, referenceFnv1a32 } from "./rollouts-helpers.js";

describe("fnv1a32", () => {
  it("gives the published FNV-1a 32-bit test vectors", () => {
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });

  it("hashes UTF-16 code units, so CJK text and surrogate pairs are stable", () => {
    expect(fnv1a32("HZ-01")).toBe(0x3bb07431);
    expect(fnv1a32("杭州校区")).toBe(0x6c94a449);
    expect(fnv1a32("😀")).toBe(0xcb31c4b8); // two code units, 0xd83d 0xde00
  });

  test.prop([fc.string({ unit: "binary", maxLength: 64 })], { seed: 11, numRuns: 500 })(
    "equals the BigInt reference on any string",
    (s) => {
      expect(fnv1a32(s)).toBe(referenceFnv1a32(s));
    },
  );
});

describe("bucketOf (hash version 2)", () => {
  it("is fnv1a32(String(fnv1a32(seed + unit))) % 10000 / 10000 on known strings", () => {
    const vectors: [string, string, number][] = [
      ["renewal-incentive-v2", "C-0001", 0.6253],
      ["renewal-incentive-v2", "HZ-01", 0.325],
      ["", "a", 0.0216],
      ["seed", "1042", 0.3574],
      ["salt-杭州", "客户-7", 0.8322],
    ];
    for (const [seed, unit, bucket] of vectors) {
      expect(bucketOf(seed, unit)).toBe(bucket);
      expect(referenceBucket(seed, unit)).toBe(bucket);
    }
  });

  test.prop([fc.string({ maxLength: 30 }), fc.string({ minLength: 1, maxLength: 30 })], { seed: 12, numRuns: 300 })(
    "is a multiple of 0.0001 in [0, 1) equal to the reference",
    (seed, unit) => {
      const b = bucketOf(seed, unit);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThan(1);
      expect(Number.isInteger(Math.round(b * 10000)) && Math.abs(b * 10000 - Math.round(b * 10000)) < 1e-9).toBe(true);
      expect(b).toBe(referenceBucket(seed, unit));
    },
  );

  it("hashes numbers as their decimal string and refuses non-units", () => {
    expect(unitKey(1042)).toBe("1042");
    expect(unitKey("C-1")).toBe("C-1");
    for (const v of ["", null, undefined, true, {}, [], Number.NaN, Infinity]) expect(unitKey(v)).toBeUndefined();
  });
});

describe("cross-check with GrowthBook's JavaScript SDK", () => {
  const gb = new GrowthBookClient().initSync({ payload: { features: {} } });
  const rand = seededRandom(2026);
  const units = Array.from({ length: 5000 }, (_, i) => (i % 5 === 0 ? `客户-${i}` : randomUnit(rand)));

  it("reports the same bucket for 5,000 units", () => {
    for (const unit of units) {
      const r = gb.runInlineExperiment(
        { key: "renewal-incentive-v2", seed: "renewal-incentive-v2", hashVersion: 2, variations: [0, 1], weights: [0.5, 0.5] },
        { attributes: { id: unit } },
      );
      expect(r.bucket).toBe(bucketOf("renewal-incentive-v2", unit));
    }
  });

  const cases: { weights: number[]; percent: number }[] = [
    { weights: [0.5, 0.5], percent: 100 },
    { weights: [0.2, 0.3, 0.5], percent: 100 },
    { weights: [0.1, 0.9], percent: 30 },
    { weights: [0.25, 0.25, 0.25, 0.25], percent: 55 },
  ];
  it.each(cases)("assigns the same variant as GrowthBook for weights $weights at $percent%", ({ weights, percent }) => {
    const rollout = compileRollout({
      id: "pricing-test",
      version: 1,
      unit: "rep.id",
      salt: "pricing-test-salt",
      variants: weights.map((w, i) => ({ id: `v${i}`, weight: w, value: i })),
      ...(percent < 100 ? { ramp: [{ at: "2026-01-01T00:00:00Z", percent }] } : {}),
    });
    let inExperiment = 0;
    for (const unit of units) {
      const ours = rollout.evaluate({ rep: { id: unit } }, { at: "2026-02-01T00:00:00Z" });
      const theirs = gb.runInlineExperiment(
        {
          key: "pricing-test",
          seed: "pricing-test-salt",
          hashVersion: 2,
          variations: weights.map((_, i) => i) as [number, number, ...number[]],
          weights,
          coverage: percent / 100,
        },
        { attributes: { id: unit } },
      );
      expect(ours.inExperiment, unit).toBe(theirs.inExperiment);
      if (theirs.inExperiment) {
        expect(ours.output).toBe(theirs.value);
        expect(ours.bucket).toBe(theirs.bucket);
        inExperiment++;
      }
    }
    expect(inExperiment / units.length).toBeGreaterThan(percent / 100 - 0.03);
    expect(inExperiment / units.length).toBeLessThan(percent / 100 + 0.03);
  });
});
