/** Why the machine ignored an event: the message an ActionNotAllowedError carries. */
import type { WorkflowContext, WorkflowEvent } from "../workflow/context.js";
import type { NodeEnv } from "../workflow/node-entry.js";
import { APPROVAL_EVENTS, participants, resolveApprovalEvent } from "../workflow/operations.js";

/** Explain, in one sentence, why `event` does not apply to the instance now. */
export function explainRefusal(env: NodeEnv, ctx: WorkflowContext, event: WorkflowEvent): string {
  if (APPROVAL_EVENTS.has(event.type)) {
    const r = resolveApprovalEvent(ctx, env.doc, event);
    return "error" in r ? r.error : "the approval step did not accept it";
  }
  switch (event.type) {
    case "withdraw":
      return event.actor === ctx.initiator ? "the instance cannot be withdrawn now" : `only the initiator (${ctx.initiator}) can withdraw`;
    case "resubmit":
      return event.actor !== ctx.initiator ? `only the initiator (${ctx.initiator}) can resubmit` : "nothing was returned to the initiator";
    case "remind":
      return event.actor !== ctx.initiator ? `only the initiator (${ctx.initiator}) can send reminders` : "no approval step is waiting";
    case "cc":
      return !participants(ctx).has(String(event.actor)) ? "only the initiator or an approver can copy others in" : 'cc needs "to": a non-empty list of users';
    case "domain":
      return "no wait step is waiting for this event";
    case "task.done":
    case "task.failed":
      return "the task result is stale (the task was retried, timed out or left)";
    default:
      return `"${event.type}" is not an operation this workflow understands${ctx.active.length ? ` (active: ${ctx.active.join(", ")}${ctx.returnedFrom ? `, returned to the initiator` : ""})` : ""}`;
  }
}
