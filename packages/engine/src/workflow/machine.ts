/**
 * A validated workflow -> an xstate v5 machine. Each node is a state (with
 * an `id`, so any node can target any other by `#id`); parallel and inclusive
 * branches become parallel states with one region per branch; end nodes and
 * the withdrawn / cancelled / failed outcomes are final states. All events are
 * handled by pure context updates; effects (timers, notifications, task
 * calls) are data in `context.effects`, never run by xstate.
 */
import { assign, createActor, setup, type AnyMachineSnapshot, type AnyStateMachine } from "xstate";
import type { WorkflowNode } from "../schema/workflow.js";
import { actionableUsers, copyApproval, decideApproval, escalateApproval, type Slot } from "./approval.js";
import { armTimer, beginWrites, cancelAllTimers, cancelTimer, factsOf, made, own, usersOf, type WorkflowContext, type WorkflowInput } from "./context.js";
import type { ApprovalEvent, Stamped, WorkflowEvent, WorkflowEventOf } from "./events.js";
import { armLadder, dueAfter, enterNode, iso, notify, recipientSpecs, requestApproval, type NodeEnv } from "./node-entry.js";
import { APPROVAL_EVENTS, applyApprovalEvent, participants, rejectTarget, resolveApprovalEvent } from "./operations.js";
import { regionEntries, type Scope } from "./structure.js";

type Draft = WorkflowContext;

type Update<E> = (draft: Draft, ev: E) => void;
type Guard<E> = (ctx: WorkflowContext, ev: E) => boolean;
/** The machine event of one type (xstate routes `on` handlers by type, so a handler sees only its own). */
type On<T extends WorkflowEvent["type"]> = WorkflowEventOf<T>;

/** Final states every workflow has besides its end nodes. */
export const SYSTEM_FINALS = { withdrawn: "__withdrawn", cancelled: "__cancelled", failed: "__failed" } as const;
/** The state waiting for the initiator after a rejection sent the request back to them. */
export const RETURNED = "__returned";

/**
 * A context update as an xstate `assign`: `fn` writes a draft, a copy of the
 * context's top level; the lists and records in it are copied on their first
 * write in the machine call (`own`, workflow/context.ts), so the incoming
 * context (stored, perhaps frozen and shared) is never written and a
 * transition copies only what it changes. No immer: no proxies, no
 * finalising walk per update. As xstate merges the returned object over the
 * previous context, a top-level field `fn` deletes keeps its previous value,
 * exactly as with immer before.
 */
function update<E extends WorkflowEvent = WorkflowEvent>(fn: Update<E>, options?: { deletes: true }) {
  const action = assign(({ context, event }) => draftOf(fn, context as WorkflowContext, event as E));
  updates.set(action, fn as Update<WorkflowEvent>);
  if (options?.deletes) deleting.add(fn as Update<WorkflowEvent>);
  return action;
}

/**
 * Updates that may delete a top-level field of the context (declared with
 * `{ deletes: true }`): for them xstate's merge keeps the field's previous
 * value, so {@link merged} merges. Every other update only sets fields.
 */
const deleting = new WeakSet<Update<WorkflowEvent>>();

/**
 * The context after `fn`, as xstate's `assign` gives it (the draft merged over
 * `context`), made without xstate (the direct and flat paths). The draft
 * holds every field of `context` in the same order, then the fields `fn`
 * added: unless `fn` deletes fields, it is that merge already, and no second
 * copy is made.
 */
function merged(fn: Update<WorkflowEvent>, context: WorkflowContext, event: WorkflowEvent): WorkflowContext {
  const d = draftOf(fn, context, event);
  return deleting.has(fn) ? Object.assign({}, context, d) : d;
}

/** What an update returns for xstate to merge over the context: the draft `fn` wrote. */
function draftOf<E extends WorkflowEvent>(fn: Update<E>, context: WorkflowContext, event: E): WorkflowContext {
  const d = { ...context };
  draftSource = context;
  try {
    // xstate's own init event carries no time: the instance's start time applies.
    fn(d, typeof event.at === "number" ? event : { ...event, at: d.startedAt });
  } catch (e) {
    // An expression that fails on the instance's facts fails the instance, visibly.
    d.error = e instanceof Error ? e.message : String(e);
  } finally {
    draftSource = undefined;
  }
  return d;
}

/** The context the draft an update is writing was copied from (see {@link draftOf}), while it runs. */
let draftSource: WorkflowContext | undefined;

/** The update function behind each `assign` action {@link update} made (for the direct path). */
const updates = new WeakMap<object, Update<WorkflowEvent>>();

/** The actor scope a machine's `transition` and `getInitialSnapshot` take. */
type MachineScope = Parameters<AnyStateMachine["transition"]>[2];

const scopes = new WeakMap<AnyStateMachine, MachineScope>();

/**
 * One inert actor scope per machine, made once: xstate's `transition()` and
 * `initialTransition()` make a new one per call, and making one computes the
 * machine's initial snapshot (every entry action of the start node) only to
 * throw it away. Our machines have no invoked or spawned actors and only
 * `assign` actions, so nothing is deferred, executed or registered through it.
 */
function scopeOf(machine: AnyStateMachine): MachineScope {
  let scope = scopes.get(machine);
  if (!scope) {
    const self = createActor(machine);
    scope = {
      self,
      defer: () => {},
      id: "",
      logger: () => {},
      sessionId: "",
      stopChild: () => {},
      system: self.system,
      emit: () => {},
      actionExecutor: () => {},
    };
    scopes.set(machine, scope);
  }
  return scope;
}

