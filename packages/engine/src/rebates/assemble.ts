/**
 * Turning computed periods into statement JSON: lines with what was paid and
 * what is due, adjustment lines for earlier periods with their reasons,
 * accounts with their tiers, totals, and totals per breakdown dimension.
 */
import { civilFromDays } from "../core/local-date.js";
import { formatDecimal } from "../core/decimal.js";
import { formatMinorUnits } from "../money/amount.js";
import { formatRatio } from "../money/ratio.js";
import { pow10 } from "../money/rounding.js";
import type { Ratio } from "../money/ratio.js";
import type { AccountResult, VersionStanding } from "./compute.js";
import type { LineState } from "./lines.js";
import type { AdjustmentLine, BreakdownRow, Recheck, StatementAccount, StatementLine } from "./statement.js";
import type { RebateProgram } from "./program-frame.js";

/** Formatting helpers bound to one program's currency. @internal */
export interface Formatter {
  scale: number;
  /** Zero, formatted. */
  zero: string;
  money(minor: bigint): string;
  standing(st: VersionStanding): { tier: StatementLine["tier"]; baseRate: string };
  /** Modifiers as statements show them (shared by lines with the same list). */
  mods(list: LineState["mods"]): StatementLine["modifiers"];
  /** An order time as ISO-8601 UTC. */
  date(ms: number): string;
}

const p2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** ISO-8601 UTC text of epoch ms, like `Date#toISOString` but without a Date (civil-from-days). @internal */
export function isoUtc(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  // Years 1970-9999 only; anything else (never an order) takes the slow road.
  if (days < 0 || days > 2_932_896) return new Date(ms).toISOString();
  const { year: y, month: m, day: d } = civilFromDays(days);
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const mi = Math.floor(rest / 60_000);
  rest -= mi * 60_000;
  const sec = Math.floor(rest / 1000);
  const milli = rest - sec * 1000;
  return `${y}-${p2(m)}-${p2(d)}T${p2(h)}:${p2(mi)}:${p2(sec)}.${milli < 10 ? "00" : milli < 100 ? "0" : ""}${milli}Z`;
}

/** @internal */
export function formatter(scale: number): Formatter {
  const cache = new WeakMap<VersionStanding, { tier: StatementLine["tier"]; baseRate: string }>();
  const modsCache = new WeakMap<LineState["mods"], StatementLine["modifiers"]>();
  let lastMs = NaN;
  let lastIso = "";
  return {
    zero: formatMinorUnits(0n, scale),
    mods(list) {
      let out = modsCache.get(list);
      if (!out) modsCache.set(list, (out = list.map((m) => ({ name: m.name, op: m.op, value: formatDecimal(m.value) }))));
      return out;
    },
    date(ms) {
      if (ms !== lastMs) {
        lastMs = ms;
        lastIso = isoUtc(ms);
      }
      return lastIso;
    },
    scale,
    money: (m) => formatMinorUnits(m, scale),
    standing(st) {
      let f = cache.get(st);
      if (!f) {
        const p = st.position;
        f = {
          tier: p.index < 0 ? null : { index: p.index, ...(p.name === undefined ? {} : { name: p.name }), rate: p.rate },
          baseRate: formatRatio(st.baseRate, 10),
        };
        cache.set(st, f);
      }
      return f;
    },
  };
}

/** One statement line from a computed line. @internal */
export function statementLine(s: LineState, amount: bigint, standing: VersionStanding | undefined, rate: Ratio, paid: bigint, f: Formatter): StatementLine {
  const st = standing ? f.standing(standing) : { tier: null, baseRate: "0" };
  const amountText = f.money(amount);
  const line: StatementLine = {
    key: s.key,
    account: s.account,
    date: f.date(s.date),
    version: s.version,
    basis: f.money(s.amount),
    tier: st.tier,
    baseRate: st.baseRate,
    modifiers: f.mods(s.mods),
    rate: standing && rate === standing.baseRate ? st.baseRate : formatRatio(rate, 10),
    amount: amountText,
    paid: paid === 0n ? f.zero : f.money(paid),
    due: paid === 0n ? amountText : f.money(amount - paid),
  };
  if (s.volume.units !== 0n) line.volume = formatDecimal(s.volume);
  if (s.excluded !== undefined) line.excluded = s.excluded;
  if (s.dims) line.dims = s.dims;
  return line;
}

/** True when a line reads the same as recorded. @internal */
export function sameState(a: LineState, b: LineState): boolean {
  return (
    a.excluded === b.excluded &&
    a.amount === b.amount &&
    a.version === b.version &&
    a.account === b.account &&
    a.mods.length === b.mods.length &&
    a.mods.every((m, i) => m.op === b.mods[i]!.op && formatDecimal(m.value) === formatDecimal(b.mods[i]!.value))
  );
}

