/**
 * The meaning checks of a calendar document, those zod cannot express
 * field by field: what `extends` supplies, dates listed twice or on both
 * lists, dates outside `coverage`, make-up workdays that change nothing.
 * Every problem is reported with its JSON path; the merged rules come back
 * either way so that compiling never throws on a bad document.
 */
import type { Issue } from "../core/errors.js";
import { catalogueIssue } from "../i18n/issues.js";
import { calendarMessages as M } from "../i18n/messages/calendar.js";
import type { CalendarDocument } from "../schema/calendar.js";
import type { CalendarCoverage } from "../core/errors.js";
import { WEEKDAY_NAMES, isoWeekday, parseLocalDate, parseTimeOfDay } from "../core/local-date.js";

/** A document's rules merged with those of the calendar it extends. @internal */
export interface MergedCalendarRules {
  readonly timeZone: string;
  readonly spans: readonly (readonly [number, number])[];
  readonly weekend: ReadonlySet<number>;
  readonly holidays: ReadonlySet<number>;
  readonly workdays: ReadonlySet<number>;
  readonly coverage: CalendarCoverage | undefined;
}

const DEFAULT_WEEKEND = ["sat", "sun"] as const;
const DAY_KEYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

function toSpans(hours: readonly (readonly [string, string])[]): [number, number][] {
  const out: [number, number][] = [];
  for (const [from, to] of hours) {
    const start = parseTimeOfDay(from);
    const end = parseTimeOfDay(to);
    const last = out[out.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end); // touching spans are one span
    else out.push([start, end]);
  }
  return out;
}

function days(list: readonly string[]): Set<number> {
  return new Set(list.map((d) => parseLocalDate(d)!));
}

/**
 * Check `doc` against itself and `base`, pushing problems to `issues`, and
 * return the merged rules.
 * @internal
 */
export function checkCalendarDocument(doc: CalendarDocument, base: CalendarDocument | undefined, issues: Issue[]): MergedCalendarRules {
  const timeZone = doc.timeZone ?? base?.timeZone;
  if (timeZone === undefined) {
    issues.push(catalogueIssue(M, base ? "timeZoneRequired" : "timeZoneRequiredOrExtends", ["timeZone"], {}, "invalid_type"));
  }
  const workingHours = doc.workingHours ?? base?.workingHours;
  if (workingHours === undefined) {
    issues.push(catalogueIssue(M, base ? "workingHoursRequired" : "workingHoursRequiredOrExtends", ["workingHours"], {}, "invalid_type"));
  }
  const weekendNames = doc.weekend ?? base?.weekend ?? DEFAULT_WEEKEND;
  const weekend = new Set(weekendNames.map((name) => WEEKDAY_NAMES.indexOf(name) + 1));
  const coverage = doc.coverage ?? base?.coverage;
  const baseHolidays = days(base?.holidays ?? []);
  const baseWorkdays = days(base?.workdays ?? []);

  const seen = new Map<number, string>();
  for (const list of ["holidays", "workdays"] as const) {
    doc[list].forEach((text, i) => {
      const day = parseLocalDate(text)!;
      const at = `${list}[${i}]`;
      const first = seen.get(day);
      if (first !== undefined) {
        issues.push(catalogueIssue(M, first.startsWith(list) ? "listedTwice" : "holidayAndWorkday", [list, i], { date: text, first }, "duplicate_date"));
      } else seen.set(day, at);
      const year = Number(text.slice(0, 4));
      if (coverage && (year < coverage.from || year > coverage.to)) {
        issues.push(catalogueIssue(M, "outsideCoverage", [list, i], { date: text, from: coverage.from, to: coverage.to, year }, "outside_coverage"));
      }
      if (list === "workdays" && !weekend.has(isoWeekday(day)) && !baseHolidays.has(day)) {
        const dayKey = DAY_KEYS[isoWeekday(day) - 1]!;
        issues.push(catalogueIssue(M, base ? "redundantWorkdayExtended" : "redundantWorkday", [list, i], { date: text, "day@": dayKey }, "redundant_workday"));
      }
    });
  }

  // The document's own dates win over the extended calendar's.
  const holidays = days(doc.holidays);
  const workdays = days(doc.workdays);
  for (const d of baseHolidays) if (!workdays.has(d)) holidays.add(d);
  for (const d of baseWorkdays) if (!holidays.has(d)) workdays.add(d);

  return {
    timeZone: timeZone ?? "UTC",
    spans: toSpans(workingHours ?? []),
    weekend,
    holidays,
    workdays,
    coverage: coverage ? { from: coverage.from, to: coverage.to } : undefined,
  };
}
