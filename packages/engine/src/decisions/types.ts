/** Result types shared by rule sets and decision tables. */
import type { ConditionTrace } from "../conditions/compile.js";
import type { EvaluationWarning } from "../core/context.js";

/** A rule that matched, with the output it produced. */
export interface MatchedRule {
  /** 0-based position of the rule in the document. */
  index: number;
  /** The rule's id (`rules[i].id`, or `"row-<i+1>"` for unnamed table rows). */
  id: string;
  output: Record<string, unknown>;
}

/** Trace of one rule of a rule set. */
export interface RuleTrace {
  index: number;
  id: string;
  matched: boolean;
  /** Absent when the rule has no `when`. */
  condition?: ConditionTrace | undefined;
}

/** Trace of one cell test of a decision table row. */
export interface CellTrace {
  input: string;
  test: string;
  actual: unknown;
  passed: boolean;
  /** Set when the cell's comparison met a missing or null input (and so failed). */
  warnings?: EvaluationWarning[] | undefined;
}

/** Trace of one decision table row. */
export interface RowTrace {
  index: number;
  id: string;
  matched: boolean;
  cells: CellTrace[];
}

/** What evaluating a rule set or decision table returns. */
export interface DecisionResult {
  kind: "ruleset" | "decision-table";
  /** The id and version that decided. */
  id: string;
  version: number;
  /** The evaluation time used, ISO-8601 UTC. */
  at: string;
  /** The hit policy applied. */
  hitPolicy: string;
  /**
   * The decision: one output object for single-hit policies (`null` when no
   * rule matched), a list of output objects for `collect` / `ruleOrder`, or
   * one aggregated object for `collect` with an aggregation.
   */
  output: Record<string, unknown> | Record<string, unknown>[] | null;
  /** Every rule that matched, in document order (for `first`, only the winner). */
  matched: MatchedRule[];
  /** Present when `trace: true` was asked for. */
  trace?: { inputs?: Record<string, unknown>; rules: (RuleTrace | RowTrace)[] } | undefined;
  /**
   * Comparisons that met a missing or null value and were therefore false
   * (`score < 60` with no score), each with its code, definition path and a
   * message. Empty when there were none. A host should log or surface them:
   * a rule that did not fire for lack of data looks like a rule that did not apply.
   */
  warnings: EvaluationWarning[];
}
