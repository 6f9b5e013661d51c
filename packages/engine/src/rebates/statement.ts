/**
 * The settlement statement: plain JSON (amounts are decimal strings), so it
 * can be stored, sent and fed back as `previous` to the next settlement.
 * A closed statement is never rewritten; later changes arrive as adjustment
 * lines in a later statement.
 */
import type { AppliedModifier } from "./modifiers.js";

/**
 * A warning met while reading one order line: a modifier condition, a
 * modifier's decision table or `basis.where` compared a missing or null value,
 * so the comparison was false (a modifier silently off, a line left out).
 */
export interface RebateWarning extends EvaluationWarning {
  /** The order line's position in the input, from 1 (in a quote: in `lines`). */
  line: number;
  /** The line's key (`SO-1001/1`; in a quote `#1`, `#2`, ...). */
  key: string;
  /**
   * `path` is where in the program: `modifiers[0].when`, `basis.where`, or
   * `modifiers[1].multiply` for a decision table; the table's id, version and
   * the place in the table (`rules[0].rate`) are here.
   */
  table?: { id: string; version: number; path: string } | undefined;
}
import type { BandResult, TierPosition } from "./tiers.js";
import type { EvaluationWarning } from "../core/context.js";

/** One order line of a statement. */
export interface StatementLine {
  /** The line's key (lineKey values joined with `/`). */
  key: string;
  account: string;
  /** Order time, ISO-8601 UTC. */
  date: string;
  /** The program version effective at the order time, which priced the line. */
  version: number;
  /** The line's basis amount. */
  basis: string;
  volume?: string | undefined;
  /** The tier the account reached on this version's ladder; null below the first tier. */
  tier: { index: number; name?: string | undefined; rate: string } | null;
  /** The version's rate for the account before modifiers (the tier rate, or the blended incremental rate). */
  baseRate: string;
  modifiers: AppliedModifier[];
  /** The line's rate after modifiers. */
  rate: string;
  /** What the line earns for its period, after rounding and cap allocation. */
  amount: string;
  /** What earlier statements already paid for this line and period. */
  paid: string;
  /** `amount - paid`: what this statement pays (negative: claws back). */
  due: string;
  /** Set when the line no longer counts (returned, filtered out): it earns nothing now. */
  excluded?: string | undefined;
  dims?: Record<string, unknown> | undefined;
}

/** A change to a line of an earlier, closed period. */
export interface AdjustmentLine extends StatementLine {
  /** The earlier period the adjustment belongs to. */
  period: string;
  /** `clawback` takes money back, `true-up` pays more, `restated` records a change that moves no money. */
  type: "clawback" | "true-up" | "restated";
  reason: string;
}

/** One account of the statement's period. */
export interface StatementAccount {
  account: string;
  basis: string;
  volume?: string | undefined;
  /** Prior-period basis (growth tiers). */
  prior?: string | undefined;
  lines: number;
  /** Per program version with lines in the period: the tier reached, bands, and the next tier. */
  tiers: {
    version: number;
    tierBy: string;
    mode: string;
    reached: TierPosition;
    baseRate: string;
    bands?: BandResult[] | undefined;
    next: { index: number; name?: string | undefined; from: string; rate: string; remaining: string; remainingOf: "amount" | "volume" } | null;
  }[];
  /** Exact total before rounding. */
  exact: string;
  earned: string;
  capped: boolean;
  cap?: string | undefined;
  paid: string;
  due: string;
}

/** An earlier period recomputed because its lines changed. */
export interface Recheck {
  period: string;
  account: string;
  basisWas: string;
  basisNow: string;
  paid: string;
  earnedNow: string;
  adjustment: string;
}

/** Totals of one breakdown value. */
export interface BreakdownRow {
  value: unknown;
  lines: number;
  basis: string;
  earned: string;
  due: string;
  adjustments: string;
  payable: string;
}

/** A settlement statement. */
export interface RebateStatement {
  kind: "rebate-statement";
  program: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  settledAt: string;
  /** True when settled before the period ended (lines after `settledAt` are not in it). */
  partial: boolean;
  /** 1 for the first statement of the period, 2 for the next (a true-up), ... */
  sequence: number;
  currency?: string | undefined;
  /** Program versions that priced lines of the period: a mid-period change shows here and on each line. */
  versions: { version: number; effective: { from?: string | undefined; to?: string | undefined }; lines: number; basis: string; earned: string }[];
  accounts: StatementAccount[];
  lines: StatementLine[];
  adjustments: AdjustmentLine[];
  rechecks: Recheck[];
  /** Lines of the period that do not count and were never paid, with why. */
  excluded: { key: string; reason: string; version?: number | undefined }[];
  totals: { basis: string; earned: string; paid: string; due: string; adjustments: string; payable: string };
  /** Totals per breakdown dimension value. */
  breakdown: Record<string, BreakdownRow[]>;
  /**
   * Comparisons that met a missing or null value while this settlement read
   * the order lines (modifier conditions and tables, `basis.where`), each
   * naming its line; empty when there were none.
   */
  warnings: RebateWarning[];
}
