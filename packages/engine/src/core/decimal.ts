/**
 * Exact decimals, as units and a scale with a BigInt, so `"0.1" + "0.2"` is
 * exactly `"0.3"` and money never passes through a binary float.
 *
 * - {@link Decimal} and its helpers: decimal strings of decision outputs typed
 *   `decimal`, money and rebates (parse, add, compare, format).
 * - {@link DecimalValue} and its helpers: the decimals expressions compute with.
 *
 * Part of the leaf core: imports nothing.
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

/*
 * Exact decimals inside expressions. A decimal string from the facts
 * (`"68000.00"`), `decimal(x)` or arithmetic that meets one of them becomes a
 * {@link DecimalValue}: a BigInt of units and a scale, so `"0.1" + 0.2` is
 * exactly `0.3` and money never passes through a binary float. A decimal
 * leaves an expression as its plain decimal string.
 */

const DECIMAL_TEXT = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** Fractional digits a quotient keeps when it does not terminate sooner. */
const DIVISION_SCALE = 18;

/** An exact decimal `units / 10^scale` while an expression runs. @internal */
export class DecimalValue implements Decimal {
  constructor(
    readonly units: bigint,
    readonly scale: number,
  ) {}

  /** The plain decimal text, keeping the scale (`"1.50"`). */
  toString(): string {
    const neg = this.units < 0n;
    const digits = (neg ? -this.units : this.units).toString().padStart(this.scale + 1, "0");
    const int = digits.slice(0, digits.length - this.scale);
    const frac = this.scale ? `.${digits.slice(digits.length - this.scale)}` : "";
    return `${neg ? "-" : ""}${int}${frac}`;
  }

  toJSON(): string {
    return this.toString();
  }
}

/** True when `v` is a plain decimal string such as `"-12.50"` (no exponent, no separators). */
export function isNumericString(v: unknown): v is string {
  return typeof v === "string" && v.length <= 400 && DECIMAL_TEXT.test(v);
}

function fromText(text: string): DecimalValue | undefined {
  const m = DECIMAL_TEXT.exec(text);
  if (!m) return undefined;
  const frac = m[3] ?? "";
  const units = BigInt(`${m[2]}${frac}`);
  return new DecimalValue(m[1] === "-" ? -units : units, frac.length);
}

/**
 * A number's exact decimal, read through its shortest round-trip text
 * (`0.1` is `0.1`, not the binary double's 55 digits).
 */
function fromNumber(n: number): DecimalValue | undefined {
  if (!Number.isFinite(n)) return undefined;
  if (Number.isInteger(n) && Math.abs(n) < 9007199254740992) return new DecimalValue(BigInt(n), 0);
  const text = String(n);
  const e = text.indexOf("e");
  if (e < 0) return fromText(text);
  const mantissa = fromText(text.slice(0, e))!;
  const shift = Number(text.slice(e + 1)) - mantissa.scale;
  return shift >= 0 ? new DecimalValue(mantissa.units * 10n ** BigInt(shift), 0) : new DecimalValue(mantissa.units, -shift);
}

/**
 * The exact decimal of a number-like value: a {@link DecimalValue}, a decimal
 * string, a finite number or a BigInt. `undefined` for anything else.
 * @internal
 */
export function toDecimal(v: unknown): DecimalValue | undefined {
  if (v instanceof DecimalValue) return v;
  if (typeof v === "number") return fromNumber(v);
  if (typeof v === "string") return v.length <= 400 ? fromText(v) : undefined;
  if (typeof v === "bigint") return new DecimalValue(v, 0);
  return undefined;
}

/** True for values that take part in exact decimal arithmetic: decimals, decimal strings and BigInts. @internal */
export function isExactOperand(v: unknown): boolean {
  return v instanceof DecimalValue || typeof v === "bigint" || isNumericString(v);
}

function align(a: DecimalValue, b: DecimalValue): [bigint, bigint, number] {
  if (a.scale === b.scale) return [a.units, b.units, a.scale];
  return a.scale > b.scale
    ? [a.units, b.units * 10n ** BigInt(a.scale - b.scale), a.scale]
    : [a.units * 10n ** BigInt(b.scale - a.scale), b.units, b.scale];
}

