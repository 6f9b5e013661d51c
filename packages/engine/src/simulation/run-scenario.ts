/**
 * Run a scenario on a virtual clock: start instances, send events, jump
 * through time (every due timer fires at its own deadline), check
 * expectations, and report. Ids come from counters and times from the
 * virtual clock, so two runs give byte-identical reports.
 */
import { createRegistry } from "../registry.js";
import { ValidationError, isRuleflowError } from "../core/errors.js";
import { catalogueIssue } from "../i18n/issues.js";
import { scenarioMessages } from "../i18n/messages/scenario.js";
import { createVirtualClock } from "../runtime/clock.js";
import { createStaticDirectory } from "../runtime/defaults.js";
import { createEngine, type Engine } from "../runtime/engine.js";
import type { Notification, Notifier, Storage } from "../runtime/ports.js";
import type { TaskHandler } from "../runtime/dispatcher.js";
import { resolveCalendarFor } from "../runtime/calendars.js";
import type { ScenarioDefinition, ScenarioDocument, ScenarioStep } from "../schema/scenario.js";
import { compileScenario } from "../workflow/scenario-kind.js";
import { addDuration, parseDuration } from "../core/duration.js";
import { valuesEqual } from "../expr/values.js";
import { businessKindOf, createBusinessSteps, isBusinessStep, type BusinessStepResult } from "./business-steps.js";
import { createBulkRuns, type BulkRuns, type SimulationProgress } from "./generate.js";
import { subsetMismatches } from "./subset.js";
import type { SimulationSummary } from "./summary.js";

/** What a scenario run reports. */
export interface ScenarioReport {
  scenario: string;
  start: string;
  end: string;
  passed: boolean;
  instances: Record<string, { id: string; workflow: string; version: number; status: string; outcome: string | null; state: unknown; assignees: string[]; error: string | null }>;
  notifications: { at: string; instance: string; template: string; to: string; recipients: string[] }[];
  timers: { at: string; instance: string; key: string }[];
  /** Scheduled triggers: each occurrence started (its instance) or failed (its error), in order. */
  schedules: { at: string; schedule: string; occurrence?: string | undefined; instance?: string | undefined; error?: string | undefined }[];
  steps: { step: number; kind: string; at: string; ok: boolean; message?: string | undefined }[];
  failures: { step: number; message: string }[];
  /**
   * What each business step (`evaluate`, `claim`, `release`, `settle`,
   * `assign`, `report`) gave, in order; absent when the scenario has none.
   */
  results?: BusinessStepResult[] | undefined;
  /**
   * What the `generate` steps gave (bulk simulation): instances and outcomes,
   * time to decision per node, escalations, SLA breaches, notifications per
   * recipient. Absent when the scenario has none. Generated instances are
   * summarised here, not listed under `instances`, `notifications` or `timers`.
   */
  summary?: SimulationSummary | undefined;
}

/** Options of {@link runScenario}. */
export interface RunScenarioOptions {
  /** Where the run keeps its instances, timers and audit (default: a new memory storage). Pass one to read them after the run. */
  storage?: Storage | undefined;
  /**
   * Called once after the last step, before the engine closes, with the
   * engine and the report so far: read instance views (`engine.get`), audit
   * trails (`engine.audit`) or outboxes, e.g. to draw each instance's path on
   * a diagram. The report's aliases map to instance ids in `report.instances`.
   */
  inspect?: ((engine: Engine, report: ScenarioReport) => Promise<void> | void) | undefined;
  /**
   * Reads a file that a `settle` step (`lines`) or a `report` step (`events`)
   * names, given the name as written in the scenario; `ruleflow simulate`
   * reads it relative to the scenario file. Without it, such steps must give
   * their records inline.
   */
  readFile?: ((path: string) => string) | undefined;
  /**
   * Told where a `generate` step is: after each generated period (day or
   * hour), while running instances drain after the window, and when the step
   * is done. `ruleflow simulate` draws its progress bar from it.
   */
  onProgress?: ((progress: SimulationProgress) => void) | undefined;
}

const iso = (ms: number): string => new Date(ms).toISOString();

function kindOf(step: ScenarioStep): string {
  return businessKindOf(step) ?? Object.keys(step).find((k) => ["start", "advance", "advanceTo", "send", "emit", "generate", "expect"].includes(k)) ?? "step";
}

function simulatedHandlers(doc: ScenarioDocument): Record<string, TaskHandler> {
  const out: Record<string, TaskHandler> = {};
  for (const [name, spec] of Object.entries(doc.handlers ?? {})) {
    const calls = new Map<string, number>();
    out[name] = (_input, ctx) => {
      const n = (calls.get(ctx.instanceId) ?? 0) + 1;
      calls.set(ctx.instanceId, n);
      if (n <= spec.failTimes) throw new Error(spec.error);
      return spec.result ?? null;
    };
  }
  return out;
}

