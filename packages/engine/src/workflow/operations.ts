/**
 * Operations people perform on an instance (approve, reject, delegate, ...):
 * which approval node an event is for, whether the actor may do it, and the
 * pure update that applies it. Shared by the machine's guards/actions and by
 * the engine, which explains a refusal before anything changes.
 */
import type { WorkflowDocument } from "../schema/workflow.js";
import { analyseStructure, inSiblingRegions, regionPaths } from "./structure.js";
import {
  actedFor,
  actionableUsers,
  chainReturnSeats,
  applyApproval,
  authorize,
  type ApprovalAction,
  type ApprovalState,
} from "./approval.js";
import { own, type WorkflowContext } from "./context.js";
import { APPROVAL_EVENT_TYPES, type ApprovalEvent, type Stamped } from "./events.js";
import { iso, notify } from "./node-entry.js";
import { refusal, type RefusalReason } from "../i18n/messages/refusals.js";

/** Event types that operate on an approval node (the machine handles each one the same way). */
export const APPROVAL_EVENTS: ReadonlySet<ApprovalEvent["type"]> = new Set(APPROVAL_EVENT_TYPES);

/**
 * Turn a checked approval event (see `checkInstanceEvent`) into an approval
 * action. Malformed events never reach the machine; an empty actor is
 * refused here too, for callers that skip the check.
 */
function toApprovalAction(ev: Stamped<ApprovalEvent>): ApprovalAction | RefusalReason {
  const actor = ev.actor;
  if (typeof actor !== "string" || actor === "") return refusal("needsActor");
  const at = ev.at;
  switch (ev.type) {
    case "approve":
      return { type: "approve", actor, comment: ev.comment, onBehalfOf: ev.onBehalfOf, at };
    case "reject":
      return { type: "reject", actor, comment: ev.comment, to: ev.to, onBehalfOf: ev.onBehalfOf, at };
    case "delegate":
    case "transfer":
      return { type: ev.type, actor, to: ev.to, at };
    case "addSigner":
      return { type: "addSigner", actor, users: ev.users ?? [], position: ev.position ?? "after", at };
    case "removeSigner":
      return { type: "removeSigner", actor, user: ev.user, at };
  }
}

const pathsCache = new WeakMap<WorkflowDocument, Map<string, readonly string[]>>();

/** Region paths of a (validated) document's nodes, computed once per document. */
function pathsOf(doc: WorkflowDocument): Map<string, readonly string[]> {
  let paths = pathsCache.get(doc);
  if (!paths) {
    paths = regionPaths(analyseStructure(doc, []));
    pathsCache.set(doc, paths);
  }
  return paths;
}

/**
 * The waiting node visited before `node` (for "reject back to previous").
 * Nodes of a parallel branch running beside `node` came earlier in time but
 * are not before it on its path, so they are skipped.
 */
function previousWaitingNode(ctx: WorkflowContext, doc: WorkflowDocument, node: string): string | undefined {
  const last = ctx.history.lastIndexOf(node);
  for (let i = last - 1; i >= 0; i--) {
    const id = ctx.history[i]!;
    const t = doc.nodes[id]?.type;
    if (id !== node && (t === "approval" || t === "task" || t === "wait") && !inSiblingRegions(pathsOf(doc), id, node)) return id;
  }
  return undefined;
}

/**
 * Where a rejection of `node` goes: a node id, `__returned` (to the
 * initiator), or a reason it is not possible.
 */
export function rejectTarget(ctx: WorkflowContext, doc: WorkflowDocument, node: string, to: string | undefined): { target: string } | { error: RefusalReason } {
  const spec = doc.nodes[node];
  if (!spec || spec.type !== "approval") return { error: refusal("notApprovalNode", { node }) };
  if (to === undefined || to === "end") return { target: spec.onReject };
  if (to === "initiator") return { target: "__returned" };
  if (to === "previous") {
    const prev = previousWaitingNode(ctx, doc, node);
    return prev
      ? { target: prev }
      : { error: refusal("noPrevious") };
  }
  if (!Object.hasOwn(doc.nodes, to)) return { error: refusal("noNodeToReject", { to }) };
  if (!ctx.history.includes(to) || to === node) return { error: refusal("notVisited", { to }) };
  if (inSiblingRegions(pathsOf(doc), to, node)) return { error: refusal("parallelReject", { to, node }) };
  return { target: to };
}

/** Find the active approval node an event applies to, and check the actor may act. */
export function resolveApprovalEvent(
  ctx: WorkflowContext,
  doc: WorkflowDocument,
  ev: Stamped<ApprovalEvent>,
): { node: string; action: ApprovalAction } | { error: RefusalReason } {
  const action = toApprovalAction(ev);
  if ("key" in action) return { error: action };
  // indexed: ctx.active is frozen (see approval.ts on frozen arrays)
  const candidates: string[] = [];
  for (let i = 0; i < ctx.active.length; i++) {
    const n = ctx.active[i]!;
    if (doc.nodes[n]?.type === "approval" && ctx.approvals[n]) candidates.push(n);
  }
  if (ev.node !== undefined && !candidates.includes(ev.node)) {
    return { error: candidates.length ? refusal("notActiveStep", { node: ev.node, "active[]": JSON.stringify(candidates) }) : refusal("notActiveStepNone", { node: ev.node }) };
  }
  const pool = ev.node !== undefined ? [ev.node] : candidates;
  if (pool.length === 0) return { error: refusal("noApprovalWaiting") };
  let firstReason: RefusalReason | undefined;
  for (const node of pool) {
    const reason = authorize(ctx.approvals[node]!, action, ctx.initiator);
    if (reason === undefined) {
      // inside a sequential chain, "previous" is the previous approver (no node is left)
      if (action.type === "reject" && !(action.to === "previous" && chainReturnSeats(ctx.approvals[node]!).length)) {
        const t = rejectTarget(ctx, doc, node, action.to);
        if ("error" in t) return t;
      }
      return { node, action };
    }
    firstReason ??= reason;
  }
  return { error: firstReason ?? refusal("noApprovalWaiting") };
}

/** Apply a resolved approval action to the context draft; returns users who became able to act. */
export function applyApprovalEvent(draft: WorkflowContext, node: string, action: ApprovalAction): string[] {
  const before = new Set(actionableUsers(draft.approvals[node]!));
  // the audit says who acted for whom
  const behalf = actedFor(draft.approvals[node]!, action);
  if (behalf) own(draft, "effects").push({ type: "note", data: { node, ...behalf } });
  const back = action.type === "reject" && action.to === "previous" ? chainReturnSeats(draft.approvals[node]!).map((s) => s.user) : [];
  const next: ApprovalState = applyApproval(draft.approvals[node]!, action);
  own(draft, "approvals")[node] = next;
  if (back.length) {
    own(draft, "effects").push({ type: "note", data: { node, returnedTo: back } });
    const comment = action.type === "reject" ? action.comment : undefined;
    for (const user of back) notify(draft, [{ to: user, template: "request-returned" }], { node, at: iso(action.at), by: action.actor, comment });
    for (const u of back) before.add(u);
  }
  if (action.type === "approve" && !draft.approvedBy.includes(action.actor)) own(draft, "approvedBy").push(action.actor);
  return actionableUsers(next).filter((u) => !before.has(u));
}

/** Users taking part in the instance: the initiator and every approver so far. */
export function participants(ctx: WorkflowContext): Set<string> {
  const users = new Set([ctx.initiator]);
  for (const a of Object.values(ctx.approvals)) for (const s of a.slots) users.add(s.user);
  return users;
}
