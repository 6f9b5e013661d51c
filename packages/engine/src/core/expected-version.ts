/**
 * The compare-and-set sentinel every store port shares (`Storage.commit`,
 * `Storage.saveSchedule`, `RolloutStore.commitVersion`): the version the
 * caller read, or `null` when it read nothing and creates the record.
 */
import { ArgumentError } from "./errors.js";

/**
 * Check an `expectedVersion` argument before a store writes anything: `null`
 * (nothing is stored yet: create the record) or a stored version, an integer
 * of 1 or more. `0` is refused with a clear error: it meant "new record" in
 * earlier releases of the Storage port, and `null` means that now everywhere.
 *
 * @param value - the argument as given
 * @param argument - its name in the error (`expectedVersion`, `commit.expectedVersion`)
 * @throws {@link ArgumentError} (code `INVALID_ARGUMENT`) for anything else
 * @example
 * ```ts
 * async commit(c) {
 *   assertExpectedVersion(c.expectedVersion, "commit.expectedVersion");
 *   // ...
 * }
 * ```
 */
export function assertExpectedVersion(value: unknown, argument = "expectedVersion"): asserts value is number | null {
  if (value === null || (typeof value === "number" && Number.isInteger(value) && value >= 1)) return;
  if (value === 0) {
    throw new ArgumentError(argument, "expected null for a record not stored yet, or the stored version (1 or more), got 0: a new record is `null`, not 0");
  }
  throw new ArgumentError(argument, `expected null for a record not stored yet, or the stored version (an integer of 1 or more), got ${shown(value)}`);
}

/** `value` as the error shows it: JSON where it has one, `1n` for a bigint (which JSON.stringify refuses), else its type. */
function shown(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "bigint") return `${value}n`;
  return JSON.stringify(value) ?? typeof value;
}
