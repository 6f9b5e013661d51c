import { describe, expect, it } from "vitest";
import { compileRebate, createRegistry, formatIssue, validateDefinition, type RebateDefinition } from "../src/index.js";
import { settleRebates, type RebateStatement } from "../src/entries/rebates.js";
import { ruleflowError } from "./helpers.js";

/** The DSL's distributor rebate, with an account per customer and a Shanghai calendar. */
const program = (over: Partial<RebateDefinition> = {}): RebateDefinition => ({
  kind: "rebate",
  id: "distributor-rebate",
  version: 4,
  currency: "CNY",
  timeZone: "Asia/Shanghai",
  period: "month",
  account: "customer.id",
  basis: { amount: "line.netAmount", exclude: ["returned", "exchanged"] },
  mode: "retroactive",
  tiers: [
    { from: "0", rate: "0.02" },
    { from: "1000000", rate: "0.035" },
    { from: "3000000", rate: "0.05" },
  ],
  rounding: { scale: 2, mode: "half-even" },
  ...over,
});

let seq = 0;
const line = (customer: string, amount: string | number, date = "2026-02-10T10:00:00+08:00", extra: Record<string, unknown> = {}) => ({
  order: { id: `SO-${++seq}`, date, salesRep: "li" },
  line: { no: 1, netAmount: amount, status: "signed", ...extra },
  customer: { id: customer, region: "East", paymentRate90d: 0.9 },
});

const settle = (doc: RebateDefinition, lines: unknown[], more: Partial<Parameters<typeof settleRebates>[0]> = {}): RebateStatement =>
  settleRebates({ program: compileRebate(doc), lines, period: "2026-02", ...more });

const earnedFor = (doc: RebateDefinition, amount: string) => {
  const s = settle(doc, [line("D1", amount)]);
  return { earned: s.accounts[0]!.earned, tier: s.accounts[0]!.tiers[0]!.reached.index, exact: s.accounts[0]!.exact };
};

describe("tier boundaries, computed by hand (tiers are [from, next.from))", () => {
  // retroactive: the whole basis at the reached tier's rate
  it.each([
    ["999999.99", 0, "19999.9998", "20000.00"],
    ["1000000.00", 1, "35000", "35000.00"],
    ["1000000.01", 1, "35000.00035", "35000.00"],
    ["2999999.99", 1, "104999.99965", "105000.00"],
    ["3000000.00", 2, "150000", "150000.00"],
    ["3000000.01", 2, "150000.0005", "150000.00"],
    ["0.00", 0, "0", "0.00"],
    ["0.01", 0, "0.0002", "0.00"],
  ])("retroactive at %s: tier %i, exact %s, earned %s", (amount, tier, exact, earned) => {
    expect(earnedFor(program(), amount)).toEqual({ tier, exact, earned });
  });

  // incremental: 2% on [0, 1,000,000), 3.5% on [1,000,000, 3,000,000), 5% above
  it.each([
    ["999999.99", 0, "19999.9998", "20000.00"],
    ["1000000.00", 1, "20000", "20000.00"],
    ["1000000.01", 1, "20000.00035", "20000.00"],
    ["2999999.99", 1, "89999.99965", "90000.00"],
    ["3000000.00", 2, "90000", "90000.00"],
    ["3000000.01", 2, "90000.0005", "90000.00"],
    ["4000000.00", 2, "140000", "140000.00"],
  ])("incremental at %s: tier %i, exact %s, earned %s", (amount, tier, exact, earned) => {
    expect(earnedFor(program({ mode: "incremental" }), amount)).toEqual({ tier, exact, earned });
  });

  it("shows the cent at every boundary with a coarse ladder", () => {
    // 10% from 100.00, 20% from 200.00; half-up to the cent
    const doc = program({ tiers: [{ from: "100", rate: "0.1" }, { from: "200", rate: "0.2" }], rounding: { mode: "half-up" } });
    expect(earnedFor(doc, "99.99")).toEqual({ tier: -1, exact: "0", earned: "0.00" });
    expect(earnedFor(doc, "100.00")).toEqual({ tier: 0, exact: "10", earned: "10.00" });
    expect(earnedFor(doc, "100.01")).toEqual({ tier: 0, exact: "10.001", earned: "10.00" });
    expect(earnedFor(doc, "199.99")).toEqual({ tier: 0, exact: "19.999", earned: "20.00" });
    expect(earnedFor(doc, "200.00")).toEqual({ tier: 1, exact: "40", earned: "40.00" });
    expect(earnedFor(doc, "200.01")).toEqual({ tier: 1, exact: "40.002", earned: "40.00" });
    const inc = { ...doc, mode: "incremental" as const };
    expect(earnedFor(inc, "99.99").earned).toBe("0.00");
    expect(earnedFor(inc, "100.01")).toEqual({ tier: 0, exact: "0.001", earned: "0.00" });
    expect(earnedFor(inc, "199.99")).toEqual({ tier: 0, exact: "9.999", earned: "10.00" });
    expect(earnedFor(inc, "200.00")).toEqual({ tier: 1, exact: "10", earned: "10.00" });
    expect(earnedFor(inc, "200.01")).toEqual({ tier: 1, exact: "10.002", earned: "10.00" });
    expect(earnedFor(inc, "250.00")).toEqual({ tier: 1, exact: "20", earned: "20.00" });
  });

  it("explains incremental bands and the next tier", () => {
    const s = settle(program({ mode: "incremental" }), [line("D1", "1500000.00")]);
    expect(s.accounts[0]!.tiers[0]).toEqual({
      version: 4,
      tierBy: "amount",
      mode: "incremental",
      reached: { index: 1, from: "1000000", rate: "0.035", measure: "1500000.00" },
      baseRate: "0.025",
      bands: [
        { tier: 0, from: "0", to: "1000000", rate: "0.02", measured: "1000000.00", rebate: "20000" },
        { tier: 1, from: "1000000", to: "3000000", rate: "0.035", measured: "500000.00", rebate: "17500" },
      ],
      next: { index: 2, from: "3000000", rate: "0.05", remaining: "1500000.00", remainingOf: "amount" },
    });
    expect(s.lines[0]).toMatchObject({ tier: { index: 1, rate: "0.035" }, baseRate: "0.025", rate: "0.025", amount: "37500.00" });
  });
});

