/**
 * One period's arithmetic: per account, the basis and volume reach a tier on
 * each program version's ladder; each line earns its version's rate (the
 * reached tier's rate, or the blended incremental rate) times its modifiers,
 * exactly; the account's exact total is rounded once, capped, and spread
 * back over the lines so they sum to it to the cent.
 */
import type { Decimal } from "../core/decimal.js";
import { distribute } from "../money/allocate.js";
import { decimalRatio, lcm, reduceRatio, ZERO_RATIO, type Ratio } from "../money/ratio.js";
import { divideRounded, pow10 } from "../money/rounding.js";
import type { LineState } from "./lines.js";
import { applyModifier } from "./modifiers.js";
import { baseRebate, nextTier, reachTier, type AccountMeasure, type BandResult, type TierPosition } from "./tiers.js";
import type { RebateProgram } from "./program-frame.js";

/** Where one account stands on one version's ladder. @internal */
export interface VersionStanding {
  version: number;
  position: TierPosition;
  bands: BandResult[];
  next: ReturnType<typeof nextTier>;
  /** The version's rate before modifiers for this account (tier rate, or blended). */
  baseRate: Ratio;
}

/** One account's period. @internal */
export interface AccountResult {
  account: string;
  measure: AccountMeasure;
  lines: number;
  standings: VersionStanding[];
  /** Exact total before rounding, minor units. */
  exact: Ratio;
  /** Rounded (and capped) total, minor units. */
  earned: bigint;
  capped: boolean;
  cap: bigint | undefined;
}

/** The lines of a period, computed: parallel to the states given. @internal */
export interface PeriodLines {
  /** Allocated entitlement per line, minor units (0 when excluded). */
  amounts: bigint[];
  standings: (VersionStanding | undefined)[];
  rates: Ratio[];
}

/** Where an account with `measure` stands on `version`'s ladder. @internal */
export function versionStanding(programs: ReadonlyMap<number, RebateProgram>, measure: AccountMeasure, version: number): VersionStanding {
  const l = programs.get(version)!.ladder;
  const position = reachTier(l, measure);
  const { rebate, bands } = baseRebate(l, measure, position.index);
  let baseRate: Ratio;
  if (l.mode === "retroactive") baseRate = position.index >= 0 ? decimalRatio(l.tiers[position.index]!.rate) : ZERO_RATIO;
  else baseRate = measure.basis > 0n ? reduceRatio({ n: rebate.n, d: rebate.d * measure.basis }) : ZERO_RATIO;
  return { version, position, bands, next: nextTier(l, measure, position.index), baseRate };
}

/** A line's rate: its standing's base rate with its modifiers applied, never below zero (no modifiers: the base rate itself). @internal */
export function lineRate(st: VersionStanding, mods: LineState["mods"]): Ratio {
  let r = st.baseRate;
  for (const m of mods) r = applyModifier(r, m.op, m.value);
  return r.n < 0n ? ZERO_RATIO : r;
}

/** `a + b` of two volumes. @internal */
export function sumVolumes(a: Decimal, b: Decimal): Decimal {
  if (b.units === 0n) return a;
  if (a.units === 0n) return b;
  const scale = Math.max(a.scale, b.scale);
  return { units: a.units * pow10(scale - a.scale) + b.units * pow10(scale - b.scale), scale };
}

/**
 * Compute a period from its lines (`states`, in any order). `cap` and
 * rounding come from `frame`, the version that governs the period. @internal
 */
export function computePeriod(
  states: readonly LineState[],
  programs: ReadonlyMap<number, RebateProgram>,
  frame: RebateProgram,
  priors: ReadonlyMap<string, bigint>,
): { accounts: AccountResult[]; lines: PeriodLines } {
  const n = states.length;
  const amounts = new Array<bigint>(n).fill(0n);
  const standingsOut = new Array<VersionStanding | undefined>(n).fill(undefined);
  const rates = new Array<Ratio>(n).fill(ZERO_RATIO);
  const byAccount = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const s = states[i]!;
    if (s.excluded !== undefined) continue;
    const list = byAccount.get(s.account);
    if (list) list.push(i);
    else byAccount.set(s.account, [i]);
  }
  const accounts: AccountResult[] = [];
  const names = [...byAccount.keys()].sort();
  const q = frame.quantum;
  const capQ = frame.cap === undefined ? undefined : (frame.cap / q) * q;
  for (const account of names) {
    const idx = byAccount.get(account)!;
    let basis = 0n;
    let volume: Decimal = { units: 0n, scale: 0 };
    for (const i of idx) {
      basis += states[i]!.amount;
      volume = sumVolumes(volume, states[i]!.volume);
    }
    const measure: AccountMeasure = { basis, volume, prior: priors.get(account) };
    const standings = new Map<number, VersionStanding>();
    const standingOf = (version: number): VersionStanding => {
      let st = standings.get(version);
      if (!st) standings.set(version, (st = versionStanding(programs, measure, version)));
      return st;
    };
    // Exact line amounts over one common denominator. Consecutive lines of one
    // version with one modifier list share a rate, so it is looked up once per run.
    const nums = new Array<bigint>(idx.length);
    const dens = new Array<bigint>(idx.length);
    const rateCache = new Map<VersionStanding, Map<LineState["mods"], Ratio>>();
    let lastVersion = -1;
    let lastMods: LineState["mods"] | undefined;
    let st: VersionStanding | undefined;
    let rate: Ratio = ZERO_RATIO;
    let D = 1n;
    for (let k = 0; k < idx.length; k++) {
      const i = idx[k]!;
      const s = states[i]!;
      if (s.version !== lastVersion || s.mods !== lastMods) {
        st = standingOf(s.version);
        let byMods = rateCache.get(st);
        if (!byMods) rateCache.set(st, (byMods = new Map<LineState["mods"], Ratio>()));
        let r = byMods.get(s.mods);
        if (r === undefined) byMods.set(s.mods, (r = lineRate(st, s.mods)));
        rate = r;
        lastVersion = s.version;
        lastMods = s.mods;
        if (D % rate.d !== 0n) D = lcm(D, rate.d);
      }
      standingsOut[i] = st;
      rates[i] = rate;
      nums[k] = s.amount * rate.n;
      dens[k] = rate.d;
    }
    let total = 0n;
    for (let k = 0; k < idx.length; k++) {
      if (dens[k] !== D) nums[k] = nums[k]! * (D / dens[k]!);
      total += nums[k]!;
    }
    let units = divideRounded(total, D * q, frame.mode);
    let capped = false;
    if (capQ !== undefined && units * q > capQ) {
      units = capQ / q;
      capped = true;
    }
    const parts = capped ? distribute(nums.map((x) => x * units), total, units) : distribute(nums, D * q, units);
    if (q === 1n) for (let k = 0; k < idx.length; k++) amounts[idx[k]!] = parts[k]!;
    else for (let k = 0; k < idx.length; k++) amounts[idx[k]!] = parts[k]! * q;
    accounts.push({
      account,
      measure,
      lines: idx.length,
      standings: [...standings.values()].sort((a, b) => a.version - b.version),
      exact: reduceRatio({ n: total, d: D }),
      earned: units * q,
      capped,
      cap: capQ,
    });
  }
  return { accounts, lines: { amounts, standings: standingsOut, rates } };
}
