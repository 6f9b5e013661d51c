/**
 * The languages Ruleflow writes its explanations, hints, refusal reasons and
 * validation messages in.
 */
import { ArgumentError } from "../core/errors.js";

/** Every locale Ruleflow ships messages for. */
export const LOCALES = ["en", "zh-CN"] as const;

/** A locale Ruleflow writes messages in: `en` (the default) or `zh-CN` (Simplified Chinese). */
export type Locale = (typeof LOCALES)[number];

/** The locale used when none is given. */
const DEFAULT_LOCALE: Locale = "en";

const ALIASES: Readonly<Record<string, Locale>> = {
  en: "en",
  "en-us": "en",
  "en-gb": "en",
  zh: "zh-CN",
  "zh-cn": "zh-CN",
  "zh-hans": "zh-CN",
  "zh-hans-cn": "zh-CN",
};

/**
 * Resolve a locale option: `undefined` is the default (`en`); `zh`, `zh-Hans`
 * and `zh-CN` (any case) are Simplified Chinese; `en`, `en-US`, `en-GB` are
 * English. Anything else is refused rather than silently shown in English.
 *
 * @param locale - the option as the host passed it
 * @returns the locale to write messages in
 * @throws ArgumentError (`INVALID_ARGUMENT`) for a locale Ruleflow has no messages for
 * @example
 * ```ts
 * resolveLocale("zh-Hans"); // "zh-CN"
 * ```
 */
export function resolveLocale(locale: string | undefined): Locale {
  if (locale === undefined) return DEFAULT_LOCALE;
  const found = typeof locale === "string" && Object.hasOwn(ALIASES, locale.toLowerCase()) ? ALIASES[locale.toLowerCase()] : undefined;
  if (found === undefined) {
    throw new ArgumentError(
      "locale",
      `expected one of ${LOCALES.join(", ")}, got ${JSON.stringify(String(locale))}`,
    );
  }
  return found;
}
