/**
 * The meaning checks of a rollout document, after zod has checked its shape:
 * references between variants, pilots and switches, weights, slots, ramp
 * order, layer range and guardrail limits. Every problem goes to `issues`
 * with its JSON path.
 */
import type { Issue } from "../errors.js";
import type { RolloutDocument } from "../schema/rollout.js";
import { BUCKETS } from "./hash.js";

const SLOT_TOLERANCE = 1 / BUCKETS + 1e-9;

function checkVariants(doc: RolloutDocument, issues: Issue[]): Set<string> {
  const ids = new Set<string>();
  doc.variants.forEach((v, i) => {
    if (ids.has(v.id)) issues.push({ code: "duplicate_variant", path: ["variants", i, "id"], message: `variant id "${v.id}" is used twice; give each variant its own id` });
    ids.add(v.id);
  });
  const total = doc.variants.reduce((s, v) => s + v.weight, 0);
  if (!(total > 0)) issues.push({ code: "invalid_weights", path: ["variants"], message: "at least one variant needs a weight above 0" });
  return ids;
}

function checkSlots(doc: RolloutDocument, issues: Issue[]): void {
  const withSlots = doc.variants.filter((v) => v.slots !== undefined).length;
  if (withSlots === 0) return;
  const total = doc.variants.reduce((s, v) => s + v.weight, 0);
  const all: { from: number; to: number; path: (string | number)[] }[] = [];
  doc.variants.forEach((v, i) => {
    if (v.slots === undefined) {
      issues.push({ code: "missing_slots", path: ["variants", i, "slots"], message: "when one variant has slots, every variant needs them (or remove them all for the standard layout)" });
      return;
    }
    let length = 0;
    v.slots.forEach(([from, to], j) => {
      const path = ["variants", i, "slots", j];
      if (!(from >= 0 && to <= 1 && from < to)) {
        issues.push({ code: "invalid_slot", path, message: `expected [from, to) with 0 <= from < to <= 1, got [${from}, ${to}]` });
        return;
      }
      length += to - from;
      all.push({ from, to, path });
    });
    const share = total > 0 ? v.weight / total : 0;
    if (Math.abs(length - share) > SLOT_TOLERANCE) {
      issues.push({
        code: "slots_weight_mismatch",
        path: ["variants", i, "slots"],
        message: `slots cover ${length.toFixed(4)} of the bucket line but the weight gives a share of ${share.toFixed(4)}; let the controller's reweight write slots, or remove them`,
      });
    }
  });
  all.sort((a, b) => a.from - b.from);
  for (let k = 1; k < all.length; k++) {
    const prev = all[k - 1]!;
    const cur = all[k]!;
    if (cur.from < prev.to) issues.push({ code: "overlapping_slots", path: cur.path, message: `overlaps [${prev.from}, ${prev.to}); a bucket can belong to one variant only` });
  }
}

function checkReferences(doc: RolloutDocument, ids: Set<string>, issues: Issue[]): void {
  const known = [...ids].join(", ");
  const ref = (id: string | undefined, path: (string | number)[]): void => {
    if (id !== undefined && !ids.has(id)) issues.push({ code: "unknown_variant", path, message: `unknown variant "${id}"; variants are ${known}` });
  };
  ref(doc.control, ["control"]);
  ref(doc.winner, ["winner"]);
  if (doc.status === "promoted" && doc.winner === undefined) {
    issues.push({ code: "missing_winner", path: ["winner"], message: 'status "promoted" needs "winner": the variant everyone gets' });
  }
  const seen = new Map<string, number>();
  (doc.pilots ?? []).forEach((p, i) => {
    ref(p.variant, ["pilots", i, "variant"]);
    p.units.forEach((u, j) => {
      const key = String(u);
      const first = seen.get(key);
      if (first !== undefined) issues.push({ code: "duplicate_pilot", path: ["pilots", i, "units", j], message: `unit ${JSON.stringify(u)} is already on pilots[${first}]` });
      else seen.set(key, i);
    });
  });
  const switchIds = new Set<string>();
  (doc.switches ?? []).forEach((s, i) => {
    ref(s.variant, ["switches", i, "variant"]);
    if (switchIds.has(s.id)) issues.push({ code: "duplicate_switch", path: ["switches", i, "id"], message: `switch id "${s.id}" is used twice` });
    switchIds.add(s.id);
  });
}

function checkSchedule(doc: RolloutDocument, issues: Issue[]): void {
  const ramp = doc.ramp ?? [];
  for (let i = 1; i < ramp.length; i++) {
    if (!(Date.parse(ramp[i]!.at) > Date.parse(ramp[i - 1]!.at))) {
      issues.push({ code: "unordered_ramp", path: ["ramp", i, "at"], message: `ramp steps must be in time order; this one is not after ${ramp[i - 1]!.at}` });
    }
  }
  if (doc.layer && !(doc.layer.from < doc.layer.to)) {
    issues.push({ code: "invalid_layer", path: ["layer", "to"], message: `expected layer.to above layer.from (${doc.layer.from}), got ${doc.layer.to}` });
  }
  (doc.metrics?.guardrails ?? []).forEach((g, i) => {
    if ((g.maxIncrease === undefined) === (g.maxDecrease === undefined)) {
      issues.push({
        code: "invalid_guardrail",
        path: ["metrics", "guardrails", i],
        message: "give exactly one of maxIncrease (the metric must not rise more than this) or maxDecrease (must not fall more than this)",
      });
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
