/**
 * The I/O around the pure transition step: load the instance, step, look up
 * the Directory specs the step asks for and step again, commit (retrying
 * when another writer changed the instance first), then hand the committed
 * records on to be scheduled and announced.
 */
import { ActionNotAllowedError, InstanceNotFoundError, isRuleflowError } from "../core/errors.js";
import type { Locale } from "../i18n/locale.js";
import type { CompiledWorkflow } from "../workflow/compile.js";
import type { WorkflowContext } from "../workflow/context.js";
import type { ApplicableEvent } from "../workflow/events.js";
import { sharedReadsOf } from "./memory-storage.js";
import type { Clock, Directory, Storage, StoredInstance, TimerRecord } from "./ports.js";
import { refusalError, unknownOperation } from "./refusal.js";
import { step, stepStart, type DirectoryAnswers, type StepCommit, type StepLookup, type StepResult } from "./step.js";
import type { RunnableWorkflows } from "./workflows.js";

/**
 * Rounds of Directory lookups for specs computed from instance data: enough
 * for a transition whose path depends on who was resolved; more means a spec
 * keeps changing, and what is still missing then resolves to no one.
 */
const MAX_LOOKUP_ROUNDS = 5;

/**
 * A storage conflict, by its brand and code rather than `instanceof`: the
 * storage may have been built with another copy of this package (an adapter's
 * own dependency, an ESM build beside a CJS one), whose ConcurrencyError is a
 * different class.
 */
export const isConflict = (e: unknown): boolean => isRuleflowError(e) && e.code === "CONCURRENCY_CONFLICT";

/** What the transitions need from the engine. */
export interface TransitionDeps {
  readonly storage: Storage;
  readonly clock: Clock;
  readonly directory: Directory;
  readonly workflows: RunnableWorkflows;
  readonly newId: () => string;
  /** Attempts when a concurrent writer changed the instance first. */
  readonly maxConflictRetries: number;
  /**
   * Instances this engine committed last, kept to step the next event without
   * reading the instance first (storages without shared reads only); 0: none.
   */
  readonly instanceCacheSize: number;
  /** The language of refusals. */
  readonly locale: Locale;
  /** Called after each successful commit, with what was committed. */
  readonly committed: (result: StepCommit) => void;
}

/** Starting instances and applying events, each one atomic commit. */
export interface Transitions {
  /** Start an instance of `workflow` at `at`; returns the instance as committed. */
  start(workflow: CompiledWorkflow, instance: { id: string; initiator: string; input: Record<string, unknown> }, at: number): Promise<StoredInstance>;
  /**
   * Apply an event to an instance, now; returns the instance as committed
   * (or as it is, for a fired timer that changed nothing). With `firedTimer`,
   * the event is that timer's: a timer no longer pending, or an instance no
   * longer running, changes nothing (and is no error).
   * @throws {@link InstanceNotFoundError}, or {@link ActionNotAllowedError} when the event does not apply
   */
  apply(instanceId: string, event: ApplicableEvent, firedTimer?: TimerRecord): Promise<StoredInstance>;
  /** Load an instance: from a memory storage, the stored (frozen) record itself, not a copy. */
  load(instanceId: string): Promise<StoredInstance | undefined>;
  /** Refuse an event type no step understands, naming the instance's active steps. */
  refuseUnknown(instanceId: string, type: string, actor: string): Promise<never>;
}

