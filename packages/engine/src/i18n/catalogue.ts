/**
 * Message catalogues: each domain keeps its messages in English and Simplified
 * Chinese side by side, with `{name}` placeholders, in one file under
 * `i18n/messages/`. The types make a key
 * missing from either language a compile error; a test checks that both
 * languages use the same placeholders.
 */
import { ArgumentError } from "../core/errors.js";
import type { Locale } from "./locale.js";

/** Parameters of a message: each `{name}` in the template is replaced by `params.name`. */
export type MessageParams = Readonly<Record<string, string | number | bigint | boolean>>;

/** One domain's messages in every locale, English and Simplified Chinese side by side. */
export interface Catalogue<TKey extends string> {
  readonly domain: string;
  readonly messages: { readonly [L in Locale]: Readonly<Record<TKey, string>> };
}

/**
 * Declare a domain's messages: English first, then Simplified Chinese with
 * exactly the same keys. @internal
 */
export function defineCatalogue<const TEnglish extends Record<string, string>>(
  domain: string,
  en: TEnglish,
  zhCN: { readonly [K in keyof TEnglish]: string },
): Catalogue<keyof TEnglish & string> {
  return { domain, messages: { en, "zh-CN": zhCN } };
}

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The placeholder names a template uses, sorted. @internal */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!))].sort();
}

/**
 * Render one message in a locale. A placeholder without a parameter is a bug
 * in the engine, reported as such rather than printed as `{name}`. @internal
 */
export function formatMessage<TKey extends string>(
  catalogue: Catalogue<TKey>,
  locale: Locale,
  key: TKey,
  params: MessageParams = {},
): string {
  const template = catalogue.messages[locale][key];
  return template.replace(PLACEHOLDER, (_, name: string) => {
    if (!Object.hasOwn(params, name)) {
      throw new ArgumentError("params", `message ${catalogue.domain}.${key} needs the parameter ${name}`);
    }
    return String(params[name]);
  });
}
