/**
 * Bulk simulation: the `generate` step of a scenario. Each generator starts
 * instances of a workflow per working day, day or hour over a window of
 * dates, with inputs drawn from records or distributions, and simulated
 * approvers who approve or reject after a drawn delay (or never act, so
 * escalations fire). Everything happens on the scenario's virtual clock:
 * arrivals and approvers' actions are clock timers, fired in order with the
 * engine's own timers, so a year runs in seconds and the same seed gives the
 * same run.
 *
 * The driver watches generated instances through the engine's public API
 * only: `events$` says which instance moved, `audit` what happened (node
 * entered and left, the escalation step a timer fired) and `get` who can act
 * now. Per instance it keeps only what a running instance needs (its open
 * node visits and the approvers it planned for) and drops it when the
 * instance finishes; the summary aggregates as it goes.
 */
import { ArgumentError, ValidationError, isRuleflowError, type IssueCode } from "../core/errors.js";
import { addDuration, parseDuration } from "../core/duration.js";
import { parseLocalDate } from "../core/local-date.js";
import { getZoneRules } from "../core/time-zone.js";
import { fnv1a32 } from "../core/hash.js";
import type { BusinessCalendar } from "../core/calendar.js";
import { catalogueIssue } from "../i18n/issues.js";
import { scenarioMessages } from "../i18n/messages/scenario.js";
import { getBuiltinCalendar } from "../calendar/builtins.js";
import type { DefinitionRegistry } from "../registry.js";
import type { VirtualClock } from "../runtime/clock.js";
import type { Engine } from "../runtime/engine.js";
import type { AuditRecord, Notification } from "../runtime/ports.js";
import type { InstanceView } from "../runtime/records.js";
import { BUILTIN_CALENDAR_IDS } from "../schema/calendar.js";
import type { GenerateStep, GeneratorSpec, ScenarioDocument } from "../schema/scenario.js";
import { fixedDurationMs } from "../schema/scenario.js";
import type { EscalationStep, WorkflowDocument } from "../schema/workflow.js";
import { seededRandom } from "../testing/random.js";
import { choose, drawCount, drawDelay, drawField, type Random } from "./distributions.js";
import { SummaryCollector, type OpenVisit, type SimulationSummary } from "./summary.js";
import { subsetMismatches } from "./subset.js";

/** Where a bulk simulation is, as `onProgress` hears it. */
export interface SimulationProgress {
  /** The index of the `generate` step running. */
  step: number;
  /** `generating` while dates of the window remain, `draining` while running instances go on after it, `done` at the end of the step. */
  phase: "generating" | "draining" | "done";
  /** The virtual time (ISO-8601 UTC). */
  at: string;
  /** The step's window: its earliest `from` and latest `until`. */
  from: string;
  until: string;
  /** Share of the window's time that has passed, 0 to 1 (1 while draining). */
  fraction: number;
  /** Generated instances so far in the run: started, finished, still running. */
  started: number;
  finished: number;
  running: number;
}

/** Most generated instances one scenario run may start. */
export const MAX_GENERATED_INSTANCES = 1_000_000;

type MessageKey = keyof typeof scenarioMessages.messages.en;
type Path = (string | number)[];

function invalid(path: Path, key: MessageKey, params: Record<string, string>, code: IssueCode = "invalid_value"): ValidationError {
  return new ValidationError([catalogueIssue(scenarioMessages, key, path, params, code)], "scenario");
}

const iso = (ms: number): string => new Date(ms).toISOString();
const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** The key of a timer's audit record (`esc:countersign`), or "". */
const timerKey = (r: AuditRecord): string => (typeof r.event["key"] === "string" ? r.event["key"] : "");

/** Node types where an instance waits (the others pass at once). */
const WAITING = new Set(["approval", "task", "wait"]);

/** Every node id in an xstate state value (a string, or nested objects for parallel states). */
function nodesIn(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      nodesIn(v, out);
    }
  }
  return out;
}

