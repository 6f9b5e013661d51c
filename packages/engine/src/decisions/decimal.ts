/**
 * Exact decimal strings for decision outputs typed `decimal`: parse, add,
 * compare. Values are kept as `{ units, scale }` with a BigInt, so
 * `"0.1" + "0.2"` is exactly `"0.3"`.
 */

/** An exact decimal: `units / 10^scale`. */
export interface Decimal {
  readonly units: bigint;
  readonly scale: number;
}

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** True when `s` is a plain decimal literal such as `-12.50`. */
export function isDecimalString(s: unknown): s is string {
  return typeof s === "string" && DECIMAL.test(s);
}

/** Parse a decimal string or a finite number. Returns `undefined` for anything else. */
export function parseDecimal(value: unknown): Decimal | undefined {
  const text = typeof value === "number" ? (Number.isFinite(value) ? numberToPlain(value) : undefined) : value;
  if (typeof text !== "string") return undefined;
  const m = DECIMAL.exec(text);
  if (!m) return undefined;
  const frac = m[3] ?? "";
  const units = BigInt(`${m[2]}${frac}`);
  return { units: m[1] === "-" ? -units : units, scale: frac.length };
}

function numberToPlain(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/\.?0+$/, "");
}

function rescale(d: Decimal, scale: number): bigint {
  return d.units * 10n ** BigInt(scale - d.scale);
}

/** Exact sum. */
export function addDecimals(a: Decimal, b: Decimal): Decimal {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale) + rescale(b, scale), scale };
}

/** Compare two decimals: -1, 0 or 1. */
export function compareDecimals(a: Decimal, b: Decimal): number {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale);
  const y = rescale(b, scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Format as a plain decimal string, keeping the scale (`"1.50"`). */
export function formatDecimal(d: Decimal): string {
  const neg = d.units < 0n;
  const digits = (neg ? -d.units : d.units).toString().padStart(d.scale + 1, "0");
  const int = digits.slice(0, digits.length - d.scale);
  const frac = d.scale ? `.${digits.slice(digits.length - d.scale)}` : "";
  return `${neg ? "-" : ""}${int}${frac}`;
}
