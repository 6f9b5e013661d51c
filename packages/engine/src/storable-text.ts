/**
 * Text every store can keep. PostgreSQL's `text` and `json` cannot hold a NUL
 * character (U+0000), and a lone surrogate (half of a UTF-16 pair) is not
 * Unicode text at all: a driver encoding it to UTF-8 silently turns it into
 * U+FFFD. So every store (the in-memory ones too, so that tests and
 * production agree) refuses both, the same way, naming where they are.
 */
import { ValidationError, type Issue } from "./core/errors.js";

/** Most issues listed in one error: the first ones name the problem well enough. */
const MAX_ISSUES = 20;

// NUL is the point of these patterns
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000\uD800-\uDFFF]/;

/** What is wrong with `s`, or undefined when every store can keep it. */
function textProblem(s: string): string | undefined {
  if (!SUSPECT.test(s)) return undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return `contains a NUL character (U+0000) at index ${i}, which no store can keep; remove it`;
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = s.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      return `contains a lone surrogate (U+${c.toString(16).toUpperCase()}) at index ${i}: half of a UTF-16 pair is not Unicode text and no store can keep it; send well-formed text`;
    }
  }
  return undefined;
}

/** Objects the quick look visits before it leaves the answer to the careful walk (which also ends cycles). */
const QUICK_MAX_OBJECTS = 10_000;

/**
 * Whether some string in `value` (a value or an object key) may be text no
 * store can keep: a quick look for NUL and surrogates, without paths or a
 * visited set. Most values hold neither, so only those that may get the
 * careful walk. Indexed loops: stored records are frozen, and Node 20 walks
 * frozen arrays with `for...of` several times slower.
 */
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
    // a cycle, or a very large value: the careful walk decides
    if (++objects > QUICK_MAX_OBJECTS) return true;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
      continue;
    }
    const keys = Object.keys(v);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      if (SUSPECT.test(key)) return true;
      stack.push((v as Record<string, unknown>)[key]);
    }
  }
  return false;
}

interface Frame {
  readonly value: unknown;
  readonly parent: Frame | undefined;
  readonly key: string | number;
}

function pathOf(frame: Frame): (string | number)[] {
  const path: (string | number)[] = [];
  for (let f: Frame | undefined = frame; f; f = f.parent) path.push(f.key);
  return path.reverse();
}

/**
 * Find every string (value or object key) inside `fields` that a store
 * cannot keep: one containing a NUL character or a lone surrogate. The
 * first segment of each issue's path is the field's name.
 *
 * A quick look for NUL and surrogates comes first; only a value that may
 * hold such text is walked with paths. Both walk iteratively, so deep
 * values cannot overflow the stack; the walk with paths visits each object
 * once, and the quick look stops after 10,000 objects, so cycles end.
 *
 * @param fields - the values to check, by the name their paths start with
 * @returns the problems, at most 20, each with its JSON path; empty when all is storable
 * @example
 * ```ts
 * unstorableText({ comment: "ok\u0000" });
 * // [{ code: "unstorable_text", path: ["comment"], message: "contains a NUL character (U+0000) at index 2, ..." }]
 * ```
 */
export function unstorableText(fields: Readonly<Record<string, unknown>>): Issue[] {
  if (!mayHoldUnstorable(fields)) return [];
  const issues: Issue[] = [];
  const seen = new WeakSet<object>();
  const stack: Frame[] = [];
  for (const key of Object.keys(fields).reverse()) stack.push({ value: fields[key], parent: undefined, key });
  const add = (frame: Frame, message: string): void => {
    issues.push({ code: "unstorable_text", path: pathOf(frame), message });
  };
  while (stack.length > 0 && issues.length < MAX_ISSUES) {
    const frame = stack.pop()!;
    const { value } = frame;
    if (typeof value === "string") {
      const problem = textProblem(value);
      if (problem) add(frame, problem);
      continue;
    }
    if (typeof value !== "object" || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], parent: frame, key: i });
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i]!;
      const child: Frame = { value: (value as Record<string, unknown>)[key], parent: frame, key };
      const problem = textProblem(key);
      if (problem) add(child, `the key ${problem}`);
      stack.push(child);
    }
  }
  return issues;
}

/**
 * Refuse text no store can keep (see {@link unstorableText}) before anything
 * is written. Every store calls it with the values it was given, and the
 * workflow engine calls it on what a host passes in, so the path names the
 * host's own field (`input.customer.name`, `comment`).
 *
 * @param fields - the values to check, by the name their paths start with
 * @param subject - what is refused, for the message (`instance event`, `claim`)
 * @throws ValidationError (code `VALIDATION_ERROR`) listing each offending path
 * @example
 * ```ts
 * assertStorableText({ comment: "ok\u0000" }, "instance event");
 * // ValidationError: Invalid instance event: 1 problem
 * //   comment: contains a NUL character (U+0000) at index 2, which no store can keep; remove it
 * ```
 */
export function assertStorableText(fields: Readonly<Record<string, unknown>>, subject: string): void {
  const issues = unstorableText(fields);
  if (issues.length > 0) throw new ValidationError(issues, subject);
}

/**
 * Text the engine itself writes from what it did not choose (a handler's
 * error message, a receiver's reply): NUL and lone surrogates become U+FFFD,
 * so recording a failure can never fail.
 *
 * @param s - any string
 * @returns `s` with every NUL character and lone surrogate replaced by U+FFFD
 */
export function toStorableText(s: string): string {
  if (!SUSPECT.test(s)) return s;
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}
