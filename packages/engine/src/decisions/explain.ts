/** Plain-text explanations of traces, for logs, CLIs and support staff. */
import type { ConditionTrace } from "../conditions/compile.js";
import { formatMessage, type MessageParams } from "../i18n/catalogue.js";
import { localizeIssue } from "../i18n/issues.js";
import { resolveLocale, type Locale } from "../i18n/locale.js";
import { explainMessages } from "../i18n/messages/explain.js";
import type { DecisionResult } from "./types.js";

/** Options of the explanation renderers. */
export interface ExplainOptions {
  /** Language of the explanation: `en` (default) or `zh-CN`. Labels, ids and values stay as written. */
  locale?: string | undefined;
}

type ExplainKey = keyof (typeof explainMessages)["messages"]["en"];
const say = (locale: Locale, key: ExplainKey, params?: MessageParams): string => formatMessage(explainMessages, locale, key, params);

/** An operator in words (`≥` in English, `大于等于` in Chinese); an unknown one as written. @internal */
export function operatorWords(op: string, locale: Locale = "en"): string {
  const key = `op_${op}`;
  return Object.hasOwn(explainMessages.messages.en, key) ? say(locale, key as ExplainKey) : op;
}

const show = (v: unknown, locale: Locale = "en"): string => (v === undefined ? say(locale, "missing") : render(v, 0, []));

const MAX_ITEMS = 50;
const MAX_DEPTH = 8;

/**
 * JSON-like text for any value a host may pass as facts: never throws.
 * Cycles print as [Circular], BigInts as `12n`, functions as [function],
 * long arrays and objects are cut after 50 entries, nesting after 8 levels.
 */
