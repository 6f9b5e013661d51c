/**
 * Decision-table input cells: DMN-style unary tests.
 *
 * ```
 * -                    anything
 * "A"                  equals the string A          (strings are quoted)
 * "A","B"              one of
 * >= 500000            comparison: < <= > >= = !=
 * [100000..500000)     interval; [ ] closed, ( ) open (also ]a..b[ )
 * not("C")             none of
 * true, false, null    literals; date("2026-01-01") a date
 * ```
 */
import type { MessageParams } from "../i18n/catalogue.js";
import { renderMessage } from "../i18n/issues.js";
import { decisionMessages, type DecisionKey } from "../i18n/messages/decisions.js";
import { compareValues, orderForComparison, parseInstant, valuesEqual } from "../expr/values.js";

/** One atomic test inside a cell. */
type AtomTest =
  | { readonly kind: "eq"; readonly value: unknown }
  | { readonly kind: "cmp"; readonly op: "<" | "<=" | ">" | ">=" | "!="; readonly value: unknown }
  | {
      readonly kind: "range";
      readonly low: unknown;
      readonly lowClosed: boolean;
      readonly high: unknown;
      readonly highClosed: boolean;
    };

/** A parsed cell. */
export type UnaryTest =
  | { readonly kind: "any" }
  | { readonly kind: "list"; readonly negate: boolean; readonly tests: readonly AtomTest[] };

/** A cell that failed to parse; `messageKey` and `params` let the issue be written in another locale. */
export class CellSyntaxError extends Error {
  constructor(
    readonly messageKey: DecisionKey,
    readonly params: MessageParams,
  ) {
    super(renderMessage(decisionMessages, "en", messageKey, params));
  }
}

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  skip(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  peek(s: string): boolean {
    this.skip();
    return this.text.startsWith(s, this.pos);
  }

  eat(s: string): boolean {
    if (this.peek(s)) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  done(): boolean {
    this.skip();
    return this.pos >= this.text.length;
  }

  fail(problem: DecisionKey): never {
    throw new CellSyntaxError("cellAt", { "problem@": problem, pos: this.pos, text: JSON.stringify(this.text) });
  }

  literal(): unknown {
    this.skip();
    const c = this.text[this.pos];
    if (c === '"' || c === "'") {
      let out = "";
      let i = this.pos + 1;
      while (i < this.text.length && this.text[i] !== c) {
        if (this.text[i] === "\\" && i + 1 < this.text.length) {
          out += this.text[i + 1];
          i += 2;
        } else out += this.text[i++];
      }
      if (i >= this.text.length) this.fail("cellUnterminated");
      this.pos = i + 1;
      return out;
    }
    const num = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      return Number(num[0]);
    }
    for (const [word, value] of [["true", true], ["false", false], ["null", null]] as const) {
      if (this.text.startsWith(word, this.pos) && !/\w/.test(this.text[this.pos + word.length] ?? "")) {
        this.pos += word.length;
        return value;
      }
    }
    if (this.eat("date(")) {
      const v = this.literal();
      if (!this.eat(")")) this.fail("cellCloseParen");
      if (parseInstant(v) === undefined) this.fail("cellDateArg");
      return v;
    }
    return this.fail("cellValue");
  }

  atom(): AtomTest {
    this.skip();
    for (const op of ["<=", ">=", "!=", "<", ">", "="] as const) {
      if (this.eat(op)) {
        const value = this.literal();
        return op === "=" ? { kind: "eq", value } : { kind: "cmp", op, value };
      }
    }
    if (this.peek("[") || this.peek("(") || this.peek("]")) {
      const open = this.text[this.pos]!;
      this.pos++;
      const low = this.literal();
      if (!this.eat("..")) this.fail("cellIntervalDots");
      const high = this.literal();
      this.skip();
      const close = this.text[this.pos];
      if (close !== "]" && close !== ")" && close !== "[") this.fail("cellIntervalClose");
      this.pos++;
      const order = compareValues(low, high);
      if (order === undefined) this.fail("cellIntervalEnds");
      if (order > 0) this.fail("cellIntervalOrder");
      return { kind: "range", low, lowClosed: open === "[", high, highClosed: close === "]" };
    }
    return { kind: "eq", value: this.literal() };
  }

  list(): AtomTest[] {
    const tests = [this.atom()];
    while (this.eat(",")) tests.push(this.atom());
    return tests;
  }
}