/** The transitions of one engine. */
export function createTransitions(deps: TransitionDeps): Transitions {
  const { storage, clock, directory, workflows, newId, locale } = deps;
  // the engine only reads what it loads: a memory storage hands out its frozen records without copying them
  const shared = sharedReadsOf(storage);
  const load = shared ? (id: string): Promise<StoredInstance | undefined> => Promise.resolve(shared.getInstance(id)) : (id: string) => storage.getInstance(id);

  /**
   * The instance as this engine last committed it, by id, most recently used last; at most
   * `instanceCacheSize`. A read saved, never trusted: a commit stepped from it still carries its
   * version, so the storage refuses it when another writer came first (then the instance is read
   * again, without counting against `maxConflictRetries`), and an event it would refuse, or an
   * instance it holds as ended, is checked again against a fresh read before the refusal is final.
   */
  const cached = new Map<string, StoredInstance>();
  const cacheSize = shared ? 0 : deps.instanceCacheSize;
  const remember = (instance: StoredInstance): void => {
    if (cacheSize <= 0) return;
    cached.delete(instance.id);
    cached.set(instance.id, instance);
    if (cached.size > cacheSize) cached.delete(cached.keys().next().value!);
  };

  const lookUp = async (specs: readonly string[], initiator: string): Promise<Record<string, string[]>> => {
    const out: Record<string, string[]> = {};
    for (const spec of specs) out[spec] = [...(await directory.resolve(spec === "manager-of:initiator" ? `manager-of:${initiator}` : spec))];
    return out;
  };

  /** Step until the step stops asking for Directory specs. */
  const withLookups = async <R extends StepResult>(initiator: string, rounds: number, run: (answers: DirectoryAnswers, mayLookUp: boolean) => R): Promise<Exclude<R, StepLookup>> => {
    let answers: DirectoryAnswers = {};
    for (let round = 0; ; round++) {
      const r = run(answers, round < rounds);
      if (r.kind !== "lookup") return r as Exclude<R, StepLookup>;
      answers = { ...answers, ...(await lookUp(r.specs, initiator)) };
    }
  };

  const loadRunning = async (instanceId: string, action: string, actor: string) => {
    const stored = await load(instanceId);
    if (!stored) throw new InstanceNotFoundError(instanceId);
    if (stored.status !== "running") throw new ActionNotAllowedError(instanceId, action, actor, `the instance is ${stored.status}`);
    return stored;
  };

  return {
    async start(workflow, instance, at) {
      const runnable = workflows.of(workflow);
      // one round more: the workflow's own specs are looked up first
      const result = await withLookups(instance.initiator, MAX_LOOKUP_ROUNDS + 1, (directory, mayLookUp) =>
        stepStart({ workflow: runnable, ...instance, at, newId, directory, lookUp: mayLookUp }),
      );
      await storage.commit(result.commit);
      remember(result.commit.instance);
      deps.committed(result);
      return result.commit.instance;
    },

    async apply(instanceId, event, firedTimer) {
      const actor = event.actor ?? "system";
      for (let attempt = 0; ; ) {
        const hit = cached.get(instanceId);
        const stored = hit ?? (await load(instanceId));
        if (!stored) throw new InstanceNotFoundError(instanceId);
        if (firedTimer && !(await storage.getTimer(firedTimer.id))) return stored;
        const at = clock.now();
        const result = await withLookups(stored.initiator, MAX_LOOKUP_ROUNDS, (directory, mayLookUp) =>
          step({ stored, event, at, workflows: workflows.lookup, newId, firedTimerId: firedTimer?.id, directory, lookUp: mayLookUp }),
        );
        if (result.kind === "ended" || result.kind === "refused") {
          // decided on a kept copy: the instance may have moved on since; decide again on a fresh read
          if (hit) {
            cached.delete(instanceId);
            continue;
          }
          if (result.kind === "refused") throw refusalError(locale, instanceId, event.type, actor, result.reason);
          if (firedTimer) return stored;
          throw new ActionNotAllowedError(instanceId, event.type, actor, `the instance is ${result.status}`);
        }
        try {
          await storage.commit(result.commit);
        } catch (e) {
          if (isConflict(e)) {
            cached.delete(instanceId);
            // a kept copy that was out of date is no conflict of the caller's: read and step again
            if (hit) continue;
            if (attempt++ < deps.maxConflictRetries) continue;
          }
          throw e;
        }
        remember(result.commit.instance);
        deps.committed(result);
        return result.commit.instance;
      }
    },

    load,

    async refuseUnknown(instanceId, type, actor) {
      const stored = await loadRunning(instanceId, type, actor);
      throw refusalError(locale, instanceId, type, actor, unknownOperation(stored.state.context as WorkflowContext, type));
    },
  };
}
