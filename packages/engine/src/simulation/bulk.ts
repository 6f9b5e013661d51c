/**
 * Bulk simulation as an API: run generators without writing a scenario, and
 * read the summary as text tables. `runBulkSimulation` builds the scenario
 * (one `generate` step) and runs it through `runScenario`, so a generator
 * means the same here as in a scenario file and in `ruleflow simulate`.
 */
import { ValidationError, type Issue } from "../core/errors.js";
import { formatMessage, type MessageParams } from "../i18n/catalogue.js";
import { catalogueIssue, localizeIssues } from "../i18n/issues.js";
import { resolveLocale, type Locale } from "../i18n/locale.js";
import { scenarioMessages } from "../i18n/messages/scenario.js";
import { validationMessages } from "../i18n/messages/validation.js";
import { textTable } from "../i18n/text-table.js";
import type { Storage } from "../runtime/ports.js";
import type { StaticDirectoryData } from "../runtime/defaults.js";
import type { GeneratorDefinition, ScenarioDefinition } from "../schema/scenario.js";
import type { SimulationProgress } from "./generate.js";
import { runScenario } from "./run-scenario.js";
import type { DurationStats, SimulationSummary } from "./summary.js";

/** What {@link runBulkSimulation} runs: generators, and the world they run in. */
export interface BulkSimulationInput {
  /** A name for the run (default `bulk`); generated ids must not start with it. */
  id?: string | undefined;
  /** The virtual clock's start (ISO-8601 with an offset); default: midnight of the earliest `from`, at the earliest offset (+14:00). */
  start?: string | undefined;
  /** Calendar for working days and business time, when a generator and its workflow name none. */
  calendar?: string | undefined;
  /** `{ roles, managers }` of the static directory approvers are resolved in. */
  directory?: StaticDirectoryData | undefined;
  /** Simulated task handlers, as in a scenario: `{ "name": { "result": ..., "failTimes": 2, "error": "..." } }`. */
  handlers?: ScenarioDefinition["handlers"] | undefined;
  /** One generator, or several that run side by side. */
  generate: GeneratorDefinition | GeneratorDefinition[];
}

/** Options of {@link runBulkSimulation}. */
export interface BulkSimulationOptions {
  /** Reads a file a generator names (`inputs.file`); without it, inputs must be inline. */
  readFile?: ((path: string) => string) | undefined;
  /** Told after each generated period (day or hour), while draining, and at the end. */
  onProgress?: ((progress: SimulationProgress) => void) | undefined;
  /** Where the run keeps its instances (default: a new memory storage, dropped after the run). */
  storage?: Storage | undefined;
  /** The language of a thrown ValidationError's messages: `en` (default) or `zh-CN`. */
  locale?: string | undefined;
}

const INPUT_FIELDS = new Set(["id", "start", "calendar", "directory", "handlers", "generate"]);

/** The issue's path in the input: `steps[0].generate...` is `generate...`. */
function inputPath(issue: Issue): Issue {
  const p = issue.path;
  if (p[0] === "steps" && p[1] === 0) return { ...issue, path: p.slice(2) };
  return issue;
}

function earliestFrom(generate: unknown): string | undefined {
  const list = Array.isArray(generate) ? (generate as unknown[]) : [generate];
  const dates = list.map((g) => (g !== null && typeof g === "object" ? (g as { from?: unknown }).from : undefined)).filter((d): d is string => typeof d === "string" && /^\d{4}-\d{2}-\d{2}$/.test(d));
  return dates.sort()[0];
}

