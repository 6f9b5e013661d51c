/**
 * Exact sets of values of one input: unions of intervals over exact decimals
 * (numbers) or over epoch milliseconds (dates, whole milliseconds only), and
 * finite or co-finite sets of strings and booleans. Every operation is exact:
 * no binary float ever decides whether two cells overlap.
 * @internal
 */
import { toDecimal } from "../../core/decimal.js";
import { formatInstant } from "../../expr/values.js";

/** The type of values an input takes, as the analysis reads it from the cells that test it. */
export type AxisType = "number" | "date" | "string" | "boolean";

/** An exact decimal `u / 10^s`. */
export interface Exact {
  readonly u: bigint;
  readonly s: number;
}

/** One end of an interval; `undefined` as an end is infinity. */
export interface Bound {
  readonly v: Exact;
  readonly closed: boolean;
}

/** An interval; `lo`/`hi` undefined are -∞/+∞. */
interface Interval {
  readonly lo: Bound | undefined;
  readonly hi: Bound | undefined;
}

/** A set of values of one axis. */
export type ValueSet =
  | { readonly type: "number" | "date"; readonly intervals: readonly Interval[] }
  | { readonly type: "string" | "boolean"; readonly co: boolean; readonly values: ReadonlySet<string> };

/** The exact decimal of a number or a plain decimal string; `undefined` for anything else. */
export function exactOf(v: unknown): Exact | undefined {
  const d = toDecimal(v);
  return d === undefined ? undefined : { u: d.units, s: d.scale };
}

function align(a: Exact, b: Exact): [bigint, bigint, number] {
  if (a.s === b.s) return [a.u, b.u, a.s];
  return a.s > b.s ? [a.u, b.u * 10n ** BigInt(a.s - b.s), a.s] : [a.u * 10n ** BigInt(b.s - a.s), b.u, b.s];
}

/** Compare two exact decimals. */
export function cmpExact(a: Exact, b: Exact): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function addExact(a: Exact, b: Exact): Exact {
  const [x, y, s] = align(a, b);
  return { u: x + y, s };
}

function halfExact(a: Exact): Exact {
  return { u: a.u * 5n, s: a.s + 1 };
}

const ONE: Exact = { u: 1n, s: 0 };
const ZERO: Exact = { u: 0n, s: 0 };

/** The plain decimal text of an exact value, without trailing zeros. */
function exactText(a: Exact): string {
  let { u, s } = a;
  while (s > 0 && u % 10n === 0n) {
    u /= 10n;
    s--;
  }
  const neg = u < 0n;
  const digits = (neg ? -u : u).toString().padStart(s + 1, "0");
  return `${neg ? "-" : ""}${digits.slice(0, digits.length - s)}${s ? `.${digits.slice(digits.length - s)}` : ""}`;
}

/** A JSON value for an exact number: a JSON number when it round-trips exactly, else a decimal string. */
function exactValue(a: Exact): number | string {
  const text = exactText(a);
  const n = Number(text);
  return Number.isFinite(n) && String(n) === text ? n : text;
}

// ---------------------------------------------------------------- intervals

/** Compare lower bounds (undefined = -∞); a closed bound starts before an open one at the same value. */
function cmpLo(a: Bound | undefined, b: Bound | undefined): number {
  if (!a) return b ? -1 : 0;
  if (!b) return 1;
  const c = cmpExact(a.v, b.v);
  if (c !== 0) return c;
  return a.closed === b.closed ? 0 : a.closed ? -1 : 1;
}

/** Compare upper bounds (undefined = +∞); an open bound ends before a closed one at the same value. */
function cmpHi(a: Bound | undefined, b: Bound | undefined): number {
  if (!a) return b ? 1 : 0;
  if (!b) return -1;
  const c = cmpExact(a.v, b.v);
  if (c !== 0) return c;
  return a.closed === b.closed ? 0 : a.closed ? 1 : -1;
}

function intervalEmpty(i: Interval): boolean {
  if (!i.lo || !i.hi) return false;
  const c = cmpExact(i.lo.v, i.hi.v);
  return c > 0 || (c === 0 && !(i.lo.closed && i.hi.closed));
}

/** Dates are whole milliseconds: an open end becomes the closed one a millisecond inside. */
function integral(i: Interval): Interval {
  const lo = i.lo && !i.lo.closed ? { v: addExact(i.lo.v, ONE), closed: true } : i.lo;
  const hi = i.hi && !i.hi.closed ? { v: addExact(i.hi.v, { u: -1n, s: 0 }), closed: true } : i.hi;
  return { lo, hi };
}

