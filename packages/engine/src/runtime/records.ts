/**
 * From a machine transition to storage records: the next stored instance,
 * its timers, outbox entries and audit record, and the read-only view hosts
 * see.
 */
import { actionableUsers } from "../workflow/approval.js";
import type { EvaluationWarning } from "../core/context.js";
import type { Effect, WorkflowContext } from "../workflow/context.js";
import { emptyList, shareEmpty } from "../workflow/empty.js";
import type { RecordedEvent } from "../workflow/events.js";
import { RETURNED, SYSTEM_FINALS } from "../workflow/machine.js";
import { iso } from "../workflow/node-entry.js";
import type { AuditRecord, Commit, InstanceStatus, OutboxEntry, StoredInstance, TimerRecord } from "./ports.js";

/** A machine snapshot as the engine persists it. */
export interface SnapshotLike {
  readonly value: unknown;
  readonly context: unknown;
  readonly status: string;
}

/** Context fields that may hold an empty list or record, stored as the shared one. */
const SHAREABLE: ReadonlySet<string> = new Set(["input", "directory", "results", "approvals", "tasks", "waits", "ladders", "timers", "active", "history", "approvedBy"]);

/**
 * A copy of `source`'s own fields, in order, each passed through `map`, made
 * by adding one field at a time. Records the storage keeps are made so, not by
 * spreading: V8 gives an object spread in hot code from a frozen record a map
 * of its own, which the record then keeps (a kilobyte and more per stored
 * instance); fields added one at a time share the maps of every record alike.
 */
function copyFields<T extends object>(source: T, map: (key: string, value: unknown) => unknown): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const v = map(key, (source as Record<string, unknown>)[key]);
    // a key "__proto__" (JSON may have one) is data, not the prototype
    if (key === "__proto__") Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out as T;
}

/** The fields of a new instance's base, in order (stepStart). */
const START_BASE = ["id", "definitionId", "definitionVersion", "initiator", "createdAt"];
/** The fields of a stored running instance, in order (as recordsOf writes it). */
const STORED_RUNNING = [...START_BASE, "version", "status", "assignees", "waitingFor", "state", "updatedAt"];

/** Whether `o`'s own keys are exactly `keys`, in order. */
function hasKeys(o: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in o) if (!Object.hasOwn(o, key) || key !== keys[i++]) return false;
  return i === keys.length;
}

/**
 * `{ ...base, version, status, outcome?, assignees, waitingFor, state, updatedAt }`:
 * the same fields in the same order, as a literal when `base` is a start's
 * base or a running instance as stored (all fields in the object, no map of
 * its own), else field by field.
 */
function instanceRecord(base: object, version: number, status: InstanceStatus, outcome: string | undefined, assignees: string[], waitingFor: string[], state: StoredInstance["state"], updatedAt: number): StoredInstance {
  const b = base as StoredInstance;
  if (hasKeys(base, START_BASE)) {
    return outcome === undefined
      ? { id: b.id, definitionId: b.definitionId, definitionVersion: b.definitionVersion, initiator: b.initiator, createdAt: b.createdAt, version, status, assignees, waitingFor, state, updatedAt }
      : { id: b.id, definitionId: b.definitionId, definitionVersion: b.definitionVersion, initiator: b.initiator, createdAt: b.createdAt, version, status, outcome, assignees, waitingFor, state, updatedAt };
  }
  if (hasKeys(base, STORED_RUNNING)) {
    // a field the base lacks comes last, as in the spread
    return outcome === undefined
      ? { id: b.id, definitionId: b.definitionId, definitionVersion: b.definitionVersion, initiator: b.initiator, createdAt: b.createdAt, version, status, assignees, waitingFor, state, updatedAt }
      : { id: b.id, definitionId: b.definitionId, definitionVersion: b.definitionVersion, initiator: b.initiator, createdAt: b.createdAt, version, status, assignees, waitingFor, state, updatedAt, outcome };
  }
  const out = copyFields(base, (_key, v) => v) as Record<string, unknown>;
  out["version"] = version;
  out["status"] = status;
  if (outcome !== undefined) out["outcome"] = outcome;
  out["assignees"] = assignees;
  out["waitingFor"] = waitingFor;
  out["state"] = state;
  out["updatedAt"] = updatedAt;
  return out as unknown as StoredInstance;
}

/** The fields every context starts with, in order (the machine's context factory). */
const CONTEXT_FIELDS = ["instanceId", "definitionId", "definitionVersion", "initiator", "input", "startedAt", "directory", "results", "approvals", "tasks", "waits", "ladders", "timers", "timerSeq", "active", "history", "approvedBy", "effects"];

/**
 * The context to store: `{ ...context, effects: [] }` with every empty list
 * and record the shared empty one. A literal for the fields every context
 * starts with (when they come first, in order), then the others field by field.
 */
