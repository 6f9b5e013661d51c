/**
 * The meaning checks of a rollout document, after zod has checked its shape:
 * references between variants, pilots and switches, weights, slots, ramp
 * order, layer range and guardrail limits. Every problem goes to `issues`
 * with its JSON path.
 */
import type { Issue } from "../core/errors.js";
import { catalogueIssue } from "../i18n/issues.js";
import { rolloutMessages as M } from "../i18n/messages/rollouts.js";
import type { RolloutDocument } from "../schema/rollout.js";
import { BUCKETS } from "./hash.js";

const SLOT_TOLERANCE = 1 / BUCKETS + 1e-9;

function checkVariants(doc: RolloutDocument, issues: Issue[]): Set<string> {
  const ids = new Set<string>();
  doc.variants.forEach((v, i) => {
    if (ids.has(v.id)) issues.push(catalogueIssue(M, "duplicateVariant", ["variants", i, "id"], { id: v.id }, "duplicate_variant"));
    ids.add(v.id);
  });
  const total = doc.variants.reduce((s, v) => s + v.weight, 0);
  if (!(total > 0)) issues.push(catalogueIssue(M, "noWeight", ["variants"], {}, "invalid_weights"));
  return ids;
}

function checkSlots(doc: RolloutDocument, issues: Issue[]): void {
  const withSlots = doc.variants.filter((v) => v.slots !== undefined).length;
  if (withSlots === 0) return;
  const total = doc.variants.reduce((s, v) => s + v.weight, 0);
  const all: { from: number; to: number; path: (string | number)[] }[] = [];
  doc.variants.forEach((v, i) => {
    if (v.slots === undefined) {
      issues.push(catalogueIssue(M, "missingSlots", ["variants", i, "slots"], {}, "missing_slots"));
      return;
    }
    let length = 0;
    v.slots.forEach(([from, to], j) => {
      const path = ["variants", i, "slots", j];
      if (!(from >= 0 && to <= 1 && from < to)) {
        issues.push(catalogueIssue(M, "invalidSlot", path, { from, to }, "invalid_slot"));
        return;
      }
      length += to - from;
      all.push({ from, to, path });
    });
    const share = total > 0 ? v.weight / total : 0;
    if (Math.abs(length - share) > SLOT_TOLERANCE) {
      issues.push(catalogueIssue(M, "slotsWeight", ["variants", i, "slots"], { length: length.toFixed(4), share: share.toFixed(4) }, "slots_weight_mismatch"));
    }
  });
  all.sort((a, b) => a.from - b.from);
  for (let k = 1; k < all.length; k++) {
    const prev = all[k - 1]!;
    const cur = all[k]!;
    if (cur.from < prev.to) issues.push(catalogueIssue(M, "overlappingSlots", cur.path, { from: prev.from, to: prev.to }, "overlapping_slots"));
  }
}

function checkReferences(doc: RolloutDocument, ids: Set<string>, issues: Issue[]): void {
  const known = [...ids].join(", ");
  const ref = (id: string | undefined, path: (string | number)[]): void => {
    if (id !== undefined && !ids.has(id)) issues.push(catalogueIssue(M, "unknownVariant", path, { id, known }, "unknown_variant"));
  };
  ref(doc.control, ["control"]);
  ref(doc.winner, ["winner"]);
  if (doc.status === "promoted" && doc.winner === undefined) {
    issues.push(catalogueIssue(M, "missingWinner", ["winner"], {}, "missing_winner"));
  }
  const seen = new Map<string, number>();
  (doc.pilots ?? []).forEach((p, i) => {
    ref(p.variant, ["pilots", i, "variant"]);
    p.units.forEach((u, j) => {
      const key = String(u);
      const first = seen.get(key);
      if (first !== undefined) issues.push(catalogueIssue(M, "duplicatePilot", ["pilots", i, "units", j], { unit: JSON.stringify(u), first }, "duplicate_pilot"));
      else seen.set(key, i);
    });
  });
  const switchIds = new Set<string>();
  (doc.switches ?? []).forEach((s, i) => {
    ref(s.variant, ["switches", i, "variant"]);
    if (switchIds.has(s.id)) issues.push(catalogueIssue(M, "duplicateSwitch", ["switches", i, "id"], { id: s.id }, "duplicate_switch"));
    switchIds.add(s.id);
  });
}

function checkSchedule(doc: RolloutDocument, issues: Issue[]): void {
  const ramp = doc.ramp ?? [];
  for (let i = 1; i < ramp.length; i++) {
    if (!(Date.parse(ramp[i]!.at) > Date.parse(ramp[i - 1]!.at))) {
      issues.push(catalogueIssue(M, "unorderedRamp", ["ramp", i, "at"], { previous: ramp[i - 1]!.at }, "unordered_ramp"));
    }
  }
  if (doc.layer && !(doc.layer.from < doc.layer.to)) {
    issues.push(catalogueIssue(M, "invalidLayer", ["layer", "to"], { from: doc.layer.from, to: doc.layer.to }, "invalid_layer"));
  }
  (doc.metrics?.guardrails ?? []).forEach((g, i) => {
    if ((g.maxIncrease === undefined) === (g.maxDecrease === undefined)) {
      issues.push(catalogueIssue(M, "guardrailLimit", ["metrics", "guardrails", i], {}, "invalid_guardrail"));
    }
  });
}

/**
 * Check what zod cannot: references, weights, slots, ramp order, layer, guardrails.
 * @internal
 */
export function checkRollout(doc: RolloutDocument, issues: Issue[]): void {
  const ids = checkVariants(doc, issues);
  checkSlots(doc, issues);
  checkReferences(doc, ids, issues);
  checkSchedule(doc, issues);
}
