/**
 * A promotion's limits and budgets compiled into the counters a claim takes:
 * one counter per limit, keyed by promotion id, limit, subject (the store,
 * the customer, the value of a `per` expression) and period. Counters count
 * per promotion id across versions, so a new version with a larger budget
 * raises the ceiling on what the old version already spent.
 */
import { catalogueIssue } from "../i18n/issues.js";
import { promotionCheckMessages } from "../i18n/messages/promotion-checks.js";
import { expressionIssue } from "../conditions/compile.js";
import { EvaluationError } from "../core/errors.js";
import { compileExpression, type Evaluator, type Scope } from "../expr/compile.js";
import { formatMinorUnits, toMinorUnits } from "../money/amount.js";
import { periodContaining, type PeriodUnit } from "../money/period.js";
import type { PromotionDocument } from "../schema/promotion.js";
import type { ClaimCounter } from "./claim-store.js";
import type { CompileContext } from "../core/context.js";

/** What one counter stands for, for messages and usage reports. */
export interface LimitInfo {
  /** `budget`, `uses`, `perStore`, `perCustomer`, or a `per` limit's name (default `per[i]`). */
  limit: string;
  /** The fact read per subject (`store.id`), when the limit counts per subject. */
  subjectFact?: string | undefined;
  /** The subject's value, when the limit counts per subject. */
  subject?: unknown;
  /** The period the counter covers, e.g. `2026-Q1` or `lifetime`. */
  period: string;
  /** The ceilings, as written. */
  maxCount?: number | undefined;
  maxAmount?: string | undefined;
}

/** Counters and dedupe key of one claim. @internal */
interface ClaimPlan {
  counters: ClaimCounter[];
  info: Map<string, LimitInfo>;
  dedupeKey?: string | undefined;
  dedupe?: { subject: unknown; period: string } | undefined;
}

/** @internal */
export interface CompiledLimits {
  readonly hasBudget: boolean;
  plan(scope: Scope, nowMs: number, valueMinor: bigint): ClaimPlan;
}

interface Spec {
  limit: string;
  subjectFact: string | undefined;
  subject: Evaluator | undefined;
  count: number | undefined;
  budget: bigint | undefined;
  period: PeriodUnit | "lifetime";
}

function compileKey(source: string, ctx: CompileContext, path: (string | number)[]): Evaluator {
  try {
    return compileExpression(source, { knownFacts: ctx.knownFacts }).run;
  } catch (e) {
    ctx.issues.push(expressionIssue(e, path));
    return () => null;
  }
}

/** Compile a promotion's limits and dedupe key. @internal */
export function compileLimits(doc: PromotionDocument, money: { scale: number }, ctx: CompileContext): CompiledLimits {
  const specs: Spec[] = [];
  const amount = (text: string): bigint => toMinorUnits(text, money.scale) as bigint;
  const checkScale = (text: string | undefined, path: (string | number)[]): void => {
    if (text !== undefined && typeof toMinorUnits(text, money.scale) === "string") {
      ctx.issues.push(
        doc.currency
          ? catalogueIssue(promotionCheckMessages, "limitScale", path, { text, currency: doc.currency, scale: money.scale }, "invalid_amount")
          : catalogueIssue(promotionCheckMessages, "limitScaleNoCurrency", path, { text, scale: money.scale }, "invalid_amount"),
      );
    }
  };
  const l = doc.limits;
  if (l?.budget !== undefined) {
    const b = typeof l.budget === "string" ? { amount: l.budget, period: "lifetime" as const } : l.budget;
    checkScale(b.amount, ["limits", "budget"]);
    specs.push({ limit: "budget", subjectFact: undefined, subject: undefined, count: undefined, budget: amount(b.amount), period: b.period });
  }
  if (l?.uses !== undefined) {
    const u = typeof l.uses === "number" ? { count: l.uses, period: "lifetime" as const } : l.uses;
    specs.push({ limit: "uses", subjectFact: undefined, subject: undefined, count: u.count, budget: undefined, period: u.period });
  }
  const keyed = (
    name: string,
    fact: string,
    lim: { count?: number | undefined; budget?: string | undefined; period: PeriodUnit | "lifetime" },
    path: (string | number)[],
    keyPath: (string | number)[] = path,
  ): void => {
    checkScale(lim.budget, [...path, "budget"]);
    specs.push({
      limit: name,
      subjectFact: fact,
      subject: compileKey(fact, ctx, keyPath),
      count: lim.count,
      budget: lim.budget === undefined ? undefined : amount(lim.budget),
      period: lim.period,
    });
  };
  if (l?.perStore) keyed("perStore", "store.id", l.perStore, ["limits", "perStore"]);
  if (l?.perCustomer) keyed("perCustomer", "customer.id", l.perCustomer, ["limits", "perCustomer"]);
  l?.per?.forEach((p, i) => keyed(p.name ?? `per[${i}]`, p.key, p, ["limits", "per", i], ["limits", "per", i, "key"]));
  const dedupe = doc.dedupeKey === undefined ? undefined : compileKey(doc.dedupeKey, ctx, ["dedupeKey"]);
  const { id, timeZone, dedupePeriod } = doc;

  const subjectOf = (spec: { limit: string; subjectFact: string | undefined }, f: Evaluator, scope: Scope): unknown => {
    const v = f(scope);
    if (v === null || v === undefined || (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean")) {
      throw new EvaluationError(
        `promotion "${id}": ${spec.limit} counts per ${spec.subjectFact}, which is ${v === null || v === undefined ? "missing from the facts" : "not a string or number"}`,
      );
    }
    return v;
  };

  return {
    hasBudget: specs.some((s) => s.budget !== undefined),
    plan(scope, nowMs, valueMinor) {
      const counters: ClaimCounter[] = [];
      const info = new Map<string, LimitInfo>();
      for (const s of specs) {
        const period = periodContaining(nowMs, s.period, timeZone).key;
        const subject = s.subject ? subjectOf(s, s.subject, scope) : undefined;
        const key = JSON.stringify(s.subject ? [id, s.limit, subject, period] : [id, s.limit, period]);
        counters.push({
          key,
          count: 1,
          amount: valueMinor,
          ...(s.count === undefined ? {} : { maxCount: s.count }),
          ...(s.budget === undefined ? {} : { maxAmount: s.budget }),
        });
        info.set(key, {
          limit: s.limit,
          ...(s.subject ? { subjectFact: s.subjectFact, subject } : {}),
          period,
          ...(s.count === undefined ? {} : { maxCount: s.count }),
          ...(s.budget === undefined ? {} : { maxAmount: formatMinorUnits(s.budget, money.scale) }),
        });
      }
      if (!dedupe) return { counters, info };
      const subject = subjectOf({ limit: "dedupeKey", subjectFact: doc.dedupeKey }, dedupe, scope);
      const period = periodContaining(nowMs, dedupePeriod, timeZone).key;
      return { counters, info, dedupeKey: JSON.stringify([id, "dedupe", subject, period]), dedupe: { subject, period } };
    },
  };
}