/**
 * Run generators on a virtual clock and return the summary: instances and
 * outcomes, time to decision per node (p50/p90/p99, wall and business
 * hours), escalations per action and role, SLA breaches, notifications per
 * recipient. The same input and definitions give the same summary, byte for
 * byte (draws come from each generator's `seed`).
 *
 * @param input - the generators and their world (directory, calendar, start)
 * @param definitions - the workflow, rule set, table and calendar documents they use
 * @param options - a file reader for `inputs.file`, a progress callback, a storage, the locale of errors
 * @returns the summary
 * @throws {@link ValidationError} when the input or a definition is invalid; paths are those of the input (`generate.count`)
 *
 * @example
 * ```ts
 * import { runBulkSimulation } from "@ruleflow/engine/simulation";
 * const summary = await runBulkSimulation(
 *   { directory: { roles: { marketing: ["user:ma"], compliance: ["user:chen"], legal: ["user:lu"] } },
 *     generate: { workflow: "customer-qualification", per: "working-day", count: 20, from: "2026-03-02", until: "2026-03-31",
 *                 actors: [{ approve: 0.9, after: { distribution: "lognormal", median: "PT2H", p90: "PT8H" } }], seed: 7 } },
 *   [workflow, ruleset],
 * );
 * summary.workflows["customer-qualification"].nodes.countersign.hours.p90; // hours to decision, 90th percentile
 * ```
 * @see docs/simulation.md
 */
export async function runBulkSimulation(input: BulkSimulationInput, definitions: readonly unknown[], options: BulkSimulationOptions = {}): Promise<SimulationSummary> {
  const locale = resolveLocale(options.locale);
  const fail = (issues: Issue[]): never => {
    throw new ValidationError(locale === "en" ? issues : localizeIssues(issues, locale), locale === "en" ? "bulk simulation" : "批量仿真", locale);
  };
  if (input === null || typeof input !== "object" || Array.isArray(input)) {
    fail([catalogueIssue(validationMessages, "expectedGot", [], { expected: "an object", got: input === null ? "null" : Array.isArray(input) ? "an array" : typeof input }, "invalid_type")]);
  }
  const unknown = Object.keys(input).filter((k) => !INPUT_FIELDS.has(k));
  if (unknown.length) fail(unknown.map((k) => catalogueIssue(validationMessages, "unknownField", [k], {}, "unrecognized_key")));
  const from = earliestFrom(input.generate);
  const scenario = {
    kind: "scenario",
    id: input.id ?? "bulk",
    start: input.start ?? (from === undefined ? "1970-01-01T00:00:00Z" : `${from}T00:00:00+14:00`),
    ...(input.calendar === undefined ? {} : { calendar: input.calendar }),
    ...(input.directory === undefined ? {} : { directory: input.directory }),
    ...(input.handlers === undefined ? {} : { handlers: input.handlers }),
    steps: [{ generate: input.generate }],
  };
  try {
    const report = await runScenario(scenario, definitions, { readFile: options.readFile, onProgress: options.onProgress, storage: options.storage });
    return report.summary!;
  } catch (e) {
    // the scenario's problems are the input's (definitions' problems are reported as they are)
    if (e instanceof ValidationError && e.message.startsWith("Invalid scenario")) return fail(e.issues.map(inputPath));
    throw e;
  }
}

/** Options of {@link explainSimulation}. */
export interface ExplainSimulationOptions {
  /** Language of the text: `en` (default) or `zh-CN`; see docs/locales.md. */
  locale?: string | undefined;
}

type Key = keyof typeof scenarioMessages.messages.en;

const fmt = (n: number): string => String(n);

/**
 * A bulk simulation's summary as text tables, for a terminal (what
 * `ruleflow simulate --format table` prints): instances and outcomes, time to
 * decision per node (wall and business hours), escalations, notifications
 * per recipient (most first), simulated approvers and errors.
 *
 * @param summary - `report.summary`, or what {@link runBulkSimulation} returned
 * @param options - `locale`: `en` (default) or `zh-CN`
 * @returns the text, ending with a line break
 * @example
 * ```ts
 * process.stdout.write(explainSimulation(summary, { locale: "zh-CN" }));
 * ```
 */
