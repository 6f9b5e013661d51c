/**
 * The workflow Engine: start instances, send them events, query them. Every
 * transition is one atomic commit of the new state, its timers, outbox entries
 * and an audit record, with optimistic concurrency on the instance version.
 */
import type { EvaluationWarning } from "../expr/warnings.js";
import { Subject, type Observable } from "rxjs";
import type { AnyStateMachine } from "xstate";
import { createRegistry, type DefinitionRegistry } from "../registry.js";
import {
  ActionNotAllowedError,
  InstanceNotFoundError,
  ArgumentError,
  WorkflowError,
  isRuleflowError,
} from "../core/errors.js";
import type { CompiledWorkflow } from "../workflow/compile.js";
import type { WorkflowContext, WorkflowEvent, WorkflowInput } from "../workflow/context.js";
import { buildMachine, matchingWaits } from "../workflow/machine.js";
import type { NodeEnv } from "../workflow/node-entry.js";
import { createSystemClock } from "./clock.js";
import { createMemoryNotifier, createStaticDirectory } from "./defaults.js";
import { createDispatcher, type RetryPolicy, type TaskHandler } from "./dispatcher.js";
import { explainRefusal, refusalMessage, renderRefusal } from "./refusal.js";
import { resolveLocale, type Locale } from "../i18n/locale.js";
import { createMemoryScheduler } from "./memory-scheduler.js";
import { createMemoryStorage } from "./memory-storage.js";
import type { AuditRecord, Clock, Directory, InstanceQuery, Notifier, OutboxEntry, Scheduler, Storage, StoredInstance, TimerRecord } from "./ports.js";
import { recordsOf, viewOf, type InstanceView, type SnapshotLike } from "./records.js";
import { resolveCalendarFor } from "./calendars.js";
import { runTriggers } from "./triggers.js";
import { initialTransitionResolving, transitionResolving } from "../workflow/directory-specs.js";
import { assertStorableText } from "../storable-text.js";
import { createScheduleRunner, type ScheduleView } from "./schedules.js";

/** Everything that happens inside the engine, for hosts to observe. */
export type EngineEvent =
  | { type: "instance.started"; instanceId: string; definitionId: string; at: number }
  | { type: "instance.transitioned"; instanceId: string; event: string; actor: string; from: unknown; to: unknown; version: number; at: number }
  | { type: "instance.finished"; instanceId: string; status: string; outcome?: string | undefined; at: number }
  // comparisons of one transition that met a missing or null value (also in its audit record's `event.warnings`; docs/workflows.md)
  | { type: "instance.warning"; instanceId: string; version: number; warnings: EvaluationWarning[]; at: number }
  | { type: "timer.fired"; instanceId: string; key: string; timerId: string; at: number }
  | { type: "notification.sent"; instanceId: string; template: string; to: string; at: number }
  | { type: "notification.failed"; instanceId: string; template: string; error: string; willRetry: boolean; at: number }
  | { type: "task.started" | "task.settled"; instanceId: string; node: string; ok?: boolean | undefined; at: number }
  | { type: "error"; instanceId?: string | undefined; error: string; at: number }
  // scheduled triggers (docs/schedules.md): an occurrence started, or a schedule could not start / compute its next occurrence
  | { type: "schedule.fired"; scheduleId: string; occurrence: number; instanceId: string; at: number }
  | { type: "schedule.failed"; scheduleId: string; occurrence?: number | undefined; error: string; at: number };

