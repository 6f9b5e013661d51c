/**
 * Boxes: one value set per input, the product of which is a set of input
 * combinations. A row of a decision table, or a conjunction of a condition,
 * is a box; overlaps are box intersections and gaps the parts of a box no
 * row covers, found by splitting boxes along one input at a time.
 * @internal
 */
import { complement, intersect, isEmpty, isSubset, pickValue, pointSetOf, union, type ValueSet } from "./sets.js";

/** One value set per axis. */
export type Box = readonly ValueSet[];

/** The intersection of two boxes over the same axes, or `undefined` when it is empty. */
export function intersectBoxes(a: Box, b: Box): Box | undefined {
  const out: ValueSet[] = [];
  for (let i = 0; i < a.length; i++) {
    const s = intersect(a[i]!, b[i]!);
    if (isEmpty(s)) return undefined;
    out.push(s);
  }
  return out;
}

/** One point of a non-empty box: a value per axis. */
export function pointOf(a: Box): unknown[] {
  return a.map(pickValue);
}

/** Thrown when a search would take more steps than allowed. */
export class TooComplex extends Error {
  constructor() {
    super("the analysis would take too many steps");
  }
}

/** A step budget shared by the searches of one analysis. */
export interface Budget {
  steps: number;
}

/**
 * The parts of `box` that no box of `cover` contains: disjoint boxes whose
 * union is exactly `box` minus the union of `cover`, at most `limit` of them.
 * @throws TooComplex when the budget runs out
 */
export function uncovered(box: Box, cover: readonly Box[], limit: number, budget: Budget): Box[] {
  const out: Box[] = [];
  const walk = (b: Box, rows: readonly Box[]): void => {
    if (out.length >= limit) return;
    if (--budget.steps < 0) throw new TooComplex();
    const touching: Box[] = [];
    for (const r of rows) {
      const x = intersectBoxes(b, r);
      if (x) touching.push(r);
    }
    if (touching.length === 0) {
      out.push(b);
      return;
    }
    const first = touching[0]!;
    // Split b along the first axis where `first` does not contain it.
    for (let i = 0; i < b.length; i++) {
      if (isSubset(b[i]!, first[i]!)) continue;
      const inside = intersect(b[i]!, first[i]!);
      const outside = intersect(b[i]!, complement(first[i]!));
      walk(replace(b, i, outside), touching.slice(1));
      walk(replace(b, i, inside), touching);
      return;
    }
    // `first` contains b: covered.
  };
  walk(box, cover);
  return out;
}

function replace(b: Box, i: number, s: ValueSet): Box {
  const out = [...b];
  out[i] = s;
  return out;
}

/** The box of the one point {@link pointOf} picks. */
export function pointBox(a: Box): Box {
  return a.map(pointSetOf);
}

/** True when some box of `boxes` contains the point box `p`. */
export function containsPoint(boxes: readonly Box[], p: Box): boolean {
  return boxes.some((b) => intersectBoxes(b, p) !== undefined);
}

/** Merge boxes that differ on one axis only (their union is a box), until none do. */
export function mergeBoxes(boxes: readonly Box[]): Box[] {
  const out = [...boxes];
  for (let merged = true; merged; ) {
    merged = false;
    outer: for (let a = 0; a < out.length; a++) {
      for (let b = a + 1; b < out.length; b++) {
        const x = out[a]!;
        const y = out[b]!;
        let diff = -1;
        let ok = true;
        for (let i = 0; i < x.length && ok; i++) {
          if (isSubset(x[i]!, y[i]!) && isSubset(y[i]!, x[i]!)) continue;
          if (diff >= 0) ok = false;
          else diff = i;
        }
        if (!ok) continue;
        out[a] = diff < 0 ? x : replace(x, diff, union(x[diff]!, y[diff]!));
        out.splice(b, 1);
        merged = true;
        break outer;
      }
    }
  }
  return out;
}
