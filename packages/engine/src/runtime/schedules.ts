/**
 * Scheduled triggers: workflows that start on a recurrence of a business
 * calendar. Each schedule is a stored record holding its next occurrence;
 * when it is due the engine starts the instance `<schedule>@<local time>`
 * (a duplicate start is refused by storage, so two engines or a restart
 * never start one occurrence twice), then advances the record with
 * compare-and-set. Timers run on the engine's Clock, so a VirtualClock
 * drives schedules in simulations.
 */
import type { BusinessCalendar } from "../calendar/business-calendar.js";
import { recurrenceOf, type Recurrence } from "../calendar/recurrence.js";
import type { DefinitionRegistry } from "../registry.js";
import { WorkflowError, isRuleflowError } from "../core/errors.js";
import { scheduleName, weekdayOf, type ScheduleSpec } from "../schema/schedule.js";
import type { CompiledWorkflow } from "../workflow/compile.js";
import { resolveCalendarFor } from "./calendars.js";
import type { Clock, ScheduleRecord, Storage } from "./ports.js";
import { triggerInitiator } from "./triggers.js";

/** A schedule as {@link Engine.schedules} reports it. */
export interface ScheduleView {
  /** `workflowId/scheduleId`. */
  readonly id: string;
  readonly workflow: string;
  /** The next occurrence (ISO-8601 UTC), or null when it could not be computed (see `error`). */
  readonly next: string | null;
  /** The next occurrence as local time in the calendar's zone, `YYYY-MM-DDTHH:MM`. */
  readonly nextLocal: string | null;
  /** The last occurrence started (ISO-8601 UTC). */
  readonly last: string | null;
  readonly error: string | null;
}

/** What the schedule runner tells the engine. @internal */
type ScheduleEvent =
  | { type: "schedule.fired"; scheduleId: string; occurrence: number; instanceId: string; at: number }
  | { type: "schedule.failed"; scheduleId: string; occurrence?: number | undefined; error: string; at: number };

/** @internal */
export interface ScheduleRunnerOptions {
  registry: DefinitionRegistry;
  storage: Storage;
  clock: Clock;
  start(workflowId: string, options: { id: string; input: Record<string, unknown>; initiator: string }): Promise<unknown>;
  report(event: ScheduleEvent): void;
}

/** @internal */
export interface ScheduleRunner {
  start(): Promise<void>;
  stop(): void;
  list(): Promise<ScheduleView[]>;
}

interface Plan {
  readonly id: string;
  readonly wf: CompiledWorkflow;
  readonly triggerIndex: number;
  readonly spec: ScheduleSpec;
  /** Canonical form of what decides the occurrences; the stored record follows one. */
  readonly key: string;
  readonly recurrence: Recurrence;
}

/** Wait before trying again after an unexpected error (storage down). */
const RETRY_MS = 60_000;
const iso = (ms: number): string => new Date(ms).toISOString();
/** An error's text, storable everywhere (PostgreSQL refuses NUL; lone surrogates do not survive its driver). */
const message = (e: unknown): string =>
  (e instanceof Error ? e.message : String(e)).replaceAll("\u0000", "\uFFFD").replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
const isConflict = (e: unknown): boolean => isRuleflowError(e) && e.code === "CONCURRENCY_CONFLICT";

const hasSchedules = (wf: CompiledWorkflow): boolean => (wf.document.triggers ?? []).some((t) => t.schedule !== undefined);

/**
 * Create the runner an engine uses for its workflows' scheduled triggers.
 * @throws {@link WorkflowError} when a workflow has a schedule and the storage cannot store schedules
 * @internal
 */