/** Why a line of an earlier period changed. @internal */
export function adjustmentReason(period: string, now: LineState, was: LineState | undefined, accountWas: bigint | undefined, accountNow: bigint, f: Formatter): string {
  if (!was) return `a late line: it was not in the ${period} statement`;
  if (now.excluded !== undefined && was.excluded === undefined) return `${now.excluded} after ${period} was settled`;
  if (now.excluded === undefined && was.excluded !== undefined) return `counts again after ${period} was settled (was: ${was.excluded})`;
  if (now.amount !== was.amount) return `basis changed from ${f.money(was.amount)} to ${f.money(now.amount)}`;
  if (accountWas !== undefined && accountWas !== accountNow) {
    return `account ${now.account}'s ${period} basis changed from ${f.money(accountWas)} to ${f.money(accountNow)}`;
  }
  return `recomputed for ${period}`;
}

/** One account of the statement. @internal */
export function statementAccount(a: AccountResult, programs: ReadonlyMap<number, RebateProgram>, paid: bigint, f: Formatter): StatementAccount {
  return {
    account: a.account,
    basis: f.money(a.measure.basis),
    ...(a.measure.volume.units !== 0n ? { volume: formatDecimal(a.measure.volume) } : {}),
    ...(a.measure.prior !== undefined ? { prior: f.money(a.measure.prior) } : {}),
    lines: a.lines,
    tiers: a.standings.map((st) => {
      const doc = programs.get(st.version)!.document;
      return {
        version: st.version,
        tierBy: doc.tierBy,
        mode: doc.mode,
        reached: st.position,
        baseRate: f.standing(st).baseRate,
        ...(st.bands.length ? { bands: st.bands } : {}),
        next: st.next,
      };
    }),
    exact: formatRatio({ n: a.exact.n, d: a.exact.d * pow10(f.scale) }, f.scale + 8),
    earned: f.money(a.earned),
    capped: a.capped,
    ...(a.cap !== undefined ? { cap: f.money(a.cap) } : {}),
    paid: f.money(paid),
    due: f.money(a.earned - paid),
  };
}

interface RowSums {
  value: unknown;
  lines: number;
  basis: bigint;
  earned: bigint;
  due: bigint;
  adjustments: bigint;
}

/** Totals per dimension value, accumulated line by line. @internal */
export interface Breakdown {
  line(s: LineState, amount: bigint, paid: bigint): void;
  adjustment(s: LineState, due: bigint): void;
  /** Add the totals of `lines` lines that share the dimensions record `dims`. */
  add(dims: Record<string, unknown> | undefined, lines: number, basis: bigint, earned: bigint, due: bigint): void;
  rows(f: Formatter): Record<string, BreakdownRow[]>;
}

/** @internal */
export function createBreakdown(names: readonly string[]): Breakdown {
  const tables = names.map(() => new Map<unknown, RowSums>());
  const row = (t: number, raw: unknown): RowSums => {
    const value = raw ?? null;
    const k = typeof value === "object" && value !== null ? JSON.stringify(value) : value;
    const rows = tables[t]!;
    let r = rows.get(k);
    if (!r) rows.set(k, (r = { value, lines: 0, basis: 0n, earned: 0n, due: 0n, adjustments: 0n }));
    return r;
  };
  return {
    line(s, amount, paid) {
      for (let t = 0; t < names.length; t++) {
        const r = row(t, s.dims?.[names[t]!]);
        r.lines++;
        r.basis += s.amount;
        r.earned += amount;
        r.due += paid === 0n ? amount : amount - paid;
      }
    },
    add(dims, lines, basis, earned, due) {
      for (let t = 0; t < names.length; t++) {
        const r = row(t, dims?.[names[t]!]);
        r.lines += lines;
        r.basis += basis;
        r.earned += earned;
        r.due += due;
      }
    },
    adjustment(s, due) {
      for (let t = 0; t < names.length; t++) row(t, s.dims?.[names[t]!]).adjustments += due;
    },
    rows(f) {
      const out: Record<string, BreakdownRow[]> = {};
      names.forEach((name, t) => {
        out[name] = [...tables[t]!.values()]
          .map((r) => ({ key: JSON.stringify(r.value), r }))
          .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
          .map(({ r }) => ({
            value: r.value,
            lines: r.lines,
            basis: f.money(r.basis),
            earned: f.money(r.earned),
            due: f.money(r.due),
            adjustments: f.money(r.adjustments),
            payable: f.money(r.due + r.adjustments),
          }));
      });
      return out;
    },
  };
}

/** An adjustment line. @internal */
export function adjustmentLine(
  s: LineState,
  amount: bigint,
  standing: VersionStanding | undefined,
  rate: Ratio,
  period: string,
  paid: bigint,
  reason: string,
  f: Formatter,
): AdjustmentLine {
  const line = statementLine(s, amount, standing, rate, paid, f);
  const due = amount - paid;
  return { ...line, period, type: due < 0n ? "clawback" : due > 0n ? "true-up" : "restated", reason };
}

/** A recheck summary. @internal */
export function recheck(period: string, a: AccountResult | undefined, account: string, basisWas: bigint | undefined, paid: bigint, adjustment: bigint, f: Formatter): Recheck {
  const now = a?.measure.basis ?? 0n;
  return {
    period,
    account,
    basisWas: f.money(basisWas ?? now),
    basisNow: f.money(now),
    paid: f.money(paid),
    earnedNow: f.money(a?.earned ?? 0n),
    adjustment: f.money(adjustment),
  };
}