/** Sort, drop empty intervals and merge those that overlap or touch. */
function normalize(type: "number" | "date", list: readonly Interval[]): Interval[] {
  const items = (type === "date" ? list.map(integral) : [...list]).filter((i) => !intervalEmpty(i)).sort((a, b) => cmpLo(a.lo, b.lo));
  const out: Interval[] = [];
  for (const i of items) {
    const last = out[out.length - 1];
    if (last && touches(last, i, type)) {
      out[out.length - 1] = { lo: last.lo, hi: cmpHi(last.hi, i.hi) >= 0 ? last.hi : i.hi };
    } else out.push(i);
  }
  return out;
}

/** `a` starts no later than `b`: do they overlap or touch (so their union is one interval)? */
function touches(a: Interval, b: Interval, type: "number" | "date"): boolean {
  if (!a.hi || !b.lo) return true;
  const c = cmpExact(a.hi.v, b.lo.v);
  if (c > 0) return true;
  if (c === 0) return a.hi.closed || b.lo.closed;
  // whole milliseconds: [.., 5] and [6, ..] touch
  return type === "date" && cmpExact(addExact(a.hi.v, ONE), b.lo.v) === 0;
}

function intersectIntervals(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  for (const x of a) {
    for (const y of b) {
      const lo = cmpLo(x.lo, y.lo) >= 0 ? x.lo : y.lo;
      const hi = cmpHi(x.hi, y.hi) <= 0 ? x.hi : y.hi;
      const i = { lo, hi };
      if (!intervalEmpty(i)) out.push(i);
    }
  }
  return out;
}

function complementIntervals(a: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let lo: Bound | undefined = undefined;
  let open = true; // whether the running lower end is -∞
  for (const i of a) {
    if (i.lo) out.push({ lo: open ? undefined : lo, hi: { v: i.lo.v, closed: !i.lo.closed } });
    if (!i.hi) return out.filter((x) => !intervalEmpty(x));
    lo = { v: i.hi.v, closed: !i.hi.closed };
    open = false;
  }
  out.push({ lo: open ? undefined : lo, hi: undefined });
  return out.filter((x) => !intervalEmpty(x));
}

// ---------------------------------------------------------------- sets

/** Every value of the type. */
export function fullSet(type: AxisType): ValueSet {
  return type === "number" || type === "date" ? { type, intervals: [{ lo: undefined, hi: undefined }] } : { type, co: true, values: new Set() };
}

/** No value at all. */
export function emptySet(type: AxisType): ValueSet {
  return type === "number" || type === "date" ? { type, intervals: [] } : { type, co: false, values: new Set() };
}

/** The set of one interval. */
export function intervalSet(type: "number" | "date", lo: Bound | undefined, hi: Bound | undefined): ValueSet {
  return { type, intervals: normalize(type, [{ lo, hi }]) };
}

/** A finite set of strings or booleans (booleans as "true"/"false"). */
export function finiteSet(type: "string" | "boolean", values: Iterable<string>): ValueSet {
  return { type, co: false, values: new Set(values) };
}

const BOOLEANS = ["false", "true"];

/** The finite form of a boolean set (booleans have two values). */
function boolNormal(s: ValueSet): ValueSet {
  if (s.type !== "boolean" || !s.co) return s;
  return { type: "boolean", co: false, values: new Set(BOOLEANS.filter((b) => !s.values.has(b))) };
}

/** Intersection. Both sets must have the same type. */
export function intersect(a: ValueSet, b: ValueSet): ValueSet {
  if (a.type === "number" || a.type === "date") {
    if (b.type !== a.type) return emptySet(a.type);
    return { type: a.type, intervals: normalize(a.type, intersectIntervals(a.intervals, (b as { intervals: readonly Interval[] }).intervals)) };
  }
  const x = boolNormal(a) as { type: "string" | "boolean"; co: boolean; values: ReadonlySet<string> };
  const y = boolNormal(b) as { type: "string" | "boolean"; co: boolean; values: ReadonlySet<string> };
  if (x.co && y.co) return { type: x.type, co: true, values: new Set([...x.values, ...y.values]) };
  if (x.co) return { type: x.type, co: false, values: new Set([...y.values].filter((v) => !x.values.has(v))) };
  if (y.co) return { type: x.type, co: false, values: new Set([...x.values].filter((v) => !y.values.has(v))) };
  return { type: x.type, co: false, values: new Set([...x.values].filter((v) => y.values.has(v))) };
}

