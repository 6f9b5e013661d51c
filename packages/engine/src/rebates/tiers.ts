/**
 * Tier ladders, exactly. Tiers are half-open: tier i covers measures in
 * `[from_i, from_{i+1})`, so a measure exactly at a bound is in the higher
 * tier, and one minor unit below is in the lower one. Below the first tier
 * nothing is earned.
 *
 * `retroactive`: the whole basis earns the reached tier's rate.
 * `incremental`: each band earns its own rate, like tax brackets. On
 * `volume` tiers a band's share of the amount is its share of the volume; on
 * `growth` tiers the band bounds are amounts: prior × (1 + from).
 */
import { parseDecimal, type Decimal } from "../core/decimal.js";
import type { MessageParams } from "../i18n/catalogue.js";
import { formatMinorUnits } from "../money/amount.js";
import { formatRatio, ZERO_RATIO, type Ratio } from "../money/ratio.js";
import { divideRounded, pow10 } from "../money/rounding.js";
import type { RebateTier } from "../schema/rebate.js";

/** A tier with exact bounds and rate. @internal */
interface CompiledTier {
  index: number;
  name?: string | undefined;
  from: string;
  rate: Decimal;
  rateText: string;
  /** `from` scaled to the ladder's scale (minor units for amount tiers). */
  fromUnits: bigint;
}

/** @internal */
export interface TierLadder {
  measure: "amount" | "volume" | "growth";
  mode: "retroactive" | "incremental";
  tiers: CompiledTier[];
  /** Decimal places of `fromUnits` (the currency scale for amount tiers). */
  scale: number;
  /** Decimal places all rates are brought to. */
  rateScale: number;
  /** Currency scale. */
  moneyScale: number;
}

/** What an account measured in a period. @internal */
export interface AccountMeasure {
  /** Basis in minor units. */
  basis: bigint;
  /** Volume, when the program measures it. */
  volume: Decimal;
  /** Prior-period basis in minor units, for growth tiers. */
  prior: bigint | undefined;
}

/** One band's contribution (incremental mode). */
export interface BandResult {
  tier: number;
  from: string;
  to: string | null;
  rate: string;
  /** How much of the measure fell in the band (amount, volume or, for growth, amount). */
  measured: string;
  /** The band's rebate before modifiers, exact. */
  rebate: string;
}

/** Where an account stands on a ladder. */
export interface TierPosition {
  /** Index of the reached tier, -1 below the first tier. */
  index: number;
  name?: string | undefined;
  from?: string | undefined;
  rate: string;
  /** The account's measure as tiers see it: amount, volume or growth ratio. */
  measure: string;
  /** Why no tier could be measured (growth without a prior period). */
  note?: string | undefined;
}

/** A problem of one tier: the field, and the rebate catalogue message. @internal */
export interface TierProblem {
  index: number;
  field: "from" | "rate";
  key: "tierScale" | "tierBelowZero" | "rateNegative" | "tiersUp";
  params: MessageParams;
}

/** Compile a ladder; returns problems as catalogue messages with tier indexes. @internal */
export function compileLadder(
  tiers: readonly RebateTier[],
  measure: TierLadder["measure"],
  mode: TierLadder["mode"],
  moneyScale: number,
): { ladder: TierLadder; problems: TierProblem[] } {
  const problems: TierProblem[] = [];
  const froms = tiers.map((t) => parseDecimal(t.from)!);
  const rates = tiers.map((t) => parseDecimal(t.rate)!);
  const scale = measure === "amount" ? moneyScale : Math.max(0, ...froms.map((f) => f.scale));
  const rateScale = Math.max(0, ...rates.map((r) => r.scale));
  const compiled = tiers.map((t, i): CompiledTier => {
    const f = froms[i]!;
    if (f.scale > scale) problems.push({ index: i, field: "from", key: "tierScale", params: { from: t.from, scale } });
    if (measure !== "growth" && f.units < 0n) problems.push({ index: i, field: "from", key: "tierBelowZero", params: { "measure@": measure, from: t.from } });
    if (rates[i]!.units < 0n) problems.push({ index: i, field: "rate", key: "rateNegative", params: { rate: t.rate } });
    const units = f.scale <= scale ? f.units * pow10(scale - f.scale) : 0n;
    return { index: i, ...(t.name === undefined ? {} : { name: t.name }), from: t.from, rate: rates[i]!, rateText: t.rate, fromUnits: units };
  });
  for (let i = 1; i < compiled.length; i++) {
    if (compiled[i]!.fromUnits <= compiled[i - 1]!.fromUnits) {
      problems.push({ index: i, field: "from", key: "tiersUp", params: { from: tiers[i]!.from, previous: tiers[i - 1]!.from } });
    }
  }
  return { ladder: { measure, mode, tiers: compiled, scale, rateScale, moneyScale }, problems };
}

const rateUnits = (l: TierLadder, t: CompiledTier): bigint => t.rate.units * pow10(l.rateScale - t.rate.scale);

function volumeUnits(l: TierLadder, v: Decimal): { units: bigint; scale: number; froms: bigint[] } {
  const scale = Math.max(l.scale, v.scale);
  return { units: v.units * pow10(scale - v.scale), scale, froms: l.tiers.map((t) => t.fromUnits * pow10(scale - l.scale)) };
}

/** Growth-tier bounds as amounts, in minor units × 10^scale. */
function growthBounds(l: TierLadder, prior: bigint): bigint[] {
  const one = pow10(l.scale);
  return l.tiers.map((t) => prior * (one + t.fromUnits));
}

