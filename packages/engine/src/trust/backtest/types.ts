/**
 * What a backtest reports: plain JSON (amounts are decimal strings at the
 * currency's scale), so the CLI prints it and the HTML report reads it.
 */

/** Money of one thing under each version. */
export interface MoneyDiff {
  baseline: string;
  candidate: string;
  /** `candidate - baseline`, exactly. */
  difference: string;
}

/** Money of one account (or unit) under each version. */
export interface AccountDiff extends MoneyDiff {
  account: string;
}

/** Money of one value of a `by` dimension under each version. */
export interface DimensionDiff extends MoneyDiff {
  /** The value at the fact path (`"(none)"` when the line has none; other than text: its JSON). */
  value: string;
}

/** One side of a changed decision. */
export interface DecisionSide {
  version: number;
  output: unknown;
  /** The engine's `explainDecision` of the traced result. */
  explanation: string;
}

/** A history line whose decision differs between the versions. */
export interface ChangedDecision {
  /** The line's number in the history, from 1. */
  line: number;
  baseline: DecisionSide;
  candidate: DecisionSide;
}

/** The decisions of one rule set or decision table. */
export interface DecisionDiff {
  id: string;
  kind: "ruleset" | "decision-table";
  /** Lines evaluated on both sides. */
  evaluated: number;
  /** Lines whose output differs. */
  changed: number;
  /** How outputs changed: each distinct pair with its count, most frequent first (at most 50 pairs). */
  transitions: { baseline: unknown; candidate: unknown; count: number }[];
  /** The first changed lines, with both explanations. */
  examples: ChangedDecision[];
  errors: BacktestErrors;
}

/** Evaluation errors on each side: counts and the first message. */
export interface BacktestErrors {
  baseline: number;
  candidate: number;
  first?: { line: number; side: "baseline" | "candidate"; message: string } | undefined;
}

/** A rebate program's payouts, settled per period under each version. */
export interface RebateDiff {
  id: string;
  currency?: string | undefined;
  totals: MoneyDiff;
  /** Per settled period (each settled on its own with `settleRebates`), in time order. */
  periods: (MoneyDiff & { period: string })[];
  /** Per account, largest difference first (by absolute value), then by account. */
  accounts: AccountDiff[];
  /** Per `by` fact path: per value, largest difference first. */
  by: Record<string, DimensionDiff[]>;
}

/** One version's replay of a promotion. */
export interface PromotionSide {
  /** Claims reserved. */
  claims: number;
  /** What the reserved claims cost. */
  cost: string;
  /** Claims refused because the budget was reached. */
  refusedForBudget: number;
  /** Claims refused by another limit (per store, per customer, uses) or as a duplicate. */
  refusedOther: number;
  /** The first line whose claim was refused for the budget: the time the budget ran out; null when it never did. */
  budgetRunsOut: { line: number; at: string } | null;
}

/** A promotion's cost, claims and budget under each version. */
export interface PromotionDiff {
  id: string;
  currency?: string | undefined;
  baseline: PromotionSide;
  candidate: PromotionSide;
  /** Cost under each version. */
  cost: MoneyDiff;
  /** Cost per account (the `account` fact path), largest difference first. */
  accounts: AccountDiff[];
  by: Record<string, DimensionDiff[]>;
}

/** A unit whose variant changes. */
export interface ChangedUnit {
  line: number;
  unit: string | null;
  baseline: { version: number; variant: string; reason: string };
  candidate: { version: number; variant: string; reason: string };
}

/** A rollout's assignments under each version. */
export interface RolloutDiff {
  id: string;
  evaluated: number;
  /** Lines whose variant differs. */
  changed: number;
  /** Distinct units whose variant differs on at least one line. */
  changedUnits: number;
  transitions: { baseline: string; candidate: string; count: number }[];
  /** The first changed lines. */
  examples: ChangedUnit[];
  errors: BacktestErrors;
}

/** An account that is better or worse off under the candidate. */
export interface MoneyMove extends AccountDiff {
  kind: "rebate" | "promotion";
  definition: string;
  currency?: string | undefined;
}

/** The report of {@link createBacktest}. */
export interface BacktestReport {
  kind: "backtest";
  /** History lines read. */
  lines: number;
  /** The `by` fact paths. */
  by: string[];
  definitions: { compared: string[]; onlyInBaseline: string[]; onlyInCandidate: string[] };
  decisions: DecisionDiff[];
  rebates: RebateDiff[];
  promotions: PromotionDiff[];
  rollouts: RolloutDiff[];
  /** Accounts better off under the candidate, largest gain first (at most `maxRows`). */
  winners: MoneyMove[];
  /** Accounts worse off under the candidate, largest loss first (at most `maxRows`). */
  losers: MoneyMove[];
}
