/** `ruleflow report <rollout.json> --data <events.jsonl> [--format table|json] [--at <ISO time>] [--id <id>] [--skip-invalid]` */
import { parseArgs } from "node:util";
import { formatIssue, isRuleflowError, type CompiledRollout } from "@ruleflow/engine";
import { analyzeRollout, explainRolloutReport, parseRolloutEventLines } from "@ruleflow/engine/rollouts";
import { CliError, errorMessage, escapeStrings, type Io, json, oneLine, readText } from "../io.js";
import { loadRegistry } from "../registry.js";

export const reportUsage =
  "ruleflow report <rollout.json> --data <events.jsonl|-> [--format table|json] [--at <ISO time>] [--id <id>] [--skip-invalid] [--locale en|zh-CN]";

function loadRollout(file: string, io: Io, id: string | undefined, at: string): CompiledRollout {
  const { registry } = loadRegistry([file], io);
  const rollouts = registry.ids().filter((i) => registry.versions(i).some((v) => v.kind === "rollout"));
  const chosen = id ?? (rollouts.length === 1 ? rollouts[0] : undefined);
  if (!chosen) {
    throw new CliError(rollouts.length ? `${file} holds several rollouts (${rollouts.join(", ")}); choose one with --id` : `${file} holds no rollout`);
  }
  try {
    const def = registry.resolve(chosen, at);
    if (def.kind !== "rollout") throw new CliError(`"${chosen}" is a ${def.kind}, not a rollout`);
    return def;
  } catch (e) {
    if (isRuleflowError(e)) throw new CliError(errorMessage(e));
    throw e;
  }
}

/**
 * Analyse a rollout from its exposure and metric events (JSON Lines) and print
 * the report as aligned tables (default) or as JSON.
 *
 * @param args - the command's arguments (after `report`)
 * @param io - where output and errors go
 * @returns the exit code: 0 when the report was printed, 1 for invalid input
 * @example
 * ```ts
 * reportCommand(["pilot.rollout.json", "--data", "events.jsonl", "--format", "json"], io);
 * ```
 */
export function reportCommand(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      data: { type: "string" },
      format: { type: "string", default: "table" },
      at: { type: "string" },
      id: { type: "string" },
      "skip-invalid": { type: "boolean" },
      locale: { type: "string" },
    },
  });
  if (positionals.length !== 1 || !values.data) throw new CliError(`usage: ${reportUsage}`);
  if (values.format !== "table" && values.format !== "json") throw new CliError(`--format must be table or json, got "${values.format}"`);
  const file = positionals[0]!;
  const rollout = loadRollout(file, io, values.id, values.at ?? new Date().toISOString());
  const { events, issues } = parseRolloutEventLines(readText(values.data, io));
  if (issues.length) {
    const data = oneLine(values.data);
    const shown = issues.slice(0, 10).map((i) => `${data}: ${oneLine(formatIssue(i))}`);
    const more = issues.length > shown.length ? [`${data}: ... and ${issues.length - shown.length} more`] : [];
    if (!values["skip-invalid"]) {
      io.err([...shown, ...more, `ruleflow report: ${issues.length} invalid event(s); fix them or pass --skip-invalid`].join("\n") + "\n");
      return 1;
    }
    io.err([...shown, ...more, `ruleflow report: skipped ${issues.length} invalid event(s)`].join("\n") + "\n");
  }
  const report = analyzeRollout(rollout, events);
  io.out(values.format === "json" ? json(report) : `${explainRolloutReport(escapeStrings(report), { locale: values.locale })}\n`);
  return 0;
}