/** Run one machine call: nothing of the context is writable before it, nor after it. */
function owning<T>(run: () => T): T {
  beginWrites();
  try {
    return run();
  } finally {
    beginWrites();
  }
}

/**
 * The first snapshot of a new instance (xstate's `initialTransition`, without
 * its per-call actor). The input is not changed.
 */
export function initialSnapshot(machine: AnyStateMachine, input: WorkflowInput): AnyMachineSnapshot {
  return owning(() => machine.getInitialSnapshot(scopeOf(machine), input));
}

/**
 * The snapshot after `event` (xstate's `transition`, without its per-call
 * actor); the same object when the event does not apply. Neither the snapshot
 * nor its context is changed (they may be frozen and shared).
 */
export function nextSnapshot(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: WorkflowEvent): AnyMachineSnapshot {
  return owning(() => machine.transition(snapshot, event, scopeOf(machine)));
}

/** A guard as xstate calls an inline one. */
type GuardFn = (args: { context: unknown; event: unknown }) => boolean;

/** An event type the machine's root handles without a target: its guard and update. */
interface RootHandler {
  readonly guard: GuardFn | undefined;
  readonly update: Update<WorkflowEvent>;
}

/**
 * A guard the direct and flat paths may call as xstate calls an inline one:
 * a plain function. xstate's own guards (`and`, `or`, `not`, `stateIn`) are
 * functions too, but xstate evaluates them through their `check`.
 */
const isInlineGuard = (guard: unknown): guard is GuardFn => typeof guard === "function" && !("check" in guard);

/** What the direct path knows of one machine. */
interface DirectPath {
  readonly handlers: ReadonlyMap<string, RootHandler>;
  /** By state value (its JSON): for each atomic state, the `always` lists from it up to the root, in xstate's order; undefined when the value is not plain. */
  readonly eventless: Map<string, readonly (readonly { guard?: unknown }[])[][] | undefined>;
}

const direct = new WeakMap<AnyStateMachine, DirectPath>();

/** A transition the direct path computed: the new value (unchanged), context and status. */
export interface DirectSnapshot {
  readonly value: unknown;
  readonly context: WorkflowContext;
  readonly status: "active";
  /**
   * An eventless transition is enabled on the new context: xstate must go on
   * from this state (see {@link continueSnapshot}); the state is not final.
   */
  readonly pending: boolean;
}

/** The direct path's answers besides a snapshot. */
export const REFUSED = "refused";
export const NOT_DIRECT = "not-direct";

/**
 * Learn a machine's root handlers that have no target (approval operations,
 * remind, cc, timers, task results, domain events): one guard and one
 * update each. Nothing else handles those types (only the returned state
 * handles an event, `resubmit`), so xstate selects exactly that transition.
 */
function learnDirectPath(machine: AnyStateMachine, on: Record<string, unknown>): void {
  const handlers = new Map<string, RootHandler>();
  for (const [type, t] of Object.entries(on)) {
    if (typeof t !== "object" || t === null || Array.isArray(t)) continue;
    const { guard, actions, target } = t as { guard?: unknown; actions?: unknown; target?: unknown };
    const fn = typeof actions === "function" ? updates.get(actions) : undefined;
    if (target !== undefined || !fn || (guard !== undefined && !isInlineGuard(guard))) continue;
    handlers.set(type, { guard, update: fn });
  }
  direct.set(machine, { handlers, eventless: new Map() });
}

/** The eventless transitions xstate would look at in the state `value`, in its order (cached per value). */
function eventlessOf(machine: AnyStateMachine, path: DirectPath, value: unknown): readonly (readonly { guard?: unknown }[])[][] | undefined {
  const key = typeof value === "string" ? value : JSON.stringify(value);
  if (path.eventless.has(key)) return path.eventless.get(key);
  type Node = { type: string; parent?: Node | undefined; always?: readonly { guard?: unknown }[] | undefined };
  const nodes = (machine.resolveState({ value: value as never, context: {} }) as unknown as { _nodes?: Node[]; status: string })._nodes;
  let lists: (readonly { guard?: unknown }[])[][] | undefined;
  if (Array.isArray(nodes)) {
    lists = [];
    for (const atomic of nodes) {
      if (atomic.type !== "atomic" && atomic.type !== "final") continue;
      const chain: (readonly { guard?: unknown }[])[] = [];
      for (let n: Node | undefined = atomic; n; n = n.parent) if (n.always?.length) chain.push(n.always);
      lists.push(chain);
    }
  }
  path.eventless.set(key, lists);
  return lists;
}

/** Whether an eventless transition of `lists` is enabled on `context`. */
function anyEnabled(lists: readonly (readonly { guard?: unknown }[])[][], context: WorkflowContext, event: WorkflowEvent): boolean {
  const args = { context, event };
  for (const chain of lists) {
    for (const always of chain) {
      for (const t of always) {
        if (typeof t.guard !== "function" || (t.guard as GuardFn)(args)) return true;
      }
    }
  }
  return false;
}

/**
 * The transition of a running instance in state `value` for an event its
 * machine's root handles without a target, computed directly: xstate would
 * select that one transition when its guard passes, run its update (no state
 * is left or entered), then look for eventless transitions. When none is
 * enabled the state stays and only the context changes, which is what this
 * returns, without building xstate snapshots. Otherwise (or for any other
 * event) it answers {@link NOT_DIRECT}: run xstate. {@link REFUSED}: the
 * guard failed, the event does not apply (xstate returns the same snapshot).
 * Neither `context` nor anything in it is changed.
 */
