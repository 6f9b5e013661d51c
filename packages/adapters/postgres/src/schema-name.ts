/** The schema every table lives in: checked once, then quoted into SQL. */
import { ArgumentError } from "@ruleflow/engine";

/** The schema used when none is given. */
export const DEFAULT_SCHEMA = "ruleflow";

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * Check a schema name and return it quoted for SQL. Only lower-case letters,
 * digits and `_` are accepted, so the name can be spliced into statements
 * (identifiers cannot be bound as parameters) without any risk of injection.
 * @internal
 */
export function quoteSchema(schema: string | undefined): string {
  const name = schema ?? DEFAULT_SCHEMA;
  if (!IDENTIFIER.test(name)) {
    throw new ArgumentError(
      "schema",
      `the name ${JSON.stringify(name)} is not allowed: use 1-63 lower-case letters, digits and "_", starting with a letter or "_" (e.g. "ruleflow" or "ruleflow_test_1")`,
    );
  }
  return `"${name}"`;
}

/** Epoch milliseconds from an int8 column: node-postgres returns a string, PGlite a bigint. @internal */
export const ms = (v: unknown): number => Number(v);
