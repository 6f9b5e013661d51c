/** `analyzeDefinition`: static analysis of one definition document. */
import { ArgumentError, ValidationError } from "../../core/errors.js";
import { KIND_SPECS } from "../../definitions.js";
import { localizeIssues } from "../../i18n/issues.js";
import { resolveLocale } from "../../i18n/locale.js";
import { definitionTimeOf } from "../../kinds/definition-time.js";
import { isDocumentObject, notADefinitionIssue } from "../../kinds/pipeline.js";
import { fromZodIssues } from "../../schema/issues.js";
import { parseInstant } from "../../expr/values.js";
import type { DecisionTableDocument } from "../../schema/decision-table.js";
import type { PromotionDocument } from "../../schema/promotion.js";
import type { RebateDocument } from "../../schema/rebate.js";
import type { RuleSetDocument } from "../../schema/ruleset.js";
import type { WorkflowDocument } from "../../schema/workflow.js";
import { analyzeDecisionTable } from "./decision-table.js";
import { analyzePromotion, analyzeRebate, analyzeWorkflow, builtinCalendar, checkCalendarEnd, type Directory } from "./domains.js";
import { Report } from "./report.js";
import { analyzeRuleSet } from "./rules.js";
import { FINDING_CODES, type AnalysisCoverage, type AnalysisResult, type AnalyzeOptions, type FindingCode } from "./types.js";

/** Options of {@link analyzeDefinition} with a role directory for workflows. */
export interface AnalyzeDefinitionOptions extends AnalyzeOptions {
  /** Who holds each role, when known: an approval whose role has no one is reported. */
  directory?: Directory | undefined;
}

function timeOf(at: string | Date | undefined): number {
  if (at === undefined) return Date.now();
  const ms = parseInstant(at);
  if (ms === undefined) throw new ArgumentError("at", `expected an ISO-8601 time such as "2026-11-15T00:00:00+08:00" or a Date, got ${JSON.stringify(at)}`);
  return ms;
}

/** Find a definition by id in `definitions`: a lookup (registry) or a plain record of documents. */
function lookup(definitions: AnalyzeOptions["definitions"], id: string, at: number): unknown {
  if (!definitions) return undefined;
  if (typeof (definitions as { resolve?: unknown }).resolve === "function") {
    try {
      const d = (definitions as { resolve(id: string, at?: string | Date): unknown }).resolve(id, new Date(at));
      return (d as { document?: unknown }).document ?? d;
    } catch {
      return undefined;
    }
  }
  return Object.hasOwn(definitions, id) ? (definitions as Record<string, unknown>)[id] : undefined;
}

const ORDER = { error: 0, warning: 1, info: 2 } as const;

/**
 * Statically analyse one definition document: every finding with its code,
 * severity, JSON path, message and, where one exists, a witness (facts that
 * show it when the definition is evaluated with them).
 *
 * - decision tables: overlapping rows (`unique`, `any` with different
 *   outputs), gaps, rows that never win (`first`, `priority`), outputs
 *   outside `allowedValues`;
 * - rule sets: rules shadowed by rules that win before them, conditions that
 *   can never hold;
 * - promotions: an eligibility that can never hold, a budget smaller than one
 *   benefit; rebates: tier rates that fall as tiers rise, modifiers that can
 *   never apply;
 * - workflows: unreachable nodes, nodes with no path to an end, approvals that
 *   resolve to no one, escalation steps after a step that already decides;
 * - calendars (and definitions naming one): holiday data that ends within 60
 *   days of `at`.
 *
 * Numbers (exact decimals), dates and enumerations of the unary-test and
 * condition languages are reasoned about exactly. A part beyond the analysis
 * (a function call, arithmetic on facts, a comparison between facts) gets an
 * `info` finding `beyond-analysis` at its path and is listed in
 * `coverage.notAnalysed`; `coverage.noGaps` is only true when proven.
 *
 * @param document - a definition document (parsed JSON)
 * @param options - `at`, `definitions`, `locale`, `accept`, `directory`
 * @returns the findings, errors first, and what the analysis covered
 * @throws {@link ValidationError} when the document does not have the shape of its kind (each issue names its JSON path)
 * @throws {@link ArgumentError} for a bad option
 * @example
 * ```ts
 * import { analyzeDefinition } from "@ruleflow/engine/analysis";
 * const { findings } = analyzeDefinition(table, { locale: "zh-CN" });
 * for (const f of findings) console.log(f.severity, f.pathText, f.message, f.witness?.facts);
 * ```
 */
