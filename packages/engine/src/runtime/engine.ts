/**
 * The workflow Engine: start instances, send them events, query them. Every
 * transition is one atomic commit of the new state, its timers, outbox entries
 * and an audit record, with optimistic concurrency on the instance version.
 *
 * This module wires the parts together: the pure transition step (step.ts)
 * and the I/O around it (transitions.ts), event intake (intake.ts), the
 * outbox dispatcher, the timer scheduler, scheduled triggers, and the
 * announcements on `events$` (engine-events.ts).
 */
import { Subject, type Observable } from "rxjs";
import { ArgumentError, WorkflowError, isRuleflowError } from "../core/errors.js";
import { resolveLocale, type Locale } from "../i18n/locale.js";
import { createRegistry, type DefinitionRegistry } from "../registry.js";
import { assertStorableText } from "../storable-text.js";
import type { WorkflowContext } from "../workflow/context.js";
import type { InstanceEvent } from "../workflow/events.js";
import { matchingWaits } from "../workflow/machine.js";
import { createSystemClock } from "./clock.js";
import { createMemoryNotifier, createStaticDirectory } from "./defaults.js";
import { createDispatcher, type RetryPolicy, type TaskHandler } from "./dispatcher.js";
import { deliveryEvent, type DomainEvent, type EngineEvent } from "./engine-events.js";
import { admitEvent, resolveEventSpecs } from "./intake.js";
import { createMemoryScheduler } from "./memory-scheduler.js";
import { createMemoryStorage } from "./memory-storage.js";
import type { AuditRecord, Clock, Directory, InstanceQuery, Notifier, OutboxEntry, Scheduler, Storage, TimerRecord } from "./ports.js";
import { viewOf, type InstanceView } from "./records.js";
import { createScheduleRunner, type ScheduleView } from "./schedules.js";
import { timerEventOf, type StepCommit } from "./step.js";
import { createTransitions, isConflict } from "./transitions.js";
import { runTriggers } from "./triggers.js";
import { runnableWorkflows } from "./workflows.js";

export type { EngineEvent, DomainEvent } from "./engine-events.js";
export type {
  InstanceEvent,
  InstanceEventType,
  ApproveEvent,
  RejectEvent,
  DelegateEvent,
  TransferEvent,
  AddSignerEvent,
  RemoveSignerEvent,
  WithdrawEvent,
  ResubmitEvent,
  RemindEvent,
  CcEvent,
  SignerPosition,
} from "../workflow/events.js";

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
   * How many instances the engine keeps as it last committed them, to apply
   * the next event without reading the instance first (a database read saved
   * per `send` and timer). Default 1,000; 0 keeps none. Never trusted: a kept
   * copy that another writer made out of date is refused by the storage's
   * version check and read again, and a refusal decided on a kept copy is
   * decided again on a fresh read. Not used with the memory storage, whose
   * reads cost nothing.
   */
  instanceCache?: number | undefined;
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
   * Apply an operation (approve, reject, delegate, ...: {@link InstanceEvent}).
   * Refused events throw {@link ActionNotAllowedError} and change nothing; a
   * field of the wrong type (an event parsed from JSON) throws an
   * `ArgumentError` naming it (`event.users[1]`).
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

