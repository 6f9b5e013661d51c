/** Calendar documents: validation with JSON paths, `extends`, and the definition registry. */
import { describe, expect, it } from "vitest";
import {
  DEFINITION_KINDS,
  ValidationError,
  compileCalendar,
  compileDefinition,
  createRegistry,
  formatIssue,
  validateDefinition,
  type CompiledCalendar,
  type Issue,
} from "../src/index.js";
import { BUILTIN_CALENDARS } from "../src/entries/calendar.js";

const H = 3_600_000;
const bj = (local: string): number => Date.parse(`${local}:00+08:00`);

/** The example of docs/DSL.md. */
const dslExample = {
  kind: "calendar",
  id: "cn-mainland",
  timeZone: "Asia/Shanghai",
  workingHours: [
    ["09:00", "12:00"],
    ["13:30", "18:00"],
  ],
  weekend: ["sat", "sun"],
  holidays: ["2026-01-01", "2026-01-02", "2026-01-03", "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23"],
  workdays: ["2026-01-04", "2026-02-14", "2026-02-28"],
};

function issuesOf(doc: Record<string, unknown>): Pick<Issue, "path" | "code">[] {
  const r = validateDefinition({ ...dslExample, ...doc });
  return r.issues.map(({ path, code }) => ({ path, code }));
}

describe("valid calendars", () => {
  it("accepts the DSL example and defaults version to 1", () => {
    const r = validateDefinition(dslExample);
    expect(r.issues).toEqual([]);
    const cal = r.definition as CompiledCalendar;
    expect(cal.kind).toBe("calendar");
    expect(cal.version).toBe(1);
    expect(cal.isWorkday(bj("2026-02-14T10:00"))).toBe(true);
    expect(cal.coverage).toBeUndefined();
  });

  it("is a definition kind with a JSON Schema", () => {
    expect(DEFINITION_KINDS).toContain("calendar");
  });

  it("treats every year as covered when coverage is absent", () => {
    const cal = compileCalendar(dslExample as never);
    expect(cal.isWorkday(bj("2031-06-02T10:00"))).toBe(true);
    expect(cal.isWorkday(bj("2026-02-15T10:00"))).toBe(false);
  });

  it("merges touching spans and allows 24:00 as an end", () => {
    const cal = compileCalendar({ id: "shifts", timeZone: "UTC", workingHours: [["08:00", "12:00"], ["12:00", "16:00"], ["22:00", "24:00"]] });
    expect(cal.addBusinessTime(Date.parse("2026-03-02T11:00:00Z"), 2 * H)).toBe(Date.parse("2026-03-02T13:00:00Z"));
    expect(cal.isWorkingTime(Date.parse("2026-03-02T23:59:59Z"))).toBe(true);
    expect(cal.isWorkingTime(Date.parse("2026-03-03T00:00:00Z"))).toBe(false); // [22:00, 24:00) ends as Tuesday begins
  });

  it("validates the built-in documents, which are frozen", () => {
    for (const doc of Object.values(BUILTIN_CALENDARS)) expect(validateDefinition(doc).issues).toEqual([]);
    expect(Object.isFrozen(BUILTIN_CALENDARS["cn-mainland"].holidays)).toBe(true);
  });

  it("loads into a registry and resolves by id and effective date", () => {
    const registry = createRegistry([{ ...dslExample, id: "ops", version: 2, effective: { from: "2026-01-01T00:00:00+08:00" } }]);
    const cal = registry.resolve("ops", "2026-02-01T00:00:00+08:00");
    expect(cal.kind).toBe("calendar");
    expect(() => registry.evaluate("ops", {})).toThrow(/not evaluated against facts/);
  });
});

describe("extends", () => {
  it("inherits the built-in fields and lets own dates win", () => {
    const acme = compileCalendar({
      id: "acme-cn",
      extends: "cn-mainland",
      holidays: ["2026-03-06", "2026-02-14"], // a company day off, and the make-up Saturday not worked
      workdays: ["2026-10-07"], // a holiday worked
    });
    expect(acme.timeZone).toBe("Asia/Shanghai");
    expect(acme.coverage).toEqual({ from: 2021, to: 2026 });
    expect(acme.isWorkday(bj("2026-03-06T10:00"))).toBe(false);
    expect(acme.isWorkday(bj("2026-02-14T10:00"))).toBe(false);
    expect(acme.isWorkday(bj("2026-10-07T10:00"))).toBe(true);
    expect(acme.isWorkday(bj("2026-10-06T10:00"))).toBe(false);
    expect(acme.isWorkday(bj("2026-02-28T10:00"))).toBe(true);
  });

  it("can change working hours and zone", () => {
    const late = compileCalendar({ id: "late", extends: "cn-mainland", workingHours: [["10:00", "19:00"]] });
    expect(late.isWorkingTime(bj("2026-02-13T18:30"))).toBe(true);
    expect(late.isWorkingTime(bj("2026-02-13T12:30"))).toBe(true);
  });

  it("accepts a workday on a base holiday but not on an ordinary weekday", () => {
    expect(() => compileCalendar({ id: "x", extends: "cn-mainland", workdays: ["2026-10-02"] })).not.toThrow();
    const e = (() => {
      try {
        compileCalendar({ id: "x", extends: "cn-mainland", workdays: ["2026-03-03"] });
      } catch (err) {
        return err as ValidationError;
      }
      throw new Error("expected a ValidationError");
    })();
    expect(e).toBeInstanceOf(ValidationError);
    expect(e.issues.map(formatIssue)).toEqual([
      "workdays[0]: 2026-03-03 is a Tuesday, already a working day; workdays lists make-up working days on the weekend or holidays of the extended calendar",
    ]);
  });
});

