/**
 * Evaluation warnings: things that did not stop an evaluation but that the
 * host should see, such as a comparison that met a missing value and was
 * therefore false. Every decision and promotion result lists them.
 */
import { DecimalValue } from "./decimal-value.js";

/** Codes of {@link EvaluationWarning}s. */
export type EvaluationWarningCode = "missing_value";

/** Something an evaluation met that made a comparison false without an error. */
export interface EvaluationWarning {
  /** `missing_value`: an ordering or date comparison met a missing or null value, so it was false. */
  code: EvaluationWarningCode;
  /** Where in the definition, e.g. `rules[2].when.all[0]` or `rules[0].amount` (a table cell). */
  path: string;
  /** What happened, e.g. `order.amount is missing, so "gt 50000" is false`. */
  message: string;
}

/** Where warnings are collected while an evaluation runs. @internal */
export interface WarningSink {
  warnings?: EvaluationWarning[] | undefined;
}

/** Record a warning on the scope (creates the list on first use). @internal */
export function pushWarning(sink: WarningSink, code: EvaluationWarningCode, path: string, message: string): void {
  (sink.warnings ??= []).push({ code, path, message });
}

/** The warnings recorded since `from`, each once, in order. @internal */
export function warningsSince(sink: WarningSink, from: number): EvaluationWarning[] {
  const list = sink.warnings;
  if (list === undefined || list.length <= from) return [];
  const out: EvaluationWarning[] = [];
  for (let i = from; i < list.length; i++) {
    const w = list[i]!;
    if (!out.some((o) => o.code === w.code && o.path === w.path && o.message === w.message)) out.push(w);
  }
  return out;
}

/** Describe a value that met a comparison for a warning or error message. @internal */
export function describeOperand(v: unknown): string {
  if (v === undefined) return "missing";
  if (v === null) return "null";
  if (typeof v === "string") return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  if (typeof v === "number" || typeof v === "boolean") return `${typeof v} ${String(v)}`;
  if (typeof v === "bigint") return `bigint ${v}n`;
  if (Array.isArray(v)) return "an array";
  if (v instanceof DecimalValue) return `decimal ${v.toString()}`;
  return typeof v === "object" ? "an object" : typeof v;
}
