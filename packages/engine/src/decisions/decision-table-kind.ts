/** The decision table kind: its spec for the generic path, and its typed compile function. */
import type { KindSpec } from "../core/kind.js";
import { zonedDefinitionTime } from "../calendar/definition-time.js";
import { compileKind, type KindOptions } from "../kinds/pipeline.js";
import { decisionTableSchema, type DecisionTableDefinition } from "../schema/decision-table.js";
import { compileDecisionTableInto, type CompiledDecisionTable } from "./decision-table.js";

/** The `decision-table` kind. @internal */
export const decisionTableKind: KindSpec<"decision-table", typeof decisionTableSchema, CompiledDecisionTable> = {
  kind: "decision-table",
  schema: decisionTableSchema,
  compile: compileDecisionTableInto,
  time: (input) => zonedDefinitionTime("decision-table", input),
  docs: { page: "docs/decision-tables.md" },
};

/**
 * Compile a decision table document (`kind` may be omitted).
 *
 * @param input - the decision table document
 * @param options - `locale`: the language of the error's heading and issues (default `en`)
 * @throws {@link ValidationError} listing every problem with its JSON path
 * @example
 * ```ts
 * const t = compileDecisionTable({ id: "rate", version: 1, hitPolicy: "first",
 *   inputs: [{ id: "tier", expr: "customer.tier" }], outputs: [{ id: "rate", type: "decimal" }],
 *   rules: [{ tier: '"A"', rate: "0.10" }, { tier: "-", rate: "0.05" }] });
 * t.evaluate({ customer: { tier: "A" } }).output; // { rate: "0.10" }
 * ```
 */
export function compileDecisionTable(
  input: DecisionTableDefinition | Omit<DecisionTableDefinition, "kind">,
  options?: KindOptions,
): CompiledDecisionTable {
  return compileKind(decisionTableKind, input, options);
}
