/**
 * Type tests of `@ruleflow/engine/backtest` against the built declarations
 * (see engine.test-d.ts).
 */
import { expectTypeOf } from "expect-type";
import {
  backtestHtml,
  createBacktest,
  createHistoryReader,
  explainBacktest,
  runBacktest,
  type Backtest,
  type BacktestReport,
  type HistoryReader,
  type MoneyDiff,
} from "@ruleflow/engine/backtest";

expectTypeOf(createBacktest).returns.toEqualTypeOf<Backtest>();
expectTypeOf(createBacktest).toBeCallableWith({ baseline: [], candidate: [], by: ["customer.region"], time: "order.date", at: new Date(), locale: "zh-CN" });
// @ts-expect-error the candidate is required
createBacktest({ baseline: [] });
expectTypeOf<Backtest["add"]>().returns.toEqualTypeOf<Promise<void>>();
expectTypeOf<Backtest["finish"]>().returns.toEqualTypeOf<Promise<BacktestReport>>();
expectTypeOf(runBacktest).returns.toEqualTypeOf<Promise<BacktestReport>>();
expectTypeOf(createHistoryReader).returns.toEqualTypeOf<HistoryReader>();
expectTypeOf(createHistoryReader).toBeCallableWith({ source: "history.csv", format: "csv" });
expectTypeOf(explainBacktest).returns.toEqualTypeOf<string>();
expectTypeOf(backtestHtml).returns.toEqualTypeOf<string>();
expectTypeOf<BacktestReport["rebates"][number]["totals"]>().toEqualTypeOf<MoneyDiff>();
expectTypeOf<MoneyDiff["difference"]>().toEqualTypeOf<string>();
