/**
 * The column-based settlement (settleRebates, createRebateSettlement) against
 * the reference: the object-per-line settlement it replaced
 * (rebates-reference.ts). On random programs (modes, tier measures, versions
 * with effective dates, literal modifiers that multiply or add, caps, rounding
 * scales and modes, exclusions, filters, breakdowns) and random lines (amounts
 * up to 10^20 minor units so the BigInt path runs too, volumes, statuses, dates
 * in the period, before it, after the settlement time), with and without an
 * earlier statement of the same and the previous period, the statement must be
 * the same to the last character: as objects, as JSON, through
 * statementLines and statementJson, and line by line through add.
 */
import { fc, test } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { compileRebate, type RebateDefinition } from "../src/index.js";
import {
  createRebateSettlement,
  settleRebates,
  statementLineCount,
  statementLines,
  statementJson,
  type RebateStatement,
} from "../src/entries/rebates.js";
import { smallMinorUnits, minorUnitsOf } from "../src/money/amount.js";
import { KeyStore } from "../src/rebates/line-table.js";
import { orderInstant } from "../src/rebates/lines.js";
import { parseInstant } from "../src/expr/values.js";
import { settleReference } from "./rebates-reference.js";

const decimalText = (units: bigint, scale: number): string => {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(scale + 1, "0");
  return `${neg ? "-" : ""}${scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits}`;
};

const tiersArb = fc
  .array(fc.record({ step: fc.integer({ min: 1, max: 3_000_000 }), rate: fc.integer({ min: 0, max: 900 }) }), { minLength: 1, maxLength: 3 })
  .map((ts) => {
    let from = 0;
    return ts.map((t, i) => {
      if (i > 0) from += t.step;
      return { from: String(from), rate: (t.rate / 10000).toFixed(4) };
    });
  });

const modifierArb = fc.record({
  name: fc.constantFrom("good payer", "north", "big"),
  when: fc.constantFrom(
    { fact: "customer.paymentRate90d", op: "gte", value: 0.95 },
    { fact: "customer.region", op: "eq", value: "north" },
    { fact: "line.cases", op: "gt", value: 5 },
  ),
  op: fc.constantFrom("multiply", "add"),
  value: fc.constantFrom("1.1", "1.25", "0.9", "0.005", "-0.01", "1.10"),
});

const versionArb = fc.record({
  mode: fc.constantFrom("retroactive" as const, "incremental" as const),
  tierBy: fc.constantFrom("amount" as const, "volume" as const, "growth" as const),
  tiers: tiersArb,
  modifiers: fc.array(modifierArb, { maxLength: 2 }),
  cap: fc.option(fc.integer({ min: 1, max: 200_000 }), { nil: undefined }),
  scale: fc.constantFrom(0, 1, 2),
  rounding: fc.constantFrom("half-up" as const, "half-even" as const, "down" as const, "up" as const),
  where: fc.boolean(),
});

const programArb = fc.record({
  versions: fc.array(versionArb, { minLength: 1, maxLength: 2 }),
  breakdown: fc.boolean(),
  split: fc.integer({ min: 2, max: 27 }),
});
type ProgramSpec = typeof programArb extends fc.Arbitrary<infer T> ? T : never;

function definitions(spec: ProgramSpec): RebateDefinition[] {
  const n = spec.versions.length;
  return spec.versions.map((v, i) => ({
    kind: "rebate",
    id: "p",
    version: i + 1,
    currency: "CNY",
    timeZone: "Asia/Shanghai",
    account: "customer.id",
    basis: {
      amount: "line.netAmount",
      volume: "line.cases",
      exclude: ["returned"],
      ...(v.where ? { where: { fact: "line.channel", op: "ne", value: "internal" } } : {}),
    },
    // Growth tiers read bounds as ratios; keep them small.
    tierBy: v.tierBy,
    mode: v.mode,
    tiers: v.tierBy === "growth" ? v.tiers.map((t, k) => ({ from: (k / 10).toFixed(1), rate: t.rate })) : v.tierBy === "volume" ? v.tiers.map((t, k) => ({ from: String(k * 7), rate: t.rate })) : v.tiers,
    modifiers: v.modifiers.map((m) => ({ name: m.name, when: m.when, [m.op]: m.op === "add" && !m.value.startsWith("-") && Number(m.value) > 0.5 ? "0.01" : m.value })),
    ...(v.cap === undefined ? {} : { cap: decimalText(BigInt(v.cap) * 100n, 2) }),
    rounding: { scale: v.scale, mode: v.rounding },
    ...(spec.breakdown ? { breakdown: ["customer.region", { name: "channel", expr: "line.channel" }] } : {}),
    ...(n > 1 ? { effective: i === 0 ? { to: `2026-02-${String(spec.split).padStart(2, "0")}T00:00:00+08:00` } : { from: `2026-02-${String(spec.split).padStart(2, "0")}T00:00:00+08:00` } } : {}),
  }));
}

