/**
 * Exact money in expressions: `decimal(x)` reads a value as an exact
 * decimal, `allocate(amount, weights)` splits an amount into parts that add
 * up to it exactly, and `concat(...)` joins text (where `+` of two numeric
 * strings would be ambiguous).
 */
import { EvaluationError } from "../core/errors.js";
import { allocateUnits } from "../money/allocate.js";
import { DecimalValue, toDecimal } from "../core/decimal.js";
import type { FunctionSpec } from "./function-spec.js";
import { describeOperand } from "./warnings.js";

const MAX_SCALE = 18;
const MAX_PARTS = 10_000;

function fail(fn: string, message: string): never {
  throw new EvaluationError(`${fn}(): ${message}`);
}

function exact(fn: string, v: unknown, what: string): DecimalValue {
  const d = toDecimal(v);
  if (d === undefined) fail(fn, `${what} must be a number or a decimal string such as "1234.50", got ${describeOperand(v)}`);
  return d;
}

function rescale(d: DecimalValue, scale: number, fn: string, what: string): bigint {
  if (d.scale <= scale) return d.units * 10n ** BigInt(scale - d.scale);
  const f = 10n ** BigInt(d.scale - scale);
  if (d.units % f !== 0n) fail(fn, `${what} ${d.toString()} has ${d.scale} decimal places; scale ${scale} would round it`);
  return d.units / f;
}

/** `decimal`, `allocate` and `concat`. @internal */
export const DECIMAL_FUNCTIONS: Readonly<Record<string, FunctionSpec>> = {
  decimal: {
    minArgs: 1,
    maxArgs: 1,
    doc: 'decimal(x): x as an exact decimal (from "1234.50", a number or a decimal), null when missing',
    call: ([x]) => (x === null || x === undefined ? null : exact("decimal", x, "the argument")),
  },
  allocate: {
    minArgs: 2,
    maxArgs: 3,
    doc: "allocate(amount, weights, scale?): exact parts of amount in proportion to weights that add up to it (largest remainder; ties to the earlier part)",
    call: ([a, w, s]) => {
      if (a === null || a === undefined) return null;
      const amount = exact("allocate", a, "amount");
      if (!Array.isArray(w) || w.length === 0) fail("allocate", `weights must be a non-empty array such as [30, 20, 50], got ${describeOperand(w)}`);
      if (w.length > MAX_PARTS) fail("allocate", `at most ${MAX_PARTS} weights, got ${w.length}`);
      let scale = amount.scale;
      if (s !== undefined && s !== null) {
        if (typeof s !== "number" || !Number.isInteger(s) || s < 0 || s > MAX_SCALE) fail("allocate", `scale must be a whole number from 0 to ${MAX_SCALE}, got ${describeOperand(s)}`);
        scale = s;
      }
      const weights = w.map((x, i) => exact("allocate", x, `weights[${i}]`));
      const wScale = Math.max(...weights.map((d) => d.scale));
      const units = weights.map((d, i) => {
        if (d.units < 0n) fail("allocate", `weights[${i}] is negative (${d.toString()}); weights must be 0 or more`);
        return d.units * 10n ** BigInt(wScale - d.scale);
      });
      if (units.every((u) => u === 0n)) fail("allocate", "the weights add up to 0; give at least one positive weight");
      const total = rescale(amount, scale, "allocate", "amount");
      return allocateUnits(total, units).map((p) => new DecimalValue(p, scale));
    },
  },
  concat: {
    minArgs: 1,
    maxArgs: Infinity,
    doc: "concat(a, b, ...): the values joined as text; missing values are skipped",
    call: (args) => {
      let out = "";
      for (const v of args) {
        if (v === null || v === undefined) continue;
        if (v instanceof DecimalValue) out += v.toString();
        else if (typeof v === "object") fail("concat", `expected text, numbers or booleans, got ${describeOperand(v)}`);
        else out += `${v as string | number | boolean}`; // an expression's scalar value
      }
      return out;
    },
  },
};
