/**
 * Business steps of scenarios (issue 12): evaluate, claim, release, settle,
 * assign and report on the virtual clock, each with `expect` as a subset of
 * its result; validation errors naming the step's path; reports of workflow
 * scenarios unchanged; and the budget property against a running sum.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileScenario, localizeIssues, runScenario, ValidationError } from "../src/index.js";
import { subsetMismatches } from "../src/simulation/subset.js";

const START = "2026-03-02T09:00:00+08:00";

const bonus = {
  kind: "ruleset",
  id: "order-bonus",
  version: 1,
  hitPolicy: "first",
  rules: [
    { id: "big", when: { fact: "order.amount", op: "gte", value: 1000 }, then: { bonus: 50 } },
    { id: "small", then: { bonus: 0 } },
  ],
};

/** A promotion paying a fixed subsidy of `order.amount` per claim, against a budget. */
const subsidyPromotion = (budget: string) => ({
  kind: "promotion",
  id: "visit-fee",
  version: 1,
  currency: "CNY",
  timeZone: "Asia/Shanghai",
  eligibility: { fact: "store.ok", op: "eq", value: true },
  benefit: { type: "discount", amount: "1000000.00", of: "order.amount" },
  limits: { budget },
});

const rebate = {
  kind: "rebate",
  id: "mini-rebate",
  version: 1,
  currency: "CNY",
  timeZone: "Asia/Shanghai",
  period: "month",
  settleOnDay: 5,
  account: "customer.id",
  basis: { amount: "line.netAmount", exclude: ["returned"] },
  tiers: [{ from: "0", rate: "0.02" }, { from: "1000", rate: "0.03" }],
  rounding: { scale: 2, mode: "half-even" },
};

const line = (id: string, date: string, customer: string, amount: string, status = "delivered") => ({
  order: { id, date },
  line: { no: 1, netAmount: amount, status },
  customer: { id: customer },
});

const rollout = {
  kind: "rollout",
  id: "pilot",
  version: 1,
  unit: "customer.id",
  variants: [
    { id: "control", weight: 50, value: 1 },
    { id: "treatment", weight: 50, value: 2 },
  ],
  ramp: [{ at: "2026-03-01T00:00:00+08:00", percent: 100 }],
};

const scenario = (steps: unknown[], extra: Record<string, unknown> = {}) => ({ kind: "scenario", id: "biz", start: START, steps, ...extra });

describe("subset matching", () => {
  it("matches the fields given, arrays item by item, and names each mismatch by its path", () => {
    const actual = { totals: { payable: "98.50", basis: "100" }, lines: [{ key: "a", due: "1" }, { key: "b", due: "2" }], ok: true };
    expect(subsetMismatches({ totals: { payable: "98.50" }, lines: [{ key: "a" }, { due: "2" }] }, actual)).toEqual([]);
    expect(subsetMismatches({ totals: { payable: "120.00" } }, actual)).toEqual(['totals.payable is "98.50", expected "120.00"']);
    expect(subsetMismatches({ lines: [{ key: "a" }] }, actual)).toEqual(["lines has 2 item(s), expected 1"]);
    expect(subsetMismatches({ lines: [{}, { due: 2 }] }, actual)).toEqual(['lines[1].due is "2", expected 2']);
    expect(subsetMismatches({ missing: 1, "odd key": null }, actual)).toEqual(["missing is missing, expected 1", '["odd key"] is missing, expected null']);
    expect(subsetMismatches({ constructor: 1 }, {})).toEqual(["constructor is missing, expected 1"]);
  });

  it("an object matches itself, and any of its sub-objects (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        const value = JSON.parse(JSON.stringify(v)) as unknown;
        expect(subsetMismatches(value, value)).toEqual([]);
        if (value !== null && typeof value === "object" && !Array.isArray(value)) {
          const keys = Object.keys(value);
          const sub = Object.fromEntries(keys.slice(0, Math.ceil(keys.length / 2)).map((k) => [k, (value as Record<string, unknown>)[k]]));
          expect(subsetMismatches(sub, value)).toEqual([]);
        }
      }),
    );
  });
});

