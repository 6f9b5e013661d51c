/**
 * Syntax tree -> closures. Every expression is parsed and compiled once; the
 * returned function only walks pre-built closures, never the source.
 */
import { EvaluationError, isRuleflowError } from "../core/errors.js";
import type { Node } from "./ast.js";
import type { MessageParams } from "../i18n/catalogue.js";
import { expressionError, type ExpressionKey } from "../i18n/messages/expressions.js";
import type { FunctionSpec } from "./function-spec.js";
import { BUILTIN_FUNCTIONS } from "./functions.js";
import { parseExpression, type ExpressionLimits } from "./parse.js";
import { decimalArithmetic, isExactOperand, isNumericString, negateDecimal, plainValue, toDecimal } from "../core/decimal.js";
import { describeType, formatInstant, orderForComparison, parseInstant, readOwn, textAgainstNumber, valuesEqual } from "./values.js";
import { describeOperand, operandParams, pushKeyedWarning } from "./warnings.js";
import { definitionAtCompile, inDefinitionTime } from "./time-context.js";
import type { EvaluateOptions, EvaluationWarning } from "../core/context.js";

/**
 * Steps one evaluation may take unless told otherwise: a function call, a
 * lambda call and an item an aggregate visits each cost one.
 */
export const DEFAULT_MAX_STEPS = 1_000_000;

/** What a compiled expression reads at evaluation time. @internal */
export interface Scope {
  facts: unknown;
  now: string | undefined;
  locals: unknown[];
  /** Steps left in this evaluation's budget; set by the first expression when absent. */
  steps?: number | undefined;
  /** The budget `steps` started from, for the error message. */
  stepLimit?: number | undefined;
  /** Warnings of this evaluation, created on the first one. */
  warnings?: EvaluationWarning[] | undefined;
}

/**
 * Check a `maxSteps` option: a whole number of at least 1.
 * @internal
 */
export function checkMaxSteps(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_STEPS;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
    throw new EvaluationError(`maxSteps must be a whole number of at least 1, got ${describeOperand(value)}`);
  }
  return value;
}

function outOfSteps(s: Scope): never {
  throw new EvaluationError(
    `the evaluation ran out of its step budget of ${s.stepLimit ?? DEFAULT_MAX_STEPS} steps (function calls, lambda calls and aggregated items); simplify the expression or raise the maxSteps option`,
  );
}

function notFinite(what: string, value: number): never {
  throw new EvaluationError(`${what} gave ${String(value)}, which is not a finite number`);
}

/** A closure over a {@link Scope}. @internal */
export type Evaluator = (scope: Scope) => unknown;

/** Options for {@link compileExpression}. */
export interface CompileExpressionOptions extends ExpressionLimits {
  /**
   * Fact roots or paths the expression may read (`"order"`, `"customer.tier"`).
   * When given, any other fact is a compile-time error with its position.
   */
  knownFacts?: Iterable<string> | undefined;
  /**
   * Step budget of {@link CompiledExpression.evaluate} when its options name
   * none, and of every run inside an evaluation that set none. Default
   * {@link DEFAULT_MAX_STEPS}.
   */
  maxSteps?: number | undefined;
  /** Definition path named by this expression's warnings, e.g. `rules[0].when`. @internal */
  where?: string | undefined;
}

/** An expression compiled to a closure. Evaluation is synchronous and side-effect free. */
export interface CompiledExpression {
  /** The source text, as written. */
  readonly source: string;
  /** Fact paths the expression reads, in order of first use (`order.amount`). */
  readonly facts: readonly string[];
  /** Evaluate against `facts`. Throws {@link EvaluationError} on a type error. */
  evaluate(facts: unknown, options?: EvaluateOptions): unknown;
  /** @internal */
  readonly run: Evaluator;
}

let lastAt: string | undefined;
let lastTime: { iso: string; ms: number } | undefined;
let prevAt: string | undefined;
let prevTime: { iso: string; ms: number } | undefined;

/**
 * Normalise an evaluation time to an ISO string and epoch ms. The last string
 * is remembered: hosts evaluating many facts at one `at` parse it once.
 * @internal
 */
