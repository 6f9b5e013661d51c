/**
 * Evaluation warnings: things that did not stop an evaluation but that the
 * host should see, such as a comparison that met a missing value and was
 * therefore false. Every decision and promotion result lists them.
 */
import type { MessageParams } from "../i18n/catalogue.js";
import { renderMessage } from "../i18n/issues.js";
import { warningMessages, type WarningKey } from "../i18n/messages/warnings.js";
import { DecimalValue } from "../core/decimal.js";

import type { EvaluationWarning } from "../core/context.js";
import type { EvaluationWarningCode } from "../core/errors.js";

/** Where warnings are collected while an evaluation runs. @internal */
export interface WarningSink {
  warnings?: EvaluationWarning[] | undefined;
}

/**
 * Record a warning whose message comes from the warnings catalogue: the
 * message is written in English, and the key and parameters are kept so an
 * explanation can write it in another locale. Creates the list on first use.
 * @internal
 */
export function pushKeyedWarning(sink: WarningSink, code: EvaluationWarningCode, path: string, key: WarningKey, params: MessageParams): void {
  (sink.warnings ??= []).push(keyedWarning(code, path, key, params));
}

/** A warning from the warnings catalogue (see {@link pushKeyedWarning}). @internal */
export function keyedWarning(code: EvaluationWarningCode, path: string, key: WarningKey, params: MessageParams): EvaluationWarning {
  return { code, path, message: renderMessage(warningMessages, "en", key, params), messageKey: `warnings.${key}`, params };
}

/**
 * The parameters that fill `{name}` with a value as {@link describeOperand}
 * writes it, the words (missing, an array, an object) in the message's locale.
 * @internal
 */
export function operandParams(name: string, v: unknown): MessageParams {
  if (v === undefined) return { [`${name}@`]: "operandMissing" };
  if (Array.isArray(v)) return { [`${name}@`]: "operandArray" };
  if (v !== null && typeof v === "object" && !(v instanceof DecimalValue)) return { [`${name}@`]: "operandObject" };
  return { [name]: describeOperand(v) };
}

/**
 * The parameters that fill `{name}` with "is missing" or "is <value>" (see
 * {@link operandParams}), in the message's locale. @internal
 */
export function isParams(name: string, v: unknown): MessageParams {
  return v === undefined ? { [`${name}@`]: "isMissing" } : { [`${name}@`]: "isValue", ...operandParams("value", v) };
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
