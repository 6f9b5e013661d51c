/**
 * Assignment: deterministic, uniform, stable under ramp growth, minimal
 * movement under weight changes, and explained.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { compileRollout } from "../src/index.js";
import {
  bucketOf,
  explainAssignment,
  findRange,
  liveRanges,
  rebalanceSlots,
  type LayoutVariant,
} from "../src/entries/rollouts.js";
import { chiSquareGoodnessOfFit } from "../src/stats/hypothesis-tests.js";
import { seededRandom } from "../src/testing.js";
import { randomUnit, twoVariantRollout } from "./rollouts-helpers.js";

const AT = "2026-03-20T00:00:00+08:00";

/** The variant index of every grid bucket (or -1 when not live). */
function gridAssignment(variants: readonly LayoutVariant[], coverage: number): Int8Array {
  const ranges = liveRanges(variants, coverage);
  const out = new Int8Array(10000);
  for (let k = 0; k < 10000; k++) out[k] = findRange(ranges, k / 10000)?.variant ?? -1;
  return out;
}

const weightsArb = fc
  .array(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 5 })
  .filter((ws) => ws.some((w) => w > 0));

const shares = (ws: readonly number[]): number[] => {
  const t = ws.reduce((a, b) => a + b, 0);
  return ws.map((w) => w / t);
};

describe("assignment is a pure function of salt and unit", () => {
  test.prop(
    [fc.string({ minLength: 1, maxLength: 20 }), fc.string({ minLength: 1, maxLength: 20 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }))],
    { seed: 21, numRuns: 200 },
  )("the same salt and unit always give the same bucket and variant, whatever else the facts hold", (salt, unit, noise) => {
    const doc = twoVariantRollout({ salt });
    const a = compileRollout(doc);
    const b = compileRollout(JSON.parse(JSON.stringify(doc)) as typeof doc);
    const r1 = a.evaluate({ ...noise, customer: { id: unit } }, { at: AT });
    const r2 = b.evaluate({ customer: { id: unit, tier: "A" } }, { at: AT });
    expect(r1.bucket).toBe(bucketOf(salt, unit));
    expect(r1.variant).toBe(r2.variant);
    expect(r1).toEqual(a.evaluate({ ...noise, customer: { id: unit } }, { at: AT }));
  });

  it("a different salt reshuffles units", () => {
    const a = compileRollout(twoVariantRollout({ salt: "one" }));
    const b = compileRollout(twoVariantRollout({ salt: "two" }));
    let same = 0;
    for (let i = 0; i < 2000; i++) {
      const f = { customer: { id: `C-${i}` } };
      if (a.evaluate(f, { at: AT }).variant === b.evaluate(f, { at: AT }).variant) same++;
    }
    expect(same / 2000).toBeGreaterThan(0.45);
    expect(same / 2000).toBeLessThan(0.55);
  });

  it("needs the evaluation time: rollouts never read the clock", () => {
    const r = compileRollout(twoVariantRollout());
    expect(() => r.evaluate({ customer: { id: "C-1" } })).toThrow(/pass the evaluation time as \{ at \}/);
  });
});

describe("uniformity", () => {
  it("100,000 random units spread evenly over 100 bucket bins (chi-square, fixed seed)", () => {
    const rand = seededRandom(20261123);
    const bins = new Array<number>(100).fill(0);
    const rollout = compileRollout(twoVariantRollout());
    const variants = [0, 0];
    for (let i = 0; i < 100_000; i++) {
      const unit = randomUnit(rand);
      const r = rollout.evaluate({ customer: { id: unit } }, { at: AT });
      bins[Math.floor(r.bucket! * 100)]!++;
      variants[r.variant === "control" ? 0 : 1]!++;
    }
    const fit = chiSquareGoodnessOfFit(bins, new Array<number>(100).fill(1));
    expect(fit.df).toBe(99);
    expect(fit.pValue).toBeGreaterThan(0.01);
    expect(chiSquareGoodnessOfFit(variants, [1, 1]).pValue).toBeGreaterThan(0.01);
  });

  it("sequential ids (C-1, C-2, ...) are as even as random ones", () => {
    const bins = new Array<number>(20).fill(0);
    for (let i = 0; i < 40_000; i++) bins[Math.floor(bucketOf("renewal-incentive-v2", `C-${i}`) * 20)]!++;
    expect(chiSquareGoodnessOfFit(bins, new Array<number>(20).fill(1)).pValue).toBeGreaterThan(0.01);
  });
});

