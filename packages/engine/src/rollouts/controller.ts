/**
 * The rollout controller: lifecycle operations (start, promote, roll back,
 * reweight, elastic switches, guardrail auto-rollback) and assignment with
 * sticky records and exposures, on top of a RolloutStore. Every change is a
 * new version committed together with its audit record, then loaded into the
 * registry (if given) and announced on `events$`.
 */
import { Subject, type Observable } from "rxjs";
import type { ConditionTrace } from "../conditions/compile.js";
import type { DefinitionLoader } from "../core/context.js";
import type { Clock } from "../core/clock.js";
import { ActionNotAllowedError, ArgumentError, UnknownDefinitionError } from "../core/errors.js";
import { valuesEqual } from "../expr/values.js";
import type { RolloutDefinition, RolloutDocument } from "../schema/rollout.js";
import type { RolloutEventInput } from "./events.js";
import { transitionRollout, type RolloutTransition } from "./lifecycle.js";
import { analyzeRollout, type ReportOptions } from "./report.js";
import type { GuardrailReport, RolloutReport } from "./report-types.js";
import type { RolloutAuditRecord, RolloutStore } from "./store.js";
import type { CompiledRollout, RolloutResult } from "./types.js";
import { compileRollout } from "./kind.js";
import { findLayerConflicts } from "./layers.js";

/** Announced on `events$` after each committed change. */
export interface RolloutLifecycleEvent {
  type: "rollout.created" | "rollout.updated" | "rollout.started" | "rollout.promoted" | "rollout.rolled-back" | "rollout.reweighted" | "rollout.switched" | "rollout.switch-released" | "rollout.guardrail-breached";
  rolloutId: string;
  version: number;
  status: RolloutDocument["status"];
  at: string;
  actor: string;
  audit: RolloutAuditRecord;
  /** rollout.guardrail-breached: the breaches. */
  guardrails?: GuardrailReport[] | undefined;
}

/** Options of {@link createRolloutController}. */
export interface RolloutControllerOptions {
  store: RolloutStore;
  /**
   * The runtime {@link Clock} (only `now` is read): defaults to the system
   * time. Pass a virtual clock in simulations and tests.
   */
  clock?: Pick<Clock, "now"> | undefined;
  /** A registry to load every new version into, so `registry.evaluate` sees it. */
  definitions?: DefinitionLoader | undefined;
  /**
   * Id generator for audit records, as `newId` of `createEngine`. Without it
   * a record's id is `<rollout id>@<version>` (unique, as each version has one record).
   */
  newId?: (() => string) | undefined;
}

/** Who does an operation, and why. */
export interface ActorOptions {
  actor: string;
  reason?: string | undefined;
}

/** Lifecycle operations and assignment for rollouts kept in a RolloutStore. */
export interface RolloutController {
  /** Changes, after they are committed. */
  readonly events$: Observable<RolloutLifecycleEvent>;
  /** Store a document: creates the rollout, or adds the version when it is newer than the stored one; otherwise a no-op. */
  register(document: RolloutDefinition | RolloutDocument, options: ActorOptions): Promise<CompiledRollout>;
  /** The current (highest stored) version, compiled. */
  current(id: string): Promise<CompiledRollout>;
  start(id: string, options: ActorOptions): Promise<CompiledRollout>;
  /** Everyone gets `variant`. */
  promote(id: string, options: ActorOptions & { variant: string }): Promise<CompiledRollout>;
  /** Everyone gets control. */
  rollback(id: string, options: ActorOptions): Promise<CompiledRollout>;
  /** New weights, moving as few units as possible (slots are written for the new layout). */
  reweight(id: string, weights: Readonly<Record<string, number>>, options: ActorOptions): Promise<CompiledRollout>;
  /** Report on the stored exposures plus the given events; roll back automatically when a guardrail is breached. */
  checkGuardrails(id: string, events: Iterable<RolloutEventInput>, options?: ReportOptions): Promise<{ report: RolloutReport; rolledBack: boolean }>;
  /** Check every inactive elastic switch against KPI facts; each one that holds is switched on (one version each). */
  checkSwitches(id: string, kpis: unknown, options?: Partial<ActorOptions>): Promise<{ switched: string[]; checks: { id: string; passed: boolean; trace: ConditionTrace }[] }>;
  /** Switch an elastic switch off again. */
  releaseSwitch(id: string, switchId: string, options: ActorOptions): Promise<CompiledRollout>;
  /** Assign a unit now: sticky records are read and kept, exposures recorded (unless `record: false`). */
  assign(id: string, facts: unknown, options?: { record?: boolean | undefined; trace?: boolean | undefined }): Promise<RolloutResult>;
  /** The report on stored exposures plus the given metric events. */
  report(id: string, events: Iterable<RolloutEventInput>, options?: ReportOptions): Promise<RolloutReport>;
  /** The audit trail, oldest first. */
  audit(id: string): Promise<RolloutAuditRecord[]>;
}