/** Set a value at a dotted path, creating objects on the way (own properties only). */
function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split(".");
  let o = target;
  for (const k of keys.slice(0, -1)) {
    const next = Object.hasOwn(o, k) ? o[k] : undefined;
    if (next === null || typeof next !== "object" || Array.isArray(next)) {
      Object.defineProperty(o, k, { value: {}, enumerable: true, writable: true, configurable: true });
    }
    o = o[k] as Record<string, unknown>;
  }
  Object.defineProperty(o, keys.at(-1)!, { value, enumerable: true, writable: true, configurable: true });
}

/** Merge `source` into `target`, objects key by key (copies; own properties only). */
function mergeInto(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(source)) {
    const current = Object.hasOwn(target, k) ? target[k] : undefined;
    if (v !== null && typeof v === "object" && !Array.isArray(v) && current !== null && typeof current === "object" && !Array.isArray(current)) {
      mergeInto(current as Record<string, unknown>, v as Record<string, unknown>);
    } else {
      Object.defineProperty(target, k, { value: structuredClone(v), enumerable: true, writable: true, configurable: true });
    }
  }
}

/** Parse input records: a JSON array, or JSON Lines (blank lines skipped). */
function parseRecords(text: string, file: string): Record<string, unknown>[] {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);
  const trimmed = text.replace(/^\uFEFF/, "").trim();
  if (trimmed.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (e) {
      throw new Error(`${file}: not JSON: ${errorText(e)}`, { cause: e });
    }
    const items = parsed as unknown[];
    const bad = items.findIndex((r) => !isObject(r));
    if (bad >= 0) throw new Error(`${file}: item ${bad} is not an object`);
    if (!items.length) throw new Error(`${file}: no records`);
    return items as Record<string, unknown>[];
  }
  const out: Record<string, unknown>[] = [];
  const lines = trimmed.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch (e) {
      throw new Error(`${file}: line ${i + 1}: not JSON: ${errorText(e)}`, { cause: e });
    }
    if (!isObject(parsed)) throw new Error(`${file}: line ${i + 1}: expected an object`);
    out.push(parsed);
  }
  if (!out.length) throw new Error(`${file}: no records`);
  return out;
}

/** One generator, ready to run. */
interface Generator {
  readonly spec: GeneratorSpec;
  readonly path: Path;
  readonly workflow: string;
  readonly prefix: string;
  /** For working days and business time; the workflow's own calendar counts business hours. */
  readonly calendar: BusinessCalendar | undefined;
  readonly workflowCalendar: BusinessCalendar | undefined;
  readonly zone: ReturnType<typeof getZoneRules>;
  readonly fromDay: number;
  readonly untilDay: number;
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly arrivals: Random;
  readonly records: Record<string, unknown>[] | undefined;
  readonly slaBusiness: boolean;
}

interface Visit {
  readonly node: string;
  readonly seq: number;
  readonly entered: number;
  escalated: boolean;
  readonly deadline: number | undefined;
}

/** What the driver keeps of one running generated instance. */
interface Track {
  readonly id: string;
  readonly gen: Generator;
  readonly startedAt: number;
  readonly rng: Random;
  readonly deadline: number | undefined;
  doc: WorkflowDocument | undefined;
  lastVersion: number;
  seq: number;
  readonly visits: Map<string, Visit>;
  readonly planned: Set<string>;
}

/** The bulk-simulation side of one scenario run. @internal */
export interface BulkRuns {
  /** Whether an instance id is one a generator made. */
  isGenerated(id: string): boolean;
  /** Count a notification of a generated instance. */
  notification(n: Notification): void;
  /** Run one `generate` step: its window, then its drain. */
  run(step: GenerateStep, index: number): Promise<{ ok: boolean; message?: string | undefined }>;
  /** The summary so far; undefined before the first `generate` step. */
  summary(): SimulationSummary | undefined;
  /** Stop watching the engine. */
  close(): void;
}

/** Options of {@link createBulkRuns}. @internal */
export interface BulkRunsOptions {
  engine: Engine;
  clock: VirtualClock;
  registry: DefinitionRegistry;
  doc: ScenarioDocument;
  readFile?: ((path: string) => string) | undefined;
  onProgress?: ((progress: SimulationProgress) => void) | undefined;
}

/**
 * Create the bulk-simulation driver of one scenario run.
 * @internal
 */
