/**
 * Mutually exclusive layers. Every unit has one bucket per layer (hash of the
 * layer id and the unit); a rollout in the layer only admits units whose
 * layer bucket falls in its `[from, to)` percent range. Rollouts of one layer
 * with disjoint ranges therefore never share a unit. This module finds the
 * overlaps that would break that promise.
 */
import type { RolloutDocument } from "../schema/rollout.js";

/** Two running rollouts of one layer whose ranges overlap. */
export interface LayerConflict {
  layer: string;
  /** The two rollouts and their ranges, in percent. */
  first: { id: string; version: number; from: number; to: number };
  second: { id: string; version: number; from: number; to: number };
  /** Percent of the layer both claim. */
  overlap: number;
}

/**
 * Find running rollouts that claim overlapping parts of the same layer.
 * Rollouts that are not running (draft, promoted, rolled back) assign nobody
 * by hash and cannot conflict. When several versions of one id are given,
 * only the highest counts.
 *
 * @param rollouts - rollout documents (or compiled rollouts, which carry their document)
 * @returns every conflicting pair; empty when the layers are sound
 * @example
 * ```ts
 * findLayerConflicts([pricingTest, renewalTest]);
 * // [{ layer: "q2-incentives", first: { id: "pricing-test", from: 0, to: 60 }, second: { id: "renewal-test", from: 50, to: 100 }, overlap: 10 }]
 * ```
 */
export function findLayerConflicts(rollouts: readonly (RolloutDocument | { document: RolloutDocument })[]): LayerConflict[] {
  const latest = new Map<string, RolloutDocument>();
  for (const r of rollouts) {
    const doc = "document" in r ? r.document : r;
    const prev = latest.get(doc.id);
    if (!prev || doc.version > prev.version) latest.set(doc.id, doc);
  }
  const byLayer = new Map<string, RolloutDocument[]>();
  for (const doc of latest.values()) {
    if (!doc.layer || (doc.status ?? "running") !== "running") continue;
    const list = byLayer.get(doc.layer.id) ?? [];
    list.push(doc);
    byLayer.set(doc.layer.id, list);
  }
  const out: LayerConflict[] = [];
  for (const [layer, docs] of byLayer) {
    docs.sort((a, b) => a.layer!.from - b.layer!.from || a.id.localeCompare(b.id));
    for (let i = 0; i < docs.length; i++) {
      for (let j = i + 1; j < docs.length; j++) {
        const a = docs[i]!;
        const b = docs[j]!;
        const overlap = Math.min(a.layer!.to, b.layer!.to) - Math.max(a.layer!.from, b.layer!.from);
        if (overlap > 0) {
          out.push({
            layer,
            first: { id: a.id, version: a.version, from: a.layer!.from, to: a.layer!.to },
            second: { id: b.id, version: b.version, from: b.layer!.from, to: b.layer!.to },
            overlap,
          });
        }
      }
    }
  }
  return out;
}
