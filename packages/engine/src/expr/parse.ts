/**
 * Source text -> syntax tree. expr-eval-fork does the parsing; this module
 * guards the source before it gets there (length, nesting, forbidden names),
 * rewrites `x => body` lambdas into a form the parser accepts, and turns the
 * parser's reverse-Polish instruction list into a tree with positions.
 */
import { ExpressionError } from "../core/errors.js";
import type { MessageParams } from "../i18n/catalogue.js";
import { expressionError, type ExpressionKey } from "../i18n/messages/expressions.js";
import { BINARY_OPS, type BinaryOp, type Node } from "./ast.js";
import { NULL_LITERAL, parseInstructions, type Instruction } from "./tokens.js";
import { FORBIDDEN_NAMES } from "./values.js";

/** Limits that keep expressions small enough to reason about and cheap to run. */
export interface ExpressionLimits {
  /** Longest accepted source, in characters. Default 2000. */
  maxLength?: number | undefined;
  /** Deepest accepted nesting of parentheses, brackets and operators. Default 32. */
  maxDepth?: number | undefined;
}

const DEFAULT_MAX_LENGTH = 2000;
const DEFAULT_MAX_DEPTH = 32;

interface NameOccurrence {
  name: string;
  pos: number;
}

/**
 * Scan the source once outside string literals: check nesting depth, forbid
 * dangerous names, record where each identifier occurs (the parser does not
 * keep positions) and rewrite `=>` to `= ` (same length, so positions hold).
 */
function scan(source: string, maxDepth: number): { text: string; names: NameOccurrence[] } {
  const out: string[] = [];
  const names: NameOccurrence[] = [];
  let depth = 0;
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < source.length && source[j] !== c) j += source[j] === "\\" ? 2 : 1;
      if (j >= source.length) throw expressionError("unterminatedString", {}, source, i);
      // expr-eval-fork's tokenizer takes `\\"` for an escaped quote; spell an
      // escaped backslash as \u005c so a string may end with one.
      out.push(source.slice(i, j + 1).replace(/\\\\/g, "\\u005c"));
      i = j + 1;
      continue;
    }
    if (c === "(" || c === "[") {
      depth++;
      if (depth > maxDepth) throw expressionError("tooDeep", { max: maxDepth }, source, i);
    } else if (c === ")" || c === "]") {
      depth--;
      if (depth < 0) throw expressionError("unbalanced", { char: c }, source, i);
    } else if (c === "=" && source[i + 1] === ">") {
      const prev = source[i - 1];
      if (prev !== "=" && prev !== "<" && prev !== ">" && prev !== "!") {
        out.push("= ");
        i += 2;
        continue;
      }
    } else if (/[A-Za-z_$]/.test(c)) {
      let j = i + 1;
      while (j < source.length && /[\w$]/.test(source[j]!)) j++;
      const name = source.slice(i, j);
      if (FORBIDDEN_NAMES.has(name)) {
        throw expressionError("forbiddenName", { name }, source, i);
      }
      names.push({ name, pos: i });
      out.push(name);
      i = j;
      continue;
    } else if ((c === "=" || c === "!") && source[i + 1] === "=" && source[i + 2] === "=") {
      throw expressionError("doubleEquals", { char: c }, source, i);
    } else if (c === ";") {
      throw expressionError("semicolon", {}, source, i);
    } else if (c === "!" && source[i + 1] !== "=") {
      throw expressionError("bang", {}, source, i);
    } else if (c === "|") {
      throw expressionError("pipe", {}, source, i);
    } else if (c === "&") {
      throw expressionError("ampersand", {}, source, i);
    }
    out.push(c);
    i++;
  }
  if (depth !== 0) throw expressionError("unbalancedAtEnd", {}, source, source.length);
  return { text: out.join(""), names };
}

/** Turn one of expr-eval-fork's parse errors into a message and an offset. */
function describeParserError(source: string, message: string): { key: ExpressionKey; params: MessageParams; message: string; pos: number } | { key?: undefined; message: string; pos: number } {
  if (/TEOF/.test(message)) return { key: "endsEarly", params: {}, message: "", pos: source.length };
  const unexpected = /^unexpected (T[A-Z]+): (.*)$/.exec(message);
  if (unexpected) {
    const token = unexpected[2]!;
    return { key: "unexpected", params: { token }, message: "", pos: unexpectedTokenPosition(source, token, unexpected[1] === "TSTRING") };
  }
  const text = message.replace(/^parse error \[\d+:\d+\]: /, "syntax error: ").replace(/Expected T([A-Z]+)/, (_, t: string) => `expected ${t === "NAME" ? "a name" : t === "PAREN" ? "a parenthesis" : t.toLowerCase()}`);
  const pos = parserErrorPosition(source, message);
  return text.startsWith("syntax error: ") ? { key: "syntax", params: { detail: text.slice("syntax error: ".length) }, message: text, pos } : { message: text, pos };
}

