/** The workflow instance context kept in the xstate snapshot, and its effects. */
import type { ApprovalState } from "./approval.js";
import type { TimerEvent } from "./events.js";
import type { EvaluationWarning } from "../core/context.js";

export type { WorkflowEvent } from "./events.js";

/** The event a timer delivers, as armed (the engine adds `actor` and `dueAt` when it fires). */
type ArmedTimerEvent = Pick<TimerEvent, "type" | "key" | "generation" | "node" | "step" | "purpose" | "attempt">;

/** Side effects a transition asks for, as data. The engine turns them into storage records. */
export type Effect =
  | { type: "timer.set"; key: string; generation: number; dueAt: number; event: ArmedTimerEvent }
  | { type: "timer.cancel"; key: string; generation: number }
  | { type: "notify"; to: string; recipients: string[]; template: string; channel?: string | undefined; data: Record<string, unknown> }
  | { type: "task"; node: string; generation: number; attempt: number; handler: string; input: Record<string, unknown> }
  /** Facts about the transition for its audit record (e.g. `onBehalfOf`), merged into the recorded event. */
  | { type: "note"; data: Record<string, unknown> }
  /** A comparison that met a missing or null value while the transition evaluated (path inside the workflow document). */
  | { type: "warning"; warning: EvaluationWarning };

/** Progress of a task node. */
interface TaskState {
  generation: number;
  attempt: number;
  status: "running" | "done" | "failed";
  /** The handler input, kept for retries. */
  input: Record<string, unknown>;
  error?: string | undefined;
}

/** Progress of a wait node. */
interface WaitState {
  status: "waiting" | "done" | "timeout";
}

/** Where an escalation ladder stands. */
interface LadderState {
  step: number;
  repeatsLeft: number;
}

/** Everything an instance remembers, as plain JSON. */
export interface WorkflowContext {
  instanceId: string;
  definitionId: string;
  definitionVersion: number;
  initiator: string;
  input: Record<string, unknown>;
  startedAt: number;
  /** Outputs of decision, branch and task nodes, and approval outcomes, by node id. */
  results: Record<string, unknown>;
  /** Assignee specs resolved through the Directory when the instance started. */
  directory: Record<string, string[]>;
  approvals: Record<string, ApprovalState>;
  tasks: Record<string, TaskState>;
  waits: Record<string, WaitState>;
  ladders: Record<string, LadderState>;
  /** Armed timers: key -> generation. */
  timers: Record<string, number>;
  timerSeq: number;
  /** Nodes the instance is in now. */
  active: string[];
  /** Every node entered, in order. */
  history: string[];
  /** Users who approved any step of this instance. */
  approvedBy: string[];
  /** Effects of the transition being computed; the engine empties it after each commit. */
  effects: Effect[];
  /** Set when the instance failed. */
  error?: string | undefined;
  /** The node a rejection sent back to the initiator from. */
  returnedFrom?: string | undefined;
  /** Set by the end node. */
  outcome?: string | undefined;
  /**
   * Directory specs a transition needed but the snapshot did not hold (specs
   * computed from data). The engine resolves them and runs the transition
   * again; never stored.
   */
  unresolved?: string[] | undefined;
}

/** The input a new instance starts from. */
export interface WorkflowInput {
  instanceId: string;
  definitionId: string;
  definitionVersion: number;
  initiator: string;
  input: Record<string, unknown>;
  startedAt: number;
  directory: Record<string, string[]>;
}

/** The lists and records of a context that transitions write. */
type Container = "results" | "approvals" | "tasks" | "waits" | "ladders" | "timers" | "active" | "history" | "approvedBy" | "effects" | "unresolved";

/**
 * The containers the machine call under way may write: copied by {@link own}
 * on their first write in the call, or made in it ({@link made}). Emptied at
 * the start of every machine call (workflow/machine.ts), so a context coming
 * in (stored, perhaps frozen and shared with other readers) is never written.
 */
const writable: object[] = [];

/** Start a machine call: nothing is writable yet. */
export function beginWrites(): void {
  writable.length = 0;
}