const lineArb = fc.record({
  account: fc.constantFrom("D1", "D2", "D3", "D4"),
  cents: fc.oneof(
    { weight: 8, arbitrary: fc.bigInt({ min: 0n, max: 300_000_000n }) },
    { weight: 1, arbitrary: fc.bigInt({ min: -50_000n, max: 0n }) },
    { weight: 1, arbitrary: fc.bigInt({ min: 10n ** 15n, max: 10n ** 20n }) },
  ),
  cases: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
  month: fc.constantFrom("01", "02", "02", "02", "02", "03"),
  day: fc.integer({ min: 1, max: 28 }),
  status: fc.constantFrom("signed", "signed", "signed", "returned"),
  channel: fc.constantFrom("shop", "online", "internal"),
  region: fc.constantFrom("north", "south"),
  good: fc.boolean(),
  asNumber: fc.boolean(),
});
type L = typeof lineArb extends fc.Arbitrary<infer T> ? T : never;

function facts(ls: readonly L[], idBase = 0): unknown[] {
  return ls.map((l, i) => ({
    order: { id: `SO-${idBase + i}`, date: `2026-${l.month}-${String(l.day).padStart(2, "0")}T1${i % 10}:00:00+08:00` },
    line: {
      no: (i % 3) + 1,
      // small amounts sometimes as JSON numbers (read through their shortest text)
      netAmount: l.asNumber && l.cents < 10_000_000n && l.cents > -10_000_000n ? Number(l.cents) / 100 : decimalText(l.cents, 2),
      status: l.status,
      channel: l.channel,
      ...(l.cases === undefined ? {} : { cases: l.cases }),
    },
    customer: { id: l.account, region: l.region, paymentRate90d: l.good ? 0.97 : 0.9 },
  }));
}

/** Both paths, or the same error from both. */
function both(run: (settle: typeof settleRebates) => RebateStatement): { fast: RebateStatement; reference: RebateStatement } | { error: string } {
  let reference: RebateStatement;
  try {
    reference = run(settleReference);
  } catch (e) {
    expect(() => run(settleRebates)).toThrow((e as Error).message);
    return { error: (e as Error).message };
  }
  return { fast: run(settleRebates), reference };
}

function expectSame(fast: RebateStatement, reference: RebateStatement): void {
  const text = JSON.stringify(reference, null, 2);
  expect([...statementJson(fast)].join("")).toBe(text);
  expect(statementLineCount(fast)).toBe(reference.lines.length);
  expect([...statementLines(fast)]).toEqual(reference.lines);
  expect(JSON.stringify(fast, null, 2)).toBe(text);
  expect(fast).toEqual(reference);
}