describe("ramp stability", () => {
  test.prop(
    [weightsArb, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.array(fc.string({ minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 40 })],
    { seed: 22, numRuns: 200 },
  )("growing the ramp never moves an assigned unit out or to another variant", (weights, p, q, units) => {
    const [lo, hi] = p <= q ? [p, q] : [q, p];
    const rollout = compileRollout({
      ...twoVariantRollout(),
      variants: weights.map((w, i) => ({ id: `v${i}`, weight: w, value: i })),
      ramp: [
        { at: "2026-03-01T00:00:00Z", percent: lo },
        { at: "2026-03-08T00:00:00Z", percent: hi },
      ],
    });
    for (const unit of units) {
      const before = rollout.evaluate({ customer: { id: unit } }, { at: "2026-03-02T00:00:00Z" });
      const after = rollout.evaluate({ customer: { id: unit } }, { at: "2026-03-09T00:00:00Z" });
      if (before.inExperiment) {
        expect(after.inExperiment).toBe(true);
        expect(after.variant).toBe(before.variant);
      }
    }
  });

  test.prop([weightsArb, weightsArb, fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })], { seed: 23, numRuns: 100 })(
    "the same holds for slot layouts written by a reweight",
    (w0, w1, p, q) => {
      const n = Math.min(w0.length, w1.length);
      const a = w0.slice(0, n);
      const b = w1.slice(0, n);
      fc.pre(a.some((w) => w > 0) && b.some((w) => w > 0));
      const slots = rebalanceSlots(shares(a).map((share) => ({ share })), b);
      const variants = shares(b).map((share, i) => ({ share, slots: slots[i]! }));
      const [lo, hi] = p <= q ? [p / 100, q / 100] : [q / 100, p / 100];
      const small = gridAssignment(variants, lo);
      const large = gridAssignment(variants, hi);
      for (let k = 0; k < 10000; k++) if (small[k]! >= 0) expect(large[k]).toBe(small[k]);
    },
  );

  it("is 0% before the first step and follows each step", () => {
    const r = compileRollout(
      twoVariantRollout({
        ramp: [
          { at: "2026-03-01T00:00:00+08:00", percent: 10 },
          { at: "2026-03-08T00:00:00+08:00", percent: 50 },
        ],
      }),
    );
    expect(r.coverageAt("2026-02-28T23:59:59+08:00")).toBe(0);
    expect(r.coverageAt("2026-03-01T00:00:00+08:00")).toBe(10);
    expect(r.coverageAt("2026-04-01T00:00:00+08:00")).toBe(50);
    expect(r.rangesAt("2026-03-02T00:00:00+08:00")).toEqual([
      { variant: "control", range: [0, 0.05] },
      { variant: "treatment", range: [0.5, 0.55] },
    ]);
    const early = r.evaluate({ customer: { id: "C-0001" } }, { at: "2026-02-01T00:00:00Z" });
    expect(early).toMatchObject({ inExperiment: false, variant: "control", explanation: { reason: "not-ramped", coverage: 0 } });
  });
});