/** The engine's options, checked, with every default applied. */
function configure(options: EngineOptions) {
  if (Object.hasOwn(options, "ids")) throw new ArgumentError("ids", "the id generator option is called newId now (as in createRolloutController): createEngine({ newId })");
  const taskPatience = options.taskPatienceMs ?? 500;
  if (typeof taskPatience !== "number" || !Number.isFinite(taskPatience) || taskPatience < 0) {
    throw new ArgumentError("taskPatienceMs", `expected a number of milliseconds >= 0, got ${String(taskPatience)}`);
  }
  const instanceCache = options.instanceCache ?? 1000;
  if (typeof instanceCache !== "number" || !Number.isInteger(instanceCache) || instanceCache < 0) {
    throw new ArgumentError("instanceCache", `expected a whole number of instances >= 0, got ${String(instanceCache)}`);
  }
  const clock = options.clock ?? createSystemClock();
  return {
    registry: Array.isArray(options.definitions) ? createRegistry(options.definitions) : (options.definitions as DefinitionRegistry),
    storage: options.storage ?? createMemoryStorage(),
    clock,
    scheduler: options.scheduler ?? createMemoryScheduler(clock),
    notifier: options.notifier ?? createMemoryNotifier(),
    directory: options.directory ?? createStaticDirectory(),
    handlers: options.handlers ?? {},
    newId: options.newId ?? (() => globalThis.crypto.randomUUID()),
    retry: { maxAttempts: options.retry?.maxAttempts ?? 5, baseDelayMs: options.retry?.baseDelayMs ?? 1000 },
    maxConflictRetries: options.maxConflictRetries ?? 5,
    instanceCacheSize: instanceCache,
    locale: resolveLocale(options.locale),
    taskPatience,
  };
}

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
  const { registry, storage, clock, scheduler, notifier, directory, handlers, newId, retry, maxConflictRetries, instanceCacheSize, locale, taskPatience } = configure(options);
  const subject = new Subject<EngineEvent>();
  const workflows = runnableWorkflows(registry);

  // after each commit: tell the scheduler about the timers, start deliveries, announce
  const committed = (r: StepCommit): void => {
    if (r.transitioned) {
      scheduler.cancel(r.commit.timerIdsToCancel);
      scheduler.schedule(r.commit.timersToSet);
    }
    for (const e of r.announce) subject.next(e);
    if (r.transitioned && r.commit.outbox.length) dispatcher.kick(r.commit.outbox);
  };
  const transitions = createTransitions({ storage, clock, directory, workflows, newId, maxConflictRetries, instanceCacheSize, locale, committed });

  const fire = async (timer: TimerRecord): Promise<void> => {
    try {
      subject.next({ type: "timer.fired", instanceId: timer.instanceId, key: timer.key, timerId: timer.id, at: clock.now() });
      await transitions.apply(timer.instanceId, timerEventOf(timer), timer);
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
    retry,
    deliverTaskResult: async (entry, result) => {
      const p = entry.payload as { node: string; generation: number; attempt: number };
      const task = { actor: "system", node: p.node, generation: p.generation, attempt: p.attempt };
      try {
        await transitions.apply(entry.instanceId, result.ok ? { type: "task.done", ...task, result: result.value } : { type: "task.failed", ...task, error: result.error });
      } catch (e) {
        // a stale result (the task timed out, was retried or left): nothing to apply
        if (!isRuleflowError(e) || e.code !== "NOT_ALLOWED") throw e;
      }
    },
    report: (e) => subject.next(deliveryEvent(e, clock.now())),
  });

  const scheduleRunner = createScheduleRunner({ registry, storage, clock, start: (wf, o) => engine.start(wf, o), report: (e) => subject.next(e) });

  const ready = (async () => {
    await scheduler.start(fire, storage, { pollOutbox: () => dispatcher.kick() });
    await dispatcher.resume();
    await scheduleRunner.start();
  })();
  ready.catch(() => undefined);
  // A clock that moves only when told (Clock.addSettler) waits for this engine between the timers it fires;
  // there a hung handler must not stop time: its timeout is a timer on that clock.
  const onVirtualClock = clock.addSettler !== undefined;
  const settle = async (): Promise<void> => {
    await ready;
    await dispatcher.idle(onVirtualClock ? taskPatience : undefined);
  };
  const removeSettler = clock.addSettler?.(settle);

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
      const id = opts.id ?? newId();
      return viewOf(await transitions.start(def, { id, initiator: opts.initiator ?? "system", input: opts.input ?? {} }, at));
    },
    async send(instanceId, event) {
      assertOpen();
      await ready;
      const admitted = admitEvent(instanceId, event, locale);
      if (admitted.kind === "unknown") return transitions.refuseUnknown(instanceId, admitted.type, admitted.actor);
      return viewOf(await transitions.apply(instanceId, await resolveEventSpecs(instanceId, admitted.event, directory)));
    },
    async get(instanceId) {
      await ready;
      // as the storage checks it (the memory storage's own read skips that)
      assertStorableText({ id: instanceId }, "instance id");
      const i = await transitions.load(instanceId);
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
      return viewOf(await transitions.apply(instanceId, { type: "cancel", actor: opts.actor ?? "system", ...(opts.reason ? { comment: opts.reason } : {}) }));
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
      const data = domainEvent.data ?? {};
      for (const i of await storage.listInstances({ status: "running", waitingFor: domainEvent.type })) {
        const { env } = workflows.lookup(i.definitionId, i.definitionVersion);
        if (matchingWaits(env, i.state.context as WorkflowContext, { name: domainEvent.type, data, at }).length === 0) continue;
        await transitions.apply(i.id, { type: "domain", actor: "system", name: domainEvent.type, data });
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
