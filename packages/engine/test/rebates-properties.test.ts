import { fc, test } from "@fast-check/vitest";
import { describe, expect } from "vitest";
import { compileRebate, type RebateDefinition } from "../src/index.js";
import { divideRounded, toMinorUnits } from "../src/entries/money.js";
import { settleRebates, type RebateStatement } from "../src/entries/rebates.js";

const cents = (s: string): bigint => toMinorUnits(s, 2) as bigint;
const text = (c: bigint): string => {
  const neg = c < 0n;
  const a = (neg ? -c : c).toString().padStart(3, "0");
  return `${neg ? "-" : ""}${a.slice(0, -2)}.${a.slice(-2)}`;
};

/** Ascending tier bounds (whole amounts) with rates of up to 4 decimals. */
const tiersArb = (nonDecreasing: boolean) =>
  fc
    .array(fc.record({ step: fc.integer({ min: 1, max: 2_000_000 }), rate: fc.integer({ min: 0, max: 2000 }) }), { minLength: 1, maxLength: 4 })
    .map((ts) => {
      let from = 0;
      let rate = 0;
      return ts.map((t, i) => {
        if (i > 0) from += t.step;
        rate = nonDecreasing ? rate + t.rate : t.rate;
        return { from: String(from), rate: (rate / 10000).toFixed(4) };
      });
    });

const lineArb = fc.record({ account: fc.constantFrom("D1", "D2", "D3"), cents: fc.bigInt({ min: 0n, max: 300_000_000n }), good: fc.boolean() });
type L = { account: string; cents: bigint; good: boolean };

const facts = (ls: readonly L[], date = "2026-02-10T10:00:00+08:00") =>
  ls.map((l, i) => ({
    order: { id: `SO-${i}`, date },
    line: { no: 1, netAmount: text(l.cents), status: "signed" },
    customer: { id: l.account, paymentRate90d: l.good ? 0.97 : 0.5 },
  }));

const doc = (over: Partial<RebateDefinition>): RebateDefinition => ({
  kind: "rebate",
  id: "p",
  version: 1,
  currency: "CNY",
  timeZone: "Asia/Shanghai",
  account: "customer.id",
  basis: { amount: "line.netAmount" },
  tiers: [{ from: "0", rate: "0.02" }],
  ...over,
});

const settle = (d: RebateDefinition, ls: readonly L[], more: Partial<Parameters<typeof settleRebates>[0]> = {}): RebateStatement =>
  settleRebates({ program: compileRebate(d), lines: facts(ls), period: "2026-02", ...more });

/** A small reference: the account's total before modifiers, by the definition of each mode. */
function reference(tiers: { from: string; rate: string }[], mode: "retroactive" | "incremental", basis: bigint, roundingMode: "half-up" | "half-even" | "down" | "up"): bigint {
  const froms = tiers.map((t) => cents(t.from));
  const rates = tiers.map((t) => BigInt(Math.round(Number(t.rate) * 10000))); // 4 decimals, exact for these inputs
  let exact = 0n;
  if (mode === "retroactive") {
    let j = -1;
    froms.forEach((f, i) => {
      if (basis >= f) j = i;
    });
    if (j >= 0) exact = basis * rates[j]!;
  } else {
    for (let i = 0; i < froms.length; i++) {
      const hi = i + 1 < froms.length ? froms[i + 1]! : basis;
      const top = basis < hi ? basis : hi;
      if (top > froms[i]!) exact += (top - froms[i]!) * rates[i]!;
    }
  }
  return divideRounded(exact, 10000n, roundingMode);
}