describe("volume and growth tiers", () => {
  it("volume tiers: retroactive by cases, incremental by each band's share of the amount", () => {
    const doc = program({
      basis: { amount: "line.netAmount", volume: "line.cases" },
      tierBy: "volume",
      tiers: [{ from: "0", rate: "0.01" }, { from: "100", rate: "0.03" }],
    });
    const lines = [line("D1", "6000.00", undefined, { cases: 60 }), line("D1", "6000.00", undefined, { cases: 60 })];
    const retro = settle(doc, lines);
    expect(retro.accounts[0]).toMatchObject({ basis: "12000.00", volume: "120", earned: "360.00" });
    expect(retro.accounts[0]!.tiers[0]!.next).toBeNull();
    // incremental: 100 of 120 cases at 1%, 20 at 3%, on 12,000.00: 12000 * (100*0.01 + 20*0.03) / 120 = 160
    const inc = settle({ ...doc, mode: "incremental" }, lines);
    expect(inc.accounts[0]).toMatchObject({ earned: "160.00" });
    expect(inc.lines.map((l) => l.amount)).toEqual(["80.00", "80.00"]);
    const under = settle(doc, [line("D1", "6000.00", undefined, { cases: 99.5 })]);
    expect(under.accounts[0]!.tiers[0]!.next).toMatchObject({ remaining: "0.5", remainingOf: "volume" });
  });

  it("growth tiers against the prior period, computed from last month's lines or given", () => {
    const doc = program({
      tierBy: "growth",
      tiers: [{ from: "0", rate: "0.01" }, { from: "0.1", rate: "0.03" }],
    });
    const jan = line("D1", "1000000.00", "2026-01-15T10:00:00+08:00");
    const feb = line("D1", "1100000.00");
    const s = settle(doc, [jan, feb]);
    expect(s.accounts[0]).toMatchObject({ basis: "1100000.00", prior: "1000000.00", earned: "33000.00" });
    expect(s.accounts[0]!.tiers[0]!.reached).toEqual({ index: 1, from: "0.1", rate: "0.03", measure: "0.1" });
    // 1,099,999.99 is one cent short of +10%
    const short = settle(doc, [jan, line("D1", "1099999.99")]);
    expect(short.accounts[0]!.tiers[0]!.reached.index).toBe(0);
    expect(short.accounts[0]!.tiers[0]!.next).toMatchObject({ remaining: "0.01", remainingOf: "amount" });
    // incremental: nothing up to the prior basis, 1% up to +10%, 3% beyond
    const inc = settle({ ...doc, mode: "incremental" }, [jan, line("D1", "1200000.00")]);
    expect(inc.accounts[0]).toMatchObject({ earned: "4000.00" });
    // no prior period: no growth tier is reached
    const none = settle(doc, [feb]);
    expect(none.accounts[0]!.tiers[0]!.reached).toMatchObject({ index: -1, note: expect.stringMatching(/no prior-period basis/) });
    expect(none.totals.earned).toBe("0.00");
    expect(settle(doc, [feb], { priorBasis: { D1: "1000000.00" } }).totals.earned).toBe("33000.00");
  });
});