export function explainSimulation(summary: SimulationSummary, options: ExplainSimulationOptions = {}): string {
  const locale: Locale = resolveLocale(options.locale);
  const t = (key: Key, params: MessageParams = {}): string => formatMessage(scenarioMessages, locale, key, params);
  const out: string[] = [];
  const s = summary;
  out.push(t("tableTitle", { from: s.from, until: s.until }));
  out.push(t("tableInstances", { started: s.instances.started, finished: s.instances.finished, running: s.instances.running }));
  out.push("");
  const workflows = Object.entries(s.workflows);
  const outcomes = workflows.flatMap(([id, w]) => [
    ...Object.entries(w.outcomes).map(([o, n]) => [id, o, fmt(n)]),
    ...Object.entries(w.statuses)
      .filter(([status]) => status !== "completed")
      .map(([status, n]) => [id, `(${status})`, fmt(n)]),
  ]);
  out.push(textTable([t("tableWorkflow"), t("tableOutcome"), t("tableCount")], outcomes.length ? outcomes : [[t("tableNone"), "", ""]]));
  out.push("");
  const row = (id: string, node: string, time: string, st: DurationStats, extra: string[]): string[] => [id, node, time, fmt(st.count), fmt(st.p50), fmt(st.p90), fmt(st.p99), ...extra];
  const nodeRows: string[][] = [];
  for (const [id, w] of workflows) {
    for (const [node, n] of Object.entries(w.nodes)) {
      const extra = [fmt(n.open), fmt(n.escalated), n.sla ? `${n.sla.breaches} (> ${n.sla.limit})` : "-"];
      nodeRows.push(row(id, node, t("tableWall"), n.hours, extra));
      if (n.businessHours) nodeRows.push(row(id, node, t("tableBusiness"), n.businessHours, ["", "", ""]));
    }
    const cycleExtra = [fmt(w.running), "", w.sla ? `${w.sla.breaches} (> ${w.sla.limit})` : "-"];
    nodeRows.push(row(id, t("tableCycle"), t("tableWall"), w.cycleHours, cycleExtra));
    if (w.cycleBusinessHours) nodeRows.push(row(id, t("tableCycle"), t("tableBusiness"), w.cycleBusinessHours, ["", "", ""]));
  }
  out.push(
    textTable(
      [t("tableWorkflow"), t("tableNode"), t("tableTime"), t("tableDecided"), t("tableP50"), t("tableP90"), t("tableP99"), t("tableOpen"), t("tableEscalated"), t("tableBreaches")],
      nodeRows,
    ),
  );
  out.push("");
  const escalations = workflows.flatMap(([id, w]) => w.escalations.map((e) => [id, e.node, `#${e.step}`, e.action, e.to ?? (e.action === "remind" ? "assignees" : "-"), fmt(e.fired)]));
  out.push(textTable([t("tableWorkflow"), t("tableNode"), t("tableEscalation"), t("tableAction"), t("tableTarget"), t("tableFired")], escalations.length ? escalations : [[t("tableNone"), "", "", "", "", ""]]));
  out.push("");
  const recipients = Object.entries(s.notifications.byRecipient)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([user, n]) => [user, fmt(n)]);
  out.push(textTable([t("tableRecipient"), t("tableNotifications")], recipients.length ? recipients : [[t("tableNone"), ""]]));
  out.push("");
  out.push(t("tableActors", { approve: s.actors.approve, reject: s.actors.reject, idle: s.actors.idle, refused: s.actors.refused }));
  const failed = s.instances.statuses["failed"] ?? 0;
  if (failed) {
    out.push(t("tableFailures", { count: failed }));
    for (const f of s.failures) out.push(`  ${f}`);
  }
  if (s.errors.count) {
    out.push(t("tableErrors", { count: s.errors.count }));
    for (const e of s.errors.first) out.push(`  ${e}`);
  }
  return `${out.join("\n")}\n`;
}
