/**
 * Time in expressions (issue 9, items 6, 7 and the date offsets of 19):
 * truncation of the `...Between` functions, dates without an offset read in
 * the definition's zone, and malformed offsets refused.
 */
import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import {
  compileCalendar,
  compileDecisionTable,
  compileExpression,
  compilePromotion,
  compileRuleSet,
  createRegistry,
  isRuleflowError,
  validateDefinition,
} from "../src/index.js";

const ev = (source: string, facts: unknown = {}, at = "2026-03-01T00:00:00Z"): unknown => compileExpression(source).evaluate(facts, { at });

describe("minutesBetween and secondsBetween (item 6)", () => {
  it("count whole units truncated toward zero, negative when to is earlier", () => {
    const facts = { a: "2026-03-01T09:00:00+08:00", b: "2026-03-01T11:59:59.900+08:00" };
    expect(ev("hoursBetween(a, b)", facts)).toBe(2);
    expect(ev("minutesBetween(a, b)", facts)).toBe(179);
    expect(ev("secondsBetween(a, b)", facts)).toBe(10_799);
    expect(ev("hoursBetween(b, a)", facts)).toBe(-2);
    expect(ev("minutesBetween(b, a)", facts)).toBe(-179);
    expect(ev("secondsBetween(b, a)", facts)).toBe(-10_799);
    expect(Object.is(ev('secondsBetween(a, "2026-03-01T08:59:59.500+08:00")', facts), 0)).toBe(true); // never -0
    expect(ev("minutesBetween(a, missing)", facts)).toBe(null);
  });

  it('"photo within 2 hours of check-in" fails at 2 h 59 min when written with secondsBetween or minutesBetween', () => {
    const check = (within: string) =>
      compileRuleSet({
        id: "visit-photo",
        version: 1,
        rules: [
          { id: "in-time", when: { expr: within }, then: { photo: "accepted" } },
          { id: "late", then: { photo: "late" } },
        ],
      });
    const at = (within: string, photoAt: string): unknown =>
      check(within).evaluate({ visit: { checkInAt: "2026-03-02T09:00:00+08:00", photoAt } }).output;
    // "at most 2 hours", to the second
    const seconds = "secondsBetween(visit.checkInAt, visit.photoAt) <= 2 * 3600";
    expect(at(seconds, "2026-03-02T10:59:00+08:00")).toEqual({ photo: "accepted" });
    expect(at(seconds, "2026-03-02T11:00:00+08:00")).toEqual({ photo: "accepted" });
    expect(at(seconds, "2026-03-02T11:00:01+08:00")).toEqual({ photo: "late" });
    expect(at(seconds, "2026-03-02T11:59:00+08:00")).toEqual({ photo: "late" });
    // "less than 2 hours": with truncation, `< n` is exact in any unit
    const minutes = "minutesBetween(visit.checkInAt, visit.photoAt) < 120";
    expect(at(minutes, "2026-03-02T10:59:59+08:00")).toEqual({ photo: "accepted" });
    expect(at(minutes, "2026-03-02T11:00:00+08:00")).toEqual({ photo: "late" });
    expect(at(minutes, "2026-03-02T11:59:00+08:00")).toEqual({ photo: "late" });
    // the trap the docs warn about: whole hours truncate, so 2 h 59 min is "2"
    expect(at("hoursBetween(visit.checkInAt, visit.photoAt) <= 2", "2026-03-02T11:59:00+08:00")).toEqual({ photo: "accepted" });
  });

  propTest.prop([fc.integer({ min: -1e12, max: 1e12 })])("each unit is the elapsed milliseconds truncated toward zero", (delta) => {
    const a = Date.parse("2026-01-01T00:00:00Z");
    const facts = { a: new Date(a).toISOString(), b: new Date(a + delta).toISOString() };
    for (const [fn, unit] of [["daysBetween", 86_400_000], ["hoursBetween", 3_600_000], ["minutesBetween", 60_000], ["secondsBetween", 1000]] as const) {
      const n = ev(`${fn}(a, b)`, facts) as number;
      expect(n).toBe(Math.trunc(delta / unit) + 0);
      expect(ev(`${fn}(b, a)`, facts)).toBe(-n + 0);
    }
  });
});