export function directTransition(machine: AnyStateMachine, value: unknown, context: WorkflowContext, event: WorkflowEvent): DirectSnapshot | typeof REFUSED | typeof NOT_DIRECT {
  const path = direct.get(machine);
  const handler = path?.handlers.get(event.type);
  if (!path || !handler) return NOT_DIRECT;
  const lists = eventlessOf(machine, path, value);
  if (!lists) return NOT_DIRECT;
  return owning(() => {
    // refused: xstate keeps the snapshot, then looks for eventless transitions, which a stored state never has enabled
    if (handler.guard && !handler.guard({ context, event })) return anyEnabled(lists, context, event) ? NOT_DIRECT : REFUSED;
    // as xstate's assign: the update's draft merged over the context
    const next: WorkflowContext = merged(handler.update, context, event);
    return { value, context: next, status: "active" as const, pending: anyEnabled(lists, next, event) };
  });
}

/** The type of the event {@link continueSnapshot} sends: no state handles it. */
const CONTINUE = "ruleflow.continue";

/**
 * Go on where {@link directTransition} stopped, when an eventless transition
 * is enabled: xstate, given an event no state handles, selects nothing, then
 * takes the eventless transitions (and the events they raise) exactly as it
 * would have after the handler's update within the original event's
 * macrostep. Their guards read only the context; their updates read the
 * event's time and comment, which the continuing event carries.
 */
export function continueSnapshot(machine: AnyStateMachine, direct: DirectSnapshot, event: WorkflowEvent): AnyMachineSnapshot {
  const snapshot = machine.resolveState({ value: direct.value as never, context: direct.context });
  return nextSnapshot(machine, snapshot, { ...event, type: CONTINUE } as unknown as WorkflowEvent);
}

/** A transition of a flat machine: its guard, the state it enters (undefined: none) and its updates. */
interface FlatTransition {
  readonly guard: GuardFn | undefined;
  readonly target: FlatState | undefined;
  readonly updates: readonly Update<WorkflowEvent>[];
}

/** A state of a flat machine (or its root), as xstate parsed it. */
interface FlatState {
  readonly key: string;
  readonly final: boolean;
  readonly entry: readonly Update<WorkflowEvent>[];
  readonly exit: readonly Update<WorkflowEvent>[];
  /** Eventless transitions, in xstate's order. */
  readonly always: readonly FlatTransition[];
  /** Transitions by event type, in xstate's order. */
  readonly on: ReadonlyMap<string, readonly FlatTransition[]>;
}

/**
 * A machine whose states are all atomic or final children of the root (a
 * workflow without parallel branches), with only inline guards and our own
 * `assign` updates: xstate's algorithm for it is short enough to run here,
 * without its snapshots (see {@link flatStep}).
 */
interface FlatMachine {
  readonly root: FlatState;
  readonly states: ReadonlyMap<string, FlatState>;
  readonly initial: FlatState;
  readonly context: (args: { input: WorkflowInput }) => WorkflowContext;
}

const flats = new WeakMap<AnyStateMachine, FlatMachine>();

/** xstate's parsed state node, the parts {@link learnFlat} reads. */
interface XNode {
  readonly key: string;
  readonly type: string;
  readonly parent?: XNode | undefined;
  readonly entry: readonly unknown[];
  readonly exit: readonly unknown[];
  readonly invoke: readonly unknown[];
  readonly always?: readonly XTransition[] | undefined;
  readonly transitions: ReadonlyMap<string, readonly XTransition[]>;
  readonly states: Readonly<Record<string, XNode>>;
  readonly initial?: { readonly target: readonly XNode[]; readonly actions: readonly unknown[] } | undefined;
}

interface XTransition {
  readonly guard?: unknown;
  readonly target?: readonly XNode[] | undefined;
  readonly actions: readonly unknown[];
  readonly reenter?: boolean | undefined;
}

/**
 * Learn a flat machine from xstate's own parse of it (so guards, targets and
 * the order of transitions are exactly the ones xstate selects from), or
 * nothing when anything in it is outside what {@link flatStep} runs.
 */
function learnFlat(machine: AnyStateMachine, contextFn: unknown): void {
  const root = machine.root as unknown as XNode;
  if (root.type !== "compound" || typeof contextFn !== "function" || !root.initial || root.initial.actions.length || root.initial.target.length !== 1) return;
  const byNode = new Map<XNode, FlatState>();
  const updatesOf = (actions: readonly unknown[]): Update<WorkflowEvent>[] | undefined => {
    const out: Update<WorkflowEvent>[] = [];
    for (const a of actions) {
      const fn = typeof a === "function" ? updates.get(a) : undefined;
      if (!fn) return undefined;
      out.push(fn);
    }
    return out;
  };
  const states = new Map<string, FlatState>();
  const shells: [XNode, { key: string; final: boolean; entry: Update<WorkflowEvent>[]; exit: Update<WorkflowEvent>[]; always: FlatTransition[]; on: Map<string, FlatTransition[]> }][] = [];
  for (const node of [root, ...Object.values(root.states)]) {
    if (node !== root && ((node.type !== "atomic" && node.type !== "final") || node.parent !== root)) return;
    const entry = updatesOf(node.entry);
    const exit = updatesOf(node.exit);
    if (!entry || !exit || node.invoke.length) return;
    const shell = { key: node.key, final: node.type === "final", entry, exit, always: [], on: new Map() };
    shells.push([node, shell]);
    byNode.set(node, shell);
    if (node !== root) states.set(node.key, shell);
  }
  const transitionOf = (t: XTransition): FlatTransition | undefined => {
    const fns = updatesOf(t.actions);
    if (!fns || t.reenter || (t.guard !== undefined && !isInlineGuard(t.guard))) return undefined;
    if (t.target && t.target.length > 1) return undefined;
    const target = t.target?.[0];
    const to = target && byNode.get(target);
    if (target && (!to || to === byNode.get(root))) return undefined;
    return { guard: t.guard, target: to, updates: fns };
  };
  for (const [node, shell] of shells) {
    for (const t of node.always ?? []) {
      const ft = transitionOf(t);
      if (!ft) return;
      shell.always.push(ft);
    }
    for (const [type, list] of node.transitions) {
      if (type === "*" || type.endsWith(".*") || type.startsWith("xstate.")) return;
      const fts: FlatTransition[] = [];
      for (const t of list) {
        const ft = transitionOf(t);
        if (!ft) return;
        fts.push(ft);
      }
      shell.on.set(type, fts);
    }
  }
  const initial = byNode.get(root.initial.target[0]!);
  if (!initial || initial === byNode.get(root)) return;
  flats.set(machine, { root: byNode.get(root)!, states, initial, context: contextFn as FlatMachine["context"] });
}

