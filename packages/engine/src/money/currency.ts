/**
 * Currencies and their scales (ISO 4217 minor units). A document that names
 * a currency keeps every amount in that currency's minor units.
 */

/**
 * Decimal places of the currencies Ruleflow knows (ISO 4217). Currencies not
 * listed here are refused rather than guessed.
 */
export const CURRENCY_SCALES: Readonly<Record<string, number>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, number>, {
    AED: 2, ARS: 2, AUD: 2, BDT: 2, BHD: 3, BRL: 2, CAD: 2, CHF: 2, CLP: 0, CNY: 2, COP: 2, CZK: 2,
    DKK: 2, EGP: 2, EUR: 2, GBP: 2, HKD: 2, HUF: 2, IDR: 2, ILS: 2, INR: 2, IQD: 3, ISK: 0, JOD: 3,
    JPY: 0, KES: 2, KRW: 0, KWD: 3, KZT: 2, LKR: 2, MAD: 2, MOP: 2, MXN: 2, MYR: 2, NGN: 2, NOK: 2,
    NZD: 2, OMR: 3, PEN: 2, PHP: 2, PKR: 2, PLN: 2, QAR: 2, RON: 2, RUB: 2, SAR: 2, SEK: 2, SGD: 2,
    THB: 2, TND: 3, TRY: 2, TWD: 2, UAH: 2, USD: 2, VND: 0, ZAR: 2,
  }),
);

/** Scale used when a document names no currency: two decimal places. */
export const DEFAULT_MONEY_SCALE = 2;

/**
 * The number of decimal places of a currency.
 *
 * @param currency - an ISO 4217 code such as `"CNY"`, or `undefined` for "no currency named"
 * @returns the scale (2 for CNY, 0 for JPY, 3 for KWD); {@link DEFAULT_MONEY_SCALE} when `currency` is undefined;
 *   `undefined` for an unknown code
 * @example
 * ```ts
 * currencyScale("JPY"); // 0
 * ```
 */
export function currencyScale(currency: string | undefined): number | undefined {
  if (currency === undefined) return DEFAULT_MONEY_SCALE;
  return Object.hasOwn(CURRENCY_SCALES, currency) ? CURRENCY_SCALES[currency] : undefined;
}
