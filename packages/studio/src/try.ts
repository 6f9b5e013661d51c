/**
 * Trying a definition in the page: evaluate it against sample facts, settle a
 * rebate program over order lines, run a scenario on the virtual clock. Every
 * answer comes from the engine; a problem comes back as a message to show,
 * never as a quiet empty result.
 */
import { createMemoryStorage, createRegistry, runScenario, type DefinitionDocument, type EvaluationResult, type InstanceView, type ScenarioReport } from "@ruleflow/engine";
import type { AuditRecord, TimerRecord } from "@ruleflow/engine/workflow";
import { parseOrderLines, settleRebates, type CompiledRebate, type RebateStatement } from "@ruleflow/engine/rebates";

/** A document's kind, id and version, when it has them. */
export function identity(value: unknown): { kind?: string; id?: string; version?: number; name?: string } {
  if (!value || typeof value !== "object" || Array.isArray(value)) return {};
  const v = value as Record<string, unknown>;
  return {
    ...(typeof v.kind === "string" ? { kind: v.kind } : {}),
    ...(typeof v.id === "string" ? { id: v.id } : {}),
    ...(typeof v.version === "number" ? { version: v.version } : {}),
    ...(typeof v.name === "string" ? { name: v.name } : {}),
  };
}

/** The kinds a registry evaluates against facts. */
export const EVALUABLE_KINDS = ["ruleset", "decision-table", "promotion", "rollout"] as const;

/** Outcome of a try: the engine's answer or the error it gave. */
export type Tried<T> = { ok: true; value: T } | { ok: false; error: string };

const failed = (e: unknown): { ok: false; error: string } => ({ ok: false, error: e instanceof Error ? e.message : String(e) });

/**
 * Evaluate `doc` against `facts` at `at`, with the other open documents it may
 * call (tables, calendars) in the same registry. Other versions of the same
 * id are left out, so the answer is this document's.
 */
export function evaluateDocument(doc: unknown, others: readonly unknown[], facts: unknown, at: string, locale: string): Tried<EvaluationResult> {
  try {
    const me = identity(doc);
    const registry = createRegistry();
    for (const other of others) {
      const o = identity(other);
      if (o.id === me.id || !o.kind || o.kind === "scenario" || o.kind === "workflow") continue;
      try {
        registry.load(other);
      } catch {
        // another open document that does not compile is not this one's problem
      }
    }
    registry.load(doc);
    return { ok: true, value: registry.evaluate(me.id!, facts, { at, trace: true, locale }) };
  } catch (e) {
    return failed(e);
  }
}

/** Order lines from a dropped file: JSON Lines, a JSON array, or CSV whose header names fact paths (the engine's reader). */
export function readOrderLines(fileName: string, text: string): unknown[] {
  return parseOrderLines(text, { source: fileName });
}

/** The period (`2026-02`) most order lines fall in, for a first settlement. */
export function likelyPeriod(lines: readonly unknown[]): string | undefined {
  const counts = new Map<string, number>();
  for (const l of lines) {
    const date = (l as { order?: { date?: unknown } })?.order?.date;
    if (typeof date === "string" && /^\d{4}-\d{2}/.test(date)) counts.set(date.slice(0, 7), (counts.get(date.slice(0, 7)) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || b[0].localeCompare(a[0]))[0]?.[0];
}

/** Settle the rebate program (this document and any other open version of it) over order lines for a period. */
export function settleDocument(doc: unknown, others: readonly unknown[], lines: readonly unknown[], period: string): Tried<RebateStatement> {
  try {
    const me = identity(doc);
    const registry = createRegistry();
    for (const other of others) {
      const o = identity(other);
      if (other === doc || !o.kind || o.kind === "scenario" || o.kind === "workflow") continue;
      if (o.id === me.id && o.version === me.version) continue;
      try {
        registry.load(other);
      } catch {
        // skip documents that do not compile
      }
    }
    registry.load(doc);
    const program = registry.versions(me.id!).filter((v): v is CompiledRebate => v.kind === "rebate");
    return { ok: true, value: settleRebates({ program, lines: [...lines], period, definitions: registry }) };
  } catch (e) {
    return failed(e);
  }
}

/** The file names a scenario names in `definitions` (`../definitions/x.json` -> `x.json`). */
export function scenarioFiles(scenario: unknown): string[] {
  const defs = (scenario as { definitions?: unknown })?.definitions;
  return Array.isArray(defs) ? defs.filter((d): d is string => typeof d === "string").map((d) => d.split("/").pop()!) : [];
}

/** One instance of a scenario run, as the workflow diagram draws it. */
interface RunInstance {
  alias: string;
  view: InstanceView;
  audit: AuditRecord[];
  timers: TimerRecord[];
  now: number;
}

/** A scenario's report and each instance's path. */
export interface ScenarioRun {
  report: ScenarioReport;
  instances: RunInstance[];
}

/** Run a scenario with the open documents it names (by file name), edited as they are now; keep each instance's view and audit. */
export async function runScenarioWith(
  scenario: unknown,
  open: readonly { fileName: string; value: unknown }[],
  dataFiles: readonly { fileName: string; text: string }[] = [],
): Promise<Tried<ScenarioRun>> {
  try {
    const wanted = scenarioFiles(scenario);
    const missing = wanted.filter((f) => !open.some((d) => d.fileName === f));
    if (missing.length) return { ok: false, error: `the scenario needs ${missing.join(", ")}: open ${missing.length > 1 ? "them" : "it"} first` };
    const defs = wanted.map((f) => open.find((d) => d.fileName === f)!.value as DefinitionDocument);
    const storage = createMemoryStorage();
    const instances: RunInstance[] = [];
    // files a settle or report step names (../data/orders-2026-01.jsonl): the data files by name
    const readFile = (path: string): string => {
      const name = path.split("/").pop()!;
      const file = dataFiles.find((f) => f.fileName === name);
      if (!file) throw new Error(`${path}: no such data file is open (drop it on the page)`);
      return file.text;
    };
    const report = await runScenario(scenario, defs, {
      storage,
      readFile,
      inspect: async (engine, soFar) => {
        const now = Date.parse(soFar.end);
        const timers = storage.snapshot().timers;
        for (const [alias, { id }] of Object.entries(soFar.instances)) {
          const view = await engine.get(id);
          if (view) instances.push({ alias, view, audit: await engine.audit(id), timers: timers.filter((t) => t.instanceId === id), now });
        }
      },
    });
    return { ok: true, value: { report, instances } };
  } catch (e) {
    return failed(e);
  }
}
