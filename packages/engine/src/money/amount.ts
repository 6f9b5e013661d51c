/**
 * Amounts as integer minor units: the exact conversion between decimal text
 * (`"200000.00"`, as amounts are written in JSON) and BigInt cents, and back.
 * Nothing here touches binary floating point except reading a JS number,
 * which goes through its shortest round-trip text.
 */
import { pow10 } from "./rounding.js";

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$/;
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/**
 * Parse an amount to integer minor units at `scale`, exactly.
 *
 * Accepts decimal strings (`"1234.50"`, `"-3"`, `"7."`) and finite numbers
 * whose shortest text is a plain decimal. Digits beyond `scale` are accepted
 * only when they are zeros (`"1.500"` at scale 2); anything that would need
 * rounding is refused, because money read from data must not change silently.
 *
 * @param value - the amount as written in a document or data
 * @param scale - decimal places of the minor unit (2 for cents)
 * @returns the minor units, or a string saying why `value` is not an amount
 * @example
 * ```ts
 * toMinorUnits("200000.00", 2); // 20000000n
 * toMinorUnits(12.5, 2);        // 1250n
 * toMinorUnits("0.125", 2);     // 'has 3 decimal places; at most 2 are allowed'
 * ```
 */
export function toMinorUnits(value: unknown, scale: number): bigint | string {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return `expected an amount, got ${String(value)}`;
    if (Number.isInteger(value)) {
      if (value > MAX_SAFE || value < -MAX_SAFE) return `${String(value)} is too large to be exact as a number; write it as a string`;
      return BigInt(value) * pow10(scale);
    }
    const text = String(value);
    if (/e/i.test(text)) return `${text} has too many decimal places; at most ${scale} are allowed`;
    return parseText(text, scale);
  }
  if (typeof value === "string") return parseText(value, scale);
  if (value === null || value === undefined) return "expected an amount, got nothing";
  return `expected an amount such as "1234.50", got ${Array.isArray(value) ? "an array" : typeof value}`;
}

function parseText(text: string, scale: number): bigint | string {
  const m = DECIMAL.exec(text);
  if (!m) return `expected an amount such as "1234.50", got ${JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text)}`;
  let frac = m[3] ?? "";
  if (frac.length > scale) {
    const extra = frac.slice(scale);
    if (!/^0*$/.test(extra)) return `${text} has ${frac.length} decimal places; at most ${scale} are allowed`;
    frac = frac.slice(0, scale);
  }
  const units = BigInt(m[2]! + frac.padEnd(scale, "0"));
  return m[1] === "-" ? -units : units;
}

/**
 * Format integer minor units as a decimal string with exactly `scale` decimals.
 *
 * @param minor - the amount in minor units
 * @param scale - decimal places of the minor unit
 * @returns a plain decimal string (`"-1234.50"`), the form amounts take in JSON
 * @example
 * ```ts
 * formatMinorUnits(20000000n, 2); // "200000.00"
 * formatMinorUnits(-5n, 2);       // "-0.05"
 * ```
 */
export function formatMinorUnits(minor: bigint, scale: number): string {
  const neg = minor < 0n;
  const digits = (neg ? -minor : minor).toString();
  if (scale === 0) return neg ? `-${digits}` : digits;
  const padded = digits.padStart(scale + 1, "0");
  const cut = padded.length - scale;
  return `${neg ? "-" : ""}${padded.slice(0, cut)}.${padded.slice(cut)}`;
}
