/**
 * Commission split (issue 9, item 23): money in expressions is exact. The
 * pool of a closed deal is amount x rate, and allocate() splits it 30/20/50
 * into parts that add up to the pool to the cent; no float touches it.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { createRegistry, type DecisionResult } from "@ruleflow/engine";
import { loadDefinitions, loadFacts } from "../src/definitions.js";

const registry = createRegistry(loadDefinitions());
const at = "2026-03-31T18:00:00+08:00";
const cents = (s: unknown): bigint => {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(String(s));
  if (!m) throw new Error(`not an amount with cents: ${String(s)}`);
  return (m[1] ? -1n : 1n) * BigInt(m[2]! + m[3]!);
};
const split = (facts: unknown) => registry.evaluate("commission-split", facts, { at }) as DecisionResult;

describe("commission split", () => {
  it("splits a pool of 1,234,567.89 30/20/50 exactly, to the cent", () => {
    const r = split(loadFacts("deal-closed"));
    expect(r.output).toEqual({ pool: "1234567.89", sales: "370370.37", presales: "246913.58", teamFund: "617283.94" });
    const out = r.output as Record<string, string>;
    expect(cents(out["sales"]) + cents(out["presales"]) + cents(out["teamFund"])).toBe(cents(out["pool"]));
    expect(r.warnings).toEqual([]);
  });

  it("a renewal goes 70/0/30", () => {
    const r = split({ deal: { type: "renewal", amount: "1000.01", commissionRate: "0.1" } });
    expect(r.output).toEqual({ pool: "100.00", sales: "70.00", presales: "0.00", teamFund: "30.00" });
  });

  test.prop(
    [fc.bigInt({ min: 0n, max: 10n ** 13n }), fc.integer({ min: 1, max: 2000 }), fc.constantFrom("new-logo", "renewal")],
    { seed: 23 },
  )("the parts always add up to the pool, and the pool is the amount times the rate rounded half away from zero", (amountCents, ratePermille, type) => {
    const amount = `${amountCents / 100n}.${String(amountCents % 100n).padStart(2, "0")}`;
    const rate = `${Math.floor(ratePermille / 1000)}.${String(ratePermille % 1000).padStart(3, "0")}`;
    const out = split({ deal: { type, amount, commissionRate: rate } }).output as Record<string, string>;
    // amount (2 places) x rate (3 places) has 5 places; round half away from zero to 2, in integers.
    const exact = amountCents * BigInt(ratePermille);
    const pool = (exact + 500n) / 1000n;
    expect(cents(out["pool"])).toBe(pool);
    expect(cents(out["sales"]) + cents(out["presales"]) + cents(out["teamFund"])).toBe(pool);
  });

  it("refuses an amount that is not a number instead of splitting nothing", () => {
    expect(() => split({ deal: { type: "new-logo", amount: "1,234,567.89", commissionRate: "0.05" } })).toThrow(/rules\[0\]\.then\.pool/);
  });
});
