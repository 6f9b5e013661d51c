/**
 * Evaluating many promotions at once, with stacking: promotions in one group
 * compete by the group's mode (stackable: all apply; exclusive: the highest
 * priority applies; best-of: the largest value applies). The result says which
 * promotions applied and which were skipped and why, and explains every
 * ineligible one.
 */
import { catalogueIssue } from "../i18n/issues.js";
import { promotionCheckMessages } from "../i18n/messages/promotion-checks.js";
import { makeScope } from "../conditions/compile.js";
import { compileKind } from "../kinds/pipeline.js";
import { promotionKind } from "./kind.js";
import { isRuleflowError, ValidationError, type Issue } from "../core/errors.js";
import { resolveLocale } from "../i18n/locale.js";
import { formatMinorUnits } from "../money/amount.js";
import { isZeroBenefit, type BenefitResult } from "./benefits.js";
import type { CompiledPromotion, PromotionResult, StackingMode } from "./promotion.js";

/** A promotion that applies to the facts. */
export interface AppliedPromotion {
  id: string;
  version: number;
  group: string;
  mode: StackingMode;
  priority: number;
  benefits: BenefitResult[];
  value: string;
}

/** An eligible promotion that does not apply, and why. */
export interface SkippedPromotion {
  id: string;
  version: number;
  group: string;
  /** `exclusive` or `best-of`: another member of the group won; `no-benefit`: the benefit is zero. */
  reason: "exclusive" | "best-of" | "no-benefit";
  /** The promotion that won the group. */
  by?: string | undefined;
  value: string;
  message: string;
}

/** Options of {@link PromotionSet.evaluate}. */
export interface PromotionSetOptions {
  /** Evaluation time: picks each promotion's effective version. Default: now. */
  at?: string | Date | undefined;
  /** Include each eligible promotion's full condition trace. */
  trace?: boolean | undefined;
  /** Explain ineligible promotions (failed conditions, hints). Default true; false is faster. */
  explain?: boolean | undefined;
  /** Language of the near-miss hints: `en` (default) or `zh-CN` (`还差 3 箱即可达标`). */
  locale?: string | undefined;
}

/** What evaluating a set of promotions returns. */
export interface PromotionSetResult {
  at: string;
  /** The promotions that apply, highest priority first. */
  applied: AppliedPromotion[];
  /** Eligible promotions that lost their group, or whose benefit is zero. */
  skipped: SkippedPromotion[];
  /** Every eligible promotion's evaluation. */
  eligible: PromotionResult[];
  /** Every ineligible promotion's evaluation: failed conditions and near-miss hints. */
  ineligible: PromotionResult[];
  /** Promotions whose evaluation failed on these facts (a benefit expression on a wrong type). */
  errors: { id: string; version: number; message: string }[];
  /** Total value of the applied benefits. */
  value: string;
  currency?: string | undefined;
}

/** Promotions compiled and checked together. */
export interface PromotionSet {
  readonly promotions: readonly CompiledPromotion[];
  /** Evaluate every promotion (its version effective at `at`) and stack the eligible ones. Side-effect free. */
  evaluate(facts: unknown, options?: PromotionSetOptions): PromotionSetResult;
}

interface Versioned {
  id: string;
  versions: { p: CompiledPromotion; from: number; to: number }[];
}

function toPromotion(input: unknown, i: number, issues: Issue[]): CompiledPromotion | undefined {
  const compiled =
    typeof input === "object" && input !== null && (input as { kind?: unknown }).kind === "promotion" && typeof (input as CompiledPromotion).evaluateScope === "function"
      ? (input as CompiledPromotion)
      : undefined;
  if (compiled) return compiled;
  const kind = typeof input === "object" && input !== null ? (input as { kind?: unknown }).kind : undefined;
  if (typeof kind === "string" && kind !== "promotion") {
    issues.push(catalogueIssue(promotionCheckMessages, "notAPromotion", [i, "kind"], { kind }, "invalid_kind"));
    return undefined;
  }
  try {
    return compileKind(promotionKind, input);
  } catch (e) {
    if (e instanceof ValidationError) for (const issue of e.issues) issues.push({ ...issue, path: [i, ...issue.path] });
    else throw e;
  }
  return undefined;
}

interface Scored {
  result: PromotionResult;
  valueMinor: bigint;
}

const rank = (mode: StackingMode) => (a: Scored, b: Scored): number => {
  const pa = a.result.stacking.priority;
  const pb = b.result.stacking.priority;
  const va = a.valueMinor;
  const vb = b.valueMinor;
  const byValue = va > vb ? -1 : va < vb ? 1 : 0;
  const byPriority = pb - pa;
  const first = mode === "best-of" ? byValue || byPriority : byPriority || byValue;
  return first || (a.result.id < b.result.id ? -1 : a.result.id > b.result.id ? 1 : 0);
};

/**
 * Compile promotions (documents or compiled) into a set evaluated together.
 * Several versions of one id may be given; evaluation uses the one effective
 * at the evaluation time.
 *
 * @param promotions - promotion documents or compiled promotions
 * @returns a {@link PromotionSet}
 * @throws {@link ValidationError} listing every problem (paths prefixed with the index), including
 *   a group whose members disagree on its mode, and mixed currencies
 * @example
 * ```ts
 * const set = createPromotionSet([displaySubsidy, firstOrderPoints]);
 * const r = set.evaluate(facts, { at: "2026-02-10T10:00:00+08:00" });
 * r.applied.map((p) => p.id); r.skipped; r.ineligible[0].failed; r.ineligible[0].hints;
 * ```
 */
