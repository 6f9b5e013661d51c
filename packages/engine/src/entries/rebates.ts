/**
 * `@ruleflow/engine/rebates`: settle a rebate program over a period's order
 * lines into a statement (tiers, modifiers, adjustments of earlier periods,
 * breakdowns), the rebate schema and its option lists, and the explainer
 * that renders a statement as text.
 *
 * `compileRebate` (one program version) is in the root entry,
 * `@ruleflow/engine`.
 *
 * @example
 * ```ts
 * import { explainStatement, settleRebates } from "@ruleflow/engine/rebates";
 *
 * const statement = settleRebates({ program: [v3, v4], lines, period: "2026-02" });
 * console.log(explainStatement(statement, { locale: "zh-CN" }));
 * ```
 *
 * @packageDocumentation
 */

export { settleRebates, createRebateSettlement } from "../rebates/settle.js";
export type { RebateSettlement, RebateSettlementOptions } from "../rebates/settle.js";
export { statementLines, statementLineCount, statementJson } from "../rebates/lazy-lines.js";
export { parseOrderLines, createOrderLinesReader } from "../rebates/order-lines.js";
export type { ParseOrderLinesOptions, OrderLinesFormat, OrderLinesReader, OrderLinesReaderOptions } from "../rebates/order-lines.js";
export type { SettleOptions } from "../rebates/settle.js";
export type { CompiledRebate } from "../rebates/program.js";
export type { RebateQuote } from "../rebates/quote.js";
export type { AppliedModifier } from "../rebates/modifiers.js";
export type { BandResult, TierPosition } from "../rebates/tiers.js";
export type { RebateStatement, StatementLine, AdjustmentLine, StatementAccount, Recheck, BreakdownRow, RebateWarning } from "../rebates/statement.js";
export { rebateSchema, REBATE_MODES, TIER_MEASURES, REBATE_PERIODS } from "../schema/rebate.js";
export type { RebateDefinition, RebateDocument, RebateTier, RebateModifier } from "../schema/rebate.js";
export { explainStatement } from "../rebates/describe.js";
export type { ExplainStatementOptions } from "../rebates/describe.js";