/** A snapshot the flat path computed. */
export interface FlatSnapshot {
  readonly value: string;
  readonly context: WorkflowContext;
  readonly status: "active" | "done";
}

/** Why the flat path gave up: the caller runs xstate instead (which does the same, or throws as xstate does). */
class NotFlat extends Error {}

/**
 * xstate's macrostep for a flat machine (StateMachine.transition and
 * getInitialSnapshot: microstep, exitStates, enterStates,
 * selectEventlessTransitions), written out for states that are all children
 * of the root: select the first transition whose guard passes in the state,
 * then in the root; exit the state, run the transition's updates, enter the
 * target (a final one ends the machine, then the exit updates of it and the
 * root run, as xstate does); then take eventless transitions (the state's
 * first, then the root's) until none is enabled or the machine is done.
 * Each update is merged over the context as xstate's `assign` does. A
 * transition to the state it leaves, and any exception, give up ({@link NotFlat}):
 * xstate decides those.
 */
function runFlat(flat: FlatMachine, state: FlatState, context: WorkflowContext, event: WorkflowEvent, selected: FlatTransition | undefined): FlatSnapshot {
  const run: FlatRun = { flat, ctx: context, current: state, done: false, event };
  if (selected) takeFlat(run, selected);
  const args = { context: run.ctx, event: event as unknown };
  for (let n = 0; !run.done; n++) {
    if (n > 10_000) throw new NotFlat();
    args.context = run.ctx;
    const t = firstEnabled(run.current.always, args) ?? firstEnabled(flat.root.always, args);
    if (!t) break;
    takeFlat(run, t);
  }
  return { value: run.current.key, context: run.ctx, status: run.done ? "done" : "active" };
}

/** A macrostep of {@link runFlat} under way (module functions on it: no closures per step). */
interface FlatRun {
  readonly flat: FlatMachine;
  ctx: WorkflowContext;
  current: FlatState;
  done: boolean;
  readonly event: WorkflowEvent;
}

/** Run updates in order, each merged over the context as xstate's `assign` merges. */
function applyFlat(run: FlatRun, fns: readonly Update<WorkflowEvent>[]): void {
  for (const fn of fns) run.ctx = merged(fn, run.ctx, run.event);
}

/** Take a transition: its updates alone, or exit, updates, entry (and the end of the machine at a final state). */
function takeFlat(run: FlatRun, t: FlatTransition): void {
  const to = t.target;
  if (!to) return applyFlat(run, t.updates);
  if (to === run.current) throw new NotFlat();
  applyFlat(run, run.current.exit);
  applyFlat(run, t.updates);
  run.current = to;
  applyFlat(run, to.entry);
  if (to.final) {
    run.done = true;
    // xstate runs the exit actions of every state it holds once the machine is done, last entered first
    applyFlat(run, to.exit);
    applyFlat(run, run.flat.root.exit);
  }
}

/** The first transition of `list` whose guard passes (or that has none). */
function firstEnabled(list: readonly FlatTransition[], args: { context: WorkflowContext; event: unknown }): FlatTransition | undefined {
  for (const t of list) if (!t.guard || t.guard(args)) return t;
  return undefined;
}

/**
 * The transition of an instance of a flat machine (a workflow without
 * parallel branches) in state `value`, computed as xstate computes it but
 * without its snapshots: {@link REFUSED} when nothing changes (xstate returns
 * the same snapshot), {@link NOT_DIRECT} when the machine is not flat or the
 * transition is one xstate must decide. Neither `context` nor anything in it
 * is changed.
 */
export function flatStep(machine: AnyStateMachine, value: unknown, context: WorkflowContext, event: WorkflowEvent): FlatSnapshot | typeof REFUSED | typeof NOT_DIRECT {
  const flat = flats.get(machine);
  const state = flat && typeof value === "string" ? flat.states.get(value) : undefined;
  if (!flat || !state || state.final || event.type.startsWith("xstate.")) return NOT_DIRECT;
  return owning(() => {
    try {
      const args = { context, event: event as unknown };
      let selected: FlatTransition | undefined;
      for (const s of [state, flat.root]) {
        const list = s.on.get(event.type);
        if (list) for (const t of list) if (!t.guard || t.guard(args)) {
          selected = t;
          break;
        }
        if (selected) break;
      }
      const next = runFlat(flat, state, context, event, selected);
      // no transition and no eventless one: xstate hands back the same snapshot
      return !selected && next.context === context && next.value === state.key ? REFUSED : next;
    } catch {
      return NOT_DIRECT;
    }
  });
}

/**
 * Go on from a {@link DirectSnapshot} with an eventless transition pending,
 * for a flat machine, as {@link continueSnapshot} does with xstate; undefined
 * when the machine is not flat or xstate must decide.
 */
