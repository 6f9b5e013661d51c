/**
 * The conformance suite every ClaimStore must pass: the in-memory store runs
 * it in this repository, and a PostgreSQL (or any other) adapter runs the
 * very same suite against its own database.
 */
import { expectUnstorableRefusal, type TestApi } from "../conformance-kit.js";
import { seededRandom } from "../testing/random.js";
import type { ClaimCounter, ClaimStore, ReserveRequest } from "./claim-store.js";

const AT = "2026-02-10T02:00:00.000Z";

function request(key: string, counters: ClaimCounter[], dedupeKey?: string): ReserveRequest {
  return { idempotencyKey: key, counters, at: AT, ...(dedupeKey === undefined ? {} : { dedupeKey }), data: { note: key } };
}

/**
 * Register the ClaimStore conformance tests.
 *
 * @param t - the test framework's `describe`, `it` and `expect` (vitest, jest or node:test with an adapter)
 * @param createStore - makes a fresh, empty store for each test
 * @returns nothing; the tests are registered with `t`
 * @example
 * ```ts
 * import { describe, it, expect } from "vitest";
 * import { claimStoreConformance } from "@ruleflow/engine/testing";
 * claimStoreConformance({ describe, it, expect }, () => createMemoryClaimStore());
 * ```
 */
export function claimStoreConformance(t: TestApi, createStore: () => ClaimStore | Promise<ClaimStore>): void {
  const { describe, it, expect } = t;
  const budget = (amount: bigint, maxAmount: bigint): ClaimCounter => ({ key: "budget", count: 1, amount, maxAmount });
  const uses = (maxCount: number, key = "uses"): ClaimCounter => ({ key, count: 1, amount: 0n, maxCount });
  const refused = (p: Promise<unknown>, fields: Record<string, unknown>): Promise<void> => expectUnstorableRefusal(expect, p, fields);

  describe("ClaimStore conformance", () => {
    it("reserves, keeps the claim and counts usage", async () => {
      const store = await createStore();
      const r = await store.reserve(request("c1", [budget(300n, 1000n), uses(5)]));
      expect(r.status).toBe("reserved");
      const got = await store.get("c1");
      expect(got?.status).toBe("active");
      expect(got?.reservedAt).toBe(AT);
      expect(got?.data).toEqual({ note: "c1" });
      const usage = await store.usage(["budget", "uses", "never-used"]);
      expect(usage.get("budget")).toEqual({ count: 1, amount: 300n });
      expect(usage.get("uses")).toEqual({ count: 1, amount: 0n });
      expect(usage.get("never-used")).toEqual({ count: 0, amount: 0n });
      expect(await store.get("unknown")).toBeUndefined();
    });

    it("the same claim twice is one claim", async () => {
      const store = await createStore();
      await store.reserve(request("c1", [budget(300n, 1000n)]));
      const again = await store.reserve(request("c1", [budget(300n, 1000n)]));
      expect(again.status).toBe("replayed");
      expect((await store.usage(["budget"])).get("budget")).toEqual({ count: 1, amount: 300n });
    });

    it("refuses a different request under a used idempotency key", async () => {
      const store = await createStore();
      await store.reserve(request("c1", [budget(300n, 1000n)]));
      const r = await store.reserve(request("c1", [budget(400n, 1000n)]));
      expect(r.status).toBe("conflict");
      expect((await store.usage(["budget"])).get("budget")?.amount).toBe(300n);
    });

    it("refuses a duplicate dedupe key naming the first claim, and allows it again after release", async () => {
      const store = await createStore();
      await store.reserve(request("first", [uses(10)], "store-S1-2026-Q1"));
      const dup = await store.reserve(request("second", [uses(10)], "store-S1-2026-Q1"));
      expect(dup.status).toBe("duplicate");
      if (dup.status === "duplicate") expect(dup.claim.idempotencyKey).toBe("first");
      expect((await store.usage(["uses"])).get("uses")?.count).toBe(1);
      expect(await store.get("second")).toBeUndefined();
      await store.release("first", { at: AT, reason: "cancelled" });
      expect((await store.reserve(request("third", [uses(10)], "store-S1-2026-Q1"))).status).toBe("reserved");
    });

    it("takes all counters or none", async () => {
      const store = await createStore();
      await store.reserve(request("fill", [uses(1, "tight")]));
      const r = await store.reserve(request("c2", [budget(100n, 1000n), uses(1, "tight")]));
      expect(r.status).toBe("limit");
      if (r.status === "limit") {
        expect(r.counter.key).toBe("tight");
        expect(r.used).toEqual({ count: 1, amount: 0n });
      }
      expect((await store.usage(["budget"])).get("budget")).toEqual({ count: 0, amount: 0n });
    });

    it("allows a claim that reaches a limit exactly", async () => {
      const store = await createStore();
      expect((await store.reserve(request("a", [budget(600n, 1000n)]))).status).toBe("reserved");
      expect((await store.reserve(request("b", [budget(400n, 1000n)]))).status).toBe("reserved");
      expect((await store.reserve(request("c", [budget(1n, 1000n)]))).status).toBe("limit");
    });

    it("concurrent claims never take more than the last unit of a budget", async () => {
      const store = await createStore();
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.reserve(request(`c${i}`, [budget(30n, 100n)]))));
      expect(results.filter((r) => r.status === "reserved")).toHaveLength(3);
      expect((await store.usage(["budget"])).get("budget")).toEqual({ count: 3, amount: 90n });
    });

    it("concurrent claims with one idempotency key make one claim", async () => {
      const store = await createStore();
      const results = await Promise.all(Array.from({ length: 10 }, () => store.reserve(request("same", [budget(30n, 1000n)]))));
      expect(results.filter((r) => r.status === "reserved")).toHaveLength(1);
      expect(results.filter((r) => r.status === "replayed")).toHaveLength(9);
      expect((await store.usage(["budget"])).get("budget")?.amount).toBe(30n);
    });

    it("release gives back exactly what the claim took, once", async () => {
      const store = await createStore();
      await store.reserve(request("c1", [budget(300n, 1000n), uses(5)]));
      await store.reserve(request("c2", [budget(200n, 1000n), uses(5)]));
      const r = await store.release("c1", { at: "2026-02-11T00:00:00.000Z", reason: "returned" });
      expect(r.status).toBe("released");
      if (r.status === "released") {
        expect(r.claim.releaseReason).toBe("returned");
        expect(r.claim.releasedAt).toBe("2026-02-11T00:00:00.000Z");
      }
      expect((await store.release("c1", { at: AT })).status).toBe("already-released");
      expect((await store.release("nope", { at: AT })).status).toBe("not-found");
      const usage = await store.usage(["budget", "uses"]);
      expect(usage.get("budget")).toEqual({ count: 1, amount: 200n });
      expect(usage.get("uses")).toEqual({ count: 1, amount: 0n });
      expect((await store.get("c1"))?.status).toBe("released");
    });

    it("replaying a released claim's key does not take again", async () => {
      const store = await createStore();
      await store.reserve(request("c1", [budget(300n, 1000n)]));
      await store.release("c1", { at: AT });
      const r = await store.reserve(request("c1", [budget(300n, 1000n)]));
      expect(r.status).toBe("replayed");
      if (r.status === "replayed") expect(r.claim.status).toBe("released");
      expect((await store.usage(["budget"])).get("budget")?.amount).toBe(0n);
    });

    it("refuses NUL characters and lone surrogates in keys, dates, data and reasons, naming the field, and keeps every claim", async () => {
      const store = await createStore();
      await store.reserve(request("c1", [budget(300n, 1000n), uses(5)], "store-S1"));
      const before = { claim: await store.get("c1"), usage: await store.usage(["budget", "uses"]) };
      const bad: ReserveRequest[] = [
        request("c2\u0000", [budget(100n, 1000n)]),
        request("c2", [budget(100n, 1000n)], "store-\uD800"),
        request("c2", [budget(100n, 1000n), { ...uses(5), key: "uses\u0000S1" }]),
        { ...request("c2", [budget(100n, 1000n)]), data: { note: "\uDC00", ["k\u0000"]: 1 } },
        { ...request("c2", [budget(100n, 1000n)]), at: "2026-02-10T02:00:00Z\u0000" },
      ];
      for (const r of bad) await refused(store.reserve(r), { ...r });
      await refused(store.release("c1", { at: AT, reason: "returned\u0000" }), { idempotencyKey: "c1", at: AT, reason: "returned\u0000" });
      await refused(store.release("c1\uDBFF", { at: AT }), { idempotencyKey: "c1\uDBFF", at: AT });
      await refused(store.get("c1\u0000"), { idempotencyKey: "c1\u0000" });
      await refused(store.usage(["budget", "uses\uD800"]), { keys: ["budget", "uses\uD800"] });
      expect({ claim: await store.get("c1"), usage: await store.usage(["budget", "uses"]) }).toEqual(before);
      expect(await store.get("c2")).toBeUndefined();
      // well-formed text, emoji included, is kept as it was
      const ok = await store.reserve({ ...request("c3 \uD83C\uDF89", [uses(5)]), data: { note: "\u6625\u8282 \uD83E\uDDE7" } });
      expect(ok.status).toBe("reserved");
      expect((await store.get("c3 \uD83C\uDF89"))?.data).toEqual({ note: "\u6625\u8282 \uD83E\uDDE7" });
    });

    it("keeps amounts beyond 2^53 exact", async () => {
      const store = await createStore();
      const big = 2n ** 62n + 7n;
      await store.reserve(request("c1", [{ key: "big", count: 1, amount: big, maxAmount: 2n ** 63n - 1n }]));
      expect((await store.usage(["big"])).get("big")?.amount).toBe(big);
    });

    it("under a concurrent random mix, usage equals what active claims took and never passes a limit", async () => {
      const store = await createStore();
      const rnd = seededRandom(20261123);
      const limits: Record<string, { maxCount?: number; maxAmount?: bigint }> = {
        total: { maxAmount: 5000n },
        storeA: { maxCount: 7 },
        storeB: { maxCount: 4, maxAmount: 900n },
      };
      const requests = Array.from({ length: 120 }, () => {
        const amount = BigInt(1 + Math.floor(rnd() * 300));
        const store = rnd() < 0.5 ? "storeA" : "storeB";
        const key = `k${Math.floor(rnd() * 100)}`; // some keys repeat: idempotent retries
        return { idempotencyKey: key, amount, store, release: rnd() < 0.2 };
      });
      const firstOf = new Map<string, (typeof requests)[number]>();
      for (const r of requests) if (!firstOf.has(r.idempotencyKey)) firstOf.set(r.idempotencyKey, r);
      await Promise.all(
        requests.map(async (r) => {
          const first = firstOf.get(r.idempotencyKey)!;
          const counters: ClaimCounter[] = [
            { key: "total", count: 1, amount: first.amount, ...limits["total"] },
            { key: first.store, count: 1, amount: first.amount, ...limits[first.store] },
          ];
          const res = await store.reserve(request(r.idempotencyKey, counters));
          if (r.release && res.status === "reserved") await store.release(r.idempotencyKey, { at: AT });
        }),
      );
      const usage = await store.usage(["total", "storeA", "storeB"]);
      const expected = new Map<string, { count: number; amount: bigint }>([
        ["total", { count: 0, amount: 0n }],
        ["storeA", { count: 0, amount: 0n }],
        ["storeB", { count: 0, amount: 0n }],
      ]);
      for (const key of firstOf.keys()) {
        const claim = await store.get(key);
        if (claim?.status !== "active") continue;
        for (const c of claim.counters) {
          const e = expected.get(c.key)!;
          expected.set(c.key, { count: e.count + c.count, amount: e.amount + c.amount });
        }
      }
      for (const [key, lim] of Object.entries(limits)) {
        const u = usage.get(key)!;
        expect(u, key).toEqual(expected.get(key));
        if (lim.maxCount !== undefined) expect(u.count).toBeLessThanOrEqual(lim.maxCount);
        if (lim.maxAmount !== undefined) expect(u.amount <= lim.maxAmount, `${key} amount within limit`).toBe(true);
      }
    });
  });
}
