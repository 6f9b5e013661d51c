/** `ruleflow backtest --baseline <definitions> --candidate <definitions> --facts <history.jsonl|.csv> [...]` */
import { createReadStream, statSync, writeFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { parseArgs } from "node:util";
import { isRuleflowError, resolveLocale, ValidationError } from "@ruleflow/engine";
import { backtestHtml, createBacktest, createHistoryReader, explainBacktest, type Backtest, type BacktestReport } from "@ruleflow/engine/backtest";
import { CliError, errorMessage, escapeStrings, json, oneLine, type Io } from "../io.js";
import { invalidDefinition, readDefinitions } from "../registry.js";

export const backtestUsage =
  "ruleflow backtest --baseline <definitions.json>... --candidate <definitions.json>... --facts <history.jsonl|.csv> [--by <fact path>[,<fact path>...]] [--format json|table|html] [--output <file>] [--time <fact path>] [--account <fact path>] [--at <ISO time>] [--locale en|zh-CN]";

/** Progress on standard error, only on a terminal, at most every 200 ms. */
function progressBar(total: number, enabled: boolean): { update(bytes: number, lines: number): void; done(): void } {
  if (!enabled) return { update() {}, done() {} };
  let last = 0;
  const width = 30;
  return {
    update(bytes, lines) {
      const now = Date.now();
      if (now - last < 200) return;
      last = now;
      const share = total > 0 ? Math.min(1, bytes / total) : 0;
      const filled = Math.round(share * width);
      process.stderr.write(`\r[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${(share * 100).toFixed(0).padStart(3)}% ${lines.toLocaleString("en")} lines`);
    },
    done() {
      process.stderr.write(`\r${" ".repeat(width + 40)}\r`);
    },
  };
}

/** The report with every value on one line (no forged lines), except the explanations, whose own lines are escaped one by one. */
function printable(report: BacktestReport): BacktestReport {
  const safe = escapeStrings(report);
  safe.decisions.forEach((d, i) =>
    d.examples.forEach((ex, j) => {
      const raw = report.decisions[i]!.examples[j]!;
      ex.baseline.explanation = raw.baseline.explanation.split("\n").map(oneLine).join("\n");
      ex.candidate.explanation = raw.candidate.explanation.split("\n").map(oneLine).join("\n");
    }),
  );
  return safe;
}

function definitions(files: readonly string[] | undefined, flag: string, io: Io): unknown[] {
  if (!files?.length) throw new CliError(`--${flag} is required; usage: ${backtestUsage}`);
  return files.flatMap((f) => readDefinitions(f, io));
}

async function replay(backtest: Backtest, path: string): Promise<void> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`${path}: cannot read file${code === "ENOENT" ? " (no such file)" : code ? ` (${code})` : ""}`);
  }
  const bar = progressBar(size, process.stderr.isTTY === true);
  const reader = createHistoryReader({ source: path });
  const stream = createReadStream(path);
  let bytes = 0;
  const input = Readable.from(decodeStrictly(stream, path, (n) => (bytes += n)));
  const lines = createInterface({ input, crlfDelay: Infinity });
  let n = 0;
  try {
    for await (const text of lines) {
      n++;
      const bad = CONTROL.exec(text);
      if (bad) throw new CliError(`${path}:${n}: not a text file: control character U+${bad[0].charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`);
      const facts = reader.line(text, n);
      if (facts !== undefined) await backtest.add(facts, n);
      bar.update(bytes, n);
    }
    reader.end();
  } finally {
    bar.done();
    lines.close();
    // ends the decoding generator, which closes the file
    input.destroy();
  }
}

// Control characters other than tab (line breaks never reach a line): the file is not text.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/;

/**
 * The file's text, chunk by chunk, refusing malformed UTF-8 with the line it is on
 * (as every other command refuses a file that is not text).
 */
