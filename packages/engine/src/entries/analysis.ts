/**
 * `@ruleflow/engine/analysis`: static analysis of definitions before they go
 * live. {@link analyzeDefinition} finds overlapping, missing and unreachable
 * decision table rows, shadowed rules and conditions that can never hold,
 * contradictory promotions and budgets smaller than one benefit, falling
 * rebate tiers and modifiers that never apply, unreachable workflow nodes,
 * approvals to no one, and calendars whose data ends soon; each finding with
 * a JSON path and, where one exists, a witness: facts that show it.
 *
 * @example
 * ```ts
 * import { analyzeDefinition } from "@ruleflow/engine/analysis";
 *
 * const result = analyzeDefinition(tableDocument, { at: "2026-11-15T00:00:00Z" });
 * for (const f of result.findings) console.log(f.severity, f.pathText, f.message, f.witness?.facts);
 * console.log(result.coverage?.noGaps); // true only when proven
 * ```
 *
 * @packageDocumentation
 */
export { analyzeDefinition } from "../trust/analysis/analyze.js";
export type { AnalyzeDefinitionOptions } from "../trust/analysis/analyze.js";
export type { Directory } from "../trust/analysis/domains.js";
export { FINDING_CODES } from "../trust/analysis/types.js";
export type { AnalysisCoverage, AnalysisResult, AnalyzeOptions, Finding, FindingCode, FindingSeverity, Witness } from "../trust/analysis/types.js";