describe("business steps", () => {
  it("evaluate: a rule set at the virtual time; a wrong expectation fails the step with the path and both values", async () => {
    const report = await runScenario(
      scenario([
        { evaluate: "order-bonus", facts: { order: { amount: 1500 } }, expect: { output: { bonus: 50 }, version: 1 } },
        { advance: "P1D" },
        { evaluate: "order-bonus", facts: { order: { amount: 10 } }, expect: { output: { bonus: 50 } } },
      ]),
      [bonus],
    );
    expect(report.passed).toBe(false);
    expect(report.failures).toEqual([{ step: 2, message: "output.bonus is 0, expected 50" }]);
    expect(report.steps.map((s) => [s.kind, s.ok])).toEqual([["evaluate", true], ["advance", true], ["evaluate", false]]);
    expect(report.results?.[1]).toMatchObject({ step: 2, kind: "evaluate", at: "2026-03-03T01:00:00.000Z", definition: "order-bonus", version: 1 });
  });

  it("claim and release: budgets are taken and given back on the scenario's claim store; idempotent keys replay", async () => {
    const facts = (amount: number) => ({ store: { ok: true }, order: { amount } });
    const report = await runScenario(
      scenario([
        { claim: "visit-fee", key: "v1", facts: facts(60), expect: { status: "claimed", data: { value: "60.00" } } },
        { claim: "visit-fee", key: "v2", facts: facts(50), expect: { status: "limit", limit: { limit: "budget", used: { amount: "60.00" } } } },
        { claim: "visit-fee", key: "v1", facts: facts(60), expect: { status: "replayed" } },
        { claim: "visit-fee", key: "v3", facts: { store: { ok: false }, order: { amount: 1 } }, expect: { status: "ineligible" } },
        { release: "v1", reason: "returned", expect: { status: "released", released: { amount: "60.00" } } },
        { release: "v1", expect: { status: "already-released" } },
        { claim: "visit-fee", key: "v2b", facts: facts(50), expect: { status: "claimed" } },
      ]),
      [subsidyPromotion("100.00")],
    );
    expect(report.failures).toEqual([]);
    expect(report.results?.map((r) => (r.kind === "claim" || r.kind === "release" ? r.status : r.kind))).toEqual([
      "claimed",
      "limit",
      "replayed",
      "ineligible",
      "released",
      "already-released",
      "claimed",
    ]);
  });

  it("settle: at the virtual time, with the run's earlier statements as previous (a return after settlement is clawed back)", async () => {
    const jan = [line("A1", "2026-01-10T10:00:00+08:00", "C1", "800.00"), line("A2", "2026-01-20T10:00:00+08:00", "C1", "400.00")];
    const feb = [line("A1", "2026-01-10T10:00:00+08:00", "C1", "800.00"), line("A2", "2026-01-20T10:00:00+08:00", "C1", "400.00", "returned"), line("B1", "2026-02-03T10:00:00+08:00", "C1", "100.00")];
    const report = await runScenario(
      scenario(
        [
          { settle: "mini-rebate", period: "2026-01", lines: jan, expect: { settledAt: "2026-02-05T02:00:00.000Z", totals: { earned: "36.00", payable: "36.00" } } },
          { advanceTo: "2026-03-05T10:00:00+08:00" },
          {
            settle: "mini-rebate",
            period: "2026-02",
            lines: feb,
            expect: { totals: { earned: "2.00", adjustments: "-20.00", payable: "-18.00" }, adjustments: [{ key: "A1/1", type: "clawback" }, { key: "A2/1", type: "clawback" }] },
          },
        ],
        { start: "2026-02-05T10:00:00+08:00" },
      ),
      [{ ...rebate, lineKey: ["order.id", "line.no"] }],
    );
    expect(report.failures).toEqual([]);
    expect(report.results?.[1]).toMatchObject({ kind: "settle", period: "2026-02", sequence: 1, adjustments: [{ period: "2026-01" }, { period: "2026-01" }] });
  });

  it("assign and report: through a rollout controller on the virtual clock; counts of generated units; exposures reach the report", async () => {
    const report = await runScenario(
      scenario([
        { assign: "pilot", facts: { customer: { id: "C-1" } }, expect: { inExperiment: true, explanation: { reason: "assigned" } } },
        { assign: "pilot", generate: [{ count: 40, facts: { customer: { id: "C-{n}" } } }], expect: { units: 40, inExperiment: 40, reasons: { assigned: 40 } } },
        { report: "pilot", events: [{ type: "metric", unit: "C-0001", metric: "renewed" }], expect: { rollout: { id: "pilot" }, data: {} } },
      ]),
      [rollout],
    );
    expect(report.failures).toEqual([]);
    const counts = report.results?.[1];
    expect(counts?.kind).toBe("assign");
    const assignments = counts?.kind === "assign" ? counts.assignments : [];
    expect(assignments.map((a) => a.unit)).toEqual(Array.from({ length: 40 }, (_, i) => `C-${String(i + 1).padStart(4, "0")}`));
    const units = report.results?.[2];
    expect(units?.kind === "report" ? units.variants.reduce((n, v) => n + v.units, 0) : 0).toBe(41);
  });

  it("a scenario without business steps reports exactly the fields it did before (no results)", async () => {
    const wf = { kind: "workflow", id: "w", version: 1, start: "done", nodes: { done: { type: "end", outcome: "ok" } } };
    const report = await runScenario(scenario([{ start: "w", as: "a" }, { expect: { instance: "a", outcome: "ok" } }]), [wf]);
    expect(Object.keys(report)).toEqual(["scenario", "start", "end", "passed", "instances", "notifications", "timers", "schedules", "steps", "failures"]);
  });

  it("two runs give byte-identical reports", async () => {
    const doc = scenario([
      { claim: "visit-fee", facts: { store: { ok: true }, order: { amount: 5 } } },
      { assign: "pilot", generate: [{ count: 5, facts: { customer: { id: "U{n}" } } }] },
    ]);
    const a = JSON.stringify(await runScenario(doc, [subsidyPromotion("10.00"), rollout]));
    const b = JSON.stringify(await runScenario(doc, [subsidyPromotion("10.00"), rollout]));
    expect(a).toBe(b);
  });
});