async function* decodeStrictly(stream: AsyncIterable<Buffer>, path: string, read: (bytes: number) => void): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
  let lines = 0;
  for await (const chunk of stream) {
    read(chunk.length);
    try {
      yield decoder.decode(chunk, { stream: true });
    } catch {
      // the shortest prefix of the chunk that holds the bad sequence, for its line
      let lo = 0;
      let hi = chunk.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        try {
          new TextDecoder("utf-8", { fatal: true }).decode(chunk.subarray(0, mid + 1), { stream: true });
          lo = mid + 1;
        } catch {
          hi = mid;
        }
      }
      let line = lines + 1;
      for (let i = chunk.indexOf(10); i >= 0 && i < lo; i = chunk.indexOf(10, i + 1)) line++;
      throw new CliError(`${path}:${line}: not a text file: invalid UTF-8`);
    }
    for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines++;
  }
  try {
    const rest = decoder.decode();
    if (rest) yield rest;
  } catch {
    throw new CliError(`${path}:${lines + 1}: not a text file: invalid UTF-8 at the end of the file`);
  }
}

/**
 * Replay a history file through two versions of the definitions and report
 * what changes: decisions (with both explanations), rebate payouts per
 * account and `--by` dimension, promotion cost, claims and budget run-out,
 * rollout units that change variant, winners and losers. The history is read
 * as a stream (one line at a time); a progress bar shows on standard error
 * when it is a terminal.
 *
 * @param args - the arguments after `backtest`
 * @param io - output streams
 * @returns the exit code (0; user errors throw a one-line CliError)
 * @example
 * ```ts
 * await backtestCommand(["--baseline", "v4.json", "--candidate", "v5.json", "--facts", "history.jsonl", "--format", "table"], io);
 * ```
 */
export async function backtestCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      baseline: { type: "string", multiple: true },
      candidate: { type: "string", multiple: true },
      facts: { type: "string" },
      by: { type: "string", multiple: true },
      format: { type: "string" },
      output: { type: "string" },
      time: { type: "string" },
      account: { type: "string" },
      at: { type: "string" },
      locale: { type: "string" },
    },
  });
  if (positionals.length) throw new CliError(`unexpected argument "${positionals[0]}"; usage: ${backtestUsage}`);
  if (!values.facts) throw new CliError(`--facts is required; usage: ${backtestUsage}`);
  const format = values.format ?? "json";
  if (format !== "json" && format !== "table" && format !== "html") throw new CliError(`--format must be json, table or html, got "${format}"`);
  let locale;
  try {
    locale = resolveLocale(values.locale);
  } catch (e) {
    if (isRuleflowError(e)) throw new CliError(`--${e.message}`);
    throw e;
  }
  const baseline = definitions(values.baseline, "baseline", io);
  const candidate = definitions(values.candidate, "candidate", io);
  const by = (values.by ?? []).flatMap((b) => b.split(",")).map((b) => b.trim()).filter((b) => b !== "");
  let backtest: Backtest;
  try {
    backtest = createBacktest({ baseline, candidate, by, time: values.time, account: values.account, at: values.at, locale });
  } catch (e) {
    if (e instanceof ValidationError) throw invalidDefinition([...(values.baseline ?? []), ...(values.candidate ?? [])].join(", "), e);
    if (isRuleflowError(e)) throw new CliError(errorMessage(e));
    throw e;
  }
  try {
    await replay(backtest, values.facts);
    const report = await backtest.finish();
    const text = format === "json" ? json(report) : format === "html" ? backtestHtml(report, { locale }) : `${explainBacktest(printable(report), { locale })}\n`;
    if (values.output) {
      try {
        writeFileSync(values.output, text);
      } catch (e) {
        throw new CliError(`${values.output}: cannot write file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      }
    } else io.out(text);
    return 0;
  } catch (e) {
    if (isRuleflowError(e)) throw new CliError(errorMessage(e));
    throw e;
  }
}
