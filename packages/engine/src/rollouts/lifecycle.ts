/**
 * Lifecycle transitions as pure functions: each takes the current document
 * and returns the next version. The new version is effective from the time
 * of the change, so evaluating at an earlier time still gives the earlier
 * version's answer (and every result names the version that decided).
 *
 *   draft --start--> running --promote--> promoted --roll back--> rolled-back
 *                       |  \--roll back (or guardrail breach)--> rolled-back
 *                       +-- switch / release switch / reweight --> running
 */
import type { RolloutDocument, RolloutStatus } from "../schema/rollout.js";
import { rebalanceSlots } from "./rebalance.js";
import { ActionNotAllowedError } from "../core/errors.js";
import type { RolloutAction } from "./store.js";

/** The refusal of a lifecycle action on rollout `id`. */
const refused = (id: string, action: string, reason: string): ActionNotAllowedError => new ActionNotAllowedError({ subject: "rollout", id, action, reason });

/** What a transition produced: the next document and what to audit. */
export interface RolloutTransition {
  document: RolloutDocument;
  action: RolloutAction;
  details?: Record<string, unknown> | undefined;
}

const ALLOWED: Record<Exclude<RolloutAction, "create" | "update">, readonly RolloutStatus[]> = {
  start: ["draft"],
  promote: ["running"],
  "roll-back": ["running", "promoted"],
  "auto-roll-back": ["running"],
  switch: ["running"],
  "release-switch": ["running"],
  reweight: ["draft", "running"],
};

function next(doc: RolloutDocument, at: string, changes: Partial<RolloutDocument>): RolloutDocument {
  const { winner: _winner, ...rest } = doc;
  return {
    ...rest,
    ...changes,
    version: doc.version + 1,
    effective: { ...doc.effective, from: at },
  };
}

function guard(doc: RolloutDocument, action: Exclude<RolloutAction, "create" | "update">): void {
  if (!ALLOWED[action].includes(doc.status)) {
    throw refused(doc.id, action, `it is ${doc.status} (v${doc.version}); ${action} is possible from ${ALLOWED[action].join(" or ")}`);
  }
}

/**
 * The next version of a rollout after a lifecycle action.
 *
 * @param doc - the current version
 * @param at - the time of the change (ISO-8601); the new version is effective from it
 * @param request - the action and its argument
 * @returns the new document, the action and details to audit
 * @throws ActionNotAllowedError (code `NOT_ALLOWED`, subject `rollout`) when the action is not possible in the current state
 * @example
 * ```ts
 * transitionRollout(doc, "2026-03-20T00:00:00Z", { action: "promote", variant: "treatment" }).document.status; // "promoted"
 * ```
 */
export function transitionRollout(
  doc: RolloutDocument,
  at: string,
  request:
    | { action: "start" | "roll-back" | "auto-roll-back" }
    | { action: "promote"; variant: string }
    | { action: "switch" | "release-switch"; switchId: string }
    | { action: "reweight"; weights: Readonly<Record<string, number>>; coverage: number },
): RolloutTransition {
  const { action } = request;
  guard(doc, action);
  switch (request.action) {
    case "start":
      return { document: next(doc, at, { status: "running" }), action };
    case "roll-back":
    case "auto-roll-back":
      return { document: next(doc, at, { status: "rolled-back" }), action };
    case "promote": {
      if (!doc.variants.some((v) => v.id === request.variant)) {
        throw refused(doc.id, "promote", `unknown variant "${request.variant}"; variants are ${doc.variants.map((v) => v.id).join(", ")}`);
      }
      return { document: next(doc, at, { status: "promoted", winner: request.variant }), action, details: { winner: request.variant } };
    }
    case "switch":
    case "release-switch": {
      const on = request.action === "switch";
      const found = (doc.switches ?? []).find((s) => s.id === request.switchId);
      if (!found) throw refused(doc.id, request.action, `no switch "${request.switchId}"`);
      if (found.active === on) throw refused(doc.id, request.action, `switch "${request.switchId}" is already ${on ? "active" : "inactive"}`);
      const switches = (doc.switches ?? []).map((s) => (s.id === request.switchId ? { ...s, active: on } : s));
      return { document: next(doc, at, { switches }), action, details: { switch: request.switchId, variant: found.variant } };
    }
    case "reweight": {
      const ids = doc.variants.map((v) => v.id);
      const unknown = Object.keys(request.weights).filter((k) => !ids.includes(k));
      const missing = ids.filter((id) => request.weights[id] === undefined);
      const weights = ids.map((id) => request.weights[id] ?? 0);
      if (unknown.length || missing.length || weights.some((w) => !(w >= 0)) || !weights.some((w) => w > 0)) {
        throw refused(
          doc.id,
          "reweight",
          `give a weight >= 0 for each of ${ids.join(", ")} (at least one above 0)${unknown.length ? `; unknown: ${unknown.join(", ")}` : ""}`,
        );
      }
      const total = doc.variants.reduce((s, v) => s + v.weight, 0);
      const slots = rebalanceSlots(
        doc.variants.map((v) => ({ share: total > 0 ? v.weight / total : 0, slots: v.slots })),
        weights,
        request.coverage,
      );
      const variants = doc.variants.map((v, i) => ({ ...v, weight: weights[i]!, slots: slots[i]! }));
      return {
        document: next(doc, at, { variants }),
        action,
        details: { from: Object.fromEntries(doc.variants.map((v) => [v.id, v.weight])), to: Object.fromEntries(ids.map((id, i) => [id, weights[i]!])) },
      };
    }
  }
}