describe("dates without an offset are read in the definition's zone (item 7)", () => {
  const overdue = (extra: Record<string, unknown>) =>
    compileRuleSet({
      id: "receivable-overdue",
      version: 1,
      ...extra,
      rules: [
        { id: "overdue", when: { expr: "daysBetween(receivable.dueDate, now) >= 1" }, then: { overdue: true, day: { expr: "localDate(now)" } } },
        { id: "current", then: { overdue: false, day: { expr: "localDate(now)" } } },
      ],
    });
  const facts = { receivable: { dueDate: "2026-03-05" } };

  it("a receivable due 2026-03-05 is not overdue at 08:00 Shanghai time that day, and is overdue on 2026-03-06", () => {
    const rules = overdue({ timeZone: "Asia/Shanghai" });
    expect(rules.evaluate(facts, { at: "2026-03-05T08:00:00+08:00" }).output).toEqual({ overdue: false, day: "2026-03-05" });
    expect(rules.evaluate(facts, { at: "2026-03-05T23:59:59+08:00" }).output).toEqual({ overdue: false, day: "2026-03-05" });
    expect(rules.evaluate(facts, { at: "2026-03-06T00:00:00+08:00" }).output).toEqual({ overdue: true, day: "2026-03-06" });
    expect(rules.evaluate(facts, { at: "2026-03-06T07:00:00+08:00" }).output).toEqual({ overdue: true, day: "2026-03-06" });
  });

  it("a calendar's zone applies when no timeZone is written; timeZone wins over it; UTC otherwise", () => {
    const at = "2026-03-06T07:00:00+08:00";
    expect(overdue({ calendar: "cn-mainland" }).evaluate(facts, { at }).output).toEqual({ overdue: true, day: "2026-03-06" });
    expect(overdue({ calendar: "cn-mainland", timeZone: "UTC" }).evaluate(facts, { at }).output).toEqual({ overdue: false, day: "2026-03-05" });
    expect(overdue({}).evaluate(facts, { at }).output).toEqual({ overdue: false, day: "2026-03-05" });
    expect(overdue({ timeZone: "-05:00" }).evaluate(facts, { at: "2026-03-06T04:59:00Z" }).output).toEqual({ overdue: false, day: "2026-03-05" });
    expect(overdue({ timeZone: "-05:00" }).evaluate(facts, { at: "2026-03-06T05:00:00Z" }).output).toEqual({ overdue: true, day: "2026-03-06" });
  });

  it("fact conditions, comparisons and date() read local dates in the zone", () => {
    const rules = compileRuleSet({
      id: "zoned-conditions",
      version: 1,
      timeZone: "Asia/Shanghai",
      rules: [
        {
          id: "r",
          when: {
            all: [
              { fact: "payment.at", op: "after", value: "2026-03-05" },
              { fact: "payment.at", op: "gte", value: "2026-03-05T00:00" },
              { expr: 'payment.at >= "2026-03-05" and date("2026-03-05") == "2026-03-04T16:00:00Z"' },
            ],
          },
          then: { ok: true },
        },
      ],
    });
    // 07:00 in Shanghai on 03-05 is still 03-04 in UTC: every leaf above fails when dates are read as UTC.
    const r = rules.evaluate({ payment: { at: "2026-03-05T07:00:00+08:00" } }, { trace: true });
    expect(r.output).toEqual({ ok: true });
  });

  it("decision-table cells compare in the table's zone", () => {
    const table = compileDecisionTable({
      id: "march-orders",
      version: 1,
      timeZone: "Asia/Shanghai",
      hitPolicy: "first",
      inputs: [{ id: "placed", expr: "order.placedAt" }],
      outputs: [{ id: "month", type: "string" }],
      rules: [
        { placed: '>= date("2026-03-01")', month: "march" },
        { placed: "-", month: "earlier" },
      ],
    });
    expect(table.evaluate({ order: { placedAt: "2026-03-01T07:00:00+08:00" } }).output).toEqual({ month: "march" });
    expect(table.evaluate({ order: { placedAt: "2026-02-28T23:59:00+08:00" } }).output).toEqual({ month: "earlier" });
    // the internal entry a rebate modifier uses compares in the table's zone too
    const scope = { facts: { order: { placedAt: "2026-03-01T07:00:00+08:00" } }, now: "2026-03-02T00:00:00.000Z", locals: [] };
    expect(table.evaluateScope(scope, false).output).toEqual({ month: "march" });
  });

  it("a promotion on a built-in calendar takes its zone for periods and dates", () => {
    const p = compilePromotion({
      id: "spring-points",
      version: 1,
      calendar: "cn-mainland",
      eligibility: { fact: "order.placedAt", op: "before", value: "2026-03-01" },
      benefit: { type: "points", multiplier: "2" },
    });
    expect(p.document.timeZone).toBe("Asia/Shanghai");
    expect(p.evaluate({ order: { amount: 100, placedAt: "2026-02-28T23:30:00+08:00" } }).eligible).toBe(true);
    expect(p.evaluate({ order: { amount: 100, placedAt: "2026-03-01T00:30:00+08:00" } }).eligible).toBe(false);
  });

  it("a calendar definition named by id is found through the registry, its zone applying", () => {
    const calendar = { kind: "calendar", id: "acme-ny", version: 1, timeZone: "America/New_York", workingHours: [["09:00", "17:00"]], weekend: ["sat", "sun"] };
    const rules = {
      kind: "ruleset",
      id: "ny-overdue",
      version: 1,
      calendar: "acme-ny",
      rules: [{ id: "r", then: { day: { expr: "localDate(now)" }, workday: { expr: "isWorkday(now)" } } }],
    };
    const registry = createRegistry([calendar, rules]);
    expect(registry.evaluate("ny-overdue", {}, { at: "2026-03-07T03:00:00Z" }).output).toEqual({ day: "2026-03-06", workday: true });
    const alone = compileRuleSet(rules);
    expect(() => alone.evaluate({}, { at: "2026-03-07T03:00:00Z" })).toThrow(/names the calendar "acme-ny", which is not built in.*registry/);
    expect(compileCalendar(calendar as never).timeZone).toBe("America/New_York");
  });

  it("a promotion naming a calendar that is not built in must state its timeZone", () => {
    const r = validateDefinition({ kind: "promotion", id: "p", version: 1, calendar: "acme-ny", benefit: { type: "points", multiplier: "2" } });
    expect(r.ok).toBe(false);
    expect(r.issues).toEqual([expect.objectContaining({ code: "missing_time_zone", path: ["timeZone"] })]);
  });

  it("the evaluation time `at` is an instant: a date-only `at` is UTC midnight, whatever the definition's zone", () => {
    const r = overdue({ timeZone: "Asia/Shanghai" }).evaluate(facts, { at: "2026-03-06" });
    expect(r.at).toBe("2026-03-06T00:00:00.000Z");
    expect(r.output).toEqual({ overdue: true, day: "2026-03-06" });
  });

  it("standalone expressions keep reading dates without an offset as UTC", () => {
    expect(ev('date("2026-03-05")')).toBe("2026-03-05T00:00:00.000Z");
    expect(ev('localDate("2026-03-05T23:30:00-01:00")')).toBe("2026-03-06");
  });
});

