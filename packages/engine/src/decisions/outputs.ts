/** Compile rule outputs: literals, or `{ "expr": "..." }` computed from facts. */
import { expressionIssue } from "../conditions/compile.js";
import { compileExpression, type Scope } from "../expr/compile.js";
import { describeType, parseInstant } from "../expr/values.js";
import { formatDecimal, isDecimalString, parseDecimal } from "../core/decimal.js";
import { EvaluationError, formatPath, isRuleflowError } from "../core/errors.js";
import { formatMessage, type MessageParams } from "../i18n/catalogue.js";
import { catalogueIssue } from "../i18n/issues.js";
import { decisionMessages, type DecisionKey } from "../i18n/messages/decisions.js";
import type { CompileContext } from "../core/context.js";

/** Output value types. */
export type OutputType = "string" | "number" | "decimal" | "boolean" | "date" | "json";

/** Computes one output value. */
export type OutputFn = (scope: Scope) => unknown;

function isExprObject(v: unknown): v is { expr: string } {
  return (
    typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { expr?: unknown }).expr === "string"
  );
}

/** Why `value` is not of `type` as a message key and parameters, or `undefined` when it is. */
function typeProblemKey(type: OutputType, value: unknown): { key: DecisionKey; params: MessageParams } | undefined {
  if (value === null) return undefined;
  const got = { type: describeType(value) };
  switch (type) {
    case "string":
      return typeof value === "string" ? undefined : { key: "expectedString", params: got };
    case "number":
      if (typeof value === "number" && Number.isFinite(value)) return undefined;
      return isDecimalString(value)
        ? { key: "expectedNumberGotDecimal", params: { value: JSON.stringify(value) } }
        : { key: "expectedNumber", params: got };
    case "decimal":
      return isDecimalString(value) || (typeof value === "number" && Number.isFinite(value))
        ? undefined
        : { key: "expectedDecimal", params: { value: String(JSON.stringify(value)) } };
    case "boolean":
      return typeof value === "boolean" ? undefined : { key: "expectedBoolean", params: got };
    case "date":
      return parseInstant(value) !== undefined ? undefined : { key: "expectedDate", params: { value: String(JSON.stringify(value)) } };
    case "json":
      return undefined;
  }
}

/** Why `value` is not of `type`, or `undefined` when it is. */
function typeProblem(type: OutputType, value: unknown): string | undefined {
  const p = typeProblemKey(type, value);
  return p && formatMessage(decisionMessages, "en", p.key, p.params);
}

/** Normalise a value to its output type (decimals become exact strings). */
function coerceOutput(type: OutputType, value: unknown): unknown {
  if (type === "decimal" && value !== null && value !== undefined) {
    // A number computed by an expression carries binary noise (0.1 * 3 is
    // 0.30000000000000004): keep 15 significant digits, what a double holds exactly.
    const d = parseDecimal(typeof value === "number" ? Number(value.toPrecision(15)) : value);
    return d ? formatDecimal(d) : value;
  }
  return value ?? null;
}

/**
 * Compile one output cell or `then` value. Problems go to `ctx.issues` at `path`.
 * @internal
 */
export function compileOutput(
  value: unknown,
  type: OutputType,
  ctx: CompileContext,
  path: (string | number)[],
): OutputFn {
  if (isExprObject(value)) {
    try {
      const where = formatPath(path);
      const e = compileExpression(value.expr, { knownFacts: ctx.knownFacts, where });
      const run = e.run;
      return (s) => {
        let v: unknown;
        try {
          v = run(s);
        } catch (err) {
          if (isRuleflowError(err) && err.code === "EVALUATION_ERROR") throw new EvaluationError(`output ${where}: ${err.message}`, { cause: err });
          throw err;
        }
        const problem = typeProblem(type, v);
        if (problem) throw new EvaluationError(`output ${where}: ${problem} from "${value.expr}"`);
        return coerceOutput(type, v);
      };
    } catch (e) {
      ctx.issues.push(expressionIssue(e, [...path, "expr"]));
      return () => null;
    }
  }
  const problem = typeProblemKey(type, value);
  if (problem) ctx.issues.push(catalogueIssue(decisionMessages, "invalidOutput", path, { ...problem.params, "problem@": problem.key }, "invalid_output"));
  const literal = coerceOutput(type, value);
  return () => literal;
}
