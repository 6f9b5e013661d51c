/**
 * The quote-time preview of one order: the rate it earns with the account's
 * period-to-date volume, the change against last period, and how much more
 * reaches the next tier. It is what `evaluate` returns for a rebate program
 * (and so what `ruleflow evaluate` prints).
 */
import { makeScope } from "../conditions/compile.js";
import { parseDecimal, type Decimal } from "../decisions/decimal.js";
import type { EvaluateDefinitionOptions } from "../decisions/types.js";
import { EvaluationError } from "../errors.js";
import { formatInstant, readOwn } from "../expr/values.js";
import { formatMinorUnits, toMinorUnits } from "../money/amount.js";
import { decimalRatio, formatRatio, subtractRatio, ZERO_RATIO, type Ratio } from "../money/ratio.js";
import { divideRounded, pow10 } from "../money/rounding.js";
import { readLine } from "./lines.js";
import { applyModifier, type AppliedModifier } from "./modifiers.js";
import type { RebateProgram } from "./program.js";
import { baseRebate, nextTier, reachTier, type TierPosition } from "./tiers.js";

/** What previewing one order returns. */
export interface RebateQuote {
  kind: "rebate";
  id: string;
  version: number;
  at: string;
  /** `{ rate, rebate, tier, change, nextTier }`: the preview in the shape every kind shares. */
  output: { rate: string; rebate: string; tier: TierPosition; change: string | null; nextTier: RebateQuote["nextTier"] };
  currency?: string | undefined;
  account: string;
  /** This order's basis. */
  basis: string;
  /** The account's basis before and after this order. */
  periodToDate: string;
  projected: string;
  /** The tier the account reaches with this order. */
  tier: TierPosition;
  /** The rate before modifiers (tier rate, or the blended incremental rate). */
  baseRate: string;
  /** The rate this order earns: its rebate over its basis, modifiers included. */
  rate: string;
  /** This order's rebate, rounded as the program rounds. */
  rebate: string;
  /** How much the account's period rebate (before modifiers) grows with this order, including any retroactive uplift. */
  marginal: string;
  lines: { basis: string; rate: string; modifiers: AppliedModifier[]; excluded?: string | undefined }[];
  /** Last period: its basis, the tier it reached and its rate. */
  previous: { basis: string; tier: TierPosition; rate: string } | null;
  /** This order's base rate minus last period's, e.g. "+0.015"; null without a last period. */
  change: string | null;
  /** The next tier and how much more (amount or volume) reaches it; null at the top. */
  nextTier: { index: number; name?: string | undefined; from: string; rate: string; remaining: string; remainingOf: "amount" | "volume" } | null;
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
  const { scope, nowMs } = makeScope(facts, options?.at);
  const at = scope.now ?? formatInstant(nowMs);
  const fmt = (m: bigint): string => formatMinorUnits(m, p.scale);
  const list = readOwn(facts, "lines");
  const lineFacts = Array.isArray(list) ? list.map((line) => ({ ...(facts as object), line })) : [facts];
  const toDate = totals(p, readOwn(facts, "periodToDate"), "periodToDate");
  const priorRaw = readOwn(facts, "priorPeriod");
  const prior = priorRaw === undefined || priorRaw === null ? undefined : totals(p, priorRaw, "priorPeriod");
  const states = lineFacts.map((lf, i) => {
    const s = { ...scope, facts: lf, locals: [] };
    return readLine(p, p, s, nowMs, `#${i + 1}`, nowMs, options?.definitions);
  });
  const account = states[0]?.account ?? "all";
  let orderBasis = 0n;
  let orderVolume: Decimal = { units: 0n, scale: 0 };
  for (const s of states) {
    if (s.excluded !== undefined) continue;
    orderBasis += s.amount;
    orderVolume = add(orderVolume, s.volume);
  }
  const before = { basis: toDate.basis, volume: toDate.volume, prior: prior?.basis };
  const after = { basis: toDate.basis + orderBasis, volume: add(toDate.volume, orderVolume), prior: prior?.basis };
  const tier = reachTier(p.ladder, after);
  const baseRate = baseRateOf(p, after, tier.index);
  let exact: Ratio = ZERO_RATIO;
  const lines = states.map((s) => {
    let rate = s.excluded === undefined ? baseRate : ZERO_RATIO;
    for (const m of s.mods) rate = applyModifier(rate, m.op, m.value);
    if (rate.n < 0n) rate = ZERO_RATIO;
    if (s.excluded === undefined) exact = { n: exact.n * rate.d + s.amount * rate.n * exact.d, d: exact.d * rate.d };
    return {
      basis: fmt(s.amount),
      rate: formatRatio(rate, 10),
      modifiers: s.mods.map((m) => ({ name: m.name, op: m.op, value: formatRatio(decimalRatio(m.value), 10) })),
      ...(s.excluded !== undefined ? { excluded: s.excluded } : {}),
    };
  });
  const rebate = divideRounded(exact.n, exact.d * p.quantum, p.mode) * p.quantum;
  const rate = orderBasis > 0n ? formatRatio({ n: exact.n, d: exact.d * orderBasis }, 10) : "0";
  const beforeRebate = baseRebate(p.ladder, before, reachTier(p.ladder, before).index).rebate;
  const afterRebate = baseRebate(p.ladder, after, tier.index).rebate;
  const marginal = divideRounded(subtractRatio(afterRebate, beforeRebate).n, subtractRatio(afterRebate, beforeRebate).d, p.mode);
  let previous: RebateQuote["previous"] = null;
  let change: string | null = null;
  if (prior && p.ladder.measure !== "growth") {
    const m = { basis: prior.basis, volume: prior.volume, prior: undefined };
    const t = reachTier(p.ladder, m);
    const r = baseRateOf(p, m, t.index);
    previous = { basis: fmt(prior.basis), tier: t, rate: formatRatio(r, 10) };
    const diff = subtractRatio(baseRate, r);
    change = `${diff.n > 0n ? "+" : ""}${formatRatio(diff, 10)}`;
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
    nextTier: next,
  };
}