describe("validation errors name the step's path", () => {
  const issuesOf = async (doc: unknown, defs: unknown[] = [], options = {}) => {
    try {
      await runScenario(doc, defs, options);
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      return (e as ValidationError).issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    }
    return expect.fail("expected a ValidationError");
  };

  it("shape: a missing or mistyped field of a business step", () => {
    const msg = (steps: unknown[]) => {
      try {
        compileScenario(scenario(steps) as never);
      } catch (e) {
        return (e as ValidationError).issues.map((i) => `${i.path.join(".")}: ${i.message}`);
      }
      return [];
    };
    expect(msg([{ settle: "r", lines: [] }])).toEqual([expect.stringMatching(/^steps\.0\.period: /)]);
    expect(msg([{ claim: "p", facts: {}, bogus: 1 }])).toEqual([expect.stringMatching(/^steps\.0\.bogus: unknown field/)]);
    expect(msg([{ assign: "r", generate: [{ count: 0, facts: {} }] }])).toEqual([expect.stringMatching(/^steps\.0\.generate\.0\.count: /)]);
    expect(msg([{ claimz: "p" }])).toEqual([expect.stringContaining('{ "claim" }')]);
  });

  it("references: an unknown definition, the wrong kind, an unknown claim, a file without a reader", async () => {
    expect(await issuesOf(scenario([{ claim: "nope", facts: {} }]), [bonus])).toEqual(['steps.0.claim: no promotion "nope" among the scenario\'s definitions (loaded: order-bonus)']);
    expect(await issuesOf(scenario([{ claim: "order-bonus", facts: {} }]), [bonus])).toEqual(['steps.0.claim: "order-bonus" is a ruleset, not a promotion']);
    expect(await issuesOf(scenario([{ release: "k1" }]), [])).toEqual(['steps.0.release: no claim "k1" was made earlier in this scenario (claims: -)']);
    expect(await issuesOf(scenario([{ settle: "mini-rebate", period: "2026-01", lines: "orders.jsonl" }]), [rebate])).toEqual([
      expect.stringMatching(/^steps\.0\.lines: "orders\.jsonl" is a file: run the scenario with a readFile option/),
    ]);
    expect(await issuesOf(scenario([{ settle: "mini-rebate", period: "2026-01", lines: "orders.jsonl" }]), [rebate], { readFile: () => "{not json\n" })).toEqual([
      expect.stringMatching(/^steps\.0\.lines: invalid records: orders\.jsonl:1: not valid JSON/),
    ]);
    expect(await issuesOf(scenario([{ report: "pilot", events: [{ type: "metric" }] }]), [rollout])).toEqual([expect.stringMatching(/^steps\.0\.events: invalid records: events\[0\]/)]);
    expect(await issuesOf(scenario([{ assign: "pilot" }]), [rollout])).toEqual(['steps.0: an assign step takes either "facts" (one unit) or "units" and/or "generate" (several units)']);
  });

  it("messages in Simplified Chinese through the catalogue", async () => {
    const e = await runScenario(scenario([{ release: "k1" }]), []).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ValidationError);
    const issues = (e as ValidationError).issues;
    expect(issues[0]!.messageKey).toBe("scenario.unknownClaim");
    expect(localizeIssues(issues, "zh-CN")[0]!.message).toBe('本场景此前没有键为 "k1" 的领取（已有领取：-）');
  });
});

describe("property: claims against a budget", () => {
  it("accepted claims never exceed the budget, and each claim is refused exactly when the running sum of accepted claims plus it would pass the budget", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 50_000 }), fc.array(fc.integer({ min: 1, max: 20_000 }), { minLength: 1, maxLength: 25 }), async (budgetMinor, amounts) => {
        const money = (minor: number) => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
        let used = 0;
        const expected = amounts.map((a) => {
          if (used + a > budgetMinor) return "limit";
          used += a;
          return "claimed";
        });
        const steps = amounts.flatMap((a, i) => [
          { advance: "PT6H" },
          { claim: "visit-fee", key: `c${i}`, facts: { store: { ok: true }, order: { amount: money(a) } }, expect: { status: expected[i] } },
        ]);
        const report = await runScenario(scenario(steps), [subsidyPromotion(money(budgetMinor))]);
        expect(report.failures).toEqual([]);
        const claims = (report.results ?? []).flatMap((r) => (r.kind === "claim" ? [r] : []));
        const accepted = claims.filter((c) => c.status === "claimed").reduce((n, c) => n + Math.round(Number(c.value) * 100), 0);
        expect(accepted).toBe(used);
        expect(accepted).toBeLessThanOrEqual(budgetMinor);
        const firstRefusal = claims.findIndex((c) => c.status === "limit");
        const firstOver = amounts.findIndex((_, i) => amounts.slice(0, i + 1).reduce((n, a) => n + a, 0) > budgetMinor);
        expect(firstRefusal).toBe(firstOver);
      }),
      { numRuns: 40 },
    );
  });
});