export function flatContinue(machine: AnyStateMachine, direct: DirectSnapshot, event: WorkflowEvent): FlatSnapshot | undefined {
  const flat = flats.get(machine);
  const state = flat && typeof direct.value === "string" ? flat.states.get(direct.value) : undefined;
  if (!flat || !state) return undefined;
  return owning(() => {
    try {
      return runFlat(flat, state, direct.context, event, undefined);
    } catch {
      return undefined;
    }
  });
}

/**
 * The first snapshot of a new instance of a flat machine, as
 * {@link initialSnapshot} computes it with xstate; undefined when the machine
 * is not flat or xstate must decide.
 */
export function flatInitial(machine: AnyStateMachine, input: WorkflowInput): FlatSnapshot | undefined {
  const flat = flats.get(machine);
  if (!flat) return undefined;
  return owning(() => {
    try {
      // xstate's init event; the context as its pre-initial assign makes it
      const event = { type: "xstate.init", input } as unknown as WorkflowEvent;
      const context = Object.assign({}, flat.context({ input }));
      const initial = flat.initial;
      let ctx = context;
      // entered in xstate's order: the root, then the start state
      for (const fn of flat.root.entry) ctx = merged(fn, ctx, event);
      for (const fn of initial.entry) ctx = merged(fn, ctx, event);
      if (initial.final) {
        let c = ctx;
        for (const fn of initial.exit) c = merged(fn, c, event);
        for (const fn of flat.root.exit) c = merged(fn, c, event);
        return { value: initial.key, context: c, status: "done" as const };
      }
      return runFlat(flat, initial, ctx, event, undefined);
    } catch {
      return undefined;
    }
  });
}

function guard<E extends WorkflowEvent = WorkflowEvent>(fn: Guard<E>) {
  return ({ context, event }: { context: unknown; event: unknown }) => fn(context as WorkflowContext, event as E);
}

function exitNode(draft: Draft, id: string): void {
  draft.active = made(draft.active.filter((n) => n !== id));
  for (const prefix of ["esc", "task", "wait"]) cancelTimer(draft, `${prefix}:${id}`);
  if (Object.hasOwn(draft.ladders, id)) delete own(draft, "ladders")[id];
}

/** Handle a due escalation step. */
function runLadderStep(env: NodeEnv, d: Draft, node: string, at: number, dueAt: number): void {
  const spec = env.doc.nodes[node];
  const steps = spec && (spec.type === "approval" || spec.type === "task" || spec.type === "wait") ? spec.escalation : undefined;
  const ladder = d.ladders[node];
  if (!steps || !ladder) return;
  const step = steps[ladder.step]!;
  const approval = d.approvals[node];
  const current = approval ? actionableUsers(approval) : spec?.type === "task" && spec.assignee ? usersOf(d, spec.assignee) : [];
  const data = { node, at: iso(at), step: ladder.step, action: step.action };
  // the step's target as written, or computed from the instance data ({ "expr" })
  const target = (): { to: string; users: string[] } => {
    const specs = recipientSpecs(env, d, step.to ?? "initiator", `nodes.${node}.escalation.${ladder.step}.to`, `nodes.${node}.escalation[${ladder.step}].to`, at);
    return { to: specs.join(","), users: [...new Set(specs.flatMap((x) => usersOf(d, x)))] };
  };
  switch (step.action) {
    case "remind":
      notify(d, [{ to: "assignees", template: step.template ?? "approval-reminder" }], data, { assignees: current });
      break;
    case "notify": {
      const t = target();
      notify(d, [{ to: t.to, template: step.template ?? "escalation" }], data, { [t.to]: t.users });
      break;
    }
    case "escalate": {
      const t = target();
      const to = t.users;
      if (approval) {
        // the target may act once for each covered seat that is still pending, never for another
        const { state, covered } = escalateApproval(approval, to, seatFilter(d, step.for));
        // nothing of what the step names is still waiting: nobody to bother
        if (covered.length === 0) break;
        own(d, "approvals")[node] = state;
        notify(d, [{ to: t.to, template: step.template ?? "approval-escalated" }], { ...data, waitingOn: current, covers: covered }, { [t.to]: to });
        break;
      }
      notify(d, [{ to: t.to, template: step.template ?? "approval-escalated" }], { ...data, waitingOn: current }, { [t.to]: to });
      break;
    }
    case "reassign": {
      const to = target().users[0];
      if (approval && to) {
        // The step's current approvers are replaced by `to`: one slot takes
        // over; in every mode but vote (where weights count) the others are
        // removed, so `to` decides alone. The slots written are a copy: the
        // state as loaded is never written in place.
        const next = copyApproval(approval);
        own(d, "approvals")[node] = next;
        let taken = next.slots.some((o) => o.user === to && o.status === "pending");
        const covers = seatFilter(d, step.for);
        for (const s of next.slots) {
          if (s.status !== "pending" || !current.includes(s.user) || !covers(s)) continue;
          if (!taken || next.mode === "vote") {
            s.user = to;
            s.delegates = [];
            taken = true;
          } else {
            s.status = "removed";
            s.actedBy = "escalation";
            s.actedAt = at;
          }
        }
        requestApproval(d, node, [to], at);
      }
      break;
    }
    case "auto-approve":
    case "auto-reject":
      if (approval) own(d, "approvals")[node] = decideApproval(approval, step.action === "auto-approve" ? "approved" : "rejected");
      else if (d.tasks[node]) own(d, "tasks")[node] = { ...d.tasks[node], status: step.action === "auto-approve" ? "done" : "failed", error: "escalation" };
      else if (d.waits[node]) own(d, "waits")[node] = { status: step.action === "auto-approve" ? "done" : "timeout" };
      break;
  }
  // The next step counts from when this one was due, not from when it ran: a
  // timer that fires late (the engine was down) does not push the rest of the ladder back.
  if (ladder.repeatsLeft > 0) armLadder(env, d, node, steps, ladder.step, dueAt, ladder.repeatsLeft - 1);
  else if (ladder.step + 1 < steps.length) armLadder(env, d, node, steps, ladder.step + 1, dueAt);
  else delete own(d, "ladders")[node];
}

