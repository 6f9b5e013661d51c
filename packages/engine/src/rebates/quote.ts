/**
 * The quote-time preview of one order: the rate it earns with the account's
 * period-to-date volume, the change against last period, and how much more
 * reaches the next tier. It is what `evaluate` returns for a rebate program
 * (and so what `ruleflow evaluate` prints).
 *
 * Rate fields follow one convention: `rate`, `previous.rate`, `change` and
 * `lines[].rate` include modifiers; `baseRate`, `previous.baseRate` and
 * `baseChange` do not; `tier.rate` and `nextTier.rate` are the ladder's rates
 * as written. `marginal` is computed by settlement's own arithmetic
 * ({@link computePeriod}) on the period-to-date basis with and without the order.
 */
import { makeScope } from "../conditions/compile.js";
import { parseDecimal, type Decimal } from "../core/decimal.js";
import { EvaluationError } from "../core/errors.js";
import type { Scope } from "../expr/compile.js";
import { inDefinitionTime } from "../expr/time-context.js";
import { formatInstant, readOwn } from "../expr/values.js";
import { formatMinorUnits, toMinorUnits } from "../money/amount.js";
import { addRatio, decimalRatio, formatRatio, multiplyRatio, subtractRatio, ZERO_RATIO, type Ratio } from "../money/ratio.js";
import { divideRounded, pow10 } from "../money/rounding.js";
import { collectLineWarnings, readLine } from "./lines.js";
import type { RebateWarning } from "./statement.js";
import { applyModifier, type AppliedModifier } from "./modifiers.js";
import { computePeriod } from "./compute.js";
import type { LineModifier, LineState } from "./lines.js";
import { baseRebate, nextTier, reachTier, type TierPosition } from "./tiers.js";
import type { EvaluateDefinitionOptions } from "../core/context.js";
import type { RebateProgram } from "./program-frame.js";

/** What previewing one order returns. */
export interface RebateQuote {
  kind: "rebate";
  id: string;
  version: number;
  at: string;
  /** `{ rate, rebate, tier, change, nextTier }`: the preview in the shape every kind shares (`rate` and `change` include modifiers). */
  output: { rate: string; rebate: string; tier: TierPosition; change: string | null; nextTier: RebateQuote["nextTier"] };
  currency?: string | undefined;
  account: string;
  /** This order's basis. */
  basis: string;
  /** The account's basis before and after this order. */
  periodToDate: string;
  projected: string;
  /** The tier the account reaches with this order (`tier.rate` is the ladder's rate, before modifiers). */
  tier: TierPosition;
  /** The account's rate before modifiers with this order: the reached tier's rate, or the blended incremental rate. */
  baseRate: string;
  /** The rate this order earns, modifiers included: its exact rebate over its basis. */
  rate: string;
  /** This order's rebate (its lines at `rate`), rounded once as the program rounds. */
  rebate: string;
  /**
   * How much the account's period rebate grows with this order, modifiers included, computed as
   * settlement computes it: earned(period to date + this order) - earned(period to date), each
   * rounded once and capped. It includes the uplift of the period's earlier orders to a higher
   * tier. The period-to-date basis is priced with the modifiers every counted line of this order
   * has in common (for a one-line order: that line's).
   */
  marginal: string;
  /** Each line: its basis, its rate with modifiers, the modifiers that apply. */
  lines: { basis: string; rate: string; modifiers: AppliedModifier[]; excluded?: string | undefined }[];
  /**
   * Last period, from `priorPeriod`: its basis, the tier it reached, its rate before modifiers
   * (`baseRate`) and the rate this order would have earned there, this order's modifiers included
   * (`rate`). Null without `priorPeriod`, and for growth tiers.
   */
  previous: { basis: string; tier: TierPosition; baseRate: string; rate: string } | null;
  /** `rate - previous.rate`, both with modifiers, e.g. "+0.0165"; null without a last period. */
  change: string | null;
  /** `baseRate - previous.baseRate`, both before modifiers, e.g. "+0.015"; null without a last period. */
  baseChange: string | null;
  /** The next tier (its ladder rate, before modifiers) and how much more (amount or volume) reaches it; null at the top. */
  nextTier: { index: number; name?: string | undefined; from: string; rate: string; remaining: string; remainingOf: "amount" | "volume" } | null;
  /**
   * Comparisons that met a missing or null value while reading the order's lines: a modifier
   * whose condition or table met one is off (`customer.paymentRate90d` missing: no good-payer
   * uplift), and a line whose `basis.where` met one is left out. Each names its line
   * (`line` from 1, key `#1`) and the path in the program (`modifiers[0].when`). Empty when none.
   */
  warnings: RebateWarning[];
}

