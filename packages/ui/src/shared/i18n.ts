/**
 * Messages of the components in English and Simplified Chinese. Each component
 * keeps its own table (`defineMessages`) beside it; this module holds the
 * lookup and the words every component shares.
 */

/** The locales every component speaks. */
export type UiLocale = "en" | "zh-CN";

/** One component's messages: the same keys in both locales. */
export type MessageTable<K extends string> = { readonly en: Readonly<Record<K, string>>; readonly "zh-CN": Readonly<Record<K, string>> };

/** The locale to use for a `locale` attribute value: `zh-CN` for any Chinese tag, else English. */
export function uiLocale(value: string | null | undefined): UiLocale {
  return value && /^zh\b/i.test(value) ? "zh-CN" : "en";
}

/**
 * A translator over one table: `t("key", { n: 3 })` fills `{n}` placeholders.
 * A key missing from the table is a programming error and throws.
 */
export function translator<K extends string>(table: MessageTable<K>, locale: UiLocale): (key: K, params?: Record<string, string | number>) => string {
  const messages = table[locale];
  return (key, params) => {
    const text = messages[key];
    if (text === undefined) throw new Error(`@ruleflow/ui: no ${locale} message "${key}"`);
    return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : text;
  };
}

/** Declare a component's messages (checks at compile time that both locales have every key). */
export function defineMessages<K extends string>(table: MessageTable<K>): MessageTable<K> {
  return table;
}

/** Words every component uses. */
export const COMMON = defineMessages({
  en: {
    add: "Add",
    remove: "Remove",
    moveUp: "Move up",
    moveDown: "Move down",
    issues: "Problems",
    noIssues: "No problems",
    pass: "pass",
    fail: "fail",
    actual: "actual",
    expected: "expected",
    readonly: "Read only",
    name: "Name",
    value: "Value",
    none: "none",
  },
  "zh-CN": {
    add: "添加",
    remove: "删除",
    moveUp: "上移",
    moveDown: "下移",
    issues: "问题",
    noIssues: "没有问题",
    pass: "通过",
    fail: "未通过",
    actual: "实际值",
    expected: "期望值",
    readonly: "只读",
    name: "名称",
    value: "值",
    none: "无",
  },
});
