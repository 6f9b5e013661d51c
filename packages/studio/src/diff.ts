/**
 * The difference between two versions of a definition, member by member:
 * what was added, removed or changed at which JSON path. Arrays of objects
 * with an `id` are matched by id (a moved rule is "moved", not a change of
 * every rule after it); other arrays by position.
 */
import { jsonEqual } from "./documents.js";

/** One difference. */
export type Change =
  | { kind: "added"; path: (string | number)[]; after: unknown }
  | { kind: "removed"; path: (string | number)[]; before: unknown }
  | { kind: "changed"; path: (string | number)[]; before: unknown; after: unknown }
  | { kind: "moved"; path: (string | number)[]; id: string; from: number; to: number };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const idOf = (v: unknown): string | undefined => (isObject(v) && typeof v.id === "string" ? v.id : undefined);

/** Every difference from `before` to `after`, in document order. */
export function diffJson(before: unknown, after: unknown, path: (string | number)[] = []): Change[] {
  if (jsonEqual(before, after)) return [];
  if (isObject(before) && isObject(after)) {
    const out: Change[] = [];
    for (const k of Object.keys(before)) {
      if (!Object.hasOwn(after, k)) out.push({ kind: "removed", path: [...path, k], before: before[k] });
      else out.push(...diffJson(before[k], after[k], [...path, k]));
    }
    for (const k of Object.keys(after)) if (!Object.hasOwn(before, k)) out.push({ kind: "added", path: [...path, k], after: after[k] });
    return out;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const ids = (a: unknown[]) => a.map(idOf);
    const bi = ids(before);
    const ai = ids(after);
    const keyed = bi.every((x) => x !== undefined) && ai.every((x) => x !== undefined) && new Set(bi).size === bi.length && new Set(ai).size === ai.length;
    if (keyed) {
      const out: Change[] = [];
      const afterIndex = new Map(ai.map((id, i) => [id, i]));
      const beforeIndex = new Map(bi.map((id, i) => [id, i]));
      // relative order of the ids both keep: a kept id moved when its rank among them changed
      const keptBefore = bi.filter((id) => afterIndex.has(id));
      const keptAfter = ai.filter((id) => beforeIndex.has(id));
      bi.forEach((id, i) => {
        const j = afterIndex.get(id);
        if (j === undefined) out.push({ kind: "removed", path: [...path, i], before: before[i] });
        else {
          if (keptBefore.indexOf(id) !== keptAfter.indexOf(id)) out.push({ kind: "moved", path: [...path, j], id, from: i, to: j });
          out.push(...diffJson(before[i], after[j], [...path, j]));
        }
      });
      ai.forEach((id, j) => {
        if (!beforeIndex.has(id)) out.push({ kind: "added", path: [...path, j], after: after[j] });
      });
      return out;
    }
    const out: Change[] = [];
    const n = Math.max(before.length, after.length);
    for (let i = 0; i < n; i++) {
      if (i >= after.length) out.push({ kind: "removed", path: [...path, i], before: before[i] });
      else if (i >= before.length) out.push({ kind: "added", path: [...path, i], after: after[i] });
      else out.push(...diffJson(before[i], after[i], [...path, i]));
    }
    return out;
  }
  return [{ kind: "changed", path, before, after }];
}