function storedContext(c: WorkflowContext): WorkflowContext {
  let i = 0;
  let canonical = true;
  for (const key in c) {
    if (i === CONTEXT_FIELDS.length) break;
    if (!Object.hasOwn(c, key) || key !== CONTEXT_FIELDS[i++]) {
      canonical = false;
      break;
    }
  }
  if (!canonical || i < CONTEXT_FIELDS.length) {
    const out = copyFields(c, (key, v) => (key === "effects" ? emptyList<Effect>() : SHAREABLE.has(key) ? shareEmpty(v) : v));
    if (!Object.hasOwn(out, "effects")) out.effects = emptyList<Effect>();
    return out;
  }
  const out: WorkflowContext = {
    instanceId: c.instanceId,
    definitionId: c.definitionId,
    definitionVersion: c.definitionVersion,
    initiator: c.initiator,
    input: shareEmpty(c.input),
    startedAt: c.startedAt,
    directory: shareEmpty(c.directory),
    results: shareEmpty(c.results),
    approvals: shareEmpty(c.approvals),
    tasks: shareEmpty(c.tasks),
    waits: shareEmpty(c.waits),
    ladders: shareEmpty(c.ladders),
    timers: shareEmpty(c.timers),
    timerSeq: c.timerSeq,
    active: shareEmpty(c.active),
    history: shareEmpty(c.history),
    approvedBy: shareEmpty(c.approvedBy),
    effects: emptyList<Effect>(),
  };
  // the fields set later (error, returnedFrom, outcome, ...), in their order
  for (const key of Object.keys(c)) if (!CONTEXT_KEYS.has(key)) (out as unknown as Record<string, unknown>)[key] = (c as unknown as Record<string, unknown>)[key];
  return out;
}

const CONTEXT_KEYS: ReadonlySet<string> = new Set(CONTEXT_FIELDS);

/** `{ ...fields, at }`, made as {@link copyFields} makes records. */
function withAt(fields: Record<string, unknown>, at: number): Record<string, unknown> {
  const out = copyFields(fields, (_key, v) => v);
  // as in a spread: a field `at` already there keeps its place and takes the new value
  out["at"] = at;
  return out;
}

/** Status and outcome of a snapshot. */
function statusOf(snapshot: SnapshotLike): { status: InstanceStatus; outcome?: string | undefined } {
  const ctx = snapshot.context as WorkflowContext;
  if (snapshot.status !== "done") return { status: "running" };
  switch (snapshot.value) {
    case SYSTEM_FINALS.withdrawn:
      return { status: "withdrawn" };
    case SYSTEM_FINALS.cancelled:
      return { status: "cancelled" };
    case SYSTEM_FINALS.failed:
      return { status: "failed" };
    default:
      return { status: "completed", outcome: ctx.outcome };
  }
}

/** Users who can act on the instance now. */
function assigneesOf(ctx: WorkflowContext, value: unknown): string[] {
  const users = new Set<string>();
  // indexed: ctx.active is frozen (see workflow/approval.ts on frozen arrays)
  const active = ctx.active;
  for (let i = 0; i < active.length; i++) {
    const a = ctx.approvals[active[i]!];
    if (a && !a.outcome) for (const u of actionableUsers(a)) users.add(u);
  }
  if (value === RETURNED) users.add(ctx.initiator);
  return [...users].sort();
}

/**
 * A commit the engine built (see {@link engineCommit}): known by the private
 * field of its module-private class, which only the constructor gives. So a
 * copy of the commit is not trusted, whether a plain object
 * (`{ ...commit }`, what a wrapping storage may pass on) or one with the same
 * prototype (`Object.create(proto)` and its fields assigned, as deep-clone
 * utilities make them): a copy may hold objects no storage has checked. A
 * class instead of a mark added to the object: its fields are set in one
 * shape by the constructor (a property defined afterwards, or a WeakSet
 * entry, cost a few per cent of a transition).
 */
class EngineCommit implements Commit {
  /** The brand: only objects this constructor made have it. */
  readonly #built = true;
  /** Whether `commit` was made by this class's constructor (a private brand check: no copy has it). */
  static isOne(commit: object): boolean {
    return #built in commit;
  }
  readonly instance: StoredInstance;
  readonly timersToSet: readonly TimerRecord[];
  readonly timerIdsToCancel: readonly string[];
  readonly outbox: readonly OutboxEntry[];
  readonly audit: AuditRecord;
  readonly expectedVersion: number | null;
  constructor(records: Omit<Commit, "expectedVersion">, expectedVersion: number | null) {
    // the order of a spread `{ ...records, expectedVersion }`, as before
    this.instance = records.instance;
    this.timersToSet = records.timersToSet;
    this.timerIdsToCancel = records.timerIdsToCancel;
    this.outbox = records.outbox;
    this.audit = records.audit;
    this.expectedVersion = expectedVersion;
  }
}