describe("the column-based settlement equals the reference", () => {
  test.prop([programArb, fc.array(lineArb, { maxLength: 30 }), fc.integer({ min: 1, max: 31 })], { numRuns: 250 })(
    "one settlement: statement, JSON and lines are the same",
    (spec, ls, atDay) => {
      const program = definitions(spec).map((d) => compileRebate(d));
      const lines = facts(ls);
      const at = atDay > 28 ? undefined : `2026-02-${String(atDay).padStart(2, "0")}T12:00:00+08:00`;
      const r = both((settle) => settle({ program, lines, period: "2026-02", at }));
      if ("error" in r) return;
      expectSame(r.fast, r.reference);
      // Line by line through the incremental API.
      const s = createRebateSettlement({ program, period: "2026-02", at });
      for (const l of lines) s.add(l);
      expect(s.count).toBe(lines.length);
      expect(JSON.stringify(s.finish())).toBe(JSON.stringify(r.reference));
    },
  );

  test.prop([programArb, fc.array(lineArb, { maxLength: 20 }), fc.array(lineArb, { maxLength: 10 }), fc.array(fc.boolean(), { minLength: 20, maxLength: 20 })], { numRuns: 150 })(
    "a true-up and claw-backs: with earlier statements of the period and the one before",
    (spec, ls, more, returned) => {
      const program = definitions(spec).map((d) => compileRebate(d));
      const lines = facts(ls);
      const jan = both((settle) => settle({ program, lines, period: "2026-01" }));
      const partial = both((settle) => settle({ program, lines, period: "2026-02", at: "2026-02-15T00:00:00+08:00" }));
      if ("error" in jan || "error" in partial) return;
      expectSame(jan.fast, jan.reference);
      expectSame(partial.fast, partial.reference);
      // Later: some lines returned, some lines new; the earlier statements as the fast path wrote them.
      const later = facts(ls.map((l, i) => (returned[i] ? { ...l, status: "returned" } : l))).concat(facts(more, 1000));
      const previous = [JSON.parse(JSON.stringify(jan.fast)) as RebateStatement, JSON.parse(JSON.stringify(partial.fast)) as RebateStatement];
      const r = both((settle) => settle({ program, lines: later, period: "2026-02", previous }));
      if ("error" in r) return;
      expectSame(r.fast, r.reference);
    },
  );
});

describe("errors are the same", () => {
  const program = compileRebate({ kind: "rebate", id: "p", version: 1, currency: "CNY", account: "customer.id", basis: { amount: "line.netAmount" }, tiers: [{ from: "0", rate: "0.02" }] });
  const line = (id: string, amount: unknown, account: unknown = "D1") => ({ order: { id, date: "2026-02-03T10:00:00Z" }, line: { no: 1, netAmount: amount }, customer: { id: account } });
  it.each([
    ["a key given twice", [line("SO-1", "1.00"), line("SO-2", "2.00"), line("SO-1", "3.00")], /line key "SO-1\/1" appears twice in 2026-02/],
    ["an amount with too many decimals", [line("SO-1", "1.005")], /order line 1 \(SO-1\/1\): basis.amount \(line.netAmount\): 1.005 has 3 decimal places/],
    ["no account", [line("SO-1", "1.00", null)], /order line 1 \(SO-1\/1\): account \(customer.id\) is missing/],
    ["no amount", [line("SO-1", undefined)], /order line 1 \(SO-1\/1\): basis.amount/],
    ["no key", [{ order: { date: "2026-02-03T10:00:00Z" }, line: { no: 1, netAmount: "1" } }], /order line 1: order.id is missing/],
  ])("%s", (_, lines, message) => {
    expect(() => settleReference({ program, lines, period: "2026-02" })).toThrow(message);
    expect(() => settleRebates({ program, lines, period: "2026-02" })).toThrow(message);
  });

  it("a finished settlement takes no more lines", () => {
    const s = createRebateSettlement({ program, period: "2026-02" });
    s.add(line("SO-1", "1.00"));
    expect(s.finish().totals.basis).toBe("1.00");
    expect(() => s.add(line("SO-2", "1.00"))).toThrow(/finished/);
    expect(() => s.finish()).toThrow(/finished/);
  });

  it("lines built lazily can be replaced before and after they are built", () => {
    const a = settleRebates({ program, lines: [line("SO-1", "1.00"), line("SO-2", "2.00")], period: "2026-02" });
    a.lines = [];
    expect(a.lines).toEqual([]);
    const b = settleRebates({ program, lines: [line("SO-1", "1.00")], period: "2026-02" });
    expect(b.lines).toHaveLength(1);
    b.lines.push(b.lines[0]!);
    expect(statementLineCount(b)).toBe(2);
  });
});

