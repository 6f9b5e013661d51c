/**
 * Reading order lines for `ruleflow settle`: JSON Lines (one object per
 * line), a JSON array, or CSV whose header names fact paths (`order.id`,
 * `line.netAmount`, `customer.region`). The parsing is the engine's
 * (`parseOrderLines`, `createOrderLinesReader`; the studio reads dropped files
 * with it too); this adds reading the file and refusing content that is not
 * text. A .jsonl or .csv file is read in chunks and its lines handed on one
 * at a time, so a file of ten million lines is never held.
 */
import { createReadStream } from "node:fs";
import { isRuleflowError } from "@ruleflow/engine";
import { createOrderLinesReader, parseOrderLines } from "@ruleflow/engine/rebates";
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

/**
 * Hand each order line of a file to `onLine`, in order. A .jsonl file (or any
 * name but .json and .csv) and a .csv file are read in chunks of 1 MB, so
 * memory does not grow with the file; a .json array and standard input are
 * read whole, with {@link readOrders}. Errors are those of
 * {@link readOrders}, with the same precedence: bytes that are not text
 * anywhere in the file (invalid UTF-8 first, then control characters) before
 * a line that does not parse. `onLine` must not throw (keep its errors and
 * report them after this returns: a file error comes first).
 *
 * @param path - the file, or `-`
 * @param io - where standard input comes from
 * @param onLine - called with each order line's facts
 * @returns when the whole file is read
 * @throws CliError naming the file, and the line (and byte offset) at fault
 * @example
 * ```ts
 * let n = 0;
 * await streamOrders("orders-2026-02.jsonl", io, () => n++);
 * ```
 */
export async function streamOrders(path: string, io: Io, onLine: (facts: unknown) => void): Promise<void> {
  const lower = path.toLowerCase();
  if (path === "-" || lower.endsWith(".json")) {
    for (const facts of readOrders(path, io)) onLine(facts);
    return;
  }
  const reader = createOrderLinesReader(onLine, { source: path, format: lower.endsWith(".csv") ? "csv" : "jsonl" });
  const text = new TextChecker(path);
  let failure: Error | undefined;
  const give = (piece: string): void => {
    if (failure !== undefined || piece === "") return;
    try {
      reader.write(piece);
    } catch (e) {
      failure = e as Error;
    }
  };
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) give(text.push(chunk as Buffer));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`${path}: cannot read file${code === "ENOENT" ? " (no such file)" : code ? ` (${code})` : ""}`);
  }
  text.end();
  if (failure === undefined) {
    try {
      reader.end();
    } catch (e) {
      failure = e as Error;
    }
  }
  if (failure !== undefined) {
    if (isRuleflowError(failure, "INVALID_ARGUMENT")) throw new CliError(failure.message);
    throw failure;
  }
}

/**
 * A file's bytes, chunk by chunk, as text, refused as `decodeText` refuses a
 * whole file: the first malformed UTF-8 sequence anywhere, else the first
 * control character other than tab, LF and CR, named by line and byte offset.
 * A sequence cut by a chunk's end is completed by the next chunk; a leading
 * byte-order mark is dropped. Once a problem is found no more text is given,
 * but the bytes are still checked (a malformed sequence later in the file is
 * the one reported, as it would be for the whole file).
 */
class TextChecker {
  private carry: Buffer | undefined;
  /** File offset of the next byte to check, and the line it is on. */
  private offset = 0;
  private line = 1;
  private bad: { at: number; line: number; byte: number } | undefined;
  private control: { at: number; line: number; byte: number } | undefined;
  private first = true;

  constructor(private readonly path: string) {}

  /** Check `chunk`; returns its text (up to a sequence it cuts), or "" once something is wrong. */
  push(chunk: Buffer): string {
    if (this.bad) return "";
    const buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    const n = buf.length;
    let i = 0;
    let line = this.line;
    while (i < n) {
      const b = buf[i]!;
      if (b < 0x80) {
        if (b < 0x20) {
          if (b === 0x0a) line++;
          else if (b !== 0x09 && b !== 0x0d && !this.control) this.control = { at: this.offset + i, line, byte: b };
        } else if (b === 0x7f && !this.control) this.control = { at: this.offset + i, line, byte: b };
        i++;
        continue;
      }
      // Lead byte: how many continuation bytes, and the bounds of the second byte
      // (which rule out overlong forms, surrogates and code points above U+10FFFF).
      let count: number;
      let lo = 0x80;
      let hi = 0xbf;
      if (b >= 0xc2 && b <= 0xdf) count = 1;
      else if (b >= 0xe0 && b <= 0xef) {
        count = 2;
        if (b === 0xe0) lo = 0xa0;
        if (b === 0xed) hi = 0x9f;
      } else if (b >= 0xf0 && b <= 0xf4) {
        count = 3;
        if (b === 0xf0) lo = 0x90;
        if (b === 0xf4) hi = 0x8f;
      } else {
        this.bad = { at: this.offset + i, line, byte: b };
        return "";
      }
      let k = 1;
      for (; k <= count && i + k < n; k++) {
        const c = buf[i + k]!;
        if (c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) {
          this.bad = { at: this.offset + i, line, byte: b };
          return "";
        }
      }
      if (k <= count) {
        // Cut by the chunk's end: finish it with the next chunk.
        this.carry = Buffer.from(buf.subarray(i));
        break;
      }
      i += count + 1;
    }
    this.offset += i;
    this.line = line;
    if (this.control) return "";
    let start = 0;
    if (this.first && i > 0) {
      this.first = false;
      if (i >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
    }
    return buf.toString("utf8", start, i);
  }

  /** The file has ended. @throws CliError for bytes that are not text */
  end(): void {
    if (this.carry && !this.bad) this.bad = { at: this.offset, line: this.line, byte: this.carry[0]! };
    const p = this.path;
    if (this.bad) throw new CliError(`${p}:${this.bad.line}: not a text file: invalid UTF-8 (byte 0x${this.bad.byte.toString(16).padStart(2, "0")}) at byte ${this.bad.at}`);
    if (this.control) {
      const c = this.control;
      throw new CliError(`${p}:${c.line}: not a text file: control character U+${c.byte.toString(16).padStart(4, "0").toUpperCase()} at byte ${c.at}`);
    }
  }
}
