/**
 * Why a promotion is not eligible, read off a condition trace: every
 * condition that made it fail (with its index, fact, actual and expected
 * values), and near-miss hints for the ones a customer can close by buying
 * more or holding less ("3 more cases to qualify").
 */
import type { ConditionTrace } from "../conditions/compile.js";
import { isNumericString } from "../core/decimal.js";
import { formatMessage } from "../i18n/catalogue.js";
import type { Locale } from "../i18n/locale.js";
import { promotionMessages } from "../i18n/messages/promotions.js";

/**
 * A unit for near-miss hints: one word for every locale (`"cases"`), or one
 * per locale (`{ "en": "cases", "zh-CN": "箱" }`).
 */
export type PromotionUnit = string | { readonly en?: string | undefined; readonly "zh-CN"?: string | undefined };

/** How hints are written. @internal */
export interface HintOptions {
  locale?: Locale | undefined;
  /** The promotion's currency: a fact whose unit is this code is an amount of money. */
  currency?: string | undefined;
  /** Decimal places of the currency. */
  scale?: number | undefined;
}

/** One condition that made a promotion ineligible. */
export interface FailedCondition {
  /** 0-based position of the condition among all leaf conditions of `eligibility`, in document order. */
  index: number;
  /** JSON path of the condition in the document, e.g. `eligibility.all[2]`. */
  path: string;
  label?: string | undefined;
  /** The fact compared (fact leaves) or the expression (expression leaves). */
  fact?: string | undefined;
  expr?: string | undefined;
  op?: string | undefined;
  /** The value found; `null` when the fact was missing. */
  actual: unknown;
  /** The value the condition wanted (`true` for expressions). */
  expected: unknown;
  missing?: true | undefined;
  /** Set when the condition sits under a `not`: it held, and must not. */
  negated?: true | undefined;
}

/** How far a failed numeric condition is from passing. */
export interface NearMissHint {
  /** Index of the condition in {@link FailedCondition}. */
  index: number;
  fact: string;
  /** How much the fact must change: never negative (for gt/lt the change must exceed it, and may be 0). */
  gap: number;
  /** Set for `gt` / `lt`: the change must be more than `gap`. */
  strict?: true | undefined;
  /** `more` when the fact must grow, `fewer` when it must shrink. */
  direction: "more" | "fewer";
  /**
   * In the evaluation's `locale`: e.g. `3 more cases to qualify` /
   * `还差 3 箱即可达标`; for a strict comparison already met exactly,
   * `anything above 50000 CNY qualifies`.
   */
  message: string;
}

/** Failures and hints of one evaluation. @internal */
export interface FailureReport {
  failed: FailedCondition[];
  hints: NearMissHint[];
  /** True when every failed condition has a hint: more (or less) of something would qualify. */
  nearMiss: boolean;
}

/** Collect the leaves that decided a failed trace. @internal */
export function reportFailures(
  trace: ConditionTrace,
  units: Readonly<Record<string, PromotionUnit>> | undefined,
  options: HintOptions = {},
): FailureReport {
  const failed: FailedCondition[] = [];
  const hints: NearMissHint[] = [];
  let counter = 0;
  let unhinted = 0;
  // `want` is the outcome the node needed; culprits are children whose outcome differs.
  const walk = (t: ConditionTrace, want: boolean, culprit: boolean): void => {
    if (t.type === "all" || t.type === "any") {
      for (const c of (t as { children: ConditionTrace[] }).children) walk(c, want, culprit && c.passed !== want);
      return;
    }
    if (t.type === "not") {
      walk(t.child, !want, culprit && t.child.passed === want);
      return;
    }
    const index = counter++;
    if (!culprit) return;
    const negated = want ? undefined : (true as const);
    const label = t.label ? { label: t.label } : {};
    if (t.type === "expr") {
      failed.push({ index, path: t.path, ...label, expr: t.expr, actual: t.actual, expected: want, ...(negated ? { negated } : {}) });
      unhinted++;
      return;
    }
    if (t.type !== "fact") return;
    failed.push({
      index,
      path: t.path,
      ...label,
      fact: t.fact,
      op: t.op,
      actual: t.actual,
      expected: t.expected,
      ...(t.missing ? { missing: true as const } : {}),
      ...(negated ? { negated } : {}),
    });
    const hint = want && !t.missing ? hintFor(index, t.fact, t.op, t.actual, t.expected, units, options) : undefined;
    if (hint) hints.push(hint);
    else unhinted++;
  };
  walk(trace, true, !trace.passed);
  return { failed, hints, nearMiss: failed.length > 0 && unhinted === 0 };
}

