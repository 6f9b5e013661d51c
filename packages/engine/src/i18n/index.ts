export { LOCALES, resolveLocale } from "./locale.js";
export type { Locale } from "./locale.js";
export { formatMessage, placeholdersOf } from "./catalogue.js";
export type { Catalogue } from "./catalogue.js";
export { catalogueIssue, localizeIssue, localizeIssues } from "./issues.js";
