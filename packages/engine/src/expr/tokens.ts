/**
 * The one place that reaches into expr-eval-fork's parse result.
 *
 * expr-eval-fork's typings expose `Expression` as an opaque object, but its
 * parser produces a flat list of instructions in reverse Polish order on
 * `expression.tokens`. We read those instructions and compile them ourselves;
 * nothing from expr-eval-fork ever evaluates user input.
 */
import { Parser } from "expr-eval-fork";

/** Instruction kinds emitted by expr-eval-fork's parser. */
type InstructionType =
  | "INUMBER"
  | "IOP1"
  | "IOP2"
  | "IOP3"
  | "IVAR"
  | "IVARNAME"
  | "IFUNCALL"
  | "IFUNDEF"
  | "IEXPR"
  | "IEXPREVAL"
  | "IMEMBER"
  | "IENDSTATEMENT"
  | "IARRAY";

/** One instruction: `value` is a literal, operator, name, argument count or nested list. */
export interface Instruction {
  readonly type: InstructionType;
  readonly value: unknown;
}

function nullProto<T extends object>(entries: T): T {
  return Object.assign(Object.create(null) as T, entries);
}

/**
 * Stands in for `null` in the parser's constant table: expr-eval-fork stores
 * a `null` instruction value as `0`, so `x == null` would compare with zero.
 */
export const NULL_LITERAL: unique symbol = Symbol("ruleflow.null");

const noop = (): never => {
  throw new Error("expr-eval-fork must never evaluate Ruleflow expressions");
};

/**
 * A parser restricted to what the Ruleflow language uses: no factorial, no
 * function definitions, no math constants, and only `-`, `+`, `not` as prefix
 * operators (so `floor(x)` parses as a call we resolve ourselves). Constant and
 * operator tables have no prototype, so `constructor` can never resolve
 * through them.
 */
function createParser(): Parser {
  const parser = new Parser({
    allowMemberAccess: true,
    operators: nullProto({
      factorial: false,
      fndef: false,
      in: true,
      assignment: true,
      concatenate: false,
      power: true,
    }),
  });
  parser.consts = nullProto({ true: true, false: false, null: NULL_LITERAL });
  parser.unaryOps = nullProto({ "-": noop, "+": noop, not: noop });
  parser.functions = nullProto({});
  // The tokenizer tests `name in binaryOps`; with a prototype, `toString`
  // would tokenize as an operator. Keep the keys, drop the prototype.
  const p = parser as unknown as { binaryOps: object; ternaryOps: object };
  p.binaryOps = nullProto({ ...p.binaryOps });
  p.ternaryOps = nullProto({ ...p.ternaryOps });
  return parser;
}

const parser = createParser();

/** Parse `source` and return its instruction list. Throws expr-eval-fork's parse errors. */
export function parseInstructions(source: string): Instruction[] {
  const expression = parser.parse(source) as unknown as { tokens: Instruction[] };
  return expression.tokens;
}
