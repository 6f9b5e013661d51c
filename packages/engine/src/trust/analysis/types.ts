/** The shapes static analysis returns. */
import type { DefinitionLookup } from "../../core/context.js";

/** Every code a {@link Finding} can carry. docs/analysis.md describes each. */
export const FINDING_CODES = [
  "overlap",
  "gap",
  "unreachable-row",
  "output-not-allowed",
  "shadowed-rule",
  "never-holds",
  "contradictory-eligibility",
  "budget-below-benefit",
  "tier-rate-falls",
  "modifier-never-applies",
  "unreachable-node",
  "no-path-to-end",
  "no-approver",
  "escalation-after-decision",
  "calendar-ends-soon",
  "beyond-analysis",
] as const;

/** One of {@link FINDING_CODES}. */
export type FindingCode = (typeof FINDING_CODES)[number];

/** How serious a finding is: `error` means the definition misbehaves for some input; `warning` likely does; `info` is a note. */
export type FindingSeverity = "error" | "warning" | "info";

/** Facts that show a finding when the definition is evaluated with them. */
export interface Witness {
  /** The facts to evaluate with. Inputs beyond the analysis are left out (see `partial`). */
  facts: Record<string, unknown>;
  /** The value of each decision table input (by input id) at this point. */
  inputs?: Record<string, unknown> | undefined;
  /** True when some inputs or facts could not be given (they were beyond the analysis). */
  partial?: true | undefined;
  /** What evaluating with these facts shows: the rows or rules that match, or the one that wins. */
  matches?: string[] | undefined;
  /** The rule or row that wins at this point (shadowing, unreachable rows). */
  winner?: string | undefined;
}

/**
 * One finding. The fields `code`, `severity`, `path`, `message` and `witness`
 * are the shape `<rf-decision-table-editor>`'s `findings` property takes.
 */
export interface Finding {
  /** Stable code, one of {@link FINDING_CODES}. */
  code: FindingCode;
  severity: FindingSeverity;
  /** JSON path segments into the document (`["rules", 2, "amount"]`). */
  path: (string | number)[];
  /** The path as text: `rules[2].amount`. */
  pathText: string;
  /** What is wrong, in the locale asked for. */
  message: string;
  /** Catalogue key of the message (`analysis.<key>`) and its parameters, to render it in another locale. */
  messageKey: string;
  params: Record<string, string | number>;
  /** Facts that show the finding, where there are such facts. */
  witness?: Witness | undefined;
  /** Other paths involved (the other row of an overlap, the shadowing rule). */
  related?: (string | number)[][] | undefined;
}

/** What the analysis could and could not prove about one definition. */
export interface AnalysisCoverage {
  /** True when every input, cell and condition was within the analysis, so "no gaps" and "no overlaps" are proven. */
  complete: boolean;
  /** Decision table inputs (ids) whose expression or cells were beyond the analysis. */
  inputsNotAnalysed: string[];
  /** Paths of rows, rules, conditions or cells the analysis could not reason about. */
  notAnalysed: string[];
  /** Set for decision tables: true when no gap was found and `complete` (every combination of inputs matches a row). */
  noGaps?: boolean | undefined;
  /** Set for decision tables and rule sets with a single-hit policy: true when no overlap was found and `complete`. */
  noOverlaps?: boolean | undefined;
}

/** Result of {@link analyzeDefinition}. */
export interface AnalysisResult {
  kind: string;
  id: string;
  version: number | undefined;
  /** The time the checks that depend on it (calendar data) were made at, ISO-8601 UTC. */
  at: string;
  findings: Finding[];
  coverage?: AnalysisCoverage | undefined;
}

/** Options of {@link analyzeDefinition}. */
export interface AnalyzeOptions {
  /** The time of the check (calendar data ending soon). Default: now. */
  at?: string | Date | undefined;
  /** Other definitions by id: calendars, decision tables a workflow routes on. Documents or compiled definitions. */
  definitions?: DefinitionLookup | Readonly<Record<string, unknown>> | undefined;
  /** Locale of the messages: `en` (default) or `zh-CN`. */
  locale?: string | undefined;
  /** Finding codes the author declared as intended (e.g. `"tier-rate-falls"`): they are left out. */
  accept?: readonly FindingCode[] | undefined;
  /** Most gaps reported per table (default 10). */
  maxGaps?: number | undefined;
  /** Most overlaps reported per table (default 20). */
  maxOverlaps?: number | undefined;
}
