/** The built-in calendars as documents: `cn-mainland`, built from the State Council notices. */
import type { BuiltinCalendarId, CalendarDocument } from "../schema/calendar.js";
import { CN_MAINLAND_COVERAGE, CN_MAINLAND_NOTICES } from "./cn-mainland-data.js";
import { formatLocalDate, parseLocalDate } from "../core/local-date.js";

function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = parseLocalDate(from)!, end = parseLocalDate(to)!; d <= end; d++) out.push(formatLocalDate(d));
  return out;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

const notices = CN_MAINLAND_NOTICES;

/**
 * Mainland China: Asia/Shanghai, 09:00-12:00 and 13:30-18:00, Saturday and
 * Sunday off, with every holiday and make-up workday arranged by the State
 * Council's yearly notices for the covered years (see `CN_MAINLAND_NOTICES`
 * for each year's document number, date and sources).
 */
const cnMainland: CalendarDocument = {
  kind: "calendar",
  id: "cn-mainland",
  version: 1,
  name: "Mainland China",
  description:
    `Public holidays and make-up workdays as arranged by the General Office of the State Council, ${CN_MAINLAND_COVERAGE.from}-${CN_MAINLAND_COVERAGE.to}: ` +
    notices.map((n) => `${n.year} ${n.number} (${n.published})`).join("; "),
  timeZone: "Asia/Shanghai",
  workingHours: [
    ["09:00", "12:00"],
    ["13:30", "18:00"],
  ],
  weekend: ["sat", "sun"],
  holidays: notices.flatMap((n) => n.periods.flatMap((period) => daysBetween(period.from, period.to))),
  workdays: notices.flatMap((n) => n.periods.flatMap((period) => period.workdays)),
  coverage: { ...CN_MAINLAND_COVERAGE },
};

/**
 * The calendars that ship with the engine, as documents (deeply frozen: copy
 * one with `structuredClone` to change it, or better, write a calendar that
 * `extends` it). Compile one with {@link getBuiltinCalendar}.
 *
 * @example
 * ```ts
 * BUILTIN_CALENDARS["cn-mainland"].coverage; // { from: 2021, to: 2026 }
 * ```
 * @see docs/calendars.md
 */
export const BUILTIN_CALENDARS: Readonly<Record<BuiltinCalendarId, CalendarDocument>> = deepFreeze({
  "cn-mainland": cnMainland,
});