describe("invalid calendars: every problem with its JSON path", () => {
  it.each([
    [{ timeZone: "Mars/Olympus" }, [{ path: ["timeZone"], code: "invalid_value" }]],
    [{ timeZone: 8 }, [{ path: ["timeZone"], code: "invalid_type" }]],
    [{ workingHours: [["09:00", "12:00"], ["11:00", "18:00"]] }, [{ path: ["workingHours", 1], code: "overlapping_span" }]],
    [{ workingHours: [["13:30", "18:00"], ["09:00", "12:00"]] }, [{ path: ["workingHours", 1], code: "overlapping_span" }]],
    [{ workingHours: [["18:00", "09:00"]] }, [{ path: ["workingHours", 0], code: "invalid_value" }]],
    [{ workingHours: [["9:00", "12:00"]] }, [{ path: ["workingHours", 0, 0], code: "invalid_format" }]],
    [{ workingHours: [["09:00", "24:30"]] }, [{ path: ["workingHours", 0, 1], code: "invalid_format" }]],
    [{ workingHours: [["09:00"]] }, [{ path: ["workingHours", 0], code: "too_small" }]],
    [{ workingHours: [] }, [{ path: ["workingHours"], code: "too_small" }]],
    [{ weekend: ["sat", "caturday"] }, [{ path: ["weekend", 1], code: "invalid_value" }]],
    [{ weekend: ["sat", "sat"] }, [{ path: ["weekend"], code: "invalid_value" }]],
    [{ holidays: ["2026-02-30"] }, [{ path: ["holidays", 0], code: "invalid_value" }]],
    [{ holidays: ["2026/02/01"] }, [{ path: ["holidays", 0], code: "invalid_format" }]],
    [{ holidays: ["2026-02-15", "2026-02-15"] }, [{ path: ["holidays", 1], code: "duplicate_date" }]],
    [{ workdays: ["2026-02-15"] }, [{ path: ["workdays", 0], code: "duplicate_date" }]],
    [{ workdays: ["2026-02-16"] }, [{ path: ["workdays", 0], code: "duplicate_date" }, { path: ["workdays", 0], code: "redundant_workday" }]],
    [{ coverage: { from: 2027, to: 2026 } }, [{ path: ["coverage", "to"], code: "invalid_value" }]],
    [{ coverage: { from: 2026 } }, [{ path: ["coverage", "to"], code: "invalid_type" }]],
    [{ coverage: { from: 2026, to: 2026 }, holidays: ["2025-12-31"] }, [{ path: ["holidays", 0], code: "outside_coverage" }]],
    [{ version: 0 }, [{ path: ["version"], code: "too_small" }]],
    [{ extends: "us-federal" }, [{ path: ["extends"], code: "invalid_value" }]],
    [{ bogus: true }, [{ path: ["bogus"], code: "unrecognized_key" }]],
  ] as const)("%j", (change, expected) => {
    expect(issuesOf(change)).toEqual(expected);
  });

  it("requires timeZone and workingHours unless the calendar extends a built-in one", () => {
    const r = validateDefinition({ kind: "calendar", id: "bare" });
    expect(r.issues.map(formatIssue)).toEqual([
      'timeZone: is required (expected an IANA time zone such as "Asia/Shanghai") (or "extends": "cn-mainland" to start from a built-in calendar)',
      'workingHours: is required (expected spans such as [["09:00", "12:00"], ["13:30", "18:00"]]) (or "extends": "cn-mainland" to start from a built-in calendar)',
    ]);
  });

  it("reports all shape problems at once, with messages that say how to fix them", () => {
    const r = validateDefinition({ ...dslExample, timeZone: "Asia/Shanghia", workingHours: [["09:00", "12:00"], ["11:00", "18:00"]], holidays: ["2026-02-30"] });
    expect(r.issues.map(formatIssue)).toEqual([
      'timeZone: unknown time zone "Asia/Shanghia"; use an IANA name such as "Asia/Shanghai" or "America/New_York"',
      "workingHours[1]: starts at 11:00, before the previous span ends at 12:00; list spans in time order without overlaps",
      "holidays[0]: 2026-02-30 is not a real date",
    ]);
  });

  it("compileCalendar throws a ValidationError naming the calendar; kind may be omitted", () => {
    expect(() => compileCalendar({ id: "x", timeZone: "UTC", workingHours: [["18:00", "09:00"]] })).toThrow(
      /Invalid calendar "x": 1 problem\n {2}workingHours\[0\]: a span must end after it starts, got 18:00-09:00/,
    );
    expect(compileDefinition({ ...dslExample, id: "y" }).kind).toBe("calendar");
  });
});