export function resolveTime(at: string | Date | undefined): { iso: string; ms: number } {
  if (typeof at === "string" && at === lastAt) return lastTime!;
  // Two entries: a host's `at` and its normalised form often alternate within one evaluation.
  if (typeof at === "string" && at === prevAt) {
    [lastAt, prevAt] = [prevAt, lastAt];
    [lastTime, prevTime] = [prevTime, lastTime];
    return lastTime!;
  }
  if (at === undefined) {
    const ms = Date.now();
    return { iso: formatInstant(ms), ms };
  }
  const t = parseInstant(at);
  if (t === undefined) throw new EvaluationError(`"at" must be an ISO-8601 date-time, got ${JSON.stringify(String(at))}`);
  const time = { iso: formatInstant(t), ms: t };
  if (typeof at === "string") {
    prevAt = lastAt;
    prevTime = lastTime;
    lastAt = at;
    lastTime = time;
  }
  return time;
}

/** Normalise an evaluation time to an ISO string. @internal */
export function resolveNow(at: string | Date | undefined): string {
  return resolveTime(at).iso;
}

function suggest(name: string, candidates: Iterable<string>): string | undefined {
  let best = "";
  let bestScore = Infinity;
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = c;
    }
  }
  return bestScore <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

function typeError(op: string, a: unknown, b: unknown): never {
  throw new EvaluationError(`"${op}" needs two numbers, got ${describeType(a)} ${JSON.stringify(a)} and ${describeType(b)} ${JSON.stringify(b)}`);
}

function arithmetic(op: string, a: unknown, b: unknown): unknown {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (typeof a !== "number" || typeof b !== "number") {
    if (typeof a === "string" && typeof b === "string" && op === "+") {
      if (isNumericString(a) && isNumericString(b)) {
        throw new EvaluationError(
          `"+" of two numeric strings ${JSON.stringify(a)} and ${JSON.stringify(b)} is ambiguous: write decimal(a) + decimal(b) to add them exactly, or concat(a, b) to join the text`,
        );
      }
      return a + b;
    }
    return exactArithmetic(op, a, b);
  }
  let r: number;
  switch (op) {
    case "+":
      r = a + b;
      break;
    case "-":
      r = a - b;
      break;
    case "*":
      r = a * b;
      break;
    case "/":
      if (b === 0) throw new EvaluationError("division by zero");
      r = a / b;
      break;
    case "%":
      if (b === 0) throw new EvaluationError("remainder by zero");
      r = a % b;
      break;
    default:
      r = a ** b;
  }
  return Number.isFinite(r) ? r : notFinite(`${String(a)} ${op} ${String(b)}`, r);
}

/** Arithmetic where a decimal string, a BigInt or a decimal takes part: exact, except `^`. */
function exactArithmetic(op: string, a: unknown, b: unknown): unknown {
  if (!isExactOperand(a) && !isExactOperand(b)) typeError(op, a, b);
  const x = toDecimal(a);
  const y = toDecimal(b);
  if (x === undefined || y === undefined) typeError(op, a, b);
  if (op === "^") return arithmetic("^", Number(x.toString()), Number(y.toString()));
  const r = decimalArithmetic(op, x, y);
  if (typeof r === "string") throw new EvaluationError(r);
  return r;
}

function membership(item: unknown, collection: unknown): boolean {
  if (Array.isArray(collection)) {
    for (let i = 0; i < collection.length; i++) if (valuesEqual(item, collection[i])) return true;
    return false;
  }
  if (typeof collection === "string") return typeof item === "string" && collection.includes(item);
  return false;
}

class Compiler {
  readonly #source: string;
  readonly #known: Set<string> | undefined;
  readonly #where: string;
  readonly #locals: string[] = [];
  readonly facts: string[] = [];

  constructor(source: string, known: Set<string> | undefined, where: string) {
    this.#source = source;
    this.#known = known;
    this.#where = where;
  }

  #fail(key: ExpressionKey, params: MessageParams, pos: number): never {
    throw expressionError(key, params, this.#source, pos);
  }

