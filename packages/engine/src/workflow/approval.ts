/**
 * Approval semantics as pure functions over an approval node's state:
 * sequential, countersign (all), or-sign (any) and vote; delegate, transfer,
 * add and remove signers; who may act. The workflow machine calls these from
 * its transitions; the engine calls `authorize` first to refuse an action
 * with a clear reason before anything changes.
 */

import { current, isDraft } from "immer";

/** A deep, plain copy (also of an immer draft). */
function copy<T>(value: T): T {
  return structuredClone(isDraft(value) ? (current(value as never) as T) : value);
}

/** One approver's place in an approval node. */
export interface Slot {
  user: string;
  /** Slots with the lowest pending step act now; equal steps act in parallel. */
  step: number;
  status: "pending" | "approved" | "rejected" | "auto-passed" | "removed";
  /** Users who may act for this slot (delegation); the owner keeps the right to act. */
  delegates: string[];
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
  /** Users an escalation gave the right to act for the current approvers. */
  escalatedTo: string[];
  outcome?: "approved" | "rejected" | undefined;
  /** Where a rejection sends the instance: `onReject` (default), `previous`, `initiator` or a node id. */
  rejectTo?: string | undefined;
}

/** An operation on an approval node, as carried by an event. */
export type ApprovalAction =
  | { type: "approve"; actor: string; comment?: string | undefined; at: number }
  | { type: "reject"; actor: string; comment?: string | undefined; to?: string | undefined; at: number }
  | { type: "delegate"; actor: string; to: string; at: number }
  | { type: "transfer"; actor: string; to: string; at: number }
  | { type: "addSigner"; actor: string; users: string[]; position: "before" | "after" | "parallel"; at: number }
  | { type: "removeSigner"; actor: string; user: string; at: number };

/** Options that shape an approval node when it is entered. */
export interface ApprovalSetup {
  mode: ApprovalState["mode"];
  users: string[];
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
  setup.users.forEach((user) => {
    if (seen.has(user)) return;
    seen.add(user);
    const auto =
      (setup.selfApproval === "auto-pass" && user === setup.initiator) ||
      (setup.repeatApproval === "auto-pass" && setup.approvedBefore.includes(user));
    slots.push({
      user,
      step: setup.mode === "sequential" ? slots.length : 0,
      status: auto ? "auto-passed" : "pending",
      delegates: [],
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
    escalatedTo: [],
  };
  return settle(state);
}

/** The step acting now, or undefined when nobody is pending. */
function currentStep(state: ApprovalState): number | undefined {
  let step: number | undefined;
  for (const s of state.slots) if (s.status === "pending" && (step === undefined || s.step < step)) step = s.step;
  return step;
}

/** Slots that may act now. */
export function currentSlots(state: ApprovalState): Slot[] {
  if (state.outcome) return [];
  const step = currentStep(state);
  return state.slots.filter((s) => s.status === "pending" && s.step === step);
}

/** Users who can act now: current approvers, their delegates, escalation targets. */
export function actionableUsers(state: ApprovalState): string[] {
  const cur = currentSlots(state);
  const users = new Set<string>();
  for (const s of cur) {
    users.add(s.user);
    for (const d of s.delegates) users.add(d);
  }
  if (cur.length) for (const u of state.escalatedTo) users.add(u);
  return [...users];
}

function slotFor(state: ApprovalState, actor: string): Slot | undefined {
  const cur = currentSlots(state);
  return (
    cur.find((s) => s.user === actor) ??
    cur.find((s) => s.delegates.includes(actor)) ??
    (state.escalatedTo.includes(actor) ? cur[0] : undefined)
  );
}

/**
 * Why `actor` may not perform `action` now, or `undefined` when allowed.
 * `initiator` is the instance's initiator.
 */
export function authorize(state: ApprovalState, action: ApprovalAction, initiator: string): string | undefined {
  if (state.outcome) return "this approval step is already decided";
  switch (action.type) {
    case "approve":
    case "reject":
      return slotFor(state, action.actor) ? undefined : "they are not a current approver of this step (nor a delegate of one)";
    case "delegate":
    case "transfer": {
      const own = currentSlots(state).find((s) => s.user === action.actor);
      if (!own) return `only a current approver can ${action.type} their approval`;
      if (action.to === action.actor) return `cannot ${action.type} to themselves`;
      if (action.type === "transfer" && state.slots.some((s) => s.user === action.to && s.status === "pending")) {
        return `${action.to} is already an approver of this step`;
      }
      return undefined;
    }
    case "addSigner": {
      if (action.users.length === 0) return "no signer to add";
      if (!slotFor(state, action.actor) && action.actor !== initiator) return "only a current approver or the initiator can add signers";
      const dup = action.users.find((u) => state.slots.some((s) => s.user === u && s.status === "pending"));
      return dup ? `${dup} is already a pending approver` : undefined;
    }
    case "removeSigner": {
      const slot = state.slots.find((s) => s.user === action.user && s.status === "pending");
      if (!slot) return `${action.user} is not a pending approver`;
      if (action.actor !== initiator && action.actor !== slot.addedBy) return "only the initiator or whoever added the signer can remove them";
      if (state.slots.filter((s) => s.status === "pending").length === 1) return "cannot remove the last pending approver";
      return undefined;
    }
  }
}

/** Apply an authorised action; returns the new state (inputs are not mutated). */
export function applyApproval(prev: ApprovalState, action: ApprovalAction): ApprovalState {
  const state: ApprovalState = copy(prev);
  switch (action.type) {
    case "approve":
    case "reject": {
      const slot = slotFor(state, action.actor)!;
      slot.status = action.type === "approve" ? "approved" : "rejected";
      slot.actedBy = action.actor;
      slot.actedAt = action.at;
      slot.comment = action.comment;
      if (action.type === "reject") state.rejectTo = action.to;
      break;
    }
    case "delegate": {
      const slot = currentSlots(state).find((s) => s.user === action.actor)!;
      if (!slot.delegates.includes(action.to)) slot.delegates.push(action.to);
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

/** Decide the outcome when the slots say so. */
function settle(state: ApprovalState): ApprovalState {
  if (state.outcome) return state;
  const live = state.slots.filter((s) => s.status !== "removed");
  const yes = (s: Slot): boolean => s.status === "approved" || s.status === "auto-passed";
  switch (state.mode) {
    case "any":
      if (live.some((s) => s.status === "rejected")) state.outcome = "rejected";
      else if (live.some(yes)) state.outcome = "approved";
      break;
    case "vote": {
      const approved = live.filter(yes).reduce((t, s) => t + s.weight, 0);
      const open = live.filter((s) => s.status === "pending").reduce((t, s) => t + s.weight, 0);
      if (approved >= state.needed - 1e-9) state.outcome = "approved";
      else if (approved + open < state.needed - 1e-9) state.outcome = "rejected";
      break;
    }
    default:
      if (live.some((s) => s.status === "rejected")) state.outcome = "rejected";
      else if (live.length > 0 && live.every(yes)) state.outcome = "approved";
  }
  return state;
}

/** Force an outcome (escalation auto-approve / auto-reject). */
export function decideApproval(prev: ApprovalState, outcome: "approved" | "rejected"): ApprovalState {
  return prev.outcome ? prev : { ...copy(prev), outcome };
}
