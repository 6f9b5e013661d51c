/**
 * A quick look for text no store can keep, before the full check: most
 * values hold none, and `assertStorableText` (which names every path) need
 * only run for those that may.
 */
import { assertStorableText } from "../storable-text.js";

// NUL and UTF-16 surrogates: text that may not be storable (a surrogate pair is; assertStorableText tells)
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

/** Objects looked at before handing over to the careful check (which also ends cycles). */
const MAX_OBJECTS = 10_000;

/** Whether some string in `value` (a value or a key) may be text no store can keep. */
function mayHoldUnstorable(value: unknown): boolean {
  const stack: unknown[] = [value];
  let objects = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") {
      if (SUSPECT.test(v)) return true;
      continue;
    }
    if (typeof v !== "object" || v === null) continue;
    // a cycle, or a very large value: the careful check decides
    if (++objects > MAX_OBJECTS) return true;
    if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
      continue;
    }
    for (const key of Object.keys(v)) {
      if (SUSPECT.test(key)) return true;
      stack.push((v as Record<string, unknown>)[key]);
    }
  }
  return false;
}

/**
 * `assertStorableText(fields, subject)`, run only when a quick look finds a
 * string that may not be storable: the same refusals, with the same paths.
 * @throws a `ValidationError` naming each offending path
 */
export function assertStorable(fields: Readonly<Record<string, unknown>>, subject: string): void {
  if (mayHoldUnstorable(fields)) assertStorableText(fields, subject);
}
