/**
 * Claiming a promotion: evaluate (a dry run), then reserve the benefit's
 * value against every budget and limit, atomically and idempotently, through
 * a {@link ClaimStore}. A duplicate claim (same dedupe subject and period)
 * is refused naming the first claim; returns and cancellations release
 * exactly what a claim took.
 */
import { makeScope } from "../conditions/compile.js";
import { formatInstant } from "../expr/values.js";
import { resolveNow } from "../expr/compile.js";
import { resolveLocale } from "../i18n/locale.js";
import { formatMinorUnits } from "../money/amount.js";
import { isZeroBenefit, type BenefitResult } from "./benefits.js";
import type { ClaimRecord, ClaimStore, CounterUsage } from "./claim-store.js";
import type { LimitInfo } from "./limits.js";
import type { CompiledPromotion, PromotionResult } from "./promotion.js";

/** Options of one claim. */
export interface ClaimOptions {
  /** Same key, same claim: retries and double submissions take nothing twice. Use the order or visit id. */
  idempotencyKey: string;
  /** When the claim is made: picks the budget and limit periods. Default: now. */
  at?: string | Date | undefined;
  /** Language of the near-miss hints of an ineligible claim's evaluation: `en` (default) or `zh-CN`. */
  locale?: string | undefined;
}

/** What a claim is about, as kept with it. */
export interface ClaimData {
  promotion: string;
  version: number;
  benefits: BenefitResult[];
  value: string;
  currency?: string | undefined;
}

/** How one limit stood when a claim was refused. */
export interface LimitUsageReport extends LimitInfo {
  used: { count: number; amount: string };
  requested: { count: number; amount: string };
}

/** What {@link PromotionClaims.claim} answers. */
export type ClaimOutcome =
  | { status: "claimed"; claimId: string; data: ClaimData; reservedAt: string; limits: LimitInfo[] }
  | { status: "replayed"; claimId: string; data: ClaimData; reservedAt: string; active: boolean; message: string }
  | { status: "ineligible"; evaluation: PromotionResult; message: string }
  | { status: "duplicate"; firstClaim: { claimId: string; reservedAt: string; subject: unknown; period: string }; message: string }
  | { status: "limit"; limit: LimitUsageReport; message: string }
  | { status: "conflict"; claimId: string; message: string };

/** What {@link PromotionClaims.release} answers. */
export type ReleaseOutcome =
  | { status: "released"; claimId: string; data: ClaimData; released: { count: number; amount: string } }
  | { status: "already-released"; claimId: string; data: ClaimData; releasedAt: string }
  | { status: "not-found"; claimId: string; message: string };

/** Remaining room under one limit. */
export interface LimitStatus extends LimitInfo {
  used: { count: number; amount: string };
  remaining: { count?: number | undefined; amount?: string | undefined };
}

/** Claims against promotions, backed by a ClaimStore. */
export interface PromotionClaims {
  /** Evaluate, then reserve budgets and limits atomically. */
  claim(promotion: CompiledPromotion, facts: unknown, options: ClaimOptions): Promise<ClaimOutcome>;
  /** Release what a claim took (a return or a cancellation). */
  release(claimId: string, options?: { at?: string | Date | undefined; reason?: string | undefined }): Promise<ReleaseOutcome>;
  /** The stored claim. */
  get(claimId: string): Promise<ClaimRecord | undefined>;
  /** How much room each limit has left for these facts at `at`. */
  limits(promotion: CompiledPromotion, facts: unknown, options?: { at?: string | Date | undefined }): Promise<LimitStatus[]>;
}

const dataOf = (record: ClaimRecord): ClaimData => record.data as ClaimData;

function describeSubject(info: LimitInfo): string {
  return info.subjectFact ? ` for ${info.subjectFact} ${JSON.stringify(info.subject)}` : "";
}

/**
 * Create the claims API over a store.
 *
 * @param options - `store`: where claims and counters live (see {@link createMemoryClaimStore})
 * @returns {@link PromotionClaims}
 * @example
 * ```ts
 * const claims = createPromotionClaims({ store: createMemoryClaimStore() });
 * const r = await claims.claim(promotion, facts, { idempotencyKey: "visit-8812", at: "2026-02-10T10:00:00+08:00" });
 * if (r.status === "duplicate") console.log(r.message); // names the first claim
 * ```
 */
