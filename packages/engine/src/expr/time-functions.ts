/**
 * Date and time functions of expressions. Dates without an offset are read in
 * the zone of the definition being evaluated (see time-context.ts); results
 * are UTC ISO-8601 strings, except {@link TIME_FUNCTIONS.localDate}.
 *
 * The `...Between` functions count whole units of elapsed time, truncated
 * toward zero: 2 h 59 min is 2 hours and 179 minutes, and -2 h 59 min is -2
 * hours. A day is 24 hours of elapsed time, also across a daylight-saving
 * change; to count calendar or working days use `localDate` or
 * `workdaysBetween`.
 */
import { EvaluationError } from "../core/errors.js";
import { formatLocalDate } from "../core/local-date.js";
import type { FunctionSpec } from "./function-spec.js";
import { currentTimeContext } from "./time-context.js";
import { describeType, formatInstant, offsetMinutes, parseInstant } from "./values.js";

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
const SECOND_MS = 1000;

const DATE_SHAPE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function fail(fn: string, message: string): never {
  throw new EvaluationError(`${fn}(): ${message}`);
}

/**
 * Why `value` is not a date `parseInstant` accepts, as precisely as can be
 * said: a bad offset, a day that does not exist, or the wrong shape.
 * @internal
 */
function explainNotADate(value: unknown): string {
  const example = 'an ISO-8601 date such as "2026-01-31" or "2026-01-31T09:00:00+08:00"';
  if (typeof value !== "string") return `expected ${example}, got ${describeType(value)} ${JSON.stringify(value) ?? ""}`.trimEnd();
  const m = DATE_SHAPE.exec(value);
  if (!m) return `expected ${example}, got ${JSON.stringify(value)}`;
  const off = m[7];
  if (off !== undefined && off !== "Z" && offsetMinutes(off) === undefined) {
    return `the offset "${off}" of ${JSON.stringify(value)} is out of range: offsets run from -18:00 to +18:00, with minutes 00 to 59`;
  }
  if (Number(m[4] ?? 0) > 23 || Number(m[5] ?? 0) > 59 || Number(m[6] ?? 0) > 59) return `${JSON.stringify(value)} has a time of day out of range (00:00:00 to 23:59:59)`;
  return `${JSON.stringify(value)} is not a day of the calendar`;
}

/** Epoch ms of a date argument; `null` when missing. @throws {@link EvaluationError} for anything else. @internal */
export function instantArg(fn: string, v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const t = parseInstant(v);
  if (t === undefined) fail(fn, explainNotADate(v));
  return t;
}

function numberArg(fn: string, v: unknown, what: string): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v !== "number" || !Number.isFinite(v)) fail(fn, `${what} must be a finite number, got ${describeType(v)} ${JSON.stringify(v)}`);
  return v;
}

function between(name: string, unit: string, unitMs: number): FunctionSpec {
  return {
    minArgs: 2,
    maxArgs: 2,
    doc: `${name}(from, to): whole ${unit} elapsed from \`from\` to \`to\`, truncated toward zero (negative when to is earlier)`,
    call: ([a, b]) => {
      const x = instantArg(name, a);
      const y = instantArg(name, b);
      // `+ 0` turns -0 into 0.
      return x === null || y === null ? null : Math.trunc((y - x) / unitMs) + 0;
    },
  };
}

function adder(name: string, unit: string, unitMs: number): FunctionSpec {
  return {
    minArgs: 2,
    maxArgs: 2,
    doc: `${name}(date, n): the instant n ${unit} later (earlier when n < 0), as UTC ISO-8601`,
    call: ([d, n]) => {
      const t = instantArg(name, d);
      const k = numberArg(name, n, unit);
      if (t === null || k === null) return null;
      const ms = t + k * unitMs;
      if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) fail(name, `the result is outside the range of dates (${k} ${unit} from ${JSON.stringify(d)})`);
      return formatInstant(ms);
    },
  };
}

/** The date and time functions, by name. @internal */
export const TIME_FUNCTIONS = {
  date: {
    minArgs: 1,
    maxArgs: 1,
    doc: "date(s): the ISO-8601 date or date-time s as a UTC instant; a date without an offset is midnight in the definition's zone",
    call: ([x]) => {
      const t = instantArg("date", x);
      return t === null ? null : formatInstant(t);
    },
  },
  localDate: {
    minArgs: 1,
    maxArgs: 1,
    doc: 'localDate(t): the calendar date (YYYY-MM-DD) of t in the definition\'s zone, e.g. localDate(now) > invoice.dueDate',
    call: ([x]) => {
      const t = instantArg("localDate", x);
      if (t === null) return null;
      const zone = currentTimeContext()?.zone;
      return formatLocalDate(zone ? zone.localDayOf(t) : Math.floor(t / DAY_MS));
    },
  },
  daysBetween: between("daysBetween", "days (of 24 hours)", DAY_MS),
  hoursBetween: between("hoursBetween", "hours", HOUR_MS),
  minutesBetween: between("minutesBetween", "minutes", MINUTE_MS),
  secondsBetween: between("secondsBetween", "seconds", SECOND_MS),
  addDays: adder("addDays", "days (of 24 hours)", DAY_MS),
  addHours: adder("addHours", "hours", HOUR_MS),
} satisfies Record<string, FunctionSpec>;