describe("rebate properties", () => {
  test.prop(
    [
      tiersArb(false),
      fc.constantFrom("retroactive" as const, "incremental" as const),
      fc.array(lineArb, { maxLength: 25 }),
      fc.constantFrom("half-up" as const, "half-even" as const, "down" as const, "up" as const),
      fc.integer({ min: 0, max: 2 }),
      fc.option(fc.integer({ min: 1, max: 5_000_000 }), { nil: undefined }),
      fc.boolean(),
    ],
    { numRuns: 150 },
  )("statement lines sum to each account's total and to the statement total, to the cent", (tiers, mode, ls, roundingMode, scale, cap, modifiers) => {
    const d = doc({
      tiers,
      mode,
      rounding: { mode: roundingMode, scale },
      ...(cap === undefined ? {} : { cap: `${cap}.00` }),
      ...(modifiers ? { modifiers: [{ when: { fact: "customer.paymentRate90d", op: "gte", value: 0.95 }, multiply: "1.137" }, { add: "0.0013" }] } : {}),
    });
    const s = settle(d, ls);
    let total = 0n;
    for (const a of s.accounts) {
      const sum = s.lines.filter((l) => l.account === a.account).reduce((acc, l) => acc + cents(l.amount), 0n);
      expect(text(sum)).toBe(a.earned);
      if (cap !== undefined) expect(cents(a.earned) <= BigInt(cap) * 100n).toBe(true);
      // every amount is a multiple of the rounding quantum
      for (const l of s.lines) expect(cents(l.amount) % 10n ** BigInt(2 - scale)).toBe(0n);
      total += sum;
    }
    expect(text(total)).toBe(s.totals.earned);
    expect(s.totals.payable).toBe(s.totals.earned);
    for (const rows of Object.values(s.breakdown)) expect(text(rows.reduce((acc, r) => acc + cents(r.earned), 0n))).toBe(s.totals.earned);
  });

  test.prop([tiersArb(false), fc.constantFrom("retroactive" as const, "incremental" as const), fc.array(lineArb, { maxLength: 12 }), fc.constantFrom("half-up" as const, "half-even" as const, "down" as const, "up" as const)], {
    numRuns: 150,
  })("each account's total matches a small reference implementation of the mode", (tiers, mode, ls, roundingMode) => {
    const s = settle(doc({ tiers, mode, rounding: { mode: roundingMode } }), ls);
    for (const a of s.accounts) expect(cents(a.earned)).toBe(reference(tiers, mode, cents(a.basis), roundingMode));
  });

  test.prop([tiersArb(true), fc.array(lineArb, { maxLength: 12 })], { numRuns: 150 })(
    "incremental never exceeds retroactive on the same tiers and basis (rates rising with the tiers)",
    (tiers, ls) => {
      const retro = settle(doc({ tiers, mode: "retroactive" }), ls);
      const inc = settle(doc({ tiers, mode: "incremental" }), ls);
      for (const a of inc.accounts) {
        const r = retro.accounts.find((x) => x.account === a.account)!;
        expect(cents(a.earned) <= cents(r.earned)).toBe(true);
      }
    },
  );

  test.prop([tiersArb(false), fc.array(lineArb, { maxLength: 12 }), lineArb, fc.option(fc.integer({ min: 1, max: 5_000_000 }), { nil: undefined })], { numRuns: 150 })(
    "incremental rebate is monotonic in the basis",
    (tiers, ls, extra, cap) => {
      const d = doc({ tiers, mode: "incremental", ...(cap === undefined ? {} : { cap: `${cap}.00` }) });
      const before = settle(d, ls);
      const after = settle(d, [...ls, extra]);
      for (const a of before.accounts) {
        const b = after.accounts.find((x) => x.account === a.account)!;
        expect(cents(b.earned) >= cents(a.earned)).toBe(true);
      }
    },
  );

  test.prop([tiersArb(false), fc.array(lineArb, { minLength: 1, maxLength: 12 }), fc.integer({ min: 1, max: 27 })], { numRuns: 80 })(
    "a partial settlement and its true-up pay exactly what one full settlement pays",
    (tiers, ls, day) => {
      const d = doc({ tiers });
      // half the lines early in the month, half late
      const early = ls.map((l, i) => ({ ...facts([l])[0]!, order: { id: `SO-${i}`, date: i % 2 ? "2026-02-28T10:00:00+08:00" : "2026-02-01T10:00:00+08:00" } }));
      const p = compileRebate(d);
      const at = `2026-02-${String(day + 1).padStart(2, "0")}T00:00:00+08:00`;
      const first = settleRebates({ program: p, lines: early, period: "2026-02", at });
      const final = settleRebates({ program: p, lines: early, period: "2026-02", previous: [first] });
      const full = settleRebates({ program: p, lines: early, period: "2026-02" });
      expect(text(cents(first.totals.payable) + cents(final.totals.payable))).toBe(full.totals.earned);
    },
  );

  test.prop([tiersArb(false), fc.array(lineArb, { minLength: 1, maxLength: 12 }), fc.array(fc.boolean(), { minLength: 12, maxLength: 12 })], { numRuns: 80 })(
    "claw-backs bring what was paid for a closed period to what it earns after returns",
    (tiers, ls, returned) => {
      const p = compileRebate(doc({ tiers, basis: { amount: "line.netAmount", exclude: ["returned"] } }));
      const jan = facts(ls, "2026-01-15T10:00:00+08:00");
      const janStatement = settleRebates({ program: p, lines: jan, period: "2026-01" });
      const after = jan.map((f, i) => (returned[i] ? { ...f, line: { ...f.line, status: "returned" } } : f));
      const feb = settleRebates({ program: p, lines: after, period: "2026-02", previous: [janStatement] });
      const janNow = settleRebates({ program: p, lines: after, period: "2026-01" });
      expect(text(cents(janStatement.totals.payable) + cents(feb.totals.adjustments))).toBe(janNow.totals.earned);
      // nothing else of February's is touched by January's returns
      expect(feb.lines).toEqual([]);
    },
  );

  test.prop([tiersArb(true), fc.array(lineArb, { minLength: 1, maxLength: 12 }), fc.array(fc.boolean(), { minLength: 12, maxLength: 12 })], { numRuns: 80 })(
    "with rates rising by tier, returns after settlement only ever claw back",
    (tiers, ls, returned) => {
      const p = compileRebate(doc({ tiers, basis: { amount: "line.netAmount", exclude: ["returned"] } }));
      const jan = facts(ls, "2026-01-15T10:00:00+08:00");
      const janStatement = settleRebates({ program: p, lines: jan, period: "2026-01" });
      const after = jan.map((f, i) => (returned[i] ? { ...f, line: { ...f.line, status: "returned" } } : f));
      const feb = settleRebates({ program: p, lines: after, period: "2026-02", previous: [janStatement] });
      expect(cents(feb.totals.adjustments) <= 0n).toBe(true);
      if (returned.slice(0, ls.length).every((r) => !r)) expect(feb.adjustments).toEqual([]);
    },
  );
});
