/** `ruleflow simulate <scenario.json>` */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { runScenario, ValidationError } from "@ruleflow/engine";
import { CliError, errorMessage, type Io, json, oneLine, readJson } from "../io.js";
import { readDefinitions } from "../registry.js";

export const simulateUsage = "ruleflow simulate <scenario.json>";

/**
 * Run a scenario on a virtual clock and print the JSON report. Definition
 * files named in the scenario, and the order-line and event files of its
 * `settle` and `report` steps, are read relative to it. Exit 1 when an
 * expectation fails.
 */
export async function simulateCommand(args: string[], io: Io): Promise<number> {
  if (args.length !== 1) throw new CliError(`usage: ${simulateUsage}`);
  const file = args[0]!;
  const scenario = readJson(file, io) as { definitions?: unknown };
  const paths = Array.isArray(scenario.definitions) ? scenario.definitions.filter((p): p is string => typeof p === "string") : [];
  const definitions = paths.flatMap((p) => readDefinitions(resolve(dirname(file), p), io));
  try {
    const report = await runScenario(scenario, definitions, { readFile: (p) => readFileSync(resolve(dirname(file), p), "utf8") });
    io.out(json(report));
    if (!report.passed) {
      for (const f of report.failures) io.err(`${oneLine(file)}: steps[${f.step}]: ${oneLine(f.message)}\n`);
      return 1;
    }
    return 0;
  } catch (e) {
    if (e instanceof ValidationError) throw new CliError(errorMessage(e, `${file}: `));
    throw e;
  }
}
