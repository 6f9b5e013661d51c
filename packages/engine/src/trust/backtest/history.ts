/**
 * Reading a history file one line at a time, for backtests of files too
 * large to hold: JSON Lines (one object per line) or CSV with a header of
 * fact paths, typed as `parseOrderLines` types them.
 */
import { ArgumentError } from "../../core/errors.js";
import { createCsvLineReader } from "../../rebates/order-lines.js";

/** The formats {@link createHistoryReader} reads. */
export type HistoryFormat = "jsonl" | "csv";

/** Turns a history file's lines into facts; see {@link createHistoryReader}. */
export interface HistoryReader {
  /**
   * Take the next line of the file (without its line break).
   * @param text - the line
   * @param lineNo - its number in the file, from 1
   * @returns the facts of the line, or undefined for a blank line, the CSV header, or a
   *   line inside a quoted CSV cell that goes on
   * @throws {@link ArgumentError} `history.jsonl:12: not valid JSON: ...`, naming the file and line
   */
  line(text: string, lineNo: number): unknown;
  /** The file has ended. @throws {@link ArgumentError} when a quoted CSV cell was never closed */
  end(): void;
}

/**
 * A reader for one history file: JSON Lines, or CSV whose header names fact
 * paths (`order.id,line.netAmount,customer.region`), cells typed as
 * `parseOrderLines` types them.
 *
 * @param options - `source`: the file name (for messages, and the format by its extension:
 *   `.csv` is CSV, anything else JSON Lines); `format` to say it outright
 * @returns a {@link HistoryReader}
 * @example
 * ```ts
 * const reader = createHistoryReader({ source: "history.jsonl" });
 * reader.line('{"order":{"id":"SO-1"}}', 1); // { order: { id: "SO-1" } }
 * ```
 */
export function createHistoryReader(options: { source?: string | undefined; format?: HistoryFormat | undefined } = {}): HistoryReader {
  const source = options.source ?? "history";
  const format = options.format ?? (source.toLowerCase().endsWith(".csv") ? "csv" : "jsonl");
  if (format !== "csv" && format !== "jsonl") throw new ArgumentError("format", `expected jsonl or csv, got ${JSON.stringify(format)}`);
  if (format === "csv") return createCsvLineReader(source);
  return {
    line(text, lineNo) {
      const body = lineNo === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
      if (body.trim() === "") return undefined;
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch (e) {
        throw new ArgumentError(`${source}:${lineNo}`, `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new ArgumentError(`${source}:${lineNo}`, `expected an object of facts, got ${Array.isArray(value) ? "an array" : value === null ? "null" : typeof value}`);
      }
      return value;
    },
    end() {},
  };
}