/** Options of {@link createEngine}. Every port has an in-memory default. */
export interface EngineOptions {
  /** Workflow, rule set, decision table and calendar documents (JSON), or a registry holding them. */
  definitions: readonly unknown[] | DefinitionRegistry;
  storage?: Storage | undefined;
  scheduler?: Scheduler | undefined;
  notifier?: Notifier | undefined;
  clock?: Clock | undefined;
  directory?: Directory | undefined;
  /** Task handlers by name (`create-invoice`, ...). */
  handlers?: Readonly<Record<string, TaskHandler>> | undefined;
  /**
   * Id generator for instances, outbox entries and audit records; defaults to
   * `crypto.randomUUID`. Inject a counter for byte-identical simulations.
   */
  newId?: (() => string) | undefined;
  /** Notification retry policy. */
  retry?: Partial<RetryPolicy> | undefined;
  /** Attempts when a concurrent writer changed the instance first. Default 5. */
  maxConflictRetries?: number | undefined;
  /**
   * The language of refusal reasons (ActionNotAllowedError messages): `en`
   * (the default) or `zh-CN`; `zh` and `zh-Hans` are accepted. See docs/locales.md.
   */
  locale?: Locale | "zh" | "zh-Hans" | undefined;
  /**
   * On a virtual clock only: how long, in real milliseconds, a task handler
   * may take and still count as answering at once in virtual time. A call
   * that takes longer is treated as hung: `advanceBy` and `settle()` stop
   * waiting for it, so its `timeout` fires when virtual time reaches it, as
   * it would in production. Default 500. On the system clock `settle()`
   * waits for every call and this is not used.
   */
  taskPatienceMs?: number | undefined;
}

/** Options of {@link Engine.start}. */
export interface StartOptions {
  input?: Record<string, unknown> | undefined;
  /** Who starts it (`user:li`); the initiator can withdraw, resubmit and remind. Default `system`. */
  initiator?: string | undefined;
  /** Instance id; generated when omitted. */
  id?: string | undefined;
}

/** An event a person (or the host) sends to an instance. */
export interface InstanceEvent {
  type: string;
  actor?: string | undefined;
  comment?: string | undefined;
  /** Which approval node, when several are active. */
  node?: string | undefined;
  [key: string]: unknown;
}

/** A domain event such as `contract.signed`. */
export interface DomainEvent {
  type: string;
  data?: Record<string, unknown> | undefined;
  /**
   * The event's own id. When given, emitting the same event again does not
   * start its triggered workflows a second time (the instance id is derived
   * from it, so the duplicate start is refused by storage).
   */
  id?: string | undefined;
}

/** The workflow engine. */
export interface Engine {
  /** Resolves when the engine has loaded pending timers and outbox entries from storage. */
  readonly ready: Promise<void>;
  /** Everything that happens, as an rxjs Observable. */
  readonly events$: Observable<EngineEvent>;
  /** The definitions the engine runs. */
  readonly definitions: DefinitionRegistry;
  /** Start an instance of the workflow effective now. */
  start(workflowId: string, options?: StartOptions): Promise<InstanceView>;
  /**
   * Apply an event. Refused events throw {@link ActionNotAllowedError} and change nothing.
   */
  send(instanceId: string, event: InstanceEvent): Promise<InstanceView>;
  /** One instance, or undefined. */
  get(instanceId: string): Promise<InstanceView | undefined>;
  /** Instances matching a query (status, assignee, definition, waiting-for). */
  list(query?: InstanceQuery): Promise<InstanceView[]>;
  /** Running instances a user can act on now. */
  inbox(user: string): Promise<InstanceView[]>;
  /** Cancel a running instance (host/admin action). */
  cancel(instanceId: string, options?: { actor?: string | undefined; reason?: string | undefined }): Promise<InstanceView>;
  /** Publish a domain event: starts workflows triggered by it and resumes instances waiting for it. */
  emit(event: DomainEvent): Promise<{ started: string[]; resumed: string[] }>;
  /** The audit log of an instance. */
  audit(instanceId: string): Promise<AuditRecord[]>;
  /** The outbox entries (notifications and task calls) of an instance. */
  outbox(instanceId: string): Promise<OutboxEntry[]>;
  /** The scheduled triggers of the workflows effective now, with their next occurrence (docs/schedules.md). */
  schedules(): Promise<ScheduleView[]>;
  /** Wait until queued deliveries and task calls are done. */
  settle(): Promise<void>;
  /** Stop timers and deliveries. */
  close(): Promise<void>;
}

/**
 * A storage conflict, by its brand and code rather than `instanceof`: the
 * storage may have been built with another copy of this package (an adapter's
 * own dependency, an ESM build beside a CJS one), whose ConcurrencyError is a
 * different class.
 */
const isConflict = (e: unknown): boolean => isRuleflowError(e) && e.code === "CONCURRENCY_CONFLICT";