function totals(p: RebateProgram, v: unknown, where: string): { basis: bigint; volume: Decimal } {
  const basisRaw = readOwn(v, "basis");
  const volumeRaw = readOwn(v, "volume");
  const basis = basisRaw === undefined || basisRaw === null ? 0n : toMinorUnits(basisRaw, p.scale);
  if (typeof basis === "string") throw new EvaluationError(`${where}.basis: ${basis}`);
  const volume = volumeRaw === undefined || volumeRaw === null ? { units: 0n, scale: 0 } : parseDecimal(volumeRaw);
  if (!volume) throw new EvaluationError(`${where}.volume: expected a number, got ${JSON.stringify(volumeRaw)}`);
  return { basis, volume };
}

function add(a: Decimal, b: Decimal): Decimal {
  const s = Math.max(a.scale, b.scale);
  return { units: a.units * pow10(s - a.scale) + b.units * pow10(s - b.scale), scale: s };
}

function baseRateOf(p: RebateProgram, m: { basis: bigint; volume: Decimal; prior: bigint | undefined }, index: number): Ratio {
  if (p.ladder.mode === "retroactive") return index >= 0 ? decimalRatio(p.ladder.tiers[index]!.rate) : ZERO_RATIO;
  const r = baseRebate(p.ladder, m, index).rebate;
  return m.basis > 0n ? { n: r.n, d: r.d * m.basis } : ZERO_RATIO;
}

/** Preview one order. @internal */
export function quoteRebate(p: RebateProgram, facts: unknown, options: EvaluateDefinitionOptions | undefined): RebateQuote {
  // `at` is an instant (read as UTC without an offset); the order's own dates are read in the program's zone.
  const { scope, nowMs } = makeScope(facts, options?.at);
  return inDefinitionTime(p.time, () => quoteIn(p, facts, options, scope, nowMs));
}

