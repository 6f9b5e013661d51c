/**
 * Every event a workflow instance accepts, as discriminated unions: the
 * operations people send (`InstanceEvent`, through `engine.send`) and the
 * events the engine makes itself (timers, task results, domain events,
 * cancelling). And `checkInstanceEvent`, the runtime check that turns an
 * event from untrusted JSON into an `InstanceEvent`, or says which field is
 * wrong.
 */
import { ArgumentError } from "../core/errors.js";
import { refusal, type RefusalReason } from "../i18n/messages/refusals.js";

/** Where `addSigner` puts the new signers in a sequential chain (`parallel`: beside the current seat). */
export type SignerPosition = "before" | "after" | "parallel";

/** What every operation a person sends carries. */
interface PersonEventBase {
  /** Who acts: a user id such as `user:chen`. */
  actor: string;
  /** A note for the audit record (and, on approve and reject, for the approver's seat). */
  comment?: string | undefined;
}

/** Operations on an approval node name it when several approval nodes are active. */
interface ApprovalTarget {
  /** Which approval node, when several are active; without it, the one the actor can act on. */
  node?: string | undefined;
}

/** Approve: the actor's seat, or the seat of `onBehalfOf` that they may act for (delegate, escalation target). */
export interface ApproveEvent extends PersonEventBase, ApprovalTarget {
  type: "approve";
  /** The user whose seat the actor acts for, e.g. `user:chen`. */
  onBehalfOf?: string | undefined;
}

/** Reject, optionally sending the request back instead of to the node's `onReject`. */
export interface RejectEvent extends PersonEventBase, ApprovalTarget {
  type: "reject";
  /** The user whose seat the actor acts for. */
  onBehalfOf?: string | undefined;
  /**
   * Where the rejection goes: `end` (the node's `onReject`, the default),
   * `previous` (the previous approver or waiting step), `initiator` (back to
   * the initiator to resubmit) or the id of a node visited before.
   */
  to?: string | undefined;
}

/** Let another user act for the actor's seat as well (the actor keeps it). */
export interface DelegateEvent extends PersonEventBase, ApprovalTarget {
  type: "delegate";
  /** The delegate: a user id, or a spec resolving to exactly one user (`manager-of:user:li`). */
  to: string;
}

/** Hand the actor's seat over to another user. */
export interface TransferEvent extends PersonEventBase, ApprovalTarget {
  type: "transfer";
  /** The new holder: a user id, or a spec resolving to exactly one user. */
  to: string;
}

/** Add signers to the approval node (a current approver or the initiator). */
export interface AddSignerEvent extends PersonEventBase, ApprovalTarget {
  type: "addSigner";
  /** User ids or specs (`role:finance`), resolved through the Directory. */
  users: string[];
  /** Default `after`. */
  position?: SignerPosition | undefined;
}

/** Remove a pending signer (the initiator, or whoever added them). */
export interface RemoveSignerEvent extends PersonEventBase, ApprovalTarget {
  type: "removeSigner";
  /** The pending signer to remove. */
  user: string;
}

/** The initiator takes the request back: the instance ends `withdrawn`. */
export interface WithdrawEvent extends PersonEventBase {
  type: "withdraw";
}

/** The initiator sends a request that was returned to them back to the step that returned it. */
export interface ResubmitEvent extends PersonEventBase {
  type: "resubmit";
}

/** The initiator reminds the approvers who can act now. */
export interface RemindEvent extends PersonEventBase {
  type: "remind";
}

/** A participant (the initiator or an approver) copies others in. */
export interface CcEvent extends PersonEventBase, ApprovalTarget {
  type: "cc";
  /** User ids or specs to notify: at least one. */
  to: string[];
}