const PERSON_TYPES = new Set(["approve", "reject", "delegate", "transfer", "addSigner", "removeSigner", "withdraw", "resubmit", "remind", "cc", "cancel"]);

/**
 * Events the engine makes itself. Accepting them from `send` would let anyone
 * fire an escalation step, forge a task result or cancel an instance.
 */
const INTERNAL_TYPES: Readonly<Record<string, string>> = {
  start: "instances start with engine.start",
  timer: "timer events come from the engine's durable timers",
  "task.done": "task results come from the registered task handler",
  "task.failed": "task results come from the registered task handler",
  domain: "publish domain events with engine.emit",
  cancel: "cancelling is a host action: use engine.cancel(id, { actor, reason })",
};

/**
 * Create an engine. Ports default to in-memory implementations and the
 * system clock.
 *
 * @example
 * ```ts
 * const engine = createEngine({ definitions: [workflow, ruleset, calendar], directory });
 * const q = await engine.start("customer-qualification", { input, initiator: "user:li" });
 * await engine.send(q.id, { type: "approve", actor: "user:wang" });
 * ```
 */
export function createEngine(options: EngineOptions): Engine {
  const registry = Array.isArray(options.definitions) ? createRegistry(options.definitions) : (options.definitions as DefinitionRegistry);
  const storage = options.storage ?? createMemoryStorage();
  const clock = options.clock ?? createSystemClock();
  const scheduler = options.scheduler ?? createMemoryScheduler(clock);
  const notifier = options.notifier ?? createMemoryNotifier();
  const directory = options.directory ?? createStaticDirectory();
  const handlers = options.handlers ?? {};
  if (Object.hasOwn(options, "ids")) throw new ArgumentError("ids", "the id generator option is called newId now (as in createRolloutController): createEngine({ newId })");
  const ids = options.newId ?? (() => globalThis.crypto.randomUUID());
  const maxRetries = options.maxConflictRetries ?? 5;
  const locale = resolveLocale(options.locale);
  const onVirtualClock = clock.addSettler !== undefined;
  const taskPatience = options.taskPatienceMs ?? 500;
  if (typeof taskPatience !== "number" || !Number.isFinite(taskPatience) || taskPatience < 0) {
    throw new ArgumentError("taskPatienceMs", `expected a number of milliseconds >= 0, got ${String(taskPatience)}`);
  }
  const subject = new Subject<EngineEvent>();
  const machines = new Map<string, { machine: AnyStateMachine; env: NodeEnv }>();

  const workflowVersion = (id: string, version: number): CompiledWorkflow => {
    const def = registry.versions(id).find((d) => d.version === version);
    if (!def || def.kind !== "workflow") throw new WorkflowError(`workflow "${id}" version ${version} is not loaded; load every version that has running instances`);
    return def;
  };

  const machineFor = (wf: CompiledWorkflow): { machine: AnyStateMachine; env: NodeEnv } => {
    const key = `${wf.id}@${wf.version}`;
    let m = machines.get(key);
    if (!m) {
      const env: NodeEnv = { doc: wf.document, parts: wf.parts, definitions: registry, calendar: resolveCalendarFor(wf.document.calendar, registry) };
      m = { machine: buildMachine(env, wf.scope), env };
      machines.set(key, m);
    }
    return m;
  };

  const waitingFor = (env: NodeEnv, ctx: WorkflowContext): string[] =>
    ctx.active.flatMap((n) => {
      const spec = env.doc.nodes[n];
      return spec?.type === "wait" && spec.event && ctx.waits[n]?.status === "waiting" ? [spec.event] : [];
    });

  const afterCommit = (records: ReturnType<typeof recordsOf>, before: StoredInstance | undefined, event: WorkflowEvent): void => {
    scheduler.cancel(records.timerIdsToCancel);
    scheduler.schedule(records.timersToSet);
    const i = records.instance;
    if (!before) subject.next({ type: "instance.started", instanceId: i.id, definitionId: i.definitionId, at: event.at });
    else subject.next({ type: "instance.transitioned", instanceId: i.id, event: event.type, actor: records.audit.actor, from: before.state.value, to: i.state.value, version: i.version, at: event.at });
    const warnings = records.audit.event["warnings"] as EvaluationWarning[] | undefined;
    if (warnings?.length) subject.next({ type: "instance.warning", instanceId: i.id, version: i.version, warnings, at: event.at });
    if (i.status !== "running" && before?.status === "running") subject.next({ type: "instance.finished", instanceId: i.id, status: i.status, outcome: i.outcome, at: event.at });
    if (i.status !== "running" && !before) subject.next({ type: "instance.finished", instanceId: i.id, status: i.status, outcome: i.outcome, at: event.at });
    if (records.outbox.length) dispatcher.kick();
  };

  /** Apply `event` to a stored instance and commit; retries on concurrent writes. */
  const apply = async (instanceId: string, input: InstanceEvent, firedTimer?: TimerRecord): Promise<InstanceView> => {
    for (let attempt = 0; ; attempt++) {
      const stored = await storage.getInstance(instanceId);
      if (!stored) throw new InstanceNotFoundError(instanceId);
      if (firedTimer && !(await storage.getTimer(firedTimer.id))) return viewOf(stored);
      if (stored.status !== "running") {
        if (firedTimer) return viewOf(stored);
        throw new ActionNotAllowedError(instanceId, input.type, input.actor ?? "system", `the instance is ${stored.status}`);
      }
      const wf = workflowVersion(stored.definitionId, stored.definitionVersion);
      const { machine, env } = machineFor(wf);
      const event: WorkflowEvent = { ...input, at: clock.now() };
      // specs computed from instance data (a manager-of: recipient) go through the Directory before the commit
      const [snapshot, next] = await transitionResolving(machine, stored.state, event, (spec) => directory.resolve(spec));
      if (next === snapshot) {
        if (firedTimer) {
          // A stale timer (its key was re-armed): drop the record with a bookkeeping commit.
          const r = recordsOf({ previous: stored, snapshot: next as SnapshotLike, effects: [], event, base: stored, waitingFor: stored.waitingFor as string[], firedTimerId: firedTimer.id, newId: ids });
          try {
            await storage.commit({ ...r, expectedVersion: stored.version });
          } catch (e) {
            if (isConflict(e) && attempt < maxRetries) continue;
            throw e;
          }
          return viewOf(r.instance);
        }
        const reason = explainRefusal(env, stored.state.context as WorkflowContext, event);
        const actor = input.actor ?? "system";
        throw new ActionNotAllowedError(instanceId, input.type, actor, renderRefusal(reason, "en"), refusalMessage(locale, actor, input.type, instanceId, reason));
      }
      const ctx = next.context as WorkflowContext;
      const records = recordsOf({
        previous: stored,
        snapshot: next as SnapshotLike,
        effects: ctx.effects,
        event,
        base: stored,
        waitingFor: waitingFor(env, ctx),
        firedTimerId: firedTimer?.id,
        newId: ids,
      });
      try {
        await storage.commit({ ...records, expectedVersion: stored.version });
      } catch (e) {
        if (isConflict(e) && attempt < maxRetries) continue;
        throw e;
      }
      afterCommit(records, stored, event);
      return viewOf(records.instance);
    }
  };

  const fire = async (timer: TimerRecord): Promise<void> => {
    try {
      subject.next({ type: "timer.fired", instanceId: timer.instanceId, key: timer.key, timerId: timer.id, at: clock.now() });
      await apply(timer.instanceId, { ...timer.event, actor: "timer", dueAt: timer.dueAt }, timer);
    } catch (e) {
      subject.next({ type: "error", instanceId: timer.instanceId, error: e instanceof Error ? e.message : String(e), at: clock.now() });
    }
    // No waiting for the dispatcher here: a hung task handler must not stop every other timer.
    // (A virtual clock settles the engines between firings by itself.)
  };

  const dispatcher = createDispatcher({
    storage,
    notifier,
    clock,
    handlers,
    retry: { maxAttempts: options.retry?.maxAttempts ?? 5, baseDelayMs: options.retry?.baseDelayMs ?? 1000 },
    deliverTaskResult: async (entry, result) => {
      const p = entry.payload as { node: string; generation: number; attempt: number };
      const ev: InstanceEvent = result.ok
        ? { type: "task.done", actor: "system", node: p.node, generation: p.generation, attempt: p.attempt, result: result.value }
        : { type: "task.failed", actor: "system", node: p.node, generation: p.generation, attempt: p.attempt, error: result.error };
      try {
        await apply(entry.instanceId, ev);
      } catch (e) {
        if (!isRuleflowError(e) || e.code !== "NOT_ALLOWED") throw e;
      }
    },
    report: (e) => {
      const p = e.entry.payload as { template?: string; to?: string; node?: string };
      const at = clock.now();
      if (e.type === "notification.sent") subject.next({ type: e.type, instanceId: e.entry.instanceId, template: String(p.template), to: String(p.to), at });
      else if (e.type === "notification.failed") subject.next({ type: e.type, instanceId: e.entry.instanceId, template: String(p.template), error: e.error, willRetry: e.willRetry, at });
      else subject.next({ type: e.type, instanceId: e.entry.instanceId, node: String(p.node), ...(e.type === "task.settled" ? { ok: e.ok } : {}), at });
    },
  });

  const scheduleRunner = createScheduleRunner({ registry, storage, clock, start: (wf, o) => engine.start(wf, o), report: (e) => subject.next(e) });

  const ready = (async () => {
    await scheduler.start(fire, storage, { pollOutbox: () => dispatcher.kick() });
    await dispatcher.resume();
    await scheduleRunner.start();
  })();
  ready.catch(() => undefined);
  const settle = async (): Promise<void> => {
    await ready;
    // On a virtual clock a hung handler must not stop time: its timeout is a timer on that clock.
    await dispatcher.idle(onVirtualClock ? taskPatience : undefined);
  };
  // a clock that moves only when told waits for this engine between the timers it fires
  const removeSettler = clock.addSettler?.(settle);

  const resolveSpecs = async (wf: CompiledWorkflow, initiator: string): Promise<Record<string, string[]>> => {
    const out: Record<string, string[]> = {};
    for (const spec of wf.directorySpecs) {
      const query = spec === "manager-of:initiator" ? `manager-of:${initiator}` : spec;
      out[spec] = [...(await directory.resolve(query))];
    }
    return out;
  };

  /** People-facing payloads may name specs (`role:x`); resolve them to users first. */
  const resolveEventSpecs = async (instanceId: string, ev: InstanceEvent): Promise<InstanceEvent> => {
    const one = async (spec: string): Promise<string[]> => (spec.includes(":") && !spec.startsWith("user:") ? [...(await directory.resolve(spec))] : [spec]);
    const out = { ...ev };
    if ((ev.type === "delegate" || ev.type === "transfer") && typeof ev["to"] === "string") {
      const users = await one(ev["to"]);
      if (users.length !== 1) throw new ActionNotAllowedError(instanceId, ev.type, ev.actor ?? "?", `"${ev["to"]}" must resolve to exactly one user, got ${users.length}`);
      out["to"] = users[0];
    }
    if (ev.type === "addSigner" && Array.isArray(ev["users"])) out["users"] = (await Promise.all((ev["users"] as string[]).map(one))).flat();
    if (ev.type === "cc" && Array.isArray(ev["to"])) out["to"] = (await Promise.all((ev["to"] as string[]).map(one))).flat();
    return out;
  };

  let closed = false;
  const assertOpen = (): void => {
    if (closed) throw new WorkflowError("the engine is closed; create a new one over the same storage to continue");
  };

  const engine: Engine = {
    ready,
    events$: subject.asObservable(),
    definitions: registry,
    async start(workflowId, opts = {}) {
      assertOpen();
      // before anything is stored, naming the host's own field (`input.customer.name`)
      assertStorableText({ id: opts.id, initiator: opts.initiator, input: opts.input }, "start options");
      await ready;
      const at = clock.now();
      const def = registry.resolve(workflowId, new Date(at).toISOString());
      if (def.kind !== "workflow") throw new WorkflowError(`"${workflowId}" is a ${def.kind}, not a workflow`);
      const initiator = opts.initiator ?? "system";
      const id = opts.id ?? ids();
      const input: WorkflowInput = {
        instanceId: id,
        definitionId: def.id,
        definitionVersion: def.version,
        initiator,
        input: structuredClone(opts.input ?? {}),
        startedAt: at,
        directory: await resolveSpecs(def, initiator),
      };
      const { machine, env } = machineFor(def);
      const snapshot = await initialTransitionResolving(machine, input, (spec) => directory.resolve(spec));
      const ctx = snapshot.context as WorkflowContext;
      const event: WorkflowEvent = { type: "start", at, actor: initiator };
      const records = recordsOf({
        previous: undefined,
        snapshot: snapshot as SnapshotLike,
        effects: ctx.effects,
        event: { ...event, input: input.input },
        base: { id, definitionId: def.id, definitionVersion: def.version, initiator, createdAt: at },
        waitingFor: waitingFor(env, ctx),
        newId: ids,
      });
      await storage.commit({ ...records, expectedVersion: null });
      afterCommit(records, undefined, event);
      return viewOf(records.instance);
    },
    async send(instanceId, event) {
      assertOpen();
      await ready;
      if (typeof event?.type !== "string") throw new ArgumentError("event.type", `an event needs a "type" (a string such as "approve"), got ${event === null || typeof event !== "object" ? String(event) : typeof event.type}`);
      assertStorableText({ instanceId, ...event }, "event");
      if (Object.hasOwn(INTERNAL_TYPES, event.type)) {
        throw new ActionNotAllowedError(instanceId, event.type, typeof event.actor === "string" ? event.actor : "(nobody)", INTERNAL_TYPES[event.type]!);
      }
      if (PERSON_TYPES.has(event.type) && typeof event.actor !== "string") {
        throw new ActionNotAllowedError(instanceId, event.type, "(nobody)", 'the event needs an "actor"');
      }
      return apply(instanceId, await resolveEventSpecs(instanceId, event));
    },
    async get(instanceId) {
      await ready;
      const i = await storage.getInstance(instanceId);
      return i ? viewOf(i) : undefined;
    },
    async list(query = {}) {
      await ready;
      return (await storage.listInstances(query)).map(viewOf);
    },
    async inbox(user) {
      return engine.list({ assignee: user, status: "running" });
    },
    async cancel(instanceId, opts = {}) {
      assertOpen();
      assertStorableText({ instanceId, actor: opts.actor, reason: opts.reason }, "cancel request");
      await ready;
      return apply(instanceId, { type: "cancel", actor: opts.actor ?? "system", ...(opts.reason ? { comment: opts.reason } : {}) });
    },
    async emit(domainEvent) {
      assertOpen();
      assertStorableText({ type: domainEvent?.type, id: domainEvent?.id, data: domainEvent?.data }, "domain event");
      await ready;
      const at = clock.now();
      const started = await runTriggers(registry, domainEvent, at, async (wf, o) => {
        try {
          return await engine.start(wf, o);
        } catch (e) {
          // the same event id was emitted before: that instance already exists
          if (o.id !== undefined && isConflict(e)) return undefined;
          throw e;
        }
      });
      const resumed: string[] = [];
      for (const i of await storage.listInstances({ status: "running", waitingFor: domainEvent.type })) {
        const wf = workflowVersion(i.definitionId, i.definitionVersion);
        const { env } = machineFor(wf);
        const ev: WorkflowEvent = { type: "domain", name: domainEvent.type, data: domainEvent.data ?? {}, at };
        if (matchingWaits(env, i.state.context as WorkflowContext, ev).length === 0) continue;
        await apply(i.id, { type: "domain", actor: "system", name: domainEvent.type, data: domainEvent.data ?? {} });
        resumed.push(i.id);
      }
      return { started, resumed };
    },
    async audit(instanceId) {
      return storage.listAudit(instanceId);
    },
    async outbox(instanceId) {
      return storage.listOutbox(instanceId);
    },
    async schedules() {
      await ready;
      return scheduleRunner.list();
    },
    settle,
    async close() {
      closed = true;
      scheduleRunner.stop();
      // a closed engine no longer holds up a virtual clock that other engines share
      removeSettler?.();
      await scheduler.stop();
      dispatcher.stop();
      subject.complete();
    },
  };
  return engine;
}