function quoteIn(p: RebateProgram, facts: unknown, options: EvaluateDefinitionOptions | undefined, scope: Scope, nowMs: number): RebateQuote {
  const at = scope.now ?? formatInstant(nowMs);
  const fmt = (m: bigint): string => formatMinorUnits(m, p.scale);
  const list = readOwn(facts, "lines");
  const lineFacts = Array.isArray(list) ? list.map((line: unknown) => ({ ...(facts as object), line })) : [facts];
  const toDate = totals(p, readOwn(facts, "periodToDate"), "periodToDate");
  const priorRaw = readOwn(facts, "priorPeriod");
  const prior = priorRaw === undefined || priorRaw === null ? undefined : totals(p, priorRaw, "priorPeriod");
  const warnings: RebateWarning[] = [];
  const states = lineFacts.map((lf, i) => {
    const s: Scope = { ...scope, facts: lf, locals: [], warnings: undefined };
    return collectLineWarnings(s, warnings, i, `#${i + 1}`, () => readLine(p, p, s, nowMs, `#${i + 1}`, nowMs, options?.definitions));
  });
  const account = states[0]?.account ?? "all";
  let orderBasis = 0n;
  let orderVolume: Decimal = { units: 0n, scale: 0 };
  for (const s of states) {
    if (s.excluded !== undefined) continue;
    orderBasis += s.amount;
    orderVolume = add(orderVolume, s.volume);
  }
  const after = { basis: toDate.basis + orderBasis, volume: add(toDate.volume, orderVolume), prior: prior?.basis };
  const tier = reachTier(p.ladder, after);
  const baseRate = baseRateOf(p, after, tier.index);
  const counted = states.filter((s) => s.excluded === undefined);
  // This order's exact rebate (minor units) at a base rate, each line with its own modifiers.
  const orderRebate = (base: Ratio): Ratio => {
    let sum: Ratio = ZERO_RATIO;
    for (const s of counted) sum = addRatio(sum, multiplyRatio({ n: s.amount, d: 1n }, lineRate(base, s.mods)));
    return sum;
  };
  const exact = orderRebate(baseRate);
  const lines = states.map((s) => ({
    basis: fmt(s.amount),
    rate: formatRatio(s.excluded === undefined ? lineRate(baseRate, s.mods) : ZERO_RATIO, 10),
    modifiers: s.mods.map((m) => ({ name: m.name, op: m.op, value: formatRatio(decimalRatio(m.value), 10) })),
    ...(s.excluded !== undefined ? { excluded: s.excluded } : {}),
  }));
  const rebate = divideRounded(exact.n, exact.d * p.quantum, p.mode) * p.quantum;
  const rateOf = (r: Ratio): string => (orderBasis > 0n ? formatRatio({ n: r.n, d: r.d * orderBasis }, 10) : "0");
  const rate = rateOf(exact);
  const marginal = marginalOf(p, account, toDate, prior?.basis, counted, nowMs);
  let previous: RebateQuote["previous"] = null;
  let change: string | null = null;
  let baseChange: string | null = null;
  if (prior && p.ladder.measure !== "growth") {
    const m = { basis: prior.basis, volume: prior.volume, prior: undefined };
    const t = reachTier(p.ladder, m);
    const r = baseRateOf(p, m, t.index);
    const prevRate = orderBasis > 0n ? { n: orderRebate(r).n, d: orderRebate(r).d * orderBasis } : ZERO_RATIO;
    const nowRate = orderBasis > 0n ? { n: exact.n, d: exact.d * orderBasis } : ZERO_RATIO;
    previous = { basis: fmt(prior.basis), tier: t, baseRate: formatRatio(r, 10), rate: formatRatio(prevRate, 10) };
    change = signed(subtractRatio(nowRate, prevRate));
    baseChange = signed(subtractRatio(baseRate, r));
  }
  const next = nextTier(p.ladder, after, tier.index);
  return {
    kind: "rebate",
    id: p.id,
    version: p.version,
    at,
    output: { rate, rebate: fmt(rebate), tier, change, nextTier: next },
    ...(p.currency ? { currency: p.currency } : {}),
    account,
    basis: fmt(orderBasis),
    periodToDate: fmt(toDate.basis),
    projected: fmt(after.basis),
    tier,
    baseRate: formatRatio(baseRate, 10),
    rate,
    rebate: fmt(rebate),
    marginal: fmt(marginal),
    lines,
    previous,
    change,
    baseChange,
    nextTier: next,
    warnings,
  };
}

/** A difference with its sign: "+0.015", "-0.015", "0". */
function signed(r: Ratio): string {
  return `${r.n > 0n ? "+" : ""}${formatRatio(r, 10)}`;
}

/** A line's rate: the base rate with its modifiers, never below zero (as settlement prices it). */
function lineRate(base: Ratio, mods: readonly LineModifier[]): Ratio {
  let rate = base;
  for (const m of mods) rate = applyModifier(rate, m.op, m.value);
  return rate.n < 0n ? ZERO_RATIO : rate;
}

/** The modifiers every counted line has, in program order (a one-line order: that line's). */
function commonModifiers(counted: readonly LineState[]): LineModifier[] {
  const [first, ...rest] = counted;
  if (!first) return [];
  const same = (a: LineModifier, b: LineModifier): boolean => a.name === b.name && a.op === b.op && a.value.units === b.value.units && a.value.scale === b.value.scale;
  return first.mods.filter((m) => rest.every((s) => s.mods.some((o) => same(m, o))));
}

/**
 * earned(period to date + order) - earned(period to date), by settlement's arithmetic: the
 * period-to-date basis is one line with the order's common modifiers; each total is rounded
 * once and capped.
 */
function marginalOf(
  p: RebateProgram,
  account: string,
  toDate: { basis: bigint; volume: Decimal },
  prior: bigint | undefined,
  counted: readonly LineState[],
  nowMs: number,
): bigint {
  const programs = new Map([[p.version, p]]);
  const priors = new Map<string, bigint>(prior === undefined ? [] : [[account, prior]]);
  const earlier: LineState = {
    key: "periodToDate",
    account,
    date: nowMs,
    version: p.version,
    excluded: undefined,
    amount: toDate.basis,
    volume: toDate.volume,
    mods: commonModifiers(counted),
    dims: undefined,
  };
  const earned = (states: LineState[]): bigint => computePeriod(states, programs, p, priors).accounts.reduce((sum, a) => sum + a.earned, 0n);
  const order = counted.map((s) => ({ ...s, account, version: p.version }));
  return earned([earlier, ...order]) - earned([earlier]);
}
