/** `ruleflow settle <program.json>... --orders <orders.jsonl|csv> --period <YYYY-MM> [...]` */
import { parseArgs } from "node:util";
import { compileDefinition, isRuleflowError, resolveLocale, ValidationError, type CompiledRebate } from "@ruleflow/engine";
import { explainStatement, settleRebates, type RebateStatement } from "@ruleflow/engine/rebates";
import { CliError, errorMessage, escapeStrings, type Io, json, readJson } from "../io.js";
import { readOrders } from "../orders.js";
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

/**
 * Settle a rebate program for one period and print the statement: JSON by
 * default, or readable tables with `--format table` (`--locale zh-CN` writes
 * the tables in Simplified Chinese; the JSON is the same in every locale).
 *
 * @param args - the arguments after `settle`
 * @param io - output streams and standard input
 * @returns the exit code (0; user errors throw a one-line CliError)
 * @example
 * ```ts
 * settleCommand(["program.json", "--orders", "orders.jsonl", "--period", "2026-02"], io);
 * ```
 */
export function settleCommand(args: string[], io: Io): number {
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
  const lines = readOrders(values.orders, io);
  const previous = (values.previous ?? []).map((p) => readJson(p, io) as RebateStatement);
  const definitions = values.definitions?.length ? loadRegistry(values.definitions, io).registry : undefined;
  const priorBasis = values["prior-basis"] === undefined ? undefined : (readJson(values["prior-basis"], io) as Record<string, string>);
  try {
    const statement = settleRebates({ program, lines, period: values.period, previous, at: values.at, definitions, priorBasis });
    io.out(format === "json" ? json(statement) : `${explainStatement(escapeStrings(statement), { maxLines, locale })}\n`);
    return 0;
  } catch (e) {
    if (isRuleflowError(e)) throw new CliError(errorMessage(e));
    throw e;
  }
}
