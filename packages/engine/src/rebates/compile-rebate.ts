/** Compiling a rebate program document directly (without a registry). */
import { compileDefinition } from "../definitions.js";
import { ValidationError } from "../core/errors.js";
import { catalogueIssue } from "../i18n/issues.js";
import { validationMessages } from "../i18n/messages/validation.js";
import type { RebateDefinition } from "../schema/rebate.js";
import type { CompiledRebate } from "./program.js";

/**
 * Compile a rebate program document (`kind` may be omitted).
 *
 * @param input - the program document
 * @returns the {@link CompiledRebate}: settle it with `settleRebates`, preview orders with `evaluate`
 * @throws {@link ValidationError} listing every problem with its path
 * @example
 * ```ts
 * const program = compileRebate({ id: "distributor-rebate", version: 4, currency: "CNY",
 *   basis: { amount: "line.netAmount" }, mode: "retroactive",
 *   tiers: [{ from: "0", rate: "0.02" }, { from: "1000000", rate: "0.035" }] });
 * program.evaluate({ line: { netAmount: "250000.00" }, periodToDate: { basis: "900000.00" } }).rate; // "0.035"
 * ```
 */
export function compileRebate(input: RebateDefinition | Omit<RebateDefinition, "kind">): CompiledRebate {
  const doc = typeof input === "object" && input !== null && !("kind" in input) ? { kind: "rebate", ...input } : input;
  const def = compileDefinition(doc);
  if (def.kind !== "rebate") {
    throw new ValidationError([catalogueIssue(validationMessages, "expectedGot", ["kind"], { expected: '"rebate"', got: `"${def.kind}"` }, "invalid_kind")]);
  }
  return def;
}