/** Complement within the type. */
export function complement(a: ValueSet): ValueSet {
  if (a.type === "number" || a.type === "date") return { type: a.type, intervals: normalize(a.type, complementIntervals(a.intervals)) };
  const x = a as { type: "string" | "boolean"; co: boolean; values: ReadonlySet<string> };
  return boolNormal({ type: x.type, co: !x.co, values: x.values });
}

/** Union. */
export function union(a: ValueSet, b: ValueSet): ValueSet {
  return complement(intersect(complement(a), complement(b)));
}

/** True when the set holds no value. */
export function isEmpty(a: ValueSet): boolean {
  if (a.type === "number" || a.type === "date") return a.intervals.length === 0;
  const n = boolNormal(a) as { co: boolean; values: ReadonlySet<string> };
  return !n.co && n.values.size === 0;
}

/** True when every value of the type is in the set. */
export function isFull(a: ValueSet): boolean {
  return isEmpty(complement(a));
}

/** True when `a` ⊆ `b`. */
export function isSubset(a: ValueSet, b: ValueSet): boolean {
  return isEmpty(intersect(a, complement(b)));
}

/** A value of a non-empty set, as JSON (a number or decimal string, an ISO date, a string, a boolean). */
export function pickValue(a: ValueSet): unknown {
  if (a.type === "number" || a.type === "date") {
    const i = a.intervals[0];
    if (!i) return undefined;
    let v: Exact;
    if (i.lo?.closed) v = i.lo.v;
    else if (i.hi?.closed) v = i.hi.v;
    else if (i.lo && i.hi) v = halfExact(addExact(i.lo.v, i.hi.v));
    else if (i.lo) v = addExact(i.lo.v, ONE);
    else if (i.hi) v = addExact(i.hi.v, { u: -1n, s: 0 });
    else v = a.type === "date" ? { u: BigInt(Date.UTC(2026, 0, 1)), s: 0 } : ZERO;
    return a.type === "date" ? formatInstant(Number(exactText(v))) : exactValue(v);
  }
  const n = boolNormal(a) as { co: boolean; values: ReadonlySet<string> };
  if (a.type === "boolean") return [...n.values][0] === "true";
  if (!n.co) return [...n.values].sort()[0];
  for (let k = 0; ; k++) {
    const candidate = k === 0 ? "other" : `other-${k}`;
    if (!n.values.has(candidate)) return candidate;
  }
}

/** Describe a set for messages: `[0..100)`, `"A", "B"`, `not("A")`, `anything`. */
export function describeSet(a: ValueSet): string {
  if (a.type === "number" || a.type === "date") {
    if (a.intervals.length === 0) return "nothing";
    const end = (b: Bound) => (a.type === "date" ? formatInstant(Number(exactText(b.v))) : exactText(b.v));
    return a.intervals
      .map((i) => {
        if (!i.lo && !i.hi) return "-";
        if (i.lo && i.hi && i.lo.closed && i.hi.closed && cmpExact(i.lo.v, i.hi.v) === 0) return end(i.lo);
        if (!i.lo) return `${i.hi!.closed ? "<=" : "<"} ${end(i.hi!)}`;
        if (!i.hi) return `${i.lo.closed ? ">=" : ">"} ${end(i.lo)}`;
        return `${i.lo.closed ? "[" : "("}${end(i.lo)}..${end(i.hi)}${i.hi.closed ? "]" : ")"}`;
      })
      .join(", ");
  }
  const n = boolNormal(a) as { co: boolean; values: ReadonlySet<string> };
  const list = [...n.values].sort().map((v) => (a.type === "string" ? JSON.stringify(v) : v));
  if (n.co) return list.length ? `not(${list.join(", ")})` : "-";
  return list.length ? list.join(", ") : "nothing";
}

/** The one-value set of the value {@link pickValue} picks (so boxes can test a point). */
export function pointSetOf(a: ValueSet): ValueSet {
  if (a.type === "number" || a.type === "date") {
    const i = a.intervals[0];
    if (!i) return a;
    let v: Exact;
    if (i.lo?.closed) v = i.lo.v;
    else if (i.hi?.closed) v = i.hi.v;
    else if (i.lo && i.hi) v = halfExact(addExact(i.lo.v, i.hi.v));
    else if (i.lo) v = addExact(i.lo.v, ONE);
    else if (i.hi) v = addExact(i.hi.v, { u: -1n, s: 0 });
    else v = a.type === "date" ? { u: BigInt(Date.UTC(2026, 0, 1)), s: 0 } : ZERO;
    return { type: a.type, intervals: [{ lo: { v, closed: true }, hi: { v, closed: true } }] };
  }
  const value = pickValue(a);
  return { type: a.type, co: false, values: new Set([String(value)]) };
}