/**
 * Which seats an escalation step's `for` names: a seat filled by one of the
 * specs (`role:compliance`), or held by one of the users they resolve to.
 * Without `for`, every seat.
 */
function seatFilter(d: Draft, specs: string | readonly string[] | undefined): (slot: Slot) => boolean {
  if (specs === undefined) return () => true;
  const list = typeof specs === "string" ? [specs] : specs;
  const users = new Set(list.flatMap((f) => usersOf(d, f)));
  return (slot) => (slot.seat !== undefined && list.includes(slot.seat)) || users.has(slot.user);
}

function onTimer(env: NodeEnv, d: Draft, ev: On<"timer">): void {
  const key = ev.key;
  delete own(d, "timers")[key];
  const node = String(ev.node);
  if (key.startsWith("esc:")) return runLadderStep(env, d, node, ev.at, typeof ev.dueAt === "number" ? Math.min(ev.dueAt, ev.at) : ev.at);
  if (key.startsWith("wait:")) {
    if (d.waits[node]?.status === "waiting") own(d, "waits")[node] = { status: "timeout" };
    return;
  }
  if (key.startsWith("task:")) {
    const task = d.tasks[node];
    const spec = env.doc.nodes[node];
    if (!task || task.status !== "running" || spec?.type !== "task") return;
    if (ev.purpose === "timeout") return failTask(env, d, node, `timed out after ${spec.timeout}`, ev.at);
    // a retry is due
    const attempt = task.attempt + 1;
    own(d, "tasks")[node] = { ...task, attempt };
    own(d, "effects").push({ type: "task", node, generation: task.generation, attempt, handler: spec.handler, input: task.input });
    if (spec.timeout) armTimer(d, `task:${node}`, dueAfter(env, ev.at, spec.timeout, false), { node, purpose: "timeout", attempt });
  }
}

function failTask(env: NodeEnv, d: Draft, node: string, error: string, at: number): void {
  const task = d.tasks[node]!;
  const spec = env.doc.nodes[node] as Extract<WorkflowNode, { type: "task" }>;
  const max = spec.retries?.max ?? 0;
  if (task.attempt <= max) {
    own(d, "tasks")[node] = { ...task, error };
    const backoff = spec.retries!.backoff;
    // exponential: backoff, 2x, 4x ...
    let due = at;
    for (let i = 0; i < 2 ** (task.attempt - 1); i++) due = dueAfter(env, due, backoff, false);
    armTimer(d, `task:${node}`, due, { node, purpose: "retry", attempt: task.attempt + 1 });
  } else {
    own(d, "tasks")[node] = { ...task, status: "failed", error };
    cancelTimer(d, `task:${node}`);
    if (!spec.onError) d.error = `task "${node}" failed after ${task.attempt} attempt(s): ${error}`;
  }
}

/** Every node that becomes a state: nodes reachable from the start (in any region) and end nodes. */
function stateIds(env: NodeEnv, scope: Scope, out = new Set<string>()): Set<string> {
  for (const n of scope.nodes) out.add(n);
  for (const regions of scope.parallels.values()) for (const region of regions) stateIds(env, region, out);
  for (const [id, node] of Object.entries(env.doc.nodes)) if (node.type === "end") out.add(id);
  return out;
}