/**
 * A commit the engine built from a transition: every object in it is new
 * (made by the step) or was frozen by a storage when an earlier commit was
 * written (the instance's input and the parts of its state the transition
 * did not change); nothing a host gave the engine is in it uncopied. The
 * memory storage then checks and freezes only the new parts.
 */
export function engineCommit(records: Omit<Commit, "expectedVersion">, expectedVersion: number | null): Commit {
  return new EngineCommit(records, expectedVersion);
}

/** Whether `commit` is one {@link engineCommit} made (not a copy of it, whatever its prototype). */
export const isEngineCommit = (commit: Commit): boolean => EngineCommit.isOne(commit);

/** The storage records one transition produces. */
export interface TransitionRecords {
  instance: StoredInstance;
  timersToSet: TimerRecord[];
  timerIdsToCancel: string[];
  outbox: OutboxEntry[];
  audit: AuditRecord;
}

/** Turn a transition's effects into records. `waitingFor` comes from the caller (it knows the definition). */
export function recordsOf(args: {
  previous: StoredInstance | undefined;
  snapshot: SnapshotLike;
  effects: readonly Effect[];
  event: RecordedEvent;
  base: Pick<StoredInstance, "id" | "definitionId" | "definitionVersion" | "initiator" | "createdAt">;
  waitingFor: string[];
  firedTimerId?: string | undefined;
  newId: () => string;
}): TransitionRecords {
  const { previous, snapshot, effects, event, base } = args;
  // an empty list or record is stored as the one shared empty one (frozen): an idle instance holds several
  const ctx = storedContext(snapshot.context as WorkflowContext);
  const version = (previous?.version ?? 0) + 1;
  const { status, outcome } = statusOf(snapshot);
  const assignees = status === "running" ? shareEmpty(assigneesOf(ctx, snapshot.value)) : emptyList<string>();
  const waitingFor = status === "running" ? shareEmpty(args.waitingFor) : emptyList<string>();
  const state = { value: snapshot.value, context: ctx };
  const instance = instanceRecord(base, version, status, outcome, assignees, waitingFor, state, event.at);
  const timersToSet: TimerRecord[] = [];
  const cancelled: string[] = args.firedTimerId ? [args.firedTimerId] : [];
  const outbox: OutboxEntry[] = [];
  // notes of the transition (who acted for whom) go with the recorded event
  const notes: Record<string, unknown>[] = [];
  // comparisons that met a missing value while this transition evaluated (docs/workflows.md)
  const warnings: EvaluationWarning[] = [];
  for (let i = 0; i < effects.length; i++) {
    const e = effects[i]!;
    switch (e.type) {
      case "timer.set":
        timersToSet.push({ id: `${base.id}/${e.key}/${e.generation}`, instanceId: base.id, key: e.key, generation: e.generation, dueAt: e.dueAt, event: e.event });
        break;
      case "timer.cancel": {
        const id = `${base.id}/${e.key}/${e.generation}`;
        if (!cancelled.includes(id)) cancelled.push(id);
        break;
      }
      case "notify":
        outbox.push({
          id: args.newId(),
          kind: "notification",
          instanceId: base.id,
          idempotencyKey: `${base.id}/${version}/${i}`,
          payload: e.channel
            ? { to: e.to, recipients: e.recipients, template: e.template, channel: e.channel, data: e.data, at: event.at }
            : { to: e.to, recipients: e.recipients, template: e.template, data: e.data, at: event.at },
          status: "pending",
          attempts: 0,
          nextAttemptAt: event.at,
          createdAt: event.at,
        });
        break;
      case "task":
        outbox.push({
          id: args.newId(),
          kind: "task",
          instanceId: base.id,
          idempotencyKey: `${base.id}/task/${e.node}/${e.generation}/${e.attempt}`,
          payload: { node: e.node, generation: e.generation, attempt: e.attempt, handler: e.handler, input: e.input },
          status: "pending",
          attempts: 0,
          nextAttemptAt: event.at,
          createdAt: event.at,
        });
        break;
      case "note":
        notes.push(e.data);
        break;
      case "warning":
        warnings.push(e.warning);
        break;
    }
  }
  // A timer set and cancelled in the same transition is never written.
  const timerIdsToCancel = timersToSet.length ? cancelled.filter((id) => !timersToSet.some((t) => t.id === id)) : cancelled;
  const keptTimers = cancelled.length ? timersToSet.filter((t) => !cancelled.includes(t.id)) : timersToSet;
  const { at: _at, ...eventData } = event;
  if (warnings.length) notes.push({ warnings });
  const audit: AuditRecord = {
    id: args.newId(),
    instanceId: base.id,
    version,
    at: event.at,
    actor: event.actor ?? (event.type === "timer" ? "timer" : "system"),
    action: event.type,
    ...("comment" in event && event.comment !== undefined ? { comment: event.comment } : {}),
    definitionId: base.definitionId,
    definitionVersion: base.definitionVersion,
    before: previous ? { value: previous.state.value, status: previous.status } : null,
    after: { value: snapshot.value, status },
    event: notes.reduce<Record<string, unknown>>((e, note) => Object.assign(e, note), withAt(eventData, event.at)),
  };
  return { instance, timersToSet: keptTimers, timerIdsToCancel, outbox, audit };
}