export function createPromotionClaims(options: { store: ClaimStore }): PromotionClaims {
  const { store } = options;
  return {
    async claim(promotion, facts, opts) {
      const seen = await store.get(opts.idempotencyKey);
      if (seen) return replay(seen);
      const { scope, nowMs } = makeScope(facts, opts.at);
      const { result, valueMinor } = promotion.evaluateScope(scope, nowMs, false, true, resolveLocale(opts.locale));
      if (!result.eligible) {
        return { status: "ineligible", evaluation: result, message: `not eligible for ${promotion.id} v${promotion.version}: ${result.failed.length} condition(s) failed` };
      }
      if (valueMinor === 0n && result.benefits.every(isZeroBenefit)) {
        return { status: "ineligible", evaluation: result, message: `eligible for ${promotion.id}, but the benefit is zero for these facts; nothing to claim` };
      }
      const plan = promotion.limits.plan(scope, nowMs, valueMinor);
      const data: ClaimData = {
        promotion: promotion.id,
        version: promotion.version,
        benefits: result.benefits,
        value: result.value,
        ...(promotion.money.currency ? { currency: promotion.money.currency } : {}),
      };
      const at = scope.now ?? formatInstant(nowMs);
      const r = await store.reserve({ idempotencyKey: opts.idempotencyKey, dedupeKey: plan.dedupeKey, counters: plan.counters, at, data });
      const money = (v: bigint): string => formatMinorUnits(v, promotion.money.scale);
      switch (r.status) {
        case "reserved":
          return { status: "claimed", claimId: r.claim.idempotencyKey, data, reservedAt: r.claim.reservedAt, limits: [...plan.info.values()] };
        case "replayed":
          return replay(r.claim);
        case "conflict":
          return {
            status: "conflict",
            claimId: opts.idempotencyKey,
            message: `idempotency key "${opts.idempotencyKey}" was already used for a different claim (${dataOf(r.claim).promotion}); use a new key for a new claim`,
          };
        case "duplicate": {
          const first = r.claim;
          return {
            status: "duplicate",
            firstClaim: { claimId: first.idempotencyKey, reservedAt: first.reservedAt, subject: plan.dedupe!.subject, period: plan.dedupe!.period },
            message:
              `${promotion.document.dedupeKey} ${JSON.stringify(plan.dedupe!.subject)} already claimed ${promotion.id} for ${plan.dedupe!.period}: ` +
              `claim "${first.idempotencyKey}" reserved at ${first.reservedAt}`,
          };
        }
        case "limit": {
          const info = plan.info.get(r.counter.key)!;
          const limit: LimitUsageReport = {
            ...info,
            used: { count: r.used.count, amount: money(r.used.amount) },
            requested: { count: r.counter.count, amount: money(r.counter.amount) },
          };
          const countHit = r.counter.maxCount !== undefined && r.used.count + r.counter.count > r.counter.maxCount;
          const detail = countHit
            ? `${r.used.count} of ${r.counter.maxCount} claims used`
            : `${money(r.counter.maxAmount! - r.used.amount)} of ${info.maxAmount} left, this claim needs ${money(r.counter.amount)}`;
          return { status: "limit", limit, message: `${promotion.id}: ${info.limit}${describeSubject(info)} in ${info.period} is reached: ${detail}` };
        }
      }
    },

    async release(claimId, opts = {}) {
      const r = await store.release(claimId, { at: resolveNow(opts.at), reason: opts.reason });
      if (r.status === "not-found") return { status: "not-found", claimId, message: `no claim "${claimId}"` };
      const data = dataOf(r.claim);
      if (r.status === "already-released") return { status: "already-released", claimId, data, releasedAt: r.claim.releasedAt ?? "" };
      const c = r.claim.counters[0];
      return { status: "released", claimId, data, released: { count: c?.count ?? 1, amount: data.value } };
    },

    get: (claimId) => store.get(claimId),

    async limits(promotion, facts, opts = {}) {
      const { scope, nowMs } = makeScope(facts, opts.at);
      const plan = promotion.limits.plan(scope, nowMs, 0n);
      const usage = await store.usage(plan.counters.map((c) => c.key));
      const money = (v: bigint): string => formatMinorUnits(v, promotion.money.scale);
      return plan.counters.map((c) => {
        const used: CounterUsage = usage.get(c.key) ?? { count: 0, amount: 0n };
        return {
          ...plan.info.get(c.key)!,
          used: { count: used.count, amount: money(used.amount) },
          remaining: {
            ...(c.maxCount === undefined ? {} : { count: Math.max(0, c.maxCount - used.count) }),
            ...(c.maxAmount === undefined ? {} : { amount: money(c.maxAmount > used.amount ? c.maxAmount - used.amount : 0n) }),
          },
        };
      });
    },
  };
}

function replay(claim: ClaimRecord): ClaimOutcome {
  const active = claim.status === "active";
  return {
    status: "replayed",
    claimId: claim.idempotencyKey,
    data: dataOf(claim),
    reservedAt: claim.reservedAt,
    active,
    message: `claim "${claim.idempotencyKey}" was already made at ${claim.reservedAt}${active ? "" : ` and released at ${claim.releasedAt ?? "?"}`}; nothing was taken twice`,
  };
}