/**
 * Parse one input cell. Non-string JSON (numbers, booleans, null) is an
 * equality test on that literal.
 * @throws CellSyntaxError with the position of the problem
 */
export function parseUnaryTest(cell: string | number | boolean | null): UnaryTest {
  if (typeof cell !== "string") return { kind: "list", negate: false, tests: [{ kind: "eq", value: cell }] };
  const text = cell.trim();
  if (text === "-" || text === "") return { kind: "any" };
  const r = new Reader(text);
  let negate = false;
  let tests: AtomTest[];
  if (r.eat("not(")) {
    negate = true;
    tests = r.list();
    if (!r.eat(")")) r.fail("cellCloseNot");
  } else {
    tests = r.list();
  }
  if (!r.done()) r.fail("cellUnexpected");
  return { kind: "list", negate, tests };
}

function atomPredicate(t: AtomTest): (v: unknown) => boolean {
  switch (t.kind) {
    case "eq": {
      const e = t.value;
      if (typeof e === "boolean" || e === null) return (v) => v === e || (e === null && v === undefined);
      // A decimal-string input ("68000.00") equals the number cell 68000.
      if (typeof e === "number") return (v) => v === e || (typeof v !== "number" && v !== null && v !== undefined && valuesEqual(v, e));
      return (v) => valuesEqual(v, e);
    }
    case "cmp": {
      const e = t.value;
      switch (t.op) {
        case "<":
          return (v) => (orderForComparison(v, e, "<") ?? NaN) < 0;
        case "<=":
          return (v) => (orderForComparison(v, e, "<=") ?? NaN) <= 0;
        case ">":
          return (v) => (orderForComparison(v, e, ">") ?? NaN) > 0;
        case ">=":
          return (v) => (orderForComparison(v, e, ">=") ?? NaN) >= 0;
        case "!=":
          return (v) => !valuesEqual(v, e);
      }
      break;
    }
    case "range": {
      const { low, high, lowClosed, highClosed } = t;
      return (v) => {
        const a = orderForComparison(v, low, "..");
        const b = orderForComparison(v, high, "..");
        if (a === undefined || b === undefined) return false;
        return (lowClosed ? a >= 0 : a > 0) && (highClosed ? b <= 0 : b < 0);
      };
    }
  }
}

/**
 * True when the cell orders its input (`>= 5`, `[1..5)`): such a test never
 * holds for a missing input, which the table reports as a warning.
 */
export function isOrderingTest(test: UnaryTest): boolean {
  return test.kind === "list" && test.tests.some((t) => t.kind === "range" || (t.kind === "cmp" && t.op !== "!="));
}

/** Compile a parsed cell into a predicate. */
export function compileUnaryTest(test: UnaryTest): (value: unknown) => boolean {
  if (test.kind === "any") return () => true;
  const preds = test.tests.map(atomPredicate);
  const one = preds.length === 1 ? preds[0]! : undefined;
  const anyOf = one ?? ((v: unknown) => preds.some((p) => p(v)));
  return test.negate ? (v) => !anyOf(v) : anyOf;
}

/**
 * When a cell only tests equality with strings, numbers or booleans (no
 * dates), the set of values it accepts; used to index rows. `undefined`
 * otherwise.
 */
export function equalityKeys(test: UnaryTest): unknown[] | undefined {
  if (test.kind !== "list" || test.negate) return undefined;
  const keys: unknown[] = [];
  for (const t of test.tests) {
    if (t.kind !== "eq") return undefined;
    const v = t.value;
    if (typeof v === "string" ? parseInstant(v) !== undefined : typeof v !== "number" && typeof v !== "boolean") return undefined;
    keys.push(v);
  }
  return keys;
}
