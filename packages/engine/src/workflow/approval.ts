/**
 * Approval semantics as pure functions over an approval node's state:
 * sequential, countersign (all), or-sign (any) and vote; delegate, transfer,
 * add and remove signers; who may act. The workflow machine calls these from
 * its transitions; the engine calls `authorize` first to refuse an action
 * with a clear reason before anything changes.
 */

import { refusal, type RefusalReason } from "../i18n/messages/refusals.js";
import { emptyList } from "./empty.js";

/**
 * A copy of an approval state whose fields and slots' fields may be written:
 * the state, its slot list and each slot are new. The lists inside (a slot's
 * delegates and escalation targets, the state's escalatedTo) are shared: they
 * are replaced, never written in place (the state given may be frozen and shared).
 */
export function copyApproval(state: ApprovalState): ApprovalState {
  const from = state.slots;
  const slots: Slot[] = [];
  for (let i = 0; i < from.length; i++) slots.push({ ...from[i]! });
  return { ...state, slots };
}

// Stored approval states are frozen (the memory storage freezes what it keeps), and V8's fast paths for
// `for...of` and the array methods (`filter`, `find`, `some`, `map`) do not cover frozen arrays: on Node 20
// they run several times slower there, and `for...of` allocates an iterator result per element. So the
// functions every transition runs walk slot lists with indexed loops.

/** One approver's place in an approval node. */
export interface Slot {
  user: string;
  /** Slots with the lowest pending step act now; equal steps act in parallel. */
  step: number;
  status: "pending" | "approved" | "rejected" | "auto-passed" | "removed";
  /** Users who may act for this slot (delegation); the owner keeps the right to act. */
  delegates: string[];
  /** The assignee spec that filled the seat (`role:compliance`), or the user for added signers. */
  seat?: string | undefined;
  /**
   * Escalation targets who may act once for this seat. Absent on slots stored
   * before seats were covered one by one: the state's `escalatedTo` applies to them.
   */
  escalatedTo?: string[] | undefined;
  /** How `actedBy` acted when it is not the seat's user. */
  actedAs?: "delegate" | "escalation" | undefined;
  /** Set when a later approver of a sequential chain sent the request back to this seat. */
  returnedBy?: string | undefined;
  returnedAt?: number | undefined;
  returnComment?: string | undefined;
  weight: number;
  /** Who added the slot (`definition` for configured assignees). */
  addedBy: string;
  actedBy?: string | undefined;
  actedAt?: number | undefined;
  comment?: string | undefined;
}

/** The state of one approval node while it is active. */
export interface ApprovalState {
  mode: "sequential" | "all" | "any" | "vote";
  slots: Slot[];
  /** Weight needed to pass (vote mode). */
  needed: number;
  /**
   * Everyone an escalation reached, for the record. The right to act is per
   * seat (`Slot.escalatedTo`); only slots stored before that follow this list.
   */
  escalatedTo: string[];
  outcome?: "approved" | "rejected" | undefined;
  /** Where a rejection sends the instance: `onReject` (default), `previous`, `initiator` or a node id. */
  rejectTo?: string | undefined;
}

/** An operation on an approval node, as carried by an event. */
export type ApprovalAction =
  | { type: "approve"; actor: string; comment?: string | undefined; onBehalfOf?: string | undefined; at: number }
  | { type: "reject"; actor: string; comment?: string | undefined; to?: string | undefined; onBehalfOf?: string | undefined; at: number }
  | { type: "delegate"; actor: string; to: string; at: number }
  | { type: "transfer"; actor: string; to: string; at: number }
  | { type: "addSigner"; actor: string; users: string[]; position: "before" | "after" | "parallel"; at: number }
  | { type: "removeSigner"; actor: string; user: string; at: number };

/** Options that shape an approval node when it is entered. */
export interface ApprovalSetup {
  mode: ApprovalState["mode"];
  /** Resolved approvers in order, each a user or `{ user, seat }` with the assignee spec that named them. */
  users: (string | { user: string; seat: string })[];
  initiator: string;
  approvedBefore: readonly string[];
  selfApproval: "auto-pass" | "require";
  repeatApproval: "auto-pass" | "require";
  weights?: Readonly<Record<string, number>> | undefined;
  threshold?: number | undefined;
  at: number;
}