/** Compare exactly: -1, 0 or 1. @internal */
export function compareExact(a: DecimalValue, b: DecimalValue): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Round `units / 10^drop` to an integer, half away from zero (`mode` "half-away") or half to even. */
function roundUnits(units: bigint, drop: number, mode: "half-away" | "half-even" | "floor" | "ceil" | "trunc"): bigint {
  if (drop <= 0) return units * 10n ** BigInt(-drop);
  const d = 10n ** BigInt(drop);
  let q = units / d;
  const r = units - q * d;
  if (r === 0n) return q;
  const neg = units < 0n;
  switch (mode) {
    case "trunc":
      return q;
    case "floor":
      return neg ? q - 1n : q;
    case "ceil":
      return neg ? q : q + 1n;
    default: {
      const twice = (r < 0n ? -r : r) * 2n;
      if (twice > d || (twice === d && (mode === "half-away" || q % 2n !== 0n))) q += neg ? -1n : 1n;
      return q;
    }
  }
}

/** `a op b` exactly (`/` keeps up to {@link DIVISION_SCALE} digits, half to even). @internal */
export function decimalArithmetic(op: string, a: DecimalValue, b: DecimalValue): DecimalValue | "division by zero" | "remainder by zero" {
  switch (op) {
    case "+": {
      const [x, y, s] = align(a, b);
      return new DecimalValue(x + y, s);
    }
    case "-": {
      const [x, y, s] = align(a, b);
      return new DecimalValue(x - y, s);
    }
    case "*":
      return new DecimalValue(a.units * b.units, a.scale + b.scale);
    case "/": {
      if (b.units === 0n) return "division by zero";
      // Quotient at `target` digits, half to even; an exact one sheds trailing zeros down to `keep`.
      const keep = Math.max(a.scale, b.scale);
      const target = Math.max(DIVISION_SCALE, keep);
      const n = a.units * 10n ** BigInt(target - a.scale + b.scale);
      const d = b.units;
      let q = n / d;
      const r = n - q * d;
      if (r !== 0n) {
        const twice = (r < 0n ? -r : r) * 2n;
        const abs = d < 0n ? -d : d;
        if (twice > abs || (twice === abs && q % 2n !== 0n)) q += (n < 0n) !== (d < 0n) ? -1n : 1n;
      }
      let scale = target;
      while (scale > keep && q % 10n === 0n) {
        q /= 10n;
        scale--;
      }
      return new DecimalValue(q, scale);
    }
    default: {
      if (b.units === 0n) return "remainder by zero";
      const [x, y, s] = align(a, b);
      return new DecimalValue(x % y, s);
    }
  }
}

/** Round to `digits` fractional digits. @internal */
export function roundDecimal(d: DecimalValue, digits: number, mode: "half-away" | "half-even" | "floor" | "ceil" | "trunc"): DecimalValue {
  if (digits >= d.scale) return d;
  return new DecimalValue(roundUnits(d.units, d.scale - digits, mode), digits);
}

/** Negate. @internal */
export function negateDecimal(d: DecimalValue): DecimalValue {
  return new DecimalValue(-d.units, d.scale);
}

/** The nearest double (for functions that only work on floats, such as `sqrt`). @internal */
export function decimalToNumber(d: DecimalValue): number {
  return Number(d.toString());
}

/**
 * Replace decimals by their text, so no {@link DecimalValue} leaves an
 * expression. Arrays are copied only when they hold one; nesting deeper than
 * 64 levels (or a cycle) is left alone.
 * @internal
 */
export function plainValue(v: unknown, depth = 0): unknown {
  if (v instanceof DecimalValue) return v.toString();
  if (!Array.isArray(v) || depth > 64) return v;
  let out: unknown[] | undefined;
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    const p = typeof x === "object" && x !== null ? plainValue(x, depth + 1) : x;
    if (p !== x && out === undefined) out = v.slice(0, i);
    if (out !== undefined) out.push(p);
  }
  return out ?? v;
}
