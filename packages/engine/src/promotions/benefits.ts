/**
 * Benefits of a promotion compiled once: gift quantities and discount bases
 * are expressions, percentages and caps are exact decimals, and every
 * benefit has a money value (what it costs the budget).
 */
import { catalogueIssue } from "../i18n/issues.js";
import { moneyMessages } from "../i18n/messages/money.js";
import { expressionIssue } from "../conditions/compile.js";
import { parseDecimal, type Decimal } from "../core/decimal.js";
import { EvaluationError } from "../core/errors.js";
import { compileExpression, type Evaluator, type Scope } from "../expr/compile.js";
import { describeType } from "../expr/values.js";
import { formatMinorUnits, minorUnitsOf, toMinorUnits } from "../money/amount.js";
import { divideRounded, pow10, type RoundingMode } from "../money/rounding.js";
import type { Benefit } from "../schema/promotion.js";
import type { CompileContext } from "../core/context.js";

/** What a promotion gives, computed for one set of facts. Amounts are decimal strings. */
export type BenefitResult =
  | { type: "gift"; sku: string; quantity: number; value: string; label?: string | undefined }
  | { type: "discount"; amount: string; base: string; percent?: string | undefined; capped: boolean; value: string; label?: string | undefined }
  | { type: "points"; points: number; base: string; multiplier: string; value: string; label?: string | undefined }
  | { type: "subsidy"; amount: string; value: string; label?: string | undefined };

/** Money settings of one promotion. @internal */
export interface MoneyContext {
  scale: number;
  mode: RoundingMode;
  /** Decimal places to keep when rounding computed amounts. */
  keep: number;
}

/** A compiled benefit: its result and its value in minor units. @internal */
export type BenefitFn = (scope: Scope) => { result: BenefitResult; value: bigint };

function amount(text: string, m: MoneyContext, ctx: CompileContext, path: (string | number)[]): bigint {
  const v = minorUnitsOf(text, m.scale);
  if (typeof v === "bigint") return v;
  ctx.issues.push(catalogueIssue(moneyMessages, v.key, path, v.params, "invalid_amount"));
  return 0n;
}

function expression(source: string, ctx: CompileContext, path: (string | number)[]): Evaluator {
  try {
    return compileExpression(source, { knownFacts: ctx.knownFacts }).run;
  } catch (e) {
    ctx.issues.push(expressionIssue(e, path));
    return () => null;
  }
}

function moneyOf(v: unknown, m: MoneyContext, where: string): bigint {
  if (v === null || v === undefined) return 0n;
  const minor = toMinorUnits(v, m.scale);
  if (typeof minor === "string") throw new EvaluationError(`${where}: ${minor}`);
  return minor;
}

function decimal(text: string): Decimal {
  return parseDecimal(text)!;
}

/** Compile one benefit; problems go to `ctx.issues`. @internal */
export function compileBenefit(b: Benefit, m: MoneyContext, ctx: CompileContext, path: (string | number)[]): BenefitFn {
  const where = path.join(".");
  const label = b.label === undefined ? {} : { label: b.label };
  const fmt = (minor: bigint): string => formatMinorUnits(minor, m.scale);
  const quantum = pow10(m.scale - m.keep);
  const round = (n: bigint, d: bigint): bigint => divideRounded(n, d * quantum, m.mode) * quantum;
  switch (b.type) {
    case "gift": {
      const q = b.quantity;
      const quantity: Evaluator = typeof q === "number" ? () => q : expression(q, ctx, [...path, "quantity"]);
      const unit = b.unitCost === undefined ? 0n : amount(b.unitCost, m, ctx, [...path, "unitCost"]);
      const sku = b.sku;
      return (s) => {
        const raw = quantity(s) ?? 0;
        if (typeof raw !== "number" || !Number.isInteger(raw) || raw < 0) {
          throw new EvaluationError(`${where}.quantity: expected a whole number of gifts, got ${describeType(raw)} ${JSON.stringify(raw)}; use floor() to round down`);
        }
        const value = unit * BigInt(raw);
        return { result: { type: "gift", sku, quantity: raw, value: fmt(value), ...label }, value };
      };
    }
    case "discount": {
      const base = expression(b.of, ctx, [...path, "of"]);
      const cap = b.cap === undefined ? undefined : amount(b.cap, m, ctx, [...path, "cap"]);
      const fixed = b.amount === undefined ? undefined : amount(b.amount, m, ctx, [...path, "amount"]);
      const pct = b.percent === undefined ? undefined : decimal(b.percent);
      const percent = b.percent;
      return (s) => {
        const baseMinor = moneyOf(base(s), m, `${where}.of`);
        let value = fixed ?? round(baseMinor * pct!.units, 100n * pow10(pct!.scale));
        let capped = false;
        if (cap !== undefined && value > cap) {
          value = cap;
          capped = true;
        }
        if (value > baseMinor) value = baseMinor > 0n ? baseMinor : 0n;
        const result: BenefitResult = {
          type: "discount",
          amount: fmt(value),
          base: fmt(baseMinor),
          ...(percent === undefined ? {} : { percent }),
          capped,
          value: fmt(value),
          ...label,
        };
        return { result, value };
      };
    }
    case "points": {
      const base = expression(b.of, ctx, [...path, "of"]);
      const mult = decimal(b.multiplier);
      const pointValue = b.pointValue === undefined ? 0n : amount(b.pointValue, m, ctx, [...path, "pointValue"]);
      const multiplier = b.multiplier;
      return (s) => {
        const baseMinor = moneyOf(base(s), m, `${where}.of`);
        // Whole points, rounded down.
        const points = divideRounded(baseMinor * mult.units, pow10(mult.scale + m.scale), "down");
        const value = points * pointValue;
        return { result: { type: "points", points: Number(points), base: fmt(baseMinor), multiplier, value: fmt(value), ...label }, value };
      };
    }
    case "subsidy": {
      const value = amount(b.amount, m, ctx, [...path, "amount"]);
      const text = fmt(value);
      return () => ({ result: { type: "subsidy", amount: text, value: text, ...label }, value });
    }
  }
}

/** Whether a benefit has a money value a budget can count. @internal */
export function hasMoneyValue(b: Benefit): boolean {
  return b.type === "discount" || b.type === "subsidy" || (b.type === "gift" && b.unitCost !== undefined) || (b.type === "points" && b.pointValue !== undefined);
}

/** True when a benefit gives nothing (no gifts, no points, a zero discount). @internal */
export function isZeroBenefit(b: BenefitResult): boolean {
  return (b.type === "gift" && b.quantity === 0) || (b.type === "points" && b.points === 0) || (b.type === "discount" && /^0(\.0+)?$/.test(b.amount));
}