/** Build the state of an approval node from its resolved users. Duplicates merge. */
export function enterApproval(setup: ApprovalSetup): ApprovalState {
  const seen = new Set<string>();
  const slots: Slot[] = [];
  setup.users.forEach((entry) => {
    const { user, seat } = typeof entry === "string" ? { user: entry, seat: entry } : entry;
    if (seen.has(user)) return;
    seen.add(user);
    const auto =
      (setup.selfApproval === "auto-pass" && user === setup.initiator) ||
      (setup.repeatApproval === "auto-pass" && setup.approvedBefore.includes(user));
    slots.push({
      user,
      step: setup.mode === "sequential" ? slots.length : 0,
      status: auto ? "auto-passed" : "pending",
      delegates: emptyList<string>(),
      seat,
      escalatedTo: emptyList<string>(),
      weight: setup.weights?.[user] ?? 1,
      addedBy: "definition",
      ...(auto ? { actedBy: "system", actedAt: setup.at } : {}),
    });
  });
  const total = slots.reduce((t, s) => t + s.weight, 0);
  const threshold = setup.threshold ?? total;
  const state: ApprovalState = {
    mode: setup.mode,
    slots,
    needed: threshold < 1 ? threshold * total : threshold,
    escalatedTo: emptyList<string>(),
  };
  return settle(state);
}

/** The step acting now, or undefined when nobody is pending. */
function currentStep(state: ApprovalState): number | undefined {
  let step: number | undefined;
  const slots = state.slots;
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    if (s.status === "pending" && (step === undefined || s.step < step)) step = s.step;
  }
  return step;
}

/**
 * Sequential chains: the seats a reject to "previous" reopens, i.e. the seats
 * of the nearest earlier step that a person approved (steps that passed
 * automatically are skipped). Empty when there is none, or in other modes.
 */
export function chainReturnSeats(state: ApprovalState): Slot[] {
  const step = currentStep(state);
  if (state.mode !== "sequential" || state.outcome || step === undefined) return [];
  let prev: number | undefined;
  for (const s of state.slots) if (s.status === "approved" && s.step < step && (prev === undefined || s.step > prev)) prev = s.step;
  return prev === undefined ? [] : state.slots.filter((s) => s.step === prev && s.status === "approved");
}

/** Slots that may act now. */
export function currentSlots(state: ApprovalState): Slot[] {
  if (state.outcome) return [];
  const step = currentStep(state);
  const out: Slot[] = [];
  const slots = state.slots;
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    if (s.status === "pending" && s.step === step) out.push(s);
  }
  return out;
}

/** Escalation targets who may act for a seat (slots stored before per-seat cover follow the state's list). */
function coverOf(state: ApprovalState, slot: Slot): readonly string[] {
  return slot.escalatedTo ?? state.escalatedTo;
}

/** Users who can act now: current approvers, their delegates, escalation targets of current seats. */
export function actionableUsers(state: ApprovalState): string[] {
  // a few users at most: a list and a scan, in first-seen order (as a Set gave)
  const users: string[] = [];
  if (state.outcome) return users;
  const step = currentStep(state);
  const slots = state.slots;
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i]!;
    if (s.status !== "pending" || s.step !== step) continue;
    addOnce(users, s.user);
    const delegates = s.delegates;
    for (let j = 0; j < delegates.length; j++) addOnce(users, delegates[j]!);
    const cover = coverOf(state, s);
    for (let j = 0; j < cover.length; j++) addOnce(users, cover[j]!);
  }
  return users;
}

/** A seat that said yes. */
const isYes = (s: Slot): boolean => s.status === "approved" || s.status === "auto-passed";

/** Append `u` to `users` unless it is there (a module function: hot, and no closure per call). */
function addOnce(users: string[], u: string): void {
  if (!users.includes(u)) users.push(u);
}

/** How `actor` may act for `slot` now, if at all. */
function standing(state: ApprovalState, slot: Slot, actor: string): "owner" | "delegate" | "escalation" | undefined {
  if (slot.user === actor) return "owner";
  if (slot.delegates.includes(actor)) return "delegate";
  return coverOf(state, slot).includes(actor) ? "escalation" : undefined;
}

/**
 * The current seat `actor` acts for: the one named by `onBehalfOf`, else their
 * own, else one they are a delegate of, else the first their escalation covers.
 */
function slotFor(state: ApprovalState, actor: string, onBehalfOf?: string): Slot | undefined {
  const cur = currentSlots(state);
  if (onBehalfOf !== undefined) return cur.find((s) => s.user === onBehalfOf && standing(state, s, actor) !== undefined);
  for (const kind of ["owner", "delegate", "escalation"] as const) {
    const slot = cur.find((s) => standing(state, s, actor) === kind);
    if (slot) return slot;
  }
  return undefined;
}

