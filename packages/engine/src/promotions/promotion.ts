/**
 * Promotions: eligibility (a condition tree), benefits, effective window,
 * stacking settings and limits, compiled once. Evaluating a promotion is a
 * dry run: it says whether the facts qualify, what the benefit is, and if
 * not, every condition that failed and how close the facts came. Claiming
 * (budgets, limits, dedupe) is separate and goes through a ClaimStore.
 */
import { catalogueIssue } from "../i18n/issues.js";
import { promotionCheckMessages } from "../i18n/messages/promotion-checks.js";
import { compileNode, makeScope, type ConditionTrace } from "../conditions/compile.js";
import { EvaluationError, isRuleflowError } from "../core/errors.js";
import type { Scope } from "../expr/compile.js";
import { warningsSince } from "../expr/warnings.js";
import { formatInstant, parseInstant } from "../expr/values.js";
import { resolveLocale, type Locale } from "../i18n/locale.js";
import { formatMinorUnits } from "../money/amount.js";
import { currencyScale } from "../money/currency.js";
import type { PromotionDocument } from "../schema/promotion.js";
import { compileBenefit, hasMoneyValue, type BenefitFn, type BenefitResult, type MoneyContext } from "./benefits.js";
import { reportFailures, type FailedCondition, type NearMissHint } from "./failures.js";
import { compileLimits, type CompiledLimits } from "./limits.js";
import type { CompileContext, EvaluateDefinitionOptions, EvaluationWarning } from "../core/context.js";

/** Stacking mode of a promotion's group. */
export type StackingMode = "stackable" | "exclusive" | "best-of";

/** What evaluating a promotion returns. */
export interface PromotionResult {
  kind: "promotion";
  id: string;
  version: number;
  /** The evaluation time, ISO-8601 UTC. */
  at: string;
  /** `{ eligible, benefits, value }`: the decision in the shape every kind shares. */
  output: { eligible: boolean; benefits: BenefitResult[]; value: string };
  eligible: boolean;
  /** False when `at` is outside the promotion's effective window (then `eligible` is false too). */
  inEffect: boolean;
  /** The benefits, computed only when eligible. */
  benefits: BenefitResult[];
  /** Money value of the benefits (budget cost), a decimal string. */
  value: string;
  currency?: string | undefined;
  /** Every condition that made the promotion ineligible, in document order. */
  failed: FailedCondition[];
  /** How close the facts came, per failed numeric condition. */
  hints: NearMissHint[];
  /** True when more (or less) of something would qualify: every failed condition has a hint. */
  nearMiss: boolean;
  stacking: { group: string; mode: StackingMode; priority: number };
  /** The full eligibility trace: with `trace: true`, or whenever ineligible. */
  trace?: ConditionTrace | undefined;
  /**
   * Comparisons that met a missing or null fact and were therefore false
   * (`order.amount gt 50000` with no amount), each with its code, path
   * (`eligibility.all[2]`) and message. Empty when there were none.
   */
  warnings: EvaluationWarning[];
}

/** A compiled promotion. */
export interface CompiledPromotion {
  readonly kind: "promotion";
  readonly id: string;
  readonly version: number;
  readonly document: PromotionDocument;
  /** Stacking group (the promotion's id when it names none), mode and priority. */
  readonly stacking: { readonly group: string; readonly mode: StackingMode; readonly priority: number };
  /**
   * Evaluate against facts: a side-effect-free dry run that explains itself.
   * `locale: "zh-CN"` writes the near-miss hints in Chinese (`还差 3 箱即可达标`).
   */
  evaluate(facts: unknown, options?: EvaluateDefinitionOptions): PromotionResult;
  /** @internal */
  readonly evaluateScope: (scope: Scope, nowMs: number, trace: boolean, explain?: boolean, locale?: Locale) => { result: PromotionResult; valueMinor: bigint };
  /** @internal */
  readonly limits: CompiledLimits;
  /** @internal */
  readonly money: MoneyContext & { currency: string | undefined };
}

const alwaysTrace = (): ConditionTrace => ({ type: "all", path: "eligibility", passed: true, children: [] });