function render(v: unknown, depth: number, stack: object[]): string {
  switch (typeof v) {
    case "string":
      return JSON.stringify(v);
    case "number":
    case "boolean":
      return String(v);
    case "bigint":
      return `${v}n`;
    case "undefined":
      return "null";
    case "function":
      return "[function]";
    case "symbol":
      return "[symbol]";
  }
  if (v === null) return "null";
  const o = v as object;
  if (stack.includes(o)) return "[Circular]";
  if (depth >= MAX_DEPTH) return Array.isArray(o) ? "[…]" : "{…}";
  try {
    if (o instanceof Date) return Number.isNaN(o.getTime()) ? "null" : JSON.stringify(o.toISOString());
    const toJSON = (o as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return render(toJSON.call(o), depth + 1, [...stack, o]);
    const inner = [...stack, o];
    if (Array.isArray(o)) {
      const items = o.slice(0, MAX_ITEMS).map((x: unknown) => render(x, depth + 1, inner));
      if (o.length > MAX_ITEMS) items.push(`… ${o.length - MAX_ITEMS} more`);
      return `[${items.join(",")}]`;
    }
    const keys = Object.keys(o);
    const parts: string[] = [];
    for (const k of keys.slice(0, MAX_ITEMS)) {
      const x = (o as Record<string, unknown>)[k];
      if (x === undefined || typeof x === "function" || typeof x === "symbol") continue;
      parts.push(`${JSON.stringify(k)}:${render(x, depth + 1, inner)}`);
    }
    if (keys.length > MAX_ITEMS) parts.push(`… ${keys.length - MAX_ITEMS} more`);
    return `{${parts.join(",")}}`;
  } catch (e) {
    // A getter or proxy of the host threw while being shown.
    return `[unreadable: ${e instanceof Error ? e.message : String(e)}]`;
  }
}

type WarningLike = { code?: string; message: string; messageKey?: string | undefined; params?: MessageParams | undefined };

/** A warning's message in the locale: from its catalogue key when it has one, else the English message in a sentence of the locale. */
function warningText(w: WarningLike, locale: Locale): string {
  if (locale !== "en" && w.messageKey !== undefined) {
    const issue = { code: w.code ?? "warning", path: [], message: w.message, messageKey: w.messageKey, params: w.params ?? {} };
    const localized = localizeIssue(issue, locale).message;
    if (localized !== w.message) return localized;
  }
  return w.code === "missing_value" ? say(locale, "warning_missing_value", { message: w.message }) : w.message;
}

function warningLines(warnings: readonly WarningLike[] | undefined, indent: string, locale: Locale, error?: string): string[] {
  const lines = warnings ? warnings.map((w) => `${indent}  ⚠ ${warningText(w, locale)}`) : [];
  // Only nodes past the decision carry an error: evaluating stopped before them.
  if (error !== undefined) lines.push(`${indent}  ⚠ ${say(locale, "pastDecision", { error })}`);
  return lines;
}

/**
 * Explain a condition trace as indented lines, one per node:
 * `✗ credit rating A: customer.creditRating is "B", expected = "A"`, or with
 * `{ locale: "zh-CN" }`: `✗ credit rating A: customer.creditRating 为 "B"，期望等于 "A"`.
 *
 * @param trace - a condition trace from a traced evaluation
 * @param indent - put before every line
 * @param options - `locale`: `en` (default) or `zh-CN`
 */
export function explainConditionTrace(trace: ConditionTrace, indent = "", options: ExplainOptions = {}): string[] {
  return conditionLines(trace, indent, resolveLocale(options.locale));
}

function conditionLines(trace: ConditionTrace, indent: string, locale: Locale): string[] {
  const mark = trace.passed ? "✓" : "✗";
  const name = trace.label ? `${trace.label}: ` : "";
  switch (trace.type) {
    case "all":
    case "any": {
      const head = `${indent}${mark} ${name}${say(locale, trace.type === "all" ? "allOf" : "anyOf")}`;
      return [head, ...trace.children.flatMap((c) => conditionLines(c, `${indent}  `, locale))];
    }
    case "not":
      return [`${indent}${mark} ${name}${say(locale, "not")}`, ...conditionLines(trace.child, `${indent}  `, locale)];
    case "expr": {
      const facts = Object.entries(trace.facts)
        .map(([k, v]) => `${k} = ${show(v, locale)}`)
        .join(", ");
      return [`${indent}${mark} ${name}${trace.expr}${facts ? ` (${facts})` : ""} → ${show(trace.actual, locale)}`, ...warningLines(trace.warnings, indent, locale, trace.error)];
    }
    case "fact": {
      const actual = trace.missing ? say(locale, "isMissing") : say(locale, "isValue", { value: show(trace.actual, locale) });
      const expected = trace.expectedFact ? `${trace.expectedFact} (${show(trace.expected, locale)})` : show(trace.expected, locale);
      const line = say(locale, "factLine", { fact: trace.fact, actual, op: operatorWords(trace.op, locale), expected });
      return [`${indent}${mark} ${name}${line}`, ...warningLines(trace.warnings, indent, locale, trace.error)];
    }
  }
}

/**
 * Explain a rule set or decision table result: what decided, and for each
 * rule (when traced) why it matched or not.
 *
 * @example
 * ```ts
 * console.log(explainDecision(registry.evaluate("contract-auto-approval", facts, { trace: true })));
 * console.log(explainDecision(result, { locale: "zh-CN" })); // 规则集 contract-auto-approval v1（first，…）
 * ```
 */
export function explainDecision(result: DecisionResult, options: ExplainOptions = {}): string {
  const locale = resolveLocale(options.locale);
  const lines: string[] = [];
  const winner = result.matched.map((m) => m.id).join(", ") || say(locale, "noRule");
  const decided = new Set(result.matched.map((m) => m.index));
  const kind = locale === "en" ? result.kind : say(locale, result.kind === "ruleset" ? "kind_ruleset" : "kind_decisionTable");
  lines.push(say(locale, "head", { kind, id: result.id, version: result.version, hitPolicy: result.hitPolicy, at: result.at, winner, output: show(result.output, locale) }));
  const mark = (d: boolean): string => (d ? say(locale, "decided") : "");
  for (const rule of result.trace?.rules ?? []) {
    if ("cells" in rule) {
      const row = rule;
      const cells = row.cells.map((c) => `${c.input} ${show(c.actual, locale)} ${c.passed ? "✓" : "✗"} ${c.test}`).join("; ");
      lines.push(`  ${row.matched ? "✓" : "✗"} ${row.id}: ${cells}${mark(decided.has(row.index))}`);
    } else {
      const r = rule;
      lines.push(`  ${r.matched ? "✓" : "✗"} ${say(locale, "rule", { id: r.id, always: r.condition ? "" : say(locale, "always") })}${mark(decided.has(r.index))}`);
      if (r.condition) lines.push(...conditionLines(r.condition, "    ", locale));
    }
  }
  // Results from before warnings existed (stored, or built by hand) have none.
  for (const w of result.warnings ?? []) lines.push(`  ⚠ ${say(locale, "warning", { path: w.path, message: warningText(w, locale) })}`);
  return lines.join("\n");
}
