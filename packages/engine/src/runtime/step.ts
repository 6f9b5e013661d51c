/**
 * The transition step: a stored instance and an event in, the records to
 * commit (or why nothing changes) out. Pure: no storage, no clock, no
 * Directory, no randomness but the id generator it is given; the same input
 * gives the same output. The engine does the I/O around it: load, step,
 * look up Directory specs the step asks for, commit, schedule, announce.
 */
import type { RefusalReason } from "../i18n/messages/refusals.js";
import type { WorkflowContext, WorkflowInput } from "../workflow/context.js";
import type { ApplicableEvent, RecordedEvent, TimerEvent, WorkflowEvent } from "../workflow/events.js";
import { continueSnapshot, directTransition, flatContinue, flatInitial, flatStep, initialSnapshot, nextSnapshot, NOT_DIRECT, REFUSED } from "../workflow/machine.js";
import type { NodeEnv } from "../workflow/node-entry.js";
import { transitionEvents, type EngineEvent } from "./engine-events.js";
import type { Commit, InstanceStatus, StoredInstance, TimerRecord } from "./ports.js";
import { engineCommit, recordsOf, type SnapshotLike } from "./records.js";
import { explainRefusal } from "./refusal.js";
import type { RunnableWorkflow, WorkflowLookup } from "./workflows.js";

/** Directory answers: spec (`role:compliance`, `manager-of:user:li`) to user ids. */
export type DirectoryAnswers = Readonly<Record<string, readonly string[]>>;

/** What {@link step} needs. */
export interface StepInput {
  /** The instance as loaded from storage (not changed by the step). */
  readonly stored: StoredInstance;
  /** The event to apply, not yet stamped with its time. */
  readonly event: ApplicableEvent;
  /** The time the event is applied at (epoch ms, read from the Clock by the caller). */
  readonly at: number;
  /** The runnable workflow version of the instance (called only while the instance runs). */
  readonly workflows: WorkflowLookup;
  /** Ids for the outbox entries and the audit record the step creates. */
  readonly newId: () => string;
  /**
   * The timer being fired, when `event` is its event: its record is dropped
   * in the same commit, also when the instance ignores the event (a timer
   * whose key was re-armed since).
   */
  readonly firedTimerId?: string | undefined;
  /** Answers to the Directory specs an earlier step of this event asked for (`lookup`). */
  readonly directory?: DirectoryAnswers | undefined;
  /**
   * Whether the step may ask for Directory specs (default `true`). The caller
   * passes `false` after a few rounds: specs still missing then resolve to no one.
   */
  readonly lookUp?: boolean | undefined;
}

/** What {@link stepStart} needs. */
export interface StartStepInput {
  /** The workflow version effective at `at`. */
  readonly workflow: RunnableWorkflow;
  /** The new instance's id. */
  readonly id: string;
  /** Who starts it (`user:li`, `system`). */
  readonly initiator: string;
  /** The instance input (a JSON object). */
  readonly input: Record<string, unknown>;
  /** The start time (epoch ms). */
  readonly at: number;
  /** Ids for the outbox entries and the audit record. */
  readonly newId: () => string;
  /** Directory answers so far; the workflow's own specs (`workflow.directorySpecs`) are asked for first. */
  readonly directory?: DirectoryAnswers | undefined;
  /** As {@link StepInput.lookUp}; the workflow's own specs are asked for regardless. */
  readonly lookUp?: boolean | undefined;
}

/** The step's records: commit them atomically, then schedule and announce. */
export interface StepCommit {
  readonly kind: "commit";
  /** Everything to write in one `Storage.commit`. */
  readonly commit: Commit;
  /**
   * Whether the instance moved. `false` for a fired timer the instance
   * ignored (its key was re-armed): the commit only drops the timer's record
   * and audits it, and there is nothing to schedule or deliver.
   */
  readonly transitioned: boolean;
  /** What to publish on `events$` once the commit succeeded, in order. */
  readonly announce: readonly EngineEvent[];
}

