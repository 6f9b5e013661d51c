/** Promotion results as readable text: what applied, what was skipped and why, and why the others do not qualify. */
import { explainConditionTrace, operatorWords, type ExplainOptions } from "../decisions/explain.js";
import { formatMessage, type MessageParams } from "../i18n/catalogue.js";
import { resolveLocale, type Locale } from "../i18n/locale.js";
import { promotionMessages } from "../i18n/messages/promotions.js";
import { textTable } from "../i18n/text-table.js";
import type { BenefitResult } from "./benefits.js";
import type { PromotionResult } from "./promotion.js";
import type { PromotionSetResult, SkippedPromotion } from "./promotion-set.js";

type Key = keyof (typeof promotionMessages)["messages"]["en"];
const say = (locale: Locale, key: Key, params?: MessageParams): string => formatMessage(promotionMessages, locale, key, params);

/**
 * One benefit in words.
 *
 * @param b - a benefit result
 * @returns e.g. `4 x GIFT-01 (140.00)` or `discount 500.00 (10% of 5000.00, capped)`
 * @example
 * ```ts
 * explainBenefit({ type: "subsidy", amount: "3000.00", value: "3000.00" }); // "subsidy 3000.00"
 * ```
 */
export function explainBenefit(b: BenefitResult, options: ExplainOptions = {}): string {
  const locale = resolveLocale(options.locale);
  const label = b.label ? `${b.label}: ` : "";
  switch (b.type) {
    case "gift":
      return `${label}${b.quantity} x ${b.sku}${b.value !== "0.00" && /[1-9]/.test(b.value) ? ` (${b.value})` : ""}`;
    case "discount": {
      const of = b.percent ? ` (${say(locale, "discountOf", { percent: b.percent, base: b.base ?? "" })}${b.capped ? say(locale, "capped") : ""})` : "";
      return `${label}${say(locale, "discount", { amount: b.amount })}${locale === "zh-CN" ? of.replace(/^ \((.*)\)$/, "（$1）") : of}`;
    }
    case "points":
      return `${label}${say(locale, "points", { points: b.points, multiplier: b.multiplier, base: b.base })}`;
    case "subsidy":
      return `${label}${say(locale, "subsidy", { amount: b.amount })}`;
  }
}

function describeFailures(r: PromotionResult, locale: Locale): string[] {
  const lines = r.failed.map((f) => {
    // English keeps the operator codes it always printed; Chinese reads them in words.
    const what = f.expr ?? `${f.fact} ${locale === "en" ? f.op : operatorWords(f.op ?? "", locale)}`;
    const actual = f.missing ? say(locale, "missing") : JSON.stringify(f.actual);
    const params = { index: f.index, label: f.label ? `${f.label}: ` : "", what, expected: JSON.stringify(f.expected), actual, negated: f.negated ? say(locale, "mustNotHold") : "" };
    return `    ${say(locale, "failedLine", params)}`;
  });
  for (const h of r.hints) lines.push(`    → ${h.message}`);
  return lines;
}

/**
 * Explain one promotion's evaluation.
 *
 * @param result - from `compilePromotion(...).evaluate` or a registry
 * @param options - `trace: true` adds the full condition tree; `locale`: `en`
 *   (default) or `zh-CN`. Hints are shown as the evaluation wrote them: pass
 *   the same `locale` to the evaluation.
 * @returns multi-line text
 * @example
 * ```ts
 * console.log(explainPromotion(promotion.evaluate(facts, { at })));
 * ```
 */
export function explainPromotion(result: PromotionResult, options: { trace?: boolean | undefined; locale?: string | undefined } = {}): string {
  const locale = resolveLocale(options.locale);
  const state = say(locale, result.eligible ? "eligible" : result.inEffect ? "notEligible" : "notInEffect");
  const head = say(locale, "head", { id: result.id, version: result.version, at: result.at, state });
  const sep = locale === "zh-CN" ? "：" : ": ";
  const lines = [result.eligible ? `${head}${sep}${result.benefits.map((b) => explainBenefit(b, { locale })).join(", ")}` : head];
  if (!result.eligible) lines.push(...describeFailures(result, locale));
  if (options.trace && result.trace) lines.push(...explainConditionTrace(result.trace, "    ", { locale }));
  return lines.join("\n");
}

/**
 * Explain a promotion set's result: applied promotions with their benefits,
 * skipped ones with the reason, ineligible ones with every failed condition
 * and near-miss hints.
 *
 * @param result - from `createPromotionSet(...).evaluate`
 * @param options - `locale`: `en` (default) or `zh-CN`; pass the evaluation the same one for its hints
 * @returns multi-line text
 * @example
 * ```ts
 * console.log(explainPromotions(set.evaluate(facts, { at })));
 * ```
 */
export function explainPromotions(result: PromotionSetResult, options: ExplainOptions = {}): string {
  const locale = resolveLocale(options.locale);
  const out: string[] = [say(locale, "setHead", { at: result.at, count: result.applied.length, value: `${result.value}${result.currency ? ` ${result.currency}` : ""}` })];
  if (result.applied.length) {
    const cols = (["colApplied", "colVersion", "colGroup", "colMode", "colPriority", "colBenefit", "colValue"] as const).map((k) => say(locale, k));
    out.push(
      textTable(
        cols,
        result.applied.map((a) => [a.id, String(a.version), a.group, a.mode, String(a.priority), a.benefits.map((b) => explainBenefit(b, { locale })).join(", "), a.value]),
      ),
    );
  }
  for (const s of result.skipped) out.push(`  ${say(locale, "skipped", { message: skippedText(s, result, locale) })}`);
  for (const r of result.ineligible) out.push(explainPromotion(r, { locale }).replace(/^/, "  "));
  for (const e of result.errors) out.push(`  ${say(locale, "error", { id: e.id, version: e.version, message: e.message })}`);
  return out.join("\n");
}

/** Why a promotion was skipped: as evaluated in English, rendered from its fields otherwise. */
function skippedText(s: SkippedPromotion, result: PromotionSetResult, locale: Locale): string {
  if (locale === "en") return s.message;
  if (s.reason === "no-benefit") return say(locale, "skippedNoBenefit", { id: s.id });
  const by = s.by ?? "";
  if (s.reason === "exclusive") return say(locale, "skippedExclusive", { id: s.id, group: s.group, by });
  const winner = result.applied.find((a) => a.id === s.by)?.value ?? "";
  return say(locale, "skippedBestOf", { id: s.id, group: s.group, by, winner, value: s.value });
}
