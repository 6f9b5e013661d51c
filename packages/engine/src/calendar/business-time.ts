/**
 * Business-time arithmetic over a {@link DaySchedule}. Every loop walks whole
 * local days (a day's total is used when the whole day lies inside the
 * range), so 5,000 business hours is a few hundred iterations, and every
 * loop is bounded by `checkAhead` or by the days between two instants.
 *
 * Working spans are half-open, `[start, end)`: 09:00 is working time, 12:00
 * and 18:00 are not.
 */
import { DAY_MS } from "../core/local-date.js";
import type { DaySchedule } from "./day-schedule.js";

/** Whether `ms` falls inside a working span. @internal */
export function isWorkingTimeIn(s: DaySchedule, ms: number): boolean {
  const spans = s.spans(s.zone.localDayOf(ms));
  for (let i = 0; i < spans.length; i += 2) if (ms >= spans[i]! && ms < spans[i + 1]!) return true;
  return false;
}

/** `ms` when it is working time, else the start of the next working span. @internal */
export function nextWorkingInstantIn(s: DaySchedule, ms: number): number {
  for (let day = s.zone.localDayOf(ms), idle = 1; ; day++, idle++) {
    const spans = s.spans(day);
    for (let i = 0; i < spans.length; i += 2) if (spans[i + 1]! > ms) return Math.max(spans[i]!, ms);
    s.checkAhead(day, idle);
  }
}

/**
 * The earliest instant by which `durationMs` of working time has elapsed
 * since `ms`. A positive duration therefore ends inside a working span or
 * exactly at the end of one (18:00, not the next morning); zero returns `ms`.
 * @internal
 */
export function addBusinessTimeIn(s: DaySchedule, ms: number, durationMs: number): number {
  if (durationMs === 0) return ms;
  let remaining = durationMs;
  for (let day = s.zone.localDayOf(ms), idle = 1; ; day++) {
    const spans = s.spans(day);
    let worked = false;
    if (spans.length > 0 && spans[0]! >= ms && s.total(day) < remaining) {
      remaining -= s.total(day); // the whole day fits: skip it in one step
      worked = true;
    } else {
      for (let i = 0; i < spans.length; i += 2) {
        const end = spans[i + 1]!;
        if (end <= ms) continue;
        const start = Math.max(spans[i]!, ms);
        if (remaining <= end - start) return start + remaining;
        remaining -= end - start;
        worked = true;
      }
    }
    if (worked) idle = 1;
    else s.checkAhead(day, idle++);
  }
}

/** Working time in `[a, b)`; negative when `b < a`. @internal */
export function businessTimeBetweenIn(s: DaySchedule, a: number, b: number): number {
  if (a === b) return 0;
  if (b < a) return 0 - businessTimeBetweenIn(s, b, a);
  let sum = 0;
  let last = s.zone.localDayOf(b);
  // [a, b) ends before day `last` begins when b is its first instant: do not ask about that day.
  if (s.zone.toInstant(last, 0, "end") >= b) last--;
  for (let day = s.zone.localDayOf(a); day <= last; day++) {
    const spans = s.spans(day);
    const n = spans.length;
    if (n === 0) continue;
    if (spans[0]! >= a && spans[n - 1]! <= b) {
      sum += s.total(day);
      continue;
    }
    for (let i = 0; i < n; i += 2) sum += Math.max(0, Math.min(spans[i + 1]!, b) - Math.max(spans[i]!, a));
  }
  return sum;
}

/**
 * The same local time of day on the `n`-th working day after the day of the
 * next working instant (`ms` itself when it is working time). With `n = 0`,
 * the next working instant.
 * @internal
 */
export function addBusinessDaysIn(s: DaySchedule, ms: number, n: number): number {
  const start = nextWorkingInstantIn(s, ms);
  if (n === 0) return start;
  const wall = start + s.zone.offsetAt(start);
  let day = Math.floor(wall / DAY_MS);
  const timeOfDay = wall - day * DAY_MS;
  for (let count = 0, idle = 1; count < n; ) {
    day++;
    if (s.isWorkday(day)) {
      count++;
      idle = 1;
    } else s.checkAhead(day, idle++);
  }
  return s.zone.toInstant(day, timeOfDay, "shift");
}