  #recordFact(path: string[], pos: number): void {
    const full = path.join(".");
    if (this.#known) {
      let ok = false;
      for (let i = path.length; i > 0 && !ok; i--) ok = this.#known.has(path.slice(0, i).join("."));
      if (!ok) {
        const suggestion = suggest(full, this.#known);
        this.#fail(suggestion ? "unknownFactSuggest" : "unknownFact", suggestion ? { fact: full, suggestion } : { fact: full }, pos);
      }
    }
    if (!this.facts.includes(full)) this.facts.push(full);
  }

  /** Collapse `a.b.c` into a root and a path when the chain is plain member access. */
  #memberChain(node: Node): { root: Extract<Node, { type: "name" }>; path: string[] } | undefined {
    const path: string[] = [];
    let cur = node;
    while (cur.type === "member") {
      path.unshift(cur.name);
      cur = cur.object;
    }
    return cur.type === "name" ? { root: cur, path } : undefined;
  }

  compile(node: Node): Evaluator {
    switch (node.type) {
      case "literal": {
        const v = node.value;
        if (typeof v === "number" && !Number.isFinite(v)) this.#fail("notFinite", { value: String(v) }, 0);
        return () => v;
      }
      case "name":
      case "member": {
        const chain = this.#memberChain(node);
        if (!chain) {
          if (node.type !== "member") throw new Error("unreachable");
          const obj = this.compile(node.object);
          const key = node.name;
          return (s) => readOwn(obj(s), key);
        }
        return this.#compilePath(chain.root, chain.path);
      }
      case "index": {
        const obj = this.compile(node.object);
        const idx = this.compile(node.index);
        return (s) => {
          const k = idx(s);
          if (typeof k !== "string" && typeof k !== "number") return undefined;
          return readOwn(obj(s), k);
        };
      }
      case "unary": {
        const arg = this.compile(node.arg);
        if (node.op === "not") return (s) => arg(s) !== true;
        if (node.op === "-") {
          return (s) => {
            const v = arg(s);
            if (v === null || v === undefined) return null;
            if (typeof v === "number") return -v;
            const d = isExactOperand(v) ? toDecimal(v) : undefined;
            if (d === undefined) throw new EvaluationError(`"-" needs a number, got ${describeType(v)}`);
            return negateDecimal(d);
          };
        }
        return (s) => {
          const v = arg(s);
          if (v === null || v === undefined || typeof v === "number") return v ?? null;
          const d = isExactOperand(v) ? toDecimal(v) : undefined;
          if (d === undefined) throw new EvaluationError(`"+" needs a number, got ${describeType(v)}`);
          return d;
        };
      }
      case "logical": {
        const l = this.compile(node.left);
        const r = this.compile(node.right);
        return node.op === "and" ? (s) => l(s) === true && r(s) === true : (s) => l(s) === true || r(s) === true;
      }
      case "conditional": {
        const t = this.compile(node.test);
        const a = this.compile(node.then);
        const b = this.compile(node.otherwise);
        return (s) => (t(s) === true ? a(s) : b(s));
      }
      case "binary":
        return this.#compileBinary(node);
      case "array": {
        const items = node.items.map((i) => this.compile(i));
        return (s) => items.map((f) => f(s));
      }
      case "call":
        return this.#compileCall(node);
      case "lambda":
        return this.#fail("lambdaPlace", { param: node.param }, node.pos);
    }
  }

  #compilePath(root: Extract<Node, { type: "name" }>, path: string[]): Evaluator {
    const slot = this.#locals.lastIndexOf(root.name);
    if (slot >= 0) {
      return (s) => {
        let cur = s.locals[slot];
        for (let i = 0; i < path.length; i++) cur = readOwn(cur, path[i]!);
        return cur;
      };
    }
    if (root.name === "now" && path.length === 0) return (s) => s.now;
    const full = [root.name, ...path];
    this.#recordFact(full, root.pos);
    switch (full.length) {
      case 1: {
        const [a] = full as [string];
        return (s) => readOwn(s.facts, a);
      }
      case 2: {
        const [a, b] = full as [string, string];
        return (s) => readOwn(readOwn(s.facts, a), b);
      }
      case 3: {
        const [a, b, c] = full as [string, string, string];
        return (s) => readOwn(readOwn(readOwn(s.facts, a), b), c);
      }
      default:
        return (s) => {
          let cur = s.facts;
          for (let i = 0; i < full.length; i++) cur = readOwn(cur, full[i]!);
          return cur;
        };
    }
  }

  /** Equality; text that is not a number against a number can never be equal: false, with a warning. */
  #equal(s: Scope, a: unknown, b: unknown, op: string): boolean {
    if (textAgainstNumber(a, b)) {
      pushKeyedWarning(s, "type_mismatch", this.#where, "expressionMismatch", { source: this.#source, ...operandParams("left", a), ...operandParams("right", b), op });
      return false;
    }
    return valuesEqual(a, b);
  }

  /** Order for `<`-style operators: a missing side is a warning (and false), a meaningless pair an error. */
  #order(s: Scope, a: unknown, b: unknown, op: string): number | undefined {
    const c = orderForComparison(a, b, op);
    if (c === undefined) {
      pushKeyedWarning(s, "missing_value", this.#where, "expressionCompare", { source: this.#source, ...operandParams("left", a), ...operandParams("right", b), op });
    }
    return c;
  }

  #compileBinary(node: Extract<Node, { type: "binary" }>): Evaluator {
    const l = this.compile(node.left);
    const r = this.compile(node.right);
    switch (node.op) {
      case "==":
        return (s) => this.#equal(s, l(s), r(s), "==");
      case "!=":
        return (s) => !this.#equal(s, l(s), r(s), "!=");
      case "<":
        return (s) => (this.#order(s, l(s), r(s), "<") ?? NaN) < 0;
      case "<=":
        return (s) => (this.#order(s, l(s), r(s), "<=") ?? NaN) <= 0;
      case ">":
        return (s) => (this.#order(s, l(s), r(s), ">") ?? NaN) > 0;
      case ">=":
        return (s) => (this.#order(s, l(s), r(s), ">=") ?? NaN) >= 0;
      case "in":
        return (s) => membership(l(s), r(s));
      case "+":
        return (s) => {
          const a = l(s);
          const b = r(s);
          if (typeof a === "number" && typeof b === "number") {
            const v = a + b;
            if (v - v === 0) return v;
          }
          return arithmetic("+", a, b);
        };
      case "*":
        return (s) => {
          const a = l(s);
          const b = r(s);
          if (typeof a === "number" && typeof b === "number") {
            const v = a * b;
            if (v - v === 0) return v;
          }
          return arithmetic("*", a, b);
        };
      default: {
        const op = node.op;
        return (s) => arithmetic(op, l(s), r(s));
      }
    }
  }

  #compileCall(node: Extract<Node, { type: "call" }>): Evaluator {
    const spec: FunctionSpec | undefined = BUILTIN_FUNCTIONS[node.name];
    if (!spec) {
      const suggestion = suggest(node.name, Object.keys(BUILTIN_FUNCTIONS));
      this.#fail(suggestion ? "unknownFunctionSuggest" : "unknownFunction", suggestion ? { name: node.name, suggestion } : { name: node.name }, node.pos);
    }
    const n = node.args.length;
    if (n < spec.minArgs || n > spec.maxArgs) {
      const name = node.name;
      if (spec.minArgs === spec.maxArgs) this.#fail(spec.minArgs === 1 ? "argsOne" : "argsExactly", { name, count: spec.minArgs, got: n }, node.pos);
      if (spec.maxArgs === Infinity) this.#fail("argsAtLeast", { name, min: spec.minArgs, got: n }, node.pos);
      this.#fail("argsBetween", { name, min: spec.minArgs, max: spec.maxArgs, got: n }, node.pos);
    }
    const contextProblem = spec.checkContext?.();
    if (contextProblem) this.#fail(contextProblem.key, contextProblem.params, node.pos);
    const args: Evaluator[] = node.args.map((a, i) => {
      if (a.type !== "lambda") return this.compile(a);
      if (!spec.lambdaArgs?.includes(i)) {
        this.#fail("noLambda", { name: node.name, index: i + 1 }, a.pos);
      }
      return this.#compileLambda(a);
    });
    const call = spec.call;
    const name = node.name;
    // Aggregates also pay one step per item of the array they walk.
    const aggregate = spec.lambdaArgs !== undefined;
    const finish = (s: Scope, values: unknown[]): unknown => {
      if (aggregate && Array.isArray(values[0]) && (s.steps = s.steps! - values[0].length) < 0) outOfSteps(s);
      const v = call(values);
      if (typeof v === "number" && v - v !== 0) notFinite(`${name}()`, v);
      return v;
    };
    if (args.length === 1) {
      const [a] = args as [Evaluator];
      return (s) => {
        if ((s.steps = s.steps! - 1) < 0) outOfSteps(s);
        return finish(s, [a(s)]);
      };
    }
    return (s) => {
      if ((s.steps = s.steps! - 1) < 0) outOfSteps(s);
      const values = new Array<unknown>(args.length);
      for (let i = 0; i < args.length; i++) values[i] = args[i]!(s);
      return finish(s, values);
    };
  }

  #compileLambda(node: Extract<Node, { type: "lambda" }>): Evaluator {
    if (node.param === "now") this.#fail("nowParam", {}, node.pos);
    this.#locals.push(node.param);
    const slot = this.#locals.length - 1;
    const body = this.compile(node.body);
    this.#locals.pop();
    return (s) => (item: unknown) => {
      if ((s.steps = s.steps! - 1) < 0) outOfSteps(s);
      const saved = s.locals[slot];
      s.locals[slot] = item;
      try {
        return body(s);
      } finally {
        s.locals[slot] = saved;
      }
    };
  }
}

