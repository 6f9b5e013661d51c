/**
 * The quote's `marginal` is how much the account's period rebate grows with
 * this order, through the same arithmetic settlement uses: modifiers,
 * rounding once per account, the cap. Its rate fields are consistent: `rate`,
 * `previous.rate` and `change` include modifiers; `baseRate`,
 * `previous.baseRate` and `baseChange` do not.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { compileRebate, type RebateDefinition } from "../src/index.js";
import { settleRebates } from "../src/entries/rebates.js";

const here = dirname(fileURLToPath(import.meta.url));
const v3 = JSON.parse(readFileSync(join(here, "../../examples/definitions/distributor-rebate.v3.rebate.json"), "utf8")) as RebateDefinition;
const AT = "2026-02-10T10:00:00+08:00";

const text = (c: bigint): string => {
  const neg = c < 0n;
  const a = (neg ? -c : c).toString().padStart(3, "0");
  return `${neg ? "-" : ""}${a.slice(0, -2)}.${a.slice(-2)}`;
};
const cents = (s: string): bigint => BigInt(s.replace(".", ""));

describe("distributor-rebate v3 quote (issue 9 item 2)", () => {
  const program = compileRebate(v3);
  const facts = {
    customer: { id: "D-001", paymentRate90d: 0.97 },
    lines: [{ netAmount: "250000.00", status: "signed" }],
    periodToDate: { basis: "900000.00" },
    priorPeriod: { basis: "800000.00" },
  };

  it("marginal includes the good-payer modifier: 1,150,000 x 0.0385 - 900,000 x 0.022", () => {
    const q = program.evaluate(facts, { at: AT });
    expect(q.marginal).toBe("24475.00");
    expect(q).toMatchObject({ baseRate: "0.035", rate: "0.0385", rebate: "9625.00" });
  });

  it("compares rates with modifiers to rates with modifiers, and base rates to base rates", () => {
    const q = program.evaluate(facts, { at: AT });
    expect(q.previous).toMatchObject({ basis: "800000.00", baseRate: "0.02", rate: "0.022" });
    expect(q.change).toBe("+0.0165"); // 0.0385 - 0.022
    expect(q.baseChange).toBe("+0.015"); // 0.035 - 0.02
    expect(q.output.change).toBe(q.change);
  });

  it("docs/rebates.md shows what the quote returns", () => {
    const page = readFileSync(join(here, "../../../docs/rebates.md"), "utf8");
    const block = page.slice(page.indexOf("const quote = program.evaluate({"));
    const claims = [...block.slice(0, block.indexOf("```")).matchAll(/^quote\.(\w+);\s*\/\/ "([^"]+)"/gm)].map((m) => [m[1]!, m[2]!] as const);
    expect(claims.map(([k]) => k)).toEqual(["baseRate", "rate", "rebate", "marginal", "change", "baseChange"]);
    const q = program.evaluate(facts, { at: AT }) as unknown as Record<string, unknown>;
    for (const [field, value] of claims) expect([field, q[field]]).toEqual([field, value]);
  });

  it("marginal respects the cap, as settlement does", () => {
    // 3,000,000 already at gold x 1.1 = 165,000; 10,000,000 more would earn 715,000 uncapped; the cap is 500,000.
    const q = program.evaluate({ ...facts, periodToDate: { basis: "3000000.00" }, lines: [{ netAmount: "10000000.00" }] }, { at: AT });
    expect(q.marginal).toBe("335000.00");
  });
});

/** Earned by one account in settlement, for order lines of the given amounts. */
function settled(doc: RebateDefinition, amounts: readonly bigint[], customer: Record<string, unknown>, lineExtra: Record<string, unknown>): bigint {
  const lines = amounts.map((a, i) => ({
    order: { id: `SO-${i}`, date: AT },
    line: { no: 1, netAmount: text(a), status: "signed", ...lineExtra },
    customer,
  }));
  const s = settleRebates({ program: compileRebate(doc), lines, period: "2026-02" });
  return s.accounts.reduce((sum, a) => sum + cents(a.earned), 0n);
}

const variants: Record<string, RebateDefinition> = {
  v3,
  incremental: { ...v3, mode: "incremental" },
  "add modifier, whole yuan, half-up": {
    ...v3,
    modifiers: [
      ...(v3.modifiers ?? []),
      { name: "new line", when: { fact: "line.productLine", op: "eq", value: "new" }, add: "0.005" },
    ],
    rounding: { scale: 0, mode: "half-up" },
  },
};

describe("marginal == earnings(basis + line) - earnings(basis) through settlement", () => {
  test.prop(
    [
      fc.constantFrom(...Object.keys(variants)),
      fc.bigInt({ min: 0n, max: 600_000_000n }),
      fc.bigInt({ min: 0n, max: 400_000_000n }),
      fc.boolean(),
      fc.constantFrom("new", "old"),
    ],
    { numRuns: 200 },
  )("for any period-to-date basis and line, to the cent", (name, basis, amount, goodPayer, productLine) => {
    const doc = variants[name]!;
    const customer = { id: "D-001", paymentRate90d: goodPayer ? 0.97 : 0.5 };
    const line = { productLine };
    const q = compileRebate(doc).evaluate(
      { customer, line: { netAmount: text(amount), status: "signed", ...line }, periodToDate: { basis: text(basis) } },
      { at: AT },
    );
    const expected = settled(doc, [basis, amount], customer, line) - settled(doc, [basis], customer, line);
    expect(q.marginal).toBe(text(expected));
  });
});
