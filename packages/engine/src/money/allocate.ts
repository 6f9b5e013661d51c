/**
 * Splitting an integer total into integer parts that always add up to it:
 * each part is the floor or the ceiling of its exact share, and the units
 * left over go to the largest remainders (ties to the earlier part). This is
 * how a rounded rebate total becomes statement lines that sum to it to the
 * cent, and how a capped total is spread over the lines it caps.
 */
import { floorDivide } from "./rounding.js";

/**
 * Distribute `target` units over exact shares `numerators[i] / denominator`.
 * When the shares add up to `target` exactly, or `target` is the total of the
 * shares rounded to an integer, every part is its share's floor or ceiling.
 * The parts always sum to `target`.
 *
 * @param numerators - the shares' numerators (any sign)
 * @param denominator - the common denominator, positive
 * @param target - the integer total the parts must add up to
 * @returns one integer part per share
 * @internal
 */
export function distribute(numerators: readonly bigint[], denominator: bigint, target: bigint): bigint[] {
  const n = numerators.length;
  if (n === 0) return [];
  const parts = new Array<bigint>(n);
  const rems = new Array<bigint>(n);
  let floors = 0n;
  for (let i = 0; i < n; i++) {
    const x = numerators[i]!;
    let f = x / denominator;
    let r = x - f * denominator;
    if (r < 0n) {
      f -= 1n;
      r += denominator;
    }
    parts[i] = f;
    rems[i] = r;
    floors += f;
  }
  let residual = target - floors;
  if (residual === 0n) return parts;
  const count = BigInt(n);
  // Outside [0, n) only when the shares do not add up near the target: spread evenly first.
  if (residual < 0n || residual >= count) {
    const each = floorDivide(residual, count);
    for (let i = 0; i < n; i++) parts[i] = parts[i]! + each;
    residual -= each * count;
    if (residual === 0n) return parts;
  }
  const order = Array.from({ length: n }, (_, i) => i);
  order.sort((a, b) => {
    const x = rems[a]!;
    const y = rems[b]!;
    return x > y ? -1 : x < y ? 1 : a - b;
  });
  for (let k = 0; k < Number(residual); k++) parts[order[k]!] = parts[order[k]!]! + 1n;
  return parts;
}

/**
 * Split an integer total in proportion to integer weights; the parts always
 * sum to `total`. All-zero weights split evenly.
 *
 * @param total - the amount to split (minor units)
 * @param weights - one weight per part; their sign must be uniform or their sum positive
 * @returns one part per weight
 * @internal
 */
export function allocateUnits(total: bigint, weights: readonly bigint[]): bigint[] {
  // A negative total mirrors the positive one, so ties go to the earlier part either way.
  if (total < 0n) return allocateUnits(-total, weights).map((p) => -p);
  let sum = 0n;
  for (const w of weights) sum += w;
  if (sum === 0n) return distribute(weights.map(() => total), BigInt(weights.length || 1), total);
  if (sum < 0n) return allocateUnits(total, weights.map((w) => -w));
  return distribute(weights.map((w) => w * total), sum, total);
}
