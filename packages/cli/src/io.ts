/** Input and output helpers shared by the commands. */
import { readFileSync } from "node:fs";
import { formatIssue, ValidationError } from "@ruleflow/engine";

/** Where a command writes. Tests pass buffers; the binary passes the process streams. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Reads standard input fully (for `-` arguments). */
  stdin(): string;
}

// C0 and C1 controls, DEL, the Unicode line and paragraph separators and the
// bidirectional overrides: anything that could end a line or make one line look like another.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const SHORT: Record<string, string> = { "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f" };

/**
 * Escape control characters JSON-style (`\n`, `\r`, `\u0000`, `\u2028`...) so a
 * value from a file, an argument or a definition prints on one line and cannot
 * forge further lines of output.
 *
 * @param text - the text to print
 * @returns the text with every control character escaped
 * @example
 * ```ts
 * oneLine("SO-1\nruleflow: ok"); // "SO-1\\nruleflow: ok"
 * ```
 */
export function oneLine(text: string): string {
  return text.replace(UNSAFE, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A copy of `value` with every string passed through {@link oneLine} (for table output). */
export function escapeStrings<T>(value: T): T {
  if (typeof value === "string") return oneLine(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => escapeStrings(v)) as T;
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    // defineProperty, so an own "__proto__" key stays a key and never reaches the prototype
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: escapeStrings(v), enumerable: true, writable: true, configurable: true });
    return out as T;
  }
  return value;
}

/** A user-facing failure: printed as one line (control characters escaped), exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(oneLine(message));
  }
}

/**
 * The whole message of an engine error for a {@link CliError}, on one line: a
 * ValidationError as its heading and every problem, separated by `; `; any other
 * error as its message. Line breaks inside values are then escaped by
 * {@link oneLine}, never cut off, so the cause is never lost and no line is forged.
 *
 * @param e - the error thrown by the engine
 * @param prefix - put before the message (a file name, say)
 * @example
 * ```ts
 * new CliError(errorMessage(e, "scenario.json: "));
 * // "scenario.json: Invalid scenario: 2 problems: start: ...; steps[0]: ..."
 * ```
 */
export function errorMessage(e: Error, prefix = ""): string {
  if (e instanceof ValidationError && e.issues.length > 0) {
    const nl = e.message.indexOf("\n");
    const heading = nl < 0 ? e.message : e.message.slice(0, nl);
    return `${prefix}${heading}: ${e.issues.map((i) => formatIssue(i)).join("; ")}`;
  }
  return `${prefix}${e.message}`;
}

function cannotRead(path: string, e: unknown): CliError {
  const code = (e as NodeJS.ErrnoException).code;
  return new CliError(`${path}: cannot read file${code === "ENOENT" ? " (no such file)" : code ? ` (${code})` : ""}`);
}

/** The byte offset of the first malformed UTF-8 sequence, or -1 when the bytes are valid UTF-8. */
function invalidUtf8At(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    // Lead byte: how many continuation bytes, and the bounds of the second byte
    // (which rule out overlong forms, surrogates and code points above U+10FFFF).
    let n: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) n = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      n = 2;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      n = 3;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= n; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return -1;
}

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

/**
 * Decode a file's bytes as text, refusing what is not text: malformed UTF-8, and
 * control characters other than tab, line feed and carriage return (NUL, escape...).
 * The error names the line and the byte offset (0-based) of the first bad byte.
 *
 * @param bytes - the file's content
 * @param path - the file name, for the error
 * @returns the text, without a leading byte-order mark
 * @throws CliError `orders.csv:3: not a text file: invalid UTF-8 (byte 0xff) at byte 57`
 */
export function decodeText(bytes: Uint8Array, path: string): string {
  const bad = invalidUtf8At(bytes);
  if (bad >= 0) {
    throw new CliError(`${path}:${lineAt(bytes, bad)}: not a text file: invalid UTF-8 (byte 0x${bytes[bad]!.toString(16).padStart(2, "0")}) at byte ${bad}`);
  }
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if ((b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) || b === 0x7f) {
      throw new CliError(`${path}:${lineAt(bytes, i)}: not a text file: control character U+${b.toString(16).padStart(4, "0").toUpperCase()} at byte ${i}`);
    }
  }
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8");
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * Read a text file (`-` for standard input), refusing binary content with the
 * line and byte offset (see {@link decodeText}).
 */
export function readText(path: string, io: Io): string {
  if (path === "-") {
    let text: string;
    try {
      text = io.stdin();
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw cannotRead(path, e);
    }
    return decodeText(Buffer.from(text, "utf8"), path);
  }
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw cannotRead(path, e);
  }
  return decodeText(bytes, path);
}

/** Read and parse a JSON file (`-` for standard input) with a one-line error on failure. */
export function readJson(path: string, io: Io): unknown {
  const text = readText(path, io);
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new CliError(`${path}: not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Pretty JSON with a trailing newline. */
export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