/**
 * Compile an expression once into a closure.
 *
 * @param source - the expression, e.g. `order.amount >= 50000 and customer.segment == "new"`
 * @param options - known facts (for compile-time checks) and size limits
 * @returns a {@link CompiledExpression}
 * @throws {@link ExpressionError} naming the position of the first problem
 *
 * @example
 * ```ts
 * const e = compileExpression('count(orders, o => o.status == "returned")');
 * e.evaluate({ orders: [{ status: "returned" }, { status: "paid" }] }); // 1
 * ```
 */
export function compileExpression(source: string, options: CompileExpressionOptions = {}): CompiledExpression {
  const tree = parseExpression(source, options);
  const known = options.knownFacts ? new Set(options.knownFacts) : undefined;
  const maxSteps = checkMaxSteps(options.maxSteps);
  const compiler = new Compiler(source, known, options.where ?? "(root)");
  const compiled = compiler.compile(tree);
  // Bind to the zone and calendar of the definition being compiled (see time-context.ts).
  const time = definitionAtCompile();
  const run: Evaluator = time ? (scope) => inDefinitionTime(time, () => compiled(scope)) : compiled;
  const wrapped: Evaluator = (scope) => {
    // A scope made outside an evaluation (no budget yet) gets one for this run only.
    const fresh = scope.steps === undefined;
    if (fresh) {
      scope.steps = maxSteps;
      scope.stepLimit = maxSteps;
    }
    try {
      const v = run(scope);
      return typeof v === "object" && v !== null ? plainValue(v) : v;
    } catch (e) {
      if (isRuleflowError(e)) throw new EvaluationError(`${e.message} in expression "${source}"`, { cause: e });
      throw new EvaluationError(`could not evaluate "${source}": ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    } finally {
      if (fresh) scope.steps = undefined;
    }
  };
  return {
    source,
    facts: compiler.facts,
    run: wrapped,
    evaluate(facts: unknown, opts?: EvaluateOptions): unknown {
      const steps = opts?.maxSteps === undefined ? maxSteps : checkMaxSteps(opts.maxSteps);
      const v = wrapped({ facts, now: resolveNow(opts?.at), locals: [], steps, stepLimit: steps, warnings: opts?.warnings });
      return v === undefined ? null : v;
    },
  };
}