describe("amounts read without BigInt", () => {
  test.prop([fc.oneof(fc.stringMatching(/^[+-]?\d{0,17}(\.\d{0,4})?$/), fc.string({ maxLength: 8 })), fc.integer({ min: 0, max: 4 })], { numRuns: 2000 })(
    "smallMinorUnits is minorUnitsOf as a number, or undefined",
    (text, scale) => {
      const fast = smallMinorUnits(text, scale);
      if (fast === undefined) return;
      const exact = minorUnitsOf(text, scale);
      expect(typeof exact).toBe("bigint");
      expect(Object.is(fast, Number(exact))).toBe(true);
    },
  );
});

describe("line keys", () => {
  test.prop([fc.array(fc.stringMatching(/^[ab\u00e9\u4e00]{0,3}$/), { maxLength: 300 }), fc.constantFrom(1, 3, 22)], { numRuns: 300 })(
    "the first repeated key is the one a Set finds, however full the hash buckets; keys come back as given",
    (keys, maxBits) => {
      const store = new KeyStore();
      for (const k of keys) store.add(k);
      const seen = new Set<string>();
      const expected = keys.findIndex((k) => (seen.has(k) ? true : (seen.add(k), false)));
      expect(store.firstRepeat(maxBits)).toBe(expected);
      keys.forEach((k, i) => expect(store.key(i)).toBe(k));
      if (keys.length) expect(store.find(keys[keys.length - 1]!)).toBe(keys.indexOf(keys[keys.length - 1]!));
      expect(store.find("not a key")).toBe(-1);
    },
  );
});

/** orderInstant as it was (Date.UTC and digit by digit), the reference for the integer version. */
function orderInstantBefore(value: unknown): number | undefined {
  const digit = (s: string, i: number): number => {
    const c = s.charCodeAt(i) - 48;
    return c >= 0 && c <= 9 ? c : NaN;
  };
  const two = (s: string, i: number): number => digit(s, i) * 10 + digit(s, i + 1);
  if (typeof value === "string" && (value.length === 25 || value.length === 20) && value.charCodeAt(10) === 84) {
    const y = two(value, 0) * 100 + two(value, 2);
    const mo = two(value, 5);
    const d = two(value, 8);
    const h = two(value, 11);
    const mi = two(value, 14);
    const sec = two(value, 17);
    const z = value.charCodeAt(19);
    if (value[4] === "-" && value[7] === "-" && value[13] === ":" && value[16] === ":" && mo >= 1 && mo <= 12 && d >= 1 && d <= 28 && h <= 23 && mi <= 59 && sec <= 59 && y >= 1000) {
      const t = Date.UTC(y, mo - 1, d, h, mi, sec);
      if (value.length === 20 && z === 90) return t;
      if (value.length === 25 && (z === 43 || z === 45) && value[22] === ":") {
        const oh = two(value, 20);
        const om = two(value, 23);
        const minutes = oh * 60 + om;
        if (om < 60 && minutes <= 18 * 60) return z === 43 ? t - minutes * 60_000 : t + minutes * 60_000;
        return undefined;
      }
    }
  }
  return parseInstant(value);
}

describe("order times", () => {
  const ch = (chars: string) => fc.constantFrom(...chars.split(""));
  const digitOr = fc.oneof({ weight: 60, arbitrary: ch("0123456789") }, { weight: 60, arbitrary: ch("0120120101") }, { weight: 1, arbitrary: ch(":/ Ta") });
  const timeText = fc
    .tuple(fc.array(digitOr, { minLength: 25, maxLength: 25 }), ch("--/"), ch("--/"), ch("TTt"), ch("::."), ch("::."), ch("+-Z+-x"), ch("::."), fc.boolean())
    .map(([d, s4, s7, t10, c13, c16, z, c22, short]) => {
      const c = [...d];
      c[4] = s4;
      c[7] = s7;
      c[10] = t10;
      c[13] = c13;
      c[16] = c16;
      c[19] = short ? "Z" : z;
      c[22] = c22;
      return short ? c.slice(0, 20).join("") : c.join("");
    });
  test.prop([fc.oneof(timeText, fc.constantFrom("2026-02-10T10:00:00+08:00", "1999-12-31T23:59:59Z", "2026-02-29T10:00:00Z", "2026-02-10T10:00:00+18:01", "2026-02-10T10:00:00-00:60"))], { numRuns: 3000 })(
    "orderInstant reads what it read before",
    (text) => {
      expect(orderInstant(text)).toBe(orderInstantBefore(text));
    },
  );
});