/**
 * Run a scenario document.
 *
 * @param scenario - the scenario JSON (`kind: "scenario"`; checked as `compileScenario` checks it)
 * @param definitions - the workflow, rule set, table and calendar documents it uses
 *   (a CLI loads the files named in `scenario.definitions`)
 * @param options - a storage to keep the run in, and an `inspect` hook to read the engine after the last step
 * @returns the report; `passed` is false when an expectation failed
 * @throws {@link ValidationError} when the scenario or a definition is invalid
 *
 * @example
 * ```ts
 * const report = await runScenario(scenario, [workflow, ruleset]);
 * report.failures; // [] when every expectation held
 * ```
 */
export async function runScenario(scenario: unknown, definitions: readonly unknown[], options: RunScenarioOptions = {}): Promise<ScenarioReport> {
  const doc = compileScenario(scenario as ScenarioDefinition).document;
  const registry = createRegistry(definitions);
  const clock = createVirtualClock(doc.start);
  // Notifications of scripted instances are listed in the report, those of generated instances only counted.
  let bulk: BulkRuns | undefined;
  const sent: Notification[] = [];
  const sentKeys = new Set<string>();
  const notifier: Notifier = {
    send(n) {
      if (bulk?.isGenerated(n.instanceId)) bulk.notification(n);
      else if (!sentKeys.has(n.idempotencyKey)) {
        sentKeys.add(n.idempotencyKey);
        sent.push(n);
      }
      return Promise.resolve();
    },
  };
  let seq = 0;
  const aliases = new Map<string, string>();
  const engine = createEngine({
    definitions: registry,
    ...(options.storage ? { storage: options.storage } : {}),
    clock,
    notifier,
    directory: createStaticDirectory(doc.directory ?? {}),
    handlers: simulatedHandlers(doc),
    newId: () => `${doc.id}-${++seq}`,
  });
  const report: ScenarioReport = {
    scenario: doc.id,
    start: iso(clock.now()),
    end: "",
    passed: true,
    instances: {},
    notifications: [],
    timers: [],
    schedules: [],
    steps: [],
    failures: [],
  };
  const business = createBusinessSteps({ registry, clock, readFile: options.readFile });
  const results: BusinessStepResult[] = [];
  let currentStep = -1;
  const aliasOf = (id: string): string => [...aliases].find(([, v]) => v === id)?.[0] ?? id;
  if (doc.steps.some((s) => "generate" in s)) {
    bulk = createBulkRuns({ engine, clock, registry, doc, readFile: options.readFile, onProgress: options.onProgress });
  }
  const generated = (id: string | undefined): boolean => id !== undefined && bulk !== undefined && bulk.isGenerated(id);
  engine.events$.subscribe((e) => {
    if ("instanceId" in e && generated(e.instanceId)) return;
    if (e.type === "timer.fired") report.timers.push({ at: iso(e.at), instance: aliasOf(e.instanceId), key: e.key });
    if (e.type === "schedule.fired") report.schedules.push({ at: iso(e.at), schedule: e.scheduleId, occurrence: iso(e.occurrence), instance: e.instanceId });
    if (e.type === "schedule.failed") {
      // a schedule that cannot start or go on fails the scenario, at the step during which it happened
      report.schedules.push({ at: iso(e.at), schedule: e.scheduleId, ...(e.occurrence === undefined ? {} : { occurrence: iso(e.occurrence) }), error: e.error });
      fail(currentStep, e.error);
    }
  });
  const firstWorkflow = registry
    .ids()
    .map((id) => registry.versions(id).at(-1)!)
    .find((d): d is Extract<typeof d, { kind: "workflow" }> => d.kind === "workflow" && d.document.calendar !== undefined);
  const calendarId = doc.calendar ?? firstWorkflow?.document.calendar;

  const fail = (step: number, message: string): void => {
    report.failures.push({ step, message });
    report.passed = false;
  };

  for (let i = 0; i < doc.steps.length; i++) {
    currentStep = i;
    const step = doc.steps[i]!;
    const kind = kindOf(step);
    let ok = true;
    let message: string | undefined;
    try {
      if (isBusinessStep(step)) {
        const r = await business.run(step, i);
        results.push(r.result);
        ok = r.ok;
        message = r.message;
      } else if ("generate" in step) {
        const r = await bulk!.run(step, i);
        ok = r.ok;
        message = r.message;
      } else if ("start" in step) {
        const v = await engine.start(step.start, { id: step.as, input: step.input ?? {}, initiator: step.initiator ?? "user:initiator" });
        aliases.set(step.as, v.id);
      } else if ("advance" in step) {
        if (step.business) {
          const cal = resolveCalendarFor(calendarId, registry);
          if (!cal) throw new ValidationError([catalogueIssue(scenarioMessages, "missingCalendar", ["steps", i, "business"], {}, "missing_calendar")], "scenario");
          await clock.advanceTo(cal.addDuration(clock.now(), step.advance, { business: true }));
        } else {
          await clock.advanceTo(addDuration(clock.now(), parseDuration(step.advance)!));
        }
      } else if ("advanceTo" in step) {
        await clock.advanceTo(step.advanceTo);
      } else if ("send" in step) {
        const id = aliases.get(step.send) ?? step.send;
        try {
          await engine.send(id, step.event as never);
          if (step.expectError !== undefined && step.expectError !== false) {
            ok = false;
            message = `expected ${step.event.type} to be refused, but it was applied`;
          }
        } catch (e) {
          if (!isRuleflowError(e)) throw e;
          const wanted = step.expectError;
          if (wanted === undefined || wanted === false) {
            ok = false;
            message = e.message;
          } else if (typeof wanted === "string" && !e.message.includes(wanted)) {
            ok = false;
            message = `refused, but with "${e.message}" instead of "${wanted}"`;
          }
        }
      } else if ("emit" in step) {
        await engine.emit(step.emit);
      } else if ("expect" in step) {
        const x = step.expect;
        if ("instance" in x) {
          const v = await engine.get(aliases.get(x.instance) ?? x.instance);
          if (!v) {
            ok = false;
            message = `no instance "${x.instance}"`;
          } else {
            const problems: string[] = [];
            if (x.state !== undefined && !valuesEqual(v.state, x.state)) problems.push(`state is ${JSON.stringify(v.state)}, expected ${JSON.stringify(x.state)}`);
            if (x.status !== undefined && v.status !== x.status) problems.push(`status is ${v.status}, expected ${x.status}`);
            if (x.outcome !== undefined && v.outcome !== x.outcome) problems.push(`outcome is ${v.outcome ?? "none"}, expected ${x.outcome}`);
            if (x.assignees !== undefined && !valuesEqual([...v.assignees].sort(), [...x.assignees].sort())) {
              problems.push(`assignees are ${JSON.stringify(v.assignees)}, expected ${JSON.stringify(x.assignees)}`);
            }
            if (problems.length) {
              ok = false;
              message = `${x.instance}: ${problems.join("; ")}`;
            }
          }
        } else if ("summary" in x) {
          await engine.settle();
          const summary = bulk?.summary();
          const problems = subsetMismatches(x.summary, summary === undefined ? undefined : JSON.parse(JSON.stringify(summary)), "summary");
          if (problems.length) {
            ok = false;
            message = problems.length > 5 ? `${problems.slice(0, 5).join("; ")}; and ${problems.length - 5} more` : problems.join("; ");
          }
        } else if ("started" in x) {
          const n = (await engine.list({ ...(x.started.workflow === undefined ? {} : { definitionId: x.started.workflow }) })).length;
          if (n !== x.started.count) {
            ok = false;
            message = `${n} instance(s) of ${x.started.workflow ?? "any workflow"} started, expected ${x.started.count}`;
          }
        } else {
          const n = x.notifications;
          await engine.settle();
          const count = sent.filter(
            (s) =>
              (n.to === undefined || s.to === n.to) &&
              (n.recipient === undefined || s.recipients.includes(n.recipient)) &&
              (n.template === undefined || s.template === n.template) &&
              (n.instance === undefined || s.instanceId === (aliases.get(n.instance) ?? n.instance)),
          ).length;
          if (count !== n.count) {
            ok = false;
            message = `${count} notification(s) match ${JSON.stringify(n)}, expected ${n.count}`;
          }
        }
      }
    } catch (e) {
      if (e instanceof ValidationError) throw e;
      ok = false;
      message = e instanceof Error ? e.message : String(e);
    }
    await engine.settle();
    report.steps.push({ step: i, kind, at: iso(clock.now()), ok, ...(message ? { message } : {}) });
    if (!ok) fail(i, message ?? "failed");
  }
  await engine.settle();
  for (const v of await engine.list()) {
    const id = v.id;
    if (generated(id)) continue;
    report.instances[aliasOf(id)] = {
      id,
      workflow: v.definitionId,
      version: v.definitionVersion,
      status: v.status,
      outcome: v.outcome ?? null,
      state: v.state,
      assignees: [...v.assignees],
      error: v.error ?? null,
    };
  }
  report.notifications = sent.map((s) => ({ at: iso(s.at), instance: aliasOf(s.instanceId), template: s.template, to: s.to, recipients: [...s.recipients] }));
  report.end = iso(clock.now());
  if (results.length) report.results = results;
  if (bulk) report.summary = bulk.summary();
  try {
    await options.inspect?.(engine, report);
  } finally {
    bulk?.close();
    await engine.close();
  }
  return report;
}
