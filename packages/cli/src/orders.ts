/**
 * Reading order lines for `ruleflow settle`: JSON Lines (one object per
 * line), a JSON array, or CSV whose header names fact paths (`order.id`,
 * `line.netAmount`, `customer.region`). The parsing is the engine's
 * `parseOrderLines` (the studio reads dropped files with it too); this adds
 * reading the file and refusing content that is not text.
 */
import { isRuleflowError } from "@ruleflow/engine";
import { parseOrderLines } from "@ruleflow/engine/rebates";
import { CliError, readText, type Io } from "./io.js";

/**
 * Read order lines from a .jsonl, .json or .csv file (`-` for standard input, format by content).
 * Content that is not text (malformed UTF-8, NUL or other control characters) is
 * refused with its line and byte offset rather than read as an empty CSV.
 *
 * @param path - the file, or `-`
 * @param io - where standard input comes from
 * @returns the order-line fact objects
 * @example
 * ```ts
 * readOrders("orders-2026-02.csv", io).length;
 * ```
 */
export function readOrders(path: string, io: Io): unknown[] {
  const text = readText(path, io);
  try {
    return parseOrderLines(text, { source: path });
  } catch (e) {
    if (isRuleflowError(e, "INVALID_ARGUMENT")) throw new CliError(e.message);
    throw e;
  }
}