/**
 * The parser binds `not` tighter than comparisons, so `not a == b` means
 * `(not a) == b`: almost never what the author meant. Refuse a `not` whose
 * operand runs into a comparison without parentheses around the `not`.
 */
function checkNotPrecedence(source: string, names: readonly NameOccurrence[]): void {
  for (const n of names) {
    if (n.name !== "not") continue;
    let depth = 0;
    let i = n.pos + 3;
    while (i < source.length) {
      const c = source[i]!;
      if (c === '"' || c === "'") {
        let j = i + 1;
        while (j < source.length && source[j] !== c) j += source[j] === "\\" ? 2 : 1;
        i = j + 1;
        continue;
      }
      if (c === "(" || c === "[") depth++;
      else if (c === ")" || c === "]") {
        if (--depth < 0) break;
      } else if (depth === 0) {
        if (c === "," || c === "?" || c === ":") break;
        const rest = source.slice(i);
        if (/^(and|or)\b/.test(rest) && !/[\w$]/.test(source[i - 1] ?? "")) break;
        if (/^(==|!=|<=|>=|<|>)/.test(rest) || (/^in\b/.test(rest) && !/[\w$]/.test(source[i - 1] ?? ""))) {
          throw expressionError("notPrecedence", {}, source, n.pos);
        }
      }
      i++;
    }
  }
}

/**
 * Where the token the parser did not expect is. Its message names the token
 * but not the place, and the token may occur more than once
 * (`a <= 30 and b <<= 3`): the failing occurrence is the first one whose
 * prefix (the text up to the end of that occurrence) already fails for a
 * reason other than ending early. Occurrences inside string literals are
 * skipped unless the token is a string.
 */
function unexpectedTokenPosition(source: string, token: string, isString: boolean): number {
  if (token === "") return 0;
  const inString = new Uint8Array(source.length);
  if (!isString) {
    for (let i = 0; i < source.length; i++) {
      const q = source[i];
      if (q !== '"' && q !== "'") continue;
      let j = i + 1;
      while (j < source.length && source[j] !== q) j += source[j] === "\\" ? 2 : 1;
      inString.fill(1, i, Math.min(j + 1, source.length));
      i = j;
    }
  }
  let first = -1;
  for (let at = source.indexOf(token); at >= 0; at = source.indexOf(token, at + 1)) {
    if (inString[at]) continue;
    if (first < 0) first = at;
    try {
      parseInstructions(source.slice(0, at + token.length));
    } catch (e) {
      if (!/TEOF/.test(e instanceof Error ? e.message : String(e))) return at;
    }
  }
  return first < 0 ? 0 : first;
}

/** Convert "parse error [line:col]: msg" into an offset. */
function parserErrorPosition(source: string, message: string): number {
  const m = /\[(\d+):(\d+)\]/.exec(message);
  if (!m) return 0;
  const line = Number(m[1]);
  const col = Number(m[2]);
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const nl = source.indexOf("\n", offset);
    if (nl < 0) break;
    offset = nl + 1;
  }
  return Math.min(source.length, offset + col - 1);
}

class TreeBuilder {
  readonly #source: string;
  readonly #names: NameOccurrence[];
  readonly #cursor = new Map<string, number>();

  constructor(source: string, names: NameOccurrence[]) {
    this.#source = source;
    this.#names = names;
  }