/** The event does not apply to the instance now; nothing changes. */
export interface StepRefusal {
  readonly kind: "refused";
  /** Why, as a catalogue reason (written in the engine's locale by the caller). */
  readonly reason: RefusalReason;
}

/**
 * The transition needs Directory specs the instance has not resolved
 * (computed from its data): look them up and step again with the answers
 * in `directory`, from the same stored instance.
 */
export interface StepLookup {
  readonly kind: "lookup";
  /** Specs as written (`manager-of:initiator` stands for the initiator's manager). */
  readonly specs: readonly string[];
}

/** The instance has ended: no event applies to it any more. */
export interface StepEnded {
  readonly kind: "ended";
  readonly status: Exclude<InstanceStatus, "running">;
}

/** The outcome of a step. */
export type StepResult = StepCommit | StepRefusal | StepLookup | StepEnded;

/** The event a fired timer delivers: as armed, from the timer, stamped by the caller. */
export function timerEventOf(timer: TimerRecord): TimerEvent {
  // the stored event is the one the instance armed (context.ts armTimer), read back as JSON
  return { ...(timer.event as unknown as TimerEvent), actor: "timer", dueAt: timer.dueAt };
}

/** Domain event types the active wait nodes wait for: the instance's correlation index. */
function waitingFor(env: NodeEnv, ctx: WorkflowContext): string[] {
  return ctx.active.flatMap((n) => {
    const spec = env.doc.nodes[n];
    return spec?.type === "wait" && spec.event && ctx.waits[n]?.status === "waiting" ? [spec.event] : [];
  });
}

/**
 * The event with every object in it copied (lists, a domain event's data, a
 * host's own fields): what the step records is its own, never the caller's
 * objects (a storage may freeze what it keeps).
 */
function ownCopy<E extends object>(event: E): E {
  let out: E | undefined;
  for (const key of Object.keys(event)) {
    const v = (event as Record<string, unknown>)[key];
    if (typeof v === "object" && v !== null) {
      out ??= { ...event };
      (out as Record<string, unknown>)[key] = structuredClone(v);
    }
  }
  return out ?? event;
}

const unresolvedOf = (snapshot: SnapshotLike): string[] => (snapshot.context as WorkflowContext).unresolved ?? [];

/** The snapshot without its `unresolved` note (never stored). */
function withoutUnresolved<S extends SnapshotLike>(snapshot: S): S {
  const ctx = snapshot.context as WorkflowContext;
  if (ctx.unresolved === undefined) return snapshot;
  const { unresolved: _unresolved, ...context } = ctx;
  return { ...snapshot, context };
}

let checkingDirect = false;

/**
 * How steps (and starts) were computed since the engine was loaded: directly,
 * directly then continued (by the flat path, or xstate for a machine with
 * parallel regions), by the flat path (`flatStep`, `flatInitial`), or by
 * xstate alone. Tests read it to know each path was exercised.
 * @internal
 */
export const directPathCounts = { direct: 0, continued: 0, flat: 0, xstate: 0 };

/**
 * Tests only: make every step and start that avoids xstate (the direct path,
 * `directTransition`; the flat path, `flatStep`, `flatContinue`,
 * `flatInitial`) also run xstate, and throw when the two disagree.
 * @internal
 */
export function checkDirectPath(on: boolean): void {
  checkingDirect = on;
}

