/**
 * The `expect` of a business step: a subset of the step's result. Objects
 * match when every field given matches; arrays when they have the same length
 * and match item by item; anything else when it is equal (JSON values: a
 * decimal string is not a number).
 */

/** A field of the result (own, or a getter of its class; never one of Object.prototype's). */
const own = (o: object, k: string): unknown => (Object.hasOwn(o, k) || (k in o && !(k in Object.prototype)) ? (o as Record<string, unknown>)[k] : undefined);

const show = (v: unknown): string => (v === undefined ? "missing" : JSON.stringify(v));

const join = (path: string, key: string | number): string =>
  typeof key === "number" ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;

/**
 * Where `actual` differs from the `expected` subset.
 *
 * @param expected - the subset (JSON)
 * @param actual - the step's result
 * @param path - the path of `actual` in messages
 * @returns one message per mismatch, such as `totals.payable is "120.00", expected "98.50"`; empty when it matches
 * @internal
 */
export function subsetMismatches(expected: unknown, actual: unknown, path = ""): string[] {
  const here = path || "the result";
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${here} is ${show(actual)}, expected an array`];
    if (actual.length !== expected.length) return [`${here} has ${actual.length} item(s), expected ${expected.length}`];
    return expected.flatMap((e, i) => subsetMismatches(e, actual[i], join(path, i)));
  }
  if (expected !== null && typeof expected === "object") {
    if (actual === null || typeof actual !== "object" || Array.isArray(actual)) return [`${here} is ${show(actual)}, expected an object`];
    return Object.entries(expected).flatMap(([k, e]) => subsetMismatches(e, own(actual, k), join(path, k)));
  }
  return Object.is(expected, actual) ? [] : [`${here} is ${show(actual)}, expected ${show(expected)}`];
}
