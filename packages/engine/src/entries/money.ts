/**
 * `@ruleflow/engine/money`: exact money arithmetic and reporting periods.
 * Amounts are integers of minor units (`bigint`), never floating point;
 * rounding is explicit; allocation splits a total so the parts add up to it.
 * Periods (day to year, in a named time zone) are what promotion limits and
 * rebate programs count in.
 *
 * @example
 * ```ts
 * import { allocateMoney, formatMoney, parseMoney } from "@ruleflow/engine/money";
 *
 * allocateMoney(parseMoney("100.00", "CNY"), [1, 1, 1]).map(formatMoney); // ["33.34", "33.33", "33.33"]
 * ```
 *
 * @packageDocumentation
 */

export {
  parseMoney,
  moneyFromMinor,
  formatMoney,
  addMoney,
  subtractMoney,
  compareMoney,
  multiplyMoney,
  roundMoney,
  allocateMoney,
} from "../money/money.js";
export type { Money, RoundingOptions } from "../money/money.js";
export { divideRounded, ROUNDING_MODES } from "../money/rounding.js";
export type { RoundingMode } from "../money/rounding.js";
export { toMinorUnits, formatMinorUnits } from "../money/amount.js";
export { currencyScale, CURRENCY_SCALES, DEFAULT_MONEY_SCALE } from "../money/currency.js";

// Periods
export { periodContaining, parsePeriod, previousPeriod, checkTimeZone, zoneOffset, PERIOD_UNITS, LIFETIME } from "../money/period.js";
export type { Period, PeriodUnit } from "../money/period.js";
