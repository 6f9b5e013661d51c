/**
 * Working-day functions of expressions (issue 9, item 20) on the built-in
 * cn-mainland calendar around the 2026 Spring Festival: Feb 15-23 off,
 * Saturdays Feb 14 and Feb 28 worked; working hours 09:00-12:00, 13:30-18:00.
 */
import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { compileExpression, compileRuleSet, createRegistry, isRuleflowError, validateDefinition } from "../src/index.js";

/** Evaluate `source` as the output of a rule set on cn-mainland. */
function onCalendar(source: string, facts: Record<string, unknown> = {}, at = "2026-02-24T10:00:00+08:00", calendar = "cn-mainland"): unknown {
  const rules = compileRuleSet({ id: "t", version: 1, calendar, rules: [{ id: "r", then: { v: { expr: source } } }] });
  return (rules.evaluate(facts, { at }).output as { v: unknown }).v;
}

describe("isWorkday, workdaysBetween, addWorkdays, businessHoursBetween", () => {
  it("isWorkday knows holidays and make-up Saturdays", () => {
    expect(onCalendar('isWorkday("2026-02-13")')).toBe(true); // Friday
    expect(onCalendar('isWorkday("2026-02-14")')).toBe(true); // Saturday worked
    expect(onCalendar('isWorkday("2026-02-16")')).toBe(false); // Monday, Spring Festival
    expect(onCalendar('isWorkday("2026-02-21")')).toBe(false); // Saturday in the holiday
    expect(onCalendar('isWorkday("2026-02-24")')).toBe(true);
    // an instant is read on the calendar's wall clock: 2026-02-15T01:00+08:00 is still the 14th in UTC
    expect(onCalendar('isWorkday("2026-02-14T17:00:00Z")')).toBe(false);
    expect(onCalendar("isWorkday(now)", {}, "2026-02-28T10:00:00+08:00")).toBe(true);
  });

  it("workdaysBetween counts working days after the first date up to and including the second", () => {
    expect(onCalendar('workdaysBetween("2026-02-12", "2026-02-24")')).toBe(3); // 13th, 14th, 24th
    expect(onCalendar('workdaysBetween("2026-02-24", "2026-02-12")')).toBe(-3);
    expect(onCalendar('workdaysBetween("2026-02-13", "2026-02-13")')).toBe(0);
    expect(onCalendar('workdaysBetween("2026-02-14", "2026-02-23")')).toBe(0);
    expect(onCalendar("workdaysBetween(o.updatedAt, now)", { o: { updatedAt: "2026-02-13T17:30:00+08:00" } })).toBe(2);
    expect(onCalendar("workdaysBetween(o.updatedAt, now)", { o: {} })).toBe(null);
  });

  it("addWorkdays steps over the holiday and returns a date", () => {
    expect(onCalendar('addWorkdays("2026-02-13", 1)')).toBe("2026-02-14");
    expect(onCalendar('addWorkdays("2026-02-13", 2)')).toBe("2026-02-24");
    expect(onCalendar('addWorkdays("2026-02-24", -2)')).toBe("2026-02-13");
    expect(onCalendar('addWorkdays("2026-02-16", 0)')).toBe("2026-02-24");
    expect(onCalendar('addWorkdays("2026-02-13", 0)')).toBe("2026-02-13");
    expect(() => onCalendar('addWorkdays("2026-02-13", 1.5)')).toThrow(/addWorkdays\(\): n must be a whole number/);
  });

  it("businessHoursBetween counts working hours exactly, across the make-up Saturday", () => {
    expect(onCalendar('businessHoursBetween("2026-02-13T16:00:00+08:00", "2026-02-14T10:00:00+08:00")')).toBe(3);
    expect(onCalendar('businessHoursBetween("2026-02-13T16:00:00+08:00", "2026-02-13T16:45:00+08:00")')).toBe(0.75);
    expect(onCalendar('businessHoursBetween("2026-02-14T18:00:00+08:00", "2026-02-24T09:30:00+08:00")')).toBe(0.5);
    expect(onCalendar('businessHoursBetween("2026-02-24T09:30:00+08:00", "2026-02-14T18:00:00+08:00")')).toBe(-0.5);
    expect(onCalendar('isWorkingTime("2026-02-14T12:30:00+08:00")')).toBe(false);
    expect(onCalendar('isWorkingTime("2026-02-14T13:30:00+08:00")')).toBe(true);
  });

  it("a definition without a calendar is refused at load time, naming the path and the fix", () => {
    const r = validateDefinition({
      kind: "ruleset",
      id: "stale",
      version: 1,
      rules: [{ id: "r", when: { all: [{ expr: "workdaysBetween(o.updatedAt, now) >= 3" }] }, then: { stale: true } }],
    });
    expect(r.ok).toBe(false);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]!.path).toEqual(["rules", 0, "when", "all", 0, "expr"]);
    expect(r.issues[0]!.message).toMatch(/workdaysBetween\(\) counts working days, so the ruleset must name a calendar: add "calendar": "cn-mainland"/);
    const table = validateDefinition({
      kind: "decision-table",
      id: "t",
      version: 1,
      inputs: [{ id: "late", expr: "businessHoursBetween(a, b)" }],
      outputs: [{ id: "x" }],
      rules: [{ late: "-", x: '"y"' }],
    });
    expect(table.issues[0]).toMatchObject({ path: ["inputs", 0, "expr"] });
    const workflow = validateDefinition({
      kind: "workflow",
      id: "w",
      version: 1,
      calendar: "cn-mainland",
      start: "a",
      nodes: { a: { type: "branch", branches: [{ when: { expr: "isWorkday(now)" }, to: "b" }], default: "b" }, b: { type: "end", outcome: "done" } },
    });
    expect(workflow.ok).toBe(false);
    expect(workflow.issues.some((i) => /isWorkday\(\) works in rule sets, decision tables and promotions that name a "calendar"; a workflow can evaluate such a rule set/.test(i.message))).toBe(true);
  });

  it("a standalone expression has no calendar: a clear evaluation error", () => {
    expect(() => compileExpression('isWorkday("2026-02-13")').evaluate({})).toThrow(/a standalone expression has no business calendar/);
  });

  it("a date outside the calendar's coverage is a CalendarCoverageError, not a guess", () => {
    let error: unknown;
    try {
      onCalendar('workdaysBetween("2026-12-20", "2027-01-10")');
    } catch (e) {
      error = e;
    }
    expect(isRuleflowError(error)).toBe(true);
    expect((error as Error).message).toMatch(/Calendar "cn-mainland" has no holiday data for 2027 \(it covers 2021-2026\)/);
    // the evaluation error names the expression and rule; the coverage error is in its cause chain
    const codes: string[] = [];
    for (let e: unknown = error; isRuleflowError(e); e = (e as { cause?: unknown }).cause) codes.push(e.code);
    expect(codes.at(-1)).toBe("CALENDAR_COVERAGE");
  });

  it("a calendar that extends cn-mainland works through the registry", () => {
    const registry = createRegistry([
      { kind: "calendar", id: "acme-cn", version: 1, extends: "cn-mainland", holidays: ["2026-02-24"] },
      { kind: "ruleset", id: "t", version: 1, calendar: "acme-cn", rules: [{ id: "r", then: { v: { expr: 'addWorkdays("2026-02-13", 2)' } } }] },
    ]);
    expect(registry.evaluate("t", {}, { at: "2026-02-24T10:00:00+08:00" }).output).toEqual({ v: "2026-02-25" });
  });
});

describe("properties", () => {
  const day0 = Date.parse("2021-04-01T00:00:00Z");
  const dateOf = (i: number): string => new Date(day0 + i * 86_400_000).toISOString().slice(0, 10);
  const rules = compileRuleSet({
    id: "p",
    version: 1,
    calendar: "cn-mainland",
    rules: [{ id: "r", then: { to: { expr: "addWorkdays(d, n)" }, back: { expr: "workdaysBetween(d, addWorkdays(d, n))" }, worked: { expr: "isWorkday(d)" }, rev: { expr: "workdaysBetween(addWorkdays(d, n), d)" } } }],
  });

  propTest.prop([fc.integer({ min: 0, max: 1900 }), fc.integer({ min: -40, max: 40 })])(
    "from a working day, workdaysBetween(d, addWorkdays(d, n)) is n, and swapping the dates negates it",
    (i, n) => {
      const out = rules.evaluate({ d: dateOf(i), n }, { at: "2026-01-01T00:00:00Z" }).output as { to: string; back: number; worked: boolean; rev: number };
      if (out.worked) expect(out.back).toBe(n);
      expect(out.rev).toBe(-out.back + 0);
    },
  );
});
