/** Message templates per notification template name, rendered with the engine's safe template language. */
import type { Notification } from "@ruleflow/engine";
import { compileTemplate, type CompiledTemplate } from "@ruleflow/engine/workflow";
import type { Escapes } from "./escape.js";
import type { Message, Robot } from "./robot.js";

/**
 * How one notification template reads in chat. `title` and `text` are
 * templates: `{{instanceId}}`, `{{data.input.customer.name}}`, `{{recipients}}`,
 * `{{time}}` (the notification time, ISO 8601).
 */
export interface MessageTemplate {
  /** `text` (default) or `markdown` (DingTalk markdown, WeCom markdown, a Feishu card, Slack mrkdwn). */
  format?: "text" | "markdown" | undefined;
  /** Markdown title / notification fallback. Default `{{template}}`, the template name. */
  title?: string | undefined;
  text: string;
  /** @-mention the notification's recipients (needs the notifier's `mentions` resolver). Default false. */
  mention?: boolean | undefined;
}

/** The message used for a template name with no entry and no `defaultTemplate`. */
export const BUILTIN_TEMPLATE: MessageTemplate = { format: "text", text: "Ruleflow {{template}}: {{data.definitionId}} instance {{instanceId}}" };

/** The values a template sees: the notification, plus `time` as ISO 8601. */
export function templateContext(n: Notification): Record<string, unknown> {
  return { ...n, time: new Date(n.at).toISOString() };
}

interface Compiled {
  readonly format: "text" | "markdown";
  readonly title: CompiledTemplate;
  readonly text: CompiledTemplate;
  readonly mention: boolean;
}

/**
 * @internal Compiles every template up front (bad ones fail at start-up), then once per
 * robot kind, with that platform's escaping of values for the template's format.
 */
export function createRenderer(templates: Readonly<Record<string, MessageTemplate>>, fallback: MessageTemplate) {
  const cache = new Map<string, Compiled>();
  const compile = (t: MessageTemplate, escapes: Escapes | undefined, key: string): Compiled => {
    let c = cache.get(key);
    if (!c) {
      c = {
        format: t.format ?? "text",
        title: compileTemplate(t.title ?? "{{template}}", { escape: escapes?.title }),
        text: compileTemplate(t.text, { escape: escapes?.text }),
        mention: t.mention ?? false,
      };
      cache.set(key, c);
    }
    return c;
  };
  for (const [name, t] of Object.entries(templates)) compile(t, undefined, `check/${name}`);
  compile(fallback, undefined, "check");
  return (n: Notification, robot: Robot, mentions: (userId: string) => string | undefined): Message => {
    const has = Object.hasOwn(templates, n.template);
    const t = has ? templates[n.template]! : fallback;
    const c = compile(t, robot.escapes[t.format ?? "text"], has ? `${robot.kind}/${n.template}` : robot.kind);
    const ctx = templateContext(n);
    const ids = c.mention ? [...new Set(n.recipients.map(mentions).filter((id): id is string => typeof id === "string" && id !== ""))] : [];
    return { format: c.format, title: c.title(ctx), text: c.text(ctx), mentions: ids };
  };
}
