/** The rebate kind: its spec for the generic path, and its typed compile function. */
import type { KindSpec } from "../core/kind.js";
import { compileKind, type KindOptions } from "../kinds/pipeline.js";
import { rebateSchema, type RebateDefinition } from "../schema/rebate.js";
import { compileRebateInto, type CompiledRebate } from "./program.js";

/**
 * The `rebate` kind. Its dates without an offset are read in the program's
 * `timeZone` by the program itself (periods, order dates), not through a
 * definition time context: a quote and a settlement must agree.
 * @internal
 */
export const rebateKind: KindSpec<"rebate", typeof rebateSchema, CompiledRebate> = {
  kind: "rebate",
  schema: rebateSchema,
  compile: compileRebateInto,
  docs: { page: "docs/rebates.md" },
};

/**
 * Compile a rebate program document (`kind` may be omitted).
 *
 * @param input - the program document
 * @param options - `locale`: the language of the error's heading and issues (default `en`)
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
export function compileRebate(input: RebateDefinition | Omit<RebateDefinition, "kind">, options?: KindOptions): CompiledRebate {
  return compileKind(rebateKind, input, options);
}
