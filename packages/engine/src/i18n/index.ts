export { LOCALES, DEFAULT_LOCALE, resolveLocale } from "./locale.js";
export type { Locale } from "./locale.js";
export { defineCatalogue, formatMessage, placeholdersOf } from "./catalogue.js";
export type { Catalogue, MessageParams } from "./catalogue.js";
export { catalogueIssue, localizeIssue, localizeIssues } from "./issues.js";
