/**
 * Statements whose lines are built when first read: a settlement keeps its
 * lines as columns and makes the line objects only for a caller that looks.
 * {@link statementLines} and {@link statementJson} go through them one at
 * a time, so a statement of ten million lines can be written out without
 * holding ten million objects.
 */
import type { RebateStatement, StatementLine } from "./statement.js";

interface Lazy {
  readonly count: number;
  readonly at: (i: number) => StatementLine;
}

const pending = new WeakMap<RebateStatement, Lazy>();

/**
 * Give `statement` the `lines` that `at(0)` ... `at(count - 1)` build: an
 * enumerable property in its place, built on first read (then an ordinary
 * array property, which may be replaced or changed as any other).
 * @internal
 */
export function lazyLines(statement: RebateStatement, count: number, at: (i: number) => StatementLine): RebateStatement {
  if (count === 0) return statement;
  const settle = (lines: StatementLine[]): StatementLine[] => {
    pending.delete(statement);
    Object.defineProperty(statement, "lines", { value: lines, writable: true, enumerable: true, configurable: true });
    return lines;
  };
  pending.set(statement, { count, at });
  Object.defineProperty(statement, "lines", {
    enumerable: true,
    configurable: true,
    get(): StatementLine[] {
      const lines = new Array<StatementLine>(count);
      for (let i = 0; i < count; i++) lines[i] = at(i);
      return settle(lines);
    },
    set(lines: StatementLine[]) {
      settle(lines);
    },
  });
  return statement;
}

/**
 * How many lines a statement has, without building them.
 *
 * @param statement - a statement from `settleRebates` (or any statement)
 * @returns `statement.lines.length`
 * @example
 * ```ts
 * statementLineCount(settleRebates({ program, lines, period: "2026-02" })); // 980075
 * ```
 */
export function statementLineCount(statement: RebateStatement): number {
  return pending.get(statement)?.count ?? statement.lines.length;
}

/**
 * A statement's lines one at a time, in order: the same objects
 * `statement.lines` holds, but not all held at once when they have not been
 * built yet (each is built as it is reached).
 *
 * @param statement - a statement from `settleRebates` (or any statement)
 * @returns the lines, in statement order
 * @example
 * ```ts
 * for (const line of statementLines(statement)) if (line.due.startsWith("-")) console.log(line.key);
 * ```
 */
export function* statementLines(statement: RebateStatement): Generator<StatementLine, void, undefined> {
  const lazy = pending.get(statement);
  if (!lazy) {
    yield* statement.lines;
    return;
  }
  for (let i = 0; i < lazy.count; i++) yield lazy.at(i);
}

/**
 * A statement as the text of `JSON.stringify(statement, null, 2)`, in pieces
 * (of about 64 KB): the lines of a statement whose lines have not been built
 * are built, written and dropped in turn, so neither the line objects nor the
 * whole text are ever held. Take the pieces as they come, and wait between
 * them when the output asks to (a pipe that is full).
 *
 * @param statement - the statement
 * @returns the pieces of the text, in order (no trailing newline)
 * @example
 * ```ts
 * for (const piece of statementJson(statement)) process.stdout.write(piece);
 * ```
 */
export function* statementJson(statement: RebateStatement): Generator<string, void, undefined> {
  const lazy = pending.get(statement);
  let out = "{";
  let first = true;
  for (const key of Object.keys(statement)) {
    if (key === "lines" && lazy) {
      out += `${first ? "" : ","}\n  ${JSON.stringify(key)}: [`;
      first = false;
      for (let i = 0; i < lazy.count; i++) {
        out += `${i ? "," : ""}\n    ${JSON.stringify(lazy.at(i), null, 2).replace(/\n/g, "\n    ")}`;
        if (out.length > 1 << 16) {
          yield out;
          out = "";
        }
      }
      out += "\n  ]";
      continue;
    }
    const text = JSON.stringify((statement as unknown as Record<string, unknown>)[key], null, 2) as string | undefined;
    if (text === undefined) continue;
    out += `${first ? "" : ","}\n  ${JSON.stringify(key)}: ${text.replace(/\n/g, "\n  ")}`;
    first = false;
    if (out.length > 1 << 16) {
      yield out;
      out = "";
    }
  }
  yield out + (first ? "}" : "\n}");
}
