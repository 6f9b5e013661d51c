/**
 * `@ruleflow/engine/promotions`: promotion sets (evaluate many promotions
 * together and stack the eligible ones), claims against usage limits with a
 * store, the promotion and benefit schemas, and the explainers that render a
 * result as text.
 *
 * `compilePromotion` (one promotion definition) is in the root entry,
 * `@ruleflow/engine`.
 *
 * @example
 * ```ts
 * import { createPromotionSet, explainPromotions } from "@ruleflow/engine/promotions";
 *
 * const set = createPromotionSet([displaySubsidy, firstOrderPoints]);
 * console.log(explainPromotions(set.evaluate(facts, { at: "2026-02-10T10:00:00+08:00" })));
 * ```
 *
 * @packageDocumentation
 */

export { createPromotionSet } from "../promotions/promotion-set.js";
export type { PromotionSet, PromotionSetResult, PromotionSetOptions, AppliedPromotion, SkippedPromotion } from "../promotions/promotion-set.js";
export type { CompiledPromotion, PromotionResult, StackingMode } from "../promotions/promotion.js";
export type { BenefitResult } from "../promotions/benefits.js";
export type { FailedCondition, NearMissHint, PromotionUnit } from "../promotions/failures.js";
export type { LimitInfo } from "../promotions/limits.js";
export { createPromotionClaims } from "../promotions/claims.js";
export type { PromotionClaims, ClaimOptions, ClaimOutcome, ReleaseOutcome, ClaimData, LimitStatus, LimitUsageReport } from "../promotions/claims.js";
export { createMemoryClaimStore } from "../promotions/memory-claim-store.js";
export type { ClaimStore, ClaimCounter, ClaimRecord, CounterUsage, ReserveRequest, ReserveResult, ReleaseResult } from "../promotions/claim-store.js";
export { promotionSchema, benefitSchema, STACKING_MODES } from "../schema/promotion.js";
export type { PromotionDefinition, PromotionDocument, Benefit, Limit } from "../schema/promotion.js";
export { explainPromotions, explainPromotion, explainBenefit } from "../promotions/describe.js";
