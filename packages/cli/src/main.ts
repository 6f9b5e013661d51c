/**
 * The `ruleflow` command line. `main` is exported so hosts and tests can run
 * it in-process with their own streams.
 */
import { readFileSync } from "node:fs";
import { evaluateCommand, evaluateUsage } from "./commands/evaluate.js";
import { settleCommand, settleUsage } from "./commands/settle.js";
import { reportCommand, reportUsage } from "./commands/report.js";
import { validateCommand, validateUsage } from "./commands/validate.js";
import { simulateCommand, simulateUsage } from "./commands/simulate.js";
import { backtestCommand, backtestUsage } from "./commands/backtest.js";
import { testCommand, testUsage } from "./commands/test.js";
import { checkCommand, checkUsage } from "./commands/check.js";
import { CliError, decodeText, oneLine, type Io } from "./io.js";

export type { Io } from "./io.js";

type Command = { usage: string; summary: string; run: (args: string[], io: Io) => number | Promise<number> };

const COMMANDS: Record<string, Command> = {
  validate: { usage: validateUsage, summary: "check definition files; every problem with its JSON path", run: validateCommand },
  simulate: { usage: simulateUsage, summary: "run a scenario on a virtual clock (generate steps for bulk runs); prints a JSON report or, with --format table, the summary; exit 1 if an expectation fails", run: simulateCommand },
  evaluate: { usage: evaluateUsage, summary: "evaluate a definition against facts; prints result and trace as JSON", run: evaluateCommand },
  settle: { usage: settleUsage, summary: "settle a rebate program for a period; prints the statement as JSON or tables", run: settleCommand },
  test: { usage: testUsage, summary: "run test suites: each case's expected result, what decided a failure, coverage; exit 1 on a failure", run: testCommand },
  check: { usage: checkUsage, summary: "static analysis: overlaps, gaps, unreachable rows, shadowed rules, contradictions...; findings with witnesses, exit 1 on an error", run: checkCommand },
  report: { usage: reportUsage, summary: "analyse a rollout from its exposure and metric events; prints lifts, CIs, SRM, guardrails and a recommendation", run: reportCommand },
  backtest: { usage: backtestUsage, summary: "replay history through a baseline and a candidate version; prints changed decisions and the money difference per account and dimension as JSON, tables or HTML", run: backtestCommand },
};

function help(): string {
  return [
    "ruleflow: validate and run Ruleflow definitions",
    "",
    ...Object.entries(COMMANDS).map(([, c]) => `  ${c.usage}\n      ${c.summary}`),
    "",
  ].join("\n");
}

const processIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  stdin: () => decodeText(readFileSync(0), "-"),
};

/**
 * Run the CLI with `argv` (without `node` and the script path).
 * @returns the exit code: 0 success, 1 invalid input or a failed check, 2 an
 * unknown command or no command at all (the usage is printed)
 */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    if (name) io.out(help());
    else io.err(help());
    return name ? 0 : 2;
  }
  // Own properties only: "toString" or "__proto__" must not find Object.prototype's members.
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.err(`ruleflow: unknown command ${oneLine(JSON.stringify(name))}\n${help()}`);
    return 2;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`ruleflow ${name}: ${e.message}\n`);
      return 1;
    }
    if (e instanceof TypeError && (e as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      io.err(`ruleflow ${name}: ${oneLine(e.message)}\nusage: ${command.usage}\n`);
      return 1;
    }
    throw e;
  }
}