/** The seat an approve or reject by `action.actor` acts for, and as what (undefined: their own seat, or not allowed). */
export function actedFor(state: ApprovalState, action: ApprovalAction): { onBehalfOf: string; actedAs: "delegate" | "escalation" } | undefined {
  if (action.type !== "approve" && action.type !== "reject") return undefined;
  const slot = slotFor(state, action.actor, action.onBehalfOf);
  const as = slot && standing(state, slot, action.actor);
  return slot && (as === "delegate" || as === "escalation") ? { onBehalfOf: slot.user, actedAs: as } : undefined;
}

/** Why an approve / reject by `actor` is refused. */
function whyNotApprover(state: ApprovalState, actor: string, onBehalfOf: string | undefined): RefusalReason {
  const covered = state.slots.filter((s) => coverOf(state, s).includes(actor)).map((s) => s.user);
  const list = { "covered[]": JSON.stringify(covered) };
  if (onBehalfOf !== undefined && onBehalfOf !== actor) {
    return covered.length ? refusal("notForSeatCovered", { seat: onBehalfOf, ...list }) : refusal("notForSeat", { seat: onBehalfOf });
  }
  return covered.length ? refusal("notApproverCovered", list) : refusal("notApprover");
}

/**
 * Let `targets` act once for each pending seat `covers` accepts (an
 * escalation). Returns the new state and the users of the seats covered.
 */
export function escalateApproval(prev: ApprovalState, targets: readonly string[], covers: (slot: Slot) => boolean): { state: ApprovalState; covered: string[] } {
  const state: ApprovalState = copyApproval(prev);
  const covered: string[] = [];
  if (state.outcome || targets.length === 0) return { state, covered };
  for (const s of state.slots) {
    if (s.status !== "pending" || !covers(s)) continue;
    const before = coverOf(prev, s);
    s.escalatedTo = [...before, ...targets.filter((t) => t !== s.user && !before.includes(t))];
    covered.push(s.user);
  }
  if (covered.length) state.escalatedTo = [...state.escalatedTo, ...targets.filter((t, i) => !state.escalatedTo.includes(t) && targets.indexOf(t) === i)];
  return { state, covered };
}

/**
 * Why `actor` may not perform `action` now, or `undefined` when allowed.
 * `initiator` is the instance's initiator.
 */
export function authorize(state: ApprovalState, action: ApprovalAction, initiator: string): RefusalReason | undefined {
  if (state.outcome) return refusal("alreadyDecided");
  switch (action.type) {
    case "approve":
    case "reject":
      return slotFor(state, action.actor, action.onBehalfOf) ? undefined : whyNotApprover(state, action.actor, action.onBehalfOf);
    case "delegate":
    case "transfer": {
      const own = currentSlots(state).find((s) => s.user === action.actor);
      if (!own) return refusal("onlyApproverHandsOver", { "op@": `op_${action.type}` });
      if (action.to === action.actor) return refusal("notToThemselves", { "op@": `op_${action.type}` });
      if (action.type === "transfer" && state.slots.some((s) => s.user === action.to && s.status === "pending")) {
        return refusal("alreadyApprover", { user: action.to });
      }
      return undefined;
    }
    case "addSigner": {
      if (action.users.length === 0) return refusal("noSigner");
      if (!slotFor(state, action.actor) && action.actor !== initiator) return refusal("onlyAddSigners");
      const dup = action.users.find((u) => state.slots.some((s) => s.user === u && s.status === "pending"));
      return dup ? refusal("alreadyPending", { user: dup }) : undefined;
    }
    case "removeSigner": {
      const slot = state.slots.find((s) => s.user === action.user && s.status === "pending");
      if (!slot) return refusal("notPending", { user: action.user });
      if (action.actor !== initiator && action.actor !== slot.addedBy) return refusal("onlyRemover");
      if (state.slots.filter((s) => s.status === "pending").length === 1) return refusal("lastPending");
      return undefined;
    }
  }
}

