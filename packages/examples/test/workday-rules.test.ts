/**
 * Working-day rules over facts, across the 2026 Spring Festival on the
 * built-in cn-mainland calendar (Feb 15-23 off, Saturdays Feb 14 and Feb 28
 * worked): stale opportunities (no update on 3 working days) and overdue
 * receivables (more than 5 working days: red flag, tell the supervisor).
 * See docs/calendars.md, "Working days in rules".
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { fc, test as propTest } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { compileRuleSet, isRuleflowError, type RuleSetDefinition } from "@ruleflow/engine";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const json = (path: string): unknown => JSON.parse(readFileSync(join(root, path), "utf8"));

const stale = compileRuleSet(json("definitions/stale-opportunities.ruleset.json") as RuleSetDefinition);
const overdue = compileRuleSet(json("definitions/receivable-overdue.ruleset.json") as RuleSetDefinition);
const opportunity = json("facts/stale-opportunity.json") as { opportunity: Record<string, unknown> };
const receivable = json("facts/receivable-overdue.json") as { receivable: Record<string, unknown> };

/** A Beijing wall-clock time as an instant. */
const bj = (local: string): string => `${local}+08:00`;

describe("stale opportunities: no update on 3 working days", () => {
  const at = (local: string) => stale.evaluate(opportunity, { at: bj(local) }).output as Record<string, unknown>;

  it("counts the make-up Saturday and skips the Spring Festival", () => {
    // last update: Friday 2026-02-13 17:30
    expect(at("2026-02-13T18:00:00")).toMatchObject({ status: "fresh", workdaysSinceUpdate: 0, staleOn: "2026-02-25" });
    expect(at("2026-02-14T10:00:00")).toMatchObject({ status: "fresh", workdaysSinceUpdate: 1 }); // Saturday, worked
    expect(at("2026-02-18T10:00:00")).toMatchObject({ status: "fresh", workdaysSinceUpdate: 1 }); // a weekday count would say 4
    expect(at("2026-02-24T10:00:00")).toMatchObject({ status: "fresh", workdaysSinceUpdate: 2 });
    expect(at("2026-02-25T00:00:00")).toEqual({ status: "stale", workdaysSinceUpdate: 3, remind: ["user:li.wei"] });
  });

  it("closed opportunities are never stale", () => {
    const won = { opportunity: { ...opportunity.opportunity, stage: "won" } };
    expect(stale.evaluate(won, { at: bj("2026-03-10T10:00:00") }).output).toEqual({ status: "closed", remind: [] });
  });
});

describe("overdue receivables: more than 5 working days is a red flag for the supervisor too", () => {
  const at = (local: string, facts: unknown = receivable) => overdue.evaluate(facts, { at: bj(local) }).output as Record<string, unknown>;

  it("is due through the end of its due day in Beijing, then amber, then red after 5 working days", () => {
    // due Thursday 2026-02-12
    expect(at("2026-02-12T23:59:00")).toEqual({ flag: "none", workdaysOverdue: 0, notify: [] });
    // 00:30 in Beijing is still 2026-02-12 in UTC: overdue all the same
    expect(at("2026-02-13T00:30:00")).toEqual({ flag: "amber", workdaysOverdue: 1, redFlagOn: "2026-02-27", notify: ["user:zhang.min"] });
    expect(at("2026-02-23T10:00:00")).toMatchObject({ flag: "amber", workdaysOverdue: 2 }); // 13th and the worked 14th
    expect(at("2026-02-26T10:00:00")).toMatchObject({ flag: "amber", workdaysOverdue: 5 });
    expect(at("2026-02-27T09:00:00")).toEqual({ flag: "red", workdaysOverdue: 6, notify: ["user:zhang.min", "user:chen.jie"] });
    expect(at("2026-02-28T09:00:00")).toMatchObject({ flag: "red", workdaysOverdue: 7 }); // Saturday, worked
  });

  it("a settled receivable raises nothing", () => {
    const paid = { receivable: { ...receivable.receivable, outstanding: "0.00" } };
    expect(at("2026-03-10T10:00:00", paid)).toEqual({ flag: "none", workdaysOverdue: 0, notify: [] });
  });

  it("a date the calendar has no holidays for is an error naming the year, never a guess", () => {
    const late = { receivable: { ...receivable.receivable, dueDate: "2026-12-25" } };
    let error: unknown;
    try {
      at("2027-01-08T10:00:00", late);
    } catch (e) {
      error = e;
    }
    expect(isRuleflowError(error)).toBe(true);
    expect((error as Error).message).toContain('Calendar "cn-mainland" has no holiday data for 2027');
  });

  propTest.prop([fc.integer({ min: Date.parse("2026-02-01T00:00:00Z"), max: Date.parse("2026-03-31T00:00:00Z") })])(
    "the flag turns red exactly on the day redFlagOn names",
    (ms) => {
      const out = overdue.evaluate(receivable, { at: new Date(ms) }).output as Record<string, unknown>;
      const beijingDate = new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
      expect(out.flag === "red").toBe(beijingDate >= "2026-02-27");
      expect(out.flag === "none").toBe(beijingDate <= "2026-02-12");
    },
  );
});