describe("changing weights moves as few units as possible", () => {
  test.prop([weightsArb, weightsArb, fc.integer({ min: 0, max: 100 })], { seed: 24, numRuns: 150 })(
    "at full coverage exactly sum(max(0, old - new)) buckets change variant; below it, never more",
    (w0, w1, c) => {
      const n = Math.min(w0.length, w1.length);
      const a = w0.slice(0, n);
      const b = w1.slice(0, n);
      fc.pre(a.some((w) => w > 0) && b.some((w) => w > 0));
      const before = shares(a).map((share) => ({ share }));
      const slots = rebalanceSlots(before, b, c / 100);
      const after = shares(b).map((share, i) => ({ share, slots: slots[i]! }));
      const oldFull = gridAssignment(before, 1);
      const newFull = gridAssignment(after, 1);
      const oldCount = new Array<number>(n).fill(0);
      const newCount = new Array<number>(n).fill(0);
      let moved = 0;
      for (let k = 0; k < 10000; k++) {
        oldCount[oldFull[k]!]!++;
        newCount[newFull[k]!]!++;
        if (oldFull[k] !== newFull[k]) moved++;
      }
      const minimum = oldCount.reduce((s, o, i) => s + Math.max(0, o - newCount[i]!), 0);
      expect(moved).toBe(minimum);
      shares(b).forEach((s, i) => expect(Math.abs(newCount[i]! - s * 10000)).toBeLessThanOrEqual(1));
      // At the coverage live now, units live before and after switch variant no more often.
      const oldLive = gridAssignment(before, c / 100);
      const newLive = gridAssignment(after, c / 100);
      let switched = 0;
      for (let k = 0; k < 10000; k++) if (oldLive[k]! >= 0 && newLive[k]! >= 0 && oldLive[k] !== newLive[k]) switched++;
      expect(switched).toBeLessThanOrEqual(minimum);
    },
  );

  it("a 50/50 split moved to 60/40 moves only the 10% in [0.9, 1)", () => {
    expect(rebalanceSlots([{ share: 0.5 }, { share: 0.5 }], [60, 40])).toEqual([
      [
        [0, 0.5],
        [0.9, 1],
      ],
      [[0.5, 0.9]],
    ]);
  });

  it("a document with the written slots assigns as the slots say", () => {
    const slots = rebalanceSlots([{ share: 0.5 }, { share: 0.5 }], [60, 40]);
    const r = compileRollout(
      twoVariantRollout({
        variants: [
          { id: "control", weight: 60, value: 1, slots: slots[0] },
          { id: "treatment", weight: 40, value: 2, slots: slots[1] },
        ],
      }),
    );
    for (let i = 0; i < 3000; i++) {
      const res = r.evaluate({ customer: { id: `C-${i}` } }, { at: AT });
      const b = res.bucket!;
      expect(res.variant).toBe(b < 0.5 || b >= 0.9 ? "control" : "treatment");
    }
  });
});

describe("explanations", () => {
  it("names the bucket, the range, the variant and the version", () => {
    const r = compileRollout(twoVariantRollout()).evaluate({ customer: { id: "C-0001" } }, { at: AT });
    expect(r).toMatchObject({ kind: "rollout", id: "renewal-incentive-v2", version: 1, variant: "treatment", bucket: 0.6253, range: [0.5, 1], inExperiment: true });
    expect(r.output).toEqual({ policy: "renewal-v2" });
    expect(r.explanation.message).toBe(`customer.id "C-0001" has bucket 0.6253, inside treatment's live range [0.5, 1) at 100% ramp (v1)`);
    expect(explainAssignment(r)).toContain("rollout renewal-incentive-v2 v1 (running) at 2026-03-19T16:00:00.000Z: treatment → {\"policy\":\"renewal-v2\"}");
  });

  it("says why a unit is not targeted, with the failing condition", () => {
    const r = compileRollout(twoVariantRollout({ targeting: { fact: "campus.id", op: "in", value: ["HZ-01", "SH-03"] } })).evaluate(
      { customer: { id: "C-0001" }, campus: { id: "BJ-09" } },
      { at: AT },
    );
    expect(r).toMatchObject({ variant: "control", inExperiment: false, bucket: null, explanation: { targeted: false, reason: "not-targeted" } });
    expect(r.explanation.message).toBe('not targeted (campus.id is "BJ-09", expected in ["HZ-01","SH-03"]); control applies');
    expect(r.explanation.targeting).toMatchObject({ type: "fact", actual: "BJ-09", passed: false });
  });

  it("includes the passing targeting trace only when asked", () => {
    const r = compileRollout(twoVariantRollout({ targeting: { fact: "campus.id", op: "eq", value: "HZ-01" } }));
    const facts = { customer: { id: "C-1" }, campus: { id: "HZ-01" } };
    expect(r.evaluate(facts, { at: AT }).explanation.targeting).toBeUndefined();
    expect(r.evaluate(facts, { at: AT, trace: true }).explanation.targeting).toMatchObject({ passed: true });
  });

  it("explains a missing unit", () => {
    const r = compileRollout(twoVariantRollout()).evaluate({ customer: {} }, { at: AT });
    expect(r).toMatchObject({ unit: null, bucket: null, variant: "control", explanation: { reason: "no-unit", message: "customer.id is missing, so the unit cannot be bucketed; control applies" } });
  });
});
