/**
 * Escaping of template values per chat platform and format. Values come from
 * facts and instance data, so they must never mention anyone, link anywhere or
 * restructure a message: mentions come only from the notification spec
 * (`mention: true` and the notifier's `mentions` resolver).
 *
 * Where a platform documents an escape, it is used (Slack `&amp;` `&lt;`
 * `&gt;`; HTML entities in Feishu card markdown). Where it documents none
 * (DingTalk and WeCom markdown, `<at>` tags in Feishu text), a zero-width space
 * (U+200B) after the opening character breaks the syntax while the text reads
 * exactly the same.
 */

const ZWSP = "\u200b";

/** Tags and mention syntax: `<at ...>`, `</at>`, `<@id>`, `<!channel>`, `<font>`, `<http://...>`. */
function breakTags(value: string): string {
  return value.replace(/<(?=\s*[A-Za-z@!/#])/g, `<${ZWSP}`);
}

/**
 * Markdown syntax other than tags: links and images (`[x](url)`, `![](url)`),
 * code fences, and block markers at the start of a line (headings, quotes,
 * list items, rules, setext underlines).
 */
function breakMarkdownSyntax(value: string): string {
  return value
    .replace(/([[\]`])/g, `$1${ZWSP}`)
    .replace(/(^|\n)([ \t]*)(?=#|>|[-+*](?:[ \t\n]|$)|[-*_=]{2,}|\d{1,9}[.)](?:[ \t\n]|$))/g, `$1$2${ZWSP}`);
}

/** DingTalk and WeCom markdown: no documented escapes, so every piece of syntax is broken. */
function breakMarkdown(value: string): string {
  return breakMarkdownSyntax(breakTags(value));
}

/** Slack's own escaping for message text: `&`, `<` and `>`, so values cannot inject `<!channel>` or links. */
export function escapeSlack(value: string): string {
  return value.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Feishu card markdown decodes HTML entities for display: tags become `&lt;at ...&gt;` text. */
function escapeFeishuMarkdown(value: string): string {
  return breakMarkdownSyntax(escapeSlack(value));
}

/** The escaping of a message's title and text for one platform and format. */
export interface Escapes {
  readonly title: (value: string) => string;
  readonly text: (value: string) => string;
}

/** @internal Escapes by platform (`feishu` covers `lark`) and format. */
export const ESCAPES: Readonly<Record<"dingtalk" | "wecom" | "feishu" | "slack", Readonly<Record<"text" | "markdown", Escapes>>>> = {
  // DingTalk text is not parsed and mentions only come from `at`; tags are broken anyway, at no visible cost.
  dingtalk: { text: { title: breakTags, text: breakTags }, markdown: { title: breakTags, text: breakMarkdown } },
  wecom: { text: { title: breakTags, text: breakTags }, markdown: { title: breakTags, text: breakMarkdown } },
  // The card header is plain text; the text message parses <at> tags.
  feishu: { text: { title: breakTags, text: breakTags }, markdown: { title: breakTags, text: escapeFeishuMarkdown } },
  slack: { text: { title: escapeSlack, text: escapeSlack }, markdown: { title: escapeSlack, text: escapeSlack } },
};
