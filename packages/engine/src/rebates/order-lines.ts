/**
 * Reading order lines for settlement from text: JSON Lines (one object per
 * line), a JSON array, or CSV whose header names fact paths (`order.id`,
 * `line.netAmount`, `customer.region`). The `ruleflow settle` command and the
 * studio both read files with it.
 */
import { ArgumentError } from "../core/errors.js";

/** The formats {@link parseOrderLines} reads. */
export type OrderLinesFormat = "jsonl" | "json" | "csv";

/** Options of {@link parseOrderLines}. */
export interface ParseOrderLinesOptions {
  /** The file name (or `-`), used in error messages and to tell the format by its extension. */
  source?: string;
  /** The format; default: by the extension of `source` (`.csv`, `.json`, else JSON Lines), or by content for `-` or no name. */
  format?: OrderLinesFormat;
}

/**
 * Parse CSV text (RFC 4180: quotes, doubled quotes, CRLF) into rows of cells.
 * A leading byte-order mark is skipped; blank lines are dropped.
 * @internal
 */
export function parseCsv(text: string, source = "CSV"): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += c;
    } else if (c === '"' && cell === "") quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (quoted) throw new ArgumentError(source, "a quoted cell is not closed");
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.length > 1 || r[0] !== "");
}

/**
 * A CSV cell as a fact value: empty is missing, true/false are booleans,
 * plain numbers of at most 15 significant digits are numbers (so conditions
 * compare them as numbers and money stays exact); everything else, and
 * numbers with leading zeros such as ids, stays text.
 * @internal
 */
export function csvValue(cell: string): unknown {
  if (cell === "") return undefined;
  if (cell === "true") return true;
  if (cell === "false") return false;
  if (/^-?(0|[1-9]\d*)(\.\d+)?$/.test(cell) && cell.replace(/[-.]/g, "").replace(/^0+/, "").length <= 15) return Number(cell);
  return cell;
}

const FORBIDDEN = new Set(["__proto__", "constructor", "prototype"]);

/**
 * The fact path of each column of a CSV header, split into segments.
 * @throws {@link ArgumentError} naming the column that is not a fact path
 * @internal
 */
function csvFactPaths(header: readonly string[], source: string): string[][] {
  return header.map((h, i) => {
    const segs = h.trim().split(".");
    if (segs.some((s) => s === "" || FORBIDDEN.has(s))) throw new ArgumentError(source, `column ${i + 1} "${h}" is not a fact path such as order.id`);
    return segs;
  });
}

/**
 * One CSV row's cells as a nested fact object, under the header's fact
 * paths (cells typed by `csvValue`; an empty cell is a missing fact).
 * @internal
 */
function csvRowFacts(paths: readonly (readonly string[])[], cells: readonly string[]): Record<string, unknown> {
  const facts: Record<string, unknown> = {};
  cells.forEach((cell, c) => {
    const value = csvValue(cell);
    if (value === undefined) return;
    const segs = paths[c]!;
    let cur = facts;
    for (let k = 0; k < segs.length - 1; k++) {
      const next = cur[segs[k]!];
      if (typeof next !== "object" || next === null) cur[segs[k]!] = {};
      cur = cur[segs[k]!] as Record<string, unknown>;
    }
    cur[segs[segs.length - 1]!] = value;
  });
  return facts;
}

/**
 * CSV rows with a header of fact paths -> nested fact objects.
 * @internal
 */
export function csvToFacts(rows: string[][], source: string): Record<string, unknown>[] {
  const [header, ...body] = rows;
  if (!header) return [];
  const paths = csvFactPaths(header, source);
  return body.map((cells, r) => {
    if (cells.length !== paths.length) throw new ArgumentError(source, `row ${r + 2} has ${cells.length} cells, the header has ${paths.length}`);
    return csvRowFacts(paths, cells);
  });
}

/** Reads CSV one physical line at a time; see {@link createCsvLineReader}. */
export interface CsvLineReader {
  /**
   * Take the next line of the file (without its line break).
   * @param text - the line
   * @param lineNo - its number in the file, from 1 (for messages)
   * @returns the facts of the record the line completes; undefined for the header, a blank
   *   line, or a line inside a quoted cell that goes on to the next line
   * @throws {@link ArgumentError} `orders.csv:12: ...` for a row whose cell count is not the header's
   */
  line(text: string, lineNo: number): Record<string, unknown> | undefined;
  /** The file has ended. @throws {@link ArgumentError} when a quoted cell was never closed */
  end(): void;
}

/**
 * Read CSV order lines (a header of fact paths, as {@link parseOrderLines}
 * reads them) one physical line at a time, for files too large to hold:
 * the same cell typing, quoted cells across line breaks, and errors that name
 * the line.
 *
 * @param source - the file name, for messages
 * @returns a {@link CsvLineReader}
 * @example
 * ```ts
 * const reader = createCsvLineReader("orders.csv");
 * reader.line("order.id,line.netAmount", 1); // undefined (the header)
 * reader.line("SO-1,125000.00", 2); // { order: { id: "SO-1" }, line: { netAmount: 125000 } }
 * ```
 */