/**
 * An operation a person (or the host for them) sends to an instance with
 * `engine.send`. Narrow on `type`:
 *
 * @example
 * ```ts
 * await engine.send(id, { type: "approve", actor: "user:chen", comment: "KYC done" });
 * await engine.send(id, { type: "reject", actor: "user:chen", to: "initiator", comment: "add the contract" });
 * await engine.send(id, { type: "delegate", actor: "user:chen", to: "user:lu" });
 * await engine.send(id, { type: "addSigner", actor: "user:chen", users: ["role:legal"], position: "after" });
 * await engine.send(id, { type: "cc", actor: "user:li", to: ["user:zhao"] });
 * ```
 */
export type InstanceEvent =
  | ApproveEvent
  | RejectEvent
  | DelegateEvent
  | TransferEvent
  | AddSignerEvent
  | RemoveSignerEvent
  | WithdrawEvent
  | ResubmitEvent
  | RemindEvent
  | CcEvent;

/** The `type` of an {@link InstanceEvent}. */
export type InstanceEventType = InstanceEvent["type"];

/** Operations on an approval node. */
export type ApprovalEvent = ApproveEvent | RejectEvent | DelegateEvent | TransferEvent | AddSignerEvent | RemoveSignerEvent;

/** The types of {@link ApprovalEvent}s. */
export const APPROVAL_EVENT_TYPES = ["approve", "reject", "delegate", "transfer", "addSigner", "removeSigner"] as const satisfies readonly ApprovalEvent["type"][];

/** Every operation a person can send: the types of {@link InstanceEvent}. */
export const INSTANCE_EVENT_TYPES = [...APPROVAL_EVENT_TYPES, "withdraw", "resubmit", "remind", "cc"] as const satisfies readonly InstanceEventType[];

// Both lists name every member of their union (a compile error otherwise).
type Missing<U, L extends readonly unknown[]> = Exclude<U, L[number]>;
const allApprovalTypes: [Missing<ApprovalEvent["type"], typeof APPROVAL_EVENT_TYPES>] extends [never] ? true : never = true;
const allInstanceTypes: [Missing<InstanceEventType, typeof INSTANCE_EVENT_TYPES>] extends [never] ? true : never = true;
void allApprovalTypes;
void allInstanceTypes;

const APPROVAL_TYPES: ReadonlySet<string> = new Set(APPROVAL_EVENT_TYPES);
const INSTANCE_TYPES: ReadonlySet<string> = new Set(INSTANCE_EVENT_TYPES);

/** Whether `type` is an operation on an approval node. */
const isApprovalEventType = (type: string): type is ApprovalEvent["type"] => APPROVAL_TYPES.has(type);
/** Whether `type` is an operation a person can send. */
export const isInstanceEventType = (type: string): type is InstanceEventType => INSTANCE_TYPES.has(type);

// --- events the engine makes itself ---

/** A durable timer fired (escalation step, wait timeout, task timeout or retry). */
export interface TimerEvent {
  type: "timer";
  actor?: string | undefined;
  comment?: string | undefined;
  /** `esc:<node>`, `wait:<node>` or `task:<node>`. */
  key: string;
  /** The generation the timer was armed with; a re-armed key ignores older ones. */
  generation: number;
  /** When it was due (epoch ms): an escalation ladder counts on from there, not from a late firing. */
  dueAt?: number | undefined;
  node?: string | undefined;
  /** Escalation timers: the step of the ladder. */
  step?: number | undefined;
  /** Task timers: a timeout or a retry. */
  purpose?: "timeout" | "retry" | undefined;
  /** Task timers: the attempt they belong to. */
  attempt?: number | undefined;
}

/** What a task call's result event carries. */
interface TaskResultBase {
  actor?: string | undefined;
  comment?: string | undefined;
  node: string;
  generation: number;
  attempt: number;
}

/** A task handler returned. */
interface TaskDoneEvent extends TaskResultBase {
  type: "task.done";
  /** The handler's result, as JSON. */
  result: unknown;
}

/** A task handler threw (or none was registered). */
interface TaskFailedEvent extends TaskResultBase {
  type: "task.failed";
  error: string;
}

