/** The promotion kind: its spec for the generic path, and its typed compile function. */
import type { KindSpec } from "../core/kind.js";
import { zonedDefinitionTime } from "../calendar/definition-time.js";
import { compileKind, type KindOptions } from "../kinds/pipeline.js";
import { promotionSchema, type PromotionDefinition } from "../schema/promotion.js";
import { compilePromotionInto, type CompiledPromotion } from "./promotion.js";

/**
 * The `promotion` kind. Its schema defaults `timeZone` (periods are read in
 * it), so a built-in calendar's zone replaces that default.
 * @internal
 */
export const promotionKind: KindSpec<"promotion", typeof promotionSchema, CompiledPromotion> = {
  kind: "promotion",
  schema: promotionSchema,
  compile: compilePromotionInto,
  time: (input) => zonedDefinitionTime("promotion", input, { zonedBySchema: true }),
  docs: { page: "docs/promotions.md" },
};

/**
 * Compile a promotion document (`kind` may be omitted).
 *
 * @param input - the promotion document
 * @param options - `locale`: the language of the error's heading and issues (default `en`)
 * @returns the {@link CompiledPromotion}
 * @throws {@link ValidationError} listing every problem with its path
 * @example
 * ```ts
 * const p = compilePromotion({ id: "first-order", version: 1, benefit: { type: "points", multiplier: "2" } });
 * p.evaluate({ order: { amount: 68000 } }).benefits; // [{ type: "points", points: 136000, ... }]
 * ```
 */
export function compilePromotion(input: PromotionDefinition | Omit<PromotionDefinition, "kind">, options?: KindOptions): CompiledPromotion {
  return compileKind(promotionKind, input, options);
}