/** Compile a validated promotion document; problems go to `ctx.issues`. @internal */
export function compilePromotionInto(doc: PromotionDocument, ctx: CompileContext): CompiledPromotion {
  const scale = currencyScale(doc.currency) ?? 2;
  const keep = Math.min(doc.rounding?.scale ?? scale, scale);
  if (doc.rounding?.scale !== undefined && doc.rounding.scale > scale) {
    ctx.issues.push(
      doc.currency
        ? catalogueIssue(promotionCheckMessages, "roundingScale", ["rounding", "scale"], { currency: doc.currency, scale }, "invalid_scale")
        : catalogueIssue(promotionCheckMessages, "roundingScaleNoCurrency", ["rounding", "scale"], { scale }, "invalid_scale"),
    );
  }
  const money = { scale, keep, mode: doc.rounding?.mode ?? "half-even", currency: doc.currency } as const;
  const cond = doc.eligibility ? compileNode(doc.eligibility, ctx, ["eligibility"]) : undefined;
  const list = Array.isArray(doc.benefit) ? doc.benefit : [doc.benefit];
  const benefitPath = (i: number): (string | number)[] => (Array.isArray(doc.benefit) ? ["benefit", i] : ["benefit"]);
  const benefits: BenefitFn[] = list.map((b, i) => compileBenefit(b, money, ctx, benefitPath(i)));
  const limits = compileLimits(doc, money, ctx);
  if (limits.hasBudget) {
    list.forEach((b, i) => {
      if (!hasMoneyValue(b)) {
        const field = b.type === "gift" ? "unitCost" : "pointValue";
        ctx.issues.push(catalogueIssue(promotionCheckMessages, "budgetNeedsMoneyValue", [...benefitPath(i), field], { field }, "missing_value"));
      }
    });
  }
  const from = doc.effective?.from ? parseInstant(doc.effective.from)! : -Infinity;
  const to = doc.effective?.to ? parseInstant(doc.effective.to)! : Infinity;
  const s = doc.stacking;
  const stacking = {
    group: s?.group ?? doc.id,
    mode: s?.mode ?? (s?.exclusive ? "exclusive" : "stackable"),
    priority: s?.priority ?? 0,
  } as const;
  if (s?.mode !== undefined && s.exclusive !== undefined && (s.mode === "exclusive") !== s.exclusive) {
    ctx.issues.push(catalogueIssue(promotionCheckMessages, "conflictingStacking", ["stacking", "exclusive"], { exclusive: s.exclusive, mode: s.mode }, "conflicting_stacking"));
  }
  const { id, version } = doc;
  const zero = formatMinorUnits(0n, scale);

  const evaluateScope = (scope: Scope, nowMs: number, trace: boolean, explain = true, locale: Locale = "en"): { result: PromotionResult; valueMinor: bigint } => {
    const at = scope.now ?? formatInstant(nowMs);
    const warnedBefore = scope.warnings?.length ?? 0;
    const inEffect = from <= nowMs && nowMs < to;
    const passed = inEffect && (cond === undefined || cond.run(scope, nowMs));
    let t: ConditionTrace | undefined;
    if (trace || (!passed && explain)) t = cond ? cond.trace(scope, nowMs) : alwaysTrace();
    const report = t && !t.passed ? reportFailures(t, doc.units, { locale, currency: doc.currency, scale }) : { failed: [] as FailedCondition[], hints: [] as NearMissHint[], nearMiss: false };
    if (!inEffect) {
      report.failed.unshift({
        index: -1,
        path: "effective",
        fact: "now",
        op: nowMs < from ? "after" : "before",
        actual: at,
        expected: nowMs < from ? doc.effective!.from! : doc.effective!.to!,
      });
      report.nearMiss = false;
    }
    const results: BenefitResult[] = [];
    let valueMinor = 0n;
    if (passed) {
      for (let i = 0; i < benefits.length; i++) {
        let r;
        try {
          r = benefits[i]!(scope);
        } catch (e) {
          if (isRuleflowError(e) && e.code === "EVALUATION_ERROR") throw new EvaluationError(`promotion "${id}" v${version}: ${e.message}`, { cause: e });
          throw e;
        }
        results.push(r.result);
        valueMinor += r.value;
      }
    }
    const value = valueMinor === 0n ? zero : formatMinorUnits(valueMinor, scale);
    // One literal, the same shape for every result (absent currency and trace are undefined, which JSON leaves out).
    const result: PromotionResult = {
      kind: "promotion",
      id,
      version,
      at,
      output: { eligible: passed, benefits: results, value },
      eligible: passed,
      inEffect,
      benefits: results,
      value,
      currency: doc.currency,
      failed: report.failed,
      hints: report.hints,
      nearMiss: report.nearMiss,
      stacking,
      trace: t,
      warnings: warningsSince(scope, warnedBefore),
    };
    return { result, valueMinor };
  };

  return {
    kind: "promotion",
    id,
    version,
    document: doc,
    stacking,
    evaluateScope,
    limits,
    money,
    evaluate(facts, options) {
      const { scope, nowMs } = makeScope(facts, options?.at, options?.maxSteps);
      return evaluateScope(scope, nowMs, options?.trace === true, true, resolveLocale(options?.locale)).result;
    },
  };
}