/** A domain event (`engine.emit`) for the instance's wait nodes. */
interface DomainReceivedEvent {
  type: "domain";
  actor?: string | undefined;
  comment?: string | undefined;
  /** The domain event's type, e.g. `contract.signed`. */
  name: string;
  data: Record<string, unknown>;
}

/** The host cancelled the instance (`engine.cancel`). */
interface CancelEvent {
  type: "cancel";
  actor: string;
  /** The reason given. */
  comment?: string | undefined;
}

/** Events the engine makes itself; `engine.send` refuses them. */
export type InternalEvent = TimerEvent | TaskDoneEvent | TaskFailedEvent | DomainReceivedEvent | CancelEvent;

/** Why `engine.send` refuses each internal event type. */
export const INTERNAL_EVENT_TYPES: Readonly<Record<InternalEvent["type"] | "start", string>> = {
  start: "instances start with engine.start",
  timer: "timer events come from the engine's durable timers",
  "task.done": "task results come from the registered task handler",
  "task.failed": "task results come from the registered task handler",
  domain: "publish domain events with engine.emit",
  cancel: "cancelling is a host action: use engine.cancel(id, { actor, reason })",
};

/** Every event an instance can apply (before the engine stamps its time). */
export type ApplicableEvent = InstanceEvent | InternalEvent;

/** `E` with the time the engine applied it at. */
export type Stamped<E> = E extends unknown ? E & { at: number } : never;

/**
 * Every event the workflow machine receives: an {@link ApplicableEvent}
 * stamped with its time (epoch ms, from the engine's Clock).
 */
export type WorkflowEvent = Stamped<ApplicableEvent>;

/** The machine event of one type. */
export type WorkflowEventOf<T extends WorkflowEvent["type"]> = Extract<WorkflowEvent, { type: T }>;

/** How an instance started, as its first audit record tells it. */
interface StartRecord {
  type: "start";
  actor: string;
  at: number;
  /** The instance input. */
  input: Record<string, unknown>;
}

/** What an audit record's `event` is built from: an applied event, or the start. */
export type RecordedEvent = WorkflowEvent | StartRecord;

// --- the runtime check ---

