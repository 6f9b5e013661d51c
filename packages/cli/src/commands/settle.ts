/** `ruleflow settle <program.json>... --orders <orders.jsonl|csv> --period <YYYY-MM> [...]` */
import { parseArgs } from "node:util";
import { compileDefinition, isRuleflowError, resolveLocale, ValidationError, type CompiledRebate } from "@ruleflow/engine";
import {
  createRebateSettlement,
  explainStatement,
  statementLineCount,
  statementLines,
  statementJson,
  type RebateSettlement,
  type RebateStatement,
  type StatementLine,
} from "@ruleflow/engine/rebates";
import { CliError, errorMessage, escapeStrings, type Io, readJson } from "../io.js";
import { readOrders, streamOrders } from "../orders.js";
import { invalidDefinition, loadRegistry, readDefinitions } from "../registry.js";

export const settleUsage =
  "ruleflow settle <program.json>... --orders <orders.jsonl|.csv|.json|-> --period <YYYY-MM> [--previous <statement.json>]... [--at <ISO time>] [--definitions <file.json>]... [--prior-basis <file.json>] [--format json|table] [--max-lines <n>] [--locale en|zh-CN]";

function programVersions(file: string, io: Io): CompiledRebate[] {
  return readDefinitions(file, io).map((d) => {
    let def;
    try {
      def = compileDefinition(d);
    } catch (e) {
      if (e instanceof ValidationError) throw invalidDefinition(file, e);
      throw e;
    }
    if (def.kind !== "rebate") throw new CliError(`${file}: expected a rebate program, got a ${def.kind}`);
    return def;
  });
}

/** An engine error as the one-line CliError the user sees; anything else as it is. */
function userError(e: unknown): unknown {
  return isRuleflowError(e) ? new CliError(errorMessage(e)) : e;
}

/** The statement with only its first `max` lines (the rest are counted), strings escaped, for the tables. */
function forTables(statement: RebateStatement, max: number | undefined): RebateStatement {
  const shown: Record<string, unknown> = {};
  // Object.keys, not a spread: the lines are not built by looking at the statement.
  for (const key of Object.keys(statement)) if (key !== "lines") shown[key] = (statement as unknown as Record<string, unknown>)[key];
  const lines: StatementLine[] = [];
  const end = max ?? 50;
  if (end > 0) {
    for (const line of statementLines(statement)) {
      lines.push(line);
      if (lines.length >= end) break;
    }
  }
  shown["lines"] = lines;
  return escapeStrings(shown as unknown as RebateStatement);
}

/**
 * Settle a rebate program for one period and print the statement: JSON by
 * default, or readable tables with `--format table` (`--locale zh-CN` writes
 * the tables in Simplified Chinese; the JSON is the same in every locale).
 *
 * A .jsonl or .csv order file is read in chunks and settled line by line, and
 * the JSON statement is written line by line: ten million order lines settle
 * in a few hundred megabytes. A .json array and standard input are read whole.
 *
 * @param args - the arguments after `settle`
 * @param io - output streams and standard input
 * @returns the exit code (0; user errors throw a one-line CliError)
 * @example
 * ```ts
 * await settleCommand(["program.json", "--orders", "orders.jsonl", "--period", "2026-02"], io);
 * ```
 */
export async function settleCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      orders: { type: "string" },
      period: { type: "string" },
      previous: { type: "string", multiple: true },
      at: { type: "string" },
      definitions: { type: "string", multiple: true },
      "prior-basis": { type: "string" },
      format: { type: "string" },
      "max-lines": { type: "string" },
      locale: { type: "string" },
    },
  });
  if (positionals.length === 0 || !values.orders || !values.period) throw new CliError(`usage: ${settleUsage}`);
  const format = values.format ?? "json";
  if (format !== "json" && format !== "table") throw new CliError(`--format must be json or table, got "${format}"`);
  const maxLines = values["max-lines"] === undefined ? undefined : Number(values["max-lines"]);
  if (maxLines !== undefined && !(Number.isInteger(maxLines) && maxLines >= 0)) throw new CliError(`--max-lines must be a whole number, got "${values["max-lines"]}"`);
  let locale;
  try {
    locale = resolveLocale(values.locale);
  } catch (e) {
    if (isRuleflowError(e)) throw new CliError(`--${e.message}`);
    throw e;
  }
  // Each file holds one version or an array of versions of the program.
  const program = positionals.flatMap((file) => programVersions(file, io));
  // Standard input and a JSON array are read whole, first, as always. A .jsonl or .csv file is
  // streamed; its errors still come first, then those of the other files, then the settlement's:
  // the other files are read before it, but their errors wait until it has been read.
  const lower = values.orders.toLowerCase();
  const whole = values.orders === "-" || lower.endsWith(".json") ? readOrders(values.orders, io) : undefined;
  let failure: unknown;
  let settlement: RebateSettlement | undefined;
  try {
    const previous = (values.previous ?? []).map((p) => readJson(p, io) as RebateStatement);
    const definitions = values.definitions?.length ? loadRegistry(values.definitions, io).registry : undefined;
    const priorBasis = values["prior-basis"] === undefined ? undefined : (readJson(values["prior-basis"], io) as Record<string, string>);
    settlement = createRebateSettlement({ program, period: values.period, previous, at: values.at, definitions, priorBasis });
  } catch (e) {
    failure = e;
  }
  // Lines go to the settlement in batches (one entry into the program's time context each).
  let batch: unknown[] = [];
  const flush = (): void => {
    if (settlement && failure === undefined && batch.length) {
      try {
        settlement.addAll(batch);
      } catch (e) {
        failure = e;
      }
    }
    batch = [];
  };
  const take = (facts: unknown): void => {
    if (failure !== undefined) return;
    batch.push(facts);
    if (batch.length >= 4096) flush();
  };
  if (whole) whole.forEach(take);
  else await streamOrders(values.orders, io, take);
  flush();
  if (failure !== undefined || !settlement) throw userError(failure);
  let statement: RebateStatement;
  try {
    statement = settlement.finish();
  } catch (e) {
    throw userError(e);
  }
  if (format === "json") {
    // Written piece by piece; when standard output is a pipe that fills up, wait for it to drain.
    for (const piece of statementJson(statement)) {
      io.out(piece);
      if (process.stdout.writableLength > 1 << 20) await new Promise((resolve) => process.stdout.once("drain", resolve));
    }
    io.out("\n");
  } else io.out(`${explainStatement(forTables(statement, maxLines), { maxLines, locale, lineCount: statementLineCount(statement) })}\n`);
  return 0;
}
