/** Promotion results as readable text: what applied, what was skipped and why, and why the others do not qualify. */
import { describeConditionTrace } from "../decisions/explain.js";
import { textTable } from "../rebates/describe.js";
import type { BenefitResult } from "./benefits.js";
import type { PromotionResult } from "./promotion.js";
import type { PromotionSetResult } from "./promotion-set.js";

/**
 * One benefit in words.
 *
 * @param b - a benefit result
 * @returns e.g. `4 x GIFT-01 (140.00)` or `discount 500.00 (10% of 5000.00, capped)`
 * @example
 * ```ts
 * describeBenefit({ type: "subsidy", amount: "3000.00", value: "3000.00" }); // "subsidy 3000.00"
 * ```
 */
export function describeBenefit(b: BenefitResult): string {
  const label = b.label ? `${b.label}: ` : "";
  switch (b.type) {
    case "gift":
      return `${label}${b.quantity} x ${b.sku}${b.value !== "0.00" && /[1-9]/.test(b.value) ? ` (${b.value})` : ""}`;
    case "discount":
      return `${label}discount ${b.amount}${b.percent ? ` (${b.percent}% of ${b.base}${b.capped ? ", capped" : ""})` : ""}`;
    case "points":
      return `${label}${b.points} points (${b.multiplier} x ${b.base})`;
    case "subsidy":
      return `${label}subsidy ${b.amount}`;
  }
}

function describeFailures(r: PromotionResult): string[] {
  const lines = r.failed.map((f) => {
    const what = f.expr ?? `${f.fact} ${f.op}`;
    const actual = f.missing ? "missing" : JSON.stringify(f.actual);
    return `    ✗ [${f.index}] ${f.label ? `${f.label}: ` : ""}${what} ${JSON.stringify(f.expected)}, actual ${actual}${f.negated ? " (must not hold)" : ""}`;
  });
  for (const h of r.hints) lines.push(`    → ${h.message}`);
  return lines;
}

/**
 * Describe one promotion's evaluation.
 *
 * @param result - from `compilePromotion(...).evaluate` or a registry
 * @param options - `trace: true` adds the full condition tree
 * @returns multi-line text
 * @example
 * ```ts
 * console.log(describePromotion(promotion.evaluate(facts, { at })));
 * ```
 */
export function describePromotion(result: PromotionResult, options: { trace?: boolean | undefined } = {}): string {
  const head = `promotion ${result.id} v${result.version} at ${result.at}: ${result.eligible ? "eligible" : result.inEffect ? "not eligible" : "not in effect"}`;
  const lines = [result.eligible ? `${head}: ${result.benefits.map(describeBenefit).join(", ")}` : head];
  if (!result.eligible) lines.push(...describeFailures(result));
  if (options.trace && result.trace) lines.push(...describeConditionTrace(result.trace, "    "));
  return lines.join("\n");
}

/**
 * Describe a promotion set's result: applied promotions with their benefits,
 * skipped ones with the reason, ineligible ones with every failed condition
 * and near-miss hints.
 *
 * @param result - from `createPromotionSet(...).evaluate`
 * @returns multi-line text
 * @example
 * ```ts
 * console.log(describePromotions(set.evaluate(facts, { at })));
 * ```
 */
export function describePromotions(result: PromotionSetResult): string {
  const out: string[] = [`Promotions at ${result.at}: ${result.applied.length} applied, value ${result.value}${result.currency ? ` ${result.currency}` : ""}`];
  if (result.applied.length) {
    out.push(
      textTable(
        ["applied", "version", "group", "mode", "priority", "benefit", "value"],
        result.applied.map((a) => [a.id, String(a.version), a.group, a.mode, String(a.priority), a.benefits.map(describeBenefit).join(", "), a.value]),
      ),
    );
  }
  for (const s of result.skipped) out.push(`  skipped: ${s.message}`);
  for (const r of result.ineligible) out.push(describePromotion(r).replace(/^/, "  "));
  for (const e of result.errors) out.push(`  error in ${e.id} v${e.version}: ${e.message}`);
  return out.join("\n");
}
