import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { compilePromotion, type PromotionDefinition } from "../src/index.js";
import { createMemoryClaimStore, createPromotionClaims } from "../src/entries/promotions.js";
import { claimStoreConformance } from "../src/testing.js";

claimStoreConformance({ describe, it, expect }, () => createMemoryClaimStore());

const AT = "2026-02-10T10:00:00+08:00";

const subsidy: PromotionDefinition = {
  kind: "promotion",
  id: "display-fee",
  version: 1,
  currency: "CNY",
  timeZone: "Asia/Shanghai",
  eligibility: { fact: "visit.gpsVerified", op: "eq", value: true },
  benefit: { type: "subsidy", amount: "3000.00", label: "display fee" },
  limits: { budget: "10000.00", perStore: { count: 2, period: "month" }, per: [{ key: "store.region", name: "perRegion", count: 5, period: "week" }] },
  dedupeKey: "store.id",
  dedupePeriod: "quarter",
};

const visit = (store: string, region = "East") => ({ store: { id: store, region }, visit: { gpsVerified: true } });

describe("claims", () => {
  it("claims, then refuses a duplicate for the same store and quarter naming the first claim", async () => {
    const claims = createPromotionClaims({ store: createMemoryClaimStore() });
    const p = compilePromotion(subsidy);
    const first = await claims.claim(p, visit("S-001"), { idempotencyKey: "visit-1", at: AT });
    expect(first).toMatchObject({
      status: "claimed",
      claimId: "visit-1",
      reservedAt: "2026-02-10T02:00:00.000Z",
      data: { promotion: "display-fee", version: 1, value: "3000.00", currency: "CNY", benefits: [{ type: "subsidy", amount: "3000.00" }] },
    });
    if (first.status === "claimed") {
      expect(first.limits.map((l) => `${l.limit} ${l.period}`)).toEqual(["budget lifetime", "perStore 2026-02", "perRegion 2026-W07"]);
    }
    const dup = await claims.claim(p, visit("S-001"), { idempotencyKey: "visit-2", at: "2026-03-20T10:00:00+08:00" });
    expect(dup).toEqual({
      status: "duplicate",
      firstClaim: { claimId: "visit-1", reservedAt: "2026-02-10T02:00:00.000Z", subject: "S-001", period: "2026-Q1" },
      message: 'store.id "S-001" already claimed display-fee for 2026-Q1: claim "visit-1" reserved at 2026-02-10T02:00:00.000Z',
    });
    // Next quarter is a new dedupe period.
    expect((await claims.claim(p, visit("S-001"), { idempotencyKey: "visit-3", at: "2026-04-02T10:00:00+08:00" })).status).toBe("claimed");
  });

  it("the same claim twice is one claim", async () => {
    const store = createMemoryClaimStore();
    const claims = createPromotionClaims({ store });
    const p = compilePromotion(subsidy);
    await claims.claim(p, visit("S-001"), { idempotencyKey: "visit-1", at: AT });
    const again = await claims.claim(p, visit("S-001"), { idempotencyKey: "visit-1", at: AT });
    expect(again).toMatchObject({ status: "replayed", claimId: "visit-1", active: true });
    const limits = await claims.limits(p, visit("S-001"), { at: AT });
    expect(limits[0]).toMatchObject({ limit: "budget", used: { count: 1, amount: "3000.00" }, remaining: { amount: "7000.00" } });
  });

  it("refuses the claim that would pass the budget, saying how much is left", async () => {
    const claims = createPromotionClaims({ store: createMemoryClaimStore() });
    const p = compilePromotion(subsidy);
    for (const s of ["S-1", "S-2", "S-3"]) expect((await claims.claim(p, visit(s), { idempotencyKey: s, at: AT })).status).toBe("claimed");
    const r = await claims.claim(p, visit("S-4"), { idempotencyKey: "S-4", at: AT });
    expect(r).toMatchObject({
      status: "limit",
      limit: { limit: "budget", period: "lifetime", maxAmount: "10000.00", used: { count: 3, amount: "9000.00" }, requested: { amount: "3000.00" } },
      message: "display-fee: budget in lifetime is reached: 1000.00 of 10000.00 left, this claim needs 3000.00",
    });
  });

  it("counts per any attribute and per period", async () => {
    const p = compilePromotion({ ...subsidy, limits: { per: [{ key: "store.region", name: "perRegion", count: 2, period: "week" }] }, dedupeKey: undefined });
    const claims = createPromotionClaims({ store: createMemoryClaimStore() });
    const at = "2026-02-10T10:00:00+08:00";
    expect((await claims.claim(p, visit("A", "East"), { idempotencyKey: "1", at })).status).toBe("claimed");
    expect((await claims.claim(p, visit("B", "East"), { idempotencyKey: "2", at })).status).toBe("claimed");
    const third = await claims.claim(p, visit("C", "East"), { idempotencyKey: "3", at });
    expect(third).toMatchObject({ status: "limit", message: 'display-fee: perRegion for store.region "East" in 2026-W07 is reached: 2 of 2 claims used' });
    expect((await claims.claim(p, visit("C", "West"), { idempotencyKey: "4", at })).status).toBe("claimed");
    expect((await claims.claim(p, visit("C", "East"), { idempotencyKey: "5", at: "2026-02-16T00:00:00+08:00" })).status).toBe("claimed");
  });

  it("a return releases what the claim took; the store can claim again", async () => {
    const claims = createPromotionClaims({ store: createMemoryClaimStore() });
    const p = compilePromotion(subsidy);
    await claims.claim(p, visit("S-001"), { idempotencyKey: "visit-1", at: AT });
    const rel = await claims.release("visit-1", { at: "2026-02-12T10:00:00+08:00", reason: "display removed" });
    expect(rel).toMatchObject({ status: "released", claimId: "visit-1", released: { count: 1, amount: "3000.00" } });
    expect((await claims.release("visit-1")).status).toBe("already-released");
    expect((await claims.release("nope")).status).toBe("not-found");
    expect((await claims.get("visit-1"))?.releaseReason).toBe("display removed");
    expect((await claims.limits(p, visit("S-001"), { at: AT }))[0]!.used).toEqual({ count: 0, amount: "0.00" });
    expect((await claims.claim(p, visit("S-001"), { idempotencyKey: "visit-2", at: AT })).status).toBe("claimed");
  });

  it("refuses ineligible facts and zero benefits, reserving nothing", async () => {
    const store = createMemoryClaimStore();
    const claims = createPromotionClaims({ store });
    const p = compilePromotion(subsidy);
    const r = await claims.claim(p, { store: { id: "S" }, visit: { gpsVerified: false } }, { idempotencyKey: "x", at: AT });
    expect(r.status).toBe("ineligible");
    if (r.status === "ineligible") expect(r.evaluation.failed[0]).toMatchObject({ fact: "visit.gpsVerified", actual: false });
    const gift = compilePromotion({ id: "g", version: 1, benefit: { type: "gift", sku: "G", quantity: "floor(order.cases / 10)" } });
    const z = await claims.claim(gift, { order: { cases: 7 } }, { idempotencyKey: "y", at: AT });
    expect(z).toMatchObject({ status: "ineligible", message: "eligible for g, but the benefit is zero for these facts; nothing to claim" });
    expect(await store.get("x")).toBeUndefined();
  });

  it("reports a reused idempotency key with a different request", async () => {
    const claims = createPromotionClaims({ store: createMemoryClaimStore() });
    const p = compilePromotion({ ...subsidy, dedupeKey: undefined });
    const q = compilePromotion({ ...subsidy, id: "other", dedupeKey: undefined });
    await claims.claim(p, visit("S-1"), { idempotencyKey: "k", at: AT });
    // get() sees the key first, so this is a replay of the first claim, not a second one
    expect((await claims.claim(q, visit("S-1"), { idempotencyKey: "k", at: AT })).status).toBe("replayed");
  });

  it("needs the fact a limit counts per", async () => {
    const claims = createPromotionClaims({ store: createMemoryClaimStore() });
    await expect(claims.claim(compilePromotion(subsidy), { visit: { gpsVerified: true } }, { idempotencyKey: "k", at: AT })).rejects.toThrow(
      /perStore counts per store.id, which is missing from the facts/,
    );
  });
});

