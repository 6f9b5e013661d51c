/**
 * One period's arithmetic: per account, the basis and volume reach a tier on
 * each program version's ladder; each line earns its version's rate (the
 * reached tier's rate, or the blended incremental rate) times its modifiers,
 * exactly; the account's exact total is rounded once, capped, and spread
 * back over the lines so they sum to it to the cent.
 */
import type { Decimal } from "../decisions/decimal.js";
import { distribute } from "../money/allocate.js";
import { decimalRatio, lcm, reduceRatio, ZERO_RATIO, type Ratio } from "../money/ratio.js";
import { divideRounded, pow10 } from "../money/rounding.js";
import type { LineState } from "./lines.js";
import { applyModifier } from "./modifiers.js";
import type { RebateProgram } from "./program.js";
import { baseRebate, nextTier, reachTier, type AccountMeasure, type BandResult, type TierPosition } from "./tiers.js";

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

/** One line's share. @internal */
export interface LineResult {
  state: LineState;
  /** Allocated entitlement, minor units (0 when excluded). */
  amount: bigint;
  standing: VersionStanding | undefined;
  rate: Ratio;
}

function sumVolumes(a: Decimal, b: Decimal): Decimal {
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
): { accounts: AccountResult[]; results: LineResult[] } {
  const byAccount = new Map<string, number[]>();
  const results: LineResult[] = new Array(states.length);
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    results[i] = { state: s, amount: 0n, standing: undefined, rate: ZERO_RATIO };
    if (s.excluded !== undefined) continue;
    let list = byAccount.get(s.account);
    if (!list) byAccount.set(s.account, (list = []));
    list.push(i);
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
      if (st) return st;
      const l = programs.get(version)!.ladder;
      const position = reachTier(l, measure);
      const { rebate, bands } = baseRebate(l, measure, position.index);
      let baseRate: Ratio;
      if (l.mode === "retroactive") baseRate = position.index >= 0 ? decimalRatio(l.tiers[position.index]!.rate) : ZERO_RATIO;
      else baseRate = basis > 0n ? reduceRatio({ n: rebate.n, d: rebate.d * basis }) : ZERO_RATIO;
      st = { version, position, bands, next: nextTier(l, measure, position.index), baseRate };
      standings.set(version, st);
      return st;
    };
    // Lines with the same version and modifier list share one rate.
    const rates = new Map<VersionStanding, Map<LineState["mods"], Ratio>>();
    // Exact line amounts over one common denominator.
    const nums = new Array<bigint>(idx.length);
    const dens = new Array<bigint>(idx.length);
    let D = 1n;
    for (let k = 0; k < idx.length; k++) {
      const r = results[idx[k]!]!;
      const st = standingOf(r.state.version);
      let byMods = rates.get(st);
      if (!byMods) rates.set(st, (byMods = new Map()));
      let rate = byMods.get(r.state.mods);
      if (rate === undefined) {
        rate = st.baseRate;
        for (const m of r.state.mods) rate = applyModifier(rate, m.op, m.value);
        if (rate.n < 0n) rate = ZERO_RATIO;
        byMods.set(r.state.mods, rate);
      }
      r.standing = st;
      r.rate = rate;
      nums[k] = r.state.amount * rate.n;
      dens[k] = rate.d;
      if (D % rate.d !== 0n) D = lcm(D, rate.d);
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
    const parts = capped ? distribute(nums.map((n) => n * units), total, units) : distribute(nums, D * q, units);
    for (let k = 0; k < idx.length; k++) results[idx[k]!]!.amount = parts[k]! * q;
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
  return { accounts, results };
}