/** Apply an authorised action; returns the new state (inputs are not mutated). */
export function applyApproval(prev: ApprovalState, action: ApprovalAction): ApprovalState {
  if ((action.type === "approve" || action.type === "reject") && !(action.type === "reject" && action.to === "previous" && chainReturnSeats(prev).length)) {
    return settle(decideSeat(prev, action));
  }
  const state: ApprovalState = copyApproval(prev);
  switch (action.type) {
    case "reject": {
      // to "previous" in a chain: back to the previous approver, who decides again; the rejecting seat waits for them
      for (const s of chainReturnSeats(state)) {
        s.status = "pending";
        for (const k of ["actedBy", "actedAt", "actedAs", "comment"] as const) delete s[k];
        s.returnedBy = action.actor;
        s.returnedAt = action.at;
        s.returnComment = action.comment;
      }
      break;
    }
    case "delegate": {
      const slot = currentSlots(state).find((s) => s.user === action.actor)!;
      if (!slot.delegates.includes(action.to)) slot.delegates = [...slot.delegates, action.to];
      break;
    }
    case "transfer": {
      const slot = currentSlots(state).find((s) => s.user === action.actor)!;
      slot.user = action.to;
      slot.delegates = [];
      break;
    }
    case "addSigner": {
      // the same user named twice (directly and through a role) is one signer
      const users = [...new Set(action.users)];
      const anchor = slotFor(state, action.actor) ?? currentSlots(state)[0];
      const base = anchor?.step ?? 0;
      const sequential = state.mode === "sequential";
      const step = !sequential || action.position === "parallel" ? base : action.position === "before" ? base : base + 1;
      if (sequential && action.position !== "parallel") {
        for (const s of state.slots) if (s.step > base || (action.position === "before" && s.step === base)) s.step += users.length;
      }
      users.forEach((user, i) => {
        state.slots.push({
          user,
          step: sequential && action.position !== "parallel" ? step + i : step,
          status: "pending",
          delegates: [],
          seat: user,
          escalatedTo: [],
          weight: 1,
          addedBy: action.actor,
        });
      });
      state.slots.sort((a, b) => a.step - b.step);
      break;
    }
    case "removeSigner": {
      const slot = state.slots.find((s) => s.user === action.user && s.status === "pending")!;
      slot.status = "removed";
      slot.actedBy = action.actor;
      slot.actedAt = action.at;
      break;
    }
  }
  return settle(state);
}

/**
 * One seat approves or rejects: the state with that seat's slot copied and
 * changed. The other slots are `prev`'s own objects (no step writes a slot
 * in place without copying the state first: copyApproval), so an approval
 * copies one slot, not every one.
 */
function decideSeat(prev: ApprovalState, action: Extract<ApprovalAction, { type: "approve" | "reject" }>): ApprovalState {
  const found = slotFor(prev, action.actor, action.onBehalfOf)!;
  const as = standing(prev, found, action.actor);
  const slot: Slot = { ...found };
  const slots: Slot[] = [];
  for (let i = 0; i < prev.slots.length; i++) slots.push(prev.slots[i] === found ? slot : prev.slots[i]!);
  const state: ApprovalState = { ...prev, slots };
  slot.status = action.type === "approve" ? "approved" : "rejected";
  slot.actedBy = action.actor;
  if (as === "delegate" || as === "escalation") slot.actedAs = as;
  // an escalation lets its target act once per seat: used now, even if the seat is reopened later
  if (as === "escalation" && slot.escalatedTo) slot.escalatedTo = slot.escalatedTo.filter((u) => u !== action.actor);
  slot.actedAt = action.at;
  slot.comment = action.comment;
  if (action.type === "reject") state.rejectTo = action.to;
  return state;
}

/** Decide the outcome when the slots say so. */
function settle(state: ApprovalState): ApprovalState {
  if (state.outcome) return state;
  const live = state.slots.filter((s) => s.status !== "removed");

  switch (state.mode) {
    case "any":
      if (live.some((s) => s.status === "rejected")) state.outcome = "rejected";
      else if (live.some(isYes)) state.outcome = "approved";
      break;
    case "vote": {
      const approved = live.filter(isYes).reduce((t, s) => t + s.weight, 0);
      const open = live.filter((s) => s.status === "pending").reduce((t, s) => t + s.weight, 0);
      if (approved >= state.needed - 1e-9) state.outcome = "approved";
      else if (approved + open < state.needed - 1e-9) state.outcome = "rejected";
      break;
    }
    default:
      if (live.some((s) => s.status === "rejected")) state.outcome = "rejected";
      else if (live.length > 0 && live.every(isYes)) state.outcome = "approved";
  }
  return state;
}

/** Force an outcome (escalation auto-approve / auto-reject). */
export function decideApproval(prev: ApprovalState, outcome: "approved" | "rejected"): ApprovalState {
  return prev.outcome ? prev : { ...copyApproval(prev), outcome };
}