const tidy = (x: number): number => Number(x.toPrecision(12));

/** The unit of a fact in a locale: the locale's form, else English, else the plain string, else the fact's last segment. */
function unitName(fact: string, units: Readonly<Record<string, PromotionUnit>> | undefined, locale: Locale): string {
  const u = units && Object.hasOwn(units, fact) ? units[fact] : undefined;
  const name = typeof u === "string" ? u : (u?.[locale] ?? u?.en ?? u?.["zh-CN"]);
  return name ?? fact.slice(fact.lastIndexOf(".") + 1);
}

const KEYS = {
  count: { more: ["hintMore", "hintMoreThan"], fewer: ["hintFewer", "hintFewerThan"] },
  money: { more: ["hintMoneyMore", "hintMoneyMoreThan"], fewer: ["hintMoneyLess", "hintMoneyLessThan"] },
} as const;

function hintFor(
  index: number,
  fact: string,
  op: string,
  actual: unknown,
  expected: unknown,
  units: Readonly<Record<string, PromotionUnit>> | undefined,
  options: HintOptions,
): NearMissHint | undefined {
  // A decimal-string amount ("40000.00") is the number it writes, as in the comparison itself.
  if (isNumericString(actual)) actual = Number(actual);
  if (typeof actual !== "number") return undefined;
  let target: number | undefined;
  let strict = false;
  if (typeof expected === "number") {
    if (op === "gte" || op === "lte" || op === "eq") target = expected;
    else if (op === "gt" || op === "lt") {
      target = expected;
      strict = true;
    }
  } else if (op === "between" && Array.isArray(expected) && typeof expected[0] === "number" && typeof expected[1] === "number") {
    target = actual < expected[0] ? expected[0] : expected[1];
  }
  if (target === undefined) return undefined;
  const diff = Math.abs(target - actual);
  const gap = Number.isInteger(diff) ? diff : tidy(diff);
  if (gap === 0 && !strict) return undefined;
  const direction = target > actual || (strict && op === "gt") ? "more" : "fewer";
  const locale = options.locale ?? "en";
  const name = unitName(fact, units, locale);
  // Chinese runs straight on after a Chinese unit (还差 3 箱即可达标) and needs a space after a Latin one (CNY).
  const unit = locale === "zh-CN" && /[A-Za-z0-9]$/.test(name) ? `${name} ` : name;
  // A fact counted in the promotion's currency is money: amounts at the currency's scale, "less" not "fewer".
  const money = options.currency !== undefined && unitName(fact, units, "en") === options.currency;
  const num = (x: number): string => {
    if (!money) return String(x);
    const fixed = x.toFixed(options.scale ?? 2);
    return Number(fixed) === x ? fixed : String(x);
  };
  let message: string;
  if (strict && gap === 0) {
    // Exactly at a strict threshold: "more than 0 more" says nothing; any step past it qualifies.
    message = formatMessage(promotionMessages, locale, direction === "more" ? "hintAbove" : "hintBelow", { target: num(target), unit });
  } else {
    // "more than 5" needs more than the gap: say so rather than guess the unit's step.
    const key = KEYS[money ? "money" : "count"][direction][strict ? 1 : 0];
    message = formatMessage(promotionMessages, locale, key, { gap: num(gap), unit });
  }
  return { index, fact, gap, ...(strict ? { strict: true as const } : {}), direction, message };
}
