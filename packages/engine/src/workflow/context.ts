/** The workflow instance context kept in the xstate snapshot, and its effects. */
import type { ApprovalState } from "./approval.js";

/** Side effects a transition asks for, as data. The engine turns them into storage records. */
export type Effect =
  | { type: "timer.set"; key: string; generation: number; dueAt: number; event: { type: "timer"; key: string; generation: number; [k: string]: unknown } }
  | { type: "timer.cancel"; key: string; generation: number }
  | { type: "notify"; to: string; recipients: string[]; template: string; channel?: string | undefined; data: Record<string, unknown> }
  | { type: "task"; node: string; generation: number; attempt: number; handler: string; input: Record<string, unknown> }
  /** Facts about the transition for its audit record (e.g. `onBehalfOf`), merged into the recorded event. */
  | { type: "note"; data: Record<string, unknown> };

/** Progress of a task node. */
export interface TaskState {
  generation: number;
  attempt: number;
  status: "running" | "done" | "failed";
  /** The handler input, kept for retries. */
  input: Record<string, unknown>;
  error?: string | undefined;
}

/** Progress of a wait node. */
export interface WaitState {
  status: "waiting" | "done" | "timeout";
}

/** Where an escalation ladder stands. */
export interface LadderState {
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
}

/** Every event the machine receives carries its time. */
export interface WorkflowEvent {
  type: string;
  /** Epoch ms, stamped by the engine from the Clock. */
  at: number;
  actor?: string | undefined;
  comment?: string | undefined;
  node?: string | undefined;
  [key: string]: unknown;
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

/** The facts expressions in a workflow see. */
export function factsOf(ctx: WorkflowContext, extra?: Record<string, unknown>): Record<string, unknown> {
  return { ...ctx.input, input: ctx.input, initiator: ctx.initiator, results: ctx.results, ...extra };
}

/** Resolve a recipient or assignee spec to users, from the start-time directory snapshot. */
export function usersOf(ctx: WorkflowContext, spec: string): string[] {
  if (spec === "initiator") return [ctx.initiator];
  if (Object.hasOwn(ctx.directory, spec)) return ctx.directory[spec]!;
  if (spec.startsWith("role:") || spec.startsWith("manager-of:")) return [];
  return [spec];
}

/** Arm (or re-arm) a timer; returns the new context pieces via mutation of a draft. */
export function armTimer(draft: WorkflowContext, key: string, dueAt: number, extra: Record<string, unknown> = {}): void {
  const old = draft.timers[key];
  if (old !== undefined) draft.effects.push({ type: "timer.cancel", key, generation: old });
  const generation = ++draft.timerSeq;
  draft.timers[key] = generation;
  draft.effects.push({ type: "timer.set", key, generation, dueAt, event: { type: "timer", key, generation, ...extra } });
}

/** Cancel a timer if armed. */
export function cancelTimer(draft: WorkflowContext, key: string): void {
  const old = draft.timers[key];
  if (old === undefined) return;
  delete draft.timers[key];
  draft.effects.push({ type: "timer.cancel", key, generation: old });
}

/** Cancel every armed timer (the instance ended). */
export function cancelAllTimers(draft: WorkflowContext): void {
  for (const key of Object.keys(draft.timers)) cancelTimer(draft, key);
}