describe("modifiers, caps, rounding", () => {
  it("multiplies or adds to the rate by condition, in document order", () => {
    const doc = program({
      modifiers: [
        { name: "good payer", when: { fact: "customer.paymentRate90d", op: "gte", value: 0.95 }, multiply: "1.1" },
        { name: "new line", when: { fact: "line.productLine", op: "eq", value: "new" }, add: "0.005" },
      ],
    });
    const good = { ...line("D1", "100000.00", undefined, { productLine: "new" }), customer: { id: "D1", paymentRate90d: 0.97 } };
    const s = settle(doc, [good, line("D1", "100000.00")]);
    // (0.02 * 1.1) + 0.005 = 0.027 ; plain 0.02
    expect(s.lines.map((l) => [l.rate, l.amount, l.modifiers.map((m) => `${m.name} ${m.op} ${m.value}`)])).toEqual([
      ["0.027", "2700.00", ["good payer multiply 1.1", "new line add 0.005"]],
      ["0.02", "2000.00", []],
    ]);
  });

  it("looks modifiers up in a decision table, at each order's time", () => {
    const table = (version: number, from: string | undefined, to: string | undefined, newRate: string) => ({
      kind: "decision-table",
      id: "rebate-bonus",
      version,
      effective: { ...(from ? { from } : {}), ...(to ? { to } : {}) },
      hitPolicy: "first",
      inputs: [
        { id: "tier", expr: "customer.tier" },
        { id: "line", expr: "line.productLine" },
      ],
      outputs: [{ id: "factor", type: "decimal" }],
      rules: [
        { tier: '"A"', line: '"new"', factor: newRate },
        { tier: "-", line: "-", factor: "1" },
      ],
    });
    const registry = createRegistry([
      table(1, undefined, "2026-02-15T00:00:00+08:00", "1.25"),
      table(2, "2026-02-15T00:00:00+08:00", undefined, "1.5"),
    ]);
    const doc = program({ modifiers: [{ name: "tier x line", multiply: { table: "rebate-bonus", output: "factor" } }] });
    const a = (date: string) => ({ ...line("D1", "100000.00", date, { productLine: "new" }), customer: { id: "D1", tier: "A" } });
    const s = settle(doc, [a("2026-02-10T10:00:00+08:00"), a("2026-02-20T10:00:00+08:00"), line("D1", "100000.00")], { definitions: registry });
    expect(s.lines.map((l) => l.rate)).toEqual(["0.025", "0.03", "0.02"]);
    const missing = ruleflowError("EVALUATION_ERROR", () => settle(doc, [a("2026-02-10T10:00:00+08:00")]));
    expect(missing.message).toMatch(/looks up decision table "rebate-bonus": pass \{ definitions \}/);
  });

  it("caps each account, spreading the cap over its lines so they sum to it", () => {
    const s = settle(program({ cap: "1000.00" }), [line("D1", "30000.00"), line("D1", "10000.00"), line("D1", "10000.00"), line("D1", "20000.00"), line("D2", "100.00")]);
    const d1 = s.accounts.find((a) => a.account === "D1")!;
    expect(d1).toMatchObject({ earned: "1000.00", capped: true, cap: "1000.00", exact: "1400" });
    // 1000.00 in proportion 3:1:1:2 is 428.571.., 142.857.., 142.857.., 285.714..: two cents left over go to the largest remainders
    const d1Lines = s.lines.filter((l) => l.account === "D1").map((l) => l.amount);
    expect(d1Lines).toEqual(["428.57", "142.86", "142.86", "285.71"]);
    expect(s.totals.earned).toBe("1002.00");
    // exactly at the cap is not capped
    expect(settle(program({ cap: "1000.00" }), [line("D1", "50000.00")]).accounts[0]).toMatchObject({ earned: "1000.00", capped: false });
  });

  it("rounds to the program's scale and mode; lines still sum to the total", () => {
    const s = settle(program({ rounding: { scale: 0, mode: "half-even" } }), [line("D1", "1225.00"), line("D1", "1225.00"), line("D1", "1225.00")]);
    // 3675 * 0.02 = 73.5 -> 74 (half-even: 73.5 -> 74)
    expect(s.accounts[0]!.earned).toBe("74.00");
    expect(s.lines.map((l) => l.amount)).toEqual(["25.00", "25.00", "24.00"]);
    const down = settle(program({ rounding: { mode: "down" } }), [line("D1", "0.49"), line("D1", "0.49")]);
    expect(down.accounts[0]).toMatchObject({ exact: "0.0196", earned: "0.01" });
    expect(down.lines.map((l) => l.amount)).toEqual(["0.01", "0.00"]);
  });
});

