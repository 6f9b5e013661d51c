/** Why the machine ignored an event: the message an ActionNotAllowedError carries. */
import { ActionNotAllowedError } from "../core/errors.js";
import { renderMessage } from "../i18n/issues.js";
import type { Locale } from "../i18n/locale.js";
import { refusal, refusalMessages, type RefusalReason } from "../i18n/messages/refusals.js";
import type { WorkflowContext } from "../workflow/context.js";
import type { WorkflowEvent } from "../workflow/events.js";
import type { NodeEnv } from "../workflow/node-entry.js";
import { participants, resolveApprovalEvent } from "../workflow/operations.js";

/** Explain, in one sentence, why `event` does not apply to the instance now. */
export function explainRefusal(env: NodeEnv, ctx: WorkflowContext, event: WorkflowEvent): RefusalReason {
  const initiator = ctx.initiator;
  switch (event.type) {
    case "approve":
    case "reject":
    case "delegate":
    case "transfer":
    case "addSigner":
    case "removeSigner": {
      const r = resolveApprovalEvent(ctx, env.doc, event);
      return "error" in r ? r.error : refusal("notAccepted");
    }
    case "withdraw":
      return event.actor === initiator ? refusal("cannotWithdraw") : refusal("onlyInitiatorWithdraws", { initiator });
    case "resubmit":
      return event.actor !== initiator ? refusal("onlyInitiatorResubmits", { initiator }) : refusal("nothingReturned");
    case "remind":
      return event.actor !== initiator ? refusal("onlyInitiatorReminds", { initiator }) : refusal("noApprovalWaiting");
    case "cc":
      return !participants(ctx).has(event.actor) ? refusal("onlyParticipantsCc") : refusal("ccNeedsTo");
    case "domain":
      return refusal("noWaitStep");
    case "task.done":
    case "task.failed":
      return refusal("staleTask");
    default:
      return unknownOperation(ctx, event.type);
  }
}

/** Why an event type no step understands is refused: with the steps active now. */
export function unknownOperation(ctx: WorkflowContext, type: string): RefusalReason {
  if (!ctx.active.length) return refusal("unknownOperation", { type });
  const active = { type, "active[]": JSON.stringify(ctx.active) };
  return refusal(ctx.returnedFrom ? "unknownOperationReturned" : "unknownOperationActive", active);
}

/** A refusal reason written in a locale. */
export function renderRefusal(reason: RefusalReason, locale: Locale): string {
  return renderMessage(refusalMessages, locale, reason.key, reason.params ?? {});
}

/** The whole message of an ActionNotAllowedError in a locale: who may not do what, and why. */
function refusalMessage(locale: Locale, actor: string, action: string, instance: string, reason: RefusalReason): string {
  const op = `op_${action}`;
  const known = Object.hasOwn(refusalMessages.messages.en, op);
  return renderMessage(refusalMessages, locale, "heading", {
    actor,
    instance,
    reason: renderRefusal(reason, locale),
    ...(known && locale !== "en" ? { "action@": op } : { action: locale === "en" ? action : ` ${action}` }),
  });
}

/** The ActionNotAllowedError of a refusal: the reason in English, the message in `locale`. */
export function refusalError(locale: Locale, instanceId: string, action: string, actor: string, reason: RefusalReason): ActionNotAllowedError {
  return new ActionNotAllowedError(instanceId, action, actor, renderRefusal(reason, "en"), refusalMessage(locale, actor, action, instanceId, reason));
}