/** The outcome of {@link checkInstanceEvent}. */
export type InstanceEventCheck =
  /** A well-formed operation (extra fields the host added are kept: they go into the audit record). */
  | { readonly kind: "event"; readonly event: InstanceEvent }
  /** A malformed operation, with the reason (a catalogue refusal, written in the engine's locale). */
  | { readonly kind: "malformed"; readonly type: InstanceEventType; readonly actor: string; readonly reason: RefusalReason }
  /** A type that is no operation; the refusal names the instance's active steps, so it waits for the instance. */
  | { readonly kind: "unknown"; readonly type: string; readonly actor: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const describe = (v: unknown): string => (v === undefined ? "nothing" : Array.isArray(v) ? "a list" : v === null ? "null" : typeof v === "string" ? JSON.stringify(v) : typeof v);

/** A field that must be text when present. */
function optionalText(event: Record<string, unknown>, field: string, expected: string): void {
  const v = event[field];
  if (v !== undefined && typeof v !== "string") throw new ArgumentError(`event.${field}`, `expected ${expected}, got ${describe(v)}`);
}

/** A field that must be a list of strings when present; `undefined` when absent. */
function textList(event: Record<string, unknown>, field: string, expected: string): string[] | undefined {
  const v = event[field];
  if (v === undefined) return undefined;
  if (!Array.isArray(v)) throw new ArgumentError(`event.${field}`, `expected ${expected}, got ${describe(v)}`);
  v.forEach((x, i) => {
    if (typeof x !== "string") throw new ArgumentError(`event.${field}[${i}]`, `expected a user id or spec such as "user:li" or "role:finance", got ${describe(x)}`);
  });
  return v as string[];
}

/** A known operation with a field missing or wrong: why (a module function, no closure per check). */
const malformedEvent = (type: Extract<InstanceEventCheck, { kind: "malformed" }>["type"], actor: string, reason: RefusalReason): InstanceEventCheck => ({ kind: "malformed", type, actor, reason });

/**
 * Check an event sent to an instance, typically parsed from JSON. The
 * instance is not needed: what is checked is the event's own shape.
 *
 * - not an object, or `type` not a string: {@link ArgumentError} naming `event.type`;
 * - `comment`, `node`, a reject's `to`, an `addSigner`'s `users` or a `cc`'s
 *   `to` entries of the wrong type: {@link ArgumentError} naming the field
 *   (`event.users[1]`);
 * - a missing `to` (delegate, transfer, cc), `user` (removeSigner), an
 *   unknown `position`, an empty `actor` or `onBehalfOf`: `malformed`, with
 *   the refusal the engine reports as ActionNotAllowedError in its locale;
 * - a `type` that is no operation: `unknown`.
 *
 * The engine refuses internal types (`timer`, `cancel`, ...) and an event
 * without an `actor` before it calls this; here an `actor` that is not text
 * is an {@link ArgumentError} naming `event.actor`.
 *
 * @param value - the event as received
 * @returns the typed event, or why it is not one
 * @throws {@link ArgumentError} for a field of the wrong type
 */
export function checkInstanceEvent(value: unknown): InstanceEventCheck {
  if (!isRecord(value)) throw new ArgumentError("event", `expected an object with a "type", got ${describe(value)}`);
  const type = value["type"];
  if (typeof type !== "string") throw new ArgumentError("event.type", `expected an operation such as "approve", got ${describe(type)}`);
  const actor = typeof value["actor"] === "string" ? value["actor"] : "system";
  if (!isInstanceEventType(type)) return { kind: "unknown", type, actor };
  optionalText(value, "comment", "text");
  if (typeof value["actor"] !== "string") throw new ArgumentError("event.actor", `expected the user who acts, such as "user:chen", got ${describe(value["actor"])}`);
  if (isApprovalEventType(type) || type === "cc") optionalText(value, "node", 'the id of an active approval node, such as "review"');
  if (value["actor"] === "" && isApprovalEventType(type)) return malformedEvent(type, actor, refusal("needsActor"));
  switch (type) {
    case "approve":
    case "reject": {
      const onBehalfOf = value["onBehalfOf"];
      if (onBehalfOf !== undefined && (typeof onBehalfOf !== "string" || onBehalfOf === "")) return malformedEvent(type, actor, refusal("onBehalfOf"));
      if (type === "reject") optionalText(value, "to", 'where the rejection goes: "end", "previous", "initiator" or a node id');
      break;
    }
    case "delegate":
    case "transfer":
      if (typeof value["to"] !== "string" || value["to"] === "") return malformedEvent(type, actor, refusal("needsTo", { "op@": `op_${type}` }));
      break;
    case "addSigner": {
      textList(value, "users", 'a list of user ids or specs, such as ["user:lu", "role:finance"]');
      const position = value["position"] ?? "after";
      if (position !== "before" && position !== "after" && position !== "parallel") return malformedEvent(type, actor, refusal("position"));
      break;
    }
    case "removeSigner":
      if (typeof value["user"] !== "string") return malformedEvent(type, actor, refusal("removeSignerUser"));
      break;
    case "cc": {
      const to = value["to"];
      if (!Array.isArray(to) || to.length === 0) return malformedEvent(type, actor, refusal("ccNeedsTo"));
      textList(value, "to", "a non-empty list of user ids or specs");
      break;
    }
    case "withdraw":
    case "resubmit":
    case "remind":
      break;
  }
  // every field of the type was checked above; fields a host added stay (they go into the audit record)
  return { kind: "event", event: { ...value } as unknown as InstanceEvent };
}
