import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fc, test as prop } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { createRegistry, isRuleflowError, type CompiledRebate } from "../src/index.js";
import { backtestHtml, createBacktest, createHistoryReader, explainBacktest, runBacktest } from "../src/entries/backtest.js";
import { parseOrderLines, settleRebates } from "../src/entries/rebates.js";
import { createCsvLineReader } from "../src/rebates/order-lines.js";

const examples = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples");
const read = (p: string): unknown => JSON.parse(readFileSync(join(examples, p), "utf8"));
const jsonl = (p: string): unknown[] => parseOrderLines(readFileSync(join(examples, p), "utf8"), { source: p });

/** A flat-rate monthly rebate in UTC: one tier at `rate`, rounded to the cent half-even per account and month. */
const flat = (rate: string, version = 1) => ({
  kind: "rebate",
  id: "flat",
  version,
  currency: "CNY",
  account: "customer.id",
  basis: { amount: "line.netAmount" },
  tiers: [{ from: "0", rate }],
  rounding: { scale: 2, mode: "half-even" },
});

/** Half-even division of BigInts, as the hand-written reference. */
function halfEven(n: bigint, d: bigint): bigint {
  const q = n / d;
  const r = n % d;
  if (r * 2n > d || (r * 2n === d && q % 2n !== 0n)) return q + 1n;
  return q;
}
/** The month of an order date in Shanghai (the example program's zone). */
const periodOf = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 7);
const cents = (c: bigint): string => `${c < 0n ? "-" : ""}${(c < 0n ? -c : c) / 100n}.${String((c < 0n ? -c : c) % 100n).padStart(2, "0")}`;

