/**
 * Condition trees -> compiled predicates. A compiled condition runs in two
 * modes: `test` short-circuits and allocates nothing; `explain` evaluates
 * every node and returns a trace with actual and expected values.
 */
import { EvaluationError, ExpressionError, ValidationError, formatPath, isRuleflowError, type Issue } from "../core/errors.js";
import type { CompileContext, ConditionEvaluateOptions, EvaluationWarning } from "../core/context.js";
import { checkMaxSteps, compileExpression, resolveTime, type Scope } from "../expr/compile.js";
import { readPath, splitPath, textAgainstNumber } from "../expr/values.js";
import { describeOperand, isParams, pushKeyedWarning, warningsSince } from "../expr/warnings.js";
import { definitionAtCompile, inDefinitionTime } from "../expr/time-context.js";
import { conditionShapeIssues, type Condition, type ConditionOperator } from "../schema/condition.js";
import { checkExpected, OPERATOR_TESTS, ORDERING_OPERATORS } from "./operators.js";
import { factPathIssue } from "../i18n/fact-path-issue.js";
import { catalogueIssue } from "../i18n/issues.js";
import { conditionMessages } from "../i18n/messages/conditions.js";
import { factPathMessages } from "../i18n/messages/fact-paths.js";
import { expressionErrorKey, expressionMessages } from "../i18n/messages/expressions.js";

/** The trace of one condition node. */
export type ConditionTrace =
  | {
      type: "all" | "any";
      path: string;
      label?: string | undefined;
      passed: boolean;
      children: ConditionTrace[];
    }
  | { type: "not"; path: string; label?: string | undefined; passed: boolean; child: ConditionTrace }
  | {
      type: "fact";
      path: string;
      label?: string | undefined;
      fact: string;
      op: ConditionOperator;
      /** The fact's value; `null` when missing (see `missing`). */
      actual: unknown;
      /** True when the fact was absent from the facts. */
      missing?: true | undefined;
      expected: unknown;
      /** Set when `value` referenced another fact: its path. */
      expectedFact?: string | undefined;
      passed: boolean;
      /** Set when the comparison met a missing or null value (and so is false). */
      warnings?: EvaluationWarning[] | undefined;
      /** Set for a node past the decision that could not be evaluated (it counts as failed). */
      error?: string | undefined;
    }
  | {
      type: "expr";
      path: string;
      label?: string | undefined;
      expr: string;
      actual: unknown;
      /** Values of the facts the expression read. */
      facts: Record<string, unknown>;
      passed: boolean;
      /** Set when a comparison inside met a missing or null value. */
      warnings?: EvaluationWarning[] | undefined;
      /** Set for a node past the decision that could not be evaluated (it counts as failed). */
      error?: string | undefined;
    };

/** Result of {@link CompiledCondition.explain}. */
export interface ConditionResult {
  passed: boolean;
  trace: ConditionTrace;
  /** Comparisons that met a missing or null value (and so were false), each with its path. `explain` always sets it. */
  warnings?: EvaluationWarning[] | undefined;
}

/** A condition compiled once into closures. */
export interface CompiledCondition {
  /** True when the condition holds. Short-circuits. */
  test(facts: unknown, options?: ConditionEvaluateOptions): boolean;
  /** Evaluate every node and explain the result. */
  explain(facts: unknown, options?: ConditionEvaluateOptions): ConditionResult;
  /** @internal */
  readonly run: (scope: Scope, nowMs: number) => boolean;
  /** @internal */
  readonly trace: (scope: Scope, nowMs: number, soft?: boolean) => ConditionTrace;
}

/** Options for {@link compileCondition}. */
export interface CompileConditionOptions {
  /** Fact roots or paths the condition may read; others are load-time errors. */
  knownFacts?: Iterable<string> | undefined;
}

type Run = (scope: Scope, nowMs: number) => boolean;
/**
 * `soft`: the node lies past the point where the short-circuiting `test`
 * stopped (an `all` already failed, a rule after the winner). It is still
 * traced, but an error there goes into the trace (`error`) instead of being
 * thrown, and its warnings stay in the trace, so `explain` and tracing never
 * fail or warn where `test` would not.
 */
type Trace = (scope: Scope, nowMs: number, soft?: boolean) => ConditionTrace;

/** The message of an evaluation error met in a soft node, or rethrow anything else. */
function softError(e: unknown): string {
  if (isRuleflowError(e) && e.code === "EVALUATION_ERROR") return e.message;
  throw e;
}

