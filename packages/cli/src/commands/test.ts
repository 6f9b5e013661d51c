/** `ruleflow test <files or folders>` */
import { readdirSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { isRuleflowError, resolveLocale, type Locale } from "@ruleflow/engine";
import { explainCoverage, explainTestSuiteReport, mergeCoverage, runTestSuite, toJUnitXml, type CoverageReport, type TestSuiteReport } from "@ruleflow/engine/testing";
import { CliError, errorMessage, type Io, json, oneLine, readJson, readText } from "../io.js";
import { readDefinitions } from "../registry.js";

export const testUsage =
  "ruleflow test <file or folder>... [--reporter text|junit] [--output <file>] [--coverage] [--coverage-format text|json] [--min-coverage <percent>] [--locale en|zh-CN]";

const SUITE_FILE = /\.test-suite\.json$/;

/** Whether a JSON file holds a test suite: named *.test-suite.json, or `"kind": "test-suite"`. */
function holdsSuite(file: string, io: Io): boolean {
  if (SUITE_FILE.test(file)) return true;
  let text: string;
  try {
    text = readText(file, io);
  } catch {
    return false;
  }
  if (!text.includes("test-suite")) return false;
  try {
    const doc = JSON.parse(text) as { kind?: unknown } | null;
    return typeof doc === "object" && doc !== null && doc.kind === "test-suite";
  } catch {
    return false;
  }
}

/** Every suite file under the arguments: files as given, folders searched (not node_modules or dot folders), sorted. */
function findSuites(args: readonly string[], io: Io): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && !entry.name.startsWith(".")) walk(path);
      } else if (entry.isFile() && entry.name.endsWith(".json") && holdsSuite(path, io)) out.push(path);
    }
  };
  for (const arg of args) {
    let isDir: boolean;
    try {
      isDir = statSync(arg).isDirectory();
    } catch {
      throw new CliError(`${arg}: no such file or folder`);
    }
    if (isDir) walk(arg);
    else out.push(arg);
  }
  return [...new Set(out)];
}

function parsePercent(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (text.trim() === "" || !Number.isFinite(n) || n < 0 || n > 100) throw new CliError(`--min-coverage: expected a percentage from 0 to 100, got ${JSON.stringify(text)}`);
  return n;
}

/**
 * Run every test suite found in the arguments. Each suite's `definitions`
 * are read relative to the suite file. Prints per case ✓ or ✗ and, for a
 * failure, expected against actual and the trace path of what decided.
 * `--reporter junit` writes JUnit XML (to stdout, or to `--output`);
 * `--coverage` adds what no case reached (`--coverage-format json` for
 * JSON); `--min-coverage 90` fails below 90% over all suites. Exit 1 when a
 * case fails or coverage is below the minimum.
 *
 * What goes where: stdout carries one thing a program can read when one is
 * asked for (the JUnit XML without `--output`, else the coverage JSON); the
 * text report then goes to stderr.
 */
export async function testCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      reporter: { type: "string", default: "text" },
      output: { type: "string" },
      coverage: { type: "boolean", default: false },
      "coverage-format": { type: "string" },
      "min-coverage": { type: "string" },
      locale: { type: "string" },
    },
  });
  if (positionals.length === 0) throw new CliError(`usage: ${testUsage}`);
  const reporter = values.reporter;
  if (reporter !== "text" && reporter !== "junit") throw new CliError(`--reporter: expected text or junit, got ${JSON.stringify(reporter)}`);
  const coverageFormat = values["coverage-format"] ?? "text";
  if (coverageFormat !== "text" && coverageFormat !== "json") throw new CliError(`--coverage-format: expected text or json, got ${JSON.stringify(coverageFormat)}`);
  const minimum = parsePercent(values["min-coverage"]);
  let locale: Locale;
  try {
    locale = resolveLocale(values.locale);
  } catch (e) {
    throw new CliError(e instanceof Error ? e.message : String(e));
  }
  const files = findSuites(positionals, io);
  if (files.length === 0) throw new CliError(`no test suites (*.test-suite.json or "kind": "test-suite") in ${positionals.join(", ")}`);

  const reports: TestSuiteReport[] = [];
  for (const file of files) {
    const suite = readJson(file, io) as { definitions?: unknown };
    const paths = Array.isArray(suite.definitions) ? suite.definitions.filter((p): p is string => typeof p === "string") : [];
    const definitions = paths.flatMap((p) => readDefinitions(resolve(dirname(file), p), io));
    try {
      reports.push(await runTestSuite(suite, definitions, { locale }));
    } catch (e) {
      if (isRuleflowError(e)) throw new CliError(errorMessage(e, `${file}: `));
      throw e;
    }
  }

  // --coverage-format alone asks for coverage too
  const showCoverage = values.coverage || values["coverage-format"] !== undefined;
  const junitOnStdout = reporter === "junit" && values.output === undefined;
  const coverageJsonOnStdout = showCoverage && coverageFormat === "json" && !junitOnStdout;
  const text = (t: string): void => (junitOnStdout || coverageJsonOnStdout ? io.err(t) : io.out(t));

  for (const r of reports) text(explainTestSuiteReport(r, { locale }));
  if (reporter === "junit") {
    const xml = toJUnitXml(reports);
    if (values.output === undefined) io.out(xml);
    else {
      try {
        writeFileSync(values.output, xml);
      } catch (e) {
        throw new CliError(`${values.output}: cannot write (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
      }
    }
  }
  const total: CoverageReport = mergeCoverage(
    reports.map((r) => r.coverage),
    reports.map((r) => r.suite),
  );
  if (showCoverage) {
    if (coverageFormat === "json") {
      const body = json({ suites: reports.map((r) => ({ suite: r.suite, coverage: r.coverage })), total });
      if (coverageJsonOnStdout) io.out(body);
      else io.err(body);
    } else {
      text(explainCoverage(total, { locale }));
    }
  }
  const passed = reports.reduce((s, r) => s + r.counts.passed, 0);
  const failed = reports.reduce((s, r) => s + r.counts.failed + r.counts.errors, 0);
  text(`${passed} passed, ${failed} failed\n`);
  let code = failed > 0 ? 1 : 0;
  // exact: reached / total >= minimum / 100
  if (minimum !== undefined && total.total > 0 && total.reached * 100 < minimum * total.total) {
    io.err(`ruleflow test: coverage ${total.percent}% is below the minimum ${minimum}%\n`);
    code = 1;
  }
  reports.forEach((r, i) => {
    if (!r.passed) io.err(`ruleflow test: ${oneLine(files[i]!)}: ${r.counts.failed + r.counts.errors} of ${r.counts.total} cases failed\n`);
  });
  return code;
}
