/** The in-memory ClaimStore: the default for one process, tests and simulations. */
import { assertStorableText } from "../storable-text.js";
import { sameRequest, type ClaimRecord, type ClaimStore, type CounterUsage } from "./claim-store.js";

/**
 * Create an in-memory {@link ClaimStore}. Each `reserve` checks and applies in
 * one synchronous step, so concurrent calls in one process can never both
 * take the last unit of a budget.
 *
 * @returns an empty store
 * @example
 * ```ts
 * const store = createMemoryClaimStore();
 * const claims = createPromotionClaims({ store });
 * await claims.claim(promotion, facts, { idempotencyKey: "SO-1001", at: "2026-02-10T10:00:00+08:00" });
 * ```
 */
export function createMemoryClaimStore(): ClaimStore {
  const claims = new Map<string, ClaimRecord>();
  const dedupe = new Map<string, string>();
  const counters = new Map<string, CounterUsage>();
  const copy = (c: ClaimRecord): ClaimRecord => structuredClone(c);

  return {
    async reserve(request) {
      assertStorableText({ ...request }, "claim");
      await Promise.resolve();
      const seen = claims.get(request.idempotencyKey);
      if (seen) return sameRequest(seen, request) ? { status: "replayed", claim: copy(seen) } : { status: "conflict", claim: copy(seen) };
      if (request.dedupeKey !== undefined) {
        const holder = dedupe.get(request.dedupeKey);
        if (holder !== undefined) return { status: "duplicate", claim: copy(claims.get(holder)!) };
      }
      for (const c of request.counters) {
        const used = counters.get(c.key) ?? { count: 0, amount: 0n };
        if ((c.maxCount !== undefined && used.count + c.count > c.maxCount) || (c.maxAmount !== undefined && used.amount + c.amount > c.maxAmount)) {
          return { status: "limit", counter: { ...c }, used: { ...used } };
        }
      }
      for (const c of request.counters) {
        const used = counters.get(c.key) ?? { count: 0, amount: 0n };
        counters.set(c.key, { count: used.count + c.count, amount: used.amount + c.amount });
      }
      const record: ClaimRecord = {
        idempotencyKey: request.idempotencyKey,
        ...(request.dedupeKey === undefined ? {} : { dedupeKey: request.dedupeKey }),
        counters: request.counters.map((c) => ({ ...c })),
        status: "active",
        reservedAt: request.at,
        ...(request.data === undefined ? {} : { data: structuredClone(request.data) }),
      };
      claims.set(record.idempotencyKey, record);
      if (record.dedupeKey !== undefined) dedupe.set(record.dedupeKey, record.idempotencyKey);
      return { status: "reserved", claim: copy(record) };
    },

    async release(idempotencyKey, options) {
      assertStorableText({ idempotencyKey, ...options }, "claim release");
      await Promise.resolve();
      const record = claims.get(idempotencyKey);
      if (!record) return { status: "not-found" };
      if (record.status === "released") return { status: "already-released", claim: copy(record) };
      for (const c of record.counters) {
        const used = counters.get(c.key) ?? { count: 0, amount: 0n };
        counters.set(c.key, { count: used.count - c.count, amount: used.amount - c.amount });
      }
      if (record.dedupeKey !== undefined && dedupe.get(record.dedupeKey) === idempotencyKey) dedupe.delete(record.dedupeKey);
      record.status = "released";
      record.releasedAt = options.at;
      if (options.reason !== undefined) record.releaseReason = options.reason;
      return { status: "released", claim: copy(record) };
    },

    async get(idempotencyKey) {
      assertStorableText({ idempotencyKey }, "claim key");
      const record = claims.get(idempotencyKey);
      return record ? copy(record) : undefined;
    },

    async usage(keys) {
      assertStorableText({ keys }, "counter keys");
      const out = new Map<string, CounterUsage>();
      for (const k of keys) out.set(k, { ...(counters.get(k) ?? { count: 0, amount: 0n }) });
      return out;
    },
  };
}