describe("claim properties", () => {
  const promo = (budget: string, perStore: number) =>
    compilePromotion({
      id: "p",
      version: 1,
      currency: "CNY",
      benefit: { type: "discount", percent: "10", of: "order.amount" },
      limits: { budget, perStore: { count: perStore, period: "month" } },
    });

  test.prop(
    [
      fc.integer({ min: 1, max: 500 }).map((n) => `${n}.00`),
      fc.integer({ min: 1, max: 4 }),
      fc.array(fc.record({ store: fc.constantFrom("S1", "S2", "S3"), amount: fc.integer({ min: 1, max: 100000 }), key: fc.integer({ min: 0, max: 30 }) }), { maxLength: 40 }),
    ],
    { numRuns: 60 },
  )("concurrent claims never exceed the budget or a per-store limit, and one key is one claim", async (budget, perStore, attempts) => {
    const store = createMemoryClaimStore();
    const claims = createPromotionClaims({ store });
    const p = promo(budget, perStore);
    const byKey = new Map<number, (typeof attempts)[number]>();
    for (const a of attempts) if (!byKey.has(a.key)) byKey.set(a.key, a);
    const outcomes = await Promise.all(
      attempts.map((a) => {
        const first = byKey.get(a.key)!; // a retry sends the same request again
        return claims.claim(p, { store: { id: first.store }, order: { amount: first.amount / 100 } }, { idempotencyKey: `k${a.key}`, at: AT });
      }),
    );
    const claimed = outcomes.filter((o) => o.status === "claimed");
    expect(new Set(claimed.map((o) => (o as { claimId: string }).claimId)).size).toBe(claimed.length);
    let spent = 0n;
    const perStoreCount = new Map<string, number>();
    for (const key of byKey.keys()) {
      const c = await store.get(`k${key}`);
      if (!c) continue;
      spent += c.counters[0]!.amount;
      const s = byKey.get(key)!.store;
      perStoreCount.set(s, (perStoreCount.get(s) ?? 0) + 1);
    }
    const budgetMinor = BigInt(budget.replace(".", ""));
    expect(spent <= budgetMinor).toBe(true);
    for (const n of perStoreCount.values()) expect(n).toBeLessThanOrEqual(perStore);
    const usage = await claims.limits(p, { store: { id: "S1" } }, { at: AT });
    expect(BigInt(usage[0]!.used.amount.replace(".", ""))).toBe(spent);
    expect(usage[0]!.used.count).toBe(claimed.length);
  });
});
