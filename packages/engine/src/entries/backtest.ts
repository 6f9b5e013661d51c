/**
 * `@ruleflow/engine/backtest`: replay history through two versions of the
 * definitions (the baseline in force and a candidate) and see what would have
 * changed: decisions with both explanations, rebate payouts per period,
 * account and dimension to the cent, promotion cost, claims and the date each
 * budget runs out, rollout units that change variant, and the winners and
 * losers. Lines are fed one at a time and only aggregates are kept, so a
 * history of millions of lines needs little memory. Reports render as text
 * tables or as one self-contained HTML page.
 *
 * @example
 * ```ts
 * import { createBacktest, createHistoryReader, explainBacktest } from "@ruleflow/engine/backtest";
 *
 * const backtest = createBacktest({ baseline, candidate, by: ["customer.region"] });
 * const reader = createHistoryReader({ source: "history.jsonl" });
 * let n = 0;
 * for (const text of lines) {
 *   const facts = reader.line(text, ++n);
 *   if (facts !== undefined) await backtest.add(facts, n);
 * }
 * console.log(explainBacktest(await backtest.finish()));
 * ```
 *
 * @packageDocumentation
 */

export { createBacktest, runBacktest } from "../trust/backtest/run.js";
export type { Backtest, BacktestOptions } from "../trust/backtest/run.js";
export { createHistoryReader } from "../trust/backtest/history.js";
export type { HistoryReader, HistoryFormat } from "../trust/backtest/history.js";
export { explainBacktest } from "../trust/backtest/text.js";
export type { ExplainBacktestOptions } from "../trust/backtest/text.js";
export { backtestHtml } from "../trust/backtest/html.js";
export type { BacktestHtmlOptions } from "../trust/backtest/html.js";
export type {
  BacktestReport,
  BacktestErrors,
  MoneyDiff,
  AccountDiff,
  DimensionDiff,
  DecisionDiff,
  DecisionSide,
  ChangedDecision,
  RebateDiff,
  PromotionDiff,
  PromotionSide,
  RolloutDiff,
  ChangedUnit,
  MoneyMove,
} from "../trust/backtest/types.js";