export function createCsvLineReader(source: string): CsvLineReader {
  let paths: string[][] | undefined;
  let pending: string | undefined;
  let start = 0;
  let quotes = 0;
  const count = (text: string): number => {
    let n = 0;
    for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) n++;
    return n;
  };
  return {
    line(text, lineNo) {
      if (pending === undefined) {
        pending = lineNo === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
        start = lineNo;
        quotes = count(text);
      } else {
        pending += `\n${text}`;
        quotes += count(text);
      }
      // An odd number of quotes so far: a quoted cell goes on to the next line.
      if (quotes % 2 === 1) return undefined;
      const record = pending;
      pending = undefined;
      const where = `${source}:${start}`;
      const [cells] = parseCsv(record, where);
      if (!cells) return undefined;
      if (!paths) {
        paths = csvFactPaths(cells, where);
        return undefined;
      }
      if (cells.length !== paths.length) throw new ArgumentError(where, `the row has ${cells.length} cells, the header has ${paths.length}`);
      return csvRowFacts(paths, cells);
    },
    end() {
      if (pending !== undefined) throw new ArgumentError(`${source}:${start}`, "a quoted cell is not closed");
    },
  };
}

/** Options of {@link createOrderLinesReader}. */
export interface OrderLinesReaderOptions {
  /** The file name (or `-`), used in error messages. */
  source?: string | undefined;
  /** The format: JSON Lines and CSV are read as they come; a JSON array is read whole at `end`. */
  format: OrderLinesFormat;
}

/**
 * Reads order lines from text that arrives in pieces; see {@link createOrderLinesReader}.
 */
export interface OrderLinesReader {
  /**
   * Take the next piece of the text, split anywhere (even inside a line, a
   * quoted cell or a CRLF pair). Each order line it completes goes to `onLine`.
   * @throws {@link ArgumentError} for a line of JSON Lines that is not valid JSON, naming the file and line
   */
  write(text: string): void;
  /**
   * The text has ended: the last line is read.
   * @throws {@link ArgumentError} as {@link parseOrderLines} throws for the whole text: an unclosed
   *   quoted cell, a CSV header that is not fact paths, a row with the wrong number of cells,
   *   a JSON array that is not valid
   */
  end(): void;
}

/**
 * Read order lines from text given piece by piece (a file read in chunks),
 * with what {@link parseOrderLines} gives for the whole text: the same facts,
 * in order, and the same errors. CSV errors of the header or of a row are
 * thrown at `end` (after an unclosed quoted cell is ruled out, as the whole
 * text would be parsed first); JSON Lines errors at once. A leading
 * byte-order mark is skipped in CSV (as `parseOrderLines` skips it).
 *
 * @param onLine - called with the facts of each order line, in order
 * @param options - the file name (for messages) and the format
 * @returns an {@link OrderLinesReader}
 * @example
 * ```ts
 * const lines: unknown[] = [];
 * const reader = createOrderLinesReader((facts) => lines.push(facts), { source: "orders.csv", format: "csv" });
 * reader.write("order.id,line.net");
 * reader.write("Amount\nSO-1,125000.00\n");
 * reader.end(); // lines: [{ order: { id: "SO-1" }, line: { netAmount: 125000 } }]
 * ```
 */