export function createBulkRuns(options: BulkRunsOptions): BulkRuns {
  const { engine, clock, registry, doc } = options;
  const collector = new SummaryCollector();
  const live = new Map<string, Track>();
  const dirty = new Set<string>();
  /** Prefix -> how many ids it has given. */
  const counters = new Map<string, number>();
  let used = false;
  let total = 0;
  let finishedCount = 0;
  let processing: Promise<void> | undefined;

  const roles = doc.directory?.roles ?? {};
  const subscription = engine.events$.subscribe((e) => {
    if ("instanceId" in e && e.instanceId !== undefined && live.has(e.instanceId)) {
      if (e.type === "instance.started" || e.type === "instance.transitioned" || e.type === "instance.finished") dirty.add(e.instanceId);
    }
  });
  const unregister = clock.addSettler(() => drain());

  const isGenerated = (id: string): boolean => {
    const dash = id.lastIndexOf("-");
    if (dash <= 0) return false;
    const n = counters.get(id.slice(0, dash));
    const tail = id.slice(dash + 1);
    return n !== undefined && /^[1-9]\d*$/.test(tail) && Number(tail) <= n;
  };

  const calendarNamed = (id: string, path: Path): BusinessCalendar => {
    if (registry.ids().includes(id)) {
      const def = registry.versions(id).at(-1)!;
      if (def.kind !== "calendar") throw invalid(path, "wrongKind", { id, actual: def.kind, kind: "calendar" }, "unknown_definition");
      return def;
    }
    if ((BUILTIN_CALENDAR_IDS as readonly string[]).includes(id)) return getBuiltinCalendar(id as (typeof BUILTIN_CALENDAR_IDS)[number]);
    throw invalid(path, "noDefinition", { kind: "calendar", id, known: [...registry.ids().filter((i) => registry.versions(i)[0]!.kind === "calendar"), ...BUILTIN_CALENDAR_IDS].join(", ") }, "unknown_definition");
  };

  function prepare(spec: GeneratorSpec, path: Path): Generator {
    const versions = registry.versions(spec.workflow);
    if (!versions.length) throw invalid([...path, "workflow"], "noDefinition", { kind: "workflow", id: spec.workflow, known: registry.ids().join(", ") || "-" }, "unknown_definition");
    const latest = versions.at(-1)!;
    if (latest.kind !== "workflow") throw invalid([...path, "workflow"], "notAWorkflow", { id: spec.workflow, actual: latest.kind }, "unknown_definition");
    const wfCalendarId = latest.document.calendar;
    const calendarId = spec.calendar ?? doc.calendar ?? wfCalendarId;
    const calendar = calendarId === undefined ? undefined : calendarNamed(calendarId, [...path, spec.calendar !== undefined ? "calendar" : "workflow"]);
    const workflowCalendar = wfCalendarId === undefined ? calendar : calendarNamed(wfCalendarId, [...path, "workflow"]);
    if (spec.per === "working-day" && !calendar) throw invalid([...path, "per"], "needsCalendar", {});
    const zone = getZoneRules(calendar?.timeZone ?? "UTC");
    const fromDay = parseLocalDate(spec.from)!;
    const untilDay = parseLocalDate(spec.until)!;
    for (const [day, field] of [
      [fromDay, "from"],
      [untilDay, "until"],
    ] as const) {
      try {
        calendar?.isWorkday(zone.toInstant(day, 12 * 3_600_000));
        if (workflowCalendar !== calendar) workflowCalendar?.isWorkday(zone.toInstant(day, 12 * 3_600_000));
      } catch (e) {
        throw invalid([...path, field], "calendarProblem", { error: errorText(e) });
      }
    }
    if (zone.toInstant(untilDay + 1, 0) <= clock.now()) throw invalid([...path, "until"], "windowPassed", { until: spec.until, now: iso(clock.now()) });
    const prefix = spec.as ?? spec.workflow;
    if (prefix === doc.id) throw invalid([...path, spec.as === undefined ? "workflow" : "as"], "prefixTaken", { prefix });
    let records: Record<string, unknown>[] | undefined = spec.inputs?.records;
    const file = spec.inputs?.file;
    if (file !== undefined) {
      const at = [...path, "inputs", "file"];
      if (!options.readFile) throw invalid(at, "fileNeedsReader", { file });
      let text: string;
      try {
        text = options.readFile(file);
      } catch (e) {
        throw invalid(at, "unreadableFile", { file, error: errorText(e) });
      }
      try {
        records = parseRecords(text, file);
      } catch (e) {
        throw invalid(at, "badRecords", { error: errorText(e) });
      }
    }
    const windowStart = Math.max(zone.toInstant(fromDay, 0), clock.now());
    const windowEnd = Math.max(zone.toInstant(untilDay + 1, 0), windowStart);
    return {
      spec,
      path,
      workflow: spec.workflow,
      prefix,
      calendar,
      workflowCalendar,
      zone,
      fromDay,
      untilDay,
      windowStart,
      windowEnd,
      arrivals: seededRandom(fnv1a32(`${spec.seed}/${prefix}/arrivals`)),
      records,
      slaBusiness: spec.sla?.business ?? workflowCalendar !== undefined,
    };
  }

  const deadlineAfter = (gen: Generator, from: number, limit: string | undefined): number | undefined => {
    if (limit === undefined) return undefined;
    const cal = gen.workflowCalendar;
    if (!gen.slaBusiness || !cal) return addDuration(from, parseDuration(limit)!);
    try {
      return cal.addDuration(from, limit, { business: true });
    } catch {
      // past the calendar's coverage: no deadline can be told (the engine fails such an instance itself)
      return undefined;
    }
  };

  const progress = (step: number, phase: SimulationProgress["phase"], window: { from: string; until: string; start: number; end: number }): void => {
    if (!options.onProgress) return;
    const now = clock.now();
    const span = window.end - window.start;
    const fraction = phase === "generating" ? (span > 0 ? Math.min(1, Math.max(0, (now - window.start) / span)) : 1) : 1;
    options.onProgress({ step, phase, at: iso(now), from: window.from, until: window.until, fraction, started: total, finished: finishedCount, running: live.size });
  };

  // --- arrivals ---

  function inputOf(gen: Generator, n: number, random: Random): Record<string, unknown> {
    const input: Record<string, unknown> = {};
    const spec = gen.spec.inputs;
    if (spec?.base) mergeInto(input, spec.base);
    if (gen.records) {
      const records = gen.records;
      const record = spec?.order === "random" ? records[Math.floor(random() * records.length)]! : records[(n - 1) % records.length]!;
      mergeInto(input, record);
    }
    for (const [path, field] of Object.entries(spec?.fields ?? {})) setPath(input, path, drawField(field, n, random));
    return input;
  }

  async function startOne(gen: Generator): Promise<void> {
    const n = (counters.get(gen.prefix) ?? 0) + 1;
    counters.set(gen.prefix, n);
    const id = `${gen.prefix}-${n}`;
    const random = seededRandom(fnv1a32(`${gen.spec.seed}/${gen.prefix}/${n}/inputs`));
    const input = inputOf(gen, n, random);
    const initiator = typeof gen.spec.initiator === "string" ? gen.spec.initiator : String(choose(gen.spec.initiator, random));
    const now = clock.now();
    const track: Track = {
      id,
      gen,
      startedAt: now,
      rng: seededRandom(fnv1a32(`${gen.spec.seed}/${gen.prefix}/${n}/actors`)),
      deadline: deadlineAfter(gen, now, gen.spec.sla?.instance),
      doc: undefined,
      lastVersion: 0,
      seq: 0,
      visits: new Map(),
      planned: new Set(),
    };
    live.set(id, track);
    total++;
    try {
      await engine.start(gen.workflow, { id, input, initiator });
      collector.started(gen.workflow);
    } catch (e) {
      live.delete(id);
      dirty.delete(id);
      total--;
      collector.failedToStart(`${id}: ${errorText(e)}`);
    }
  }

  /** Arm the timer of period `k` of a generator; it draws the period's arrivals and arms the next. */
  function armPeriod(gen: Generator, k: number, onDone: () => void, step: number, window: { from: string; until: string; start: number; end: number }): void {
    const hourly = gen.spec.per === "hour";
    const lastK = hourly ? Math.ceil((gen.zone.toInstant(gen.untilDay + 1, 0) - gen.zone.toInstant(gen.fromDay, 0)) / 3_600_000) - 1 : gen.untilDay - gen.fromDay;
    if (k > lastK) {
      onDone();
      return;
    }
    const periodStart = hourly ? gen.zone.toInstant(gen.fromDay, 0) + k * 3_600_000 : gen.zone.toInstant(gen.fromDay + k, 0);
    const periodEnd = hourly ? periodStart + 3_600_000 : gen.zone.toInstant(gen.fromDay + k + 1, 0);
    clock.setTimer(Math.max(periodStart, clock.now()), () => {
      const begin = Math.max(periodStart, clock.now());
      const cal = gen.calendar;
      const working = gen.spec.per !== "working-day" || cal!.isWorkday(gen.zone.toInstant(gen.fromDay + k, 12 * 3_600_000));
      if (working && begin < periodEnd) {
        const n = drawCount(gen.spec.count, gen.arrivals);
        if (total + n > MAX_GENERATED_INSTANCES) throw invalid([...gen.path, "count"], "tooManyInstances", { limit: String(MAX_GENERATED_INSTANCES) });
        const times: number[] = [];
        if (gen.spec.per === "working-day") {
          const span = cal!.businessTimeBetween(begin, periodEnd);
          for (let i = 0; i < n; i++) times.push(span > 0 ? cal!.addBusinessTime(begin, Math.floor(gen.arrivals() * span)) : begin);
        } else {
          for (let i = 0; i < n; i++) times.push(begin + Math.floor(gen.arrivals() * (periodEnd - begin)));
        }
        times.sort((a, b) => a - b);
        for (const t of times) clock.setTimer(t, () => startOne(gen));
      }
      armPeriod(gen, k + 1, onDone, step, window);
      progress(step, "generating", window);
    });
  }

  // --- watching instances ---

  const exitOf = (t: Track, r: AuditRecord): string => {
    if (r.action !== "timer") return r.action;
    const key = timerKey(r);
    if (key.startsWith("esc:") && typeof r.event["step"] === "number") {
      const node = key.slice(4);
      const step = nodeEscalation(t, node)?.[r.event["step"]];
      return step?.action ?? "timer";
    }
    return "timeout";
  };

  /** The escalation ladder of a node, as written. */
  const nodeEscalation = (t: Track, node: string): readonly EscalationStep[] | undefined => {
    const spec = t.doc?.nodes[node];
    return spec && "escalation" in spec ? spec.escalation : undefined;
  };

  const waitingNodes = (t: Track, value: unknown): string[] => [...new Set(nodesIn(value))].filter((n) => WAITING.has(t.doc?.nodes[n]?.type ?? ""));

  /**
   * Working time between two instants on the workflow's calendar; undefined
   * without one, or when the calendar cannot tell (a year outside its
   * coverage: the engine fails such an instance itself, and says why).
   */
  const businessBetween = (t: Track, from: number, to: number): number | undefined => {
    const cal = t.gen.workflowCalendar;
    if (!cal) return undefined;
    try {
      return cal.businessTimeBetween(from, to);
    } catch {
      return undefined;
    }
  };

  function closeVisit(t: Track, node: string, at: number, exit: string): void {
    const v = t.visits.get(node);
    if (!v) return;
    t.visits.delete(node);
    collector.decided(t.gen.workflow, node, {
      wallMs: at - v.entered,
      businessMs: businessBetween(t, v.entered, at),
      exit,
      escalated: v.escalated,
      breached: v.deadline !== undefined && at > v.deadline,
    });
  }

  function apply(t: Track, r: AuditRecord): void {
    if (!t.doc) {
      const def = registry.versions(r.definitionId).find((d) => d.version === r.definitionVersion);
      t.doc = def?.kind === "workflow" ? def.document : undefined;
    }
    const key = timerKey(r);
    if (r.action === "timer" && key.startsWith("esc:") && typeof r.event["step"] === "number") {
      const node = key.slice(4);
      const index = r.event["step"];
      const step = nodeEscalation(t, node)?.[index];
      if (step) {
        const to = typeof step.to === "string" ? step.to : step.to !== undefined ? "expr" : undefined;
        const covers = step.for === undefined ? undefined : Array.isArray(step.for) ? step.for.join(", ") : step.for;
        collector.escalation(t.gen.workflow, { node, step: index, action: step.action, ...(to === undefined ? {} : { to }), ...(covers === undefined ? {} : { for: covers }) });
      }
      const visit = t.visits.get(node);
      if (visit) visit.escalated = true;
    }
    const before = r.before ? waitingNodes(t, r.before.value) : [];
    const after = r.after.status === "running" ? waitingNodes(t, r.after.value) : [];
    const exit = exitOf(t, r);
    for (const node of before) if (!after.includes(node)) closeVisit(t, node, r.at, exit);
    for (const node of after) {
      if (before.includes(node) && t.visits.has(node)) continue;
      const sla = t.gen.spec.sla?.nodes?.[node];
      t.visits.set(node, { node, seq: ++t.seq, entered: r.at, escalated: false, deadline: deadlineAfter(t.gen, r.at, sla) });
      collector.entered(t.gen.workflow, node, t.gen.workflowCalendar !== undefined);
    }
  }

  const inRole = (who: string, user: string): boolean => {
    const users = who.startsWith("role:") && Object.hasOwn(roles, who.slice(5)) ? roles[who.slice(5)] : undefined;
    return users?.includes(user) ?? false;
  };

  function planOne(t: Track, node: string, seq: number, user: string, seat: string | undefined, escalation: boolean): void {
    const key = `${node}#${seq}|${escalation ? "e" : "s"}|${seat ?? ""}|${user}`;
    if (t.planned.has(key)) return;
    t.planned.add(key);
    const rule = t.gen.spec.actors.find((a) => (a.node === undefined || a.node === node) && (a.who === undefined || a.who === user || a.who === seat || inRole(a.who, user)));
    if (!rule) {
      collector.actors.idle++;
      return;
    }
    const u = t.rng();
    const delay = drawDelay(rule.after, t.rng);
    const decision = u < rule.approve ? "approve" : u < rule.approve + rule.reject ? "reject" : undefined;
    if (!decision) {
      collector.actors.idle++;
      return;
    }
    const now = clock.now();
    const cal = t.gen.calendar;
    const at = (rule.business ?? cal !== undefined) && cal ? cal.addBusinessTime(cal.nextWorkingInstant(now), delay) : now + delay;
    const id = t.id;
    clock.setTimer(at, async () => {
      // the instance finished before this approver acted: too late, without asking the engine
      if (!live.has(id)) {
        collector.actors.refused++;
        return;
      }
      try {
        await engine.send(id, { type: decision, actor: user, ...(rule.comment === undefined ? {} : { comment: rule.comment }) });
        collector.actors[decision]++;
      } catch (e) {
        // the request moved on (decided, escalated, timed out) before this approver acted
        if (isRuleflowError(e) && !(e instanceof ValidationError) && !(e instanceof ArgumentError)) collector.actors.refused++;
        else collector.error(`${id}: ${user} ${decision}: ${errorText(e)}`);
      }
    });
  }

  function plan(t: Track, view: InstanceView): void {
    for (const node of view.activeNodes) {
      const approval = view.approvals[node];
      if (!approval) continue;
      const seq = t.visits.get(node)?.seq ?? 0;
      for (const a of approval.approvers) {
        if (a.status !== "pending") continue;
        if (view.assignees.includes(a.user)) planOne(t, node, seq, a.user, a.seat, false);
        for (const target of a.escalatedTo ?? []) if (view.assignees.includes(target)) planOne(t, node, seq, target, a.seat, true);
      }
    }
  }

  async function processOne(id: string): Promise<void> {
    const t = live.get(id);
    if (!t) return;
    try {
      const audit = await engine.audit(id);
      for (const r of audit) {
        if (r.version <= t.lastVersion) continue;
        apply(t, r);
        t.lastVersion = r.version;
      }
      const view = await engine.get(id);
      if (!view) return;
      if (view.status === "running") {
        plan(t, view);
        return;
      }
      live.delete(id);
      finishedCount++;
      const end = audit.at(-1)?.at ?? clock.now();
      for (const node of [...t.visits.keys()]) closeVisit(t, node, end, view.status);
      if (view.status === "failed") collector.failed(`${id}: ${view.error ?? "failed"}`);
      collector.finished(t.gen.workflow, view.status, view.outcome, {
        wallMs: end - t.startedAt,
        businessMs: businessBetween(t, t.startedAt, end),
        breached: t.deadline !== undefined && end > t.deadline,
      });
    } catch (e) {
      collector.error(`${id}: ${errorText(e)}`);
    }
  }

  /** Catch up with every generated instance that moved (the clock calls this after each firing). */
  function drain(): Promise<void> {
    if (processing) return processing;
    if (!dirty.size) return Promise.resolve();
    processing = (async () => {
      try {
        while (dirty.size) {
          const ids = [...dirty];
          dirty.clear();
          for (const id of ids) await processOne(id);
        }
      } finally {
        processing = undefined;
      }
    })();
    return processing;
  }

  const openState = (): { visits: OpenVisit[]; running: { workflow: string; breached: boolean }[] } => {
    const now = clock.now();
    const visits: OpenVisit[] = [];
    const running: { workflow: string; breached: boolean }[] = [];
    for (const t of live.values()) {
      running.push({ workflow: t.gen.workflow, breached: t.deadline !== undefined && now > t.deadline });
      for (const v of t.visits.values()) visits.push({ workflow: t.gen.workflow, node: v.node, breached: v.deadline !== undefined && now > v.deadline });
    }
    return { visits, running };
  };

  return {
    isGenerated,
    notification(n) {
      collector.notification(n.template, n.recipients);
    },
    summary() {
      return used ? collector.summary(iso(clock.now()), openState()) : undefined;
    },
    close() {
      subscription.unsubscribe();
      unregister();
    },
    async run(step, index) {
      used = true;
      const errorsBefore = collector.errorCount;
      const specs = Array.isArray(step.generate) ? step.generate : [step.generate];
      const gens = specs.map((spec, k) => prepare(spec, Array.isArray(step.generate) ? ["steps", index, "generate", k] : ["steps", index, "generate"]));
      // ids are taken from here on: a prefix counts on from an earlier step's
      for (const gen of gens) if (!counters.has(gen.prefix)) counters.set(gen.prefix, 0);
      const window = {
        from: [...specs.map((s) => s.from)].sort()[0]!,
        until: [...specs.map((s) => s.until)].sort().at(-1)!,
        start: Math.min(...gens.map((g) => g.windowStart)),
        end: Math.max(...gens.map((g) => g.windowEnd)),
      };
      for (const gen of gens) {
        collector.window(gen.spec.from, gen.spec.until);
        collector.declare(gen.workflow, {
          business: gen.workflowCalendar !== undefined,
          sla: gen.spec.sla ? { nodes: gen.spec.sla.nodes ?? {}, instance: gen.spec.sla.instance, business: gen.slaBusiness } : undefined,
        });
        armPeriod(gen, 0, () => undefined, index, window);
      }
      await clock.advanceTo(Math.max(window.end, clock.now()));
      const drainMs = Math.max(...gens.map((g) => fixedDurationMs(g.spec.drain) ?? 0));
      const drainEnd = clock.now() + drainMs;
      while (live.size > 0) {
        const next = clock.nextDue();
        if (next === undefined) break;
        if (next > drainEnd) {
          await clock.advanceTo(drainEnd);
          break;
        }
        await clock.advanceTo(next);
        progress(index, "draining", window);
      }
      await drain();
      progress(index, "done", window);
      const messages: string[] = [];
      const errors = collector.errorsSince(errorsBefore);
      if (errors.count) messages.push(`${errors.count} error(s) while generating: ${errors.first.join("; ")}`);
      if (step.expect !== undefined) {
        const problems = subsetMismatches(step.expect, JSON.parse(JSON.stringify(this.summary())));
        const shown = problems.slice(0, 5).join("; ");
        if (problems.length) messages.push(`summary: ${problems.length > 5 ? `${shown}; and ${problems.length - 5} more` : shown}`);
      }
      return messages.length ? { ok: false, message: messages.join("; ") } : { ok: true };
    },
  };
}