describe("statements", () => {
  it("explains each line, breaks totals down by any dimension and lists what did not count", () => {
    const doc = program({
      breakdown: ["customer.region", { name: "salesRep", expr: "order.salesRep" }, "customer.id"],
      basis: { amount: "line.netAmount", where: { fact: "line.status", op: "ne", value: "draft" }, exclude: ["returned"] },
    });
    const lines = [
      line("D1", "600000.00"),
      { ...line("D2", "1000.00"), customer: { id: "D2", region: "West" } },
      line("D1", "500.00", undefined, { status: "returned" }),
      line("D1", "7.00", undefined, { status: "draft" }),
      line("D1", "1.00", "2026-03-01T00:00:00+08:00"),
    ];
    const s = settle(doc, lines);
    expect(s.lines).toHaveLength(2);
    expect(s.excluded.map((e) => e.reason)).toEqual(['status "returned"', "basis.where does not hold"]);
    expect(s.breakdown["customer.region"]).toEqual([
      { value: "East", lines: 1, basis: "600000.00", earned: "12000.00", due: "12000.00", adjustments: "0.00", payable: "12000.00" },
      { value: "West", lines: 1, basis: "1000.00", earned: "20.00", due: "20.00", adjustments: "0.00", payable: "20.00" },
    ]);
    expect(s.breakdown["salesRep"]).toEqual([{ value: "li", lines: 2, basis: "601000.00", earned: "12020.00", due: "12020.00", adjustments: "0.00", payable: "12020.00" }]);
    expect(s.breakdown["customer.id"]!.map((r) => r.value)).toEqual(["D1", "D2"]);
    expect(s.lines[0]).toMatchObject({ version: 4, tier: { index: 0, rate: "0.02" }, dims: { "customer.region": "East", salesRep: "li", "customer.id": "D1" } });
    expect(s).toMatchObject({ period: "2026-02", periodStart: "2026-01-31T16:00:00.000Z", periodEnd: "2026-02-28T16:00:00.000Z", partial: false, sequence: 1 });
  });

  it("dates the statement on settleOnDay of the next month", () => {
    expect(settle(program({ settleOnDay: 5 }), [line("D1", "1.00")]).settledAt).toBe("2026-03-04T16:00:00.000Z");
  });

  it("settles orders under the version effective at order time, and shows a mid-period change", () => {
    const v3 = program({ version: 3, effective: { to: "2026-02-15T00:00:00+08:00" } });
    const v4 = program({
      version: 4,
      effective: { from: "2026-02-15T00:00:00+08:00" },
      tiers: [{ from: "0", rate: "0.025" }, { from: "1000000", rate: "0.04" }],
    });
    const s = settleRebates({
      program: [compileRebate(v4), compileRebate(v3)],
      lines: [line("D1", "700000.00", "2026-02-14T23:59:59+08:00"), line("D1", "300000.00", "2026-02-15T00:00:00+08:00")],
      period: "2026-02",
    });
    // the account's month basis (1,000,000.00) reaches tier 1 on both ladders; each line earns its own version's rate
    expect(s.lines.map((l) => [l.version, l.tier?.rate, l.amount])).toEqual([
      [3, "0.035", "24500.00"],
      [4, "0.04", "12000.00"],
    ]);
    expect(s.versions).toEqual([
      { version: 3, effective: { to: "2026-02-15T00:00:00+08:00" }, lines: 1, basis: "700000.00", earned: "24500.00" },
      { version: 4, effective: { from: "2026-02-15T00:00:00+08:00" }, lines: 1, basis: "300000.00", earned: "12000.00" },
    ]);
    expect(s.accounts[0]!.tiers.map((t) => t.version)).toEqual([3, 4]);
  });

  it("a partial settlement is trued up by the next: it pays only what was not paid", () => {
    const doc = program();
    const lines = [line("D1", "600000.00", "2026-02-05T10:00:00+08:00"), line("D1", "500000.00", "2026-02-20T10:00:00+08:00")];
    const first = settle(doc, lines, { at: "2026-02-15T00:00:00+08:00" });
    expect(first).toMatchObject({ partial: true, sequence: 1, totals: { earned: "12000.00", due: "12000.00" } });
    expect(first.lines).toHaveLength(1);
    const final = settle(doc, lines, { previous: [first] });
    expect(final).toMatchObject({ partial: false, sequence: 2, totals: { earned: "38500.00", paid: "12000.00", due: "26500.00", payable: "26500.00" } });
    expect(final.lines.map((l) => [l.amount, l.paid, l.due])).toEqual([
      ["21000.00", "12000.00", "9000.00"],
      ["17500.00", "0.00", "17500.00"],
    ]);
    expect(final.accounts[0]).toMatchObject({ earned: "38500.00", paid: "12000.00", due: "26500.00" });
    // settling again with nothing new pays nothing
    expect(settle(doc, lines, { previous: [first, final] }).totals).toMatchObject({ due: "0.00", payable: "0.00" });
  });

  it("a return after settlement becomes a claw-back in the next statement; the closed one is untouched", () => {
    const doc = program();
    const janLines = [line("D1", "800000.00", "2026-01-10T10:00:00+08:00"), line("D1", "300000.00", "2026-01-20T10:00:00+08:00")];
    const jan = settleRebates({ program: compileRebate(doc), lines: janLines, period: "2026-01" });
    expect(jan.totals.earned).toBe("38500.00");
    const frozen = JSON.stringify(jan);
    const returned = { ...janLines[1]!, line: { ...janLines[1]!.line, status: "returned" } };
    const feb = settle(doc, [returned, line("D2", "1000.00")], { previous: [Object.freeze(jan)] });
    expect(JSON.stringify(jan)).toBe(frozen);
    expect(feb.totals).toMatchObject({ earned: "20.00", due: "20.00", adjustments: "-22500.00", payable: "-22480.00" });
    expect(feb.adjustments.map((a) => [a.period, a.key, a.type, a.paid, a.amount, a.due, a.reason])).toEqual([
      ["2026-01", janLines[0]!.order.id + "/1", "clawback", "28000.00", "16000.00", "-12000.00", "account D1's 2026-01 basis changed from 1100000.00 to 800000.00"],
      ["2026-01", janLines[1]!.order.id + "/1", "clawback", "10500.00", "0.00", "-10500.00", 'status "returned" after 2026-01 was settled'],
    ]);
    expect(feb.rechecks).toEqual([
      { period: "2026-01", account: "D1", basisWas: "1100000.00", basisNow: "800000.00", paid: "38500.00", earnedNow: "16000.00", adjustment: "-22500.00" },
    ]);
    // the claw-back is recorded: a later statement does not take it twice
    const mar = settleRebates({ program: compileRebate(doc), lines: [returned], period: "2026-03", previous: [jan, feb] });
    expect(mar.adjustments).toEqual([]);
    expect(mar.totals.payable).toBe("0.00");
  });

  it("a line missing from later data is not a return; a late line is a true-up", () => {
    const doc = program();
    const jan = settleRebates({ program: compileRebate(doc), lines: [line("D1", "1000.00", "2026-01-10T10:00:00+08:00")], period: "2026-01" });
    expect(settle(doc, [line("D1", "5.00")], { previous: [jan] }).adjustments).toEqual([]);
    const late = settle(doc, [line("D1", "500.00", "2026-01-31T23:00:00+08:00")], { previous: [jan] });
    expect(late.adjustments.map((a) => [a.type, a.due, a.reason])).toEqual([["true-up", "10.00", "a late line: it was not in the 2026-01 statement"]]);
  });

  it("refuses bad input with a message that says what to fix", () => {
    const p = compileRebate(program());
    expect(ruleflowError("EVALUATION_ERROR", () => settleRebates({ program: p, lines: [], period: "2026-Q1" })).message).toMatch(/settles by month; "2026-Q1" is a quarter/);
    expect(ruleflowError("EVALUATION_ERROR", () => settleRebates({ program: p, lines: [], period: "Feb" })).message).toMatch(/not a period/);
    expect(ruleflowError("EVALUATION_ERROR", () => settleRebates({ program: p, lines: [{ order: { id: "x" } }], period: "2026-02" })).message).toMatch(
      /order line 1: orderDate \(order.date\) is null/,
    );
    const dup = line("D1", "1.00");
    expect(ruleflowError("EVALUATION_ERROR", () => settleRebates({ program: p, lines: [dup, dup], period: "2026-02" })).message).toMatch(/appears twice/);
    expect(ruleflowError("EVALUATION_ERROR", () => settleRebates({ program: p, lines: [line("D1", "1.005")], period: "2026-02" })).message).toMatch(
      /order line 1 \(SO-\d+\/1\): basis.amount \(line.netAmount\): 1.005 has 3 decimal places/,
    );
    const usd = compileRebate(program({ version: 5, currency: "USD" }));
    expect(ruleflowError("EVALUATION_ERROR", () => settleRebates({ program: [p, usd], lines: [], period: "2026-02" })).message).toMatch(/differ in currency/);
    expect(ruleflowError("EVALUATION_ERROR", () => settleRebates({ program: p, lines: [], period: "2026-02", previous: [{ kind: "x" } as never] })).message).toMatch(
      /previous\[0\] is not a statement/,
    );
  });
});

