/**
 * Where each variant's units sit on the bucket line [0, 1), and which part of
 * that is live at a given coverage (the ramp percent).
 *
 * Standard layout (GrowthBook's): variant i owns [start_i, start_i + share_i)
 * with start_i the sum of the shares before it; at coverage c it takes the
 * front [start_i, start_i + c·share_i). Growing c only extends each range, so
 * a unit in at 10% stays in, in the same variant, at 50% and 100%.
 *
 * Slot layout: a variant owns a list of intervals (written when weights
 * change, see rebalanceSlots); at coverage c it takes the first c·length of
 * that list, in list order, again a prefix that only grows with c.
 */
import { BUCKETS } from "./hash.js";

/** A half-open interval `[from, to)` of bucket values. */
export type BucketRange = [number, number];

/** A covered range and the variant (by index) that owns it. */
export interface LiveRange {
  readonly variant: number;
  readonly from: number;
  readonly to: number;
}

/** What the layout needs to know about each variant. */
export interface LayoutVariant {
  /** Normalised share of units, the shares summing to 1. */
  readonly share: number;
  /** Explicit intervals, when the document has them. */
  readonly slots?: readonly (readonly [number, number])[] | undefined;
}

/**
 * Smallest integer k with k / BUCKETS >= x: the first grid bucket a range
 * starting at x contains. Uses the same float comparison evaluation does.
 * @internal
 */
export function toGrid(x: number): number {
  let k = Math.max(0, Math.min(BUCKETS, Math.ceil(x * BUCKETS - 1e-6)));
  while (k < BUCKETS && k / BUCKETS < x) k++;
  while (k > 0 && (k - 1) / BUCKETS >= x) k--;
  return k;
}

/**
 * The standard ranges at full coverage, as grid intervals: what a document
 * without slots means, expressed in the slot form.
 * @internal
 */
export function standardSlots(shares: readonly number[]): [number, number][][] {
  let cumulative = 0;
  return shares.map((share) => {
    const start = cumulative;
    cumulative += share;
    const from = toGrid(start);
    const to = toGrid(start + share);
    return to > from ? [[from, to]] : [];
  });
}

function standardLive(variants: readonly LayoutVariant[], coverage: number): LiveRange[] {
  const out: LiveRange[] = [];
  let cumulative = 0;
  variants.forEach((v, i) => {
    const start = cumulative;
    cumulative += v.share;
    const to = start + coverage * v.share;
    if (to > start) out.push({ variant: i, from: start, to });
  });
  return out;
}

function slotLive(variants: readonly LayoutVariant[], coverage: number): LiveRange[] {
  const out: LiveRange[] = [];
  variants.forEach((v, i) => {
    const grid = (v.slots ?? []).map(([a, b]) => [toGrid(a), toGrid(b)] as const);
    const total = grid.reduce((s, [a, b]) => s + (b - a), 0);
    // Bucket k at offset `pos` of the variant's list is live when pos < coverage·total.
    let budget = Math.ceil(coverage * total - 1e-9);
    for (const [a, b] of grid) {
      if (budget <= 0) break;
      const take = Math.min(b - a, budget);
      if (take > 0) out.push({ variant: i, from: a / BUCKETS, to: (a + take) / BUCKETS });
      budget -= take;
    }
  });
  return out.sort((x, y) => x.from - y.from);
}

/**
 * The live ranges at a coverage: every bucket in one of them is assigned to
 * that range's variant; every other bucket is outside the rollout.
 *
 * @param variants - shares (and slots, if any) in document order
 * @param coverage - fraction of units in, from 0 to 1
 * @returns the live ranges, sorted by start
 * @example
 * ```ts
 * liveRanges([{ share: 0.5 }, { share: 0.5 }], 0.1);
 * // [{ variant: 0, from: 0, to: 0.05 }, { variant: 1, from: 0.5, to: 0.55 }]
 * ```
 */
export function liveRanges(variants: readonly LayoutVariant[], coverage: number): LiveRange[] {
  const c = Math.max(0, Math.min(1, coverage));
  return variants.some((v) => v.slots !== undefined) ? slotLive(variants, c) : standardLive(variants, c);
}

/**
 * The live range holding `bucket`, if any.
 *
 * @param ranges - from {@link liveRanges}
 * @param bucket - a bucket value in [0, 1)
 * @returns the range, or undefined when the bucket is not covered
 * @example
 * ```ts
 * findRange(liveRanges([{ share: 0.5 }, { share: 0.5 }], 1), 0.73)?.variant; // 1
 * ```
 */
export function findRange(ranges: readonly LiveRange[], bucket: number): LiveRange | undefined {
  for (let i = 0; i < ranges.length; i++) {
    const r = ranges[i]!;
    if (bucket >= r.from && bucket < r.to) return r;
  }
  return undefined;
}