describe("createBacktest: rebates", () => {
  const baseline = [read("definitions/distributor-rebate.v3.rebate.json"), read("definitions/distributor-rebate.v4.rebate.json"), read("definitions/rebate-line-bonus.decision-table.json")];
  const candidate = [read("definitions/distributor-rebate.v3.rebate.json"), read("candidates/distributor-rebate.v5.rebate.json"), read("definitions/rebate-line-bonus.decision-table.json")];
  const history = jsonl("data/rebate-history-2026q1.jsonl");

  it("settles each period under each side's versions, as settleRebates does", async () => {
    const report = await runBacktest({ baseline, candidate, lines: history, by: ["customer.region", "salesRep"] });
    const r = report.rebates.find((x) => x.id === "distributor-rebate")!;
    // each period as settleRebates settles it on its own with the same versions and tables
    const settled = (docs: unknown[]) => {
      const registry = createRegistry(docs);
      const program = registry.versions("distributor-rebate") as CompiledRebate[];
      return ["2026-01", "2026-02", "2026-03"].map((period) => {
        const lines = history.filter((l) => periodOf((l as { order: { date: string } }).order.date) === period);
        return settleRebates({ program, lines, period, definitions: registry }).totals.earned;
      });
    };
    expect(r.periods.map((p) => p.baseline)).toEqual(settled(baseline));
    expect(r.periods.map((p) => p.candidate)).toEqual(settled(candidate));
    expect(r.periods.map((p) => p.period)).toEqual(["2026-01", "2026-02", "2026-03"]);
    expect(r.totals).toEqual({ baseline: "451061.91", candidate: "448961.91", difference: "-2100.00" });
    expect(r.accounts.find((a) => a.account === "D-003")).toEqual({ account: "D-003", baseline: "359100.00", candidate: "355500.00", difference: "-3600.00" });
    // per account, per region and per salesRep (the program's breakdown) add up to the totals
    for (const rows of [r.accounts, r.by["customer.region"]!, r.by["salesRep"]!]) {
      const sum = rows.reduce((a, x) => a + BigInt(x.difference.replace(".", "")), 0n);
      expect(cents(sum)).toBe(r.totals.difference);
    }
    expect(r.by["salesRep"]!.map((x) => x.value).sort()).toEqual(["li", "wang", "zhao"]);
    expect(report.winners.map((w) => w.account)).toEqual(["D-001"]);
    expect(report.losers.map((w) => w.account)).toEqual(["D-003"]);
  });

  prop.prop(
    [
      fc.array(fc.record({ account: fc.integer({ min: 0, max: 4 }), amount: fc.integer({ min: 0, max: 2_000_000 }), gap: fc.integer({ min: 0, max: 20 }) }), { maxLength: 60 }),
      fc.integer({ min: 1, max: 999 }),
      fc.integer({ min: 1, max: 999 }),
    ],
    { numRuns: 40 },
  )("pays what a hand-written BigInt settlement pays, per account and month, to the cent", async (rows, a, b) => {
    const rateA = `0.${String(a).padStart(3, "0")}`;
    const rateB = `0.${String(b).padStart(3, "0")}`;
    let day = 0;
    const lines = rows.map((row, i) => {
      day += row.gap;
      const date = new Date(Date.UTC(2026, 0, 1) + day * 86_400_000).toISOString();
      return { order: { id: `O-${i}`, date }, line: { no: 1, netAmount: cents(BigInt(row.amount)) }, customer: { id: `A-${row.account}` } };
    });
    const report = await runBacktest({ baseline: [flat(rateA)], candidate: [flat(rateB)], lines });
    // by hand: per (month, account) the basis in cents times the rate (thousandths), one half-even rounding
    const sums = new Map<string, bigint>();
    for (const l of lines) {
      const k = `${l.order.date.slice(0, 7)}|${l.customer.id}`;
      sums.set(k, (sums.get(k) ?? 0n) + BigInt(l.line.netAmount.replace(".", "")));
    }
    const pay = (rate: number) => {
      const perAccount = new Map<string, bigint>();
      let total = 0n;
      for (const [k, s] of sums) {
        const v = halfEven(s * BigInt(rate), 1000n);
        total += v;
        const acct = k.split("|")[1]!;
        perAccount.set(acct, (perAccount.get(acct) ?? 0n) + v);
      }
      return { total, perAccount };
    };
    const pa = pay(a);
    const pb = pay(b);
    const r = report.rebates[0];
    if (lines.length === 0) {
      expect(r?.totals ?? { difference: "0.00" }).toMatchObject({ difference: "0.00" });
      return;
    }
    expect(r!.totals).toEqual({ baseline: cents(pa.total), candidate: cents(pb.total), difference: cents(pb.total - pa.total) });
    for (const acc of r!.accounts) {
      expect(acc.baseline).toBe(cents(pa.perAccount.get(acc.account) ?? 0n));
      expect(acc.candidate).toBe(cents(pb.perAccount.get(acc.account) ?? 0n));
    }
    // winners gain, losers lose, largest first
    const diffs = (xs: { difference: string }[]) => xs.map((x) => BigInt(x.difference.replace(".", "").replace("-0", "-")));
    const w = diffs(report.winners);
    const l = diffs(report.losers);
    expect(w.every((d, i) => d > 0n && (i === 0 || d <= w[i - 1]!))).toBe(true);
    expect(l.every((d, i) => d < 0n && (i === 0 || d >= l[i - 1]!))).toBe(true);
  });

  it("refuses a period that comes back after the history moved on, naming the line", async () => {
    const lines = [
      { order: { id: "1", date: "2026-01-05T00:00:00Z" }, line: { no: 1, netAmount: "10.00" }, customer: { id: "A" } },
      { order: { id: "2", date: "2026-02-05T00:00:00Z" }, line: { no: 1, netAmount: "10.00" }, customer: { id: "A" } },
      { order: { id: "3", date: "2026-01-06T00:00:00Z" }, line: { no: 1, netAmount: "10.00" }, customer: { id: "A" } },
    ];
    const e = await runBacktest({ baseline: [flat("0.01")], candidate: [flat("0.02")], lines }).catch((x: unknown) => x);
    expect(isRuleflowError(e, "INVALID_ARGUMENT")).toBe(true);
    expect((e as Error).message).toMatch(/^line 3: flat: the order date falls in 2026-01, which was settled/);
  });

  it("names the history's line when settlement refuses one", async () => {
    const lines = [
      { order: { id: "1", date: "2026-01-05T00:00:00Z" }, line: { no: 1, netAmount: "10.00" }, customer: { id: "A" } },
      { order: { id: "1", date: "2026-01-06T00:00:00Z" }, line: { no: 1, netAmount: "10.00" }, customer: { id: "A" } },
    ];
    const e = await runBacktest({ baseline: [flat("0.01")], candidate: [flat("0.02")], lines }).catch((x: unknown) => x);
    expect((e as Error).message).toMatch(/line key "1\/1" appears twice in 2026-01/);
    const bad = await runBacktest({ baseline: [flat("0.01")], candidate: [flat("0.02")], lines: [{ order: { id: "1", date: "soon" }, line: { no: 1 } }] }).catch((x: unknown) => x);
    expect((bad as Error).message).toBe('line 1: order.date is "soon"; expected an ISO-8601 time');
  });
});