describe("rebate documents", () => {
  it("reports every problem with its path", () => {
    const r = validateDefinition({
      kind: "rebate",
      id: "bad",
      version: 1,
      currency: "CNY",
      basis: { amount: "line.netAmount" },
      tierBy: "volume",
      tiers: [
        { from: "100", rate: "0.02" },
        { from: "100", rate: "-0.01" },
        { from: "-5", rate: "0.01" },
      ],
      modifiers: [{ multiply: "1.1", add: "0.1" }],
      cap: "10.001",
      rounding: { scale: 3 },
    });
    expect(r.issues.map(formatIssue)).toEqual(['modifiers[0]: a modifier takes either "multiply" or "add"']);
    const r2 = validateDefinition({
      kind: "rebate",
      id: "bad",
      version: 1,
      currency: "CNY",
      basis: { amount: "line.netAmount" },
      tierBy: "volume",
      tiers: [
        { from: "100", rate: "0.02" },
        { from: "100", rate: "-0.01" },
        { from: "-5", rate: "0.01" },
      ],
      cap: "10.001",
      rounding: { scale: 3 },
      breakdown: ["customer.region", { name: "customer.region", expr: "customer.region" }],
    });
    expect(r2.issues.map(formatIssue)).toEqual([
      "rounding.scale: CNY has 2 decimal places; rounding.scale can be at most 2",
      "tiers[1].rate: a rate cannot be negative, got -0.01",
      "tiers[2].from: a volume tier cannot start below zero, got -5",
      "tiers[1].from: tiers must go up: 100 is not above the previous tier's 100",
      "tiers[2].from: tiers must go up: -5 is not above the previous tier's 100",
      'basis.volume: tierBy "volume" needs basis.volume, e.g. "line.cases"',
      "cap: 10.001 has 3 decimal places; at most 2 are allowed",
      'breakdown[1]: dimension "customer.region" appears twice',
    ]);
    expect(validateDefinition({ ...program(), tiers: [{ from: "0.001", rate: "0.1" }] }).issues.map(formatIssue)).toEqual([
      "tiers[0].from: 0.001 has more decimal places than the currency allows (2)",
    ]);
  });

  it("the DSL example loads as written", () => {
    const dsl = {
      kind: "rebate", id: "distributor-rebate", version: 4, currency: "CNY",
      period: "month", settleOnDay: 5,
      basis: { amount: "line.netAmount", where: { fact: "line.status", op: "eq", value: "signed" }, exclude: ["returned", "exchanged"] },
      mode: "retroactive",
      tiers: [{ from: "0", rate: "0.02" }, { from: "1000000", rate: "0.035" }, { from: "3000000", rate: "0.05" }],
      modifiers: [{ when: { fact: "customer.paymentRate90d", op: "gte", value: 0.95 }, multiply: "1.1" }],
      cap: "500000.00",
      rounding: { scale: 2, mode: "half-even" },
      breakdown: ["region", "salesRep", "customer"],
    };
    expect(validateDefinition(dsl).issues).toEqual([]);
  });
});