/** What hosts see of an instance. */
export interface InstanceView {
  id: string;
  definitionId: string;
  definitionVersion: number;
  version: number;
  status: InstanceStatus;
  outcome?: string | undefined;
  /** The xstate state value (node ids). */
  state: unknown;
  /** Nodes active now. */
  activeNodes: string[];
  initiator: string;
  input: Record<string, unknown>;
  /** Users who can act now. */
  assignees: readonly string[];
  /** Approval steps with each approver's status. */
  approvals: Record<
    string,
    {
      mode: string;
      outcome?: string | undefined;
      approvers: {
        user: string;
        status: string;
        delegates: string[];
        /** The assignee spec that filled the seat (`role:compliance`). */
        seat?: string | undefined;
        /** Escalation targets who may still act once for this seat. */
        escalatedTo?: string[] | undefined;
        actedBy?: string | undefined;
        /** How `actedBy` acted for the seat's user when it is someone else. */
        actedAs?: "delegate" | "escalation" | undefined;
        comment?: string | undefined;
        /** A later approver of the sequential chain sent the request back to this seat (reject to "previous"), saying why. */
        returnedBy?: string | undefined;
        returnComment?: string | undefined;
      }[];
    }
  >;
  results: Record<string, unknown>;
  error?: string | undefined;
  createdAt: string;
  updatedAt: string;
}

let lastCreated = Number.NaN;
let lastCreatedIso = "";

/** ISO-8601 of a creation time (the last one kept: views of one instance come in a row). */
function isoOf(ms: number): string {
  if (ms !== lastCreated) {
    lastCreatedIso = new Date(ms).toISOString();
    lastCreated = ms;
  }
  return lastCreatedIso;
}

/**
 * A deep copy of JSON data (plain objects, lists, primitives); anything else
 * (a Date in a host's input) is copied by `structuredClone`.
 */
function copyJson<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) return value.map(copyJson) as T;
  const proto: unknown = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return structuredClone(value);
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = copyJson((value as Record<string, unknown>)[key]);
    // a key "__proto__" (JSON may have one) is data, not the prototype
    if (key === "__proto__") Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    else out[key] = v;
  }
  return out as T;
}

/**
 * Build the host-facing view of a stored instance. The view is the host's
 * own: nothing in it is shared with the record (which a storage may keep
 * frozen), so the host may change it.
 */
export function viewOf(i: StoredInstance): InstanceView {
  const ctx = i.state.context as WorkflowContext;
  const approvals: InstanceView["approvals"] = {};
  for (const node of Object.keys(ctx.approvals)) {
    const a = ctx.approvals[node]!;
    const approvers: InstanceView["approvals"][string]["approvers"] = [];
    for (let k = 0; k < a.slots.length; k++) {
      const s = a.slots[k]!;
      // the same fields in the same order as ever; optional ones only when set
      const v: InstanceView["approvals"][string]["approvers"][number] = { user: s.user, status: s.status, delegates: [...s.delegates] };
      if (s.seat !== undefined) v.seat = s.seat;
      if (s.escalatedTo?.length) v.escalatedTo = [...s.escalatedTo];
      if (s.actedBy) v.actedBy = s.actedBy;
      if (s.actedAs) v.actedAs = s.actedAs;
      if (s.comment) v.comment = s.comment;
      if (s.returnedBy) v.returnedBy = s.returnedBy;
      if (s.returnComment) v.returnComment = s.returnComment;
      approvers.push(v);
    }
    approvals[node] = a.outcome ? { mode: a.mode, outcome: a.outcome, approvers } : { mode: a.mode, approvers };
  }
  const view: InstanceView = { id: i.id, definitionId: i.definitionId, definitionVersion: i.definitionVersion, version: i.version, status: i.status } as InstanceView;
  if (i.outcome !== undefined) view.outcome = i.outcome;
  view.state = copyJson(i.state.value);
  view.activeNodes = [...ctx.active];
  view.initiator = i.initiator;
  view.input = copyJson(ctx.input);
  view.assignees = [...i.assignees];
  view.approvals = approvals;
  view.results = copyJson(ctx.results);
  if (ctx.error) view.error = ctx.error;
  view.createdAt = isoOf(i.createdAt);
  view.updatedAt = iso(i.updatedAt);
  return view;
}