describe("createBacktest: decisions", () => {
  const table = (threshold: number, version: number) => ({
    kind: "decision-table",
    id: "size",
    version,
    hitPolicy: "first",
    inputs: [{ id: "cases", expr: "order.cases" }],
    outputs: [{ id: "size", type: "string" }],
    rules: [
      { id: "big", cases: `>= ${threshold}`, size: '"big"' },
      { id: "small", cases: "-", size: '"small"' },
    ],
  });

  prop.prop([fc.array(fc.integer({ min: 0, max: 200 }), { maxLength: 80 }), fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 200 })], { numRuns: 40 })(
    "counts exactly the lines whose output changes, with both explanations",
    async (cases, t1, t2) => {
      const lines = cases.map((c) => ({ order: { cases: c, date: "2026-03-01T00:00:00Z" } }));
      const report = await runBacktest({ baseline: [table(t1, 1)], candidate: [table(t2, 2)], lines, maxExamples: 2 });
      const expected = cases.filter((c) => c >= t1 !== c >= t2).length;
      const d = report.decisions[0]!;
      expect(d.evaluated).toBe(cases.length);
      expect(d.changed).toBe(expected);
      expect(d.transitions.reduce((a, t) => a + t.count, 0)).toBe(expected);
      expect(d.examples).toHaveLength(Math.min(2, expected));
      for (const ex of d.examples) {
        expect(ex.baseline.explanation).toContain("decision-table size v1");
        expect(ex.candidate.explanation).toContain("decision-table size v2");
        expect(ex.baseline.output).not.toEqual(ex.candidate.output);
      }
    },
  );

  it("reports the example table's changed row, ids on one side only, and evaluation errors", async () => {
    const history = jsonl("data/rebate-history-2026q1.jsonl");
    const report = await runBacktest({
      baseline: [read("definitions/rebate-rate.decision-table.json"), read("definitions/first-order-points.ruleset.json")],
      candidate: [read("candidates/rebate-rate.v3.decision-table.json")],
      lines: history,
    });
    expect(report.definitions).toEqual({ compared: ["rebate-rate"], onlyInBaseline: ["first-order-points"], onlyInCandidate: [] });
    const d = report.decisions[0]!;
    expect(d.transitions).toEqual([{ baseline: { rate: "0.08" }, candidate: { rate: "0.09" }, count: d.changed }]);
    expect(d.changed).toBeGreaterThan(0);
    expect(explainBacktest(report)).toContain(`Decisions of decision-table rebate-rate: ${d.changed} of 18 changed`);
    expect(explainBacktest(report, { locale: "zh-CN" })).toContain(`decision-table rebate-rate 的决策：18 次中 ${d.changed} 次变化`);
  });
});

