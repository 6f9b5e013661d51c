/** `ruleflow simulate <scenario.json> [--format json|table] [--summary] [--progress|--no-progress] [--locale en|zh-CN]` */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { isRuleflowError, resolveLocale, runScenario, ValidationError, type ScenarioReport } from "@ruleflow/engine";
import { explainSimulation } from "@ruleflow/engine/simulation";
import { CliError, errorMessage, escapeStrings, type Io, json, oneLine, readJson } from "../io.js";
import { createProgressBar, progressEnabled } from "../progress.js";
import { readDefinitions } from "../registry.js";

export const simulateUsage = "ruleflow simulate <scenario.json> [--format json|table] [--summary] [--progress|--no-progress] [--locale en|zh-CN]";

/** The report as text: the bulk-simulation summary's tables, then each step that failed. */
function reportText(report: ScenarioReport, locale: string): string {
  const lines: string[] = [];
  if (report.summary) lines.push(explainSimulation(escapeStrings(report.summary), { locale }).trimEnd());
  else lines.push(`${oneLine(report.scenario)}: ${report.steps.length} step(s), no generate step to summarise`);
  lines.push("");
  lines.push(report.passed ? "passed" : `failed: ${report.failures.length} expectation(s) did not hold`);
  for (const f of report.failures) lines.push(`  steps[${f.step}]: ${oneLine(f.message)}`);
  return `${lines.join("\n")}\n`;
}

/**
 * Run a scenario on a virtual clock and print the report: JSON (the default),
 * or with `--format table` (`--summary`) the bulk-simulation summary as
 * tables. Definition files named in the scenario, the order-line and event
 * files of its `settle` and `report` steps and the input files of its
 * `generate` steps are read relative to it. While `generate` steps run, a
 * progress bar shows on standard error when it is a terminal (`--progress`
 * draws it anyway, `--no-progress` never). Exit 1 when an expectation fails.
 *
 * @param args - the arguments after `simulate`
 * @param io - output streams
 * @returns the exit code
 */
export async function simulateCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      format: { type: "string" },
      summary: { type: "boolean" },
      progress: { type: "boolean" },
      "no-progress": { type: "boolean" },
      locale: { type: "string" },
    },
  });
  if (positionals.length !== 1) throw new CliError(`usage: ${simulateUsage}`);
  if (values.progress && values["no-progress"]) throw new CliError("--progress and --no-progress cannot go together");
  const format = values.format ?? (values.summary ? "table" : "json");
  if (format !== "json" && format !== "table") throw new CliError(`--format must be json or table, got "${format}"`);
  if (values.summary && values.format === "json") throw new CliError("--summary prints tables; it cannot go with --format json");
  let locale: string;
  try {
    locale = resolveLocale(values.locale);
  } catch (e) {
    if (isRuleflowError(e)) throw new CliError(`--${e.message}`);
    throw e;
  }
  const file = positionals[0]!;
  const scenario = readJson(file, io) as { definitions?: unknown };
  const paths = Array.isArray(scenario.definitions) ? scenario.definitions.filter((p): p is string => typeof p === "string") : [];
  const definitions = paths.flatMap((p) => readDefinitions(resolve(dirname(file), p), io));
  const bar = createProgressBar({ write: (t) => io.err(t), enabled: progressEnabled(values.progress ? true : values["no-progress"] ? false : undefined, process.stderr.isTTY) });
  let report: ScenarioReport;
  try {
    report = await runScenario(scenario, definitions, { readFile: (p) => readFileSync(resolve(dirname(file), p), "utf8"), onProgress: (p) => bar.update(p) });
  } catch (e) {
    if (e instanceof ValidationError) throw new CliError(errorMessage(e, `${file}: `));
    throw e;
  } finally {
    bar.done();
  }
  io.out(format === "json" ? json(report) : reportText(report, locale));
  if (!report.passed) {
    for (const f of report.failures) io.err(`${oneLine(file)}: steps[${f.step}]: ${oneLine(f.message)}\n`);
    return 1;
  }
  return 0;
}