function buildNodeState(env: NodeEnv, id: string, node: WorkflowNode, scope: Scope, known: ReadonlySet<string>): Record<string, unknown> {
  const base = {
    id,
    entry: update((d, ev) => enterNode(env, d, id, ev)),
    exit: update((d) => exitNode(d, id)),
  };
  const to = (target: string): string => `#${target}`;
  switch (node.type) {
    case "approval": {
      const outcome = (ctx: WorkflowContext): string | undefined => ctx.approvals[id]?.outcome;
      // Only nodes that are states: a node nothing leads to cannot be visited, so never rejected back to.
      const rejectTargets = [...[...known].filter((n) => n !== id), RETURNED];
      return {
        ...base,
        always: [
          {
            guard: guard((c) => outcome(c) === "approved"),
            target: to(node.onApprove),
            actions: update((d) => {
              // who said yes: in a vote, those who said no are not approvers of the outcome
              own(d, "results")[id] = { outcome: "approved", approvers: d.approvals[id]!.slots.filter((s) => s.status === "approved" || s.status === "auto-passed").map((s) => s.actedBy ?? s.user) };
            }),
          },
          ...rejectTargets.map((t) => ({
            guard: guard((c) => {
              if (outcome(c) !== "rejected") return false;
              const r = rejectTarget(c, env.doc, id, c.approvals[id]!.rejectTo);
              return "target" in r && r.target === t && t !== node.onReject;
            }),
            target: to(t),
            actions: update((d) => {
              own(d, "results")[id] = { outcome: "rejected" };
              if (t === RETURNED) d.returnedFrom = id;
            }),
          })),
          { guard: guard((c) => outcome(c) === "rejected"), target: to(node.onReject), actions: update((d) => void (own(d, "results")[id] = { outcome: "rejected" })) },
        ],
      };
    }
    case "decision":
      return {
        ...base,
        always: [...new Set(Object.values(node.routes).concat(node.default ? [node.default] : []))].map((t) => ({
          guard: guard((c) => (c.results[id] as { route?: string } | undefined)?.route === t),
          target: to(t),
        })),
      };
    case "branch": {
      if (node.mode === "exclusive") {
        return {
          ...base,
          always: [...new Set(node.branches.map((b) => b.to).concat(node.default ? [node.default] : []))].map((t) => ({
            guard: guard((c) => (c.results[id] as { route?: string } | undefined)?.route === t),
            target: to(t),
          })),
        };
      }
      const regions = scope.parallels.get(id) ?? [];
      const entries = regionEntries(node);
      const states: Record<string, unknown> = {};
      regions.forEach((region, i) => {
        const done = `${id}__r${i}__done`;
        const inner: Record<string, unknown> = {
          __enter: {
            always: [
              { guard: guard((c) => (c.results[id] as { branches?: boolean[] } | undefined)?.branches?.[i] === true), target: to(entries[i] === node.join ? done : entries[i]!) },
              // a failed branch entry must reach the root's failure transition, not the join
              { guard: guard((c) => c.error === undefined), target: done },
            ],
          },
          [done]: { id: done, type: "final" },
        };
        for (const n of region.nodes) inner[n] = buildNodeState(env, n, retarget(env.doc.nodes[n]!, node.join!, done), region, known);
        states[`r${i}`] = { initial: "__enter", states: inner };
      });
      return { ...base, type: "parallel", states, onDone: { target: to(node.join!) } };
    }
    case "join":
    case "notify":
      // a notify whose recipients could not be worked out fails the instance instead of moving on
      return { ...base, always: { guard: guard((c) => c.error === undefined), target: to(node.next) } };
    case "task":
      return {
        ...base,
        always: [
          { guard: guard((c) => c.tasks[id]?.status === "done"), target: to(node.next) },
          ...(node.onError ? [{ guard: guard((c) => c.tasks[id]?.status === "failed"), target: to(node.onError) }] : []),
        ],
      };
    case "wait":
      return {
        ...base,
        always: [
          { guard: guard((c) => c.waits[id]?.status === "done"), target: to(node.next) },
          { guard: guard((c) => c.waits[id]?.status === "timeout"), target: to(node.onTimeout ?? node.next) },
        ],
      };
    case "end":
      return { id, type: "final", entry: update((d, ev) => {
        enterNode(env, d, id, ev);
        cancelAllTimers(d);
      }) };
  }
}

/** Inside a region, references to the join go to the region's final state instead. */
function retarget(node: WorkflowNode, join: string, done: string): WorkflowNode {
  const r = (t: string): string => (t === join ? done : t);
  switch (node.type) {
    case "approval":
      return { ...node, onApprove: r(node.onApprove), onReject: r(node.onReject) };
    case "decision":
      return { ...node, routes: Object.fromEntries(Object.entries(node.routes).map(([k, v]) => [k, r(v)])), ...(node.default ? { default: r(node.default) } : {}) };
    case "branch":
      return { ...node, branches: node.branches.map((b) => ({ ...b, to: r(b.to) })), ...(node.default ? { default: r(node.default) } : {}), ...(node.join ? { join: r(node.join) } : {}) };
    case "join":
    case "notify":
      return { ...node, next: r(node.next) };
    case "task":
      return { ...node, next: r(node.next), ...(node.onError ? { onError: r(node.onError) } : {}) };
    case "wait":
      return { ...node, next: r(node.next), ...(node.onTimeout ? { onTimeout: r(node.onTimeout) } : {}) };
    case "end":
      return node;
  }
}

