/**
 * Changing weights while moving as few units as possible.
 *
 * Work on the bucket grid (10,000 buckets). Each variant owns a list of
 * intervals. A variant whose share shrinks keeps the front of its list and
 * gives up the tail; a variant whose share grows appends the freed pieces to
 * the end of its list. At full coverage exactly the buckets a shrinking
 * variant gives up change variant, which is the least any reassignment can
 * move: sum over variants of max(0, old - new). Below full coverage the live
 * part of each list is a prefix; freed buckets that are not live now are
 * handed out before live ones, so live units switch variant only when the new
 * shares leave no other way, and never more of them than at full coverage.
 */
import { BUCKETS } from "./hash.js";
import { standardSlots, toGrid } from "./layout.js";

/** A variant before rebalancing: its current share and slots (if any). */
export interface RebalanceInput {
  readonly share: number;
  readonly slots?: readonly (readonly [number, number])[] | undefined;
}

type Piece = [number, number];

/** Split `total` grid buckets by shares with the largest-remainder method (ties to the earlier variant). @internal */
function apportion(shares: readonly number[], total = BUCKETS): number[] {
  const sum = shares.reduce((a, b) => a + b, 0);
  if (!(sum > 0)) return shares.map(() => 0);
  const exact = shares.map((s) => (s / sum) * total);
  const counts = exact.map((x) => Math.floor(x + 1e-9));
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, frac: x - Math.floor(x + 1e-9) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (let k = 0; left > 0 && k < order.length; k++, left--) counts[order[k]!.i]!++;
  return counts;
}

function lengthOf(list: readonly Piece[]): number {
  return list.reduce((s, [a, b]) => s + (b - a), 0);
}

function merge(list: Piece[]): Piece[] {
  const out: Piece[] = [];
  for (const p of list) {
    const last = out[out.length - 1];
    if (last && last[1] === p[0]) last[1] = p[1];
    else if (p[1] > p[0]) out.push([p[0], p[1]]);
  }
  return out;
}

/** Grid buckets nobody owns (slots that do not cover the whole line), in order. */
function gaps(lists: readonly Piece[][]): Piece[] {
  const owned = lists.flat().sort((x, y) => x[0] - y[0]);
  const out: Piece[] = [];
  let at = 0;
  for (const [a, b] of owned) {
    if (a > at) out.push([at, a]);
    at = Math.max(at, b);
  }
  if (at < BUCKETS) out.push([at, BUCKETS]);
  return out;
}

/** Bucket intervals of list positions [from, to) of a slot list. */
function positions(list: readonly Piece[], from: number, to: number): Piece[] {
  const out: Piece[] = [];
  let at = 0;
  for (const [a, b] of list) {
    const lo = Math.max(from, at);
    const hi = Math.min(to, at + (b - a));
    if (hi > lo) out.push([a + (lo - at), a + (hi - at)]);
    at += b - a;
  }
  return out;
}

/**
 * New slots for new weights, moving the fewest units.
 *
 * @param current - each variant's current share and slots (standard layout when no variant has slots)
 * @param weights - the new weights, same order (any positive scale)
 * @param coverage - the fraction live now (the ramp), default 1: freed buckets
 *   that are not live go to growing variants first, so live units keep their
 *   variant whenever the new shares allow
 * @returns per variant, its intervals `[from, to)` as bucket fractions (multiples of 0.0001)
 * @example
 * ```ts
 * rebalanceSlots([{ share: 0.5 }, { share: 0.5 }], [60, 40]);
 * // [[[0, 0.5], [0.9, 1]], [[0.5, 0.9]]]: only the units in [0.9, 1) move
 * ```
 */
export function rebalanceSlots(
  current: readonly RebalanceInput[],
  weights: readonly number[],
  coverage = 1,
): [number, number][][] {
  const explicit = current.some((v) => v.slots !== undefined);
  const lists: Piece[][] = explicit
    ? current.map((v) => (v.slots ?? []).map(([a, b]) => [toGrid(a), toGrid(b)] as Piece))
    : standardSlots(current.map((v) => v.share));
  const target = apportion(weights);
  // Never-live buckets first: nobody's, then freed but not live, then freed and live.
  const unowned = gaps(lists);
  const idle: Piece[] = [];
  const live: Piece[] = [];
  lists.forEach((list, i) => {
    const length = lengthOf(list);
    const keep = Math.min(target[i]!, length);
    const liveEnd = Math.ceil(Math.max(0, Math.min(1, coverage)) * length - 1e-9);
    idle.push(...positions(list, Math.max(keep, liveEnd), length));
    live.push(...positions(list, keep, Math.max(keep, liveEnd)));
    lists[i] = positions(list, 0, keep);
  });
  const byStart = (x: Piece, y: Piece) => x[0] - y[0];
  const free = [...merge(unowned), ...merge(idle.sort(byStart)), ...merge(live.sort(byStart))];
  // Growing variants take pieces from the front of the pool onto the end of their list.
  lists.forEach((list, i) => {
    let need = target[i]! - lengthOf(list);
    while (need > 0 && free.length > 0) {
      const piece = free[0]!;
      const take = Math.min(need, piece[1] - piece[0]);
      list.push([piece[0], piece[0] + take]);
      if (take === piece[1] - piece[0]) free.shift();
      else piece[0] += take;
      need -= take;
    }
    lists[i] = merge(list);
  });
  return lists.map((list) => list.map(([a, b]) => [a / BUCKETS, b / BUCKETS] as [number, number]));
}
