/**
 * The data of the rebate editor's chart: what one account earns for a period
 * at a given basis, under the program's tiers, retroactive and incremental,
 * computed exactly as settlement does (integer minor units, the exact product
 * rounded once by the program's rounding, then the cap). Modifiers are left
 * out: they depend on each order line, the chart shows the ladder itself.
 *
 * Only the engine's exact money helpers are used (`@ruleflow/engine/money`);
 * no amount ever passes through a binary float.
 */
import { currencyScale, divideRounded, toMinorUnits, type RoundingMode } from "@ruleflow/engine/money";

/** What the chart reads from a rebate document. */
export interface LadderInput {
  tiers: readonly { from: string; rate: string; name?: string | undefined }[];
  currency?: string | undefined;
  rounding?: { scale?: number | undefined; mode?: RoundingMode | undefined } | undefined;
  cap?: string | undefined;
}

/** A ladder ready for exact arithmetic. */
export interface PreparedLadder {
  /** Decimal places of the currency (2 for CNY). */
  scale: number;
  /** Tier lower bounds in minor units, strictly rising. */
  froms: bigint[];
  /** Rates as integers over `10^rateScale`. */
  rates: bigint[];
  rateScale: number;
  /** Rounding quantum in minor units (1 = to the cent; 100 = whole yuan). */
  quantum: bigint;
  mode: RoundingMode;
  /** The cap in minor units, rounded down to the quantum as settlement does; undefined without one. */
  cap: bigint | undefined;
}

const DECIMAL = /^-?\d+(\.\d+)?$/;

function places(s: string): number {
  const dot = s.indexOf(".");
  return dot < 0 ? 0 : s.length - dot - 1;
}

/**
 * Prepare a ladder, or say why it cannot be charted (a tier that is not an
 * exact decimal, a bound finer than the currency, bounds that do not rise,
 * a negative rate or bound, an unknown currency). The engine reports the same
 * problems at their paths; the chart just waits for them to be fixed.
 */
export function prepareLadder(input: LadderInput): PreparedLadder | { problem: string } {
  const scale = input.currency === undefined ? 2 : currencyScale(input.currency);
  if (scale === undefined) return { problem: "currency" };
  if (input.tiers.length === 0) return { problem: "tiers" };
  const froms: bigint[] = [];
  for (const t of input.tiers) {
    if (typeof t.from !== "string" || !DECIMAL.test(t.from) || places(t.from) > scale) return { problem: "from" };
    const u = toMinorUnits(t.from, scale);
    if (typeof u !== "bigint" || u < 0n) return { problem: "from" };
    if (froms.length && u <= froms[froms.length - 1]!) return { problem: "order" };
    froms.push(u);
  }
  if (!input.tiers.every((t) => typeof t.rate === "string" && DECIMAL.test(t.rate) && !t.rate.startsWith("-"))) return { problem: "rate" };
  const rateScale = Math.max(...input.tiers.map((t) => places(t.rate)));
  if (rateScale > 18) return { problem: "rate" };
  const rates = input.tiers.map((t) => toMinorUnits(t.rate, rateScale) as bigint);
  const keep = input.rounding?.scale ?? scale;
  if (!Number.isInteger(keep) || keep < 0 || keep > scale) return { problem: "rounding" };
  const quantum = 10n ** BigInt(scale - keep);
  let cap: bigint | undefined;
  if (input.cap !== undefined) {
    const c = typeof input.cap === "string" && DECIMAL.test(input.cap) ? toMinorUnits(input.cap, scale) : "bad";
    if (typeof c !== "bigint" || c <= 0n) return { problem: "cap" };
    cap = (c / quantum) * quantum;
  }
  return { scale, froms, rates, rateScale, quantum, mode: input.rounding?.mode ?? "half-even", cap };
}

/** Earnings at one basis, in minor units, rounded and capped; and the tier reached (-1 below the first). */
export interface Earnings {
  tier: number;
  retroactive: bigint;
  incremental: bigint;
}

function settle(l: PreparedLadder, exactTimesRateDen: bigint): bigint {
  let units = divideRounded(exactTimesRateDen, 10n ** BigInt(l.rateScale) * l.quantum, l.mode) * l.quantum;
  if (l.cap !== undefined && units > l.cap) units = l.cap;
  return units;
}

/**
 * What an account earns at `basis` (minor units, >= 0): retroactive (the whole
 * basis at the reached tier's rate) and incremental (each band at its own
 * rate), as settlement computes them before modifiers.
 */
export function earningsAt(l: PreparedLadder, basis: bigint): Earnings {
  let tier = -1;
  for (let i = 0; i < l.froms.length; i++) if (basis >= l.froms[i]!) tier = i;
  const retro = tier < 0 ? 0n : basis * l.rates[tier]!;
  let inc = 0n;
  if (basis > 0n) {
    for (let i = 0; i < l.froms.length; i++) {
      const from = l.froms[i]!;
      if (basis <= from) break;
      const hi = l.froms[i + 1];
      inc += ((hi === undefined || basis < hi ? basis : hi) - from) * l.rates[i]!;
    }
  }
  return { tier, retroactive: settle(l, retro), incremental: settle(l, inc) };
}

/** One point of the curve. */
interface CurvePoint extends Earnings {
  /** The basis, minor units. */
  basis: bigint;
}

/** The chart's data. */
export interface EarningsCurve {
  ladder: PreparedLadder;
  /** Points in strictly rising basis, from 0 to `maxBasis`. */
  points: CurvePoint[];
  /** The right end of the basis axis. */
  maxBasis: bigint;
  /** The largest earnings of any point (the top of the earnings axis before rounding it up). */
  maxEarnings: bigint;
}

/**
 * Sample the curve from 0 to a little past the top tier's bound (half as far
 * again; 1,000,000 units when the only tier starts at 0): evenly spaced
 * points, plus each tier bound and the minor unit just below it, so the
 * retroactive jumps are drawn where they are.
 */
export function earningsCurve(input: LadderInput, samples = 60): EarningsCurve | { problem: string } {
  const l = prepareLadder(input);
  if ("problem" in l) return l;
  const unit = 10n ** BigInt(l.scale);
  const top = l.froms[l.froms.length - 1]!;
  const maxBasis = top > 0n ? top + (top + 1n) / 2n : 1_000_000n * unit;
  const xs = new Set<bigint>();
  const n = BigInt(Math.max(2, Math.floor(samples)));
  for (let k = 0n; k <= n; k++) xs.add((maxBasis * k) / n);
  for (const f of l.froms) {
    xs.add(f);
    if (f > 0n) xs.add(f - 1n);
  }
  const points = [...xs]
    .filter((x) => x >= 0n && x <= maxBasis)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((basis) => ({ basis, ...earningsAt(l, basis) }));
  let maxEarnings = 0n;
  for (const p of points) {
    if (p.retroactive > maxEarnings) maxEarnings = p.retroactive;
    if (p.incremental > maxEarnings) maxEarnings = p.incremental;
  }
  return { ladder: l, points, maxBasis, maxEarnings };
}
