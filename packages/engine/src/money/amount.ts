/**
 * Amounts as integer minor units: the exact conversion between decimal text
 * (`"200000.00"`, as amounts are written in JSON) and BigInt cents, and back.
 * Nothing here touches binary floating point except reading a JS number,
 * which goes through its shortest round-trip text.
 */
import { EvaluationError } from "../core/errors.js";
import type { MessageParams } from "../i18n/catalogue.js";
import { renderMessage } from "../i18n/issues.js";
import { moneyMessages } from "../i18n/messages/money.js";
import { checkScale, describe } from "./checks.js";

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$/;

/**
 * Most significant digits a JSON number may have to be read as an amount.
 * Every decimal with at most 15 significant digits survives the trip through
 * a binary double and back (`String(n)` gives it back); with 16 or 17 the
 * double may already be a different amount (`99999999999999.99` parses to
 * the double printed `99999999999999.98`).
 */
const MAX_NUMBER_DIGITS = 15;

/**
 * Parse an amount to integer minor units at `scale`, exactly.
 *
 * Accepts decimal strings (`"1234.50"`, `"-3"`, `"7."`, any length) and
 * finite JS numbers. A number has already lost the text it was written as,
 * so it is read through its shortest round-trip text, `String(n)`, and
 * refused when that text has more than {@link MAX_NUMBER_DIGITS} (15)
 * significant digits (counted from the first non-zero digit to the last
 * digit, trailing zeros of an integer included; `1e21` counts as the 22
 * digits it stands for). Digits beyond `scale` are accepted only when
 * they are zeros (`"1.500"` at scale 2); anything that would need rounding is
 * refused, because money read from data must not change silently.
 *
 * @param value - the amount as written in a document or data
 * @param scale - decimal places of the minor unit (2 for cents): an integer from 0 to 18
 * @returns the minor units, or a string saying why `value` is not an amount
 * @throws {@link EvaluationError} when `scale` is not an integer from 0 to 18 (a programming error)
 * @example
 * ```ts
 * toMinorUnits("200000.00", 2); // 20000000n
 * toMinorUnits(12.5, 2);        // 1250n
 * toMinorUnits("0.125", 2);     // '0.125 has 3 decimal places; at most 2 are allowed'
 * toMinorUnits(99999999999999.99, 2); // '99999999999999.98 has 16 significant digits; ...'
 * ```
 */
export function toMinorUnits(value: unknown, scale: number): bigint | string {
  const r = minorUnitsOf(value, scale);
  return typeof r === "bigint" ? r : renderMessage(moneyMessages, "en", r.key, r.params);
}

/** Why an amount is refused: a money catalogue key and its parameters. @internal */
export interface AmountProblem {
  readonly key: keyof typeof moneyMessages.messages.en;
  readonly params: MessageParams;
}

/**
 * {@link toMinorUnits}, with the reason an amount is refused as a catalogue
 * message (so that validation can write it in every locale).
 * @internal
 */
export function minorUnitsOf(value: unknown, scale: number): bigint | AmountProblem {
  checkScale(scale, "toMinorUnits", "scale");
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return { key: "notFinite", params: { value: String(value) } };
    const text = plainText(String(value));
    const digits = text.replace(/^-/, "").replace(".", "").replace(/^0+/, "").length;
    if (digits > MAX_NUMBER_DIGITS) return { key: "tooManyDigits", params: { text, digits, max: MAX_NUMBER_DIGITS } };
    return parseText(text, scale);
  }
  if (typeof value === "string") return parseText(value, scale);
  if (value === null || value === undefined) return { key: "nothing", params: {} };
  return { key: "notAmount", params: Array.isArray(value) ? { "got@": "validation.anArray" } : { got: typeof value } };
}

/**
 * {@link minorUnitsOf} for the common case, as a number: a decimal string
 * (`"1234.50"`, `"-3"`, `"7."`) whose minor units have at most 15 digits, read
 * character by character with no regular expression and no BigInt. Returns
 * `undefined` for anything else (numbers, longer amounts, anything invalid),
 * which the caller reads with {@link minorUnitsOf}; when it returns a number,
 * it is exactly `Number(minorUnitsOf(value, scale))`.
 * @internal
 */
export function smallMinorUnits(value: unknown, scale: number): number | undefined {
  if (typeof value !== "string") return undefined;
  const n = value.length;
  let i = 0;
  let c = value.charCodeAt(0);
  const neg = c === 45; /* - */
  if (neg || c === 43 /* + */) i = 1;
  let units = 0;
  let digits = 0;
  const intStart = i;
  for (; i < n; i++) {
    c = value.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    units = units * 10 + c;
    if (units > 0) digits++;
  }
  if (i === intStart) return undefined;
  let places = 0;
  if (i < n) {
    if (value.charCodeAt(i) !== 46 /* . */) return undefined;
    for (i++; i < n; i++) {
      c = value.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return undefined;
      if (places < scale) {
        units = units * 10 + c;
        if (units > 0) digits++;
        places++;
      } else if (c !== 0) return undefined;
    }
  }
  for (; places < scale; places++) {
    units *= 10;
    if (units > 0) digits++;
  }
  if (digits > 15) return undefined;
  return neg && units !== 0 ? -units : units;
}

/** `1e-7` as `0.0000001`, `1e+21` as `1000000000000000000000`: the digits String(n) means, without an exponent. */
function plainText(text: string): string {
  const m = /^(-?)(\d)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (!m) return text;
  const digits = m[2]! + (m[3] ?? "");
  const point = 1 + Number(m[4]);
  const body = point <= 0 ? `0.${"0".repeat(-point)}${digits}` : point >= digits.length ? digits + "0".repeat(point - digits.length) : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return m[1]! + body;
}

function parseText(text: string, scale: number): bigint | AmountProblem {
  const m = DECIMAL.exec(text);
  if (!m) return { key: "notAmount", params: { got: JSON.stringify(text.length > 40 ? `${text.slice(0, 37)}...` : text) } };
  let frac = m[3] ?? "";
  if (frac.length > scale) {
    const extra = frac.slice(scale);
    if (!/^0*$/.test(extra)) return { key: "tooManyDecimals", params: { text, places: frac.length, scale } };
    frac = frac.slice(0, scale);
  }
  const units = BigInt(m[2]! + frac.padEnd(scale, "0"));
  return m[1] === "-" ? -units : units;
}

/**
 * Format integer minor units as a decimal string with exactly `scale` decimals.
 *
 * @param minor - the amount in minor units
 * @param scale - decimal places of the minor unit, an integer from 0 to 18
 * @returns a plain decimal string (`"-1234.50"`), the form amounts take in JSON
 * @throws {@link EvaluationError} when `minor` is not a BigInt or `scale` is not an integer from 0 to 18
 * @example
 * ```ts
 * formatMinorUnits(20000000n, 2); // "200000.00"
 * formatMinorUnits(-5n, 2);       // "-0.05"
 * ```
 */
export function formatMinorUnits(minor: bigint, scale: number): string {
  if (typeof minor !== "bigint") throw new EvaluationError(`formatMinorUnits: minor must be a BigInt such as 1999n, got ${describe(minor)}`);
  checkScale(scale, "formatMinorUnits", "scale");
  const neg = minor < 0n;
  const digits = (neg ? -minor : minor).toString();
  if (scale === 0) return neg ? `-${digits}` : digits;
  const padded = digits.padStart(scale + 1, "0");
  const cut = padded.length - scale;
  return `${neg ? "-" : ""}${padded.slice(0, cut)}.${padded.slice(cut)}`;
}