export function analyzeDefinition(document: unknown, options: AnalyzeDefinitionOptions = {}): AnalysisResult {
  const locale = resolveLocale(options.locale);
  const atMs = timeOf(options.at);
  for (const [i, code] of (options.accept ?? []).entries()) {
    if (!(FINDING_CODES as readonly string[]).includes(code)) throw new ArgumentError(`accept[${i}]`, `expected a finding code (${FINDING_CODES.join(", ")}), got ${JSON.stringify(code)}`);
  }
  if (!isDocumentObject(document)) throw new ValidationError(localizeIssues([notADefinitionIssue(document)], locale), "definition", locale);
  const kind = (document as { kind?: unknown }).kind;
  const spec = KIND_SPECS.find((s) => s.kind === kind);
  if (!spec) {
    throw new ValidationError(
      [{ code: "invalid_kind", path: ["kind"], message: `expected one of ${KIND_SPECS.map((s) => JSON.stringify(s.kind)).join(", ")}, got ${JSON.stringify(kind) ?? "nothing"}` }],
      "definition",
      locale,
    );
  }
  const time = definitionTimeOf(spec, document);
  const parsed = time.parse(() => spec.schema.safeParse(document, { reportInput: true }));
  if (!parsed.success) throw new ValidationError(localizeIssues(fromZodIssues(parsed.error.issues), locale), "definition", locale);
  const doc = parsed.data as Record<string, unknown>;
  const report = new Report(locale, new Set<FindingCode>(options.accept ?? []));
  const maxGaps = options.maxGaps ?? 10;
  const maxOverlaps = options.maxOverlaps ?? 20;

  const coverage = time.parse((): AnalysisCoverage | undefined => {
    switch (spec.kind) {
      case "decision-table":
        return analyzeDecisionTable(doc as unknown as DecisionTableDocument, report, { maxGaps, maxOverlaps });
      case "ruleset":
        return analyzeRuleSet(doc as unknown as RuleSetDocument, report);
      case "promotion":
        return analyzePromotion(doc as unknown as PromotionDocument, report);
      case "rebate":
        return analyzeRebate(doc as unknown as RebateDocument, report);
      case "workflow":
        return analyzeWorkflow(doc as unknown as WorkflowDocument, report, options.directory);
      default:
        return undefined;
    }
  });

  if (spec.kind === "calendar") {
    const id = typeof doc["id"] === "string" ? doc["id"] : "";
    checkCalendarEnd(report, doc["coverage"] !== undefined ? ["coverage", "to"] : ["extends"], id, doc, atMs);
  } else if (typeof doc["calendar"] === "string") {
    const id = doc["calendar"];
    const cal = lookup(options.definitions, id, atMs) ?? builtinCalendar(id);
    if (cal !== undefined) checkCalendarEnd(report, ["calendar"], id, cal, atMs);
  }

  const findings = report.findings.map((f, i) => ({ f, i })).sort((a, b) => ORDER[a.f.severity] - ORDER[b.f.severity] || a.i - b.i).map(({ f }) => f);
  return {
    kind: spec.kind,
    id: typeof doc["id"] === "string" ? doc["id"] : "",
    version: typeof doc["version"] === "number" ? doc["version"] : undefined,
    at: new Date(atMs).toISOString(),
    findings,
    ...(coverage ? { coverage } : {}),
  };
}