/** Build the machine for a workflow. */
export function buildMachine(env: NodeEnv, scope: Scope): AnyStateMachine {
  const doc = env.doc;
  const states: Record<string, unknown> = {};
  const known = stateIds(env, scope);
  for (const id of scope.nodes) states[id] = buildNodeState(env, id, doc.nodes[id]!, scope, known);
  for (const [id, node] of Object.entries(doc.nodes)) if (node.type === "end") states[id] = buildNodeState(env, id, node, scope, known);
  const finalEntry = update((d) => {
    for (const n of [...d.active]) exitNode(d, n);
    cancelAllTimers(d);
  });
  states[SYSTEM_FINALS.withdrawn] = { id: SYSTEM_FINALS.withdrawn, type: "final", entry: finalEntry };
  states[SYSTEM_FINALS.cancelled] = { id: SYSTEM_FINALS.cancelled, type: "final", entry: finalEntry };
  states[SYSTEM_FINALS.failed] = { id: SYSTEM_FINALS.failed, type: "final", entry: finalEntry };
  states[RETURNED] = {
    id: RETURNED,
    entry: update((d, ev) => notify(d, [{ to: "initiator", template: "request-returned" }], { node: d.returnedFrom, at: iso(ev.at), comment: ev.comment })),
    on: {
      resubmit: [...known].map((n) => ({
        guard: guard<On<"resubmit">>((c, ev) => ev.actor === c.initiator && c.returnedFrom === n),
        target: `#${n}`,
        actions: update((d) => void delete d.returnedFrom, { deletes: true }),
      })),
    },
  };

  // What the guard resolved, for the update that follows it: xstate and the direct path run the update
  // on a draft copied from the context the guard saw, with the same event (anything else resolves again).
  let resolved: { context: WorkflowContext; event: Stamped<ApprovalEvent>; result: ReturnType<typeof resolveApprovalEvent> } | undefined;
  const approvalHandlers = Object.fromEntries(
    [...APPROVAL_EVENTS].map((type) => [
      type,
      {
        guard: guard<Stamped<ApprovalEvent>>((c, ev) => {
          const result = resolveApprovalEvent(c, doc, ev);
          const passes = "node" in result;
          // kept only for the update a passing guard is followed by
          resolved = passes ? { context: c, event: ev, result } : undefined;
          return passes;
        }),
        actions: update<Stamped<ApprovalEvent>>((d, ev) => {
          const r = resolved && resolved.context === draftSource && resolved.event === ev ? resolved.result : resolveApprovalEvent(d, doc, ev);
          resolved = undefined;
          if (!("node" in r)) return;
          const fresh = applyApprovalEvent(d, r.node, r.action);
          requestApproval(d, r.node, fresh, ev.at);
        }),
      },
    ]),
  );

  const config: Record<string, unknown> = {
    id: doc.id,
    // the containers are new: writable in this (the first) machine call without a copy
    // (no input: the actor scopeOf makes once, whose snapshot is thrown away)
    context: ({ input: given }: { input: WorkflowInput | undefined }): WorkflowContext => {
      const input = given ?? ({} as WorkflowInput);
      return {
        // field by field, in the order of WorkflowInput as stepStart builds it (a spread here was a slow path)
        instanceId: input.instanceId,
        definitionId: input.definitionId,
        definitionVersion: input.definitionVersion,
        initiator: input.initiator,
        input: input.input,
        startedAt: input.startedAt,
        directory: input.directory,
        results: made({}),
        approvals: made({}),
        tasks: made({}),
        waits: made({}),
        ladders: made({}),
        timers: made({}),
        timerSeq: 0,
        active: made([]),
        history: made([]),
        approvedBy: made([]),
        effects: made([]),
      };
    },
    initial: doc.start,
    states,
    always: [{ guard: guard((c) => c.error !== undefined), target: `#${SYSTEM_FINALS.failed}` }],
    on: {
      ...approvalHandlers,
      withdraw: { guard: guard<On<"withdraw">>((c, ev) => ev.actor === c.initiator), target: `#${SYSTEM_FINALS.withdrawn}` },
      cancel: { target: `#${SYSTEM_FINALS.cancelled}` },
      remind: {
        guard: guard<On<"remind">>((c, ev) => ev.actor === c.initiator && c.active.some((n) => c.approvals[n] && !c.approvals[n].outcome)),
        actions: update<On<"remind">>((d, ev) => {
          for (const n of d.active) {
            const a = d.approvals[n];
            if (a && !a.outcome) notify(d, [{ to: "assignees", template: "approval-reminder" }], { node: n, at: iso(ev.at), by: ev.actor }, { assignees: actionableUsers(a) });
          }
        }),
      },
      cc: {
        guard: guard<On<"cc">>((c, ev) => participants(c).has(ev.actor) && Array.isArray(ev.to) && ev.to.length > 0),
        actions: update<On<"cc">>((d, ev) => {
          for (const user of ev.to) notify(d, [{ to: user, template: "cc" }], { at: iso(ev.at), by: ev.actor, comment: ev.comment, node: ev.node ?? d.active[0] });
        }),
      },
      timer: {
        guard: guard<On<"timer">>((c, ev) => c.timers[ev.key] === ev.generation),
        actions: update<On<"timer">>((d, ev) => onTimer(env, d, ev)),
      },
      "task.done": {
        guard: guard<On<"task.done">>((c, ev) => {
          const t = c.tasks[ev.node];
          return !!t && t.status === "running" && t.generation === ev.generation && t.attempt === ev.attempt;
        }),
        actions: update<On<"task.done">>((d, ev) => {
          const node = ev.node;
          own(d, "tasks")[node] = { ...d.tasks[node]!, status: "done" };
          own(d, "results")[node] = ev.result ?? null;
          cancelTimer(d, `task:${node}`);
        }),
      },
      "task.failed": {
        guard: guard<On<"task.failed">>((c, ev) => {
          const t = c.tasks[ev.node];
          return !!t && t.status === "running" && t.generation === ev.generation && t.attempt === ev.attempt;
        }),
        actions: update<On<"task.failed">>((d, ev) => {
          const node = ev.node;
          failTask(env, d, node, String(ev.error ?? "failed"), ev.at);
        }),
      },
      domain: {
        guard: guard<On<"domain">>((c, ev) => matchingWaits(env, c, ev).length > 0),
        actions: update<On<"domain">>((d, ev) => {
          for (const n of matchingWaits(env, d, ev)) {
            own(d, "waits")[n] = { status: "done" };
            own(d, "results")[n] = { event: ev.name, data: ev.data ?? null, at: iso(ev.at) };
          }
        }),
      },
    },
  };
  // The configuration is built from data, so it is typed loosely here; the
  // context and events are checked by WorkflowContext / WorkflowEvent.
  const machine = setup({}).createMachine(config as never) as unknown as AnyStateMachine;
  learnDirectPath(machine, config["on"] as Record<string, unknown>);
  learnFlat(machine, config["context"]);
  return machine;
}

/** Active wait nodes for which a domain event is meant. */
export function matchingWaits(env: NodeEnv, c: WorkflowContext, ev: Pick<On<"domain">, "name" | "data" | "at">): string[] {
  return c.active.filter((n) => {
    const spec = env.doc.nodes[n];
    if (spec?.type !== "wait" || spec.event !== ev.name || c.waits[n]?.status !== "waiting") return false;
    if (!spec.match) return true;
    const v = env.parts.expressions.get(`nodes.${n}.match`)!.evaluate(factsOf(c, { event: { name: ev.name, data: ev.data ?? null } }), { at: iso(ev.at) });
    return v === true;
  });
}