/**
 * The container `key` of a draft, to write: the first write of a machine
 * call copies it into the draft (the one it holds may be frozen and shared),
 * later ones write that copy. Containers no write touches stay shared, so a
 * transition copies only what it changes. A container the context lacks is
 * returned as it is (undefined), except `unresolved`, which is made.
 */
export function own<K extends Container>(draft: WorkflowContext, key: K): NonNullable<WorkflowContext[K]> {
  const v = draft[key] as object | undefined;
  // a handful of containers per call: a scan beats hashing
  if (v !== undefined && writable.includes(v)) return v as NonNullable<WorkflowContext[K]>;
  if (v === undefined && key !== "unresolved") return v as unknown as NonNullable<WorkflowContext[K]>;
  const copy = v === undefined ? [] : Array.isArray(v) ? v.slice() : { ...v };
  writable.push(copy);
  (draft as unknown as Record<string, unknown>)[key] = copy;
  return copy as NonNullable<WorkflowContext[K]>;
}

/** A container made in the machine call under way: writable without a copy. */
export function made<T extends object>(container: T): T {
  writable.push(container);
  return container;
}

/** The facts expressions in a workflow see. */
export function factsOf(ctx: WorkflowContext, extra?: Record<string, unknown>): Record<string, unknown> {
  return { ...ctx.input, input: ctx.input, initiator: ctx.initiator, results: ctx.results, ...extra };
}

/** Whether a spec goes through the Directory. */
export const isDirectorySpec = (spec: string): boolean => spec.startsWith("role:") || spec.startsWith("manager-of:");

/**
 * Resolve a recipient or assignee spec to users, from the instance's
 * directory snapshot (static specs are resolved when the instance starts).
 * A directory spec the snapshot lacks (computed from data) resolves to no one
 * for now and is noted in `unresolved`, so the engine can look it up and run
 * the transition again.
 */
export function usersOf(ctx: WorkflowContext, spec: string): string[] {
  if (spec === "initiator") return [ctx.initiator];
  if (Object.hasOwn(ctx.directory, spec)) return ctx.directory[spec]!;
  if (isDirectorySpec(spec)) {
    if (!ctx.unresolved?.includes(spec)) own(ctx, "unresolved").push(spec);
    return [];
  }
  return [spec];
}

const SPEC_HINT = 'expected a user id or spec such as "user:li", "role:sales" or "manager-of:user:li", or a list of them';
const isSpec = (v: unknown): v is string => typeof v === "string" && v !== "" && !/\s/.test(v);

/**
 * The specs an `{ "expr" }` recipient or assignee gave: a spec or a list of
 * them; `null` is no one when `allowNone`. Anything else is an error naming `where`.
 */
export function specsFromValue(value: unknown, where: string, allowNone: boolean): string[] {
  if (isSpec(value)) return [value];
  if (Array.isArray(value) && value.every(isSpec)) return value;
  if (allowNone && (value === null || value === undefined)) return [];
  throw new Error(`${where} gave ${value === undefined ? "nothing" : JSON.stringify(value)}; ${SPEC_HINT}`);
}

/** Arm (or re-arm) a timer; returns the new context pieces via mutation of a draft. */
export function armTimer(draft: WorkflowContext, key: string, dueAt: number, extra: Pick<TimerEvent, "node" | "step" | "purpose" | "attempt"> = {}): void {
  const old = draft.timers[key];
  const effects = own(draft, "effects");
  if (old !== undefined) effects.push({ type: "timer.cancel", key, generation: old });
  const generation = ++draft.timerSeq;
  own(draft, "timers")[key] = generation;
  effects.push({ type: "timer.set", key, generation, dueAt, event: { type: "timer", key, generation, ...extra } });
}

/** Cancel a timer if armed. */
export function cancelTimer(draft: WorkflowContext, key: string): void {
  const old = draft.timers[key];
  if (old === undefined) return;
  delete own(draft, "timers")[key];
  own(draft, "effects").push({ type: "timer.cancel", key, generation: old });
}

/** Cancel every armed timer (the instance ended). */
export function cancelAllTimers(draft: WorkflowContext): void {
  for (const key of Object.keys(draft.timers)) cancelTimer(draft, key);
}
