/**
 * Issues whose messages can be written in every locale: created with a
 * catalogue key and parameters, rendered in English, and re-rendered in
 * another locale at the boundary (`validateDefinition(doc, { locale })`).
 */
import type { Issue, IssueCode } from "../core/errors.js";
import { formatMessage, placeholdersOf, type Catalogue, type MessageParams } from "./catalogue.js";
import type { Locale } from "./locale.js";
import { CATALOGUES_BY_DOMAIN } from "./messages/index.js";

/**
 * Build an issue from a catalogue message, with its stable `code`.
 * @internal
 */
export function catalogueIssue<TKey extends string>(
  catalogue: Catalogue<TKey>,
  key: TKey,
  path: (string | number)[],
  params: MessageParams,
  code: IssueCode,
): Issue {
  return {
    code,
    path,
    message: renderMessage(catalogue, "en", key, params),
    messageKey: `${catalogue.domain}.${key}`,
    params,
  };
}

/**
 * Write one issue's message in a locale. Issues without a catalogue key keep
 * their message as it is.
 *
 * @param issue - an issue as validation reported it (or anything else with a
 *   catalogue key, such as an evaluation warning)
 * @param locale - `en` or `zh-CN`
 * @returns the same issue with `message` in that locale
 */
export function localizeIssue<T extends Pick<Issue, "message" | "messageKey" | "params">>(issue: T, locale: Locale): T {
  if (locale === "en" || issue.messageKey === undefined) return issue;
  const dot = issue.messageKey.indexOf(".");
  const domain = issue.messageKey.slice(0, dot);
  const key = issue.messageKey.slice(dot + 1);
  const catalogue = Object.hasOwn(CATALOGUES_BY_DOMAIN, domain) ? CATALOGUES_BY_DOMAIN[domain] : undefined;
  if (!catalogue || !Object.hasOwn(catalogue.messages[locale], key)) return issue;
  return { ...issue, message: renderMessage(catalogue, locale, key, issue.params ?? {}) };
}

/**
 * Format a message whose parameters may themselves be localizable: a parameter
 * named `x@` holds a message key (`domain.key`, or `key` of the same catalogue)
 * whose text in the locale fills `{x}`; one named `x[]` holds a JSON array of
 * strings, listed as `{x}` with the locale's separator (", " or "、").
 * @internal
 */
export function renderMessage<TKey extends string>(catalogue: Catalogue<TKey>, locale: Locale, key: TKey, params: MessageParams): string {
  let resolved: Record<string, string | number | bigint | boolean> | undefined;
  for (const name of placeholdersOf(catalogue.messages[locale][key])) {
    if (Object.hasOwn(params, name)) continue;
    if (Object.hasOwn(params, `${name}@`)) {
      const ref = String(params[`${name}@`]);
      const dot = ref.indexOf(".");
      const cat = dot < 0 ? (catalogue as Catalogue<string>) : CATALOGUES_BY_DOMAIN[ref.slice(0, dot)];
      const sub = dot < 0 ? ref : ref.slice(dot + 1);
      if (cat && Object.hasOwn(cat.messages[locale], sub)) {
        const { [`${name}@`]: _self, ...rest } = params;
        (resolved ??= { ...params })[name] = renderMessage(cat, locale, sub, rest);
      }
    } else if (Object.hasOwn(params, `${name}[]`)) {
      const items = JSON.parse(String(params[`${name}[]`])) as string[];
      (resolved ??= { ...params })[name] = items.join(locale === "zh-CN" ? "、" : ", ");
    }
  }
  return formatMessage(catalogue, locale, key, resolved ?? params);
}

/**
 * Write every issue's message in a locale.
 *
 * @example
 * ```ts
 * const result = validateDefinition(doc);
 * if (!result.ok) console.log(localizeIssues(result.issues, "zh-CN").map(formatIssue).join("\n"));
 * ```
 */
export function localizeIssues(issues: readonly Issue[], locale: Locale): Issue[] {
  return issues.map((i) => localizeIssue(i, locale));
}