const never: Run = () => false;

/** Turn an expression compile error into an issue at `path`. @internal */
export function expressionIssue(e: unknown, path: (string | number)[]): Issue {
  if (e instanceof ExpressionError) {
    const key = expressionErrorKey(e);
    if (key) return catalogueIssue(expressionMessages, "atPosition", path, key.messageParams, "invalid_expression");
    return { code: "invalid_expression", path, message: `${e.message}` };
  }
  return { code: "invalid_expression", path, message: e instanceof Error ? e.message : String(e) };
}

/** Whether `path` is covered by the declared known facts. @internal */
export function isKnownFact(known: Set<string> | undefined, segments: string[]): boolean {
  if (!known) return true;
  for (let i = segments.length; i > 0; i--) if (known.has(segments.slice(0, i).join("."))) return true;
  return false;
}

function isFactReference(v: unknown): v is { fact: string } {
  return (
    typeof v === "object" &&
    v !== null &&
    !Array.isArray(v) &&
    Object.keys(v).length === 1 &&
    typeof (v as { fact?: unknown }).fact === "string"
  );
}

function compileFactPath(fact: string, ctx: CompileContext, path: (string | number)[]): string[] | undefined {
  const segs = splitPath(fact);
  if (typeof segs === "string") {
    ctx.issues.push(factPathIssue(segs, fact, path));
    return undefined;
  }
  if (!isKnownFact(ctx.knownFacts, segs)) {
    ctx.issues.push(catalogueIssue(factPathMessages, "unknownFact", path, { fact, "known[]": JSON.stringify([...ctx.knownFacts!]) }, "unknown_fact"));
    return undefined;
  }
  return segs;
}