  /** Position of the next not-yet-claimed occurrence of `name` in the source. */
  #positionOf(name: string): number {
    const from = this.#cursor.get(name) ?? 0;
    for (let k = from; k < this.#names.length; k++) {
      if (this.#names[k]!.name === name) {
        this.#cursor.set(name, k + 1);
        return this.#names[k]!.pos;
      }
    }
    const first = this.#names.find((n) => n.name === name);
    return first ? first.pos : 0;
  }

  #fail(key: ExpressionKey, params: MessageParams, pos = 0): never {
    throw expressionError(key, params, this.#source, pos);
  }

  build(tokens: readonly Instruction[]): Node {
    const stack: (Node | { type: "deferred"; tokens: Instruction[] } | { type: "varname"; name: string; pos: number })[] = [];
    const pop = (): Node => {
      const n = stack.pop();
      if (!n) this.#fail("incomplete", {});
      if (n.type === "deferred") return this.build(n.tokens);
      if (n.type === "varname") this.#fail("assignment", {}, n.pos);
      return n;
    };
    for (const t of tokens) {
      switch (t.type) {
        case "INUMBER":
          stack.push({ type: "literal", value: t.value === NULL_LITERAL ? null : t.value });
          break;
        case "IVAR":
          stack.push({ type: "name", name: String(t.value), pos: this.#positionOf(String(t.value)) });
          break;
        case "IVARNAME":
          // Claim the parameter's position now: its body's names come after it.
          stack.push({ type: "varname", name: String(t.value), pos: this.#positionOf(String(t.value)) });
          break;
        case "IMEMBER": {
          const object = pop();
          const name = String(t.value);
          stack.push({ type: "member", object, name, pos: this.#positionOf(name) });
          break;
        }
        case "IEXPR":
          stack.push({ type: "deferred", tokens: t.value as Instruction[] });
          break;
        case "IARRAY": {
          const n = Number(t.value);
          const items: Node[] = [];
          for (let k = 0; k < n; k++) items.unshift(pop());
          stack.push({ type: "array", items });
          break;
        }
        case "IFUNCALL": {
          const n = Number(t.value);
          const args: Node[] = [];
          for (let k = 0; k < n; k++) args.unshift(pop());
          const callee = pop();
          if (callee.type !== "name") this.#fail("namedCallsOnly", {}, 0);
          stack.push({ type: "call", name: callee.name, args, pos: callee.pos });
          break;
        }
        case "IOP1": {
          const op = String(t.value);
          const arg = pop();
          if (op !== "-" && op !== "+" && op !== "not") this.#fail("unknownOperator", { op });
          stack.push({ type: "unary", op, arg });
          break;
        }
        case "IOP2": {
          const op = String(t.value);
          if (op === "=") {
            const body = pop();
            const param = stack.pop();
            if (!param || param.type !== "varname") this.#fail("assignment", {});
            stack.push({ type: "lambda", param: param.name, body, pos: param.pos });
            break;
          }
          const right = pop();
          const left = pop();
          if (op === "and" || op === "or") stack.push({ type: "logical", op, left, right });
          else if (op === "[") stack.push({ type: "index", object: left, index: right });
          else if (BINARY_OPS.has(op)) stack.push({ type: "binary", op: op as BinaryOp, left, right });
          else this.#fail("unknownOperator", { op });
          break;
        }
        case "IOP3": {
          // Build the branches in source order so each name claims its own position.
          const rawOtherwise = stack.pop();
          const then = pop();
          if (rawOtherwise) stack.push(rawOtherwise);
          const otherwise = pop();
          const test = pop();
          stack.push({ type: "conditional", test, then, otherwise });
          break;
        }
        default:
          this.#fail("unsupported", { type: String(t.type) });
      }
    }
    if (stack.length !== 1) this.#fail("singleFormula", {});
    return pop();
  }
}

function depthOf(node: Node): number {
  switch (node.type) {
    case "literal":
    case "name":
      return 1;
    case "member":
      return 1 + depthOf(node.object);
    case "index":
      return 1 + Math.max(depthOf(node.object), depthOf(node.index));
    case "unary":
      return 1 + depthOf(node.arg);
    case "binary":
    case "logical":
      return 1 + Math.max(depthOf(node.left), depthOf(node.right));
    case "conditional":
      return 1 + Math.max(depthOf(node.test), depthOf(node.then), depthOf(node.otherwise));
    case "call":
      return 1 + node.args.reduce((m, a) => Math.max(m, depthOf(a)), 0);
    case "lambda":
      return 1 + depthOf(node.body);
    case "array":
      return 1 + node.items.reduce((m, a) => Math.max(m, depthOf(a)), 0);
  }
}

/**
 * Parse expression source into a syntax tree.
 * @throws {@link ExpressionError} with the position of the problem.
 */
export function parseExpression(source: string, limits: ExpressionLimits = {}): Node {
  if (typeof source !== "string") throw expressionError("notAString", {}, String(source), 0);
  const maxLength = limits.maxLength ?? DEFAULT_MAX_LENGTH;
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (source.length > maxLength) {
    throw expressionError("tooLong", { max: maxLength }, source, maxLength);
  }
  if (source.trim() === "") throw expressionError("empty", {}, source, 0);
  const { text, names } = scan(source, maxDepth);
  checkNotPrecedence(source, names);
  let tokens: Instruction[];
  try {
    tokens = parseInstructions(text);
  } catch (e) {
    const described = describeParserError(text, e instanceof Error ? e.message : String(e));
    throw described.key ? expressionError(described.key, described.params, source, described.pos) : new ExpressionError(described.message, source, described.pos);
  }
  const tree = new TreeBuilder(source, names).build(tokens);
  const depth = depthOf(tree);
  if (depth > maxDepth * 4) throw expressionError("tooManyOperations", { max: maxDepth * 4 }, source, 0);
  return tree;
}
