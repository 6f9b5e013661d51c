/**
 * Helpers for JSON values of unknown shape (definitions as edited, results).
 * No Lit, no DOM: the components' models use them too.
 */

/** `Array.isArray` for a value of unknown shape: the items are `unknown` too, not `any`. */
export function isList(v: unknown): v is unknown[] {
  return Array.isArray(v);
}

/**
 * A value of unknown shape as the text of an input or a label: strings as they
 * are, numbers, booleans and bigints in their usual form, nothing (`undefined`,
 * `null`) as "", anything else as its JSON (so a misplaced object reads as
 * itself, not as "[object Object]").
 */
export function valueText(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return String(v);
  try {
    return JSON.stringify(v) ?? "";
  } catch {
    return "";
  }
}