/** An error met while evaluating the node at `path`, as an EvaluationError naming it. */
function atPath(path: string, e: unknown, reading?: string): unknown {
  if (isRuleflowError(e)) return e.code === "EVALUATION_ERROR" ? new EvaluationError(`${path}: ${e.message}`, { cause: e }) : e;
  // A fact getter (or proxy) of the host threw: never let a raw TypeError out.
  const what = reading === undefined ? "could not evaluate" : `could not read fact "${reading}"`;
  return new EvaluationError(`${path}: ${what}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
}

/** Compile a node, collecting problems in `ctx`. @internal */
export function compileNode(
  node: Condition,
  ctx: CompileContext,
  path: (string | number)[],
): { run: Run; trace: Trace } {
  const where = formatPath(path);
  const label = (node as { label?: string }).label;
  if ("all" in node || "any" in node) {
    const isAll = "all" in node;
    const key = isAll ? "all" : "any";
    const list = isAll ? node.all : (node as { any: Condition[] }).any;
    const children = list.map((c, i) => compileNode(c, ctx, [...path, key, i]));
    const runs = children.map((c) => c.run);
    const run: Run = isAll
      ? (s, n) => {
          for (let i = 0; i < runs.length; i++) if (!runs[i]!(s, n)) return false;
          return true;
        }
      : (s, n) => {
          for (let i = 0; i < runs.length; i++) if (runs[i]!(s, n)) return true;
          return false;
        };
    const trace: Trace = (s, n, soft) => {
      // Children past the one that decides (as `run` stops there) are traced softly.
      let decided = soft === true;
      const traces = children.map((c) => {
        const t = c.trace(s, n, decided);
        if (t.passed !== isAll) decided = true;
        return t;
      });
      const passed = isAll ? traces.every((t) => t.passed) : traces.some((t) => t.passed);
      return { type: key, path: where, ...(label ? { label } : {}), passed, children: traces };
    };
    return { run, trace };
  }
  if ("not" in node) {
    const child = compileNode(node.not, ctx, [...path, "not"]);
    const inner = child.run;
    return {
      run: (s, n) => !inner(s, n),
      trace: (s, n, soft) => {
        const t = child.trace(s, n, soft);
        return { type: "not", path: where, ...(label ? { label } : {}), passed: !t.passed, child: t };
      },
    };
  }
  if ("expr" in node) {
    let compiled;
    try {
      compiled = compileExpression(node.expr, { knownFacts: ctx.knownFacts, where });
    } catch (e) {
      ctx.issues.push(expressionIssue(e, [...path, "expr"]));
      return { run: never, trace: () => ({ type: "expr", path: where, expr: node.expr, actual: null, facts: {}, passed: false }) };
    }
    const fn = compiled.run;
    const readers = compiled.facts.map((f) => [f, f.split(".")] as const);
    return {
      run: (s) => {
        try {
          return fn(s) === true;
        } catch (e) {
          throw atPath(where, e);
        }
      },
      trace: (s, _n, soft) => {
        const saved = s.warnings;
        if (soft) s.warnings = undefined;
        const before = s.warnings?.length ?? 0;
        let actual: unknown;
        let error: string | undefined;
        const facts: Record<string, unknown> = {};
        try {
          actual = fn(s);
          for (const [name, segs] of readers) facts[name] = readPath(s.facts, segs) ?? null;
        } catch (e) {
          if (!soft) throw atPath(where, e);
          error = softError(atPath(where, e));
        }
        const warnings = warningsSince(s, before);
        if (soft) s.warnings = saved;
        return {
          type: "expr",
          path: where,
          ...(label ? { label } : {}),
          expr: node.expr,
          actual: actual ?? null,
          facts,
          passed: actual === true && error === undefined,
          ...(warnings.length ? { warnings } : {}),
          ...(error === undefined ? {} : { error }),
        };
      },
    };
  }
  // fact leaf
  const leaf = node;
  const segs = compileFactPath(leaf.fact, ctx, [...path, "fact"]);
  const test = OPERATOR_TESTS[leaf.op];
  let expectedOf: (s: Scope) => unknown;
  let expectedFact: string | undefined;
  if (isFactReference(leaf.value)) {
    expectedFact = leaf.value.fact;
    const ref = compileFactPath(expectedFact, ctx, [...path, "value", "fact"]);
    expectedOf = ref ? (s) => readPath(s.facts, ref) : () => undefined;
  } else {
    const problem = checkExpected(leaf.op, leaf.value);
    if (problem) {
      const got = JSON.stringify(leaf.value) as string | undefined;
      const params = { ...problem.params, "problem@": problem.key };
      ctx.issues.push(
        got === undefined
          ? catalogueIssue(conditionMessages, "invalidValueNothing", [...path, "value"], params, "invalid_value")
          : catalogueIssue(conditionMessages, "invalidValue", [...path, "value"], { ...params, got }, "invalid_value"),
      );
    }
    const literal = leaf.value;
    expectedOf = () => literal;
  }
  if (!segs) return { run: never, trace: () => ({ type: "fact", path: where, fact: leaf.fact, op: leaf.op, actual: null, expected: leaf.value ?? null, passed: false }) };
  const read =
    segs.length === 1
      ? (s: Scope) => readPath(s.facts, segs)
      : segs.length === 2
        ? (s: Scope) => {
            const f = s.facts as Record<string, unknown> | null;
            const o = f !== null && typeof f === "object" && Object.hasOwn(f, segs[0]!) ? f[segs[0]!] : undefined;
            if (o === null || typeof o !== "object" || !Object.hasOwn(o, segs[1]!)) return undefined;
            const v = (o as Record<string, unknown>)[segs[1]!];
            return typeof v === "function" ? undefined : v;
          }
        : (s: Scope) => readPath(s.facts, segs);
  // Dates without an offset compare in the zone of the definition being compiled (see expr/time-context.ts).
  const time = definitionAtCompile();
  const testIn = time ? (a: unknown, e: unknown, n: number): boolean => inDefinitionTime(time, () => test(a, e, n)) : test;
  // Ordering and date comparisons never hold for a missing side: false, and a warning for the host.
  const ordering = ORDERING_OPERATORS.has(leaf.op);
  // Equality against numbers never holds for text that is not a number: the answer stands, with a warning.
  const equality = leaf.op === "eq" || leaf.op === "ne" || leaf.op === "in" || leaf.op === "notIn";
  const mismatched = (actual: unknown, expected: unknown): boolean =>
    typeof actual === "string" &&
    (Array.isArray(expected) && (leaf.op === "in" || leaf.op === "notIn")
      ? expected.length > 0 && expected.every((e) => textAgainstNumber(actual, e))
      : textAgainstNumber(actual, expected));
  const decide = (s: Scope, n: number, actual: unknown, expected: unknown): boolean => {
    if (ordering && (actual === undefined || actual === null || expected === undefined || expected === null)) {
      const side =
        actual === undefined || actual === null
          ? { subject: leaf.fact, ...isParams("is", actual) }
          : { ...(expectedFact === undefined ? { "subject@": "theValue" } : { subject: expectedFact }), ...isParams("is", expected) };
      pushKeyedWarning(s, "missing_value", where, "conditionFalse", { ...side, condition: `${leaf.fact} ${leaf.op} ${expectedFact ?? JSON.stringify(expected) ?? "nothing"}` });
      return false;
    }
    if (equality && mismatched(actual, expected)) {
      pushKeyedWarning(s, "type_mismatch", where, "conditionMismatch", {
        subject: leaf.fact,
        value: describeOperand(actual),
        condition: `${leaf.fact} ${leaf.op} ${expectedFact ?? JSON.stringify(expected) ?? "nothing"}`,
      });
    }
    return testIn(actual, expected, n);
  };
  return {
    run: (s, n) => {
      let actual: unknown;
      try {
        actual = read(s);
        return decide(s, n, actual, expectedOf(s));
      } catch (e) {
        throw atPath(where, e, actual === undefined ? leaf.fact : undefined);
      }
    },
    trace: (s, n, soft) => {
      const sink: Scope = soft ? { facts: s.facts, now: s.now, locals: [], warnings: undefined } : s;
      const before = sink.warnings?.length ?? 0;
      let actual: unknown;
      let expected: unknown;
      let passed = false;
      let error: string | undefined;
      try {
        actual = read(s);
        expected = expectedOf(s);
        passed = decide(sink, n, actual, expected);
      } catch (e) {
        const err = atPath(where, e, actual === undefined ? leaf.fact : undefined);
        if (!soft) throw err;
        error = softError(err);
      }
      const warnings = warningsSince(sink, before);
      return {
        type: "fact",
        path: where,
        ...(label ? { label } : {}),
        fact: leaf.fact,
        op: leaf.op,
        actual: actual ?? null,
        ...(actual === undefined ? { missing: true as const } : {}),
        expected: expected ?? null,
        ...(expectedFact ? { expectedFact } : {}),
        passed,
        ...(warnings.length ? { warnings } : {}),
        ...(error === undefined ? {} : { error }),
      };
    },
  };
}

/** Build the evaluation scope for facts at a time. @internal */
export function makeScope(facts: unknown, at: string | Date | undefined, maxSteps?: number): { scope: Scope; nowMs: number } {
  const { iso, ms } = resolveTime(at);
  const steps = checkMaxSteps(maxSteps);
  return { scope: { facts, now: iso, locals: [], steps, stepLimit: steps, warnings: undefined }, nowMs: ms };
}

/**
 * Compile a condition tree once.
 *
 * @param condition - an `all / any / not / expr / fact` tree; its shape and depth are checked (see `conditionSchema`)
 * @param options - declared facts to check references against
 * @returns a {@link CompiledCondition}
 * @throws {@link ValidationError} listing every problem, each with its path
 *
 * @example
 * ```ts
 * const c = compileCondition({ all: [
 *   { fact: "order.amount", op: "gte", value: 50000 },
 *   { expr: 'customer.segment == "new"' } ] });
 * c.test({ order: { amount: 60000 }, customer: { segment: "new" } }); // true
 * c.explain({ order: { amount: 100 } }).trace; // each leaf with actual and expected
 * ```
 */
export function compileCondition(condition: Condition, options: CompileConditionOptions = {}): CompiledCondition {
  const shape = conditionShapeIssues(condition);
  if (shape.length) throw new ValidationError(shape, "condition");
  const ctx: CompileContext = { issues: [], knownFacts: options.knownFacts ? new Set(options.knownFacts) : undefined };
  const node = compileNode(condition, ctx, []);
  if (ctx.issues.length) throw new ValidationError(ctx.issues, "condition");
  return toCompiledCondition(node);
}

/** Wrap a compiled node as a {@link CompiledCondition}. @internal */
export function toCompiledCondition(node: { run: Run; trace: Trace }): CompiledCondition {
  return {
    run: node.run,
    trace: node.trace,
    test(facts, opts) {
      const { scope, nowMs } = makeScope(facts, opts?.at, opts?.maxSteps);
      return node.run(scope, nowMs);
    },
    explain(facts, opts) {
      const { scope, nowMs } = makeScope(facts, opts?.at, opts?.maxSteps);
      const trace = node.trace(scope, nowMs);
      return { passed: trace.passed, trace, warnings: warningsSince(scope, 0) };
    },
  };
}