export function createOrderLinesReader(onLine: (facts: unknown) => void, options: OrderLinesReaderOptions): OrderLinesReader {
  const source = options.source ?? "order lines";
  if (options.format === "csv") return csvReader(onLine, source);
  if (options.format === "json") {
    let text = "";
    return {
      write(piece) {
        text += piece;
      },
      end() {
        for (const line of parseJsonArray(text, source)) onLine(line);
      },
    };
  }
  if (options.format !== "jsonl") throw new ArgumentError("format", `expected jsonl, json or csv, got ${JSON.stringify(options.format)}`);
  let rest = "";
  let lineNo = 0;
  const take = (line: string): void => {
    lineNo++;
    if (line.trim() === "") return;
    let facts: unknown;
    try {
      facts = JSON.parse(line);
    } catch (e) {
      throw new ArgumentError(`${source}:${lineNo}`, `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    onLine(facts);
  };
  return {
    write(piece) {
      const text = rest + piece;
      let from = 0;
      for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", from)) {
        take(text.slice(from, nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl));
        from = nl + 1;
      }
      rest = text.slice(from);
    },
    end() {
      take(rest);
      rest = "";
    },
  };
}

function parseJsonArray(text: string, source: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new ArgumentError(source, `not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!Array.isArray(value)) throw new ArgumentError(source, "expected an array of order lines");
  return value;
}

/** CSV (as {@link parseCsv} and {@link csvToFacts} read it) from text in pieces. */
function csvReader(onLine: (facts: unknown) => void, source: string): OrderLinesReader {
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  /** A quote inside a quoted cell ended the last piece: doubled, or the cell's end? */
  let quoteAtEnd = false;
  /** A CR ended the last piece: skip an LF right after it. */
  let crAtEnd = false;
  let started = false;
  let paths: string[][] | undefined;
  let rowNo = 0;
  let failure: ArgumentError | undefined;
  const finishRow = (cells: string[]): void => {
    if (cells.length <= 1 && cells[0] === "") return;
    rowNo++;
    if (failure) return;
    if (!paths) {
      try {
        paths = csvFactPaths(cells, source);
      } catch (e) {
        if (!(e instanceof ArgumentError)) throw e;
        failure = e;
      }
      return;
    }
    if (cells.length !== paths.length) failure = new ArgumentError(source, `row ${rowNo} has ${cells.length} cells, the header has ${paths.length}`);
    else onLine(csvRowFacts(paths, cells));
  };
  return {
    write(text) {
      let i = 0;
      if (!started && text !== "") {
        started = true;
        if (text.charCodeAt(0) === 0xfeff) i = 1;
      }
      if (quoteAtEnd && i < text.length) {
        quoteAtEnd = false;
        if (text[i] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      }
      if (crAtEnd && i < text.length) {
        crAtEnd = false;
        if (text[i] === "\n") i++;
      }
      for (; i < text.length; i++) {
        const c = text[i]!;
        if (quoted) {
          if (c === '"') {
            if (i + 1 === text.length) quoteAtEnd = true;
            else if (text[i + 1] === '"') {
              cell += '"';
              i++;
            } else quoted = false;
          } else {
            // The run of plain characters up to the next quote, at once.
            const q = text.indexOf('"', i);
            const stop = q < 0 ? text.length : q;
            cell += text.slice(i, stop);
            i = stop - 1;
          }
        } else if (c === '"' && cell === "") quoted = true;
        else if (c === ",") {
          row.push(cell);
          cell = "";
        } else if (c === "\n" || c === "\r") {
          if (c === "\r") {
            if (i + 1 === text.length) crAtEnd = true;
            else if (text[i + 1] === "\n") i++;
          }
          row.push(cell);
          finishRow(row);
          row = [];
          cell = "";
        } else {
          // The run of plain characters up to the next special one, at once.
          let stop = i + 1;
          while (stop < text.length) {
            const d = text.charCodeAt(stop);
            if (d === 44 || d === 10 || d === 13 || d === 34) break;
            stop++;
          }
          cell += text.slice(i, stop);
          i = stop - 1;
        }
      }
    },
    end() {
      if (quoteAtEnd) {
        quoteAtEnd = false;
        quoted = false;
      }
      if (quoted) throw new ArgumentError(source, "a quoted cell is not closed");
      if (cell !== "" || row.length) {
        row.push(cell);
        finishRow(row);
        row = [];
        cell = "";
      }
      if (failure) throw failure;
    },
  };
}

/**
 * Order lines from a file's text, for {@link settleRebates}: JSON Lines, a
 * JSON array, or CSV with a header of fact paths (cells typed by `csvValue`'s
 * rules: numbers of at most 15 significant digits, booleans, else text).
 *
 * @param text - the file's content
 * @param options - the file name (for messages and the format) or the format
 * @returns one fact object per order line
 * @throws {@link ArgumentError} naming the file and the line, row or column at fault
 *
 * @example
 * ```ts
 * parseOrderLines("order.id,line.netAmount\nSO-1,125000.00\n", { source: "orders.csv" });
 * // [{ order: { id: "SO-1" }, line: { netAmount: 125000 } }]
 * ```
 */
export function parseOrderLines(text: string, options: ParseOrderLinesOptions = {}): unknown[] {
  const source = options.source ?? "order lines";
  const out: unknown[] = [];
  const reader = createOrderLinesReader((facts) => out.push(facts), { source, format: orderLinesFormat(text, options) });
  reader.write(text);
  reader.end();
  return out;
}

/**
 * The format {@link parseOrderLines} reads `text` in: `options.format`, else by
 * the extension of `options.source` (`.csv`, `.json`, else JSON Lines), else
 * (for `-` or no name) by the content.
 * @internal
 */
function orderLinesFormat(text: string, options: ParseOrderLinesOptions = {}): OrderLinesFormat {
  const source = options.source ?? "order lines";
  const lower = source.toLowerCase();
  const trimmed = text.trimStart();
  const byContent = !options.source || source === "-";
  return (
    options.format ??
    (lower.endsWith(".csv") || (byContent && trimmed !== "" && !trimmed.startsWith("{") && !trimmed.startsWith("["))
      ? "csv"
      : lower.endsWith(".json") || (byContent && trimmed.startsWith("["))
        ? "json"
        : "jsonl")
  );
}