/** Same JSON data: own keys in the same order, equal values. */
function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k, i) => k === kb[i] && sameData((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

function checkDirect(machine: RunnableWorkflow["machine"], value: unknown, context: WorkflowContext, event: WorkflowEvent, direct: SnapshotLike | undefined): void {
  const snapshot = machine.resolveState({ value: value as never, context });
  const n = nextSnapshot(machine, snapshot, event);
  const viaXstate = n === snapshot ? undefined : { value: n.value as unknown, context: n.context as unknown, status: n.status };
  const viaDirect = direct && { value: direct.value, context: direct.context, status: direct.status };
  if (!sameData(viaXstate, viaDirect)) throw new Error(`the direct or flat path disagrees with xstate on ${event.type}: ${JSON.stringify(viaDirect)} vs ${JSON.stringify(viaXstate)}`);
}

/** {@link checkDirect} for a start the flat path computed: xstate's initial snapshot must be the same. */
function checkInitial(machine: RunnableWorkflow["machine"], start: WorkflowInput, flat: SnapshotLike): void {
  const x = initialSnapshot(machine, start);
  const viaXstate = { value: x.value as unknown, context: x.context as unknown, status: x.status };
  const viaFlat = { value: flat.value, context: flat.context, status: flat.status };
  if (!sameData(viaXstate, viaFlat)) throw new Error(`the flat path disagrees with xstate on the start: ${JSON.stringify(viaFlat)} vs ${JSON.stringify(viaXstate)}`);
}

const withAnswers = (directory: Record<string, string[]>, answers: DirectoryAnswers | undefined): Record<string, string[]> =>
  answers && Object.keys(answers).length ? { ...directory, ...Object.fromEntries(Object.entries(answers).map(([k, v]) => [k, [...v]])) } : directory;

/**
 * Apply an event to a stored instance: the next state and everything the
 * transition writes (timers to set and cancel, outbox entries, the audit
 * record), or why nothing changes.
 *
 * Pure: it reads no clock (the time is `at`), touches no storage and asks the
 * Directory nothing (it returns `lookup` instead); ids come from `newId`. The
 * same input (with a generator giving the same ids) gives an equal result,
 * and the input is not changed.
 *
 * @param input - the stored instance, the event, the time, the workflow lookup and the id generator
 * @returns `commit` (records and announcements), `refused` (with the reason),
 *   `lookup` (Directory specs to resolve first) or `ended` (the instance no longer runs)
 * @throws {@link WorkflowError} when the instance's workflow version is not loaded
 * @example
 * ```ts
 * const r = step({ stored, event: { type: "approve", actor: "user:chen" }, at: clock.now(), workflows, newId });
 * if (r.kind === "commit") await storage.commit(r.commit);
 * ```
 */
export function step(input: StepInput): StepResult {
  const { stored } = input;
  if (stored.status !== "running") return { kind: "ended", status: stored.status };
  const { machine, env } = input.workflows(stored.definitionId, stored.definitionVersion);
  const event = { ...ownCopy(input.event), at: input.at };
  const storedContext = stored.state.context as WorkflowContext;
  const directory = withAnswers(storedContext.directory, input.directory);
  // the stored context itself when no answer changes it: nothing writes it (updates copy what they change)
  const context: WorkflowContext = directory === storedContext.directory ? storedContext : { ...storedContext, directory };
  const value = stored.state.value;
  // most events (an approval, a reminder, a timer that moves no state) are computed without xstate's snapshots
  const fast = directTransition(machine, value, context, event);
  // the rest, in a workflow without parallel branches, by xstate's algorithm written out for flat machines
  const flat = fast === NOT_DIRECT ? flatStep(machine, value, context, event) : NOT_DIRECT;
  let next: SnapshotLike | undefined;
  let kept: SnapshotLike;
  if (fast === NOT_DIRECT && flat === NOT_DIRECT) {
    directPathCounts.xstate++;
    const snapshot = machine.resolveState({ value: value as never, context });
    const n = nextSnapshot(machine, snapshot, event);
    next = n === snapshot ? undefined : (n as SnapshotLike);
    kept = snapshot as SnapshotLike;
  } else if (fast === NOT_DIRECT) {
    directPathCounts.flat++;
    next = flat === REFUSED ? undefined : (flat as SnapshotLike);
    kept = { value, context, status: "active" };
  } else {
    if (fast !== REFUSED && fast.pending) directPathCounts.continued++;
    else directPathCounts.direct++;
    next = fast === REFUSED ? undefined : fast.pending ? (flatContinue(machine, fast, event) ?? (continueSnapshot(machine, fast, event) as SnapshotLike)) : fast;
    kept = { value, context, status: "active" };
  }
  if (checkingDirect && (fast !== NOT_DIRECT || flat !== NOT_DIRECT)) checkDirect(machine, value, context, event, next);
  if (next === undefined) {
    if (input.firedTimerId === undefined) return { kind: "refused", reason: explainRefusal(env, storedContext, event) };
    // a stale timer (its key was re-armed): drop its record, with an audit record saying so
    const r = recordsOf({ previous: stored, snapshot: kept, effects: [], event, base: stored, waitingFor: [...stored.waitingFor], firedTimerId: input.firedTimerId, newId: input.newId });
    return { kind: "commit", commit: engineCommit(r, stored.version), transitioned: false, announce: [] };
  }
  const specs = unresolvedOf(next);
  if (specs.length && input.lookUp !== false) return { kind: "lookup", specs };
  const done = withoutUnresolved(next);
  const ctx = done.context as WorkflowContext;
  const r = recordsOf({
    previous: stored,
    snapshot: done,
    effects: ctx.effects,
    event,
    base: stored,
    waitingFor: waitingFor(env, ctx),
    firedTimerId: input.firedTimerId,
    newId: input.newId,
  });
  return { kind: "commit", commit: engineCommit(r, stored.version), transitioned: true, announce: transitionEvents(stored, r.instance, r.audit, event) };
}

/**
 * Start an instance: its first state and everything its first transition
 * writes. Pure, as {@link step}: it asks for the workflow's Directory specs
 * (`workflow.directorySpecs`) and any computed from the input with `lookup`.
 *
 * @param input - the workflow version, the new instance's id, initiator and input, the time and the id generator
 * @returns `commit` (with `expectedVersion: null`: a new record) or `lookup`
 * @example
 * ```ts
 * const r = stepStart({ workflow, id: "q-1", initiator: "user:li", input: {}, at, newId, directory });
 * ```
 */
export function stepStart(input: StartStepInput): StepCommit | StepLookup {
  const { workflow: runnable, at } = input;
  const wf = runnable.workflow;
  const answers = input.directory ?? {};
  const missing = wf.directorySpecs.filter((s) => !Object.hasOwn(answers, s));
  if (missing.length) return { kind: "lookup", specs: missing };
  const start: WorkflowInput = {
    instanceId: input.id,
    definitionId: wf.id,
    definitionVersion: wf.version,
    initiator: input.initiator,
    input: structuredClone(input.input),
    startedAt: at,
    directory: withAnswers({}, answers),
  };
  // a workflow without parallel branches starts by xstate's algorithm written out (flatInitial), others through xstate
  const flat = flatInitial(runnable.machine, start);
  if (flat) directPathCounts.flat++;
  else directPathCounts.xstate++;
  const first: SnapshotLike = flat ?? (initialSnapshot(runnable.machine, start) as SnapshotLike);
  if (checkingDirect && flat) checkInitial(runnable.machine, start, flat);
  const specs = unresolvedOf(first);
  if (specs.length && input.lookUp !== false) return { kind: "lookup", specs };
  const snapshot = withoutUnresolved(first);
  const ctx = snapshot.context as WorkflowContext;
  const event: RecordedEvent = { type: "start", at, actor: input.initiator, input: start.input };
  const r = recordsOf({
    previous: undefined,
    snapshot,
    effects: ctx.effects,
    event,
    base: { id: input.id, definitionId: wf.id, definitionVersion: wf.version, initiator: input.initiator, createdAt: at },
    waitingFor: waitingFor(runnable.env, ctx),
    newId: input.newId,
  });
  return { kind: "commit", commit: engineCommit(r, null), transitioned: true, announce: transitionEvents(undefined, r.instance, r.audit, event) };
}