describe("createBacktest: promotions and rollouts", () => {
  it("replays claims in time order: cost, claims and the line where each budget runs out", async () => {
    const text = readFileSync(join(examples, "data/store-orders-2026-02.csv"), "utf8");
    const lines = parseOrderLines(text, { source: "store-orders.csv" });
    const report = await runBacktest({
      baseline: [read("definitions/spring-case-discount.promotion.json")],
      candidate: [read("candidates/spring-case-discount.v2.promotion.json")],
      lines,
      by: ["store.region"],
    });
    const p = report.promotions[0]!;
    expect(p.baseline).toMatchObject({ claims: 30, cost: "43000.00", refusedForBudget: 0, budgetRunsOut: null });
    expect(p.candidate).toMatchObject({ claims: 22, cost: "49560.00", refusedForBudget: 8, budgetRunsOut: { line: 28, at: "2026-02-21T12:09:00+08:00" } }); // the 28th record (line 29 of the file, after its header)
    // the budget is 50000.00 a month: what was claimed plus the refused claim would pass it
    expect(BigInt(p.candidate.cost.replace(".", ""))).toBeLessThanOrEqual(5_000_000n);
    expect(p.cost.difference).toBe("6560.00");
    const byRegion = p.by["store.region"]!.reduce((a, x) => a + BigInt(x.difference.replace(".", "")), 0n);
    expect(cents(byRegion)).toBe(p.cost.difference);
  });

  it("finds the units that change variant", async () => {
    const lines = jsonl("data/renewal-units-2026-03.jsonl");
    const report = await runBacktest({
      baseline: [read("definitions/renewal-incentive-pilot.rollout.json")],
      candidate: [read("candidates/renewal-incentive-pilot.v2.rollout.json")],
      lines,
      time: "event.at",
    });
    const r = report.rollouts[0]!;
    expect(r.evaluated).toBe(40);
    expect(r.changed).toBe(r.changedUnits);
    expect(r.transitions).toEqual([{ baseline: "treatment", candidate: "control", count: r.changed }]);
    expect(r.examples.map((e) => e.unit)).toEqual(["R-1001", "R-1008", "R-1012", "R-1018", "R-1033"]);
  });
});

describe("history readers", () => {
  it("names the file and line of a line that is not JSON or not an object", () => {
    const reader = createHistoryReader({ source: "h.jsonl" });
    expect(reader.line("", 1)).toBeUndefined();
    expect(() => reader.line("{oops", 2)).toThrow(/^h\.jsonl:2: not valid JSON/);
    expect(() => reader.line("[1]", 3)).toThrow("h.jsonl:3: expected an object of facts, got an array");
  });

  prop.prop(
    [
      fc.array(
        fc.tuple(fc.constantFrom("SO-1", "a,b", 'say "hi"', "two\nlines", "", "007", "12.50", "true", "中文"), fc.integer({ min: -999, max: 999 })),
        { maxLength: 20 },
      ),
      fc.boolean(),
    ],
    { numRuns: 60 },
  )("reads CSV one line at a time as parseOrderLines reads the whole text", (rows, crlf) => {
    const cell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
    const eol = crlf ? "\r\n" : "\n";
    const text = `order.id,line.amount${eol}${rows.map(([a, b]) => `${cell(a)},${b}`).join(eol)}${eol}`;
    const whole = parseOrderLines(text, { source: "x.csv" });
    const reader = createCsvLineReader("x.csv");
    const streamed: unknown[] = [];
    text.split(/\r?\n/).forEach((l, i) => {
      const f = reader.line(l, i + 1);
      if (f !== undefined) streamed.push(f);
    });
    reader.end();
    expect(streamed).toEqual(whole);
  });

  it("names the line of a CSV row with the wrong number of cells, and an unclosed quote", () => {
    const reader = createHistoryReader({ source: "h.csv" });
    reader.line("order.id,line.no", 1);
    expect(() => reader.line("SO-1,1,extra", 2)).toThrow("h.csv:2: the row has 3 cells, the header has 2");
    reader.line('"open,1', 3);
    expect(() => reader.end()).toThrow("h.csv:3: a quoted cell is not closed");
  });
});

describe("backtestHtml", () => {
  it("is one page with no script and no external resource, escaping what it shows", async () => {
    const lines = [{ order: { id: "<b>", date: "2026-01-05T00:00:00Z" }, line: { no: 1, netAmount: "100.00" }, customer: { id: '<script>alert("x")</script>' } }];
    const report = await runBacktest({ baseline: [flat("0.01")], candidate: [flat("0.02")], lines });
    const html = backtestHtml(report);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)=/i);
    expect(html).not.toMatch(/https?:/);
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain('data-figure="rebate|flat|total|difference">1.00<');
  });

  it("refuses invalid definitions with paths under baseline or candidate", () => {
    expect(() => createBacktest({ baseline: [{ kind: "rebate", id: "x" }], candidate: [] })).toThrow(/baseline/);
    expect(() => createBacktest({ baseline: [], candidate: [], by: ["a..b"] })).toThrow(/^by\[0\]: /);
  });
});