export function createScheduleRunner(o: ScheduleRunnerOptions): ScheduleRunner {
  const { registry, storage, clock } = o;
  const scheduled = registry.ids().some((id) => registry.versions(id).some((d) => d.kind === "workflow" && hasSchedules(d)));
  if (scheduled && (!storage.getSchedule || !storage.saveSchedule)) {
    throw new WorkflowError("a workflow has a scheduled trigger, but the storage cannot store schedules (getSchedule / saveSchedule): use a storage that can, such as the in-memory or PostgreSQL one");
  }
  const get = (id: string): Promise<ScheduleRecord | undefined> => storage.getSchedule!(id);
  const save = (r: ScheduleRecord, expected: number | null): Promise<void> => storage.saveSchedule!(r, expected);
  const recurrences = new Map<string, Recurrence>();
  let disarm: (() => void) | undefined;
  let armedAt: number | undefined;
  let stopped = false;
  let chain: Promise<void> = Promise.resolve();

  /** The schedules of the workflow versions effective at `at`. */
  const plansAt = (at: number): Plan[] => {
    if (!scheduled) return [];
    const plans: Plan[] = [];
    for (const id of registry.ids()) {
      let wf;
      try {
        wf = registry.resolve(id, iso(at));
      } catch (e) {
        if (isRuleflowError(e) && e.code === "NO_EFFECTIVE_VERSION") continue;
        throw e;
      }
      if (wf.kind !== "workflow") continue;
      (wf.document.triggers ?? []).forEach((t, i) => {
        if (!t.schedule) return;
        const spec = t.schedule;
        const calendarId = spec.calendar ?? wf.document.calendar!;
        const key = JSON.stringify([spec.every, spec.on?.map(weekdayOf) ?? null, spec.day ?? null, spec.at, calendarId, spec.ifNotWorkday]);
        let recurrence = recurrences.get(key);
        if (!recurrence) {
          const calendar = resolveCalendarFor(calendarId, registry) as unknown as BusinessCalendar;
          recurrence = recurrenceOf(spec, calendar);
          recurrences.set(key, recurrence);
        }
        plans.push({ id: `${wf.id}/${scheduleName(spec, i)}`, wf, triggerIndex: i, spec, key, recurrence });
      });
    }
    return plans;
  };

  /** The stored record of a plan, created or recomputed when missing, of another spec, or stuck. */
  const sync = async (plan: Plan, now: number): Promise<ScheduleRecord> => {
    for (;;) {
      const rec = await get(plan.id);
      if (rec && rec.spec === plan.key && rec.nextAt !== null) return rec;
      // New schedules and changed specs count from now; a stuck one retries from its last occurrence.
      const from = rec && rec.spec === plan.key ? (rec.lastAt ?? now - 1) : now - 1;
      let nextAt: number | null = null;
      let error: string | undefined;
      try {
        nextAt = plan.recurrence.next(from);
      } catch (e) {
        error = `schedule "${plan.id}" cannot compute its next occurrence: ${message(e)}`;
      }
      if (rec && error !== undefined && rec.spec === plan.key && rec.error === error) return rec;
      const next: ScheduleRecord = {
        id: plan.id,
        definitionId: plan.wf.id,
        spec: plan.key,
        nextAt,
        lastAt: rec?.lastAt ?? null,
        ...(error === undefined ? {} : { error }),
        version: (rec?.version ?? 0) + 1,
        updatedAt: now,
      };
      try {
        await save(next, rec?.version ?? null);
      } catch (e) {
        if (isConflict(e)) continue;
        throw e;
      }
      if (error !== undefined) o.report({ type: "schedule.failed", scheduleId: plan.id, error, at: now });
      return next;
    }
  };

  /** Start one occurrence; returns the error text when the start failed for another reason than "already started". */
  const startOccurrence = async (plan: Plan, occurrence: number, now: number): Promise<string | undefined> => {
    const local = plan.recurrence.localTime(occurrence);
    const instanceId = `${plan.id}@${local}`;
    const trigger = plan.wf.document.triggers![plan.triggerIndex]!;
    const schedule = { id: plan.id, workflow: plan.wf.id, occurrence: iso(occurrence), local, date: local.slice(0, 10), startedAt: iso(now) };
    try {
      let input: Record<string, unknown> = { schedule };
      if (trigger.input) {
        input = {};
        for (const [k, v] of Object.entries(trigger.input)) {
          input[k] =
            typeof v === "object" && v !== null && !Array.isArray(v) && "expr" in v
              ? plan.wf.parts.expressions.get(`triggers.${plan.triggerIndex}.input.${k}`)!.evaluate({ schedule }, { at: iso(occurrence) })
              : v;
        }
      }
      await o.start(plan.wf.id, { id: instanceId, input, initiator: triggerInitiator(plan.wf, plan.triggerIndex, { schedule }, iso(occurrence)) });
      o.report({ type: "schedule.fired", scheduleId: plan.id, occurrence, instanceId, at: now });
      return undefined;
    } catch (e) {
      if (isConflict(e)) return undefined; // another engine (or this one before a restart) started it
      if (stopped) return undefined; // the engine closed meanwhile: the next engine on this storage starts it
      const error = `schedule "${plan.id}" could not start ${instanceId}: ${message(e)}`;
      o.report({ type: "schedule.failed", scheduleId: plan.id, occurrence, error, at: now });
      return error;
    }
  };

  /** Start every due occurrence of one schedule (or only the latest, by its catch-up policy); returns its next occurrence. */
  const fireDue = async (plan: Plan): Promise<number | null> => {
    for (;;) {
      const now = clock.now();
      const rec = await sync(plan, now);
      if (stopped || rec.nextAt === null || rec.nextAt > now) return rec.nextAt;
      let occurrence = rec.nextAt;
      let error: string | undefined;
      const after = (t: number): number | null => {
        try {
          return plan.recurrence.next(t);
        } catch (e) {
          error = `schedule "${plan.id}" cannot compute its next occurrence: ${message(e)}`;
          return null;
        }
      };
      let following = after(occurrence);
      if (plan.spec.catchUp === "latest") while (following !== null && following <= now) following = after((occurrence = following));
      const startError = await startOccurrence(plan, occurrence, now);
      // Closed meanwhile: leave the record; an instance that did start is refused as a duplicate next time.
      if (stopped) return null;
      const next: ScheduleRecord = { ...rec, nextAt: following, lastAt: occurrence, version: rec.version + 1, updatedAt: now };
      delete (next as { error?: string }).error;
      const stored = error ?? startError;
      try {
        await save(stored === undefined ? next : { ...next, error: stored }, rec.version);
      } catch (e) {
        if (isConflict(e)) continue; // another engine advanced it: reload
        throw e;
      }
      if (error !== undefined) o.report({ type: "schedule.failed", scheduleId: plan.id, error, at: now });
    }
  };

  /** The next time a workflow version with schedules takes effect or ends: its schedules change then. */
  const nextBoundary = (now: number): number | undefined => {
    let next: number | undefined;
    for (const id of registry.ids()) {
      for (const d of registry.versions(id)) {
        if (d.kind !== "workflow") continue;
        for (const edge of [d.document.effective?.from, d.document.effective?.to]) {
          const t = edge === undefined ? NaN : Date.parse(edge);
          if (t > now && (next === undefined || t < next)) next = t;
        }
      }
    }
    return next;
  };
  const earlier = (a: number | undefined, b: number | undefined): number | undefined => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

  const arm = (at: number | undefined): void => {
    if (stopped || at === armedAt) return;
    disarm?.();
    armedAt = at;
    disarm = at === undefined ? undefined : clock.setTimer(at, () => tick());
  };

  const run = async (): Promise<void> => {
    armedAt = undefined;
    let earliest: number | undefined;
    for (const plan of plansAt(clock.now())) {
      if (stopped) return;
      const next = await fireDue(plan);
      if (next !== null && (earliest === undefined || next < earliest)) earliest = next;
    }
    arm(earlier(earliest, nextBoundary(clock.now())));
  };

  const tick = (): Promise<void> => {
    chain = chain.then(run).catch((e: unknown) => {
      // Storage trouble: say so, and try again in a minute rather than stop for good.
      o.report({ type: "schedule.failed", scheduleId: "*", error: message(e), at: clock.now() });
      arm(clock.now() + RETRY_MS);
    });
    return chain;
  };

  return {
    async start() {
      if (!scheduled) return;
      // Creating the records (and arming the earliest) is part of getting ready; due
      // occurrences start from the timer, once the engine is ready to start instances.
      let earliest: number | undefined;
      const now = clock.now();
      for (const plan of plansAt(now)) {
        const rec = await sync(plan, now);
        if (rec.nextAt !== null && (earliest === undefined || rec.nextAt < earliest)) earliest = rec.nextAt;
      }
      arm(earlier(earliest, nextBoundary(now)));
    },
    stop() {
      stopped = true;
      disarm?.();
      disarm = undefined;
    },
    async list() {
      const out: ScheduleView[] = [];
      for (const plan of plansAt(clock.now())) {
        const rec = await get(plan.id);
        out.push({
          id: plan.id,
          workflow: plan.wf.id,
          next: rec?.nextAt == null ? null : iso(rec.nextAt),
          nextLocal: rec?.nextAt == null ? null : plan.recurrence.localTime(rec.nextAt),
          last: rec?.lastAt == null ? null : iso(rec.lastAt),
          error: rec?.error ?? null,
        });
      }
      return out;
    },
  };
}
