/** Schema pieces for money documents (promotions, rebate programs): amounts, rates, currencies, periods, rounding. */
import { z } from "zod";
import type { IssueCode } from "../core/errors.js";
import { CURRENCY_SCALES } from "../money/currency.js";
import { checkTimeZone, PERIOD_UNITS } from "../money/period.js";
import { ROUNDING_MODES } from "../money/rounding.js";

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/;

/** A money amount as a decimal string, `"200000.00"`: never a JSON number, so no binary rounding can creep in. */
const amountSchema = z
  .string({ error: 'expected an amount as a decimal string such as "200000.00"' })
  .regex(DECIMAL_TEXT, { error: 'expected an amount as a decimal string such as "200000.00"' })
  .meta({ description: 'An exact amount as a decimal string, e.g. "200000.00".' });

/** A positive money amount. */
export const positiveAmountSchema = amountSchema.refine((s) => /[1-9]/.test(s) && !s.startsWith("-"), {
  error: "expected an amount greater than zero",
});

/** An exact decimal such as a rate (`"0.035"`) or a multiplier (`"1.1"`). */
export const decimalSchema = z
  .string({ error: 'expected a decimal string such as "0.035"' })
  .regex(DECIMAL_TEXT, { error: 'expected a decimal string such as "0.035"' })
  .meta({ description: 'An exact decimal as a string, e.g. "0.035".' });

/** An ISO 4217 currency code Ruleflow knows. */
export const currencySchema = z
  .string()
  .refine((c) => Object.hasOwn(CURRENCY_SCALES, c), {
    error: "expected an ISO 4217 currency code such as CNY, USD, EUR or JPY",
  })
  .meta({ description: "ISO 4217 currency code; fixes the number of decimal places of every amount." });

/** A time zone: UTC, a fixed offset or an IANA name. */
export const timeZoneSchema = z
  .string()
  .superRefine((zone, ctx) => {
    const problem = checkTimeZone(zone);
    if (problem) ctx.addIssue({ code: "custom", message: problem, input: zone, params: { code: "invalid_time_zone" satisfies IssueCode } });
  })
  .meta({ description: "Time zone whose calendar decides day, week, month and quarter boundaries: UTC, +08:00 or Asia/Shanghai." });

/** A counting period, or the whole lifetime. */
export const periodSchema = z
  .enum([...PERIOD_UNITS, "lifetime"])
  .meta({ description: "day, week (ISO, Monday first), month, quarter, year, or lifetime (never resets)." });

/** Rounding of computed amounts. */
export const roundingSchema = z
  .strictObject({
    scale: z.int().min(0).max(6).optional().meta({ description: "Decimal places to keep; default and maximum: the currency's." }),
    mode: z.enum(ROUNDING_MODES).default("half-even").meta({ description: "half-up, half-even, down or up." }),
  })
  .meta({ description: "How computed amounts are rounded." });
