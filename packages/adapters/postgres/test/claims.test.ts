/**
 * Budgets hold across processes: two separate connection pools (to the
 * database, two processes) race for the same budget and per-store limit.
 */
import pg from "pg";
import { describe, expect, it } from "vitest";
import { createPoolDriver, createPostgresClaimStore, migrate } from "../src/index.js";
import { DATABASE_URL, freshSchema, serverSkipReason } from "./databases.js";

describe.skipIf(serverSkipReason !== undefined)(`ClaimStore across connection pools${serverSkipReason ? ` (skipped: ${serverSkipReason})` : ""}`, () => {
  it("two pools racing 200 claims never take more than the budget or the per-store limit", async () => {
    const pools = [new pg.Pool({ connectionString: DATABASE_URL, max: 6 }), new pg.Pool({ connectionString: DATABASE_URL, max: 6 })];
    const schema = freshSchema("claims");
    const [a, b] = pools.map((p) => createPoolDriver(p));
    try {
      await migrate(a!, { schema });
      const stores = [createPostgresClaimStore(a!, { schema }), createPostgresClaimStore(b!, { schema })];
      const results = await Promise.all(
        Array.from({ length: 200 }, (_, i) =>
          stores[i % 2]!.reserve({
            idempotencyKey: `order-${i}`,
            at: "2026-02-10T02:00:00.000Z",
            counters: [
              { key: "budget", count: 1, amount: 1_500n, maxAmount: 100_000n },
              { key: `store-${i % 3}`, count: 1, amount: 0n, maxCount: 15 },
            ],
          }),
        ),
      );
      const reserved = results.filter((r) => r.status === "reserved").length;
      const usage = await stores[0]!.usage(["budget", "store-0", "store-1", "store-2"]);
      expect(usage.get("budget")!.amount <= 100_000n).toBe(true);
      expect(usage.get("budget")).toEqual({ count: reserved, amount: BigInt(reserved) * 1_500n });
      for (const k of ["store-0", "store-1", "store-2"]) expect(usage.get(k)!.count).toBeLessThanOrEqual(15);
      expect(reserved).toBe(45); // 3 stores x 15 fill before the budget's 66
      expect(results.filter((r) => r.status === "limit")).toHaveLength(155);
    } finally {
      await a!.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await Promise.all(pools.map((p) => p.end()));
    }
  });
});