/** Index of the reached tier (-1 below the first) and the measure's text. @internal */
export function reachTier(l: TierLadder, m: AccountMeasure): TierPosition {
  let index = -1;
  let measure: string;
  let note: string | undefined;
  if (l.measure === "amount") {
    for (const t of l.tiers) if (m.basis >= t.fromUnits) index = t.index;
    measure = formatMinorUnits(m.basis, l.moneyScale);
  } else if (l.measure === "volume") {
    const v = volumeUnits(l, m.volume);
    v.froms.forEach((f, i) => {
      if (v.units >= f) index = i;
    });
    measure = formatRatio({ n: m.volume.units, d: pow10(m.volume.scale) }, 10);
  } else if (m.prior === undefined || m.prior <= 0n) {
    measure = "";
    note = "no prior-period basis: growth cannot be measured, so no growth tier is reached";
  } else {
    const scaled = m.basis * pow10(l.scale);
    growthBounds(l, m.prior).forEach((b, i) => {
      if (scaled >= b) index = i;
    });
    measure = formatRatio({ n: m.basis - m.prior, d: m.prior }, 6);
  }
  const t = index >= 0 ? l.tiers[index]! : undefined;
  return {
    index,
    ...(t?.name === undefined ? {} : { name: t.name }),
    ...(t ? { from: t.from } : {}),
    rate: t ? t.rateText : "0",
    measure,
    ...(note ? { note } : {}),
  };
}

/**
 * The account's rebate before modifiers, exact, in minor units; and the
 * bands when incremental. @internal
 */
export function baseRebate(l: TierLadder, m: AccountMeasure, reached: number): { rebate: Ratio; bands: BandResult[] } {
  const den = pow10(l.rateScale);
  if (l.mode === "retroactive") {
    if (reached < 0) return { rebate: ZERO_RATIO, bands: [] };
    return { rebate: { n: m.basis * rateUnits(l, l.tiers[reached]!), d: den }, bands: [] };
  }
  if (m.basis <= 0n) return { rebate: ZERO_RATIO, bands: [] };
  let lo: bigint[];
  let measured: bigint;
  let d: bigint;
  let text: (units: bigint) => string;
  if (l.measure === "amount") {
    lo = l.tiers.map((t) => t.fromUnits);
    measured = m.basis;
    d = 1n;
    text = (u) => formatMinorUnits(u, l.moneyScale);
  } else if (l.measure === "volume") {
    const v = volumeUnits(l, m.volume);
    if (v.units <= 0n) return { rebate: ZERO_RATIO, bands: [] };
    lo = v.froms;
    measured = v.units;
    d = 1n;
    text = (u) => formatRatio({ n: u, d: pow10(v.scale) }, 10);
  } else {
    if (m.prior === undefined || m.prior <= 0n) return { rebate: ZERO_RATIO, bands: [] };
    lo = growthBounds(l, m.prior);
    measured = m.basis * pow10(l.scale);
    d = pow10(l.scale);
    text = (u) => formatMinorUnits(divideRounded(u, d, "half-even"), l.moneyScale);
  }
  // Each band [lo_i, lo_{i+1}) holds min(measured, hi) - lo of the measure.
  // Volume bands earn their share of the amount: basis × (volume in band) / volume.
  const mul = l.measure === "volume" ? m.basis : 1n;
  const div = l.measure === "volume" ? measured : d;
  const bands: BandResult[] = [];
  let sum = 0n;
  for (let i = 0; i < l.tiers.length; i++) {
    const from = lo[i]!;
    if (measured <= from) break;
    const hi = i + 1 < lo.length ? lo[i + 1]! : undefined;
    const width = (hi === undefined || measured < hi ? measured : hi) - from;
    const contribution = width * rateUnits(l, l.tiers[i]!);
    sum += contribution;
    bands.push({
      tier: i,
      from: l.tiers[i]!.from,
      to: i + 1 < l.tiers.length ? l.tiers[i + 1]!.from : null,
      rate: l.tiers[i]!.rateText,
      measured: text(width),
      rebate: formatRatio({ n: contribution * mul, d: den * div * pow10(l.moneyScale) }, l.moneyScale + 6),
    });
  }
  return { rebate: { n: sum * mul, d: den * div }, bands };
}

/** The next tier up and how much more of the measure reaches it. @internal */
export function nextTier(l: TierLadder, m: AccountMeasure, reached: number): { index: number; name?: string | undefined; from: string; rate: string; remaining: string; remainingOf: "amount" | "volume" } | null {
  const t = l.tiers[reached + 1];
  if (!t) return null;
  const base = { index: t.index, ...(t.name === undefined ? {} : { name: t.name }), from: t.from, rate: t.rateText };
  if (l.measure === "amount") return { ...base, remaining: formatMinorUnits(t.fromUnits - m.basis, l.moneyScale), remainingOf: "amount" };
  if (l.measure === "volume") {
    const v = volumeUnits(l, m.volume);
    return { ...base, remaining: formatRatio({ n: v.froms[t.index]! - v.units, d: pow10(v.scale) }, 10), remainingOf: "volume" };
  }
  if (m.prior === undefined || m.prior <= 0n) return null;
  // The amount that reaches prior × (1 + from), rounded up to a whole minor unit.
  const bound = growthBounds(l, m.prior)[t.index]!;
  const need = divideRounded(bound - m.basis * pow10(l.scale), pow10(l.scale), "up");
  return { ...base, remaining: formatMinorUnits(need, l.moneyScale), remainingOf: "amount" };
}