describe("malformed offsets are refused (item 19)", () => {
  it.each([["+99:99"], ["+18:01"], ["-19:00"], ["+05:60"], ["+2400"]])("date() refuses the offset %s naming it", (offset) => {
    const source = `date("2026-01-01T00:00:00${offset}")`;
    let error: unknown;
    try {
      ev(source);
    } catch (e) {
      error = e;
    }
    expect(isRuleflowError(error) && error.code).toBe("EVALUATION_ERROR");
    expect((error as Error).message).toContain(`the offset "${offset}"`);
    expect((error as Error).message).toContain("out of range");
  });

  it("accepts real offsets up to ±18:00", () => {
    expect(ev('date("2026-01-01T00:00:00+14:00")')).toBe("2025-12-31T10:00:00.000Z");
    expect(ev('date("2026-01-01T00:00:00-1800")')).toBe("2026-01-01T18:00:00.000Z");
  });

  it("an effective window with an offset beyond ±18:00 is refused at load time, not silently never effective", () => {
    const r = validateDefinition({ kind: "ruleset", id: "x", version: 1, effective: { from: "2026-01-01T00:00:00+20:00" }, rules: [{ id: "r", then: { a: 1 } }] });
    expect(r.issues).toEqual([expect.objectContaining({ path: ["effective", "from"], message: expect.stringMatching(/offset is out of range/) })]);
  });

  it("says why other dates are not dates", () => {
    expect(() => ev('date("2026-02-30")')).toThrow(/"2026-02-30" is not a day of the calendar/);
    expect(() => ev('date("2026-01-01T24:00:00Z")')).toThrow(/time of day out of range/);
    expect(() => ev("daysBetween(3, now)")).toThrow(/daysBetween\(\): expected an ISO-8601 date.*got number 3/);
  });

  it("a condition value with a malformed offset is a load-time issue, and such a fact is not a date", () => {
    const r = validateDefinition({
      kind: "ruleset",
      id: "x",
      version: 1,
      rules: [{ id: "r", when: { fact: "a", op: "before", value: "2026-01-01T00:00:00+99:99" }, then: { x: 1 } }],
    });
    expect(r.ok).toBe(false);
    expect(r.issues[0]).toMatchObject({ path: ["rules", 0, "when", "value"] });
    expect(() => ev("date(a)", { a: "2026-01-01T00:00:00+99:99" })).toThrow(/the offset "\+99:99" .* is out of range/);
  });
});
