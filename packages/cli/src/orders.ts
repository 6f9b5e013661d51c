/**
 * Reading order lines for `ruleflow settle`: JSON Lines (one object per
 * line), a JSON array, or CSV whose header names fact paths (`order.id`,
 * `line.netAmount`, `customer.region`).
 */
import { CliError, readText, type Io } from "./io.js";

/**
 * Parse CSV text (RFC 4180: quotes, doubled quotes, CRLF) into rows of cells.
 *
 * @param text - the file's text (a leading byte-order mark is skipped)
 * @returns rows of cells; blank lines are dropped
 * @example
 * ```ts
 * parseCsv('a,b\n"x, y",2\n'); // [["a", "b"], ["x, y", "2"]]
 * ```
 */
export function parseCsv(text: string): string[][] {
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
  if (quoted) throw new CliError("CSV: a quoted cell is not closed");
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
 *
 * @param cell - the cell's text
 * @returns the typed value, or undefined for an empty cell
 * @example
 * ```ts
 * [csvValue("125000.00"), csvValue("007"), csvValue("")]; // [125000, "007", undefined]
 * ```
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
 * CSV rows with a header of fact paths -> nested fact objects.
 *
 * @param rows - parsed rows, the first being the header
 * @param file - the file name, for error messages
 * @returns one fact object per row
 * @example
 * ```ts
 * csvToFacts([["order.id", "line.no"], ["SO-1", "2"]], "o.csv"); // [{ order: { id: "SO-1" }, line: { no: 2 } }]
 * ```
 */
export function csvToFacts(rows: string[][], file: string): Record<string, unknown>[] {
  const [header, ...body] = rows;
  if (!header) return [];
  const paths = header.map((h, i) => {
    const segs = h.trim().split(".");
    if (segs.some((s) => s === "" || FORBIDDEN.has(s))) throw new CliError(`${file}: column ${i + 1} "${h}" is not a fact path such as order.id`);
    return segs;
  });
  return body.map((cells, r) => {
    if (cells.length !== paths.length) throw new CliError(`${file}: row ${r + 2} has ${cells.length} cells, the header has ${paths.length}`);
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
  });
}

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
  const lower = path.toLowerCase();
  const trimmed = text.trimStart();
  if (lower.endsWith(".csv") || (path === "-" && !trimmed.startsWith("{") && !trimmed.startsWith("["))) return csvToFacts(parseCsv(text), path);
  if (lower.endsWith(".json") || (path === "-" && trimmed.startsWith("["))) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new CliError(`${path}: not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!Array.isArray(value)) throw new CliError(`${path}: expected an array of order lines`);
    return value;
  }
  const out: unknown[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === "") return;
    try {
      out.push(JSON.parse(line));
    } catch (e) {
      throw new CliError(`${path}:${i + 1}: not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  return out;
}
