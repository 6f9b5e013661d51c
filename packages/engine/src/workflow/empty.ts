/** Shared empty containers: what stored workflow state holds where it holds nothing. */

/**
 * The empty list and record every stored context shares where it holds an
 * empty one (an instance waiting at one step has no tasks, waits, results
 * yet): frozen, so nothing writes them; `own` copies them before a write.
 */
const EMPTY_LIST: readonly never[] = Object.freeze([]);
const EMPTY_RECORD: Readonly<Record<string, never>> = Object.freeze({});

/** The shared empty list, typed as the list it stands for (it is frozen: write a copy, as `own` does). */
export const emptyList = <T>(): T[] => EMPTY_LIST as unknown as T[];

/** `value`, or the shared empty list or record when it is an empty (plain) one. */
export function shareEmpty<T>(value: T): T {
  if (Array.isArray(value)) return (value.length === 0 ? EMPTY_LIST : value) as T;
  if (typeof value === "object" && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
    for (const key in value) if (Object.hasOwn(value, key)) return value;
    return EMPTY_RECORD as T;
  }
  return value;
}