export function createPromotionSet(promotions: readonly unknown[]): PromotionSet {
  const issues: Issue[] = [];
  const compiled = promotions.map((p, i) => toPromotion(p, i, issues));
  const modes = new Map<string, { mode: StackingMode; id: string }>();
  let currency: { code: string | undefined; id: string } | undefined;
  compiled.forEach((p, i) => {
    if (!p) return;
    const seen = modes.get(p.stacking.group);
    if (seen && seen.mode !== p.stacking.mode) {
      issues.push(
        catalogueIssue(
          promotionCheckMessages,
          "groupModes",
          [i, "stacking", "mode"],
          { group: p.stacking.group, firstMode: seen.mode, first: seen.id, mode: p.stacking.mode, id: p.id },
          "conflicting_stacking",
        ),
      );
    } else if (!seen) modes.set(p.stacking.group, { mode: p.stacking.mode, id: p.id });
    if (currency && currency.code !== p.money.currency) {
      // A missing currency is the words "no currency" in the issue's locale.
      const named = (name: string, c: string | undefined): Record<string, string> => (c === undefined ? { [`${name}@`]: "noCurrency" } : { [name]: c });
      const params = { id: p.id, first: currency.id, ...named("currency", p.money.currency), ...named("firstCurrency", currency.code) };
      issues.push(catalogueIssue(promotionCheckMessages, "mixedCurrency", [i, "currency"], params, "mixed_currency"));
    } else currency ??= { code: p.money.currency, id: p.id };
  });
  if (issues.length) throw new ValidationError(issues, "promotion set");
  const list = compiled as CompiledPromotion[];
  const byId = new Map<string, Versioned>();
  for (const p of list) {
    const eff = p.document.effective;
    const entry = { p, from: eff?.from ? Date.parse(eff.from) : -Infinity, to: eff?.to ? Date.parse(eff.to) : Infinity };
    const v = byId.get(p.id) ?? { id: p.id, versions: [] };
    v.versions.push(entry);
    byId.set(p.id, v);
  }
  const ids = [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const v of ids) v.versions.sort((a, b) => b.p.version - a.p.version);
  const scale = list[0]?.money.scale ?? 2;

  const pick = (v: Versioned, t: number): CompiledPromotion => {
    for (const e of v.versions) if (e.from <= t && t < e.to) return e.p;
    // None in effect: report the latest that has started, else the earliest; it explains its window.
    return (v.versions.find((e) => e.from <= t) ?? v.versions[v.versions.length - 1]!).p;
  };

  return {
    promotions: list,
    evaluate(facts, options = {}) {
      const { scope, nowMs } = makeScope(facts, options.at);
      const trace = options.trace === true;
      const explain = options.explain !== false;
      const locale = resolveLocale(options.locale);
      const eligible: Scored[] = [];
      const ineligible: PromotionResult[] = [];
      const errors: PromotionSetResult["errors"] = [];
      for (const v of ids) {
        const p = pick(v, nowMs);
        try {
          const scored = p.evaluateScope(scope, nowMs, trace, explain, locale);
          if (scored.result.eligible) eligible.push(scored);
          else ineligible.push(scored.result);
        } catch (e) {
          if (!isRuleflowError(e)) throw e;
          errors.push({ id: p.id, version: p.version, message: e.message });
        }
      }
      const applied: AppliedPromotion[] = [];
      const skipped: SkippedPromotion[] = [];
      const groups = new Map<string, Scored[]>();
      for (const x of eligible) {
        const r = x.result;
        if (r.benefits.length > 0 && x.valueMinor === 0n && r.benefits.every(isZeroBenefit)) {
          skipped.push({ id: r.id, version: r.version, group: r.stacking.group, reason: "no-benefit", value: r.value, message: `${r.id} is eligible but its benefit is zero for these facts` });
          continue;
        }
        const g = groups.get(r.stacking.group);
        if (g) g.push(x);
        else groups.set(r.stacking.group, [x]);
      }
      let total = 0n;
      for (const [group, members] of groups) {
        const mode = members[0]!.result.stacking.mode;
        if (members.length > 1) members.sort(rank(mode));
        const winners = mode === "stackable" ? members : members.slice(0, 1);
        for (const { result: r, valueMinor } of winners) {
          applied.push({ id: r.id, version: r.version, group, mode, priority: r.stacking.priority, benefits: r.benefits, value: r.value });
          total += valueMinor;
        }
        if (mode === "stackable") continue;
        const w = members[0]!;
        for (const { result: r, valueMinor } of members.slice(1)) {
          const wr = w.result;
          const why =
            mode === "exclusive"
              ? `group "${group}" is exclusive and ${wr.id} has ${wr.stacking.priority === r.stacking.priority ? "the same priority and a larger or equal value" : `higher priority (${wr.stacking.priority} > ${r.stacking.priority})`}`
              : `group "${group}" is best-of and ${wr.id} is worth more (${wr.value} vs ${r.value})${w.valueMinor === valueMinor ? ", tie broken by priority then id" : ""}`;
          skipped.push({ id: r.id, version: r.version, group, reason: mode, by: wr.id, value: r.value, message: `${r.id} skipped: ${why}` });
        }
      }
      applied.sort((a, b) => b.priority - a.priority || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return {
        at: scope.now ?? new Date(nowMs).toISOString(),
        applied,
        skipped,
        eligible: eligible.map((x) => x.result),
        ineligible,
        errors,
        value: formatMinorUnits(total, scale),
        ...(currency?.code ? { currency: currency.code } : {}),
      };
    },
  };
}
