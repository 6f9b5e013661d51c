/** Input and output helpers shared by the commands. */
import { readFileSync } from "node:fs";

/** Where a command writes. Tests pass buffers; the binary passes the process streams. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Reads standard input fully (for `-` arguments). */
  stdin(): string;
}

/** A user-facing failure: printed as one line, exit code 1. */
export class CliError extends Error {}

/** Read and parse a JSON file (`-` for standard input) with a one-line error on failure. */
export function readJson(path: string, io: Io): unknown {
  let text: string;
  try {
    text = path === "-" ? io.stdin() : readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`${path}: cannot read file${code === "ENOENT" ? " (no such file)" : code ? ` (${code})` : ""}`);
  }
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