const EVENT_OF: Record<RolloutAuditRecord["action"], RolloutLifecycleEvent["type"]> = {
  create: "rollout.created",
  update: "rollout.updated",
  start: "rollout.started",
  promote: "rollout.promoted",
  "roll-back": "rollout.rolled-back",
  "auto-roll-back": "rollout.rolled-back",
  reweight: "rollout.reweighted",
  switch: "rollout.switched",
  "release-switch": "rollout.switch-released",
};

/**
 * Create a rollout controller.
 *
 * @param options - the store, a clock, an optional registry to keep current, an audit id generator
 * @returns the controller
 * @example
 * ```ts
 * const controller = createRolloutController({ store: createMemoryRolloutStore(), clock, definitions: registry });
 * await controller.register(pilot, { actor: "user:li" });
 * await controller.start("renewal-incentive-v2", { actor: "user:li", reason: "pilot at three campuses" });
 * controller.events$.subscribe((e) => console.log(e.type, e.version));
 * const { rolledBack } = await controller.checkGuardrails("renewal-incentive-v2", metricEvents);
 * ```
 * @see docs/rollouts.md
 */
export function createRolloutController(options: RolloutControllerOptions): RolloutController {
  const { store, definitions } = options;
  const clock = options.clock ?? { now: () => Date.now() };
  if (options.newId !== undefined && (typeof options.newId !== "function" || options.newId.length > 0)) {
    // the option once took (rolloutId, version): such a function would now be called with neither
    throw new ArgumentError("newId", "expected a function of no arguments returning a new id, e.g. () => crypto.randomUUID(); leave it out for <rollout id>@<version>");
  }
  const generate = options.newId;
  const newId = (id: string, version: number): string => (generate ? generate() : `${id}@${version}`);
  const subject = new Subject<RolloutLifecycleEvent>();
  const compiled = new Map<string, CompiledRollout>();
  const nowIso = () => new Date(clock.now()).toISOString();

  // Stored versions never change (commits only append), so id@version is a safe cache key for them.
  const compileStored = (doc: RolloutDocument): CompiledRollout => {
    const key = `${doc.id}@${doc.version}`;
    const cached = compiled.get(key);
    if (cached) return cached;
    const def = compileRollout(doc);
    compiled.set(key, def);
    return def;
  };

  const current: RolloutController["current"] = async (id) => {
    const doc = await store.getRollout(id);
    if (!doc) throw new UnknownDefinitionError(id, await store.listRollouts());
    return compileStored(doc);
  };

  const commit = async (before: RolloutDocument | null, t: RolloutTransition, opts: Partial<ActorOptions>, at: string, extra: Partial<RolloutLifecycleEvent> = {}) => {
    const rollout = compileRollout(t.document);
    const record: RolloutAuditRecord = {
      id: newId(t.document.id, t.document.version),
      rolloutId: t.document.id,
      at,
      actor: opts.actor ?? "system",
      action: t.action,
      fromVersion: before?.version ?? null,
      toVersion: t.document.version,
      fromStatus: before?.status ?? null,
      toStatus: t.document.status,
      ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
      ...(t.details !== undefined ? { details: t.details } : {}),
    };
    await store.commitVersion(rollout.document, before?.version ?? null, record);
    compiled.set(`${rollout.id}@${rollout.version}`, rollout);
    definitions?.load(rollout.document);
    const event = { rolloutId: record.rolloutId, version: record.toVersion, status: record.toStatus, at, actor: record.actor, audit: record };
    if (extra.type) subject.next({ ...event, ...extra, type: extra.type });
    subject.next({ ...event, type: EVENT_OF[t.action] });
    return rollout;
  };

  const act = async (id: string, opts: Partial<ActorOptions>, request: Parameters<typeof transitionRollout>[2], extra: Partial<RolloutLifecycleEvent> = {}) => {
    const before = (await current(id)).document;
    const at = nowIso();
    const t = transitionRollout(before, at, request);
    if (t.action === "start" && t.document.layer) {
      const others = await Promise.all((await store.listRollouts()).filter((o) => o !== id).map((o) => store.getRollout(o)));
      const conflicts = findLayerConflicts([t.document, ...others.filter((d): d is RolloutDocument => d !== undefined)]).filter(
        (c) => c.first.id === id || c.second.id === id,
      );
      if (conflicts.length) {
        const c = conflicts[0]!;
        const other = c.first.id === id ? c.second : c.first;
        throw new ActionNotAllowedError({ subject: "rollout", id, action: "start", reason: `layer "${c.layer}" [${t.document.layer.from}, ${t.document.layer.to}) overlaps running rollout "${other.id}" [${other.from}, ${other.to})` });
      }
    }
    return commit(before, t, opts, at, extra);
  };

  const report: RolloutController["report"] = async (id, events, reportOptions) => {
    const rollout = await current(id);
    const exposures = (await store.listExposures(id)).map(
      (e): RolloutEventInput => ({ type: "exposure", rollout: e.rolloutId, unit: e.unit, variant: e.variant, version: e.version, at: e.at }),
    );
    return analyzeRollout(rollout, [...exposures, ...events], reportOptions);
  };

  return {
    events$: subject.asObservable(),
    current,
    report,
    async register(document, opts) {
      const rollout = compileRollout(document);
      const stored = await store.getRollout(rollout.id);
      if (stored && stored.version >= rollout.version) {
        if (stored.version === rollout.version && !valuesEqual(JSON.parse(JSON.stringify(stored)), JSON.parse(JSON.stringify(rollout.document)))) {
          throw new ActionNotAllowedError({ subject: "rollout", id: rollout.id, action: "register", reason: `version ${rollout.version} is already stored with different content; give the change a new version number` });
        }
        for (const v of await store.listVersions(rollout.id)) definitions?.load(v);
        return compileStored(stored);
      }
      return commit(stored ?? null, { document: rollout.document, action: stored ? "update" : "create" }, opts, nowIso());
    },
    start: (id, opts) => act(id, opts, { action: "start" }),
    promote: (id, opts) => act(id, opts, { action: "promote", variant: opts.variant }),
    rollback: (id, opts) => act(id, opts, { action: "roll-back" }),
    releaseSwitch: (id, switchId, opts) => act(id, opts, { action: "release-switch", switchId }),
    async reweight(id, weights, opts) {
      const rollout = await current(id);
      return act(id, opts, { action: "reweight", weights, coverage: rollout.coverageAt(nowIso()) / 100 });
    },
    async checkGuardrails(id, events, reportOptions) {
      const result = await report(id, events, reportOptions);
      const breached = result.guardrails.filter((g) => g.status === "breached");
      if (!breached.length || result.rollout.status !== "running") return { report: result, rolledBack: false };
      const reason = `guardrail breached: ${breached.map((g) => g.message).join("; ")}`;
      await act(id, { actor: "system:guardrail", reason }, { action: "auto-roll-back" }, { type: "rollout.guardrail-breached", guardrails: breached });
      return { report: result, rolledBack: true };
    },
    async checkSwitches(id, kpis, opts = {}) {
      const rollout = await current(id);
      const at = nowIso();
      const checks = rollout.switches.filter((s) => !s.active).map((s) => ({ id: s.id, ...s.check(kpis, { at }) }));
      const switched: string[] = [];
      for (const c of checks.filter((x) => x.passed)) {
        await act(id, { actor: opts.actor ?? "system:elastic-switch", reason: opts.reason ?? `KPI condition of switch "${c.id}" holds` }, { action: "switch", switchId: c.id });
        switched.push(c.id);
      }
      return { switched, checks };
    },
    async assign(id, facts, assignOptions = {}) {
      const rollout = await current(id);
      const at = nowIso();
      let result = rollout.evaluate(facts, { at, trace: assignOptions.trace });
      const unit = result.unit;
      if (rollout.document.sticky && unit !== null && (result.inExperiment || result.explanation.reason === "not-ramped")) {
        const sticky = await store.getSticky(id, unit);
        if (sticky) result = rollout.evaluate(facts, { at, trace: assignOptions.trace, sticky });
        if (result.inExperiment && result.explanation.reason === "assigned") {
          // First write wins: when another process stored a different variant meanwhile, follow it.
          const kept = await store.putSticky({ rolloutId: id, unit, variant: result.variant, version: rollout.version, salt: rollout.salt, at });
          if (kept.variant !== result.variant) result = rollout.evaluate(facts, { at, trace: assignOptions.trace, sticky: kept });
        }
      }
      if (result.inExperiment && assignOptions.record !== false) {
        await store.appendExposure({ rolloutId: id, version: rollout.version, unit: result.unit!, variant: result.variant, bucket: result.bucket, at });
      }
      return result;
    },
    audit: (id) => store.listAudit(id),
  };
}
